package service

import (
	"context"

	"github.com/pishran/pishran/domain"
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
