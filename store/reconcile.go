package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/pishran/pishran/domain"
)

// Reconciliation (service.Reconcile) holds every audited record against
// the state the audit log last recorded for it. The store's part is to say
// which records of each kind exist, by the key the log names them with,
// and to read the log one kind at a time.

// recordKeys is, for each audited kind, the query listing the keys of its
// records as audit entries name them.
var recordKeys = map[string]string{
	"term":        "SELECT CAST(number AS TEXT) FROM terms",
	"agency":      "SELECT code FROM agencies",
	"law":         "SELECT slug FROM laws",
	"project":     "SELECT slug FROM projects",
	"program":     "SELECT slug FROM programs",
	"membership":  "SELECT g.slug || '/' || p.slug FROM memberships m JOIN programs g ON g.id = m.program_id JOIN projects p ON p.id = m.project_id",
	"series":      "SELECT code FROM meeting_series",
	"meeting":     "SELECT code FROM meetings",
	"outcome":     "SELECT m.code || '/' || CAST(o.id AS TEXT) FROM outcomes o JOIN meetings m ON m.id = o.meeting_id",
	"action":      "SELECT CAST(id AS TEXT) FROM actions",
	"report":      "SELECT CAST(id AS TEXT) FROM reports",
	"milestone":   "SELECT p.slug || '/' || CAST(x.id AS TEXT) FROM milestones x JOIN projects p ON p.id = x.project_id",
	"kpi":         "SELECT p.slug || '/' || CAST(x.id AS TEXT) FROM kpis x JOIN projects p ON p.id = x.project_id",
	"rating":      "SELECT p.slug || '/' || CAST(x.id AS TEXT) FROM ratings x JOIN projects p ON p.id = x.project_id",
	"baseline":    "SELECT p.slug || '/' || CAST(x.number AS TEXT) FROM baselines x JOIN projects p ON p.id = x.project_id",
	"user":        "SELECT username FROM users",
	"token":       "SELECT CAST(id AS TEXT) FROM tokens",
	"signing_key": "SELECT key_id FROM signing_keys",
}

// RecordKeys lists the keys of every record of an audited kind, sorted.
func (t *Tx) RecordKeys(kind string) ([]string, error) {
	q, ok := recordKeys[kind]
	if !ok {
		return nil, fmt.Errorf("store: %q is not an audited kind", kind)
	}
	rows, err := t.query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out, rows.Err()
}

// AuditStep is what reconciliation reads of one audit entry.
type AuditStep struct {
	ID     int64
	Action string
	Record string
	After  json.RawMessage // nil when the entry has none
}

// EachAuditOf calls fn with every audit entry of one kind, oldest first.
func (t *Tx) EachAuditOf(kind string, fn func(AuditStep) error) error {
	rows, err := t.query("SELECT id, action, record, after FROM audit_log WHERE kind = ? ORDER BY id", kind)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s AuditStep
		var after sql.NullString
		if err := rows.Scan(&s.ID, &s.Action, &s.Record, &after); err != nil {
			return err
		}
		if after.Valid {
			s.After = json.RawMessage(after.String)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditEntry returns one entry of the log; NotFound-like nil when there is none.
func (t *Tx) AuditEntry(id int64) (*AuditEntry, error) {
	e, err := scanAudit(t.row("SELECT "+auditCols+" FROM audit_log WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// HasAudit reports whether the log holds an entry of the kind and record.
func (t *Tx) HasAudit(kind, record string) (bool, error) {
	var one int
	err := t.row("SELECT 1 FROM audit_log WHERE kind = ? AND record = ? LIMIT 1", kind, record).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ClaimReconcileBaseline claims the one-time sealing of a log begun before
// reconciliation: it returns the log's length when reconciliation began
// and true for the one caller that may seal it; false when the log was
// empty then, or the baseline has been sealed already. It writes only when
// it claims.
func (t *Tx) ClaimReconcileBaseline() (logLength int64, claimed bool, err error) {
	var sealed sql.NullString
	if err := t.row("SELECT log_length, sealed_at FROM audit_reconcile WHERE id = 1").Scan(&logLength, &sealed); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return 0, false, err
	}
	if logLength == 0 || sealed.Valid {
		return logLength, false, nil
	}
	res, err := t.exec("UPDATE audit_reconcile SET sealed_at = ? WHERE id = 1 AND sealed_at IS NULL", stamp(t.now))
	if err != nil {
		return 0, false, err
	}
	n, err := res.RowsAffected()
	if err == nil && n != 1 {
		err = ErrBaselineTaken
	}
	return logLength, err == nil, err
}

// ErrBaselineTaken: another transaction sealed the baseline first.
var ErrBaselineTaken = errors.New("store: the reconciliation baseline was sealed by another transaction")

// ReportsByID reads reports by id, each as Report reads it for a viewer
// who sees everything (lines, evidence, review history): a pass over every
// report reads them a few hundred at a time.
func (t *Tx) ReportsByID(ids []int64) (map[int64]*domain.Report, error) {
	byID := map[int64]*domain.Report{}
	if len(ids) == 0 {
		return byID, nil
	}
	rows, err := t.query("SELECT " + reportCols + reportFrom + " WHERE r.id IN " + inInts(ids))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		r.Events = []domain.ReviewEvent{}
		byID[r.ID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := t.loadReportLines(byID); err != nil {
		return nil, err
	}
	rows, err = t.query(`SELECT report_id, type, from_state, to_state, comment_fa, comment_en, at, by_whom FROM report_events
		WHERE report_id IN ` + inInts(ids) + ` ORDER BY report_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e domain.ReviewEvent
		var at string
		if err := rows.Scan(&id, &e.Type, &e.From, &e.To, &e.Comment.FA, &e.Comment.EN, &at, &e.By); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		if r := byID[id]; r != nil {
			r.Events = append(r.Events, e)
		}
	}
	return byID, rows.Err()
}

// ActionsByID reads actions by id, each as Action reads it for a viewer
// who sees everything (with its history).
func (t *Tx) ActionsByID(ids []int64) (map[int64]*domain.Action, error) {
	out := map[int64]*domain.Action{}
	if len(ids) == 0 {
		return out, nil
	}
	pg, err := t.actionList("a.id IN "+inInts(ids), nil, Viewer{All: true}, true)
	for _, a := range pg.visible {
		out[a.ID] = a
	}
	return out, err
}
