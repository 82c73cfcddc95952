package store

import (
	"strings"

	"github.com/pishran/pishran/domain"
)

// Who may see what, as SQL conditions: every list and record read takes the
// viewer's rule here, so a confidential project, or a restricted program, is
// left out in the query itself rather than after it.

// followSQL is a condition on projects alias p: whether the viewer may see
// follow-up records (decisions, actions, agenda items) about p. Staff see
// what they may see of the registry (visibleSQL); the public sees the
// follow-up of public projects only, not of restricted ones.
func followSQL(v domain.Viewer) (string, []any) {
	if v.All {
		return "TRUE", nil
	}
	if isPublic(v) {
		return "(p.confidentiality = 'public')", nil
	}
	return visibleSQL, viewerArgs(v)
}

// decidedSQL is a condition on the meetings alias m: whether the viewer
// may see the decisions recorded at that meeting. The public sees them
// once the meeting is closed and its minutes are published (as the public
// meeting page does); staff see them from the moment they are recorded at
// the held meeting. Every read of decisions takes it: the decisions list
// and a project's (its page, its timeline, open data, the API) and search.
func decidedSQL(v domain.Viewer, m string) string {
	if isPublic(v) {
		return m + ".state = 'closed'"
	}
	return m + ".state IN ('held', 'closed')"
}

// hiddenProjectsSQL selects the ids of the projects whose follow-up the
// viewer may not see (NOT followSQL). Only a project that is not public can
// be one, and followSQL tests no column but the id and the confidentiality,
// which the index on confidentiality (migration 00036) holds: the list is
// read from a page or two of that index, never from a project's row, once
// per statement. A record then tests its own few projects against it
// (noHiddenSQL), so a read costs what it shows, not what the registry holds.
func hiddenProjectsSQL(v domain.Viewer) (string, []any) {
	cond, args := followSQL(v)
	return "(SELECT p.id FROM projects p WHERE p.confidentiality IN " + nonPublicLevels() + " AND NOT " + cond + ")", args
}

// noHiddenSQL is a condition on one record: that none of the projects it
// concerns, listed in the link table links (column key = ref), is one the
// viewer may not see (hiddenProjectsSQL). Each record probes its own links
// (the link table's primary key starts with key); nothing is gathered per
// statement but the few hidden projects. The caller leaves it out for a
// viewer who sees everything.
func noHiddenSQL(e Engine, v domain.Viewer, links, key, ref string) (string, []any) {
	if e == Postgres {
		// PostgreSQL turned the list form below into an anti-join against
		// every link of every hidden project, gathered once and compared
		// with each record in turn (58,000 comparisons for a page of 100
		// decisions, 8 ms; with the unary plus a scan of all links, 28 ms).
		// OFFSET 0 keeps the subquery from being made a join: it runs per
		// record, on the record's own links by the link table's key and
		// each link's project by its key (1 ms a page).
		cond, args := followSQL(v)
		return "NOT EXISTS (SELECT 1 FROM " + links + " hl JOIN projects p ON p.id = hl.project_id WHERE hl." + key + " = " + ref +
			" AND p.confidentiality IN " + nonPublicLevels() + " AND NOT " + cond + " OFFSET 0)", args
	}
	hidden, args := hiddenProjectsSQL(v)
	// The unary plus keeps SQLite from probing the links once per hidden
	// project (key = ? AND project_id = ?, a hundred probes a record): it
	// reads the record's few links and looks each up in the list.
	return "NOT EXISTS (SELECT 1 FROM " + links + " hl WHERE hl." + key + " = " + ref + " AND +hl.project_id IN " + hidden + ")", args
}

// nonPublicLevels is the SQL list of the confidentiality levels other than
// public.
func nonPublicLevels() string {
	var b strings.Builder
	for _, c := range domain.Confidentialities {
		if c == domain.Public {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("'" + string(c) + "'")
	}
	return "(" + b.String() + ")"
}

// isPublic reports whether v is the public (nobody signed in).
func isPublic(v domain.Viewer) bool { return !v.All && !v.Staff && v.Agency == "" }

// visibleSQL is a condition on projects alias p that keeps what the viewer
// may see; its two arguments come from viewerArgs.
const visibleSQL = `(p.confidentiality <> 'confidential' OR ? OR EXISTS (
	SELECT 1 FROM project_agencies va JOIN agencies vg ON vg.id = va.agency_id
	WHERE va.project_id = p.id AND vg.code = ?))`

func viewerArgs(v domain.Viewer) []any { return []any{v.All, v.Agency} }

// programVisible keeps restricted programs from viewers outside the staff.
func programVisible(v domain.Viewer) string {
	if v.All || v.Staff {
		return "1=1"
	}
	return "g.visibility = 'public'"
}
