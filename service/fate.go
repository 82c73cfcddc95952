package service

import (
	"context"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Fate returns what became of every place of a list, in one breakdown
// that adds up to its declared size (comparison.Fate). It is the same for
// every reader who may see the list: confidential members are counted,
// never named.
func (s *Service) Fate(ctx context.Context, a Actor, program string) (out domain.Fate, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		fs, err := s.fates(tx, a, []string{program})
		if err != nil {
			return err
		}
		out = fs[program]
		return nil
	})
	return out, err
}

// Fates returns the breakdowns of the given lists, read in one
// transaction; a list the actor may not see is not found.
func (s *Service) Fates(ctx context.Context, a Actor, programs []string) (out map[string]domain.Fate, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out, err = s.fates(tx, a, programs)
		return err
	})
	return out, err
}

// fates is Fates inside a read transaction.
func (s *Service) fates(tx *store.Tx, a Actor, programs []string) (map[string]domain.Fate, error) {
	gs := make(map[string]*domain.Program, len(programs))
	for _, slug := range programs {
		g, err := tx.Program(slug, a.Viewer())
		if err != nil {
			return nil, err
		}
		gs[slug] = g
	}
	groups, err := s.fateGroups(tx, programs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.Fate, len(programs))
	for slug, g := range gs {
		out[slug] = comparison.Fate(g, groups[slug])
	}
	return out, nil
}

// fateGroups is tx.FateGroups, kept for the registry's generation: a
// breakdown counts a whole list's members (issue 12: a program page read
// its thousand-odd members' later lists and lineage on every miss of the
// page cache), and changes only when the registry does.
func (s *Service) fateGroups(tx *store.Tx, programs []string) (map[string][]domain.FateMember, error) {
	gen, err := tx.Generation()
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.FateMember, len(programs))
	var miss []string
	for _, slug := range programs {
		if g, ok := s.fated.Get(generation(gen), slug); ok {
			out[slug] = g
		} else {
			miss = append(miss, slug)
		}
	}
	if len(miss) == 0 {
		return out, nil
	}
	read, err := tx.FateGroups(miss...)
	if err != nil {
		return nil, err
	}
	for _, slug := range miss {
		out[slug] = read[slug]
		s.fated.Put(generation(gen), slug, read[slug])
	}
	return out, nil
}
