package store

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/pishran/pishran/domain"
)

const eventCols = `e.id, g.slug, p.slug, e.type, e.on_date, e.stage, e.main, e.reason, COALESCE(s.slug, ''),
	e.note_fa, e.note_en, COALESCE(e.voids_id, 0), e.sources, e.recorded_at, e.recorded_by`
const eventFrom = ` FROM membership_events e JOIN programs g ON g.id = e.program_id JOIN projects p ON p.id = e.project_id
	LEFT JOIN projects s ON s.id = e.successor_id`

func scanEvent(sc scanner) (*domain.MembershipEvent, error) {
	var (
		e         domain.MembershipEvent
		date      sql.NullString
		srcs, rat string
	)
	if err := sc.Scan(&e.ID, &e.Program, &e.Project, &e.Type, &date, &e.Stage, &e.Main, &e.Reason, &e.Successor,
		&e.Note.FA, &e.Note.EN, &e.Voids, &srcs, &rat, &e.RecordedBy); err != nil {
		return nil, err
	}
	e.Date, e.RecordedAt = scanDate(date), parseStamp(rat)
	return &e, scanJSON(srcs, &e.Sources)
}

// AppendEvent adds an event to the membership history and refolds the pair's
// standing in the same transaction. The history is never edited: a voided
// event must name an earlier, unvoided event of the same pair.
func (t *Tx) AppendEvent(e *domain.MembershipEvent) error {
	if err := t.touch(); err != nil {
		return err
	}
	gid, err := t.programID("program", e.Program)
	if err != nil {
		return err
	}
	// Membership changes of one program are serialized, so two concurrent
	// designations of one project cannot both see it absent and both enter
	// it. (SQLite has one writer at a time already.)
	if err := t.lockRow("programs", gid); err != nil {
		return err
	}
	pid, err := t.projectID("project", e.Project)
	if err != nil {
		return err
	}
	var succ any
	if e.Successor != "" {
		id, err := t.projectID("successor", e.Successor)
		if err != nil {
			return err
		}
		succ = id
	}
	var voids any
	if e.Type == domain.EventVoided {
		var g, p int64
		err := t.row("SELECT program_id, project_id FROM membership_events WHERE id = ?", e.Voids).Scan(&g, &p)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (g != gid || p != pid)) {
			return domain.Invalid("voids", "این رویداد در تاریخچه این عضویت نیست", "no such event in this membership's history")
		}
		if err != nil {
			return err
		}
		var n int
		if err := t.row("SELECT COUNT(*) FROM membership_events WHERE voids_id = ?", e.Voids).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("voids", "این رویداد پیش‌تر باطل شده است", "this event is already voided")
		}
		voids = e.Voids
	}
	if e.RecordedAt.IsZero() {
		e.RecordedAt = t.now
	}
	e.ID, err = t.insert(`INSERT INTO membership_events (program_id, project_id, type, on_date, stage, main, reason, successor_id,
		note_fa, note_en, voids_id, sources, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		gid, pid, e.Type, dateArg(e.Date), e.Stage, e.Main, e.Reason, succ, e.Note.FA, e.Note.EN, voids,
		jsonArg(e.Sources), stamp(e.RecordedAt), e.RecordedBy)
	if err != nil {
		return err
	}
	return t.refold(gid, pid)
}

// refold recomputes the memberships row of one pair from its events.
func (t *Tx) refold(gid, pid int64) error {
	history, err := t.eventList("SELECT "+eventCols+eventFrom+" WHERE e.program_id = ? AND e.project_id = ? ORDER BY e.id", gid, pid)
	if err != nil {
		return err
	}
	events := make([]domain.MembershipEvent, len(history))
	for i, e := range history {
		events[i] = *e
	}
	var was struct{ named, active, main bool }
	err = t.row("SELECT active, main FROM memberships WHERE program_id = ? AND project_id = ?", gid, pid).Scan(&was.active, &was.main)
	switch {
	case err == nil:
		was.named = true
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := t.exec("DELETE FROM memberships WHERE program_id = ? AND project_id = ?", gid, pid); err != nil {
		return err
	}
	m, ok := domain.Fold(events)
	var confidential bool
	if err := t.row("SELECT confidentiality = 'confidential' FROM projects WHERE id = ?", pid).Scan(&confidential); err != nil {
		return err
	}
	delta := func(before, after bool) int {
		switch {
		case after && !before:
			return 1
		case before && !after:
			return -1
		}
		return 0
	}
	named, conf := delta(was.named, ok), 0
	if confidential {
		conf = named
	}
	if err := t.addStats(gid, named, delta(was.active, ok && m.Active), delta(was.active && was.main, ok && m.Active && m.Main), conf); err != nil {
		return err
	}
	if !ok {
		return nil
	}
	var succ any
	if m.Successor != "" {
		if succ, err = t.projectID("successor", m.Successor); err != nil {
			return err
		}
	}
	_, err = t.exec(`INSERT INTO memberships (program_id, project_id, main, stage, entered_on, active, left_on, reason, successor_id, note_fa, note_en)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, gid, pid, m.Main, m.Stage, dateArg(m.Entered), m.Active,
		dateArg(m.Left), m.Reason, succ, m.Note.FA, m.Note.EN)
	return err
}

