package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Follow-up records — milestones, indicators, progress reports and their
// review, evidence, ratings, baselines — feed progress_state, the
// per-project row of latest figures that health reads. Every write that can
// change a project's latest figures calls refreshState in the same
// transaction.

// FollowUpState is one project's latest follow-up figures, as kept in
// progress_state.
type FollowUpState struct {
	Project       string
	Baseline      int // the current baseline's number; 0: none
	PlannedStart  *domain.Date
	PlannedEnd    *domain.Date
	PlannedCost   int64
	ReportEvery   int   // months
	ReportID      int64 // the latest accepted report; 0: none
	Period        domain.Period
	ProjectedEnd  *domain.Date
	ProjectedCost *int64
	ActualCost    *int64
	Self          *int
	Council       *int
	CouncilPrev   *int
	MilestoneDue  *domain.Date // the earliest planned date of a milestone not done
}

// packedCols are progress_state's figures in the order of its packed
// column.
var packedCols = []string{"baseline_number", "planned_start", "planned_end", "planned_cost", "reporting_months",
	"report_id", "report_period", "projected_end", "projected_cost", "actual_cost", "self_score", "council_score",
	"council_prev", "milestone_due"}

// packedSQL is the expression that packs a progress_state row's figures.
func packedSQL() string {
	parts := make([]string, len(packedCols))
	for i, c := range packedCols {
		parts[i] = "COALESCE(CAST(" + c + " AS TEXT), '')"
	}
	return strings.Join(parts, " || '|' || ")
}

// unpack reads a packed row into s.
func (s *FollowUpState) unpack(packed string) {
	var f [14]string
	for i := range f {
		j := strings.IndexByte(packed, '|')
		if j < 0 {
			f[i] = packed
			break
		}
		f[i], packed = packed[:j], packed[j+1:]
	}
	num := func(x string) (int64, bool) {
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	date := func(x string) *domain.Date {
		if d, ok := isoDate(x); ok {
			return &d
		}
		return nil
	}
	small := func(x string) *int {
		if n, ok := num(x); ok {
			v := int(n)
			return &v
		}
		return nil
	}
	big := func(x string) *int64 {
		if n, ok := num(x); ok {
			return &n
		}
		return nil
	}
	n, _ := num(f[0])
	s.Baseline = int(n)
	s.PlannedStart, s.PlannedEnd = date(f[1]), date(f[2])
	s.PlannedCost, _ = num(f[3])
	s.ReportEvery = 1
	if n, ok := num(f[4]); ok {
		s.ReportEvery = int(n)
	}
	s.ReportID, _ = num(f[5])
	s.Period = domain.Period(f[6])
	s.ProjectedEnd, s.ProjectedCost, s.ActualCost = date(f[7]), big(f[8]), big(f[9])
	s.Self, s.Council, s.CouncilPrev = small(f[10]), small(f[11]), small(f[12])
	s.MilestoneDue = date(f[13])
}

// FollowUpStates returns the latest figures of the projects with the given
// slugs; projects with no follow-up record are left out. It reads
// progress_state alone, two columns a row.
func (t *Tx) FollowUpStates(slugs []string) (map[string]*FollowUpState, error) {
	out := make(map[string]*FollowUpState, len(slugs))
	want := keySet(slugs)
	err := inKeys(slugs, func(in string, args []any) error {
		q := `SELECT slug, packed FROM progress_state`
		if in != "" {
			q += ` WHERE slug IN ` + in
		}
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var slug, packed []byte
		for rows.Next() {
			if err := rows.Scan(&slug, &packed); err != nil {
				return err
			}
			if want != nil && !want[string(slug)] {
				continue
			}
			s := &FollowUpState{Project: string(slug)}
			s.unpack(string(packed))
			out[s.Project] = s
		}
		return rows.Err()
	})
	return out, err
}

// Lifecycles returns the lifecycle of each project with the given slugs.
func (t *Tx) Lifecycles(slugs []string) (map[string]domain.Lifecycle, error) {
	out := make(map[string]domain.Lifecycle, len(slugs))
	want := keySet(slugs)
	err := inKeys(slugs, func(in string, args []any) error {
		q := "SELECT slug, status FROM projects"
		if in != "" {
			q += " WHERE slug IN " + in
		}
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var l domain.Lifecycle
			if err := rows.Scan(&slug, &l); err != nil {
				return err
			}
			if want != nil && !want[slug] {
				continue
			}
			out[slug] = l
		}
		return rows.Err()
	})
	return out, err
}

