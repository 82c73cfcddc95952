package service

import (
	"context"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Designation is a request to put a project on a list.
type Designation struct {
	Program string          `json:"-"`
	Project string          `json:"project"`
	Main    bool            `json:"main"`
	Date    *domain.Date    `json:"date"`
	Stage   domain.Body     `json:"stage"`
	Note    domain.Text     `json:"note"`
	Sources []domain.Source `json:"sources"`
}

// ruleInput gathers, inside tx, everything the designation rules need, as
// r's reader may see it: a rule's message names the infrastructure it
// found, so infrastructure the reader may not see is left out (hidden says
// how much).
func ruleInput(tx *store.Tx, r *refs, g *domain.Program, p *domain.Project) (in designation.Input, hidden int, err error) {
	in, err = ruleInputAll(tx, g, p)
	if err != nil {
		return in, 0, err
	}
	in.Infrastructure, hidden = r.infrastructure(in.Infrastructure)
	return in, hidden, r.Err()
}

func ruleInputAll(tx *store.Tx, g *domain.Program, p *domain.Project) (designation.Input, error) {
	in := designation.Input{Program: g, Project: p, Agencies: map[string]*domain.Agency{}, Laws: map[string]*domain.Law{}}
	for _, pa := range p.Agencies {
		if ag, err := tx.Agency(pa.Agency); err == nil {
			in.Agencies[pa.Agency] = ag
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return in, err
		}
	}
	for _, m := range p.Mandates {
		if l, err := tx.Law(m.Law); err == nil {
			in.Laws[m.Law] = l
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return in, err
		}
	}
	ev, err := exchangeEvidence(tx, p)
	if err != nil {
		return in, err
	}
	in.Exchange = ev
	m, ok, err := tx.Membership(g.Slug, p.Slug)
	if err != nil {
		return in, err
	}
	in.Member = ok && m.Active
	infra, err := tx.InfrastructureCovering(p.Capabilities)
	if err != nil {
		return in, err
	}
	for _, x := range infra {
		if x.Slug != p.Slug {
			in.Infrastructure = append(in.Infrastructure, x)
		}
	}
	return in, nil
}

// Verdict is what the designation rules say of one project for one program.
type Verdict struct {
	Project    string             `json:"project"`
	Title      domain.Text        `json:"title"`
	Allowed    bool               `json:"allowed"`
	Violations []domain.Violation `json:"violations"`
	// HiddenLinks counts the projects the rules looked at that the reader
	// may not see, so that no violation names them (see ruleInput).
	HiddenLinks int `json:"hidden_links,omitempty"`
}

func verdict(p *domain.Project, vs []domain.Violation, hidden int) Verdict {
	if vs == nil {
		vs = []domain.Violation{}
	}
	return Verdict{Project: p.Slug, Title: p.Title, Allowed: len(domain.BlockingOf(vs)) == 0, Violations: vs, HiddenLinks: hidden}
}

// Preview runs every designation rule without writing anything: what the
// council would be told if it designated the project now.
func (s *Service) Preview(ctx context.Context, a Actor, program, project string) (out Verdict, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return out, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		g, err := tx.Program(program, a.Viewer())
		if err != nil {
			return err
		}
		p, err := tx.Project(project, a.Viewer())
		if err != nil {
			return domain.Invalid("project", "پروژه‌ای با این شناسه ثبت نشده است", "no project with this slug is recorded")
		}
		in, hidden, err := ruleInput(tx, s.refsFor(tx, a), g, p)
		if err != nil {
			return err
		}
		out = verdict(p, designation.Check(in), hidden)
		return nil
	})
	return out, err
}

// CheckProgram runs the designation rules over every active member of a
// program, as if each were designated anew: the list's health check.
func (s *Service) CheckProgram(ctx context.Context, a Actor, program string) (out []Verdict, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		g, err := tx.Program(program, a.Viewer())
		if err != nil {
			return err
		}
		members, err := tx.AllMembers(program)
		if err != nil {
			return err
		}
		for _, m := range members {
			if !m.Active {
				continue
			}
			p, err := tx.Project(m.Project, a.Viewer())
			if domain.IsKind(err, domain.KindNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			in, hidden, err := ruleInput(tx, s.refsFor(tx, a), g, p)
			if err != nil {
				return err
			}
			in.Member = false // it is on the list already; judge it as if it were joining
			out = append(out, verdict(p, designation.Check(in), hidden))
		}
		return nil
	})
	return out, err
}

// Designate puts a project on a list. It runs every rule and, if any
// blocking rule is broken, refuses with all of them at once and writes
// nothing. Warnings are returned with the recorded event. The rules run on
// a read snapshot, before the write queue; inside it, only the check that
// nothing they read has changed, and the write (decide.go).
func (s *Service) Designate(ctx context.Context, a Actor, d Designation) (ev *domain.MembershipEvent, warnings []domain.Violation, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, nil, err
	}
	if d.Project == "" {
		return nil, nil, domain.Invalid("project", "پروژه مشخص نیست", "the project is required")
	}
	var p *domain.Project
	err = s.decided(ctx, a, decision{
		decide: func(tx *store.Tx) error {
			g, err := tx.Program(d.Program, a.Viewer())
			if err != nil {
				return err
			}
			if p, err = tx.Project(d.Project, a.Viewer()); err != nil {
				return domain.Invalid("project", "پروژه‌ای با این شناسه ثبت نشده است", "no project with this slug is recorded")
			}
			in, _, err := ruleInput(tx, s.refsFor(tx, a), g, p)
			if err != nil {
				return err
			}
			vs := designation.Check(in)
			if blocking := domain.BlockingOf(vs); len(blocking) > 0 {
				return domain.Refused(blocking)
			}
			warnings = vs
			date := d.Date
			if date == nil {
				today := domain.DateOf(tx.Now())
				date = &today
			}
			ev = &domain.MembershipEvent{Program: d.Program, Project: d.Project, Type: domain.EventEntered, Date: date,
				Stage: d.Stage, Main: d.Main, Note: d.Note, Sources: d.Sources, RecordedBy: a.Name}
			return ev.Validate()
		},
		stamp: func(tx *store.Tx) (string, error) { return ruleStamp(tx, d.Program, p) },
		lock:  func(tx *store.Tx) error { return tx.LockProgram(d.Program) },
		write: func(tx *store.Tx) error { return enter(tx, p, ev) },
	})
	if err != nil {
		return nil, nil, err
	}
	if warnings == nil {
		warnings = []domain.Violation{}
	}
	return ev, warnings, nil
}

