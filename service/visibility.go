package service

import (
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Confidentiality by construction. A record names other projects — a
// project its dependencies and predecessors, a membership its successor, a
// program its candidates and the projects that passed a stage, a decision,
// an action or an agenda item the projects it concerns — and the project
// named may be one the reader may not see. Every answer the service builds
// passes each such name through one rule, sees below, whatever door asked
// (API, pages, open data, feeds, documents): a name the reader may not see
// is left out and counted in the record's hidden_links, so a page can say
// "1 confidential link not shown" without saying which. The records about a
// project as a whole (its page, reports and their evidence, ratings,
// decisions, actions, agenda items) are kept from readers by the same rule
// in SQL (store's visibleSQL and followSQL, whose Go twins are
// domain.Viewer's SeesProject and SeesFollowUp); a reminder is kept from
// those who may not read what it is about (Service.Reminders); the
// designation rules are shown only the infrastructure the reader may see
// (ruleInput); the comparison counts confidential projects and names none
// to anyone but the secretariat (package comparison); the audit trail is
// read only by those who see every project (AuditHistory); only public
// records are signed and published (publish.go). Pages, open data and
// feeds read through these answers and filter nothing themselves.
// web/confidential_scan_test.go derives every column of the schema that
// can name a project and checks each against every door.
//
// Writing goes through the same rule: a reference to a project the writer
// may not see is refused exactly as a reference to a missing one, at the
// same point (store.Tx.GuardReferences, set by Service.update), so a write
// cannot probe for a confidential slug.

// seesProject is the rule: whether the viewer may see the project e names,
// and so read its slug and title wherever another record refers to it.
func seesProject(v domain.Viewer, e *domain.ProjectEntry) bool { return v.SeesProject(e) }

// refs applies the rule for one reader within one transaction. It reads
// the project directory kept per registry generation (one read, however
// many references an answer holds), and only when a reference needs it:
// the secretariat, and records that name no other project, cost nothing.
type refs struct {
	v   domain.Viewer
	s   *Service
	tx  *store.Tx
	dir *directory
	gen *int64 // the registry generation, when the caller has read it in tx
	err error
}

// refsFor returns the rule as it applies to the actor in tx.
func (s *Service) refsFor(tx *store.Tx, a Actor) *refs { return &refs{v: a.Viewer(), s: s, tx: tx} }

// sees reports whether the reader may see the project with the slug. A
// slug the directory does not hold is not seen; if the directory cannot
// be read, nothing is seen and Err says why.
func (r *refs) sees(slug string) bool {
	if r.v.All {
		return true
	}
	if r.dir == nil && r.err == nil {
		if r.gen != nil {
			r.dir, r.err = r.s.projectDirectoryAt(r.tx, *r.gen)
		} else {
			r.dir, r.err = r.s.projectDirectory(r.tx)
		}
	}
	if r.err != nil {
		return false
	}
	e, ok := r.dir.bySlug[slug]
	return ok && seesProject(r.v, e)
}

// Err is the error met reading the directory, if any: an answer redacted
// while it could not be read is not to be served.
func (r *refs) Err() error { return r.err }

// seen returns the elements of xs whose project the reader may see, and how
// many were left out. xs itself is returned when nothing is (no copy: the
// caller's slice may be shared with a cache).
func seen[T any](r *refs, xs []T, slug func(T) string) ([]T, int) {
	if r.v.All {
		return xs, 0
	}
	hidden := 0
	for _, x := range xs {
		if !r.sees(slug(x)) {
			hidden++
		}
	}
	if hidden == 0 {
		return xs, 0
	}
	out := make([]T, 0, len(xs)-hidden)
	for _, x := range xs {
		if r.sees(slug(x)) {
			out = append(out, x)
		}
	}
	return out, hidden
}

func itselfSlug(s string) string { return s }

// project returns p as the reader may see its links: p itself when it
// names no hidden project, else a copy without them.
func (r *refs) project(p *domain.Project) *domain.Project {
	deps, hd := seen(r, p.DependsOn, itselfSlug)
	preds, hp := seen(r, p.Predecessors, func(x domain.Predecessor) string { return x.Project })
	if hd+hp == 0 {
		return p
	}
	c := *p
	c.DependsOn, c.Predecessors, c.HiddenLinks = deps, preds, hd+hp
	return &c
}

// projects applies project to each of ps, in a new slice when any changes.
func (r *refs) projects(ps []*domain.Project) []*domain.Project {
	return mapChanged(ps, r.project)
}

// mapChanged applies f to every element of xs, copying xs only when f
// returns a different element for one of them.
func mapChanged[T comparable](xs []T, f func(T) T) []T {
	var out []T
	for i, x := range xs {
		y := f(x)
		if y != x && out == nil {
			out = slices.Clone(xs)
		}
		if out != nil {
			out[i] = y
		}
	}
	if out == nil {
		return xs
	}
	return out
}

// successor says whether a successor slug may be shown: "" when not.
func (r *refs) successor(slug string) (string, int) {
	if slug == "" || r.sees(slug) {
		return slug, 0
	}
	return "", 1
}

// member returns m as the reader may see it: without a hidden successor.
func (r *refs) member(m *domain.Member) *domain.Member {
	s, h := r.successor(m.Successor)
	if h == 0 {
		return m
	}
	c := *m
	c.Successor, c.HiddenLinks = s, h
	return &c
}

func (r *refs) members(ms []*domain.Member) []*domain.Member { return mapChanged(ms, r.member) }

// event returns e as the reader may see it: without a hidden successor.
func (r *refs) event(e *domain.MembershipEvent) *domain.MembershipEvent {
	s, h := r.successor(e.Successor)
	if h == 0 {
		return e
	}
	c := *e
	c.Successor, c.HiddenLinks = s, h
	return &c
}

// program returns g as the reader may see its candidates and stage
// decisions; a stage keeps its size (Stage.Size counts the hidden).
func (r *refs) program(g *domain.Program) *domain.Program {
	if r.v.All {
		return g
	}
	cands, hc := seen(r, g.Candidates, itselfSlug)
	var stages []domain.Stage
	for i, st := range g.Stages {
		passed, hp := seen(r, st.Passed, itselfSlug)
		if hp == 0 {
			continue
		}
		if stages == nil {
			stages = slices.Clone(g.Stages)
		}
		stages[i].Passed, stages[i].HiddenLinks = passed, hp
	}
	if hc == 0 && stages == nil {
		return g
	}
	c := *g
	c.Candidates, c.HiddenLinks = cands, hc
	if stages != nil {
		c.Stages = stages
	}
	return &c
}

// action returns a as the reader may see the projects it concerns. (An
// action about a project the reader may not see reaches only its owner
// agency; the owner reads the action, not the project's name.)
func (r *refs) action(a *domain.Action) *domain.Action {
	ps, h := seen(r, a.Projects, itselfSlug)
	if h == 0 {
		return a
	}
	c := *a
	c.Projects, c.HiddenLinks = ps, h
	return &c
}

func (r *refs) actions(as []*domain.Action) []*domain.Action { return mapChanged(as, r.action) }

// decision returns d as the reader may see the projects it is about.
func (r *refs) decision(d *domain.Decision) *domain.Decision {
	ps, h := seen(r, d.Projects, itselfSlug)
	if h == 0 {
		return d
	}
	c := *d
	c.Projects, c.HiddenLinks = ps, h
	return &c
}

func (r *refs) decisions(ds []*domain.Decision) []*domain.Decision { return mapChanged(ds, r.decision) }

// agendaItems returns the items as the reader may see the projects they
// name, in a new slice when any changes (a proposal's items are shared). A
// project item about a project the reader may not see is not the reader's
// at all (the store and the agenda builder leave such items out already);
// it is left out here too.
func (r *refs) agendaItems(items []domain.AgendaItem) []domain.AgendaItem {
	if r.v.All {
		return items
	}
	var out []domain.AgendaItem
	for i, it := range items {
		drop := it.Project != "" && !r.sees(it.Project)
		ps, h := seen(r, it.Projects, itselfSlug)
		if !drop && h == 0 {
			if out != nil {
				out = append(out, it)
			}
			continue
		}
		if out == nil {
			out = append(make([]domain.AgendaItem, 0, len(items)), items[:i]...)
		}
		if !drop {
			it.Projects, it.HiddenLinks = ps, h
			out = append(out, it)
		}
	}
	if out == nil {
		return items
	}
	return out
}

// meeting redacts a meeting record in place (it is read afresh for each
// answer): its agenda and outcomes.
func (r *refs) meeting(m *domain.Meeting) {
	if r.v.All || m == nil {
		return
	}
	m.Agenda = r.agendaItems(m.Agenda)
	for i := range m.Outcomes {
		o := &m.Outcomes[i]
		if ps, h := seen(r, o.Projects, itselfSlug); h > 0 {
			o.Projects, o.HiddenLinks = ps, h
		}
	}
}

// infrastructure leaves out of the designation rules' input the
// infrastructure the reader may not see: a rule's message names the
// project it found, and the verdict is shown to whoever asks for it.
func (r *refs) infrastructure(ps []*domain.Project) ([]*domain.Project, int) {
	return seen(r, ps, func(p *domain.Project) string { return p.Slug })
}

// guard makes every reference the transaction writes pass the rule as it
// applies to the writer (store.Tx.GuardReferences).
func guard(tx *store.Tx, a Actor) {
	v := a.Viewer()
	if v.All {
		tx.GuardReferences(nil)
		return
	}
	tx.GuardReferences(func(e *domain.ProjectEntry) bool { return seesProject(v, e) })
}
