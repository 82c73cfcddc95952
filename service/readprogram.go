package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// ProgramPage is what a program's public page shows, read in one
// transaction (issue 12): the page used to read the program, the terms,
// the members and the fate in four transactions and then each member's
// lead agency in one more each — a hundred read transactions a page.
type ProgramPage struct {
	Program domain.ProgramRow
	Terms   []*domain.Term
	// Members is one page of its members (Members), Hidden the members
	// the actor may not see.
	Members []*domain.Member
	Hidden  int
	Fate    domain.Fate
	// Leads names the members' lead agencies, by code; Titles the
	// successors the actor may see, by slug (one not here is not to be
	// named).
	Leads  map[string]domain.Text
	Titles map[string]domain.Text
}

// ProgramPage reads a program's page of members as the actor may see it;
// a program the actor may not see is not found.
func (s *Service) ProgramPage(ctx context.Context, a Actor, slug string, p domain.Page) (out *ProgramPage, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		row, r, err := s.programIn(tx, a, slug)
		if err != nil {
			return err
		}
		out = &ProgramPage{Program: row, Titles: map[string]domain.Text{}}
		if out.Terms, err = tx.Terms(); err != nil {
			return err
		}
		if out.Members, out.Hidden, err = s.membersIn(tx, a, slug, domain.MemberFilter{}, p); err != nil {
			return err
		}
		fs, err := s.fates(tx, a, []string{slug})
		if err != nil {
			return err
		}
		out.Fate = fs[slug]
		var leads []string
		for _, m := range out.Members {
			if m.Lead != "" {
				leads = append(leads, m.Lead)
			}
			if m.Successor != "" && r.sees(m.Successor) {
				if e, ok := r.dir.bySlug[m.Successor]; ok {
					out.Titles[m.Successor] = e.Title
				}
			}
		}
		if out.Leads, err = tx.AgencyNames(leads); err != nil {
			return err
		}
		return r.Err()
	})
	return out, err
}
