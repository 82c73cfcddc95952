package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Baselines lists a project's baselines, the current one first.
func (s *Service) Baselines(ctx context.Context, a Actor, project string) (out []*domain.Baseline, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Baselines(project)
		anonBaselines(a, out...)
		return err
	})
	return out, err
}

// CreateBaseline records an approved baseline; re-baselining keeps the old
// one. Only the secretariat records what the council approved.
func (s *Service) CreateBaseline(ctx context.Context, a Actor, b *domain.Baseline) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	b.RecordedBy = a.Name
	return s.update(ctx, a, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", b.Project); err != nil {
			return err
		}
		if err := notAfterToday(tx, "approved", b.Approved); err != nil {
			return err
		}
		if err := tx.InsertBaseline(b); err != nil {
			return err
		}
		return auditState(tx, "create", "baseline", b.Project+"/"+strconv.Itoa(b.Number), nil)
	})
}
