package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Progress reports: an agency's report on a project for a period, its
// milestone progress and indicator values, and its review from draft to
// accepted. Accepting one moves the project's latest figures
// (followup_state.go).

const reportCols = `r.id, p.slug, a.code, r.period, r.state, r.narrative_fa, r.narrative_en, r.risks,
	r.projected_end, r.projected_cost, r.actual_cost, r.version, r.created_at, r.updated_at`

const reportFrom = ` FROM reports r JOIN projects p ON p.id = r.project_id JOIN agencies a ON a.id = r.agency_id`

func scanReport(sc scanner) (*domain.Report, error) {
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

func reportViewerArgs(v domain.Viewer) []any { return []any{v.All, v.Agency, v.All, v.Agency} }

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
func (t *Tx) Report(id int64, v domain.Viewer) (*domain.Report, error) {
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
	r.Events, err = orEmpty(list(t, func(sc scanner) (domain.ReviewEvent, error) { return scanReviewEvent(sc) },
		`SELECT type, from_state, to_state, comment_fa, comment_en, at, by_whom FROM report_events
		WHERE report_id = ? ORDER BY id`, id))
	if err != nil {
		return nil, err
	}
	return r, nil
}

// scanReviewEvent reads a review event after the lead columns, if any.
func scanReviewEvent(sc scanner, lead ...any) (domain.ReviewEvent, error) {
	var e domain.ReviewEvent
	var at string
	if err := sc.Scan(append(lead, &e.Type, &e.From, &e.To, &e.Comment.FA, &e.Comment.EN, &at, &e.By)...); err != nil {
		return e, err
	}
	e.At = parseStamp(at)
	return e, nil
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
func (t *Tx) Reports(f domain.ReportFilter, v domain.Viewer, p domain.Page) ([]*domain.Report, error) {
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
	out, err := list(t, scanReport, q, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*domain.Report, len(out))
	for _, r := range out {
		byID[r.ID] = r
	}
	return out, t.loadReportLines(byID)
}

// ReportsByID reads reports by id, each as Report reads it for a viewer
// who sees everything (lines, evidence, review history): a pass over every
// report reads them a few hundred at a time.
func (t *Tx) ReportsByID(ids []int64) (map[int64]*domain.Report, error) {
	byID := map[int64]*domain.Report{}
	if len(ids) == 0 {
		return byID, nil
	}
	reports, err := list(t, scanReport, "SELECT "+reportCols+reportFrom+" WHERE r.id IN "+inInts(ids))
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		r.Events = []domain.ReviewEvent{}
		byID[r.ID] = r
	}
	if err := t.loadReportLines(byID); err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT report_id, type, from_state, to_state, comment_fa, comment_en, at, by_whom FROM report_events
		WHERE report_id IN ` + inInts(ids) + ` ORDER BY report_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		e, err := scanReviewEvent(rows, &id)
		if err != nil {
			return nil, err
		}
		if r := byID[id]; r != nil {
			r.Events = append(r.Events, e)
		}
	}
	return byID, rows.Err()
}
