package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Agencies lists agencies.
func (s *Service) Agencies(ctx context.Context, p domain.Page) (out []*domain.Agency, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Agencies(p); return err })
	return out, err
}

// Agency returns one agency.
func (s *Service) Agency(ctx context.Context, code string) (out *domain.Agency, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Agency(code); return err })
	return out, err
}

// CreateAgency records an agency.
func (s *Service) CreateAgency(ctx context.Context, a Actor, v *domain.Agency) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertAgency(v); err != nil {
			return err
		}
		return auditState(tx, "create", "agency", v.Code, nil)
	})
}

// UpdateAgency replaces an agency. An agency's focal point may edit its own
// agency's record.
func (s *Service) UpdateAgency(ctx context.Context, a Actor, v *domain.Agency) error {
	if err := a.mayEditAgency(v.Code); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Agency(v.Code)
		if err != nil {
			return err
		}
		if err := tx.UpdateAgency(v); err != nil {
			return err
		}
		return auditState(tx, "update", "agency", v.Code, old)
	})
}

// DeleteAgency removes an agency nothing refers to.
func (s *Service) DeleteAgency(ctx context.Context, a Actor, code string, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Agency(code)
		if err != nil {
			return err
		}
		if err := tx.DeleteAgency(code, version); err != nil {
			return err
		}
		return tx.Audit("delete", "agency", code, old, nil)
	})
}
