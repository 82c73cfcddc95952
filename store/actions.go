package store

import (
	"database/sql"
	"errors"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// Actions decided at meetings: their owner agency, due date and projects,
// and the history of what happened to them at later sessions.

const actionCols = `a.id, m.code, s.code, g.code, a.description_fa, a.description_en, a.created_on, a.due_on, a.status,
	a.closed_on, a.version, a.created_at, a.updated_at`

const actionFrom = ` FROM actions a JOIN meetings m ON m.id = a.meeting_id JOIN meeting_series s ON s.id = m.series_id
	JOIN agencies g ON g.id = a.owner_id`

func (t *Tx) scanAction(sc scanner) (*domain.Action, error) {
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
func (t *Tx) Action(id int64, v domain.Viewer) (*domain.Action, error) {
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
func (t *Tx) Actions(f domain.ActionFilter, v domain.Viewer, p domain.Page) ([]*domain.Action, error) {
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
func (t *Tx) OverdueActions(day domain.Date, v domain.Viewer, limit int) ([]*domain.Action, int, error) {
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
func (t *Tx) actionList(where string, args []any, v domain.Viewer, events bool) (actionPage, error) {
	var pg actionPage
	all, err := list(t, t.scanAction, "SELECT "+actionCols+actionFrom+" WHERE "+where, args...)
	if err != nil || len(all) == 0 {
		return pg, err
	}
	pg.read, pg.last = len(all), all[len(all)-1].ID
	byID := make(map[int64]*domain.Action, len(all))
	ids := make([]int64, len(all))
	for i, a := range all {
		byID[a.ID], ids[i] = a, a.ID
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

func scanActionEvent(sc scanner, action *int64) (domain.ActionEvent, error) {
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

// followUps loads the events recorded at a meeting (atMeeting: a condition
// on e.meeting_id taking the one argument meeting) on actions, other than
// their creation, for the actions the viewer may see, in one statement: an
// action about a project the viewer may not see (its own links tested
// against the few hidden projects, noHiddenSQL) is left out, unless the
// viewer is its owner agency — the rule actionList applies.
func (t *Tx) followUps(atMeeting string, meeting any, v domain.Viewer) ([]domain.ActionFollowUp, error) {
	q := `SELECT e.action_id, e.id, e.type, COALESCE(m.code, ''), e.on_date, e.note_fa, e.note_en, e.old_due, e.new_due,
		e.recorded_at, e.recorded_by, a.description_fa, a.description_en, g.code
		FROM action_events e JOIN actions a ON a.id = e.action_id JOIN agencies g ON g.id = a.owner_id
		LEFT JOIN meetings m ON m.id = e.meeting_id
		WHERE ` + atMeeting + ` AND e.type <> 'created'`
	args := []any{meeting}
	if !v.All {
		hidden, cargs := noHiddenSQL(t.db.engine, v, "action_projects", "action_id", "e.action_id")
		if v.Agency != "" {
			hidden = "(g.code = ? OR " + hidden + ")"
			args = append(args, v.Agency)
		}
		q += " AND " + hidden
		args = append(args, cargs...)
	}
	return orEmpty(list(t, func(sc scanner) (f domain.ActionFollowUp, err error) {
		var (
			date, at       string
			oldDue, newDue sql.NullString
		)
		if err := sc.Scan(&f.Action, &f.ID, &f.Type, &f.Meeting, &date, &f.Note.FA, &f.Note.EN, &oldDue, &newDue, &at, &f.RecordedBy,
			&f.Description.FA, &f.Description.EN, &f.Owner); err != nil {
			return f, err
		}
		if d, ok := isoDate(date); ok {
			f.Date = d
		}
		f.OldDue, f.NewDue, f.RecordedAt = scanDate(oldDue), scanDate(newDue), parseStamp(at)
		return f, nil
	}, q+" ORDER BY e.id", args...))
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

// ActionsByID reads actions by id, each as Action reads it for a viewer
// who sees everything (with its history).
func (t *Tx) ActionsByID(ids []int64) (map[int64]*domain.Action, error) {
	out := map[int64]*domain.Action{}
	if len(ids) == 0 {
		return out, nil
	}
	pg, err := t.actionList("a.id IN "+inInts(ids), nil, domain.Viewer{All: true}, true)
	for _, a := range pg.visible {
		out[a.ID] = a
	}
	return out, err
}
