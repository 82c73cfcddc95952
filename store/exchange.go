package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
)

// The exchange's registry: identities mapped to agencies, services, and the
// integrations projects declare (migration 00020). Identities and services
// are keyed by X-Road's path forms (exchange.Subsystem.String,
// exchange.Service.String).

const mappingCols = `s.instance, s.member_class, s.member_code, s.subsystem, a.code, s.name_fa, s.name_en, s.version, s.created_at, s.updated_at`

func scanMapping(sc scanner) (*exchange.Mapping, error) {
	var (
		m        exchange.Mapping
		cat, uat string
	)
	if err := sc.Scan(&m.Subsystem.Instance, &m.Subsystem.Class, &m.Subsystem.Member.Code, &m.Subsystem.Code, &m.Agency,
		&m.Name.FA, &m.Name.EN, &m.Version, &cat, &uat); err != nil {
		return nil, err
	}
	m.CreatedAt, m.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &m, nil
}

func subsystemArgs(s exchange.Subsystem) []any {
	return []any{s.Instance, s.Class, s.Member.Code, s.Code}
}

// InsertMapping maps an exchange identity to an agency.
func (t *Tx) InsertMapping(m *exchange.Mapping) error {
	aid, err := t.agencyID("agency", m.Agency)
	if err != nil {
		return err
	}
	args := append(subsystemArgs(m.Subsystem), aid, m.Name.FA, m.Name.EN, stamp(t.now), stamp(t.now))
	if _, err := t.insert(`INSERT INTO exchange_subsystems (instance, member_class, member_code, subsystem, agency_id, name_fa, name_en, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, args...); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("identity", "این شناسه تبادل پیش‌تر به دستگاهی نگاشته شده است", "this exchange identity is mapped already")
		}
		return err
	}
	m.Version, m.CreatedAt, m.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateMapping changes a mapping's agency and name if its stored version
// is m.Version.
func (t *Tx) UpdateMapping(m *exchange.Mapping) error {
	aid, err := t.agencyID("agency", m.Agency)
	if err != nil {
		return err
	}
	args := append([]any{aid, m.Name.FA, m.Name.EN, stamp(t.now)}, subsystemArgs(m.Subsystem)...)
	res, err := t.exec(`UPDATE exchange_subsystems SET agency_id = ?, name_fa = ?, name_en = ?, version = version + 1, updated_at = ?
		WHERE instance = ? AND member_class = ? AND member_code = ? AND subsystem = ? AND version = ?`, append(args, m.Version)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		if _, err := t.Mapping(m.Subsystem); err != nil {
			return err
		}
		return domain.Stale("exchange identity")
	}
	m.Version++
	m.UpdatedAt = t.now
	return nil
}

// DeleteMapping removes a mapping; the traffic of the identity stays.
func (t *Tx) DeleteMapping(s exchange.Subsystem, version int64) error {
	res, err := t.exec(`DELETE FROM exchange_subsystems WHERE instance = ? AND member_class = ? AND member_code = ? AND subsystem = ? AND version = ?`,
		append(subsystemArgs(s), version)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		if _, err := t.Mapping(s); err != nil {
			return err
		}
		return domain.Stale("exchange identity")
	}
	return nil
}

// Mapping returns the mapping of an identity.
func (t *Tx) Mapping(s exchange.Subsystem) (*exchange.Mapping, error) {
	m, err := scanMapping(t.row(`SELECT `+mappingCols+` FROM exchange_subsystems s JOIN agencies a ON a.id = s.agency_id
		WHERE s.instance = ? AND s.member_class = ? AND s.member_code = ? AND s.subsystem = ?`, subsystemArgs(s)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("identity", "exchange identity")
	}
	return m, err
}

// Mappings lists every mapping, or an agency's when agency is set.
func (t *Tx) Mappings(agency string) ([]*exchange.Mapping, error) {
	q := `SELECT ` + mappingCols + ` FROM exchange_subsystems s JOIN agencies a ON a.id = s.agency_id`
	if agency != "" {
		return list(t, scanMapping, q+` WHERE a.code = ? ORDER BY s.instance, s.member_class, s.member_code, s.subsystem`, agency)
	}
	return list(t, scanMapping, q+` ORDER BY s.instance, s.member_class, s.member_code, s.subsystem`)
}

const serviceCols = `instance, member_class, member_code, subsystem, service_code, service_version, title_fa, title_en, version, created_at, updated_at`

func scanServiceInfo(sc scanner) (*exchange.ServiceInfo, error) {
	var (
		s        exchange.ServiceInfo
		cat, uat string
	)
	p := &s.Service.Provider
	if err := sc.Scan(&p.Instance, &p.Class, &p.Member.Code, &p.Code, &s.Service.Code, &s.Service.Version,
		&s.Title.FA, &s.Title.EN, &s.Version, &cat, &uat); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &s, nil
}

func serviceArgs(s exchange.Service) []any {
	return append(subsystemArgs(s.Provider), s.Code, s.Version)
}

const serviceWhere = ` WHERE instance = ? AND member_class = ? AND member_code = ? AND subsystem = ? AND service_code = ? AND service_version = ?`

// InsertService records a service of a provider subsystem.
func (t *Tx) InsertService(s *exchange.ServiceInfo) error {
	args := append(serviceArgs(s.Service), s.Title.FA, s.Title.EN, stamp(t.now), stamp(t.now))
	if _, err := t.insert(`INSERT INTO exchange_services (instance, member_class, member_code, subsystem, service_code, service_version, title_fa, title_en, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, args...); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("service", "این خدمت پیش‌تر ثبت شده است", "this service is recorded already")
		}
		return err
	}
	s.Version, s.CreatedAt, s.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateService changes a service's title if its stored version is s.Version.
func (t *Tx) UpdateService(s *exchange.ServiceInfo) error {
	args := append([]any{s.Title.FA, s.Title.EN, stamp(t.now)}, serviceArgs(s.Service)...)
	res, err := t.exec(`UPDATE exchange_services SET title_fa = ?, title_en = ?, version = version + 1, updated_at = ?`+serviceWhere+` AND version = ?`,
		append(args, s.Version)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		if _, err := t.ServiceInfo(s.Service); err != nil {
			return err
		}
		return domain.Stale("exchange service")
	}
	s.Version++
	s.UpdatedAt = t.now
	return nil
}

// ServiceInfo returns a recorded service.
func (t *Tx) ServiceInfo(s exchange.Service) (*exchange.ServiceInfo, error) {
	out, err := scanServiceInfo(t.row(`SELECT `+serviceCols+` FROM exchange_services`+serviceWhere, serviceArgs(s)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("service", "exchange service")
	}
	return out, err
}

// ServiceInfos lists every recorded service.
func (t *Tx) ServiceInfos() ([]*exchange.ServiceInfo, error) {
	return list(t, scanServiceInfo, `SELECT `+serviceCols+` FROM exchange_services
		ORDER BY instance, member_class, member_code, subsystem, service_code, service_version`)
}
