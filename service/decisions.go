package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/minutes"
	"github.com/pishran/pishran/store"
)

// DecisionsAbout lists the decisions about one project the actor may see,
// newest first (the last thousand at most).
func (s *Service) DecisionsAbout(ctx context.Context, a Actor, project string) (out []*domain.Decision, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.DecisionsAbout(project, a.Viewer(), domain.Page{Limit: domain.MaxPage}); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.decisions(out)
		if err := r.Err(); err != nil {
			return err
		}
		return sealDecisions(tx, out)
	})
	return out, err
}

// Decisions lists the decisions of held and closed meetings the actor may
// see, newest first.
func (s *Service) Decisions(ctx context.Context, a Actor, p domain.Page) (out []*domain.Decision, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) (err error) {
		out, _, err = s.decisionsIn(tx, a, p)
		return err
	})
	return out, err
}

// decisionsIn reads, in tx, a page of the decisions the actor may see,
// sealed, and the visibility rule it applied (for what the caller reads
// next).
func (s *Service) decisionsIn(tx *store.Tx, a Actor, p domain.Page) ([]*domain.Decision, *refs, error) {
	out, err := tx.Decisions(a.Viewer(), p)
	if err != nil {
		return nil, nil, err
	}
	r := s.refsFor(tx, a)
	out = r.decisions(out)
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	return out, r, sealDecisions(tx, out)
}

// DecisionsPage is Decisions with the titles of the projects the
// decisions name, by slug (only those the actor may see), read in the same
// transaction: the public decisions page's one read.
func (s *Service) DecisionsPage(ctx context.Context, a Actor, p domain.Page) (out []*domain.Decision, titles map[string]domain.Text, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		var r *refs
		if out, r, err = s.decisionsIn(tx, a, p); err != nil {
			return err
		}
		dir, err := s.projectDirectory(tx)
		if err != nil {
			return err
		}
		titles = map[string]domain.Text{}
		for _, d := range out {
			for _, slug := range d.Projects {
				if e, ok := dir.bySlug[slug]; ok && r.sees(slug) {
					titles[slug] = e.Title
				}
			}
		}
		return nil
	})
	return out, titles, err
}

// Minutes gathers what the minutes of a meeting show, as the actor may see
// it, with the names of the projects and agencies it mentions.
func (s *Service) Minutes(ctx context.Context, a Actor, id string) (in minutes.Input, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		m, err := s.meetingFor(tx, a, id)
		if err != nil {
			return err
		}
		if err := sealMeeting(tx, m); err != nil {
			return err
		}
		series, err := tx.Series(m.Series)
		if err != nil {
			return err
		}
		var slugs, codes []string
		for _, at := range m.Attendees {
			if at.Agency != "" {
				codes = append(codes, at.Agency)
			}
		}
		for _, o := range m.Outcomes {
			slugs = append(slugs, o.Projects...)
			if o.Owner != "" {
				codes = append(codes, o.Owner)
			}
		}
		projects, err := tx.ProjectTitles(slugs)
		if err != nil {
			return err
		}
		agencies, err := tx.AgencyNames(codes)
		if err != nil {
			return err
		}
		in = minutes.Input{Meeting: m, Series: series, Projects: projects, Agencies: agencies}
		return nil
	})
	return in, err
}
