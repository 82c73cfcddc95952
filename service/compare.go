package service

import (
	"context"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Compare compares two programs: what was kept, added, removed (and why),
// evolved, and what is unknown. Confidential projects appear only for the
// secretariat; everyone else sees only their count. Results are cached under
// the registry's generation, so a comparison is computed once per change of
// the registry, not once per reader; the result must not be modified.
func (s *Service) Compare(ctx context.Context, a Actor, from, to string) (out *comparison.Result, err error) {
	if from == "" {
		return nil, domain.Invalid("from", "برنامه مبدأ مشخص نیست", "the program to compare from is required")
	}
	if to == "" {
		return nil, domain.Invalid("to", "برنامه مقصد مشخص نیست", "the program to compare to is required")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		programs := map[string]*domain.Program{}
		for _, x := range []struct{ field, slug string }{{"from", from}, {"to", to}} {
			g, err := tx.Program(x.slug, a.Viewer())
			if err != nil {
				if e, ok := domain.AsError(err); ok {
					e.Field = x.field
				}
				return err
			}
			programs[x.field] = g
		}
		gen, err := tx.Generation()
		if err != nil {
			return err
		}
		key := compareKey{from, to, a.isSecretariat()}
		if kept, ok := s.compared.Get(generation(gen), key); ok {
			out = kept
			return nil
		}
		out, err = compare(tx, programs["from"], programs["to"], key.showConfidential)
		if err == nil {
			s.compared.Put(generation(gen), key, out)
		}
		return err
	})
	return out, err
}

func compare(tx *store.Tx, from, to *domain.Program, showConfidential bool) (*comparison.Result, error) {
	lineage, err := tx.Lineage(from.Slug, to.Slug)
	if err != nil {
		return nil, err
	}
	side := func(g *domain.Program) (comparison.Side, error) {
		ms, err := tx.AllMembers(g.Slug)
		if err != nil {
			return comparison.Side{}, err
		}
		sd := comparison.Side{Program: g, Members: make([]comparison.Member, 0, len(ms))}
		for _, m := range ms {
			p := &domain.Project{Slug: m.Project, Title: m.Title, Kind: m.Kind, Confidentiality: m.Confidentiality,
				Status: m.Status, Predecessors: lineage[m.Project]}
			sd.Members = append(sd.Members, comparison.Member{Project: p, Membership: m.Membership})
		}
		return sd, nil
	}
	f, err := side(from)
	if err != nil {
		return nil, err
	}
	t, err := side(to)
	if err != nil {
		return nil, err
	}
	// Successors on neither list (a capability such as the national
	// information exchange) are looked up so the result can title them.
	members := map[string]bool{}
	for _, sd := range []comparison.Side{f, t} {
		for _, m := range sd.Members {
			members[m.Project.Slug] = true
		}
	}
	for _, m := range f.Members {
		if s := m.Membership.Successor; s != "" && !members[s] {
			p, err := tx.Project(s, domain.Viewer{All: true})
			if err != nil {
				return nil, err
			}
			f.Related = append(f.Related, p)
			members[s] = true
		}
	}
	return comparison.Compare(f, t, showConfidential), nil
}
