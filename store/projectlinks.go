package store

import (
	"github.com/pishran/pishran/domain"
)

// A project's links — its agencies, mandates, dependencies, capabilities
// and predecessors — are read in the project's own row (jsonrows.go): one
// statement for a project or for a page of them, where there were six.

// projectLinkCols is the five link lists, as columns of a query over
// projects p, in the order scanLinks reads them. named adds what a page
// shows of the records named: an agency's name, a law's title and
// articles.
func projectLinkCols(e Engine, named bool) string {
	i := 0
	if named {
		i = 1
	}
	if e == Postgres {
		return pgLinkCols[i]
	}
	return sqliteLinkCols[i]
}

var (
	sqliteLinkCols = [2]string{buildLinkCols(SQLite, false), buildLinkCols(SQLite, true)}
	pgLinkCols     = [2]string{buildLinkCols(Postgres, false), buildLinkCols(Postgres, true)}
)

func buildLinkCols(e Engine, named bool) string {
	agency, law := "a.code, pa.role, pa.note_fa, pa.note_en", "l.slug, pm.article, pm.note_fa, pm.note_en"
	if named {
		agency += ", a.name_fa, a.name_en"
		law += ", l.title_fa, l.title_en, l.articles"
	}
	return jsonRows(e, agency, "project_agencies pa JOIN agencies a ON a.id = pa.agency_id WHERE pa.project_id = p.id", "pa.seq") + ",\n\t" +
		jsonRows(e, law, "project_mandates pm JOIN laws l ON l.id = pm.law_id WHERE pm.project_id = p.id", "pm.seq") + ",\n\t" +
		jsonRows(e, "dp.slug", "project_dependencies d JOIN projects dp ON dp.id = d.depends_on_id WHERE d.project_id = p.id", "d.seq") + ",\n\t" +
		jsonRows(e, "c.capability", "project_capabilities c WHERE c.project_id = p.id", "c.seq") + ",\n\t" +
		jsonRows(e, "lp.slug, ln.kind, ln.note_fa, ln.note_en, ln.sources", "project_lineage ln JOIN projects lp ON lp.id = ln.predecessor_id WHERE ln.project_id = p.id", "ln.seq")
}

// linkRows holds the link columns of one row as read.
type linkRows [5]string

func (l *linkRows) dest() []any { return []any{&l[0], &l[1], &l[2], &l[3], &l[4]} }

// Names are the names of the records a project's links name, as a page
// shows them: agencies by code, laws by slug (title and articles only).
type Names struct {
	Agencies map[string]domain.Text
	Laws     map[string]*domain.Law
}

// fill sets p's links from the rows; names, when not nil, takes the names.
func (l *linkRows) fill(p *domain.Project, names *Names) error {
	rows, err := parseRows(l[0])
	if err != nil {
		return err
	}
	for _, r := range rows {
		x := domain.Participation{Agency: field(r, 0), Role: domain.Role(field(r, 1)), Note: domain.T(field(r, 2), field(r, 3))}
		p.Agencies = append(p.Agencies, x)
		if names != nil {
			names.Agencies[x.Agency] = domain.T(field(r, 4), field(r, 5))
		}
	}
	if rows, err = parseRows(l[1]); err != nil {
		return err
	}
	for _, r := range rows {
		x := domain.Mandate{Law: field(r, 0), Article: field(r, 1), Note: domain.T(field(r, 2), field(r, 3))}
		p.Mandates = append(p.Mandates, x)
		if names != nil && names.Laws[x.Law] == nil {
			law := &domain.Law{Slug: x.Law, Title: domain.T(field(r, 4), field(r, 5))}
			if err := scanJSON(field(r, 6), &law.Articles); err != nil {
				return err
			}
			names.Laws[x.Law] = law
		}
	}
	if rows, err = parseRows(l[2]); err != nil {
		return err
	}
	for _, r := range rows {
		p.DependsOn = append(p.DependsOn, field(r, 0))
	}
	if rows, err = parseRows(l[3]); err != nil {
		return err
	}
	for _, r := range rows {
		p.Capabilities = append(p.Capabilities, field(r, 0))
	}
	if rows, err = parseRows(l[4]); err != nil {
		return err
	}
	for _, r := range rows {
		x := domain.Predecessor{Project: field(r, 0), Kind: domain.LineageKind(field(r, 1)), Note: domain.T(field(r, 2), field(r, 3))}
		if err := scanJSON(field(r, 4), &x.Sources); err != nil {
			return err
		}
		p.Predecessors = append(p.Predecessors, x)
	}
	return nil
}

// scanLinkedProject reads a row of projectCols followed by the link
// columns, then extra.
func scanLinkedProject(sc scanner, names *Names, extra ...any) (*domain.Project, int64, error) {
	var l linkRows
	p, id, err := scanProject(scanWith{sc, append(l.dest(), extra...)})
	if err != nil {
		return nil, 0, err
	}
	return p, id, l.fill(p, names)
}

// scanWith scans a row into the caller's destinations followed by more.
type scanWith struct {
	sc   scanner
	more []any
}

func (s scanWith) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.more...)...) }
