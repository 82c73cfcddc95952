package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
)

const agencyCols = "a.id, a.code, a.name_fa, a.name_en, a.kind, COALESCE(p.code, ''), a.sources, a.version, a.created_at, a.updated_at"
const agencyFrom = " FROM agencies a LEFT JOIN agencies p ON p.id = a.parent_id"

func scanAgency(sc scanner) (*domain.Agency, error) {
	var (
		a              domain.Agency
		id             int64
		srcs, cat, uat string
	)
	if err := sc.Scan(&id, &a.Code, &a.Name.FA, &a.Name.EN, &a.Kind, &a.Parent, &srcs, &a.Version, &cat, &uat); err != nil {
		return nil, err
	}
	a.CreatedAt, a.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &a, scanJSON(srcs, &a.Sources)
}

func (t *Tx) agencyID(field, code string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM agencies WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "دستگاهی با این کد ثبت نشده است: "+code, "no agency with this code is recorded: "+code)
	}
	return id, err
}

func (t *Tx) parentID(a *domain.Agency) (any, error) {
	if a.Parent == "" {
		return nil, nil
	}
	id, err := t.agencyID("parent", a.Parent)
	if err != nil {
		return nil, err
	}
	// Refuse cycles: walk up from the new parent; reaching a.Code closes a loop.
	cur := id
	for i := 0; i < 100; i++ {
		var code string
		var next sql.NullInt64
		if err := t.row("SELECT code, parent_id FROM agencies WHERE id = ?", cur).Scan(&code, &next); err != nil {
			return nil, err
		}
		if code == a.Code {
			return nil, domain.Invalid("parent", "این والد یک چرخه می‌سازد", "this parent would make a cycle")
		}
		if !next.Valid {
			break
		}
		cur = next.Int64
	}
	return id, nil
}

// InsertAgency adds an agency.
func (t *Tx) InsertAgency(a *domain.Agency) error {
	parent, err := t.parentID(a)
	if err != nil {
		return err
	}
	_, err = t.insert(`INSERT INTO agencies (code, name_fa, name_en, kind, parent_id, sources, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		a.Code, a.Name.FA, a.Name.EN, a.Kind, parent, jsonArg(a.Sources), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("code", "دستگاهی با این کد وجود دارد", "an agency with this code exists")
		}
		return err
	}
	a.Version, a.CreatedAt, a.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateAgency replaces an agency's fields if its stored version is a.Version.
func (t *Tx) UpdateAgency(a *domain.Agency) error {
	parent, err := t.parentID(a)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE agencies SET name_fa = ?, name_en = ?, kind = ?, parent_id = ?, sources = ?,
		version = version + 1, updated_at = ? WHERE code = ? AND version = ?`,
		a.Name.FA, a.Name.EN, a.Kind, parent, jsonArg(a.Sources), stamp(t.now), a.Code, a.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "agencies", "code", a.Code, "agency"); err != nil {
		return err
	}
	a.Version++
	a.UpdatedAt = t.now
	return nil
}

// Agency returns the agency with the code.
func (t *Tx) Agency(code string) (*domain.Agency, error) {
	a, err := scanAgency(t.row("SELECT "+agencyCols+agencyFrom+" WHERE a.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("code", "agency")
	}
	return a, err
}

// Agencies lists agencies by code, one page at a time.
func (t *Tx) Agencies(p domain.Page) ([]*domain.Agency, error) {
	return list(t, scanAgency, "SELECT "+agencyCols+agencyFrom+" WHERE a.code > ? ORDER BY a.code LIMIT ?", p.After, pageLimit(p))
}

// DeleteAgency removes an agency nothing refers to.
func (t *Tx) DeleteAgency(code string, version int64) error {
	res, err := t.exec("DELETE FROM agencies WHERE code = ? AND version = ?", code, version)
	if err != nil {
		return referenced(err, "دستگاه", "agency")
	}
	return t.checkVersion(res, "agencies", "code", code, "agency")
}