// addStats adjusts a program's counts.
func (t *Tx) addStats(gid int64, named, active, main, confidential int) error {
	if named == 0 && active == 0 && main == 0 && confidential == 0 {
		return nil
	}
	_, err := t.exec(`INSERT INTO program_stats (program_id, named, active, main, confidential) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (program_id) DO UPDATE SET named = program_stats.named + excluded.named,
		active = program_stats.active + excluded.active, main = program_stats.main + excluded.main,
		confidential = program_stats.confidential + excluded.confidential`, gid, named, active, main, confidential)
	return err
}

// Events returns the whole history of one project in one program, oldest first.
func (t *Tx) Events(program, project string) ([]*domain.MembershipEvent, error) {
	return t.eventList("SELECT "+eventCols+eventFrom+" WHERE g.slug = ? AND p.slug = ? ORDER BY e.id", program, project)
}

// AllEvents returns the whole membership history, oldest first.
func (t *Tx) AllEvents() ([]*domain.MembershipEvent, error) {
	return t.eventList("SELECT " + eventCols + eventFrom + " ORDER BY e.id")
}

func (t *Tx) eventList(q string, args ...any) ([]*domain.MembershipEvent, error) {
	return list(t, scanEvent, q, args...)
}

const memberCols = `g.slug, p.slug, m.main, m.stage, m.entered_on, m.active, m.left_on, m.reason, COALESCE(s.slug, ''),
	m.note_fa, m.note_en, p.title_fa, p.title_en, p.kind, p.confidentiality, p.status,
	COALESCE((SELECT a.code FROM project_agencies la JOIN agencies a ON a.id = la.agency_id
		WHERE la.project_id = p.id AND la.role = 'lead' ORDER BY la.seq LIMIT 1), '')`
const memberColsNoLead = `g.slug, p.slug, m.main, m.stage, m.entered_on, m.active, m.left_on, m.reason, COALESCE(s.slug, ''),
	m.note_fa, m.note_en, p.title_fa, p.title_en, p.kind, p.confidentiality, p.status, ''`
const memberFrom = ` FROM memberships m JOIN programs g ON g.id = m.program_id JOIN projects p ON p.id = m.project_id
	LEFT JOIN projects s ON s.id = m.successor_id`

func scanMember(sc scanner) (*domain.Member, error) {
	var (
		m            domain.Member
		entered, lft sql.NullString
	)
	if err := sc.Scan(&m.Program, &m.Project, &m.Main, &m.Stage, &entered, &m.Active, &lft, &m.Reason, &m.Successor,
		&m.Note.FA, &m.Note.EN, &m.Title.FA, &m.Title.EN, &m.Kind, &m.Confidentiality, &m.Status, &m.Lead); err != nil {
		return nil, err
	}
	m.Entered, m.Left = scanDate(entered), scanDate(lft)
	return &m, nil
}

