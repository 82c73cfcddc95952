package store

import (
	"database/sql"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// A meeting's outcomes (information reported, decisions, actions decided)
// and the decisions read across meetings.

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

// outcomes loads outcomes matching a condition on alias o, leaving out
// those about a project the viewer may not see (an action outcome stays
// visible to its owner agency).
func (t *Tx) outcomes(where string, args []any, v domain.Viewer) ([]domain.Outcome, error) {
	out, err := orEmpty(list(t, scanOutcome, `SELECT o.id, m.code, o.kind, o.resolution, o.text_fa, o.text_en,
		COALESCE(o.action_id, 0), COALESCE(g.code, ''), a.due_on, o.recorded_at, o.recorded_by
		FROM outcomes o JOIN meetings m ON m.id = o.meeting_id LEFT JOIN actions a ON a.id = o.action_id
		LEFT JOIN agencies g ON g.id = a.owner_id WHERE `+where+` ORDER BY o.id`, args...))
	if err != nil || len(out) == 0 {
		return out, err
	}
	idx := make(map[int64]int, len(out))
	ids := make([]int64, len(out))
	for i, o := range out {
		idx[o.ID], ids[i] = i, o.ID
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

func scanOutcome(sc scanner) (domain.Outcome, error) {
	var (
		o    domain.Outcome
		text domain.Text
		due  sql.NullString
		at   string
	)
	if err := sc.Scan(&o.ID, &o.Meeting, &o.Kind, &o.Resolution, &text.FA, &text.EN, &o.Action, &o.Owner, &due,
		&at, &o.RecordedBy); err != nil {
		return o, err
	}
	if o.Kind == domain.OutcomeAction {
		o.Description, o.Due = text, scanDate(due)
	} else {
		o.Text = text
	}
	o.RecordedAt, o.Projects = parseStamp(at), []string{}
	return o, nil
}

// Decisions lists the decisions the viewer may see (decidedSQL: for the
// public, of closed meetings only), newest first, one page at a time; Page.After is the id of
// the previous page's last decision.
func (t *Tx) Decisions(v domain.Viewer, p domain.Page) ([]*domain.Decision, error) {
	return t.decisions(v, p, "")
}

// DecisionsAbout lists the decisions about one project the viewer may see,
// newest first, starting from the project's own links rather than from
// every decision.
func (t *Tx) DecisionsAbout(project string, v domain.Viewer, p domain.Page) ([]*domain.Decision, error) {
	return t.decisions(v, p, project)
}

func (t *Tx) decisions(v domain.Viewer, p domain.Page, project string) ([]*domain.Decision, error) {
	from := " FROM outcomes o"
	var args []any
	if project != "" {
		from = ` FROM outcome_projects fp CROSS JOIN outcomes o`
	}
	q := `SELECT o.id, m.code, s.code, s.name_fa, s.name_en, m.number, m.held_on, o.resolution, o.text_fa, o.text_en, o.recorded_at` +
		from + ` JOIN meetings m ON m.id = o.meeting_id JOIN meeting_series s ON s.id = m.series_id
		WHERE o.kind = 'decision' AND ` + decidedSQL(v, "m")
	if project != "" {
		q += " AND fp.project_id = (SELECT id FROM projects WHERE slug = ?) AND o.id = fp.outcome_id"
		args = append(args, project)
	}
	if !v.All {
		// A decision about a project the viewer may not see is left out by
		// its own links, against the few hidden projects gathered once
		// per statement: a page costs the decisions it walks, not every
		// decision about a non-public project.
		hidden, hargs := noHiddenSQL(t.db.engine, v, "outcome_projects", "outcome_id", "o.id")
		q += " AND " + hidden
		args = append(args, hargs...)
	}
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
	out, err := list(t, scanDecision, q, args...)
	if err != nil || len(out) == 0 {
		return out, err
	}
	idx := make(map[int64]*domain.Decision, len(out))
	ids := make([]int64, len(out))
	for i, d := range out {
		idx[d.ID], ids[i] = d, d.ID
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

func scanDecision(sc scanner) (*domain.Decision, error) {
	var d domain.Decision
	var date, at string
	if err := sc.Scan(&d.ID, &d.Meeting, &d.Series, &d.SeriesName.FA, &d.SeriesName.EN, &d.Number, &date,
		&d.Resolution, &d.Text.FA, &d.Text.EN, &at); err != nil {
		return nil, err
	}
	if x, ok := isoDate(date); ok {
		d.Date = x
	}
	d.RecordedAt, d.Projects = parseStamp(at), []string{}
	return &d, nil
}
