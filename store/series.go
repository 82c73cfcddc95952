package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
)

// Meeting series: the council's standing bodies whose sessions are
// numbered one after another (see meetings.go).

func (t *Tx) seriesID(field, code string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM meeting_series WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "دوره جلساتی با این کد ثبت نشده است: "+code, "no meeting series with this code is recorded: "+code)
	}
	return id, err
}

const seriesCols = "code, name_fa, name_en, kind, sources, version, created_at, updated_at"

func scanSeries(sc scanner) (*domain.Series, error) {
	var s domain.Series
	var sources, cat, uat string
	if err := sc.Scan(&s.Code, &s.Name.FA, &s.Name.EN, &s.Kind, &sources, &s.Version, &cat, &uat); err != nil {
		return nil, err
	}
	if err := scanJSON(sources, &s.Sources); err != nil {
		return nil, err
	}
	if len(s.Sources) == 0 {
		s.Sources = nil // none named: the field is left out
	}
	s.CreatedAt, s.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &s, nil
}

// InsertSeries adds a meeting series.
func (t *Tx) InsertSeries(s *domain.Series) error {
	_, err := t.insert(`INSERT INTO meeting_series (code, name_fa, name_en, kind, sources, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, s.Code, s.Name.FA, s.Name.EN, s.Kind, jsonArg(s.Sources), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("code", "دوره‌ای با این کد وجود دارد", "a series with this code exists")
		}
		return err
	}
	s.Version, s.CreatedAt, s.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateSeries replaces a series' name, kind and sources if its stored
// version is s.Version; its code, which prefixes its sessions' ids, stays.
func (t *Tx) UpdateSeries(s *domain.Series) error {
	res, err := t.exec(`UPDATE meeting_series SET name_fa = ?, name_en = ?, kind = ?, sources = ?, version = version + 1,
		updated_at = ? WHERE code = ? AND version = ?`, s.Name.FA, s.Name.EN, s.Kind, jsonArg(s.Sources), stamp(t.now), s.Code, s.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "meeting_series", "code", s.Code, "series "+s.Code); err != nil {
		return err
	}
	s.Version++
	s.UpdatedAt = t.now
	return nil
}

// Series returns the series with the code.
func (t *Tx) Series(code string) (*domain.Series, error) {
	s, err := scanSeries(t.row("SELECT "+seriesCols+" FROM meeting_series WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("code", "series")
	}
	return s, err
}

// SeriesList lists the series by code, one page at a time.
func (t *Tx) SeriesList(p domain.Page) ([]*domain.Series, error) {
	return list(t, scanSeries, "SELECT "+seriesCols+" FROM meeting_series WHERE code > ? ORDER BY code LIMIT ?", p.After, pageLimit(p))
}