// refreshState recomputes one project's row of latest figures (pid > 0), or
// every project's (pid == 0), from the records.
func (t *Tx) refreshState(pid int64) error {
	where, args := "", []any{}
	if pid > 0 {
		where, args = " WHERE project_id = ?", []any{pid}
		if _, err := t.exec(`INSERT INTO progress_state (project_id, slug) SELECT id, slug FROM projects WHERE id = ?
			ON CONFLICT (project_id) DO NOTHING`, pid); err != nil {
			return err
		}
	} else {
		if _, err := t.exec(`INSERT INTO progress_state (project_id, slug) SELECT p.id, p.slug FROM projects p WHERE
			EXISTS (SELECT 1 FROM baselines b WHERE b.project_id = p.id) OR EXISTS (SELECT 1 FROM reports r WHERE r.project_id = p.id)
			OR EXISTS (SELECT 1 FROM ratings g WHERE g.project_id = p.id) OR EXISTS (SELECT 1 FROM milestones m WHERE m.project_id = p.id)
			ON CONFLICT (project_id) DO NOTHING`); err != nil {
			return err
		}
	}
	const s = "progress_state.project_id"
	rating := func(kind, offset string) string {
		return `(SELECT g.score FROM ratings g WHERE g.project_id = ` + s + ` AND g.kind = '` + kind +
			`' ORDER BY g.rated_on DESC, g.id DESC LIMIT 1 OFFSET ` + offset + `)`
	}
	if _, err := t.exec(`UPDATE progress_state SET
		baseline_number = (SELECT MAX(b.number) FROM baselines b WHERE b.project_id = `+s+`),
		report_id = (SELECT r.id FROM reports r WHERE r.project_id = `+s+` AND r.state = 'accepted'
			ORDER BY r.period DESC, r.accepted_seq DESC, r.id DESC LIMIT 1),
		self_score = `+rating("self", "0")+`,
		council_score = `+rating("council", "0")+`,
		council_prev = `+rating("council", "1")+`,
		milestone_due = (SELECT MIN(m.planned_on) FROM milestones m WHERE m.project_id = `+s+` AND m.actual_on IS NULL)`+where, args...); err != nil {
		return err
	}
	base := func(col string) string {
		return `(SELECT b.` + col + ` FROM baselines b WHERE b.project_id = ` + s + ` AND b.number = progress_state.baseline_number)`
	}
	rep := func(col string) string {
		return `(SELECT r.` + col + ` FROM reports r WHERE r.id = progress_state.report_id)`
	}
	_, err := t.exec(`UPDATE progress_state SET
		planned_start = `+base("planned_start")+`, planned_end = `+base("planned_end")+`, planned_cost = `+base("planned_cost")+`,
		reporting_months = (SELECT CASE b.reporting WHEN 'quarterly' THEN 3 ELSE 1 END FROM baselines b
			WHERE b.project_id = `+s+` AND b.number = progress_state.baseline_number),
		report_period = `+rep("period")+`, projected_end = `+rep("projected_end")+`,
		projected_cost = `+rep("projected_cost")+`, actual_cost = `+rep("actual_cost")+where, args...)
	if err != nil {
		return err
	}
	_, err = t.exec("UPDATE progress_state SET packed = "+packedSQL()+where, args...)
	return err
}

// ProjectHead is a project's slug, title and lifecycle: what a status board
// lists beside each project's health.
type ProjectHead struct {
	Slug      string
	Title     domain.Text
	Lifecycle domain.Lifecycle
}

// ProjectHeads lists the projects the viewer may see, by slug, one page at
// a time: all of them, or the active members of a program, or those an
// agency is on. The caller checks the viewer may see the program.
func (t *Tx) ProjectHeads(program, agency string, v domain.Viewer, p domain.Page) ([]ProjectHead, error) {
	from, args := " FROM projects p WHERE", []any(nil)
	if agency != "" {
		// Start from the agency's few links, not from every project in
		// slug order with a test per row.
		from = ` FROM project_agencies fa CROSS JOIN projects p
			WHERE fa.agency_id = (SELECT id FROM agencies WHERE code = ?) AND p.id = fa.project_id AND`
		args = append(args, agency)
	}
	q := "SELECT p.slug, p.title_fa, p.title_en, p.status" + from + " p.slug > ? AND " + visibleSQL
	args = append(append(args, p.After), viewerArgs(v)...)
	if program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs g ON g.id = m.program_id WHERE m.project_id = p.id AND m.active AND g.slug = ?)"
		args = append(args, program)
	}
	return list(t, scanProjectHead, q+" ORDER BY p.slug LIMIT ?", append(args, pageLimit(p))...)
}

func scanProjectHead(sc scanner) (ProjectHead, error) {
	var h ProjectHead
	err := sc.Scan(&h.Slug, &h.Title.FA, &h.Title.EN, &h.Lifecycle)
	return h, err
}

// ReportHead returns an accepted report's period and agency: what a
// project's health names of its latest accepted report, without the
// report's lines and history. The caller has checked the viewer may see
// the project; an accepted report of a project is as public as it is.
func (t *Tx) ReportHead(id int64) (period domain.Period, agency string, err error) {
	err = t.row(`SELECT r.period, a.code FROM reports r JOIN agencies a ON a.id = r.agency_id
		WHERE r.id = ? AND r.state = 'accepted'`, id).Scan(&period, &agency)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", domain.NotFound("id", "report")
	}
	return period, agency, err
}
