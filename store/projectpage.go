package store

import (
	"database/sql"
	"errors"
	"strconv"
	"sync"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/signing"
)

// ProjectPage is everything a project's public page shows of the database,
// read in one statement (ProjectPageOf): the project with its links and
// the names they point at, its standing in the programs the viewer may
// see, its latest follow-up figures and their sealed report, its
// milestones, its ratings and the council's decisions about it.
type ProjectPage struct {
	Project        *domain.Project
	Names          Names
	State          *FollowUpState // nil: no follow-up record
	LastReportCode string         // the verification code of the last accepted report, once published
	Memberships    []*domain.Member
	ProgramTitles  map[string]domain.Text
	ClosedPrograms map[string]bool     // the lists among them that are closed
	Milestones     []*domain.Milestone // title, dates, weight and percent
	Ratings        []*domain.Rating    // kind, score and date, newest first
	Decisions      []*domain.Decision  // meeting, date, resolution, text and code, newest first
	Actions        []*domain.Action    // the actions about it the viewer may read, newest first (public_follow.go)
	ActionOwners   map[string]domain.Text
	Declared       []*exchange.Declared // its declared integrations, by id (projectpage_exchange.go)
	// Generation is the registry's generation in the read's snapshot, read
	// in the same statement (what Generation answers).
	Generation int64
}

// The decisions are read from the project's own links (outcome_projects by
// project_id) outward: CROSS JOIN fixes that order in SQLite, whose planner
// otherwise started from every decision (outcomes by kind) and checked each
// for the project — 50 ms a page at 10,000 projects and 3,774 decisions
// (issue 12). PostgreSQL reads CROSS JOIN with the conditions in WHERE as
// the inner join it is. They are ordered by the link (fp.outcome_id, the
// decision's id), which outcome_projects_project holds in that order for
// the project: no sort.

// projectPageSQL is the page's statement per engine and kind of viewer
// (followSQL's condition differs for the public); follow adds the
// follow-up and the names, which the API's read of a project leaves out.
// Its text depends on the engine, follow and the kind of viewer alone (an
// agency's code is an argument): it is written once per kind, not per
// read (12 KB of concatenation a page, issue 12).
func projectPageSQL(e Engine, v domain.Viewer, follow bool) (string, []any) {
	k := pageSQLKey{e: e, follow: follow, all: v.All, staff: v.Staff, agency: v.Agency != ""}
	q, ok := pageSQLs.Load(k)
	if !ok {
		q, _ = pageSQLs.LoadOrStore(k, writeProjectPageSQL(e, v, follow))
	}
	if !follow {
		return q.(string), nil
	}
	_, cargs := followSQL(v)
	return q.(string), append(cargs, projectActionsArgs(v)...)
}

// pageSQLKey is what projectPageSQL's text depends on.
type pageSQLKey struct {
	e                          Engine
	follow, all, staff, agency bool
}

var pageSQLs sync.Map // pageSQLKey → the statement's text

