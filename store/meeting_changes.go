package store

import (
	"database/sql"

	"github.com/pishran/pishran/domain"
)

// Changes to a planned session: moved to another day, or cancelled, each
// with its reason, appended to meeting_changes and never edited.

// ChangePlannedMeeting moves a planned meeting to a new date or, with to
// set to domain.MeetingCancelled, cancels it, if its stored version is
// version; c is appended to its changes. A meeting no longer planned or at
// another version is reported stale.
func (t *Tx) ChangePlannedMeeting(code string, version int64, to domain.MeetingState, date domain.Date, c *domain.MeetingChange) error {
	res, err := t.exec(`UPDATE meetings SET state = ?, held_on = ?, version = version + 1, updated_at = ?
		WHERE code = ? AND state = ? AND version = ?`, to, date.String(), stamp(t.now), code, domain.MeetingPlanned, version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "meetings", "code", code, "meeting "+code); err != nil {
		return err
	}
	id, err := t.meetingKey(code)
	if err != nil {
		return err
	}
	var nd sql.NullString
	if c.NewDate != nil {
		nd = sql.NullString{String: c.NewDate.String(), Valid: true}
	}
	c.RecordedAt = t.now
	c.ID, err = t.insert(`INSERT INTO meeting_changes (meeting_id, kind, old_date, new_date, reason_fa, reason_en, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, c.Kind, c.OldDate.String(), nd, c.Reason.FA, c.Reason.EN, stamp(c.RecordedAt), c.RecordedBy)
	return err
}

// MeetingChanges lists a meeting's re-datings and cancellation, oldest
// first.
func (t *Tx) MeetingChanges(code string) ([]domain.MeetingChange, error) {
	id, err := t.meetingKey(code)
	if err != nil {
		return nil, err
	}
	return orEmpty(list(t, scanMeetingChange, `SELECT id, kind, old_date, new_date, reason_fa, reason_en, recorded_at, recorded_by
		FROM meeting_changes WHERE meeting_id = ? ORDER BY id`, id))
}

func scanMeetingChange(sc scanner) (domain.MeetingChange, error) {
	var (
		c        domain.MeetingChange
		old, rat string
		nd       sql.NullString
	)
	if err := sc.Scan(&c.ID, &c.Kind, &old, &nd, &c.Reason.FA, &c.Reason.EN, &rat, &c.RecordedBy); err != nil {
		return c, err
	}
	if d := scanDate(sql.NullString{String: old, Valid: true}); d != nil {
		c.OldDate = *d
	}
	c.NewDate = scanDate(nd)
	c.RecordedAt = parseStamp(rat)
	return c, nil
}
