package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Follow-up records: milestones, indicators, progress reports and their
// review, evidence, ratings, baselines — and progress_state, the per-project
// row of latest figures that health reads. Every write that can change a
// project's latest figures calls refreshState in the same transaction.

// ---- milestones ----

// InsertMilestone adds a milestone to a project.
func (t *Tx) InsertMilestone(m *domain.Milestone) error {
	pid, err := t.projectID("project", m.Project)
	if err != nil {
		return err
	}
	m.ID, err = t.insert(`INSERT INTO milestones (project_id, title_fa, title_en, planned_on, weight, actual_on, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, pid, m.Title.FA, m.Title.EN, dateArg(m.Planned), m.Weight, dateArg(m.Actual),
		stamp(t.now), stamp(t.now))
	if err != nil {
		return err
	}
	m.Version, m.CreatedAt, m.UpdatedAt = 1, t.now, t.now
	return t.refreshState(pid)
}

// Milestones lists a project's milestones by planned date.
func (t *Tx) Milestones(project string) ([]*domain.Milestone, error) {
	rows, err := t.query(`SELECT m.id, p.slug, m.title_fa, m.title_en, m.planned_on, m.weight, m.actual_on, m.percent,
		m.version, m.created_at, m.updated_at FROM milestones m JOIN projects p ON p.id = m.project_id
		WHERE p.slug = ? ORDER BY m.planned_on, m.id`, project)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Milestone{}
	for rows.Next() {
		var m domain.Milestone
		var planned, actual sql.NullString
		var cat, uat string
		if err := rows.Scan(&m.ID, &m.Project, &m.Title.FA, &m.Title.EN, &planned, &m.Weight, &actual, &m.Percent,
			&m.Version, &cat, &uat); err != nil {
			return nil, err
		}
		m.Planned, m.Actual = scanDate(planned), scanDate(actual)
		m.CreatedAt, m.UpdatedAt = parseStamp(cat), parseStamp(uat)
		out = append(out, &m)
	}
	return out, rows.Err()
}

// ---- indicators ----

// InsertKPI adds an indicator to a project.
func (t *Tx) InsertKPI(k *domain.KPI) error {
	pid, err := t.projectID("project", k.Project)
	if err != nil {
		return err
	}
	k.ID, err = t.insert(`INSERT INTO kpis (project_id, name_fa, name_en, unit, target, direction, frequency, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, pid, k.Name.FA, k.Name.EN, k.Unit, k.Target, k.Direction, k.Frequency,
		stamp(t.now), stamp(t.now))
	if err != nil {
		return err
	}
	k.Version, k.CreatedAt, k.UpdatedAt = 1, t.now, t.now
	return nil
}

// KPIs lists a project's indicators, each with its latest accepted value.
func (t *Tx) KPIs(project string) ([]*domain.KPI, error) {
	rows, err := t.query(`SELECT k.id, p.slug, k.name_fa, k.name_en, k.unit, k.target, k.direction, k.frequency,
		k.latest_value, COALESCE(k.latest_period, ''), k.version, k.created_at, k.updated_at
		FROM kpis k JOIN projects p ON p.id = k.project_id WHERE p.slug = ? ORDER BY k.id`, project)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.KPI{}
	for rows.Next() {
		var k domain.KPI
		var latest sql.NullFloat64
		var cat, uat string
		if err := rows.Scan(&k.ID, &k.Project, &k.Name.FA, &k.Name.EN, &k.Unit, &k.Target, &k.Direction, &k.Frequency,
			&latest, &k.LatestPeriod, &k.Version, &cat, &uat); err != nil {
			return nil, err
		}
		if latest.Valid {
			v := latest.Float64
			met := k.MetBy(v)
			k.Latest, k.Met = &v, &met
		}
		k.CreatedAt, k.UpdatedAt = parseStamp(cat), parseStamp(uat)
		out = append(out, &k)
	}
	return out, rows.Err()
}

// ---- reports ----

const reportCols = `r.id, p.slug, a.code, r.period, r.state, r.narrative_fa, r.narrative_en, r.risks,
	r.projected_end, r.projected_cost, r.actual_cost, r.version, r.created_at, r.updated_at`
const reportFrom = ` FROM reports r JOIN projects p ON p.id = r.project_id JOIN agencies a ON a.id = r.agency_id`

func scanReport(sc interface{ Scan(...any) error }) (*domain.Report, error) {
	var (
		r            domain.Report
		end          sql.NullString
		pc, ac       sql.NullInt64
		risks        string
		cat, uat     string
		period, stat string
	)
	if err := sc.Scan(&r.ID, &r.Project, &r.Agency, &period, &stat, &r.Narrative.FA, &r.Narrative.EN, &risks,
		&end, &pc, &ac, &r.Version, &cat, &uat); err != nil {
		return nil, err
	}
	r.Period, r.State = domain.Period(period), domain.ReportState(stat)
	r.ProjectedEnd = scanDate(end)
	if pc.Valid {
		r.ProjectedCost = &pc.Int64
	}
	if ac.Valid {
		r.ActualCost = &ac.Int64
	}
	r.CreatedAt, r.UpdatedAt = parseStamp(cat), parseStamp(uat)
	r.Milestones, r.KPIs, r.Evidence = []domain.MilestoneProgress{}, []domain.KPIValue{}, []domain.Evidence{}
	if err := scanJSON(risks, &r.Risks); err != nil {
		return nil, err
	}
	if r.Risks == nil {
		r.Risks = []domain.Risk{}
	}
	return &r, nil
}

// reportVisible is a condition on reports r joined to projects p: until a
// report is accepted it is between its agency and the secretariat; once
// accepted, whoever may see the project may see it. Its three arguments
// come from reportViewerArgs.
const reportVisible = `(? OR ((r.state = 'accepted' OR a.code = ?) AND ` + visibleSQL + `))`

func reportViewerArgs(v Viewer) []any { return []any{v.All, v.Agency, v.All, v.Agency} }

// InsertReport adds a draft report and its first review event. Its agency
// is checked to be on the project by the caller; its milestones and
// indicators must be the project's.
func (t *Tx) InsertReport(r *domain.Report, by string) error {
	pid, err := t.projectID("project", r.Project)
	if err != nil {
		return err
	}
	aid, err := t.agencyID("agency", r.Agency)
	if err != nil {
		return err
	}
	r.ID, err = t.insert(`INSERT INTO reports (project_id, agency_id, period, state, narrative_fa, narrative_en, risks,
		projected_end, projected_cost, actual_cost, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, pid, aid, string(r.Period), domain.ReportDraft,
		r.Narrative.FA, r.Narrative.EN, jsonArg(r.Risks), dateArg(r.ProjectedEnd), r.ProjectedCost, r.ActualCost,
		stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("period", "این دستگاه برای این دوره پیش‌تر گزارش داده است",
				"this agency already has a report on this project for this period")
		}
		return err
	}
	if err := t.writeReportLines(r.ID, pid, r); err != nil {
		return err
	}
	r.State, r.Version, r.CreatedAt, r.UpdatedAt = domain.ReportDraft, 1, t.now, t.now
	return t.appendReview(r.ID, domain.ReviewEvent{Type: domain.ReviewCreated, To: domain.ReportDraft, By: by})
}

// writeReportLines replaces a report's milestone progress and indicator
// values, checking each belongs to the report's project.
func (t *Tx) writeReportLines(id, pid int64, r *domain.Report) error {
	for _, table := range []string{"report_milestones", "report_kpis"} {
		if _, err := t.exec("DELETE FROM "+table+" WHERE report_id = ?", id); err != nil {
			return err
		}
	}
	for i, m := range r.Milestones {
		f := "milestones[" + strconv.Itoa(i) + "].milestone"
		if err := t.belongs("milestones", m.Milestone, pid, f, "نقطه عطف", "milestone"); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO report_milestones (report_id, milestone_id, seq, percent, done_on) VALUES (?, ?, ?, ?, ?)`,
			id, m.Milestone, i, m.Percent, dateArg(m.Done)); err != nil {
			return err
		}
	}
	for i, k := range r.KPIs {
		f := "kpis[" + strconv.Itoa(i) + "].kpi"
		if err := t.belongs("kpis", k.KPI, pid, f, "شاخص", "indicator"); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO report_kpis (report_id, kpi_id, seq, value) VALUES (?, ?, ?, ?)`,
			id, k.KPI, i, k.Value); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tx) belongs(table string, id, pid int64, field, fa, en string) error {
	var owner int64
	err := t.row("SELECT project_id FROM "+table+" WHERE id = ?", id).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != pid) {
		return domain.Invalid(field, fa+" "+strconv.FormatInt(id, 10)+" از آن این پروژه نیست",
			en+" "+strconv.FormatInt(id, 10)+" is not one of this project's")
	}
	return err
}

// UpdateReport replaces an editable report's content if its stored version
// is r.Version. Project and agency never change.
func (t *Tx) UpdateReport(r *domain.Report, by string) error {
	var pid int64
	if err := t.row("SELECT project_id FROM reports WHERE id = ?", r.ID).Scan(&pid); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("id", "report")
		}
		return err
	}
	res, err := t.exec(`UPDATE reports SET period = ?, narrative_fa = ?, narrative_en = ?, risks = ?, projected_end = ?,
		projected_cost = ?, actual_cost = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ? AND state IN ('draft', 'returned')`,
		string(r.Period), r.Narrative.FA, r.Narrative.EN, jsonArg(r.Risks), dateArg(r.ProjectedEnd),
		r.ProjectedCost, r.ActualCost, stamp(t.now), r.ID, r.Version)
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("period", "این دستگاه برای این دوره پیش‌تر گزارش داده است",
				"this agency already has a report on this project for this period")
		}
		return err
	}
	if err := t.checkVersion(res, "reports", "id", r.ID, "report"); err != nil {
		return err
	}
	if err := t.writeReportLines(r.ID, pid, r); err != nil {
		return err
	}
	r.Version++
	r.UpdatedAt = t.now
	return t.appendReview(r.ID, domain.ReviewEvent{Type: domain.ReviewEdited, From: r.State, To: r.State, By: by})
}

// Transition moves a report from one state to another if its stored
// version is version, and appends the review event. Accepting it refreshes
// the project's latest figures, milestones and indicators.
func (t *Tx) Transition(id, version int64, ev domain.ReviewEvent) error {
	seq := "accepted_seq"
	if ev.To == domain.ReportAccepted {
		seq = "(SELECT COALESCE(MAX(x.accepted_seq), 0) + 1 FROM reports x WHERE x.project_id = reports.project_id)"
	}
	res, err := t.exec(`UPDATE reports SET state = ?, accepted_seq = `+seq+`, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ? AND state = ?`, ev.To, stamp(t.now), id, version, ev.From)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "reports", "id", id, "report"); err != nil {
		return err
	}
	if err := t.appendReview(id, ev); err != nil {
		return err
	}
	if ev.To != domain.ReportAccepted {
		return nil
	}
	// The milestones and indicators this report speaks of take the word of
	// the latest accepted report on each (by period, then acceptance); a
	// milestone is done on the earliest done date an accepted report gives.
	const order = ` AND r.state = 'accepted' ORDER BY r.period DESC, r.accepted_seq DESC, r.id DESC LIMIT 1)`
	if _, err := t.exec(`UPDATE milestones SET
		percent = COALESCE((SELECT v.percent FROM report_milestones v JOIN reports r ON r.id = v.report_id
			WHERE v.milestone_id = milestones.id`+order+`, percent),
		actual_on = COALESCE(actual_on, (SELECT MIN(v.done_on) FROM report_milestones v JOIN reports r ON r.id = v.report_id
			WHERE v.milestone_id = milestones.id AND r.state = 'accepted')),
		updated_at = ? WHERE id IN (SELECT milestone_id FROM report_milestones WHERE report_id = ?)`, stamp(t.now), id); err != nil {
		return err
	}
	if _, err := t.exec(`UPDATE kpis SET
		latest_value = (SELECT v.value FROM report_kpis v JOIN reports r ON r.id = v.report_id WHERE v.kpi_id = kpis.id`+order+`,
		latest_period = (SELECT r.period FROM report_kpis v JOIN reports r ON r.id = v.report_id WHERE v.kpi_id = kpis.id`+order+`,
		updated_at = ? WHERE id IN (SELECT kpi_id FROM report_kpis WHERE report_id = ?)`, stamp(t.now), id); err != nil {
		return err
	}
	var pid int64
	if err := t.row("SELECT project_id FROM reports WHERE id = ?", id).Scan(&pid); err != nil {
		return err
	}
	return t.refreshState(pid)
}

func (t *Tx) appendReview(id int64, ev domain.ReviewEvent) error {
	_, err := t.exec(`INSERT INTO report_events (report_id, type, from_state, to_state, comment_fa, comment_en, at, by_whom)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, ev.Type, ev.From, ev.To, ev.Comment.FA, ev.Comment.EN, stamp(t.now), ev.By)
	return err
}

// Report returns one report with its lines, evidence and review history, if
// the viewer may see it.
func (t *Tx) Report(id int64, v Viewer) (*domain.Report, error) {
	r, err := scanReport(t.row("SELECT "+reportCols+reportFrom+" WHERE r.id = ? AND "+reportVisible,
		append([]any{id}, reportViewerArgs(v)...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("id", "report")
	}
	if err != nil {
		return nil, err
	}
	if err := t.loadReportLines(map[int64]*domain.Report{id: r}); err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT type, from_state, to_state, comment_fa, comment_en, at, by_whom FROM report_events
		WHERE report_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	r.Events = []domain.ReviewEvent{}
	for rows.Next() {
		var e domain.ReviewEvent
		var at string
		if err := rows.Scan(&e.Type, &e.From, &e.To, &e.Comment.FA, &e.Comment.EN, &at, &e.By); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		r.Events = append(r.Events, e)
	}
	return r, rows.Err()
}

// loadReportLines fills the milestone progress, indicator values and
// evidence (without content) of the given reports.
func (t *Tx) loadReportLines(byID map[int64]*domain.Report) error {
	if len(byID) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	in := "(" + strings.Join(ids, ",") + ")" // integers from the database: safe to inline
	rows, err := t.query(`SELECT report_id, milestone_id, percent, done_on FROM report_milestones WHERE report_id IN ` + in + ` ORDER BY report_id, seq`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var m domain.MilestoneProgress
		var done sql.NullString
		if err := rows.Scan(&id, &m.Milestone, &m.Percent, &done); err != nil {
			rows.Close()
			return err
		}
		m.Done = scanDate(done)
		byID[id].Milestones = append(byID[id].Milestones, m)
	}
	rows.Close()
	rows, err = t.query(`SELECT report_id, kpi_id, value FROM report_kpis WHERE report_id IN ` + in + ` ORDER BY report_id, seq`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var k domain.KPIValue
		if err := rows.Scan(&id, &k.KPI, &k.Value); err != nil {
			rows.Close()
			return err
		}
		byID[id].KPIs = append(byID[id].KPIs, k)
	}
	rows.Close()
	rows, err = t.query(`SELECT report_id, ` + evidenceCols + ` FROM evidence WHERE report_id IN ` + in + ` ORDER BY report_id, n`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		e, err := scanEvidence(rows, &id)
		if err != nil {
			return err
		}
		byID[id].Evidence = append(byID[id].Evidence, *e)
	}
	return rows.Err()
}

// Reports lists the reports the viewer may see, by id, one page at a time
// (Page.After is the last id seen), with their lines and evidence but not
// their review history.
func (t *Tx) Reports(f ReportFilter, v Viewer, p Page) ([]*domain.Report, error) {
	after, _ := strconv.ParseInt(p.After, 10, 64)
	q := "SELECT " + reportCols + reportFrom + " WHERE r.id > ? AND " + reportVisible
	args := append([]any{after}, reportViewerArgs(v)...)
	if f.Project != "" {
		q += " AND p.slug = ?"
		args = append(args, f.Project)
	}
	if f.Agency != "" {
		q += " AND a.code = ?"
		args = append(args, f.Agency)
	}
	if f.State != "" {
		q += " AND r.state = ?"
		args = append(args, f.State)
	}
	q += " ORDER BY r.id LIMIT ?"
	args = append(args, pageLimit(p))
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	var out []*domain.Report
	byID := map[int64]*domain.Report{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, t.loadReportLines(byID)
}

// ---- evidence ----

const evidenceCols = `n, kind, url, title_fa, title_en, name, content_type, size, sha256, added_at, added_by`

func scanEvidence(sc interface{ Scan(...any) error }, lead ...any) (*domain.Evidence, error) {
	var e domain.Evidence
	var at string
	dest := append(lead, &e.N, &e.Kind, &e.URL, &e.Title.FA, &e.Title.EN, &e.Name, &e.ContentType, &e.Size, &e.SHA256, &at, &e.AddedBy)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	e.AddedAt = parseStamp(at)
	return &e, nil
}

// MaxEvidence is the most evidence items one report may carry.
const MaxEvidence = 100

// AddEvidence attaches a link or a file to a report whose stored version is
// version, numbering it after the report's last, and bumps the report's
// version.
func (t *Tx) AddEvidence(id, version int64, e *domain.Evidence, content []byte) error {
	res, err := t.exec("UPDATE reports SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", stamp(t.now), id, version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "reports", "id", id, "report"); err != nil {
		return err
	}
	var n int
	if err := t.row("SELECT COALESCE(MAX(n), 0) FROM evidence WHERE report_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n >= MaxEvidence {
		return domain.Conflict("evidence", "این گزارش به سقف ۱۰۰ مدرک رسیده است", "this report already carries the most evidence items allowed (100)")
	}
	e.N, e.AddedAt = n+1, t.now
	var blob any
	if content != nil {
		blob = content
	}
	if _, err := t.exec(`INSERT INTO evidence (report_id, n, kind, url, title_fa, title_en, name, content_type, size, sha256, content, added_at, added_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, e.N, e.Kind, e.URL, e.Title.FA, e.Title.EN, e.Name, e.ContentType,
		e.Size, e.SHA256, blob, stamp(t.now), e.AddedBy); err != nil {
		return err
	}
	var state domain.ReportState
	if err := t.row("SELECT state FROM reports WHERE id = ?", id).Scan(&state); err != nil {
		return err
	}
	return t.appendReview(id, domain.ReviewEvent{Type: domain.ReviewEvidence, From: state, To: state, By: e.AddedBy,
		Comment: domain.T("مدرک "+strconv.Itoa(e.N)+" افزوده شد", "evidence "+strconv.Itoa(e.N)+" added")})
}

// EvidenceItem returns one evidence item of a report, with a file's content.
// The caller checks that the viewer may see the report.
func (t *Tx) EvidenceItem(id int64, n int) (*domain.Evidence, []byte, error) {
	var content []byte
	e, err := scanEvidence(t.row("SELECT content, "+evidenceCols+" FROM evidence WHERE report_id = ? AND n = ?", id, n), &content)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, domain.NotFound("n", "evidence")
	}
	return e, content, err
}

// ---- ratings ----

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
	rows, err := t.query(`SELECT g.id, p.slug, g.kind, g.score, COALESCE(a.code, ''), g.rated_on, g.comment_fa, g.comment_en,
		g.recorded_at, g.recorded_by FROM ratings g JOIN projects p ON p.id = g.project_id LEFT JOIN agencies a ON a.id = g.agency_id
		WHERE p.slug = ? ORDER BY g.rated_on DESC, g.id DESC`, project)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Rating{}
	for rows.Next() {
		var r domain.Rating
		var on sql.NullString
		var at string
		if err := rows.Scan(&r.ID, &r.Project, &r.Kind, &r.Score, &r.Agency, &on, &r.Comment.FA, &r.Comment.EN, &at, &r.RecordedBy); err != nil {
			return nil, err
		}
		r.Date, r.RecordedAt = scanDate(on), parseStamp(at)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// ---- baselines ----

// InsertBaseline records a project's next baseline. The first needs no
// reason; each later one must name the current one in Supersedes (a stale
// number is refused, so two re-baselinings cannot both land) and give a
// reason. Old baselines are kept.
func (t *Tx) InsertBaseline(b *domain.Baseline) error {
	pid, err := t.projectID("project", b.Project)
	if err != nil {
		return err
	}
	if err := t.lockRow("projects", pid); err != nil {
		return err
	}
	var cur int
	if err := t.row("SELECT COALESCE(MAX(number), 0) FROM baselines WHERE project_id = ?", pid).Scan(&cur); err != nil {
		return err
	}
	switch {
	case cur == 0 && b.Supersedes != 0:
		return domain.Invalid("supersedes", "این پروژه خط مبنایی ندارد که جایگزین شود", "this project has no baseline to supersede")
	case cur > 0 && b.Supersedes == 0:
		return domain.Invalid("supersedes", "بازتعیین خط مبنا باید شماره خط مبنای کنونی ("+strconv.Itoa(cur)+") را بگوید",
			"re-baselining must name the current baseline's number ("+strconv.Itoa(cur)+") in supersedes")
	case cur > 0 && b.Supersedes != cur:
		return domain.Stale("baseline " + strconv.Itoa(b.Supersedes) + " is no longer current; the current one is " + strconv.Itoa(cur))
	case cur > 0 && b.Reason.IsZero():
		return domain.Invalid("reason", "بازتعیین خط مبنا به دلیل نیاز دارد", "re-baselining needs a reason")
	}
	b.Number, b.RecordedAt = cur+1, t.now
	_, err = t.insert(`INSERT INTO baselines (project_id, number, planned_start, planned_end, planned_cost, currency, reporting,
		approved_by_fa, approved_by_en, approved_on, reference, reason_fa, reason_en, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, pid, b.Number, dateArg(b.Start), dateArg(b.End), b.Cost,
		b.Currency, b.Reporting, b.ApprovedBy.FA, b.ApprovedBy.EN, dateArg(b.Approved), b.Reference, b.Reason.FA, b.Reason.EN,
		stamp(t.now), b.RecordedBy)
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Stale("baseline")
		}
		return err
	}
	b.Current = true
	return t.refreshState(pid)
}

// Baselines lists a project's baselines, newest (the current one) first.
func (t *Tx) Baselines(project string) ([]*domain.Baseline, error) {
	rows, err := t.query(`SELECT p.slug, b.number, b.planned_start, b.planned_end, b.planned_cost, b.currency, b.reporting,
		b.approved_by_fa, b.approved_by_en, b.approved_on, b.reference, b.reason_fa, b.reason_en, b.recorded_at, b.recorded_by
		FROM baselines b JOIN projects p ON p.id = b.project_id WHERE p.slug = ? ORDER BY b.number DESC`, project)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Baseline{}
	for rows.Next() {
		var b domain.Baseline
		var start, end, appr sql.NullString
		var at string
		if err := rows.Scan(&b.Project, &b.Number, &start, &end, &b.Cost, &b.Currency, &b.Reporting, &b.ApprovedBy.FA,
			&b.ApprovedBy.EN, &appr, &b.Reference, &b.Reason.FA, &b.Reason.EN, &at, &b.RecordedBy); err != nil {
			return nil, err
		}
		b.Start, b.End, b.Approved, b.RecordedAt = scanDate(start), scanDate(end), scanDate(appr), parseStamp(at)
		out = append(out, &b)
	}
	for i, b := range out {
		b.Current = i == 0
		if i+1 < len(out) {
			b.Supersedes = out[i+1].Number
		}
	}
	return out, rows.Err()
}

// ---- latest figures ----

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

// inKeys runs fn over slugs in chunks, each with its "(?, ?, …)" list and
// arguments, keeping every statement well within both engines' limits.
func inKeys(slugs []string, fn func(in string, args []any) error) error {
	const chunk = 500
	if len(slugs) > wholeTable {
		// Thousands of slugs (the agenda builder's followed projects):
		// one pass over the table, kept by the caller's set, costs less
		// than binding them in chunks.
		return fn("", nil)
	}
	for len(slugs) > 0 {
		part := slugs[:min(chunk, len(slugs))]
		slugs = slugs[len(part):]
		args := make([]any, len(part))
		for i, s := range part {
			args[i] = s
		}
		if err := fn("(?"+strings.Repeat(", ?", len(part)-1)+")", args); err != nil {
			return err
		}
	}
	return nil
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

// wholeTable is the number of slugs above which a read by slug scans the
// whole table instead (see inKeys).
const wholeTable = 2000

// keySet is the set a whole-table read keeps rows by; nil when the read
// binds the slugs.
func keySet(slugs []string) map[string]bool {
	if len(slugs) <= wholeTable {
		return nil
	}
	m := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		m[s] = true
	}
	return m
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

// ---- bulk load ----

// insertRows inserts many rows with multi-row INSERT statements.
func (t *Tx) insertRows(table string, cols []string, rows [][]any) error {
	per := max(1, min(500, 30000/len(cols)))
	one := "(?" + strings.Repeat(", ?", len(cols)-1) + ")"
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	for len(rows) > 0 {
		part := rows[:min(per, len(rows))]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*len(cols))
		for _, r := range part {
			args = append(args, r...)
		}
		if _, err := t.exec(head+one+strings.Repeat(", "+one, len(part)-1), args...); err != nil {
			return err
		}
	}
	return nil
}

// LoadFollowUp inserts a batch of follow-up records in bulk — baselines
// numbered in the order given per project, milestones, accepted reports
// (each with its submitted and accepted review events) and ratings — and
// then recomputes every project's latest figures. It is the fast path the
// benchmarks load 200,000 reports through; the records must be valid.
func (t *Tx) LoadFollowUp(f *domain.FollowUp, by string) error {
	projects, agencies := map[string]int64{}, map[string]int64{}
	for _, m := range []struct {
		q  string
		to map[string]int64
	}{{"SELECT slug, id FROM projects", projects}, {"SELECT code, id FROM agencies", agencies}} {
		rows, err := t.query(m.q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return err
			}
			m.to[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	pid := func(field, slug string) (int64, error) {
		if id, ok := projects[slug]; ok {
			return id, nil
		}
		return 0, UnknownProject(field, slug)
	}
	aid := func(field, code string) (int64, error) {
		if id, ok := agencies[code]; ok {
			return id, nil
		}
		return 0, domain.Invalid(field, "دستگاهی با این کد ثبت نشده است: "+code, "no agency with this code is recorded: "+code)
	}
	now := stamp(t.now)

	numbers := map[int64]int{}
	var rows [][]any
	for i, b := range f.Baselines {
		p, err := pid("baselines["+strconv.Itoa(i)+"].project", b.Project)
		if err != nil {
			return err
		}
		if numbers[p] == 0 {
			var n0 int
			if err := t.row("SELECT COALESCE(MAX(number), 0) FROM baselines WHERE project_id = ?", p).Scan(&n0); err != nil {
				return err
			}
			numbers[p] = n0
		}
		numbers[p]++
		rows = append(rows, []any{p, numbers[p], dateArg(b.Start), dateArg(b.End), b.Cost, b.Currency, b.Reporting,
			b.ApprovedBy.FA, b.ApprovedBy.EN, dateArg(b.Approved), b.Reference, b.Reason.FA, b.Reason.EN, now, by})
	}
	if err := t.insertRows("baselines", []string{"project_id", "number", "planned_start", "planned_end", "planned_cost", "currency",
		"reporting", "approved_by_fa", "approved_by_en", "approved_on", "reference", "reason_fa", "reason_en", "recorded_at", "recorded_by"}, rows); err != nil {
		return err
	}

	rows = rows[:0]
	for i, m := range f.Milestones {
		p, err := pid("milestones["+strconv.Itoa(i)+"].project", m.Project)
		if err != nil {
			return err
		}
		pct := m.Percent
		if m.Actual != nil {
			pct = 100
		}
		rows = append(rows, []any{p, m.Title.FA, m.Title.EN, dateArg(m.Planned), m.Weight, dateArg(m.Actual), pct, now, now})
	}
	if err := t.insertRows("milestones", []string{"project_id", "title_fa", "title_en", "planned_on", "weight", "actual_on",
		"percent", "created_at", "updated_at"}, rows); err != nil {
		return err
	}

	var next int64
	if err := t.row("SELECT COALESCE(MAX(id), 0) FROM reports").Scan(&next); err != nil {
		return err
	}
	var seq int64
	if err := t.row("SELECT COALESCE(MAX(accepted_seq), 0) FROM reports").Scan(&seq); err != nil {
		return err
	}
	rows = rows[:0]
	var events [][]any
	for i, r := range f.Reports {
		at := "reports[" + strconv.Itoa(i) + "]"
		p, err := pid(at+".project", r.Project)
		if err != nil {
			return err
		}
		a, err := aid(at+".agency", r.Agency)
		if err != nil {
			return err
		}
		next++
		seq++
		rows = append(rows, []any{next, p, a, string(r.Period), domain.ReportAccepted, r.Narrative.FA, r.Narrative.EN,
			jsonArg(r.Risks), dateArg(r.ProjectedEnd), r.ProjectedCost, r.ActualCost, seq, 3, now, now})
		events = append(events,
			[]any{next, domain.ReviewSubmitted, domain.ReportDraft, domain.ReportSubmitted, "", "", now, by},
			[]any{next, domain.ReviewAccepted, domain.ReportSubmitted, domain.ReportAccepted, "", "", now, by})
	}
	if err := t.insertRows("reports", []string{"id", "project_id", "agency_id", "period", "state", "narrative_fa", "narrative_en",
		"risks", "projected_end", "projected_cost", "actual_cost", "accepted_seq", "version", "created_at", "updated_at"}, rows); err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("reports", "گزارش تکراری برای یک پروژه، دوره و دستگاه", "a duplicate report for one project, period and agency")
		}
		return err
	}
	if err := t.insertRows("report_events", []string{"report_id", "type", "from_state", "to_state", "comment_fa", "comment_en",
		"at", "by_whom"}, events); err != nil {
		return err
	}
	if t.db.engine == Postgres && len(f.Reports) > 0 {
		// Ids were given explicitly: move the identity past them.
		if _, err := t.exec("SELECT setval(pg_get_serial_sequence('reports', 'id'), (SELECT MAX(id) FROM reports))"); err != nil {
			return err
		}
	}

	rows = rows[:0]
	for i, r := range f.Ratings {
		at := "ratings[" + strconv.Itoa(i) + "]"
		p, err := pid(at+".project", r.Project)
		if err != nil {
			return err
		}
		var agency any
		if r.Agency != "" {
			a, err := aid(at+".agency", r.Agency)
			if err != nil {
				return err
			}
			agency = a
		}
		rows = append(rows, []any{p, r.Kind, r.Score, agency, dateArg(r.Date), r.Comment.FA, r.Comment.EN, now, by})
	}
	if err := t.insertRows("ratings", []string{"project_id", "kind", "score", "agency_id", "rated_on", "comment_fa", "comment_en",
		"recorded_at", "recorded_by"}, rows); err != nil {
		return err
	}
	return t.refreshState(0)
}

// ProjectHead is a project's slug, title and lifecycle: what a status board
// lists beside each project's health.
type ProjectHead struct {
	Slug      string           `json:"project"`
	Title     domain.Text      `json:"title"`
	Lifecycle domain.Lifecycle `json:"lifecycle"`
}

// ProjectHeads lists the projects the viewer may see, by slug, one page at
// a time: all of them, or the active members of a program, or those an
// agency is on. The caller checks the viewer may see the program.
func (t *Tx) ProjectHeads(program, agency string, v Viewer, p Page) ([]ProjectHead, error) {
	q := "SELECT p.slug, p.title_fa, p.title_en, p.status FROM projects p WHERE p.slug > ? AND " + visibleSQL
	args := append([]any{p.After}, viewerArgs(v)...)
	if program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs g ON g.id = m.program_id WHERE m.project_id = p.id AND m.active AND g.slug = ?)"
		args = append(args, program)
	}
	if agency != "" {
		q += " AND EXISTS (SELECT 1 FROM project_agencies fa JOIN agencies fg ON fg.id = fa.agency_id WHERE fa.project_id = p.id AND fg.code = ?)"
		args = append(args, agency)
	}
	rows, err := t.query(q+" ORDER BY p.slug LIMIT ?", append(args, pageLimit(p))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProjectHead
	for rows.Next() {
		var h ProjectHead
		if err := rows.Scan(&h.Slug, &h.Title.FA, &h.Title.EN, &h.Lifecycle); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// RatingMonths sums, month by month from the period from on, the ratings of
// the projects the viewer may see (all of them, or a program's active
// members): the dashboard's ratings over time, counted in the database
// instead of read rating by rating.
func (t *Tx) RatingMonths(program string, v Viewer, from domain.Period) ([]RatingMonth, error) {
	q := `SELECT substr(g.rated_on, 1, 7), g.kind, SUM(g.score), COUNT(*) FROM ratings g JOIN projects p ON p.id = g.project_id
		WHERE g.rated_on >= ? AND ` + visibleSQL
	args := append([]any{string(from) + "-01"}, viewerArgs(v)...)
	if program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs pg ON pg.id = m.program_id WHERE m.project_id = p.id AND m.active AND pg.slug = ?)"
		args = append(args, program)
	}
	rows, err := t.query(q+" GROUP BY substr(g.rated_on, 1, 7), g.kind ORDER BY 1, 2", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RatingMonth
	for rows.Next() {
		var m RatingMonth
		var month string
		if err := rows.Scan(&month, &m.Kind, &m.Sum, &m.N); err != nil {
			return nil, err
		}
		p, err := domain.ParsePeriod(month)
		if err != nil {
			return nil, fmt.Errorf("ratings: month %q: %w", month, err)
		}
		m.Period = p
		out = append(out, m)
	}
	return out, rows.Err()
}
