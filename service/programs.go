package service

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Programs lists the programs the actor may see, with their counts.
//
// Lists are kept for the registry generation they were read in (the public
// home and the API's program list read them on every visit); the programs
// returned are shared and must not be changed.
func (s *Service) Programs(ctx context.Context, a Actor, p domain.Page) (out []domain.ProgramRow, err error) {
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
func (s *Service) Program(ctx context.Context, a Actor, slug string) (out domain.ProgramRow, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) (err error) {
		out, _, err = s.programIn(tx, a, slug)
		return err
	})
	return out, err
}

// programIn reads, in tx, one program the actor may see with its counts,
// and the visibility rule it applied (for what the caller reads next).
func (s *Service) programIn(tx *store.Tx, a Actor, slug string) (domain.ProgramRow, *refs, error) {
	g, err := tx.Program(slug, a.Viewer())
	if err != nil {
		return domain.ProgramRow{}, nil, err
	}
	c, err := tx.ProgramCountsOf(slug)
	if err != nil {
		return domain.ProgramRow{}, nil, err
	}
	r := s.refsFor(tx, a)
	row := domain.ProgramRow{Program: r.program(g), ProgramCounts: c}
	return row, r, r.Err()
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
func (s *Service) Members(ctx context.Context, a Actor, program string, f domain.MemberFilter, p domain.Page) (out []*domain.Member, hidden int, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Program(program, a.Viewer()); err != nil {
			return err
		}
		out, hidden, err = s.membersIn(tx, a, program, f, p)
		return err
	})
	return slices.Clip(out), hidden, err
}

// membersIn is Members inside a read transaction, the program known to be
// one the actor may see.
func (s *Service) membersIn(tx *store.Tx, a Actor, program string, f domain.MemberFilter, p domain.Page) ([]*domain.Member, int, error) {
	read := func() ([]*domain.Member, int, error) {
		ms, hidden, err := tx.Members(program, f, a.Viewer(), p)
		if err != nil {
			return nil, 0, err
		}
		r := s.refsFor(tx, a)
		ms = r.members(ms)
		return ms, hidden, r.Err()
	}
	if p.Limit > listCacheLimit {
		return read()
	}
	gen, err := tx.Generation()
	if err != nil {
		return nil, 0, err
	}
	key := memberKey{program, f, a.Viewer(), p}
	if m, ok := s.members.Get(generation(gen), key); ok {
		return m.members, m.hidden, nil
	}
	out, hidden, err := read()
	if err == nil {
		s.members.Put(generation(gen), key, &memberPage{out, hidden})
	}
	return out, hidden, err
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
		anonEvents(a, out)
		return r.Err()
	})
	return out, err
}
