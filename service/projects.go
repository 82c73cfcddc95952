package service

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// Projects lists the projects the actor may see, each with the links to
// projects the actor may not see left out and counted (visibility.go).
//
// Pages of up to listCacheLimit projects are kept, as the actor sees them,
// for the registry generation they were read in (see budgetCache): a page
// is one read of the generation instead of six queries over a hundred
// projects. The projects returned are shared with other callers and must
// not be changed.
func (s *Service) Projects(ctx context.Context, a Actor, f domain.ProjectFilter, p domain.Page) (out []*domain.Project, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		read := func() ([]*domain.Project, error) {
			ps, err := tx.Projects(f, a.Viewer(), p)
			if err != nil {
				return nil, err
			}
			r := s.refsFor(tx, a)
			r.gen = &gen // the directory, if a link needs it, at the generation read above
			ps = r.projects(ps)
			return ps, r.Err()
		}
		if p.Limit > listCacheLimit {
			out, err = read()
			return err
		}
		key := listKey{f, a.Viewer(), p}
		if v, ok := s.listed.Get(generation(gen), key); ok {
			out = v
			return nil
		}
		if out, err = read(); err == nil {
			s.listed.Put(generation(gen), key, out)
		}
		return err
	})
	return slices.Clip(out), err
}

// ProjectView is a project with its standing in every program.
type ProjectView struct {
	*domain.Project
	Memberships []*domain.Member `json:"memberships"`
}

// Project returns one project with its memberships in the programs the
// actor may see. A project the actor may not see is not found; links to
// projects the actor may not see are left out and counted (visibility.go).
func (s *Service) Project(ctx context.Context, a Actor, slug string) (*ProjectView, error) {
	var v ProjectView
	err := s.db.View(ctx, func(tx *store.Tx) error {
		// A restricted program is not the public's: neither is the
		// project's standing in it. One statement reads both.
		p, ms, gen, err := tx.ProjectWithMemberships(slug, a.Viewer())
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		r.gen = &gen // the directory, if a link needs it, at the generation read with the project
		v.Project, v.Memberships = r.project(p), r.members(ms)
		if v.Memberships == nil {
			v.Memberships = []*domain.Member{}
		}
		return r.Err()
	})
	return &v, err
}

// CreateProject records a project. An agency's focal point may record a
// project its agency leads.
func (s *Service) CreateProject(ctx context.Context, a Actor, v *domain.Project) error {
	if err := a.mustOwnProject(v); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertProject(v); err != nil {
			return err
		}
		return auditState(tx, "create", "project", v.Slug, nil)
	})
}

// UpdateProject replaces a project. An agency's focal point may edit a
// project its agency leads, and must keep leading it.
func (s *Service) UpdateProject(ctx context.Context, a Actor, v *domain.Project) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Project(v.Slug, a.Viewer())
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(old); err != nil {
			return err
		}
		if err := a.mustOwnProject(v); err != nil {
			return err
		}
		// The editor read the project without the links it may not see
		// (visibility.go); the edit keeps them rather than drop them.
		// What the editor sent is checked as ever: naming a project it
		// may not see is refused as naming a missing one.
		r := s.refsFor(tx, a)
		var deps []string
		var preds []domain.Predecessor
		for _, d := range old.DependsOn {
			if !r.sees(d) {
				deps = append(deps, d)
			}
		}
		for _, pr := range old.Predecessors {
			if !r.sees(pr.Project) {
				preds = append(preds, pr)
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		if err := tx.UpdateProject(v); err != nil {
			return err
		}
		if len(deps)+len(preds) > 0 {
			if err := tx.KeepProjectLinks(v.Slug, deps, preds); err != nil {
				return err
			}
		}
		return auditState(tx, "update", "project", v.Slug, old)
	})
}

// DeleteProject removes a project that was never on a list.
func (s *Service) DeleteProject(ctx context.Context, a Actor, slug string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Project(slug, a.Viewer())
		if err != nil {
			return err
		}
		// What goes with the project (its follow-up records) is read
		// first, and its deletion recorded too.
		deps, err := projectDependents(tx, slug)
		if err != nil {
			return err
		}
		if err := tx.DeleteProject(slug, version); err != nil {
			return err
		}
		for _, d := range deps {
			if err := tx.Audit("delete", d.kind, d.key, d.state, nil); err != nil {
				return err
			}
		}
		return tx.Audit("delete", "project", slug, old, nil)
	})
}

