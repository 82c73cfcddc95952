package store

import (
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

// PublicActions lists the public's actions matching f, with their whole
// histories, a page at a time (offset, limit), and says how many match in
// all. day decides which open actions are overdue. Overdue actions come
// most overdue first; the others newest decision first.
func (t *Tx) PublicActions(f PublicActionFilter, day domain.Date, offset, limit int) ([]*domain.Action, int, error) {
	where := publicActionSQL
	var args []any
	if f.Owner != "" {
		where += " AND a.owner_id = (SELECT id FROM agencies WHERE code = ?)"
		args = append(args, f.Owner)
	}
	order := " ORDER BY a.created_on DESC, a.id DESC"
	switch f.Status {
	case "open", "closed":
		where += " AND a.status = ?"
		args = append(args, f.Status)
	case "overdue":
		where += " AND a.status = 'open' AND a.due_on < ?"
		args = append(args, day.String())
		order = " ORDER BY a.due_on, a.id"
	}
	if f.Project != "" {
		where += ` AND EXISTS (SELECT 1 FROM action_projects fp JOIN projects fpp ON fpp.id = fp.project_id
			WHERE fp.action_id = a.id AND fpp.slug = ?)`
		args = append(args, f.Project)
	}
	if f.Meeting != "" {
		where += " AND a.meeting_id = (SELECT id FROM meetings WHERE code = ?)"
		args = append(args, f.Meeting)
	}
	var total int
	if err := t.row("SELECT COUNT(*) FROM actions a WHERE "+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return []*domain.Action{}, total, nil
	}
	pg, err := t.actionList(where+order+" LIMIT "+strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(offset), args, domain.Viewer{}, true)
	if err != nil {
		return nil, 0, err
	}
	if pg.visible == nil {
		pg.visible = []*domain.Action{}
	}
	day0 := day
	for _, a := range pg.visible {
		a.Overdue = a.Status == domain.ActionOpen && a.Due.Before(day0)
	}
	return pg.visible, total, nil
}

// PublicMeetings lists the held and closed meetings, newest first, a page
// at a time, of one series or all, and says how many there are.
func (t *Tx) PublicMeetings(series string, offset, limit int) ([]*domain.Meeting, int, error) {
	where := " WHERE m.state IN ('held', 'closed')"
	var args []any
	if series != "" {
		where += " AND s.code = ?"
		args = append(args, series)
	}
	var total int
	if err := t.row("SELECT COUNT(*)"+meetingFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if total == 0 || offset >= total {
		return []*domain.Meeting{}, total, nil
	}
	out, _, err := listWithIDs(t, scanMeeting, "SELECT "+meetingCols+meetingFrom+where+
		" ORDER BY m.held_on DESC, m.id DESC LIMIT "+strconv.Itoa(limit)+" OFFSET "+strconv.Itoa(offset), args...)
	return out, total, err
}

// PublicActionOwners names the agencies that own at least one of the
// public's actions, by code.
func (t *Tx) PublicActionOwners() (map[string]domain.Text, error) {
	out := map[string]domain.Text{}
	rows, err := t.query(`SELECT g.code, g.name_fa, g.name_en FROM agencies g WHERE EXISTS (
		SELECT 1 FROM actions a WHERE a.owner_id = g.id AND ` + publicActionSQL + `) ORDER BY g.code`)
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
