package store

import (
	"database/sql"
	"fmt"

	"github.com/pishran/pishran/domain"
)

// Ratings of a project (self-assessed and the council's), and their sums by
// month for the dashboard.

// InsertRating appends a rating to a project's history.
func (t *Tx) InsertRating(r *domain.Rating) error {
	pid, err := t.projectID("project", r.Project)
	if err != nil {
		return err
	}
	var agency any
	if r.Agency != "" {
		id, err := t.agencyID("agency", r.Agency)
		if err != nil {
			return err
		}
		agency = id
	}
	r.RecordedAt = t.now
	r.ID, err = t.insert(`INSERT INTO ratings (project_id, kind, score, agency_id, rated_on, comment_fa, comment_en, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, pid, r.Kind, r.Score, agency, dateArg(r.Date), r.Comment.FA, r.Comment.EN,
		stamp(t.now), r.RecordedBy)
	if err != nil {
		return err
	}
	return t.refreshState(pid)
}

// Ratings lists a project's ratings, newest first.
func (t *Tx) Ratings(project string) ([]*domain.Rating, error) {
	return orEmpty(list(t, scanRating, `SELECT g.id, p.slug, g.kind, g.score, COALESCE(a.code, ''), g.rated_on, g.comment_fa, g.comment_en,
		g.recorded_at, g.recorded_by FROM ratings g JOIN projects p ON p.id = g.project_id LEFT JOIN agencies a ON a.id = g.agency_id
		WHERE p.slug = ? ORDER BY g.rated_on DESC, g.id DESC`, project))
}

func scanRating(sc scanner) (*domain.Rating, error) {
	var r domain.Rating
	var on sql.NullString
	var at string
	if err := sc.Scan(&r.ID, &r.Project, &r.Kind, &r.Score, &r.Agency, &on, &r.Comment.FA, &r.Comment.EN, &at, &r.RecordedBy); err != nil {
		return nil, err
	}
	r.Date, r.RecordedAt = scanDate(on), parseStamp(at)
	return &r, nil
}

// RatingMonths sums, month by month from the period from on, the ratings of
// the projects the viewer may see (all of them, or a program's active
// members): the dashboard's ratings over time, counted in the database
// instead of read rating by rating.
func (t *Tx) RatingMonths(program string, v domain.Viewer, from domain.Period) ([]domain.RatingMonth, error) {
	q := `SELECT substr(g.rated_on, 1, 7), g.kind, SUM(g.score), COUNT(*) FROM ratings g JOIN projects p ON p.id = g.project_id
		WHERE g.rated_on >= ? AND ` + visibleSQL
	args := append([]any{string(from) + "-01"}, viewerArgs(v)...)
	if program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs pg ON pg.id = m.program_id WHERE m.project_id = p.id AND m.active AND pg.slug = ?)"
		args = append(args, program)
	}
	return list(t, scanRatingMonth, q+" GROUP BY substr(g.rated_on, 1, 7), g.kind ORDER BY 1, 2", args...)
}

func scanRatingMonth(sc scanner) (domain.RatingMonth, error) {
	var m domain.RatingMonth
	var month string
	if err := sc.Scan(&month, &m.Kind, &m.Sum, &m.N); err != nil {
		return m, err
	}
	p, err := domain.ParsePeriod(month)
	if err != nil {
		return m, fmt.Errorf("ratings: month %q: %w", month, err)
	}
	m.Period = p
	return m, nil
}
