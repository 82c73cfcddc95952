package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Ratings lists a project's ratings, newest first.
func (s *Service) Ratings(ctx context.Context, a Actor, project string) (out []*domain.Rating, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Ratings(project)
		anonRatings(a, out)
		return err
	})
	return out, err
}

// Rate records a rating: a self rating by an agency on the project, or the
// council's rating, entered by the secretariat.
func (s *Service) Rate(ctx context.Context, a Actor, r *domain.Rating) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	switch r.Kind {
	case domain.SelfRating:
		if a.Role != RoleAgency {
			return forbiddenAt("kind", "خودارزیابی را دستگاه اجرایی ثبت می‌کند", "a self rating is entered by an agency on the project")
		}
		r.Agency = a.Agency
	case domain.CouncilRating:
		if !a.isSecretariat() {
			return forbiddenAt("kind", "ارزیابی شورا را دبیرخانه ثبت می‌کند", "the council's rating is entered by the secretariat")
		}
		r.Agency = ""
	}
	if err := r.Validate(); err != nil {
		return err
	}
	r.RecordedBy = a.Name
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", r.Project)
		if err != nil {
			return err
		}
		if r.Kind == domain.SelfRating && !p.HasAgency(a.Agency) {
			return forbiddenAt("project", "دستگاه شما در این پروژه نیست", "your agency is not on this project")
		}
		if r.Date == nil {
			d := txDay(tx)
			r.Date = &d
		}
		if err := notAfterToday(tx, "date", r.Date); err != nil {
			return err
		}
		if err := tx.InsertRating(r); err != nil {
			return err
		}
		return auditState(tx, "rate", "rating", r.Project+"/"+strconv.FormatInt(r.ID, 10), nil)
	})
}

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
		heads := func(p domain.Page) ([]store.ProjectHead, error) { return tx.ProjectHeads("", "", a.Viewer(), p) }
		for h, err := range domain.Walk(heads, func(h store.ProjectHead) string { return h.Slug }) {
			if err != nil {
				return err
			}
			if want[h.Slug] {
				visible[h.Slug] = true
			}
		}
		for slug := range visible {
			rs, err := tx.Ratings(slug)
			if err != nil {
				return err
			}
			anonRatings(a, rs)
			out[slug] = rs
		}
		return nil
	})
	return out, err
}

// RatingMonths sums the ratings month by month from the period from on, of
// the projects the actor may see: all of them, or a program's active
// members. Staff only: the workspace's dashboard.
func (s *Service) RatingMonths(ctx context.Context, a Actor, program string, from domain.Period) (out []domain.RatingMonth, err error) {
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
