package store

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// Follow-through in public (issue 14): the actions the council gave about
// public projects, and the held meetings, as the public reads them. The
// public's rule is stricter than followSQL's one row at a time: an action
// is the public's only when it names at least one project and every
// project it names is public, so an action about a confidential or a
// restricted project is absent, not redacted.

// publicActionSQL is a condition on actions alias a: the action is the
// public's.
const publicActionSQL = `EXISTS (SELECT 1 FROM action_projects pa WHERE pa.action_id = a.id)
	AND NOT EXISTS (SELECT 1 FROM action_projects pa JOIN projects pp ON pp.id = pa.project_id
		WHERE pa.action_id = a.id AND pp.confidentiality <> 'public')`

// PublicActionFilter narrows the public's action list.
type PublicActionFilter struct {
	Owner   string // owner agency code
	Status  string // "": all; "open", "closed", or "overdue" (open and due before the day)
	Project string // a project the action is about
	Meeting string // the session that decided it
}

// ActionStatuses are the values PublicActionFilter.Status takes.
var ActionStatuses = []string{"open", "overdue", "closed"}

// nonPublicProjectsSQL selects the ids of the projects that are not
// public: a handful in a national registry, found through the index on
// confidentiality (migration 00036) once per statement.
func nonPublicProjectsSQL() string {
	return "(SELECT np.id FROM projects np WHERE np.confidentiality IN " + nonPublicLevels() + ")"
}

// publicActionWalkSQL is publicActionSQL for alias x, written for a walk
// over many actions in an index's order: the actions about a non-public
// project are gathered once per statement, so deciding whether an action
// is the public's reads no project row.
func publicActionWalkSQL() string {
	return `EXISTS (SELECT 1 FROM action_projects pa WHERE pa.action_id = x.id)
	AND x.id NOT IN (SELECT hp.action_id FROM action_projects hp WHERE hp.project_id IN ` + nonPublicProjectsSQL() + `)`
}

// PublicActions lists the public's actions matching f, with their whole
// histories, a page at a time (offset, limit), and says how many match in
// all. day decides which open actions are overdue. Overdue actions come
// most overdue first; the others newest decision first.
//
// The count and the skip to the page walk an index of the actions
// (actions_by_created, actions_by_due) that holds every column a filter
// tests; only the page's own actions are then read, with their projects
// and histories.
func (t *Tx) PublicActions(f PublicActionFilter, day domain.Date, offset, limit int) ([]*domain.Action, int, error) {
	where, args, order := publicActionQuery(f, day)
	var total int
	if err := t.row("SELECT COUNT(*) FROM actions x WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return []*domain.Action{}, total, nil
	}
	page := "a.id IN (SELECT x.id FROM actions x WHERE " + where + fmt.Sprintf(order, "x") + " LIMIT " + strconv.Itoa(limit) +
		" OFFSET " + strconv.Itoa(offset) + ")" + fmt.Sprintf(order, "a")
	acts, err := t.publicActionPage(page, args, day)
	return acts, total, err
}

