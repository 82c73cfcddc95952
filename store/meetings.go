package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Meetings: a series' numbered sessions, planned, then held, then closed,
// with who attended; a closed meeting's record changes only by amendment.
// Its agenda, outcomes and actions have files of their own.

const meetingCols = `m.id, m.code, s.code, m.number, m.title_fa, m.title_en, m.held_on, m.state, m.attendees,
	m.version, m.created_at, m.updated_at, m.held_at, m.closed_at`
const meetingFrom = " FROM meetings m JOIN meeting_series s ON s.id = m.series_id"

func scanMeeting(sc scanner) (*domain.Meeting, int64, error) {
	var (
		m                   domain.Meeting
		id                  int64
		date, att, cat, uat string
		held, closed        sql.NullString
	)
	if err := sc.Scan(&id, &m.ID, &m.Series, &m.Number, &m.Title.FA, &m.Title.EN, &date, &m.State, &att,
		&m.Version, &cat, &uat, &held, &closed); err != nil {
		return nil, 0, err
	}
	if d := scanDate(sql.NullString{String: date, Valid: true}); d != nil {
		m.Date = *d
	}
	m.CreatedAt, m.UpdatedAt = parseStamp(cat), parseStamp(uat)
	if held.Valid {
		x := parseStamp(held.String)
		m.HeldAt = &x
	}
	if closed.Valid {
		x := parseStamp(closed.String)
		m.ClosedAt = &x
	}
	m.Agenda, m.Outcomes, m.FollowUps, m.Amendments = []domain.AgendaItem{}, []domain.Outcome{}, []domain.ActionFollowUp{}, []domain.Amendment{}
	if err := scanJSON(att, &m.Attendees); err != nil {
		return nil, 0, err
	}
	if m.Attendees == nil {
		m.Attendees = []domain.Attendee{}
	}
	return &m, id, nil
}

// meetingKey returns a meeting's database id.
func (t *Tx) meetingKey(code string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM meetings WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.NotFound("id", "meeting")
	}
	return id, err
}

// writeAttendance records which agencies a meeting's attendees represent,
// refusing an unknown agency code.
func (t *Tx) writeAttendance(id int64, m *domain.Meeting) error {
	if _, err := t.exec("DELETE FROM meeting_attendee_agencies WHERE meeting_id = ?", id); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for i, a := range m.Attendees {
		if a.Agency == "" {
			continue
		}
		aid, err := t.agencyID("attendees["+strconv.Itoa(i)+"].agency", a.Agency)
		if err != nil {
			return err
		}
		if seen[aid] {
			continue
		}
		seen[aid] = true
		if _, err := t.exec("INSERT INTO meeting_attendee_agencies (meeting_id, agency_id) VALUES (?, ?)", id, aid); err != nil {
			return err
		}
	}
	return nil
}

