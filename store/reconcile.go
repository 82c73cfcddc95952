package store

import (
	"database/sql"
	"errors"
	"fmt"
	"sort"
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
	out, err := list(t, scanString, q)
	sort.Strings(out)
	return out, err
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
