package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

const programCols = `g.id, g.slug, t.number, g.title_fa, g.title_en, g.kind, g.visibility, g.declared_size, g.status,
	g.notes_fa, g.notes_en, g.sources, g.version, g.created_at, g.updated_at`
const programFrom = " FROM programs g JOIN terms t ON t.id = g.term_id"

func scanProgram(sc scanner) (*domain.Program, int64, error) {
	var (
		g              domain.Program
		id             int64
		declared       sql.NullInt64
		srcs, cat, uat string
	)
	if err := sc.Scan(&id, &g.Slug, &g.Term, &g.Title.FA, &g.Title.EN, &g.Kind, &g.Visibility, &declared, &g.Status,
		&g.SourceNotes.FA, &g.SourceNotes.EN, &srcs, &g.Version, &cat, &uat); err != nil {
		return nil, 0, err
	}
	g.DeclaredSize = scanInt(declared)
	g.CreatedAt, g.UpdatedAt = parseStamp(cat), parseStamp(uat)
	g.Stages = []domain.Stage{}
	return &g, id, scanJSON(srcs, &g.Sources)
}

func (t *Tx) programID(field, slug string) (int64, error) {
	var id int64
	err := t.row("SELECT id FROM programs WHERE slug = ?", slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.NotFound(field, "program")
	}
	return id, err
}

// InsertProgram adds a program with its stages and candidates.
func (t *Tx) InsertProgram(g *domain.Program) error {
	if err := t.touch(); err != nil {
		return err
	}
	tid, err := t.termID("term", g.Term)
	if err != nil {
		return err
	}
	id, err := t.insert(`INSERT INTO programs (slug, term_id, title_fa, title_en, kind, visibility, declared_size, status,
		notes_fa, notes_en, sources, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		g.Slug, tid, g.Title.FA, g.Title.EN, g.Kind, g.Visibility, intArg(g.DeclaredSize), g.Status,
		g.SourceNotes.FA, g.SourceNotes.EN, jsonArg(g.Sources), stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("id", "برنامه‌ای با این شناسه وجود دارد", "a program with this id exists")
		}
		return err
	}
	if err := t.writeProgramParts(id, g); err != nil {
		return err
	}
	g.Version, g.CreatedAt, g.UpdatedAt = 1, t.now, t.now
	return nil
}

// UpdateProgram replaces a program, its stages and candidates if its stored
// version is g.Version.
func (t *Tx) UpdateProgram(g *domain.Program) error {
	if err := t.touch(); err != nil {
		return err
	}
	tid, err := t.termID("term", g.Term)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE programs SET term_id = ?, title_fa = ?, title_en = ?, kind = ?, visibility = ?, declared_size = ?,
		status = ?, notes_fa = ?, notes_en = ?, sources = ?, version = version + 1, updated_at = ? WHERE slug = ? AND version = ?`,
		tid, g.Title.FA, g.Title.EN, g.Kind, g.Visibility, intArg(g.DeclaredSize), g.Status,
		g.SourceNotes.FA, g.SourceNotes.EN, jsonArg(g.Sources), stamp(t.now), g.Slug, g.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "programs", "slug", g.Slug, "program"); err != nil {
		return err
	}
	id, err := t.programID("id", g.Slug)
	if err != nil {
		return err
	}
	if err := t.writeProgramParts(id, g); err != nil {
		return err
	}
	g.Version++
	g.UpdatedAt = t.now
	return nil
}

