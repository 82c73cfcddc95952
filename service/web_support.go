package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// RatingHistory returns the rating histories (newest first) of the given
// projects that the actor may see, read in one transaction: what the staff
// dashboard's "ratings over time" chart is drawn from. A project the actor
// may not see, or that does not exist, is left out, as Ratings would answer
// it "not found". Visibility is read once for all projects (one query per
// thousand), not once per project.
func (s *Service) RatingHistory(ctx context.Context, a Actor, slugs []string) (out map[string][]*domain.Rating, err error) {
	out = make(map[string][]*domain.Rating, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	want := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		want[s] = true
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		visible := make(map[string]bool, len(slugs))
		for after := ""; ; {
			heads, err := tx.ProjectHeads("", "", a.Viewer(), store.Page{After: after, Limit: 1000})
			if err != nil {
				return err
			}
			for _, h := range heads {
				if want[h.Slug] {
					visible[h.Slug] = true
				}
			}
			if len(heads) < 1000 {
				break
			}
			after = heads[len(heads)-1].Slug
		}
		for slug := range visible {
			rs, err := tx.Ratings(slug)
			if err != nil {
				return err
			}
			out[slug] = rs
		}
		return nil
	})
	return out, err
}

// HealthFor returns the computed health, as of today, of those of the
// given projects the actor may see, read in one transaction: what the
// public portal shows beside each project. A project the actor may not
// see, or that does not exist, is left out.
func (s *Service) HealthFor(ctx context.Context, a Actor, slugs []string) (out map[string]domain.Health, err error) {
	out = map[string]domain.Health{}
	if len(slugs) == 0 {
		return out, nil
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		seen := make([]string, 0, len(slugs))
		for _, slug := range slugs {
			if _, err := tx.Project(slug, a.Viewer()); err != nil {
				if domain.IsKind(err, domain.KindNotFound) {
					continue
				}
				return err
			}
			seen = append(seen, slug)
		}
		if len(seen) == 0 {
			return nil
		}
		out, err = s.health(tx, seen, txDay(tx))
		return err
	})
	return out, err
}

// RatingMonths sums the ratings month by month from the period from on, of
// the projects the actor may see: all of them, or a program's active
// members. Staff only: the workspace's dashboard.
func (s *Service) RatingMonths(ctx context.Context, a Actor, program string, from domain.Period) (out []store.RatingMonth, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if program != "" {
			if _, err := tx.Program(program, a.Viewer()); err != nil {
				return err
			}
		}
		out, err = tx.RatingMonths(program, a.Viewer(), from)
		return err
	})
	return out, err
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
		if out.Decisions, err = tx.DecisionsAbout(slug, a.Viewer(), store.Page{Limit: store.MaxPage}); err != nil {
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
