package service

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Programs lists the programs the actor may see, with their counts.
//
// Lists are kept for the registry generation they were read in (the public
// home and the API's program list read them on every visit); the programs
// returned are shared and must not be changed.
func (s *Service) Programs(ctx context.Context, a Actor, p store.Page) (out []store.ProgramRow, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		key := programsKey{a.Viewer(), p}
		if v, ok := s.programs.Get(generation(gen), key); ok {
			out = v
			return nil
		}
		if out, err = tx.Programs(a.Viewer(), p); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		for i := range out {
			out[i].Program = r.program(out[i].Program)
		}
		if err := r.Err(); err != nil {
			return err
		}
		s.programs.Put(generation(gen), key, out)
		return nil
	})
	return slices.Clip(out), err
}

// Program returns one program with its counts.
func (s *Service) Program(ctx context.Context, a Actor, slug string) (out store.ProgramRow, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		g, err := tx.Program(slug, a.Viewer())
		if err != nil {
			return err
		}
		c, err := tx.ProgramCountsOf(slug)
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = store.ProgramRow{Program: r.program(g), ProgramCounts: c}
		return r.Err()
	})
	return out, err
}

// CreateProgram records a program.
func (s *Service) CreateProgram(ctx context.Context, a Actor, v *domain.Program) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := checkPassed(v); err != nil {
			return err
		}
		if err := tx.InsertProgram(v); err != nil {
			return err
		}
		return auditState(tx, "create", "program", v.Slug, nil)
	})
}

// UpdateProgram replaces a program. A closed program's stages and
// candidates can no longer change.
func (s *Service) UpdateProgram(ctx context.Context, a Actor, v *domain.Program) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Program(v.Slug, a.Viewer())
		if err != nil {
			return err
		}
		if old.Status == domain.ProgramClosed && (!sameJSON(old.Stages, v.Stages) || !sameJSON(old.Candidates, v.Candidates)) {
			return domain.Conflict("stages", "مراحل و نامزدهای برنامه بسته‌شده تغییرپذیر نیستند",
				"a closed program's stages and candidates cannot change")
		}
		if err := checkPassed(v); err != nil {
			return err
		}
		if err := tx.UpdateProgram(v); err != nil {
			return err
		}
		return auditState(tx, "update", "program", v.Slug, old)
	})
}

// sameJSON reports whether two values encode alike (nil and empty alike).
func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	norm := func(s []byte) string {
		if string(s) == "null" {
			return "[]"
		}
		return string(s)
	}
	return norm(x) == norm(y)
}

// checkPassed keeps stage decisions honest: a project can pass a stage only
// if it was a candidate and, after the first stage, passed the one before.
func checkPassed(g *domain.Program) error {
	if len(g.Candidates) == 0 {
		for _, st := range g.Stages {
			if len(st.Passed) > 0 {
				return domain.Invalid("candidates", "برای ثبت تصمیم مرحله، نامزدهای برنامه باید ثبت شوند",
					"record the program's candidates before recording which of them passed a stage")
			}
		}
		return nil
	}
	allowed := map[string]bool{}
	for _, c := range g.Candidates {
		allowed[c] = true
	}
	for _, st := range g.Stages {
		if len(st.Passed) == 0 {
			continue
		}
		next := map[string]bool{}
		for _, c := range st.Passed {
			if !allowed[c] {
				return domain.Invalid("stages", "پروژه «"+c+"» نامزد نبوده یا از مرحله پیش نگذشته است",
					"project "+c+" was not a candidate, or did not pass the previous stage")
			}
			next[c] = true
		}
		allowed = next
	}
	return nil
}

// DeleteProgram removes a program with no membership history.
func (s *Service) DeleteProgram(ctx context.Context, a Actor, slug string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Program(slug, a.Viewer())
		if err != nil {
			return err
		}
		if err := tx.DeleteProgram(slug, version); err != nil {
			return err
		}
		return tx.Audit("delete", "program", slug, old, nil)
	})
}

// Members lists a program's projects that the actor may see; hidden counts
// the confidential ones the actor may not. A member's successor the actor
// may not see is left out and counted in its hidden_links.
//
// Pages of up to listCacheLimit members are kept for the registry
// generation they were read in (the public home asks for the same page of
// the current list on every visit); the members returned are shared and
// must not be changed.
func (s *Service) Members(ctx context.Context, a Actor, program string, f store.MemberFilter, p store.Page) (out []*store.Member, hidden int, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Program(program, a.Viewer()); err != nil {
			return err
		}
		read := func() ([]*store.Member, int, error) {
			ms, hidden, err := tx.Members(program, f, a.Viewer(), p)
			if err != nil {
				return nil, 0, err
			}
			r := s.refsFor(tx, a)
			ms = r.members(ms)
			return ms, hidden, r.Err()
		}
		if p.Limit > listCacheLimit {
			out, hidden, err = read()
			return err
		}
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		key := memberKey{program, f, a.Viewer(), p}
		if m, ok := s.members.Get(generation(gen), key); ok {
			out, hidden = m.members, m.hidden
			return nil
		}
		if out, hidden, err = read(); err == nil {
			s.members.Put(generation(gen), key, &memberPage{out, hidden})
		}
		return err
	})
	return slices.Clip(out), hidden, err
}