// IsEmpty reports whether the registry holds no records.
func (s *Service) IsEmpty(ctx context.Context) (empty bool, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { empty, err = tx.IsEmpty(); return err })
	return empty, err
}

// dependent is a record deleted with its project.
type dependent struct {
	kind, key string
	state     any
}

// projectDependents lists the audited records a project's deletion takes
// with it: its milestones, indicators, ratings, baselines and reports.
func projectDependents(tx *store.Tx, slug string) ([]dependent, error) {
	var out []dependent
	for _, kind := range []string{"milestone", "kpi", "rating", "baseline", "report"} {
		keys, err := tx.RecordKeys(kind)
		if err != nil {
			return nil, err
		}
		for _, key := range keys {
			if kind == "report" {
				continue // keyed by id: found below
			}
			if strings.HasPrefix(key, slug+"/") {
				st, _, err := recordState(tx, kind, key)
				if err != nil {
					return nil, err
				}
				out = append(out, dependent{kind, key, st})
			}
		}
	}
	reports := func(p domain.Page) ([]*domain.Report, error) {
		return tx.Reports(domain.ReportFilter{Project: slug}, domain.Viewer{All: true}, p)
	}
	for r, err := range domain.Walk(reports, reportKey) {
		if err != nil {
			return nil, err
		}
		key := strconv.FormatInt(r.ID, 10)
		st, _, err := recordState(tx, "report", key)
		if err != nil {
			return nil, err
		}
		out = append(out, dependent{"report", key, st})
	}
	return out, nil
}

// ProjectTitles returns the titles of those of the given projects the actor
// may see (as Project would show them), from the project directory kept
// per registry generation: one read, however many projects a page names.
func (s *Service) ProjectTitles(ctx context.Context, a Actor, slugs []string) (out map[string]domain.Text, err error) {
	out = make(map[string]domain.Text, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		dir, err := s.projectDirectory(tx)
		if err != nil {
			return err
		}
		r := &refs{v: a.Viewer(), s: s, tx: tx, dir: dir}
		for _, slug := range slugs {
			if e, ok := dir.bySlug[slug]; ok && r.sees(slug) {
				out[slug] = e.Title
			}
		}
		return nil
	})
	return out, err
}

// ProjectRecord is what a project's public page shows of its follow-up,
// read in one transaction: the period end of its last accepted report,
// its milestones, its ratings (newest first) and the decisions about it.
type ProjectRecord struct {
	LastAccepted *domain.Date
	LastReport   domain.Seal // the last accepted report's, when it was published
	Milestones   []*domain.Milestone
	Ratings      []*domain.Rating
	Decisions    []*domain.Decision
}

// ProjectRecord reads a project's follow-up as the actor may see it; a
// project the actor may not see is not found.
func (s *Service) ProjectRecord(ctx context.Context, a Actor, slug string) (out *ProjectRecord, err error) {
	out = &ProjectRecord{}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", slug); err != nil {
			return err
		}
		states, err := tx.FollowUpStates([]string{slug})
		if err != nil {
			return err
		}
		if st := states[slug]; st != nil && st.ReportID > 0 {
			end := st.Period.End()
			out.LastAccepted = &end
			codes, err := tx.SignedCodes(signing.KindReport, []string{reportRef(st.ReportID)})
			if err != nil {
				return err
			}
			out.LastReport.VerificationCode = codes[reportRef(st.ReportID)]
		}
		if out.Milestones, err = tx.Milestones(slug); err != nil {
			return err
		}
		if out.Ratings, err = tx.Ratings(slug); err != nil {
			return err
		}
		if out.Decisions, err = tx.DecisionsAbout(slug, a.Viewer(), domain.Page{Limit: domain.MaxPage}); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out.Decisions = r.decisions(out.Decisions)
		if err := r.Err(); err != nil {
			return err
		}
		return sealDecisions(tx, out.Decisions)
	})
	return out, err
}
