package service

import (
	"context"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// CompareUncached runs a comparison without the cache, for benchmarks of
// the cold path.
func (s *Service) CompareUncached(ctx context.Context, from, to string) (out *comparison.Result, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		f, err := tx.Program(from, domain.Viewer{})
		if err != nil {
			return err
		}
		t, err := tx.Program(to, domain.Viewer{})
		if err != nil {
			return err
		}
		out, err = compare(tx, f, t, false)
		return err
	})
	return out, err
}

// ForgetProposals drops the kept agenda proposals, for benchmarks of the
// cold path (the first proposal after a write).
func (s *Service) ForgetProposals() { s.proposed = newProposalCache() }
