package store

import (
	"database/sql"
	"errors"
	"sort"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// A meeting's agenda, and what the agenda builder reads to propose one: the
// project directory, the projects under follow-up and the open actions.

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
func (t *Tx) agenda(meeting int64, v domain.Viewer) ([]domain.AgendaItem, error) {
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

// ProjectDirectory returns every project's entry by database id. It reads
// the whole projects table, so callers keep it for a registry generation
// (see Generation): every change to a project's slug, title,
// confidentiality or agencies makes a new one.
func (t *Tx) ProjectDirectory() (map[int64]*domain.ProjectEntry, error) {
	rows, err := t.query("SELECT id, slug, title_fa, title_en, confidentiality, status FROM projects")
	if err != nil {
		return nil, err
	}
	out := map[int64]*domain.ProjectEntry{}
	for rows.Next() {
		var id int64
		var e domain.ProjectEntry
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
	return list(t, func(sc scanner) (OpenAction, error) {
		var a OpenAction
		var meeting, owner int64
		var due string
		if err := sc.Scan(&a.ID, &meeting, &owner, &due, &a.Description.FA, &a.Description.EN); err != nil {
			return a, err
		}
		if d, ok := isoDate(due); ok {
			a.Due = d
		}
		a.Series, a.MeetingNumber, a.Owner = sessions[meeting].series, sessions[meeting].number, codes[owner]
		return a, nil
	}, `SELECT a.id, a.meeting_id, a.owner_id, a.due_on, a.description_fa, a.description_en
		FROM actions a WHERE a.status = 'open' ORDER BY a.id`)
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