// PublicActionIDs lists the ids of the public's actions matching f, in
// PublicActions' order: what a caller that keeps them counts and pages
// through (service.PublicActions), walking the index once.
func (t *Tx) PublicActionIDs(f PublicActionFilter, day domain.Date) ([]int64, error) {
	where, args, order := publicActionQuery(f, day)
	return list(t, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT x.id FROM actions x WHERE "+where+fmt.Sprintf(order, "x"), args...)
}

// PublicActionsIn reads the actions with the ids, which PublicActionIDs
// listed, with their whole histories, in the order of ids.
func (t *Tx) PublicActionsIn(ids []int64, day domain.Date) ([]*domain.Action, error) {
	if len(ids) == 0 {
		return []*domain.Action{}, nil
	}
	acts, err := t.publicActionPage("a.id IN "+inInts(ids), nil, day)
	if err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(acts, func(a, b *domain.Action) int { return at[a.ID] - at[b.ID] })
	return acts, nil
}

// publicActionQuery is the condition on actions x that keeps the public's
// actions matching f, its arguments, and the list's order (a format
// taking the alias).
func publicActionQuery(f PublicActionFilter, day domain.Date) (where string, args []any, order string) {
	where = publicActionWalkSQL()
	if f.Owner != "" {
		where += " AND x.owner_id = (SELECT id FROM agencies WHERE code = ?)"
		args = append(args, f.Owner)
	}
	order = " ORDER BY %[1]s.created_on DESC, %[1]s.id DESC"
	switch f.Status {
	case "open", "closed":
		where += " AND x.status = ?"
		args = append(args, f.Status)
	case "overdue":
		where += " AND x.status = 'open' AND x.due_on < ?"
		args = append(args, day.String())
		order = " ORDER BY %[1]s.due_on, %[1]s.id"
	}
	if f.Project != "" {
		where += ` AND x.id IN (SELECT fp.action_id FROM action_projects fp WHERE fp.project_id = (SELECT id FROM projects WHERE slug = ?))`
		args = append(args, f.Project)
	}
	if f.Meeting != "" {
		where += " AND x.meeting_id = (SELECT id FROM meetings WHERE code = ?)"
		args = append(args, f.Meeting)
	}
	return where, args, order
}

// publicActionPage reads the actions a condition on alias a keeps, as the
// public reads them, with their histories; day decides which are overdue.
func (t *Tx) publicActionPage(where string, args []any, day domain.Date) ([]*domain.Action, error) {
	pg, err := t.actionList(where, args, domain.Viewer{}, true)
	if err != nil {
		return nil, err
	}
	if pg.visible == nil {
		pg.visible = []*domain.Action{}
	}
	for _, a := range pg.visible {
		a.Overdue = a.Status == domain.ActionOpen && a.Due.Before(day)
	}
	return pg.visible, nil
}

// PublicMeetings lists the held and closed meetings, newest first, a page
// at a time, of one series or all, and says how many there are. The count
// and the skip to the page walk the index meetings_public alone.
func (t *Tx) PublicMeetings(series string, offset, limit int) ([]*domain.Meeting, int, error) {
	where := " WHERE m.state IN ('held', 'closed')"
	var args []any
	if series != "" {
		where += " AND m.series_id = (SELECT id FROM meeting_series WHERE code = ?)"
		args = append(args, series)
	}
	var total int
	if err := t.row("SELECT COUNT(*) FROM meetings m"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return []*domain.Meeting{}, total, nil
	}
	out, _, err := listWithIDs(t, scanMeeting, "SELECT "+meetingCols+meetingFrom+" WHERE m.id IN (SELECT m.id FROM meetings m"+where+
		" ORDER BY m.held_on DESC, m.id DESC LIMIT "+strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(offset)+") ORDER BY m.held_on DESC, m.id DESC", args...)
	return out, total, err
}

// PublicActionOwners names the agencies that own at least one of the
// public's actions, by code: for each agency, its actions are walked (index
// actions_owner) until one is the public's.
func (t *Tx) PublicActionOwners() (map[string]domain.Text, error) {
	out := map[string]domain.Text{}
	rows, err := t.query(`SELECT g.code, g.name_fa, g.name_en FROM agencies g WHERE EXISTS (
		SELECT 1 FROM actions x WHERE x.owner_id = g.id AND ` + publicActionWalkSQL() + `) ORDER BY g.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var name domain.Text
		if err := rows.Scan(&code, &name.FA, &name.EN); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}

// projectActionsSQL is two columns of the project page's one statement
// (projectPageSQL, alias p): the actions about the project the viewer may
// read — for the public, the public's actions — and the histories of the
// actions about it, each a jsonRows column that projectActionsOf reads
// back. The histories are not checked again for who may read their
// action: projectActionsOf keeps only those of the actions the first
// column holds (checking twice cost a third of the statement at 10,000
// projects, issue 12). Both are ordered by the project's own link
// (xp.action_id, equal to a.id and ev.action_id), which the index
// action_projects_project holds in that order: no sort.
func projectActionsSQL(e Engine, v domain.Viewer) string {
	cond := publicActionSQL
	if v.All || v.Staff || v.Agency != "" {
		fc, _ := followSQL(v)
		cond = `NOT EXISTS (SELECT 1 FROM action_projects op JOIN projects p ON p.id = op.project_id
			WHERE op.action_id = a.id AND NOT ` + fc + `)`
	}
	return jsonRows(e, textCols(e, "a.id", "a.description_fa", "a.description_en", "ag.code", "ag.name_fa", "ag.name_en",
		"a.created_on", "a.due_on", "a.status", "COALESCE(a.closed_on, '')", "am.code"),
		`action_projects xp JOIN actions a ON a.id = xp.action_id JOIN agencies ag ON ag.id = a.owner_id
		JOIN meetings am ON am.id = a.meeting_id WHERE xp.project_id = p.id AND `+cond, "xp.action_id DESC") + `,
	` + jsonRows(e, textCols(e, "ev.action_id", "ev.type", "ev.on_date", "ev.note_fa", "ev.note_en", "COALESCE(ev.old_due, '')",
		"COALESCE(ev.new_due, '')", "COALESCE(em.code, '')"),
		`action_projects xp JOIN action_events ev ON ev.action_id = xp.action_id
		LEFT JOIN meetings em ON em.id = ev.meeting_id WHERE xp.project_id = p.id`, "xp.action_id, ev.id")
}

// projectActionsArgs are the arguments of projectActionsSQL's columns.
func projectActionsArgs(v domain.Viewer) []any {
	if v.All || v.Staff || v.Agency != "" {
		_, args := followSQL(v)
		return args
	}
	return nil
}

// projectActionsOf reads the two columns of projectActionsSQL: the actions,
// newest first, each with its history (no accounts) and its owner's name;
// a history whose action is not among them is left out.
func projectActionsOf(actions, events string, day domain.Date, names map[string]domain.Text) ([]*domain.Action, error) {
	rows, err := parseRows(actions)
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Action, 0, len(rows))
	byID := map[int64]*domain.Action{}
	for _, r := range rows {
		a := &domain.Action{Description: domain.T(field(r, 1), field(r, 2)), Owner: field(r, 3), Status: domain.ActionStatus(field(r, 8)),
			Closed: datePtr(field(r, 9)), Meeting: field(r, 10), Events: []domain.ActionEvent{}, Projects: []string{}}
		a.ID, _ = strconv.ParseInt(field(r, 0), 10, 64)
		if d, ok := isoDate(field(r, 6)); ok {
			a.Created = d
		}
		if d, ok := isoDate(field(r, 7)); ok {
			a.Due = d
		}
		a.Overdue = a.Status == domain.ActionOpen && a.Due.Before(day)
		names[a.Owner] = domain.T(field(r, 4), field(r, 5))
		byID[a.ID] = a
		out = append(out, a)
	}
	if rows, err = parseRows(events); err != nil {
		return nil, err
	}
	for _, r := range rows {
		id, _ := strconv.ParseInt(field(r, 0), 10, 64)
		a := byID[id]
		if a == nil {
			continue
		}
		ev := domain.ActionEvent{Type: domain.ActionEventType(field(r, 1)), Note: domain.T(field(r, 3), field(r, 4)),
			OldDue: datePtr(field(r, 5)), NewDue: datePtr(field(r, 6)), Meeting: field(r, 7)}
		if d, ok := isoDate(field(r, 2)); ok {
			ev.Date = d
		}
		a.Events = append(a.Events, ev)
	}
	return out, nil
}
