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
