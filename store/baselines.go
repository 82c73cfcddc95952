package store

import (
	"database/sql"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// Baselines: a project's planned start, end, cost and reporting rhythm;
// each re-baselining supersedes the current one and keeps the old.

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
	out, err := orEmpty(list(t, scanBaseline, `SELECT p.slug, b.number, b.planned_start, b.planned_end, b.planned_cost, b.currency, b.reporting,
		b.approved_by_fa, b.approved_by_en, b.approved_on, b.reference, b.reason_fa, b.reason_en, b.recorded_at, b.recorded_by
		FROM baselines b JOIN projects p ON p.id = b.project_id WHERE p.slug = ? ORDER BY b.number DESC`, project))
	for i, b := range out {
		b.Current = i == 0
		if i+1 < len(out) {
			b.Supersedes = out[i+1].Number
		}
	}
	return out, err
}

func scanBaseline(sc scanner) (*domain.Baseline, error) {
	var b domain.Baseline
	var start, end, appr sql.NullString
	var at string
	if err := sc.Scan(&b.Project, &b.Number, &start, &end, &b.Cost, &b.Currency, &b.Reporting, &b.ApprovedBy.FA,
		&b.ApprovedBy.EN, &appr, &b.Reference, &b.Reason.FA, &b.Reason.EN, &at, &b.RecordedBy); err != nil {
		return nil, err
	}
	b.Start, b.End, b.Approved, b.RecordedAt = scanDate(start), scanDate(end), scanDate(appr), parseStamp(at)
	return &b, nil
}