// History returns a project's membership events in a program; a successor
// the actor may not see is left out and counted.
func (s *Service) History(ctx context.Context, a Actor, program, project string) (out []*domain.MembershipEvent, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Program(program, a.Viewer()); err != nil {
			return err
		}
		if _, err := tx.Project(project, a.Viewer()); err != nil {
			return err
		}
		if out, err = tx.Events(program, project); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = mapChanged(out, r.event)
		return r.Err()
	})
	return out, err
}

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
// nothing. Warnings are returned with the recorded event.
func (s *Service) Designate(ctx context.Context, a Actor, d Designation) (ev *domain.MembershipEvent, warnings []domain.Violation, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, nil, err
	}
	if d.Project == "" {
		return nil, nil, domain.Invalid("project", "پروژه مشخص نیست", "the project is required")
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		g, err := tx.Program(d.Program, a.Viewer())
		if err != nil {
			return err
		}
		if err := tx.LockProgram(g.Slug); err != nil {
			return err
		}
		p, err := tx.Project(d.Project, a.Viewer())
		if err != nil {
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
		if d.Date == nil {
			today := domain.DateOf(tx.Now())
			d.Date = &today
		}
		ev = &domain.MembershipEvent{Program: d.Program, Project: d.Project, Type: domain.EventEntered, Date: d.Date,
			Stage: d.Stage, Main: d.Main, Note: d.Note, Sources: d.Sources, RecordedBy: a.Name}
		return enter(tx, p, ev)
	})
	if err != nil {
		return nil, nil, err
	}
	if warnings == nil {
		warnings = []domain.Violation{}
	}
	return ev, warnings, nil
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
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if note.IsZero() {
		return nil, domain.Invalid("note", "دلیل اصلاح لازم است", "a note saying why is required")
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		ev = &domain.MembershipEvent{Program: program, Project: project, Type: domain.EventVoided, Voids: event,
			Note: note, RecordedBy: a.Name}
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

// Compare compares two programs: what was kept, added, removed (and why),
// evolved, and what is unknown. Confidential projects appear only for the
// secretariat; everyone else sees only their count. Results are cached under
// the registry's generation, so a comparison is computed once per change of
// the registry, not once per reader; the result must not be modified.
func (s *Service) Compare(ctx context.Context, a Actor, from, to string) (out *comparison.Result, err error) {
	if from == "" {
		return nil, domain.Invalid("from", "برنامه مبدأ مشخص نیست", "the program to compare from is required")
	}
	if to == "" {
		return nil, domain.Invalid("to", "برنامه مقصد مشخص نیست", "the program to compare to is required")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		programs := map[string]*domain.Program{}
		for _, x := range []struct{ field, slug string }{{"from", from}, {"to", to}} {
			g, err := tx.Program(x.slug, a.Viewer())
			if err != nil {
				if e, ok := domain.AsError(err); ok {
					e.Field = x.field
				}
				return err
			}
			programs[x.field] = g
		}
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		key := compareKey{from, to, a.isSecretariat()}
		if kept, ok := s.compared.Get(generation(gen), key); ok {
			out = kept
			return nil
		}
		out, err = compare(tx, programs["from"], programs["to"], key.showConfidential)
		if err == nil {
			s.compared.Put(generation(gen), key, out)
		}
		return err
	})
	return out, err
}

func compare(tx *store.Tx, from, to *domain.Program, showConfidential bool) (*comparison.Result, error) {
	lineage, err := tx.Lineage(from.Slug, to.Slug)
	if err != nil {
		return nil, err
	}
	side := func(g *domain.Program) (comparison.Side, error) {
		ms, err := tx.AllMembers(g.Slug)
		if err != nil {
			return comparison.Side{}, err
		}
		sd := comparison.Side{Program: g, Members: make([]comparison.Member, 0, len(ms))}
		for _, m := range ms {
			p := &domain.Project{Slug: m.Project, Title: m.Title, Kind: m.Kind, Confidentiality: m.Confidentiality,
				Status: m.Status, Predecessors: lineage[m.Project]}
			sd.Members = append(sd.Members, comparison.Member{Project: p, Membership: m.Membership})
		}
		return sd, nil
	}
	f, err := side(from)
	if err != nil {
		return nil, err
	}
	t, err := side(to)
	if err != nil {
		return nil, err
	}
	// Successors on neither list (a capability such as the national
	// information exchange) are looked up so the result can title them.
	members := map[string]bool{}
	for _, sd := range []comparison.Side{f, t} {
		for _, m := range sd.Members {
			members[m.Project.Slug] = true
		}
	}
	for _, m := range f.Members {
		if s := m.Membership.Successor; s != "" && !members[s] {
			p, err := tx.Project(s, store.Viewer{All: true})
			if err != nil {
				return nil, err
			}
			f.Related = append(f.Related, p)
			members[s] = true
		}
	}
	return comparison.Compare(f, t, showConfidential), nil
}
