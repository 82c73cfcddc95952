package store

import (
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// followSQL is a condition on projects alias p: whether the viewer may see
// follow-up records (decisions, actions, agenda items) about p. Staff see
// what they may see of the registry (visibleSQL); the public sees the
// follow-up of public projects only, not of restricted ones.
func followSQL(v Viewer) (string, []any) {
	if v.All {
		return "TRUE", nil
	}
	if !v.All && !v.Staff && v.Agency == "" {
		return "(p.confidentiality = 'public')", nil
	}
	return visibleSQL, viewerArgs(v)
}

// inInts renders database ids as an IN list; they are integers from the
// database, so inlining them is safe.
func inInts(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// ---- series ----

func (t *Tx) seriesID(field, code string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM meeting_series WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "دوره جلساتی با این کد ثبت نشده است: "+code, "no meeting series with this code is recorded: "+code)
	}
	return id, err
}

const seriesCols = "code, name_fa, name_en, kind, version, created_at, updated_at"

func scanSeries(sc interface{ Scan(...any) error }) (*domain.Series, error) {
	var s domain.Series
	var cat, uat string
	if err := sc.Scan(&s.Code, &s.Name.FA, &s.Name.EN, &s.Kind, &s.Version, &cat, &uat); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = parseStamp(cat), parseStamp(uat)
	return &s, nil
}

// InsertSeries adds a meeting series.
func (t *Tx) InsertSeries(s *domain.Series) error {
	_, err := t.insert(`INSERT INTO meeting_series (code, name_fa, name_en, kind, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?)`, s.Code, s.Name.FA, s.Name.EN, s.Kind, stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("code", "دوره‌ای با این کد وجود دارد", "a series with this code exists")
		}
		return err
	}
	s.Version, s.CreatedAt, s.UpdatedAt = 1, t.now, t.now
	return nil
}

