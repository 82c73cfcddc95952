package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Laws lists laws.
func (s *Service) Laws(ctx context.Context, p domain.Page) (out []*domain.Law, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Laws(p); return err })
	return out, err
}

// Law returns one law.
func (s *Service) Law(ctx context.Context, slug string) (out *domain.Law, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Law(slug); return err })
	return out, err
}

// CreateLaw records a law.
func (s *Service) CreateLaw(ctx context.Context, a Actor, v *domain.Law) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertLaw(v); err != nil {
			return err
		}
		return auditState(tx, "create", "law", v.Slug, nil)
	})
}

// UpdateLaw replaces a law.
func (s *Service) UpdateLaw(ctx context.Context, a Actor, v *domain.Law) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Law(v.Slug)
		if err != nil {
			return err
		}
		if err := tx.UpdateLaw(v); err != nil {
			return err
		}
		return auditState(tx, "update", "law", v.Slug, old)
	})
}

// DeleteLaw removes a law no mandate refers to.
func (s *Service) DeleteLaw(ctx context.Context, a Actor, slug string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Law(slug)
		if err != nil {
			return err
		}
		if err := tx.DeleteLaw(slug, version); err != nil {
			return err
		}
		return tx.Audit("delete", "law", slug, old, nil)
	})
}
