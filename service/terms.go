package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Terms lists every government term.
func (s *Service) Terms(ctx context.Context) (out []*domain.Term, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Terms(); return err })
	return out, err
}

// Term returns one term.
func (s *Service) Term(ctx context.Context, number int) (out *domain.Term, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Term(number); return err })
	return out, err
}

// CreateTerm records a term.
func (s *Service) CreateTerm(ctx context.Context, a Actor, v *domain.Term) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertTerm(v); err != nil {
			return err
		}
		return auditState(tx, "create", "term", strconv.Itoa(v.Number), nil)
	})
}

// UpdateTerm replaces a term; v.Version must be the version the caller read.
func (s *Service) UpdateTerm(ctx context.Context, a Actor, v *domain.Term) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Term(v.Number)
		if err != nil {
			return err
		}
		if err := tx.UpdateTerm(v); err != nil {
			return err
		}
		return auditState(tx, "update", "term", strconv.Itoa(v.Number), old)
	})
}

// DeleteTerm removes a term no program refers to.
func (s *Service) DeleteTerm(ctx context.Context, a Actor, number int, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Term(number)
		if err != nil {
			return err
		}
		if err := tx.DeleteTerm(number, version); err != nil {
			return err
		}
		return tx.Audit("delete", "term", strconv.Itoa(number), old, nil)
	})
}