// Series returns the series with the code.
func (t *Tx) Series(code string) (*domain.Series, error) {
	s, err := scanSeries(t.row("SELECT "+seriesCols+" FROM meeting_series WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("code", "series")
	}
	return s, err
}

// SeriesList lists the series by code, one page at a time.
func (t *Tx) SeriesList(p Page) ([]*domain.Series, error) {
	rows, err := t.query("SELECT "+seriesCols+" FROM meeting_series WHERE code > ? ORDER BY code LIMIT ?", p.After, pageLimit(p))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*domain.Series
	for rows.Next() {
		s, err := scanSeries(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ---- meetings ----

const meetingCols = `m.id, m.code, s.code, m.number, m.title_fa, m.title_en, m.held_on, m.state, m.attendees,
	m.version, m.created_at, m.updated_at, m.held_at, m.closed_at`
const meetingFrom = " FROM meetings m JOIN meeting_series s ON s.id = m.series_id"

func scanMeeting(sc interface{ Scan(...any) error }) (*domain.Meeting, int64, error) {
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
	}
	return domain.Conflict("id", "جلسه "+code+" در وضعیت "+string(state)+" است و این کار در آن ممکن نیست",
		"meeting "+code+" is "+string(state)+"; this cannot be done now")
}

// Meeting returns a meeting's own record: no agenda, outcomes or
// amendments (see MeetingRecord).
func (t *Tx) Meeting(code string) (*domain.Meeting, error) {
	m, _, err := scanMeeting(t.row("SELECT "+meetingCols+meetingFrom+" WHERE m.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("id", "meeting")
	}
	return m, err
}

// SessionDates returns the dates of the sessions of the series numbered just
// before and just after number (nil when there is none).
func (t *Tx) SessionDates(series string, number int) (prev, next *domain.Date, err error) {
	var p, n sql.NullString
	err = t.row(`SELECT
		(SELECT m.held_on FROM meetings m JOIN meeting_series s ON s.id = m.series_id WHERE s.code = ? AND m.number < ? ORDER BY m.number DESC LIMIT 1),
		(SELECT m.held_on FROM meetings m JOIN meeting_series s ON s.id = m.series_id WHERE s.code = ? AND m.number > ? ORDER BY m.number LIMIT 1)`,
		series, number, series, number).Scan(&p, &n)
	return scanDate(p), scanDate(n), err
}

// Meetings lists meetings' own records in the order they were recorded, one
// page at a time; Page.After is the previous page's last key (see
// MeetingListKey).
func (t *Tx) Meetings(f MeetingFilter, p Page) ([]*domain.Meeting, []string, error) {
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
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var out []*domain.Meeting
	var keys []string
	for rows.Next() {
		m, id, err := scanMeeting(rows)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, m)
		keys = append(keys, strconv.FormatInt(id, 10))
	}
	return out, keys, rows.Err()
}

// MeetingRecord returns a meeting with its agenda, outcomes, the follow-up
// of earlier actions recorded at it, and its amendments: everything the
// minutes show. Items about projects the viewer may not see are left out.
func (t *Tx) MeetingRecord(code string, v Viewer) (*domain.Meeting, error) {
	m, id, err := scanMeeting(t.row("SELECT "+meetingCols+meetingFrom+" WHERE m.code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("id", "meeting")
	}
	if err != nil {
		return nil, err
	}
	if m.Agenda, err = t.agenda(id, v); err != nil {
		return nil, err
	}
	if m.Outcomes, err = t.outcomes("o.meeting_id = ?", []any{id}, v); err != nil {
		return nil, err
	}
	if m.FollowUps, err = t.followUps(id, v); err != nil {
		return nil, err
	}
	if m.Amendments, err = t.amendments(id); err != nil {
		return nil, err
	}
	return m, nil
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
	rows, err := t.query(`SELECT id, text_fa, text_en, recorded_at, recorded_by FROM meeting_amendments
		WHERE meeting_id = ? ORDER BY id`, meeting)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Amendment{}
	for rows.Next() {
		var a domain.Amendment
		var at string
		if err := rows.Scan(&a.ID, &a.Text.FA, &a.Text.EN, &at, &a.RecordedBy); err != nil {
			return nil, err
		}
		a.RecordedAt = parseStamp(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ---- agenda ----

// SaveAgenda replaces a meeting's saved agenda if the meeting's stored
// version is version; the meeting's version grows by one. Project and
// action items must name recorded projects and actions.
func (t *Tx) SaveAgenda(code string, version int64, items []domain.AgendaItem) (int64, error) {
	res, err := t.exec("UPDATE meetings SET version = version + 1, updated_at = ? WHERE code = ? AND version = ?",
		stamp(t.now), code, version)
	if err != nil {
		return 0, err
	}
	if err := t.checkVersion(res, "meetings", "code", code, "meeting "+code); err != nil {
		return 0, err
	}
	id, err := t.meetingKey(code)
	if err != nil {
		return 0, err
	}
	if _, err := t.exec("DELETE FROM agenda_items WHERE meeting_id = ?", id); err != nil {
		return 0, err
	}
	for i, it := range items {
		f := "items[" + strconv.Itoa(i) + "]"
		var project, action any
		switch it.Kind {
		case domain.AgendaProject:
			pid, err := t.projectID(f+".project", it.Project)
			if err != nil {
				return 0, err
			}
			project = pid
		case domain.AgendaAction:
			var one int
			err := t.row("SELECT 1 FROM actions WHERE id = ?", it.Action).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, domain.Invalid(f+".action", "اقدامی با این شناسه ثبت نشده است: "+strconv.FormatInt(it.Action, 10),
					"no action with this id is recorded: "+strconv.FormatInt(it.Action, 10))
			}
			if err != nil {
				return 0, err
			}
			action = it.Action
		}
		reasons := it.Reasons
		if reasons == nil {
			reasons = []domain.AgendaReason{}
		}
		if _, err := t.exec(`INSERT INTO agenda_items (meeting_id, seq, kind, project_id, action_id, title_fa, title_en,
			reasons, dropped, drop_fa, drop_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i, it.Kind, project, action, it.Title.FA, it.Title.EN, jsonArg(reasons), it.Dropped,
			it.DropReason.FA, it.DropReason.EN); err != nil {
			return 0, err
		}
	}
	return version + 1, nil
}

// agenda loads a meeting's saved agenda, leaving out the items the viewer
// may not see. Titles are as saved, so a closed meeting's agenda reads the
// same later; an action item shows its action's current owner, due date
// and projects.
func (t *Tx) agenda(meeting int64, v Viewer) ([]domain.AgendaItem, error) {
	cond, cargs := followSQL(v)
	rows, err := t.query(`SELECT ai.kind, COALESCE(p.slug, ''), COALESCE(ai.action_id, 0),
		ai.title_fa, ai.title_en, ai.reasons, ai.dropped, ai.drop_fa, ai.drop_en,
		CASE WHEN p.id IS NULL THEN TRUE ELSE `+cond+` END
		FROM agenda_items ai LEFT JOIN projects p ON p.id = ai.project_id WHERE ai.meeting_id = ? ORDER BY ai.seq`,
		append(cargs, meeting)...)
	if err != nil {
		return nil, err
	}
	out := []domain.AgendaItem{}
	var actionIDs []int64
	for rows.Next() {
		var it domain.AgendaItem
		var reasons string
		var visible bool
		if err := rows.Scan(&it.Kind, &it.Project, &it.Action, &it.Title.FA, &it.Title.EN, &reasons, &it.Dropped,
			&it.DropReason.FA, &it.DropReason.EN, &visible); err != nil {
			rows.Close()
			return nil, err
		}
		if err := scanJSON(reasons, &it.Reasons); err != nil {
			rows.Close()
			return nil, err
		}
		if !visible {
			continue
		}
		if it.Action != 0 {
			actionIDs = append(actionIDs, it.Action)
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(actionIDs) == 0 {
		return out, err
	}
	pg, err := t.actionList("a.id IN "+inInts(actionIDs), nil, v, false)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Action{}
	for _, a := range pg.visible {
		byID[a.ID] = a
	}
	kept := out[:0]
	for _, it := range out {
		if it.Kind == domain.AgendaAction {
			a, ok := byID[it.Action]
			if !ok {
				continue // about a project the viewer may not see
			}
			due := a.Due
			it.Owner, it.Due, it.Projects = a.Owner, &due, a.Projects
		}
		kept = append(kept, it)
	}
	return kept, nil
}

// ---- follow-up scope, for the agenda builder ----

// ProjectDirectory returns every project's entry by database id. It reads
// the whole projects table, so callers keep it for a registry generation
// (see Generation): every change to a project's slug, title,
// confidentiality or agencies makes a new one.
func (t *Tx) ProjectDirectory() (map[int64]*ProjectEntry, error) {
	rows, err := t.query("SELECT id, slug, title_fa, title_en, confidentiality, status FROM projects")
	if err != nil {
		return nil, err
	}
	out := map[int64]*ProjectEntry{}
	for rows.Next() {
		var id int64
		var e ProjectEntry
		if err := rows.Scan(&id, &e.Slug, &e.Title.FA, &e.Title.EN, &e.Confidentiality, &e.Status); err != nil {
			rows.Close()
			return nil, err
		}
		out[id] = &e
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(`SELECT pa.project_id, a.code FROM project_agencies pa JOIN agencies a ON a.id = pa.agency_id
		JOIN projects p ON p.id = pa.project_id WHERE p.confidentiality = 'confidential' ORDER BY pa.project_id, pa.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if e, ok := out[id]; ok {
			e.Agencies = append(e.Agencies, code)
		}
	}
	return out, rows.Err()
}

// Followed is a project under the council's follow-up: an active member of
// an adopted program.
type Followed struct {
	Project int64 // database id; see ProjectDirectory
	Main    bool  // a main project of an adopted list
}

// FollowedProjects returns the active members of every adopted program,
// each once (main if it is main in any), in no particular order.
func (t *Tx) FollowedProjects() ([]Followed, error) {
	// Read program by program (no ORDER BY, which would make SQLite walk
	// every membership of every program in project order) and merge here.
	rows, err := t.query(`SELECT m.project_id, m.main FROM programs g JOIN memberships m ON m.program_id = g.id
		WHERE g.status = 'adopted' AND m.active`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Followed
	at := map[int64]int{}
	for rows.Next() {
		var f Followed
		if err := rows.Scan(&f.Project, &f.Main); err != nil {
			return nil, err
		}
		if i, ok := at[f.Project]; ok {
			out[i].Main = out[i].Main || f.Main
			continue
		}
		at[f.Project] = len(out)
		out = append(out, f)
	}
	return out, rows.Err()
}

// OpenAction is an open action as the agenda builder needs it.
type OpenAction struct {
	ID            int64
	Series        string
	MeetingNumber int
	Owner         string
	Due           domain.Date
	Description   domain.Text
	Projects      []int64 // database ids, in the action's order; see ProjectDirectory
}

// OpenActions returns every open action with the projects it concerns, by id.
func (t *Tx) OpenActions() ([]OpenAction, error) {
	out, err := t.OpenActionRows()
	if err != nil || len(out) == 0 {
		return out, err
	}
	links, err := t.OpenActionProjects()
	if err != nil {
		return nil, err
	}
	AttachProjects(out, links)
	return out, nil
}

// AttachProjects gives each action its projects from links (action id →
// project ids in order), as OpenActionProjects reads them.
func AttachProjects(actions []OpenAction, links map[int64][]int64) {
	for i := range actions {
		actions[i].Projects = links[actions[i].ID]
	}
}

// OpenActionRows returns every open action by id, without its projects
// (see OpenActionProjects): the two halves can be read at the same time.
func (t *Tx) OpenActionRows() ([]OpenAction, error) {
	// Meetings and agencies are few beside open actions: reading them into
	// maps costs less than joining them on every action row.
	type session struct {
		series string
		number int
	}
	sessions := map[int64]session{}
	rows, err := t.query("SELECT m.id, s.code, m.number FROM meetings m JOIN meeting_series s ON s.id = m.series_id")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var x session
		if err := rows.Scan(&id, &x.series, &x.number); err != nil {
			rows.Close()
			return nil, err
		}
		sessions[id] = x
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	rows, err = t.query("SELECT id, code FROM agencies")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, err
		}
		codes[id] = code
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = t.query(`SELECT a.id, a.meeting_id, a.owner_id, a.due_on, a.description_fa, a.description_en
		FROM actions a WHERE a.status = 'open' ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	var out []OpenAction
	for rows.Next() {
		var a OpenAction
		var meeting, owner int64
		var due string
		if err := rows.Scan(&a.ID, &meeting, &owner, &due, &a.Description.FA, &a.Description.EN); err != nil {
			rows.Close()
			return nil, err
		}
		if d, ok := isoDate(due); ok {
			a.Due = d
		}
		a.Series, a.MeetingNumber, a.Owner = sessions[meeting].series, sessions[meeting].number, codes[owner]
		out = append(out, a)
	}
	rows.Close()
	return out, rows.Err()
}

// OpenActionProjects returns the projects of every open action: action id
// → project ids, in the action's order.
func (t *Tx) OpenActionProjects() (map[int64][]int64, error) {
	// No ORDER BY: sorting thousands of rows costs SQLite more than putting
	// each action's few projects in order here.
	rows, err := t.query(`SELECT ap.action_id, ap.seq, ap.project_id FROM action_projects ap
		JOIN actions a ON a.id = ap.action_id WHERE a.status = 'open'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	seqs := map[int64][]int{}
	for rows.Next() {
		var id, pid int64
		var seq int
		if err := rows.Scan(&id, &seq, &pid); err != nil {
			return nil, err
		}
		out[id] = append(out[id], pid)
		seqs[id] = append(seqs[id], seq)
	}
	for id, ps := range out {
		if len(ps) > 1 {
			sort.Sort(bySeq{ps, seqs[id]})
		}
	}
	return out, rows.Err()
}

// bySeq sorts an action's projects by their position in the action.
type bySeq struct {
	ps  []int64
	seq []int
}

func (b bySeq) Len() int           { return len(b.ps) }
func (b bySeq) Less(i, j int) bool { return b.seq[i] < b.seq[j] }
func (b bySeq) Swap(i, j int) {
	b.ps[i], b.ps[j] = b.ps[j], b.ps[i]
	b.seq[i], b.seq[j] = b.seq[j], b.seq[i]
}

// ---- outcomes ----

// InsertOutcome records an outcome of a meeting (whose database id the
// caller got from GuardMeeting). An action outcome must already carry the
// id of the action it created.
func (t *Tx) InsertOutcome(meeting int64, o *domain.Outcome) error {
	pids, err := t.projectIDs(o.Projects)
	if err != nil {
		return err
	}
	var action any
	if o.Action != 0 {
		action = o.Action
	}
	text := o.Text
	if o.Kind == domain.OutcomeAction {
		text = o.Description
	}
	o.RecordedAt = t.now
	o.ID, err = t.insert(`INSERT INTO outcomes (meeting_id, kind, resolution, text_fa, text_en, action_id, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, meeting, o.Kind, o.Resolution, text.FA, text.EN, action, stamp(o.RecordedAt), o.RecordedBy)
	if err != nil {
		return err
	}
	for i, pid := range pids {
		if _, err := t.exec("INSERT INTO outcome_projects (outcome_id, project_id, seq) VALUES (?, ?, ?)", o.ID, pid, i); err != nil {
			return err
		}
	}
	return nil
}

// ResolutionTaken reports whether a meeting already has a decision with
// this resolution number.
func (t *Tx) ResolutionTaken(meeting int64, resolution string) (bool, error) {
	var n int
	err := t.row("SELECT COUNT(*) FROM outcomes WHERE meeting_id = ? AND kind = 'decision' AND resolution = ?", meeting, resolution).Scan(&n)
	return n > 0, err
}

func (t *Tx) projectIDs(slugs []string) ([]int64, error) {
	out := make([]int64, len(slugs))
	for i, s := range slugs {
		id, err := t.projectID("projects["+strconv.Itoa(i)+"]", s)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// outcomes loads outcomes matching a condition on alias o, leaving out
// those about a project the viewer may not see (an action outcome stays
// visible to its owner agency).
func (t *Tx) outcomes(where string, args []any, v Viewer) ([]domain.Outcome, error) {
	rows, err := t.query(`SELECT o.id, m.code, o.kind, o.resolution, o.text_fa, o.text_en, COALESCE(o.action_id, 0),
		COALESCE(g.code, ''), a.due_on, o.recorded_at, o.recorded_by
		FROM outcomes o JOIN meetings m ON m.id = o.meeting_id LEFT JOIN actions a ON a.id = o.action_id
		LEFT JOIN agencies g ON g.id = a.owner_id WHERE `+where+` ORDER BY o.id`, args...)
	if err != nil {
		return nil, err
	}
	out := []domain.Outcome{}
	idx := map[int64]int{}
	for rows.Next() {
		var o domain.Outcome
		var text domain.Text
		var due sql.NullString
		var at string
		if err := rows.Scan(&o.ID, &o.Meeting, &o.Kind, &o.Resolution, &text.FA, &text.EN, &o.Action, &o.Owner, &due,
			&at, &o.RecordedBy); err != nil {
			rows.Close()
			return nil, err
		}
		if o.Kind == domain.OutcomeAction {
			o.Description, o.Due = text, scanDate(due)
		} else {
			o.Text = text
		}
		o.RecordedAt, o.Projects = parseStamp(at), []string{}
		idx[o.ID] = len(out)
		out = append(out, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, o := range out {
		ids[i] = o.ID
	}
	cond, cargs := followSQL(v)
	prow, err := t.query(`SELECT op.outcome_id, p.slug, `+cond+` FROM outcome_projects op JOIN projects p ON p.id = op.project_id
		WHERE op.outcome_id IN `+inInts(ids)+` ORDER BY op.outcome_id, op.seq`, cargs...)
	if err != nil {
		return nil, err
	}
	hidden := map[int64]bool{}
	for prow.Next() {
		var id int64
		var slug string
		var visible bool
		if err := prow.Scan(&id, &slug, &visible); err != nil {
			prow.Close()
			return nil, err
		}
		if !visible {
			hidden[id] = true
		}
		out[idx[id]].Projects = append(out[idx[id]].Projects, slug)
	}
	prow.Close()
	if err := prow.Err(); err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, o := range out {
		if hidden[o.ID] && !v.All && !(o.Kind == domain.OutcomeAction && v.Agency != "" && o.Owner == v.Agency) {
			continue
		}
		kept = append(kept, o)
	}
	return kept, nil
}

// Decisions lists the decisions of held and closed meetings that the
// viewer may see, newest first, one page at a time; Page.After is the id of
// the previous page's last decision.
func (t *Tx) Decisions(v Viewer, p Page) ([]*domain.Decision, error) {
	return t.decisions(v, p, "")
}

// DecisionsAbout lists the decisions about one project the viewer may see,
// newest first, starting from the project's own links rather than from
// every decision.
func (t *Tx) DecisionsAbout(project string, v Viewer, p Page) ([]*domain.Decision, error) {
	return t.decisions(v, p, project)
}

func (t *Tx) decisions(v Viewer, p Page, project string) ([]*domain.Decision, error) {
	cond, cargs := followSQL(v)
	from := " FROM outcomes o"
	var args []any
	if project != "" {
		from = ` FROM outcome_projects fp CROSS JOIN outcomes o`
	}
	q := `SELECT o.id, m.code, s.code, s.name_fa, s.name_en, m.number, m.held_on, o.resolution, o.text_fa, o.text_en, o.recorded_at` +
		from + ` JOIN meetings m ON m.id = o.meeting_id JOIN meeting_series s ON s.id = m.series_id
		WHERE o.kind = 'decision' AND m.state IN ('held', 'closed')`
	if project != "" {
		q += " AND fp.project_id = (SELECT id FROM projects WHERE slug = ?) AND o.id = fp.outcome_id"
		args = append(args, project)
	}
	q += ` AND NOT EXISTS (SELECT 1 FROM outcome_projects op JOIN projects p ON p.id = op.project_id
			WHERE op.outcome_id = o.id AND NOT ` + cond + `)`
	args = append(args, cargs...)
	if p.After != "" {
		after, err := strconv.ParseInt(p.After, 10, 64)
		if err != nil {
			return nil, domain.Invalid("cursor", "cursor نامعتبر است", "invalid cursor")
		}
		q += " AND o.id < ?"
		args = append(args, after)
	}
	q += " ORDER BY o.id DESC LIMIT ?"
	args = append(args, pageLimit(p))
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	var out []*domain.Decision
	idx := map[int64]*domain.Decision{}
	for rows.Next() {
		var d domain.Decision
		var date, at string
		if err := rows.Scan(&d.ID, &d.Meeting, &d.Series, &d.SeriesName.FA, &d.SeriesName.EN, &d.Number, &date,
			&d.Resolution, &d.Text.FA, &d.Text.EN, &at); err != nil {
			rows.Close()
			return nil, err
		}
		if x, ok := isoDate(date); ok {
			d.Date = x
		}
		d.RecordedAt, d.Projects = parseStamp(at), []string{}
		idx[d.ID] = &d
		out = append(out, &d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, d := range out {
		ids[i] = d.ID
	}
	prow, err := t.query(`SELECT op.outcome_id, p.slug FROM outcome_projects op JOIN projects p ON p.id = op.project_id
		WHERE op.outcome_id IN ` + inInts(ids) + ` ORDER BY op.outcome_id, op.seq`)
	if err != nil {
		return nil, err
	}
	defer prow.Close()
	for prow.Next() {
		var id int64
		var slug string
		if err := prow.Scan(&id, &slug); err != nil {
			return nil, err
		}
		idx[id].Projects = append(idx[id].Projects, slug)
	}
	return out, prow.Err()
}

// ---- actions ----

const actionCols = `a.id, m.code, s.code, g.code, a.description_fa, a.description_en, a.created_on, a.due_on, a.status,
	a.closed_on, a.version, a.created_at, a.updated_at`
const actionFrom = ` FROM actions a JOIN meetings m ON m.id = a.meeting_id JOIN meeting_series s ON s.id = m.series_id
	JOIN agencies g ON g.id = a.owner_id`

func (t *Tx) scanAction(sc interface{ Scan(...any) error }) (*domain.Action, error) {
	var (
		a                      domain.Action
		created, due, cat, uat string
		closed                 sql.NullString
	)
	if err := sc.Scan(&a.ID, &a.Meeting, &a.Series, &a.Owner, &a.Description.FA, &a.Description.EN, &created, &due,
		&a.Status, &closed, &a.Version, &cat, &uat); err != nil {
		return nil, err
	}
	if d, ok := isoDate(created); ok {
		a.Created = d
	}
	if d, ok := isoDate(due); ok {
		a.Due = d
	}
	a.Closed = scanDate(closed)
	a.CreatedAt, a.UpdatedAt = parseStamp(cat), parseStamp(uat)
	a.Overdue = a.Status == domain.ActionOpen && a.Due.Before(domain.DateOf(t.now))
	a.Projects = []string{}
	return &a, nil
}

// InsertAction records an action decided at a meeting (whose database id
// the caller got from GuardMeeting), with its "created" event.
func (t *Tx) InsertAction(meeting int64, a *domain.Action, by string) error {
	owner, err := t.agencyID("owner", a.Owner)
	if err != nil {
		return err
	}
	pids, err := t.projectIDs(a.Projects)
	if err != nil {
		return err
	}
	a.Status = domain.ActionOpen
	a.ID, err = t.insert(`INSERT INTO actions (meeting_id, owner_id, description_fa, description_en, created_on, due_on, status,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		meeting, owner, a.Description.FA, a.Description.EN, a.Created.String(), a.Due.String(), a.Status, stamp(t.now), stamp(t.now))
	if err != nil {
		return err
	}
	for i, pid := range pids {
		if _, err := t.exec("INSERT INTO action_projects (action_id, project_id, seq) VALUES (?, ?, ?)", a.ID, pid, i); err != nil {
			return err
		}
	}
	a.Version, a.CreatedAt, a.UpdatedAt = 1, t.now, t.now
	ev := domain.ActionEvent{Type: domain.ActionCreated, Meeting: a.Meeting, Date: a.Created, RecordedBy: by}
	if err := t.insertActionEvent(a.ID, meeting, &ev); err != nil {
		return err
	}
	a.Events = []domain.ActionEvent{ev}
	return nil
}

func (t *Tx) insertActionEvent(action, meeting int64, ev *domain.ActionEvent) error {
	var mid any
	if meeting != 0 {
		mid = meeting
	}
	ev.RecordedAt = t.now
	var err error
	ev.ID, err = t.insert(`INSERT INTO action_events (action_id, type, meeting_id, on_date, note_fa, note_en, old_due, new_due,
		recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		action, ev.Type, mid, ev.Date.String(), ev.Note.FA, ev.Note.EN, dateArg(ev.OldDue), dateArg(ev.NewDue),
		stamp(ev.RecordedAt), ev.RecordedBy)
	return err
}

// UpdateAction writes an action's due date, status and closing date if its
// stored version is a.Version, and appends ev to its history in the same
// transaction. meeting is the database id of the session ev happened at
// (0: none). Two updates from the same read cannot both land: the second
// is stale.
func (t *Tx) UpdateAction(a *domain.Action, ev *domain.ActionEvent, meeting int64) error {
	res, err := t.exec(`UPDATE actions SET due_on = ?, status = ?, closed_on = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND version = ?`, a.Due.String(), a.Status, dateArg(a.Closed), stamp(t.now), a.ID, a.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "actions", "id", a.ID, "action "+strconv.FormatInt(a.ID, 10)); err != nil {
		return err
	}
	if err := t.insertActionEvent(a.ID, meeting, ev); err != nil {
		return err
	}
	a.Version++
	a.UpdatedAt = t.now
	a.Events = append(a.Events, *ev)
	a.Overdue = a.Status == domain.ActionOpen && a.Due.Before(domain.DateOf(t.now))
	return nil
}

// MeetingRef is what acts on actions need of the meeting they happen at.
func (t *Tx) MeetingRef(code string) (id int64, date domain.Date, err error) {
	var d string
	err = t.row("SELECT id, held_on FROM meetings WHERE code = ?", code).Scan(&id, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, date, domain.Invalid("meeting", "جلسه‌ای با این شناسه ثبت نشده است: "+code, "no meeting with this id is recorded: "+code)
	}
	if x, ok := isoDate(d); ok {
		date = x
	}
	return id, date, err
}

// Action returns an action with its whole history. An action about a
// project the viewer may not see is not found, unless the viewer is its
// owner agency.
func (t *Tx) Action(id int64, v Viewer) (*domain.Action, error) {
	pg, err := t.actionList("a.id = ?", []any{id}, v, true)
	if err != nil {
		return nil, err
	}
	if len(pg.visible) == 0 {
		return nil, domain.NotFound("id", "action")
	}
	return pg.visible[0], nil
}

// Actions lists the actions the viewer may see, by id, one page at a time,
// without their histories.
func (t *Tx) Actions(f ActionFilter, v Viewer, p Page) ([]*domain.Action, error) {
	after, _ := strconv.ParseInt(p.After, 10, 64)
	where := "a.id > ?"
	args := []any{after}
	if f.Owner != "" {
		where += " AND g.code = ?"
		args = append(args, f.Owner)
	}
	if f.OpenOnly {
		where += " AND a.status = 'open'"
	}
	if f.Project != "" {
		where += " AND EXISTS (SELECT 1 FROM action_projects fp JOIN projects fpp ON fpp.id = fp.project_id WHERE fp.action_id = a.id AND fpp.slug = ?)"
		args = append(args, f.Project)
	}
	// Visibility is decided after the page is read, so read pages until
	// one holds enough visible actions or the table ends.
	var out []*domain.Action
	for {
		page, err := t.actionList(where+" ORDER BY a.id LIMIT "+strconv.Itoa(pageLimit(p)), args, v, false)
		if err != nil {
			return nil, err
		}
		out = append(out, page.visible...)
		if len(out) >= pageLimit(p) || page.read < pageLimit(p) {
			if len(out) > pageLimit(p) {
				out = out[:pageLimit(p)]
			}
			return out, nil
		}
		args[0] = page.last
	}
}

// OverdueActions lists the open actions due before day that the viewer may
// see, the most overdue first, up to limit, and says how many there are in
// all: the dashboard's list, without reading every open action.
func (t *Tx) OverdueActions(day domain.Date, v Viewer, limit int) ([]*domain.Action, int, error) {
	cond, cargs := followSQL(v)
	var total int
	err := t.row(`SELECT COUNT(*) FROM actions a WHERE a.status = 'open' AND a.due_on < ? AND NOT EXISTS (
		SELECT 1 FROM action_projects ap JOIN projects p ON p.id = ap.project_id WHERE ap.action_id = a.id AND NOT `+cond+`)`,
		append([]any{day.String()}, cargs...)...).Scan(&total)
	if err != nil || total == 0 {
		return nil, total, err
	}
	var out []*domain.Action
	for offset := 0; len(out) < limit; offset += limit {
		page, err := t.actionList("a.status = 'open' AND a.due_on < ? ORDER BY a.due_on, a.id LIMIT "+strconv.Itoa(limit)+
			" OFFSET "+strconv.Itoa(offset), []any{day.String()}, v, false)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, page.visible...)
		if page.read < limit {
			break
		}
	}
	return out[:min(len(out), limit)], total, nil
}

type actionPage struct {
	visible []*domain.Action
	read    int   // rows read, visible or not
	last    int64 // id of the last row read
}

// actionList loads the actions matching a condition (on aliases a, m, s,
// g), keeping those the viewer may see; with events, their histories too.
func (t *Tx) actionList(where string, args []any, v Viewer, events bool) (actionPage, error) {
	var pg actionPage
	rows, err := t.query("SELECT "+actionCols+actionFrom+" WHERE "+where, args...)
	if err != nil {
		return pg, err
	}
	var all []*domain.Action
	byID := map[int64]*domain.Action{}
	for rows.Next() {
		a, err := t.scanAction(rows)
		if err != nil {
			rows.Close()
			return pg, err
		}
		all = append(all, a)
		byID[a.ID] = a
		pg.last = a.ID
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(all) == 0 {
		return pg, err
	}
	pg.read = len(all)
	ids := make([]int64, len(all))
	for i, a := range all {
		ids[i] = a.ID
	}
	cond, cargs := followSQL(v)
	prow, err := t.query(`SELECT ap.action_id, p.slug, `+cond+` FROM action_projects ap JOIN projects p ON p.id = ap.project_id
		WHERE ap.action_id IN `+inInts(ids)+` ORDER BY ap.action_id, ap.seq`, cargs...)
	if err != nil {
		return pg, err
	}
	hidden := map[int64]bool{}
	for prow.Next() {
		var id int64
		var slug string
		var visible bool
		if err := prow.Scan(&id, &slug, &visible); err != nil {
			prow.Close()
			return pg, err
		}
		byID[id].Projects = append(byID[id].Projects, slug)
		if !visible {
			hidden[id] = true
		}
	}
	prow.Close()
	if err := prow.Err(); err != nil {
		return pg, err
	}
	for _, a := range all {
		if hidden[a.ID] && !v.All && !(v.Agency != "" && a.Owner == v.Agency) {
			continue
		}
		pg.visible = append(pg.visible, a)
	}
	if !events || len(pg.visible) == 0 {
		return pg, nil
	}
	vis := make([]int64, len(pg.visible))
	for i, a := range pg.visible {
		vis[i] = a.ID
		a.Events = []domain.ActionEvent{}
	}
	erows, err := t.query(`SELECT e.action_id, e.id, e.type, COALESCE(m.code, ''), e.on_date, e.note_fa, e.note_en, e.old_due, e.new_due,
		e.recorded_at, e.recorded_by FROM action_events e LEFT JOIN meetings m ON m.id = e.meeting_id
		WHERE e.action_id IN ` + inInts(vis) + ` ORDER BY e.action_id, e.id`)
	if err != nil {
		return pg, err
	}
	defer erows.Close()
	for erows.Next() {
		var aid int64
		ev, err := scanActionEvent(erows, &aid)
		if err != nil {
			return pg, err
		}
		byID[aid].Events = append(byID[aid].Events, ev)
	}
	return pg, erows.Err()
}

func scanActionEvent(sc interface{ Scan(...any) error }, action *int64) (domain.ActionEvent, error) {
	var (
		ev             domain.ActionEvent
		date, at       string
		oldDue, newDue sql.NullString
	)
	if err := sc.Scan(action, &ev.ID, &ev.Type, &ev.Meeting, &date, &ev.Note.FA, &ev.Note.EN, &oldDue, &newDue, &at, &ev.RecordedBy); err != nil {
		return ev, err
	}
	if d, ok := isoDate(date); ok {
		ev.Date = d
	}
	ev.OldDue, ev.NewDue, ev.RecordedAt = scanDate(oldDue), scanDate(newDue), parseStamp(at)
	return ev, nil
}

// followUps loads the events recorded at a meeting on actions, other than
// their creation, for the actions the viewer may see.
func (t *Tx) followUps(meeting int64, v Viewer) ([]domain.ActionFollowUp, error) {
	rows, err := t.query(`SELECT e.action_id, e.id, e.type, COALESCE(m.code, ''), e.on_date, e.note_fa, e.note_en, e.old_due, e.new_due,
		e.recorded_at, e.recorded_by FROM action_events e LEFT JOIN meetings m ON m.id = e.meeting_id
		WHERE e.meeting_id = ? AND e.type <> 'created' ORDER BY e.id`, meeting)
	if err != nil {
		return nil, err
	}
	out := []domain.ActionFollowUp{}
	var ids []int64
	for rows.Next() {
		var f domain.ActionFollowUp
		ev, err := scanActionEvent(rows, &f.Action)
		if err != nil {
			rows.Close()
			return nil, err
		}
		f.ActionEvent = ev
		out = append(out, f)
		ids = append(ids, f.Action)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	pg, err := t.actionList("a.id IN "+inInts(ids), nil, v, false)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Action{}
	for _, a := range pg.visible {
		byID[a.ID] = a
	}
	kept := out[:0]
	for _, f := range out {
		a, ok := byID[f.Action]
		if !ok {
			continue
		}
		f.Description, f.Owner = a.Description, a.Owner
		kept = append(kept, f)
	}
	return kept, nil
}

// ActionProjectSlugs returns the projects each of the given actions
// concerns, and its owner agency, by action id.
func (t *Tx) ActionProjectSlugs(ids []int64) (projects map[int64][]string, owners map[int64]string, err error) {
	projects, owners = map[int64][]string{}, map[int64]string{}
	if len(ids) == 0 {
		return projects, owners, nil
	}
	rows, err := t.query(`SELECT a.id, g.code FROM actions a JOIN agencies g ON g.id = a.owner_id WHERE a.id IN ` + inInts(ids))
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, nil, err
		}
		owners[id] = code
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = t.query(`SELECT ap.action_id, p.slug FROM action_projects ap JOIN projects p ON p.id = ap.project_id
		WHERE ap.action_id IN ` + inInts(ids) + ` ORDER BY ap.action_id, ap.seq`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, nil, err
		}
		projects[id] = append(projects[id], slug)
	}
	return projects, owners, rows.Err()
}

// ---- names, for documents ----

// ProjectTitles returns the titles of the given projects; unknown slugs are
// left out.
func (t *Tx) ProjectTitles(slugs []string) (map[string]domain.Text, error) {
	return t.textsByKey("projects", "slug", "title", slugs)
}

// AgencyNames returns the names of the given agencies; unknown codes are
// left out.
func (t *Tx) AgencyNames(codes []string) (map[string]domain.Text, error) {
	return t.textsByKey("agencies", "code", "name", codes)
}

// textsByKey reads the bilingual column (col_fa, col_en) of the rows of
// table whose key column holds one of keys (see inKeys).
func (t *Tx) textsByKey(table, key, col string, keys []string) (map[string]domain.Text, error) {
	out := map[string]domain.Text{}
	want := keySet(keys)
	err := inKeys(keys, func(in string, args []any) error {
		q := "SELECT " + key + ", " + col + "_fa, " + col + "_en FROM " + table
		if in != "" {
			q += " WHERE " + key + " IN " + in
		}
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var x domain.Text
			if err := rows.Scan(&k, &x.FA, &x.EN); err != nil {
				return err
			}
			if want == nil || want[k] {
				out[k] = x
			}
		}
		return rows.Err()
	})
	return out, err
}
