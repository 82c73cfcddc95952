package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

const projectCols = `p.id, p.slug, p.title_fa, p.title_en, p.summary_fa, p.summary_en, p.scope_fa, p.scope_en,
	p.kind, p.confidentiality, p.status, p.deliverables, p.sources, p.version, p.created_at, p.updated_at`

func scanProject(sc scanner) (*domain.Project, int64, error) {
	var (
		p                    domain.Project
		id                   int64
		dels, srcs, cat, uat string
	)
	if err := sc.Scan(&id, &p.Slug, &p.Title.FA, &p.Title.EN, &p.Summary.FA, &p.Summary.EN, &p.Scope.FA, &p.Scope.EN,
		&p.Kind, &p.Confidentiality, &p.Status, &dels, &srcs, &p.Version, &cat, &uat); err != nil {
		return nil, 0, err
	}
	p.CreatedAt, p.UpdatedAt = parseStamp(cat), parseStamp(uat)
	if err := errors.Join(scanJSON(dels, &p.Deliverables), scanJSON(srcs, &p.Sources)); err != nil {
		return nil, 0, err
	}
	p.Agencies, p.Mandates, p.DependsOn, p.Predecessors, p.Capabilities = []domain.Participation{}, []domain.Mandate{}, []string{}, []domain.Predecessor{}, []string{}
	if p.Deliverables == nil {
		p.Deliverables = []domain.Deliverable{}
	}
	return &p, id, nil
}

// InsertProject adds a project with its agencies, mandates, dependencies and
// predecessors. Every slug or code it names must exist.
func (t *Tx) InsertProject(p *domain.Project) error {
	if err := t.touch(); err != nil {
		return err
	}
	id, err := t.insert(`INSERT INTO projects (slug, title_fa, title_en, summary_fa, summary_en, scope_fa, scope_en,
		kind, confidentiality, status, deliverables, sources, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		p.Slug, p.Title.FA, p.Title.EN, p.Summary.FA, p.Summary.EN, p.Scope.FA, p.Scope.EN,
		p.Kind, p.Confidentiality, p.Status, jsonArg(p.Deliverables), jsonArg(p.Sources),
		stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("slug", "پروژه‌ای با این شناسه وجود دارد", "a project with this slug exists")
		}
		return err
	}
	if err := t.writeProjectLinks(id, p); err != nil {
		return err
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, t.now, t.now
	return nil
}

// InsertProjectShell adds a project without its links to other projects
// (dependencies and predecessors); import uses it so that projects may refer
// to each other in any order, then calls SetProjectLinks.
func (t *Tx) InsertProjectShell(p *domain.Project) error {
	deps, preds := p.DependsOn, p.Predecessors
	p.DependsOn, p.Predecessors = nil, nil
	defer func() { p.DependsOn, p.Predecessors = deps, preds }()
	return t.InsertProject(p)
}

// SetProjectLinks writes a project's dependencies and predecessors, replacing
// what was there, without touching its version.
func (t *Tx) SetProjectLinks(p *domain.Project) error {
	if err := t.touch(); err != nil {
		return err
	}
	id, err := t.projectID("slug", p.Slug)
	if err != nil {
		return err
	}
	return t.writeProjectLinks(id, p)
}

// KeepProjectLinks adds dependencies and predecessors to a project's links,
// after those it has, bypassing the guard (GuardReferences): the links an
// editor may not see, which the edit must keep rather than drop.
func (t *Tx) KeepProjectLinks(slug string, deps []string, preds []domain.Predecessor) error {
	if len(deps) == 0 && len(preds) == 0 {
		return nil
	}
	if err := t.touch(); err != nil {
		return err
	}
	id, err := t.anyProjectID("slug", slug)
	if err != nil {
		return err
	}
	var nd, np int
	if err := t.row(`SELECT (SELECT COALESCE(MAX(seq) + 1, 0) FROM project_dependencies WHERE project_id = ?),
		(SELECT COALESCE(MAX(seq) + 1, 0) FROM project_lineage WHERE project_id = ?)`, id, id).Scan(&nd, &np); err != nil {
		return err
	}
	for i, d := range deps {
		did, err := t.anyProjectID("depends_on", d)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_dependencies (project_id, depends_on_id, seq) VALUES (?, ?, ?)`, id, did, nd+i); err != nil {
			return err
		}
	}
	for i, pr := range preds {
		pid, err := t.anyProjectID("predecessors", pr.Project)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_lineage (project_id, predecessor_id, seq, kind, note_fa, note_en, sources) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, pid, np+i, pr.Kind, pr.Note.FA, pr.Note.EN, jsonArg(pr.Sources)); err != nil {
			return err
		}
	}
	return nil
}