func (t *Tx) writeProgramParts(id int64, g *domain.Program) error {
	if _, err := t.exec("DELETE FROM program_stages WHERE program_id = ?", id); err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM program_candidates WHERE program_id = ?", id); err != nil {
		return err
	}
	for i, c := range g.Candidates {
		pid, err := t.projectID("candidates["+strconv.Itoa(i)+"]", c)
		if err != nil {
			return err
		}
		if _, err := t.exec("INSERT INTO program_candidates (program_id, project_id, seq) VALUES (?, ?, ?)", id, pid, i); err != nil {
			return mapErr(err)
		}
	}
	for i, s := range g.Stages {
		f := "stages[" + strconv.Itoa(i) + "]"
		sid, err := t.insert(`INSERT INTO program_stages (program_id, seq, body, decided_on, resolution, sourced_count, note_fa, note_en, sources)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i, s.Body, dateArg(s.Date), s.Resolution, intArg(s.Count),
			s.Note.FA, s.Note.EN, jsonArg(s.Sources))
		if err != nil {
			return err
		}
		for j, c := range s.Passed {
			pid, err := t.projectID(f+".passed["+strconv.Itoa(j)+"]", c)
			if err != nil {
				return err
			}
			if _, err := t.exec("INSERT INTO stage_passes (stage_id, project_id, seq) VALUES (?, ?, ?)", sid, pid, j); err != nil {
				if domain.IsKind(mapErr(err), domain.KindConflict) {
					return domain.Invalid(f+".passed["+strconv.Itoa(j)+"]", "این پروژه دو بار آمده است", "project listed twice")
				}
				return err
			}
		}
	}
	return nil
}

// Program returns the program with the slug, with its stages and candidates.
func (t *Tx) Program(slug string, v domain.Viewer) (*domain.Program, error) {
	g, id, err := scanProgram(t.row("SELECT "+programCols+programFrom+" WHERE g.slug = ? AND "+programVisible(v), slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("id", "program")
	}
	if err != nil {
		return nil, err
	}
	return g, t.loadProgramParts(map[int64]*domain.Program{id: g})
}

func (t *Tx) loadProgramParts(byID map[int64]*domain.Program) error {
	if len(byID) == 0 {
		return nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	in := "(" + strings.Join(ids, ",") + ")"
	rows, err := t.query(`SELECT s.id, s.program_id, s.body, s.decided_on, s.resolution, s.sourced_count, s.note_fa, s.note_en, s.sources
		FROM program_stages s WHERE s.program_id IN ` + in + ` ORDER BY s.program_id, s.seq`)
	if err != nil {
		return err
	}
	type ref struct {
		g *domain.Program
		i int
	}
	stages := map[int64]ref{}
	for rows.Next() {
		var (
			sid, gid int64
			s        domain.Stage
			date     sql.NullString
			count    sql.NullInt64
			srcs     string
		)
		if err := rows.Scan(&sid, &gid, &s.Body, &date, &s.Resolution, &count, &s.Note.FA, &s.Note.EN, &srcs); err != nil {
			rows.Close()
			return err
		}
		s.Date, s.Count = scanDate(date), scanInt(count)
		if err := scanJSON(srcs, &s.Sources); err != nil {
			rows.Close()
			return err
		}
		g := byID[gid]
		g.Stages = append(g.Stages, s)
		stages[sid] = ref{g, len(g.Stages) - 1}
	}
	rows.Close()
	rows, err = t.query(`SELECT sp.stage_id, p.slug FROM stage_passes sp JOIN program_stages s ON s.id = sp.stage_id
		JOIN projects p ON p.id = sp.project_id WHERE s.program_id IN ` + in + ` ORDER BY sp.stage_id, sp.seq`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid int64
		var slug string
		if err := rows.Scan(&sid, &slug); err != nil {
			rows.Close()
			return err
		}
		r := stages[sid]
		r.g.Stages[r.i].Passed = append(r.g.Stages[r.i].Passed, slug)
	}
	rows.Close()
	rows, err = t.query(`SELECT c.program_id, p.slug FROM program_candidates c JOIN projects p ON p.id = c.project_id
		WHERE c.program_id IN ` + in + ` ORDER BY c.program_id, c.seq`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var gid int64
		var slug string
		if err := rows.Scan(&gid, &slug); err != nil {
			return err
		}
		byID[gid].Candidates = append(byID[gid].Candidates, slug)
	}
	return rows.Err()
}

// Programs lists the programs the viewer may see, by slug, with counts.
func (t *Tx) Programs(v domain.Viewer, p domain.Page) ([]domain.ProgramRow, error) {
	gs, gids, err := listWithIDs(t, scanProgram, "SELECT "+programCols+programFrom+" WHERE g.slug > ? AND "+programVisible(v)+
		" ORDER BY g.slug LIMIT ?", p.After, pageLimit(p))
	if err != nil || len(gs) == 0 {
		return nil, err
	}
	out := make([]domain.ProgramRow, len(gs))
	byID := make(map[int64]*domain.Program, len(gs))
	idx := make(map[int64]int, len(gs))
	for i, g := range gs {
		out[i].Program, byID[gids[i]], idx[gids[i]] = g, g, i
	}
	if err := t.loadProgramParts(byID); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	counts, err := t.query(`SELECT program_id, named, active, main, confidential FROM program_stats
		WHERE program_id IN (` + strings.Join(ids, ",") + `)`)
	if err != nil {
		return nil, err
	}
	defer counts.Close()
	for counts.Next() {
		var id int64
		var c domain.ProgramCounts
		if err := counts.Scan(&id, &c.Named, &c.Active, &c.Main, &c.Confidential); err != nil {
			return nil, err
		}
		out[idx[id]].ProgramCounts = c
	}
	return out, counts.Err()
}

// ProgramCountsOf returns the counts of one program.
func (t *Tx) ProgramCountsOf(slug string) (domain.ProgramCounts, error) {
	var c domain.ProgramCounts
	err := t.row(`SELECT COALESCE(s.named, 0), COALESCE(s.active, 0), COALESCE(s.main, 0), COALESCE(s.confidential, 0)
		FROM programs g LEFT JOIN program_stats s ON s.program_id = g.id WHERE g.slug = ?`, slug).
		Scan(&c.Named, &c.Active, &c.Main, &c.Confidential)
	return c, err
}

// DeleteProgram removes a program with no membership history.
func (t *Tx) DeleteProgram(slug string, version int64) error {
	if err := t.touch(); err != nil {
		return err
	}
	res, err := t.exec("DELETE FROM programs WHERE slug = ? AND version = ?", slug, version)
	if err != nil {
		return referenced(err, "برنامه", "program")
	}
	return t.checkVersion(res, "programs", "slug", slug, "program")
}

// LockProgram holds the program's row until the transaction ends, so that
// checks and writes on its membership by concurrent transactions happen one
// after another (on PostgreSQL; SQLite's writers are exclusive already).
// Call it before reading what a membership change depends on.
func (t *Tx) LockProgram(slug string) error {
	id, err := t.programID("id", slug)
	if err != nil {
		return err
	}
	return t.lockRow("programs", id)
}
