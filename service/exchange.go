package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/store"
)

// The exchange's registry (issue 15): the secretariat maps exchange
// identities to agencies and names services; a project's lead agency (or
// the secretariat) declares the integrations the project is to bring
// about. Every write is one audited transaction; a stale version is
// refused. The audit entries carry the records whole: they hold no
// personal data.

// mayReadExchange lets the secretariat read the exchange's registry: the
// identities and services name every agency's systems, including those of
// confidential projects.
func (a Actor) mayReadExchange() error {
	if a.Role == RoleAnonymous {
		return domain.Unauthorized()
	}
	if !a.isSecretariat() {
		return domain.Forbidden("این فهرست با دبیرخانه شورا است", "only the council's secretariat reads this list")
	}
	return nil
}

// Mappings lists the identities mapped to agencies (all, or one agency's).
func (s *Service) Mappings(ctx context.Context, a Actor, agency string) (out []*exchange.Mapping, err error) {
	if err := a.mayReadExchange(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Mappings(agency); return err })
	return out, err
}

// Mapping returns one identity's mapping.
func (s *Service) Mapping(ctx context.Context, a Actor, id exchange.Subsystem) (out *exchange.Mapping, err error) {
	if err := a.mayReadExchange(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Mapping(id); return err })
	return out, err
}

// SaveMapping maps an identity to an agency (create when m.Version is 0,
// else update at that version).
func (s *Service) SaveMapping(ctx context.Context, a Actor, m *exchange.Mapping) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if m.Version == 0 {
			if err := tx.InsertMapping(m); err != nil {
				return err
			}
			return tx.Audit("create", "exchange-identity", m.Subsystem.String(), nil, m)
		}
		old, err := tx.Mapping(m.Subsystem)
		if err != nil {
			return err
		}
		if err := tx.UpdateMapping(m); err != nil {
			return err
		}
		return tx.Audit("update", "exchange-identity", m.Subsystem.String(), old, m)
	})
}

// DeleteMapping removes a mapping; the identity's traffic stays, unmapped.
func (s *Service) DeleteMapping(ctx context.Context, a Actor, id exchange.Subsystem, version int64) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Mapping(id)
		if err != nil {
			return err
		}
		if err := tx.DeleteMapping(id, version); err != nil {
			return err
		}
		return tx.Audit("delete", "exchange-identity", id.String(), old, nil)
	})
}

// ExchangeServices lists the services recorded.
func (s *Service) ExchangeServices(ctx context.Context, a Actor) (out []*exchange.ServiceInfo, err error) {
	if err := a.mayReadExchange(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.ServiceInfos(); return err })
	return out, err
}

// SaveExchangeService records a service or renames it (at v.Version).
func (s *Service) SaveExchangeService(ctx context.Context, a Actor, v *exchange.ServiceInfo) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if v.Version == 0 {
			if err := tx.InsertService(v); err != nil {
				return err
			}
			return tx.Audit("create", "exchange-service", v.Service.String(), nil, v)
		}
		old, err := tx.ServiceInfo(v.Service)
		if err != nil {
			return err
		}
		if err := tx.UpdateService(v); err != nil {
			return err
		}
		return tx.Audit("update", "exchange-service", v.Service.String(), old, v)
	})
}

// Declared lists a project's declared integrations, as the actor may see
// the project (a hidden one is not found).
func (s *Service) Declared(ctx context.Context, a Actor, slug string) (out []*exchange.Declared, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Project(slug, a.Viewer()); err != nil {
			return err
		}
		out, err = tx.DeclaredOf(slug)
		return err
	})
	return out, err
}

// ownDeclared checks that the actor may change the project's declarations.
func ownDeclared(tx *store.Tx, a Actor, slug string) error {
	p, err := tx.Project(slug, a.Viewer())
	if err != nil {
		return err
	}
	return a.mustOwnProject(p)
}

// Declare records a project's integration; its lead agency or the
// secretariat may.
func (s *Service) Declare(ctx context.Context, a Actor, d *exchange.Declared) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := d.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := ownDeclared(tx, a, d.Project); err != nil {
			return err
		}
		if err := tx.InsertDeclared(d); err != nil {
			return err
		}
		return tx.Audit("create", "exchange-integration", strconv.FormatInt(d.ID, 10), nil, d)
	})
}

// UpdateDeclared changes a declaration's milestone, thresholds and note at
// d.Version.
func (s *Service) UpdateDeclared(ctx context.Context, a Actor, d *exchange.Declared) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Declared(d.ID)
		if err != nil {
			return err
		}
		if err := ownDeclared(tx, a, old.Project); err != nil {
			return err
		}
		d.Project, d.Integration = old.Project, old.Integration
		if err := d.Validate(); err != nil {
			return err
		}
		if err := tx.UpdateDeclared(d); err != nil {
			return err
		}
		return tx.Audit("update", "exchange-integration", strconv.FormatInt(d.ID, 10), old, d)
	})
}

// Undeclare removes a declaration at version.
func (s *Service) Undeclare(ctx context.Context, a Actor, id, version int64) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Declared(id)
		if err != nil {
			return err
		}
		if err := ownDeclared(tx, a, old.Project); err != nil {
			return err
		}
		if err := tx.DeleteDeclared(id, version); err != nil {
			return err
		}
		return tx.Audit("delete", "exchange-integration", strconv.FormatInt(id, 10), old, nil)
	})
}

// AllDeclared lists every project's declared integrations: for the
// secretariat (the telemetry generator runs traffic on them).
func (s *Service) AllDeclared(ctx context.Context, a Actor) (out []*exchange.Declared, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.DeclaredOf(); return err })
	return out, err
}
