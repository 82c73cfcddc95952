package store

import (
	"database/sql"

	"github.com/pishran/pishran/domain"
)

// IndexRow is a project as the public index lists it.
type IndexRow struct {
	Slug            string
	Title           domain.Text
	Kind            domain.ProjectKind
	Lifecycle       domain.Lifecycle
	Confidentiality domain.Confidentiality
	Lead            string // the lead agency's code ("" none)
	LeadName        domain.Text
}

// IndexFilter narrows the project index.
type IndexFilter struct {
	Program   string // a member (now or once) of this program
	Agency    string // led or joined by this agency
	Kind      domain.ProjectKind
	Lifecycle domain.Lifecycle
}

// IndexRows lists every project the viewer may see that the filter
// keeps, by slug, in one statement: the index filters by computed status
// after it, so it reads the whole selection (ten thousand short rows at
// national scale).
func (t *Tx) IndexRows(f IndexFilter, v domain.Viewer) ([]IndexRow, error) {
	q := `SELECT p.slug, p.title_fa, p.title_en, p.kind, p.status, p.confidentiality, la.code, la.name_fa, la.name_en
		FROM projects p
		LEFT JOIN agencies la ON la.id = (SELECT pa.agency_id FROM project_agencies pa WHERE pa.project_id = p.id AND pa.role = 'lead'
			ORDER BY pa.seq LIMIT 1)
		WHERE ` + visibleSQL
	args := viewerArgs(v)
	if f.Program != "" {
		q += " AND EXISTS (SELECT 1 FROM memberships m JOIN programs g ON g.id = m.program_id WHERE m.project_id = p.id AND g.slug = ? AND " +
			programVisible(v) + ")"
		args = append(args, f.Program)
	}
	if f.Agency != "" {
		q += " AND EXISTS (SELECT 1 FROM project_agencies fa JOIN agencies fg ON fg.id = fa.agency_id WHERE fa.project_id = p.id AND fg.code = ?)"
		args = append(args, f.Agency)
	}
	if f.Kind != "" {
		q += " AND p.kind = ?"
		args = append(args, f.Kind)
	}
	if f.Lifecycle != "" {
		q += " AND p.status = ?"
		args = append(args, f.Lifecycle)
	}
	return list(t, func(sc scanner) (IndexRow, error) {
		var (
			x              IndexRow
			code, nfa, nen sql.NullString
		)
		err := sc.Scan(&x.Slug, &x.Title.FA, &x.Title.EN, &x.Kind, &x.Lifecycle, &x.Confidentiality, &code, &nfa, &nen)
		x.Lead, x.LeadName = code.String, domain.T(nfa.String, nen.String)
		return x, err
	}, q+" ORDER BY p.slug", args...)
}
