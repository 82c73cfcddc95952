package store

import "github.com/pishran/pishran/domain"

// Reminders: one row per thing an agency owes past its due date, kept from
// the day the daily job first finds it owed (first_seen) until the first
// day it finds it no longer owed (resolved_on). A run writes only what
// changed: a new item, an item whose wording or due date changed
// (notified_on: the day it was last stated), an item resolved. A day on
// which nothing changed writes no reminder at all.

// OpenReminders lists an agency's reminders not yet resolved (every
// agency's when agency is ""), the newest first, at most limit.
func (t *Tx) OpenReminders(agency string, limit int) ([]domain.Reminder, error) {
	q := `SELECT r.first_seen, a.code, r.kind, r.ref, r.due, r.text_fa, r.text_en FROM reminders r
		JOIN agencies a ON a.id = r.agency_id WHERE r.resolved_on IS NULL`
	var args []any
	if agency != "" {
		q += " AND a.code = ?"
		args = append(args, agency)
	}
	q += " ORDER BY r.first_seen DESC, r.id LIMIT ?"
	return list(t, scanReminder, q, append(args, limit)...)
}

// Reminders lists an agency's current reminders (every agency's when
// agency is ""): OpenReminders.
func (t *Tx) Reminders(agency string, limit int) ([]domain.Reminder, error) {
	return t.OpenReminders(agency, limit)
}

// StateReminder records that r is owed on r.Day: a new item is inserted
// with r.Day as its first day; one already recorded is restated — its
// due date and wording replaced, reopened if it had been resolved (its
// first day is then r.Day again).
func (t *Tx) StateReminder(r *domain.Reminder) error {
	aid, err := t.agencyID("agency", r.Agency)
	if err != nil {
		return err
	}
	day := r.Day.String()
	_, err = t.exec(`INSERT INTO reminders (agency_id, kind, ref, due, text_fa, text_en, first_seen, notified_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (agency_id, kind, ref) DO UPDATE SET due = excluded.due, text_fa = excluded.text_fa,
			text_en = excluded.text_en, notified_on = excluded.notified_on,
			first_seen = CASE WHEN reminders.resolved_on IS NULL THEN reminders.first_seen ELSE excluded.first_seen END,
			resolved_on = NULL`,
		aid, r.Kind, r.Ref, r.Due.String(), r.Text.FA, r.Text.EN, day, day)
	return err
}

// ResolveReminder marks an agency's open reminder (kind, ref) no longer
// owed as of day. Resolving one already resolved changes nothing.
func (t *Tx) ResolveReminder(agency, kind, ref string, day domain.Date) error {
	aid, err := t.agencyID("agency", agency)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE reminders SET resolved_on = ? WHERE agency_id = ? AND kind = ? AND ref = ? AND resolved_on IS NULL`,
		day.String(), aid, kind, ref)
	return err
}

// ReminderRows counts the rows the reminders table holds, resolved or not.
func (t *Tx) ReminderRows() (n int64, err error) {
	err = t.row("SELECT COUNT(*) FROM reminders").Scan(&n)
	return n, err
}

func scanReminder(sc scanner) (domain.Reminder, error) {
	var r domain.Reminder
	var day, due string
	if err := sc.Scan(&day, &r.Agency, &r.Kind, &r.Ref, &due, &r.Text.FA, &r.Text.EN); err != nil {
		return r, err
	}
	r.Day, _ = isoDate(day)
	r.Due, _ = isoDate(due)
	return r, nil
}
