package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
)

const termCols = "id, number, name_fa, name_en, start_on, end_on, sources, version, created_at, updated_at"

func scanTerm(sc scanner) (*domain.Term, int64, error) {
	var (
		t              domain.Term
		id             int64
		start, end     sql.NullString
		srcs, cat, uat string
	)
	if err := sc.Scan(&id, &t.Number, &t.Name.FA, &t.Name.EN, &start, &end, &srcs, &t.Version, &cat, &uat); err != nil {
		return nil, 0, err
	}
	t.Start, t.End = scanDate(start), scanDate(end)
	t.CreatedAt, t.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &t, id, scanJSON(srcs, &t.Sources)
}

// InsertTerm adds a government term.
func (t *Tx) InsertTerm(v *domain.Term) error {
	_, err := t.insert(`INSERT INTO terms (number, name_fa, name_en, start_on, end_on, sources, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		v.Number, v.Name.FA, v.Name.EN, dateArg(v.Start), dateArg(v.End), jsonArg(v.Sources), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("number", "این دولت پیش‌تر ثبت شده است", "this term is already recorded")
		}
		return err
	}
	v.Version, v.CreatedAt, v.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateTerm replaces a term's fields if its stored version is v.Version.
func (t *Tx) UpdateTerm(v *domain.Term) error {
	res, err := t.exec(`UPDATE terms SET name_fa = ?, name_en = ?, start_on = ?, end_on = ?, sources = ?,
		version = version + 1, updated_at = ? WHERE number = ? AND version = ?`,
		v.Name.FA, v.Name.EN, dateArg(v.Start), dateArg(v.End), jsonArg(v.Sources), stamp(t.now), v.Number, v.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "terms", "number", v.Number, "term"); err != nil {
		return err
	}
	v.Version++
	v.UpdatedAt = t.now
	return nil
}

// Term returns the term with the number.
func (t *Tx) Term(number int) (*domain.Term, error) {
	v, _, err := scanTerm(t.row("SELECT "+termCols+" FROM terms WHERE number = ?", number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("number", "term")
	}
	return v, err
}

func (t *Tx) termID(field string, number int) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM terms WHERE number = ?", number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "چنین دولتی ثبت نشده است", "no such government term is recorded")
	}
	return id, err
}

// Terms lists every term by number.
func (t *Tx) Terms() ([]*domain.Term, error) {
	out, _, err := listWithIDs(t, scanTerm, "SELECT "+termCols+" FROM terms ORDER BY number")
	return out, err
}

// DeleteTerm removes a term no program refers to.
func (t *Tx) DeleteTerm(number int, version int64) error {
	res, err := t.exec("DELETE FROM terms WHERE number = ? AND version = ?", number, version)
	if err != nil {
		return referenced(err, "دولت", "term")
	}
	return t.checkVersion(res, "terms", "number", number, "term")
}

func referenced(err error, fa, en string) error {
	if domain.IsKind(mapErr(err), domain.KindConflict) {
		return domain.Conflict("", "این "+fa+" در رکوردهای دیگر به کار رفته و حذف‌شدنی نیست", "this "+en+" is referenced by other records and cannot be deleted")
	}
	return err
}
