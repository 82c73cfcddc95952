package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// HealthOf runs health in its own read transaction, for tests and
// benchmarks of what the agenda builder calls.
func (s *Service) HealthOf(ctx context.Context, slugs []string, asOf domain.Date) (out map[string]domain.Health, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = s.health(tx, slugs, asOf); return err })
	return out, err
}
