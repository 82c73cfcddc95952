package store

import (
	"database/sql"
	"errors"

	"github.com/pishran/pishran/domain"
)

const lawCols = "id, slug, title_fa, title_en, number, approved_on, body_fa, body_en, articles, sources, version, created_at, updated_at"

func scanLaw(sc scanner) (*domain.Law, error) {
	var (
		l                    domain.Law
		id                   int64
		approved             sql.NullString
		arts, srcs, cat, uat string
	)
	if err := sc.Scan(&id, &l.Slug, &l.Title.FA, &l.Title.EN, &l.Number, &approved, &l.ApprovingBody.FA,
		&l.ApprovingBody.EN, &arts, &srcs, &l.Version, &cat, &uat); err != nil {
		return nil, err
	}
	l.Approved = scanDate(approved)
	l.CreatedAt, l.UpdatedAt = parseStamp(cat), parseStamp(uat)
	if err := scanJSON(arts, &l.Articles); err != nil {
		return nil, err
	}
	return &l, scanJSON(srcs, &l.Sources)
}

// InsertLaw adds a law.
func (t *Tx) InsertLaw(l *domain.Law) error {
	_, err := t.insert(`INSERT INTO laws (slug, title_fa, title_en, number, approved_on, body_fa, body_en, articles, sources, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		l.Slug, l.Title.FA, l.Title.EN, l.Number, dateArg(l.Approved), l.ApprovingBody.FA, l.ApprovingBody.EN,
		jsonArg(l.Articles), jsonArg(l.Sources), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("slug", "قانونی با این شناسه وجود دارد", "a law with this slug exists")
		}
		return err
	}
	l.Version, l.CreatedAt, l.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateLaw replaces a law's fields if its stored version is l.Version.
func (t *Tx) UpdateLaw(l *domain.Law) error {
	res, err := t.exec(`UPDATE laws SET title_fa = ?, title_en = ?, number = ?, approved_on = ?, body_fa = ?, body_en = ?,
		articles = ?, sources = ?, version = version + 1, updated_at = ? WHERE slug = ? AND version = ?`,
		l.Title.FA, l.Title.EN, l.Number, dateArg(l.Approved), l.ApprovingBody.FA, l.ApprovingBody.EN,
		jsonArg(l.Articles), jsonArg(l.Sources), stamp(t.now), l.Slug, l.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "laws", "slug", l.Slug, "law"); err != nil {
		return err
	}
	l.Version++
	l.UpdatedAt = t.now
	return nil
}

// Law returns the law with the slug.
func (t *Tx) Law(slug string) (*domain.Law, error) {
	l, err := scanLaw(t.row("SELECT "+lawCols+" FROM laws WHERE slug = ?", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("slug", "law")
	}
	return l, err
}

func (t *Tx) lawID(field, slug string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM laws WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "قانونی با این شناسه ثبت نشده است: "+slug, "no law with this slug is recorded: "+slug)
	}
	return id, err
}

// Laws lists laws by slug, one page at a time.
func (t *Tx) Laws(p domain.Page) ([]*domain.Law, error) {
	return list(t, scanLaw, "SELECT "+lawCols+" FROM laws WHERE slug > ? ORDER BY slug LIMIT ?", p.After, pageLimit(p))
}

// DeleteLaw removes a law no mandate refers to.
func (t *Tx) DeleteLaw(slug string, version int64) error {
	res, err := t.exec("DELETE FROM laws WHERE slug = ? AND version = ?", slug, version)
	if err != nil {
		return referenced(err, "قانون", "law")
	}
	return t.checkVersion(res, "laws", "slug", slug, "law")
}