// UpdateProject replaces a project and its links if its stored version is
// p.Version.
func (t *Tx) UpdateProject(p *domain.Project) error {
	if err := t.touch(); err != nil {
		return err
	}
	var was domain.Confidentiality
	if err := t.row("SELECT confidentiality FROM projects WHERE slug = ?", p.Slug).Scan(&was); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	res, err := t.exec(`UPDATE projects SET title_fa = ?, title_en = ?, summary_fa = ?, summary_en = ?, scope_fa = ?, scope_en = ?,
		kind = ?, confidentiality = ?, status = ?, deliverables = ?, sources = ?,
		version = version + 1, updated_at = ? WHERE slug = ? AND version = ?`,
		p.Title.FA, p.Title.EN, p.Summary.FA, p.Summary.EN, p.Scope.FA, p.Scope.EN,
		p.Kind, p.Confidentiality, p.Status, jsonArg(p.Deliverables), jsonArg(p.Sources),
		stamp(t.now), p.Slug, p.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "projects", "slug", p.Slug, "project"); err != nil {
		return err
	}
	id, err := t.projectID("slug", p.Slug)
	if err != nil {
		return err
	}
	if p.Kind != domain.KindInfrastructure {
		if err := t.noDependents(id); err != nil {
			return err
		}
	}
	if err := t.writeProjectLinks(id, p); err != nil {
		return err
	}
	if (was == domain.Confidential) != (p.Confidentiality == domain.Confidential) {
		d := 1
		if was == domain.Confidential {
			d = -1
		}
		if _, err := t.exec("UPDATE program_stats SET confidential = confidential + ? WHERE program_id IN (SELECT program_id FROM memberships WHERE project_id = ?)", d, id); err != nil {
			return err
		}
	}
	p.Version++
	p.UpdatedAt = t.now
	return nil
}