// Members lists the projects ever recorded in a program that the viewer may
// see, by project slug, one page at a time. hidden is how many confidential
// members the viewer may not see (in the whole program, not just the page).
func (t *Tx) Members(program string, f domain.MemberFilter, v domain.Viewer, pg domain.Page) (members []*domain.Member, hidden int, err error) {
	gid, err := t.programID("id", program)
	if err != nil {
		return nil, 0, err
	}
	cond := ""
	if f.ActiveOnly {
		cond = " AND m.active"
	}
	members, err = list(t, scanMember, "SELECT "+memberCols+memberFrom+" WHERE m.program_id = ? AND p.slug > ?"+cond+" AND "+visibleSQL+
		" ORDER BY p.slug LIMIT ?", append(append([]any{gid, pg.After}, viewerArgs(v)...), pageLimit(pg))...)
	if err != nil {
		return nil, 0, err
	}
	err = t.row("SELECT COUNT(*) FROM memberships m JOIN projects p ON p.id = m.project_id WHERE m.program_id = ?"+cond+
		" AND NOT "+visibleSQL, append([]any{gid}, viewerArgs(v)...)...).Scan(&hidden)
	return members, hidden, err
}

// AllMembers lists every project ever recorded in a program, with no
// paging and no confidentiality filter; the caller filters. It serves the
// term comparison and the program check, which need whole programs, and
// leaves out the lead agency to stay cheap on large lists.
func (t *Tx) AllMembers(program string) ([]*domain.Member, error) {
	gid, err := t.programID("id", program)
	if err != nil {
		return nil, err
	}
	return list(t, scanMember, "SELECT "+memberColsNoLead+memberFrom+" WHERE m.program_id = ? ORDER BY p.slug", gid)
}

// Membership returns a project's standing in a program; ok is false when the
// project was never recorded in it.
func (t *Tx) Membership(program, project string) (m *domain.Member, ok bool, err error) {
	m, err = scanMember(t.row("SELECT "+memberCols+memberFrom+" WHERE g.slug = ? AND p.slug = ?", program, project))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return m, err == nil, err
}

// ProjectMemberships lists a project's standing in every program the
// viewer may see.
func (t *Tx) ProjectMemberships(project string, v domain.Viewer) ([]*domain.Member, error) {
	return list(t, scanMember, "SELECT "+memberCols+memberFrom+" WHERE p.slug = ? AND "+programVisible(v)+" ORDER BY g.slug", project)
}

// Lineage returns the predecessor links of the members of the given
// programs: successor slug → links. It serves the comparison.
func (t *Tx) Lineage(programs ...string) (map[string][]domain.Predecessor, error) {
	if len(programs) == 0 {
		return map[string][]domain.Predecessor{}, nil
	}
	args := make([]any, len(programs))
	for i, p := range programs {
		args[i] = p
	}
	rows, err := t.query(`SELECT s.slug, p.slug, l.kind, l.note_fa, l.note_en FROM project_lineage l
		JOIN projects s ON s.id = l.project_id JOIN projects p ON p.id = l.predecessor_id
		WHERE l.project_id IN (SELECT m.project_id FROM memberships m JOIN programs g ON g.id = m.program_id
			WHERE g.slug IN (?`+strings.Repeat(", ?", len(programs)-1)+`))
		ORDER BY s.slug, l.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]domain.Predecessor{}
	for rows.Next() {
		var s string
		var x domain.Predecessor
		if err := rows.Scan(&s, &x.Project, &x.Kind, &x.Note.FA, &x.Note.EN); err != nil {
			return nil, err
		}
		out[s] = append(out[s], x)
	}
	return out, rows.Err()
}

// IsEmpty reports whether the registry holds no records at all.
func (t *Tx) IsEmpty() (bool, error) {
	var n int
	err := t.row(`SELECT (SELECT COUNT(*) FROM terms) + (SELECT COUNT(*) FROM agencies) + (SELECT COUNT(*) FROM laws)
		+ (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM programs)`).Scan(&n)
	return n == 0, err
}