// ruleStamp fingerprints what ruleInput reads for p joining program.
func ruleStamp(tx *store.Tx, program string, p *domain.Project) (string, error) {
	agencies := make([]string, len(p.Agencies))
	for i, pa := range p.Agencies {
		agencies[i] = pa.Agency
	}
	laws := make([]string, len(p.Mandates))
	for i, m := range p.Mandates {
		laws[i] = m.Law
	}
	return tx.RuleStamp(program, p.Slug, agencies, laws, p.Capabilities)
}

// enter records a project's entry into a list; a project that was only
// proposed becomes designated.
func enter(tx *store.Tx, p *domain.Project, ev *domain.MembershipEvent) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	if err := tx.AppendEvent(ev); err != nil {
		return err
	}
	if err := auditState(tx, "designate", "membership", ev.Program+"/"+ev.Project, nil); err != nil {
		return err
	}
	if p.Status == domain.Proposed {
		old := *p
		p.Status = domain.Designated
		if err := tx.UpdateProject(p); err != nil {
			return err
		}
		return auditState(tx, "designated", "project", p.Slug, &old)
	}
	return nil
}

// Departure is a request to take a project off a list.
type Departure struct {
	Program   string             `json:"-"`
	Project   string             `json:"-"`
	Reason    domain.LeaveReason `json:"reason"`
	Date      *domain.Date       `json:"date"`
	Successor string             `json:"successor"`
	Note      domain.Text        `json:"note"`
	Sources   []domain.Source    `json:"sources"`
	// Seen is the last event of the history the writer saw; a departure
	// from an older page is refused as stale (membership_seen.go).
	Seen int64 `json:"-"`
}

// Leave takes a project off a list, for a reason. Nothing is deleted: the
// departure is a new event in the project's history.
func (s *Service) Leave(ctx context.Context, a Actor, d Departure) (ev *domain.MembershipEvent, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if (d.Reason == domain.LeaveEvolved || d.Reason == domain.LeaveMerged) && d.Successor == "" {
		return nil, domain.Invalid("successor", "برای تکامل یا ادغام، پروژه جانشین لازم است",
			"a successor project is required when the reason is evolved or merged")
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if _, err := tx.Program(d.Program, a.Viewer()); err != nil {
			return err
		}
		if err := tx.LockProgram(d.Program); err != nil {
			return err
		}
		if _, err := tx.Project(d.Project, a.Viewer()); err != nil {
			return err
		}
		if err := checkSeen(tx, d.Program, d.Project, d.Seen); err != nil {
			return err
		}
		m, ok, err := tx.Membership(d.Program, d.Project)
		if err != nil {
			return err
		}
		if !ok || !m.Active {
			return domain.Conflict("project", "این پروژه اکنون عضو این فهرست نیست", "the project is not a member of this list now")
		}
		if d.Date == nil {
			today := domain.DateOf(tx.Now())
			d.Date = &today
		}
		if m.Entered != nil && d.Date.Before(*m.Entered) {
			return domain.Invalid("date", "تاریخ خروج پیش از تاریخ ورود است", "the leaving date is before the entry date")
		}
		ev = &domain.MembershipEvent{Program: d.Program, Project: d.Project, Type: domain.EventLeft, Date: d.Date,
			Reason: d.Reason, Successor: d.Successor, Note: d.Note, Sources: d.Sources, RecordedBy: a.Name}
		if err := ev.Validate(); err != nil {
			return err
		}
		if err := tx.AppendEvent(ev); err != nil {
			return err
		}
		return auditState(tx, "leave", "membership", ev.Program+"/"+ev.Project, m)
	})
	return ev, err
}

// Void cancels a wrong membership event by appending a correction.
func (s *Service) Void(ctx context.Context, a Actor, program, project string, event int64, note domain.Text) (ev *domain.MembershipEvent, err error) {
	return s.void(ctx, a, Correction{Program: program, Project: project, Event: event, Note: note})
}

func (s *Service) void(ctx context.Context, a Actor, c Correction) (ev *domain.MembershipEvent, err error) {
	program, project := c.Program, c.Project
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if c.Note.IsZero() {
		return nil, domain.Invalid("note", "دلیل اصلاح لازم است", "a note saying why is required")
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if err := checkSeen(tx, program, project, c.Seen); err != nil {
			return err
		}
		ev = &domain.MembershipEvent{Program: program, Project: project, Type: domain.EventVoided, Voids: c.Event,
			Note: c.Note, RecordedBy: a.Name}
		if err := ev.Validate(); err != nil {
			return err
		}
		if err := tx.AppendEvent(ev); err != nil {
			return err
		}
		return auditState(tx, "void", "membership", program+"/"+project, nil)
	})
	return ev, err
}
