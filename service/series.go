package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// SeriesList lists meeting series. Public.
func (s *Service) SeriesList(ctx context.Context, p domain.Page) (out []*domain.Series, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.SeriesList(p); return err })
	return out, err
}

// Series returns one series. Public.
func (s *Service) Series(ctx context.Context, code string) (out *domain.Series, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Series(code); return err })
	return out, err
}

// CreateSeries records a meeting series.
func (s *Service) CreateSeries(ctx context.Context, a Actor, v *domain.Series) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertSeries(v); err != nil {
			return err
		}
		return auditState(tx, "create", "series", v.Code, nil)
	})
}

// UpdateSeries replaces a series' name, kind and sources; version is the
// one the caller read (412 when stale). Its code, which prefixes its
// sessions' ids, never changes.
func (s *Service) UpdateSeries(ctx context.Context, a Actor, code string, version int64, v *domain.Series) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	v.Code = code
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Series(code)
		if err != nil {
			return err
		}
		v.Version = version
		if err := tx.UpdateSeries(v); err != nil {
			return err
		}
		return auditState(tx, "update", "series", code, old)
	})
}
