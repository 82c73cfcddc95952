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

const seriesCols = "code, name_fa, name_en, kind, version, created_at, updated_at"

func scanSeries(sc scanner) (*domain.Series, error) {
	var s domain.Series
	var cat, uat string
	if err := sc.Scan(&s.Code, &s.Name.FA, &s.Name.EN, &s.Kind, &s.Version, &cat, &uat); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &s, nil
}

// InsertSeries adds a meeting series.
func (t *Tx) InsertSeries(s *domain.Series) error {
	_, err := t.insert(`INSERT INTO meeting_series (code, name_fa, name_en, kind, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?)`, s.Code, s.Name.FA, s.Name.EN, s.Kind, stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("code", "دوره‌ای با این کد وجود دارد", "a series with this code exists")
		}
		return err
	}
	s.Version, s.CreatedAt, s.UpdatedAt = 1, t.now, t.now
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