// InsertMeeting adds a planned meeting. Its id is derived from its series
// and number.
func (t *Tx) InsertMeeting(m *domain.Meeting) error {
	sid, err := t.seriesID("series", m.Series)
	if err != nil {
		return err
	}
	m.ID, m.State = domain.MeetingID(m.Series, m.Number), domain.MeetingPlanned
	if m.Attendees == nil {
		m.Attendees = []domain.Attendee{}
	}
	id, err := t.insert(`INSERT INTO meetings (code, series_id, number, title_fa, title_en, held_on, state, attendees,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		m.ID, sid, m.Number, m.Title.FA, m.Title.EN, m.Date.String(), m.State, jsonArg(m.Attendees), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("number", "جلسه "+m.ID+" پیش‌تر ثبت شده است", "meeting "+m.ID+" is already recorded")
		}
		return err
	}
	if err := t.writeAttendance(id, m); err != nil {
		return err
	}
	m.Version, m.CreatedAt, m.UpdatedAt = 1, t.now, t.now
	m.Agenda, m.Outcomes, m.FollowUps, m.Amendments = []domain.AgendaItem{}, []domain.Outcome{}, []domain.ActionFollowUp{}, []domain.Amendment{}
	return nil
}

// UpdateMeeting replaces a meeting's title, date and attendees if its stored
// version is m.Version.
func (t *Tx) UpdateMeeting(m *domain.Meeting) error {
	res, err := t.exec(`UPDATE meetings SET title_fa = ?, title_en = ?, held_on = ?, attendees = ?, version = version + 1,
		updated_at = ? WHERE code = ? AND version = ?`,
		m.Title.FA, m.Title.EN, m.Date.String(), jsonArg(m.Attendees), stamp(t.now), m.ID, m.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "meetings", "code", m.ID, "meeting "+m.ID); err != nil {
		return err
	}
	id, err := t.meetingKey(m.ID)
	if err != nil {
		return err
	}
	if err := t.writeAttendance(id, m); err != nil {
		return err
	}
	m.Version++
	m.UpdatedAt = t.now
	return nil
}

// SetMeetingState moves a meeting from one state to the next. version, when
// positive, must be the stored version. A meeting no longer in state from,
// or at another version, is reported stale: the caller read it before the
// change.
func (t *Tx) SetMeetingState(code string, from, to domain.MeetingState, version int64) error {
	col := "held_at"
	if to == domain.MeetingClosed {
		col = "closed_at"
	}
	q := "UPDATE meetings SET state = ?, " + col + " = ?, version = version + 1, updated_at = ? WHERE code = ? AND state = ?"
	args := []any{to, stamp(t.now), stamp(t.now), code, from}
	if version > 0 {
		q += " AND version = ?"
		args = append(args, version)
	}
	res, err := t.exec(q, args...)
	if err != nil {
		return err
	}
	return t.checkVersion(res, "meetings", "code", code, "meeting "+code)
}

// GuardMeeting locks a meeting in one of the given states for the rest of
// the transaction, so that it cannot change state (be closed, say) while
// the transaction writes records that belong to it. It returns the
// meeting's database id, or a conflict naming the meeting when it is in
// another state.
func (t *Tx) GuardMeeting(code string, states ...domain.MeetingState) (int64, error) {
	args := []any{stamp(t.now), code}
	for _, s := range states {
		args = append(args, s)
	}
	res, err := t.exec("UPDATE meetings SET updated_at = ? WHERE code = ? AND state IN (?"+strings.Repeat(", ?", len(states)-1)+")", args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	id, err := t.meetingKey(code)
	if err != nil {
		return 0, err
	}
	if n != 1 {
		var state domain.MeetingState
		if err := t.row("SELECT state FROM meetings WHERE id = ?", id).Scan(&state); err != nil {
			return 0, err
		}
		return 0, MeetingStateConflict(code, state)
	}
	return id, nil
}

// MeetingStateConflict is the error for an act a meeting's state forbids.
func MeetingStateConflict(code string, state domain.MeetingState) *domain.Error {
	switch state {
	case domain.MeetingClosed:
		return domain.Conflict("id", "جلسه "+code+" بسته شده و فقط‌خواندنی است؛ اصلاح را به صورت الحاقیه ثبت کنید",
			"meeting "+code+" is closed and read-only; record a correction as an amendment")
	case domain.MeetingPlanned:
		return domain.Conflict("id", "جلسه "+code+" هنوز برگزار نشده است", "meeting "+code+" has not been held yet")
	case domain.MeetingCancelled:
		return domain.Conflict("id", "جلسه "+code+" لغو شده است", "meeting "+code+" is cancelled")
	}
	return domain.Conflict("id", "جلسه "+code+" در وضعیت "+string(state)+" است و این کار در آن ممکن نیست",
		"meeting "+code+" is "+string(state)+"; this cannot be done now")
}

// Meeting returns a meeting's own record: no agenda, outcomes or
// amendments (see MeetingRecord).
func (t *Tx) Meeting(code string) (*domain.Meeting, error) {
	m, _, err := t.meetingRow(code)
	return m, err
}

// meetingRow reads a meeting's own record and its database id.
func (t *Tx) meetingRow(code string) (*domain.Meeting, int64, error) {
	m, id, err := scanMeeting(t.row("SELECT "+meetingCols+meetingFrom+" WHERE m.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, domain.NotFound("id", "meeting")
	}
	return m, id, err
}

// SessionDates returns the dates of the sessions of the series numbered just
// before and just after number (nil when there is none); a cancelled
// session bounds nothing.
func (t *Tx) SessionDates(series string, number int) (prev, next *domain.Date, err error) {
	var p, n sql.NullString
	err = t.row(`SELECT
		(SELECT m.held_on FROM meetings m JOIN meeting_series s ON s.id = m.series_id WHERE s.code = ? AND m.number < ? AND m.state <> ? ORDER BY m.number DESC LIMIT 1),
		(SELECT m.held_on FROM meetings m JOIN meeting_series s ON s.id = m.series_id WHERE s.code = ? AND m.number > ? AND m.state <> ? ORDER BY m.number LIMIT 1)`,
		series, number, domain.MeetingCancelled, series, number, domain.MeetingCancelled).Scan(&p, &n)
	return scanDate(p), scanDate(n), err
}

// Meetings lists meetings' own records in the order they were recorded, one
// page at a time; Page.After is the previous page's last key (see
// MeetingListKey).
func (t *Tx) Meetings(f domain.MeetingFilter, p domain.Page) ([]*domain.Meeting, []string, error) {
	after, _ := strconv.ParseInt(p.After, 10, 64)
	q := "SELECT " + meetingCols + meetingFrom + " WHERE m.id > ?"
	args := []any{after}
	if f.Series != "" {
		q += " AND s.code = ?"
		args = append(args, f.Series)
	}
	if len(f.States) > 0 {
		q += " AND m.state IN (?" + strings.Repeat(", ?", len(f.States)-1) + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	q += " ORDER BY m.id LIMIT ?"
	args = append(args, pageLimit(p))
	out, ids, err := listWithIDs(t, scanMeeting, q, args...)
	if err != nil {
		return nil, nil, err
	}
	var keys []string
	for _, id := range ids {
		keys = append(keys, strconv.FormatInt(id, 10))
	}
	return out, keys, nil
}

// MeetingRecord returns a meeting with its agenda, outcomes, the follow-up
// of earlier actions recorded at it, and its amendments: everything the
// minutes show. Items about projects the viewer may not see are left out.
func (t *Tx) MeetingRecord(code string, v domain.Viewer) (*domain.Meeting, error) {
	m, id, err := t.meetingRow(code)
	if err != nil {
		return nil, err
	}
	if m.Agenda, err = t.agenda(id, v); err != nil {
		return nil, err
	}
	if m.Outcomes, err = t.outcomes("o.meeting_id = ?", []any{id}, v); err != nil {
		return nil, err
	}
	if m.FollowUps, err = t.followUps("e.meeting_id = ?", id, v); err != nil {
		return nil, err
	}
	if m.Amendments, err = t.amendments(id); err != nil {
		return nil, err
	}
	return m, nil
}

// MeetingDecisions returns a meeting's own record with the decisions
// recorded at it that the viewer may see (decidedSQL: for the public, once
// the meeting is closed; none about a project the viewer may not see):
// what its published minutes hold, and nothing else of the record (no
// agenda, other outcomes, follow-ups or amendments).
func (t *Tx) MeetingDecisions(code string, v domain.Viewer) (*domain.Meeting, error) {
	m, id, err := t.meetingRow(code)
	if err != nil {
		return nil, err
	}
	m.Outcomes, err = t.outcomes("o.meeting_id = ? AND o.kind = 'decision' AND "+decidedSQL(v, "m"), []any{id}, v)
	return m, err
}

// MeetingFollowUps returns the follow-up of earlier actions recorded at a
// meeting, of the actions the viewer may see (MeetingRecord's FollowUps).
func (t *Tx) MeetingFollowUps(code string, v domain.Viewer) ([]domain.ActionFollowUp, error) {
	return t.followUps("e.meeting_id = (SELECT id FROM meetings WHERE code = ?)", code, v)
}

// ---- amendments ----

// InsertAmendment appends a correction to a closed meeting's record.
func (t *Tx) InsertAmendment(code string, a *domain.Amendment) error {
	id, err := t.GuardMeeting(code, domain.MeetingClosed)
	if err != nil {
		return err
	}
	a.RecordedAt = t.now
	a.ID, err = t.insert(`INSERT INTO meeting_amendments (meeting_id, text_fa, text_en, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?)`, id, a.Text.FA, a.Text.EN, stamp(a.RecordedAt), a.RecordedBy)
	return err
}

func (t *Tx) amendments(meeting int64) ([]domain.Amendment, error) {
	return orEmpty(list(t, scanAmendment, `SELECT id, text_fa, text_en, recorded_at, recorded_by FROM meeting_amendments
		WHERE meeting_id = ? ORDER BY id`, meeting))
}

func scanAmendment(sc scanner) (domain.Amendment, error) {
	var a domain.Amendment
	var at string
	if err := sc.Scan(&a.ID, &a.Text.FA, &a.Text.EN, &at, &a.RecordedBy); err != nil {
		return a, err
	}
	a.RecordedAt = parseStamp(at)
	return a, nil
}
