package service

import (
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// health returns the follow-up signals of the given projects as of a date,
// read inside tx. Until progress reports, ratings and baselines are
// recorded, every project's status is unknown.
func (s *Service) health(tx *store.Tx, slugs []string, asOf domain.Date) (map[string]domain.Health, error) {
	out := make(map[string]domain.Health, len(slugs))
	for _, slug := range slugs {
		out[slug] = domain.Health{Project: slug, Status: domain.Unknown, StatusReasons: []domain.Text{}}
	}
	return out, nil
}