func (t *Tx) writeProjectLinks(id int64, p *domain.Project) error {
	for _, table := range []string{"project_agencies", "project_mandates", "project_dependencies", "project_lineage", "project_capabilities"} {
		if _, err := t.exec("DELETE FROM "+table+" WHERE project_id = ?", id); err != nil {
			return err
		}
	}
	for i, a := range p.Agencies {
		aid, err := t.agencyID("agencies["+strconv.Itoa(i)+"].agency", a.Agency)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_agencies (project_id, agency_id, seq, role, note_fa, note_en) VALUES (?, ?, ?, ?, ?, ?)`,
			id, aid, i, a.Role, a.Note.FA, a.Note.EN); err != nil {
			return err
		}
	}
	for i, m := range p.Mandates {
		f := "mandates[" + strconv.Itoa(i) + "]"
		lid, err := t.lawID(f+".law", m.Law)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_mandates (project_id, law_id, seq, article, note_fa, note_en) VALUES (?, ?, ?, ?, ?, ?)`,
			id, lid, i, m.Article, m.Note.FA, m.Note.EN); err != nil {
			return err
		}
	}
	for i, d := range p.DependsOn {
		f := "depends_on[" + strconv.Itoa(i) + "]"
		did, err := t.projectID(f, d)
		if err != nil {
			return err
		}
		if err := t.mustBeInfrastructure(f, did, d); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_dependencies (project_id, depends_on_id, seq) VALUES (?, ?, ?)`, id, did, i); err != nil {
			if domain.IsKind(mapErr(err), domain.KindConflict) {
				return domain.Invalid(f, "این پروژه دو بار آمده است", "project listed twice")
			}
			return err
		}
	}
	for i, c := range p.Capabilities {
		if _, err := t.exec(`INSERT INTO project_capabilities (project_id, capability, seq) VALUES (?, ?, ?)`, id, c, i); err != nil {
			if domain.IsKind(mapErr(err), domain.KindConflict) {
				return domain.Invalid("capabilities["+strconv.Itoa(i)+"]", "این قابلیت دو بار آمده است", "capability listed twice")
			}
			return err
		}
	}
	for i, pr := range p.Predecessors {
		f := "predecessors[" + strconv.Itoa(i) + "].project"
		pid, err := t.projectID(f, pr.Project)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO project_lineage (project_id, predecessor_id, seq, kind, note_fa, note_en, sources) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, pid, i, pr.Kind, pr.Note.FA, pr.Note.EN, jsonArg(pr.Sources)); err != nil {
			if domain.IsKind(mapErr(err), domain.KindConflict) {
				return domain.Invalid(f, "این پروژه دو بار آمده است", "project listed twice")
			}
			return err
		}
	}
	return nil
}

// mustBeInfrastructure refuses a dependency on a project that is not
// infrastructure: a project depends on shared platforms (identity, the
// exchange, payments), never on another service, so that "what depends on
// this platform" and the designation rules read the same links.
func (t *Tx) mustBeInfrastructure(field string, id int64, slug string) error {
	var kind domain.ProjectKind
	if err := t.row("SELECT kind FROM projects WHERE id = ?", id).Scan(&kind); err != nil {
		return err
	}
	if kind != domain.KindInfrastructure {
		return domain.Invalid(field, "وابستگی فقط به پروژه زیرساختی است؛ «"+slug+"» زیرساخت نیست",
			"a project depends on infrastructure projects only; "+slug+" is a "+string(kind)+" project")
	}
	return nil
}

// noDependents refuses to make a project something other than
// infrastructure while other projects depend on it. It counts them without
// naming them: one of them may be confidential.
func (t *Tx) noDependents(id int64) error {
	var n int
	if err := t.row("SELECT COUNT(*) FROM project_dependencies WHERE depends_on_id = ?", id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		c := strconv.Itoa(n)
		return domain.Invalid("kind", jalali.PersianDigits(c)+" پروژه به این پروژه به‌عنوان زیرساخت وابسته است؛ پیش از تغییر نوع، آن وابستگی‌ها را بردارید",
			c+" project(s) depend on this one as infrastructure; remove those dependencies before changing its kind")
	}
	return nil
}

// Project returns the project with the slug and all its links, in one
// statement. A project the viewer may not see is reported as not found, so
// its existence does not leak.
func (t *Tx) Project(slug string, v domain.Viewer) (*domain.Project, error) {
	p, _, err := scanLinkedProject(t.row("SELECT "+projectCols+", "+projectLinkCols(t.db.engine, false)+" FROM projects p WHERE p.slug = ?", slug), nil)
	return seenProject(p, err, v)
}

// seenProject is p as the viewer may have it: a project missing or hidden
// from v is the same NotFound, so a hidden one's existence does not leak.
func seenProject(p *domain.Project, err error, v domain.Viewer) (*domain.Project, error) {
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !v.CanSee(p)) {
		return nil, domain.NotFound("slug", "project")
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Projects lists the projects the viewer may see, by slug, one page at a
// time, with all their links.
func (t *Tx) Projects(f domain.ProjectFilter, v domain.Viewer, p domain.Page) ([]*domain.Project, error) {
	q, args := projectListSQL(f, v, p)
	return t.projectList("SELECT "+projectCols+q, args...)
}

// ProjectKey is a project on a page of the list: its database id and slug.
type ProjectKey struct {
	ID   int64
	Slug string
}

// ProjectKeys is the page Projects reads, without the projects: their ids
// and slugs only, read from the indexes (projects_list, and
// project_agencies_agency for an agency's projects; migration 00045)
// without the projects' rows or links. A caller that keeps the projects
// read whole (service.ProjectsJSON) reads only those it lacks, with
// ProjectsByID.
func (t *Tx) ProjectKeys(f domain.ProjectFilter, v domain.Viewer, p domain.Page) ([]ProjectKey, error) {
	q, args := projectListSQL(f, v, p)
	return list(t, func(sc scanner) (ProjectKey, error) {
		var k ProjectKey
		return k, sc.Scan(&k.ID, &k.Slug)
	}, "SELECT p.id, p.slug"+q, args...)
}

// ProjectsByID reads the projects with the ids, with all their links, by
// slug; the caller decided already that its reader may see them (ids from
// ProjectKeys).
func (t *Tx) ProjectsByID(ids []int64) ([]*domain.Project, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return t.projectList("SELECT " + projectCols + " FROM projects p WHERE p.id IN " + inInts(ids) + " ORDER BY p.slug")
}

// projectListSQL is the FROM and WHERE of a page of the project list, by
// slug, as the viewer may see it, after "SELECT cols" (alias p).
func projectListSQL(f domain.ProjectFilter, v domain.Viewer, p domain.Page) (string, []any) {
	from := " FROM projects p"
	var args []any
	if f.Agency != "" {
		// Start from the agency's few links, not from every project.
		from = ` FROM project_agencies fa CROSS JOIN projects p
			WHERE fa.agency_id = (SELECT id FROM agencies WHERE code = ?) AND p.id = fa.project_id AND`
		args = append(args, f.Agency)
	} else {
		from += " WHERE"
	}
	q := from + " p.slug > ? AND " + visibleSQL
	args = append(append(args, p.After), viewerArgs(v)...)
	if f.Kind != "" {
		q += " AND p.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		q += " AND p.status = ?"
		args = append(args, f.Status)
	}
	q += " ORDER BY p.slug LIMIT ?"
	return q, append(args, pageLimit(p))
}

// projectList runs q, a query of "SELECT "+projectCols+" FROM projects p
// …", with the projects' links read in the same statement.
func (t *Tx) projectList(q string, args ...any) ([]*domain.Project, error) {
	q = "SELECT " + projectCols + ", " + projectLinkCols(t.db.engine, false) + strings.TrimPrefix(q, "SELECT "+projectCols)
	return list(t, func(sc scanner) (*domain.Project, error) {
		p, _, err := scanLinkedProject(sc, nil)
		return p, err
	}, q, args...)
}

// InfrastructureCovering returns the infrastructure projects in service
// (implemented or in progress) that provide any of the capabilities: what
// may make a new project redundant.
func (t *Tx) InfrastructureCovering(capabilities []string) ([]*domain.Project, error) {
	if len(capabilities) == 0 {
		return nil, nil
	}
	args := make([]any, len(capabilities))
	for i, c := range capabilities {
		args[i] = c
	}
	return t.projectList("SELECT "+projectCols+` FROM projects p WHERE p.kind = 'infrastructure'
		AND p.status IN ('implemented', 'in-progress') AND EXISTS (SELECT 1 FROM project_capabilities c
		WHERE c.project_id = p.id AND c.capability IN (?`+strings.Repeat(", ?", len(args)-1)+`)) ORDER BY p.slug`, args...)
}

// DeleteProject removes a project that was never on a list and that nothing
// refers to.
func (t *Tx) DeleteProject(slug string, version int64) error {
	if err := t.touch(); err != nil {
		return err
	}
	res, err := t.exec("DELETE FROM projects WHERE slug = ? AND version = ?", slug, version)
	if err != nil {
		return referenced(err, "پروژه", "project")
	}
	return t.checkVersion(res, "projects", "slug", slug, "project")
}