// writeProjectPageSQL writes projectPageSQL's text.
func writeProjectPageSQL(e Engine, v domain.Viewer, follow bool) string {
	cond, _ := followSQL(v)
	actionCols := projectActionsSQL(e, v)
	q := "SELECT " + projectCols + ", " + projectLinkCols(e, follow) + `,
	` + jsonRows(e, textCols(e, "g.slug", "m.main", "m.stage", "COALESCE(m.entered_on, '')", "m.active", "COALESCE(m.left_on, '')",
		"m.reason", "COALESCE(s.slug, '')", "m.note_fa", "m.note_en", "g.title_fa", "g.title_en", "g.status"),
		`memberships m JOIN programs g ON g.id = m.program_id LEFT JOIN projects s ON s.id = m.successor_id
		WHERE m.project_id = p.id AND `+programVisible(v), "g.slug") + `,
	` + generationCol
	if !follow {
		return q + " FROM projects p WHERE p.slug = ?"
	}
	q += `,
	COALESCE(ps.packed, ''),
	COALESCE((SELECT sd.code FROM signed_documents sd WHERE sd.kind = '` + signing.KindReport + `'
		AND sd.ref = 'report/' || CAST(ps.report_id AS TEXT) ORDER BY sd.id DESC LIMIT 1), ''),
	` + jsonRows(e, textCols(e, "ms.title_fa", "ms.title_en", "COALESCE(ms.planned_on, '')", "COALESCE(ms.actual_on, '')", "ms.percent", "ms.weight", "ms.id"),
		"milestones ms WHERE ms.project_id = p.id", "ms.planned_on, ms.id") + `,
	` + jsonRows(e, textCols(e, "rt.kind", "rt.score", "COALESCE(rt.rated_on, '')", "rt.id"),
		"ratings rt WHERE rt.project_id = p.id", "rt.rated_on DESC, rt.id DESC") + `,
	` + jsonRows(e, textCols(e, "o.id", "mt.code", "mt.held_on", "o.resolution", "o.text_fa", "o.text_en",
		`COALESCE((SELECT sd.code FROM signed_documents sd WHERE sd.kind = '`+signing.KindDecision+`'
			AND sd.ref = mt.code || '/' || o.resolution ORDER BY sd.id DESC LIMIT 1), '')`),
		`outcome_projects fp CROSS JOIN outcomes o CROSS JOIN meetings mt
		WHERE fp.project_id = p.id AND o.id = fp.outcome_id AND mt.id = o.meeting_id AND o.kind = 'decision' AND `+decidedSQL(v, "mt")+`
		AND NOT EXISTS (SELECT 1 FROM outcome_projects op JOIN projects p ON p.id = op.project_id
			WHERE op.outcome_id = o.id AND NOT `+cond+`)`, "fp.outcome_id DESC") + `,
	` + actionCols + `,
	` + declaredRows(e) + `
	FROM projects p LEFT JOIN progress_state ps ON ps.project_id = p.id WHERE p.slug = ?`
	return q
}

// generationCol is the registry's generation as a column of a
// statement: a read that needs the project directory (its links' titles,
// who may see them) takes it with its record instead of in a statement of
// its own.
const generationCol = "(SELECT generation FROM registry_state WHERE id = 1)"

// ProjectWithMemberships is Project with the project's standing in every
// program the viewer may see (ProjectMemberships), and the registry's
// generation (Generation), in one statement.
func (t *Tx) ProjectWithMemberships(slug string, v domain.Viewer) (p *domain.Project, ms []*domain.Member, gen int64, err error) {
	q, _ := projectPageSQL(t.db.engine, v, false)
	var members string
	p, _, err = scanLinkedProject(t.row(q, slug), nil, &members, &gen)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !v.CanSee(p)) {
		return nil, nil, 0, domain.NotFound("slug", "project")
	}
	if err != nil {
		return nil, nil, 0, err
	}
	ms, err = membersOf(p, members, nil, nil)
	return p, ms, gen, err
}

// membersOf reads the memberships column of projectPageSQL; titles, when
// not nil, takes the programs' titles.
func membersOf(p *domain.Project, col string, titles map[string]domain.Text, closed map[string]bool) ([]*domain.Member, error) {
	rows, err := parseRows(col)
	if err != nil {
		return nil, err
	}
	lead := ""
	for _, a := range p.Agencies {
		if a.Role == domain.RoleLead {
			lead = a.Agency
			break
		}
	}
	out := make([]*domain.Member, 0, len(rows))
	for _, r := range rows {
		m := &domain.Member{Title: p.Title, Kind: p.Kind, Confidentiality: p.Confidentiality, Status: p.Status, Lead: lead}
		m.Program, m.Project, m.Main, m.Stage = field(r, 0), p.Slug, isTrue(field(r, 1)), domain.Body(field(r, 2))
		m.Entered, m.Active, m.Left = datePtr(field(r, 3)), isTrue(field(r, 4)), datePtr(field(r, 5))
		m.Reason, m.Successor, m.Note = domain.LeaveReason(field(r, 6)), field(r, 7), domain.T(field(r, 8), field(r, 9))
		if titles != nil {
			titles[m.Program] = domain.T(field(r, 10), field(r, 11))
		}
		if closed != nil && field(r, 12) == string(domain.ProgramClosed) {
			closed[m.Program] = true
		}
		out = append(out, m)
	}
	return out, nil
}

