package store

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"

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
// instead of read rating by rating. The database sums by day; the days are
// folded into Jalali months here, since SQL knows no Jalali calendar (a
// year holds at most 366 days × 2 kinds of rows).
func (t *Tx) RatingMonths(program string, v domain.Viewer, from domain.Period) ([]domain.RatingMonth, error) {
	q := `SELECT g.rated_on, g.kind, SUM(g.score), COUNT(*) FROM ratings g JOIN projects p ON p.id = g.project_id
		WHERE g.rated_on >= ? AND ` + visibleSQL
	args := append([]any{from.Start().String()}, viewerArgs(v)...)
	if program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs pg ON pg.id = m.program_id WHERE m.project_id = p.id AND m.active AND pg.slug = ?)"
		args = append(args, program)
	}
	days, err := list(t, scanRatingDay, q+" GROUP BY g.rated_on, g.kind ORDER BY 1, 2", args...)
	if err != nil {
		return nil, err
	}
	var out []domain.RatingMonth
	at := map[[2]string]int{} // (period, kind) → index in out
	for _, d := range days {
		k := [2]string{string(d.Period), string(d.Kind)}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, domain.RatingMonth{Period: d.Period, Kind: d.Kind})
		}
		out[i].Sum += d.Sum
		out[i].N += d.N
	}
	slices.SortFunc(out, func(a, b domain.RatingMonth) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.Kind, b.Kind))
	})
	return out, nil
}

// scanRatingDay reads one day's sum as the sum of a part of its month.
func scanRatingDay(sc scanner) (domain.RatingMonth, error) {
	var m domain.RatingMonth
	var day string
	if err := sc.Scan(&day, &m.Kind, &m.Sum, &m.N); err != nil {
		return m, err
	}
	d, ok := isoDate(day)
	if !ok {
		return m, fmt.Errorf("ratings: day %q is not a date", day)
	}
	m.Period = domain.PeriodOf(d)
	return m, nil
}