// ProjectPageOf reads a project's page as the viewer may see it, in one
// statement; a project the viewer may not see is not found. Links to
// projects the viewer may not see are the caller's to leave out, as for
// Project.
func (t *Tx) ProjectPageOf(slug string, v domain.Viewer) (*ProjectPage, error) {
	q, args := projectPageSQL(t.db.engine, v, true)
	out := &ProjectPage{Names: Names{Agencies: map[string]domain.Text{}, Laws: map[string]*domain.Law{}}, ProgramTitles: map[string]domain.Text{},
		ClosedPrograms: map[string]bool{}}
	var packed, members, milestones, ratings, decisions, actions, events, declared string
	p, _, err := scanLinkedProject(t.row(q, append(args, slug)...), &out.Names, &members, &out.Generation, &packed, &out.LastReportCode, &milestones, &ratings,
		&decisions, &actions, &events, &declared)
	if p, err = seenProject(p, err, v); err != nil {
		return nil, err
	}
	out.Project = p
	if packed != "" {
		out.State = &FollowUpState{Project: slug}
		out.State.unpack(packed)
	}
	if out.Memberships, err = membersOf(p, members, out.ProgramTitles, out.ClosedPrograms); err != nil {
		return nil, err
	}
	rows, err := parseRows(milestones)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		m := &domain.Milestone{Project: slug, Title: domain.T(field(r, 0), field(r, 1)), Planned: datePtr(field(r, 2)), Actual: datePtr(field(r, 3))}
		m.Percent, _ = strconv.Atoi(field(r, 4))
		m.Weight, _ = strconv.Atoi(field(r, 5))
		m.ID, _ = strconv.ParseInt(field(r, 6), 10, 64)
		out.Milestones = append(out.Milestones, m)
	}
	if rows, err = parseRows(ratings); err != nil {
		return nil, err
	}
	for _, r := range rows {
		g := &domain.Rating{Project: slug, Kind: domain.RatingKind(field(r, 0)), Date: datePtr(field(r, 2))}
		g.Score, _ = strconv.Atoi(field(r, 1))
		g.ID, _ = strconv.ParseInt(field(r, 3), 10, 64)
		out.Ratings = append(out.Ratings, g)
	}
	if rows, err = parseRows(decisions); err != nil {
		return nil, err
	}
	for _, r := range rows {
		d := &domain.Decision{Meeting: field(r, 1), Resolution: field(r, 3), Text: domain.T(field(r, 4), field(r, 5)), Projects: []string{}}
		d.VerificationCode = field(r, 6)
		d.ID, _ = strconv.ParseInt(field(r, 0), 10, 64)
		if x, ok := isoDate(field(r, 2)); ok {
			d.Date = x
		}
		out.Decisions = append(out.Decisions, d)
	}
	if out.Declared, err = declaredOf(slug, declared); err != nil {
		return nil, err
	}
	out.ActionOwners = map[string]domain.Text{}
	out.Actions, err = projectActionsOf(actions, events, domain.DateOf(t.now), out.ActionOwners)
	return out, err
}

// isTrue reads a boolean as either engine writes it in JSON text.
func isTrue(s string) bool { return s == "1" || s == "true" }

// datePtr is the date in s, or nil when s holds none.
func datePtr(s string) *domain.Date {
	if d, ok := isoDate(s); ok {
		return &d
	}
	return nil
}
