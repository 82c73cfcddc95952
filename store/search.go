package store

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// Searching the index (search_index.go keeps it): the query's folded
// words, all of them in the same record, the last matching any word it
// begins (the word being typed); ranked by the engine's own measure, a
// title match weighing far more than a body match; and only what the
// viewer may see, decided in the query itself, as every list read is
// (visibility.go).

// SearchQuery is what a search asks for.
type SearchQuery struct {
	Terms  []string // folded words (textnorm.Words), at least one
	Kinds  []string // the kinds to look in (and count)
	Only   string   // when set, the one kind of those the hits are of
	Viewer domain.Viewer
	Limit  int
	Offset int
}

// SearchHit is one record found.
type SearchHit struct {
	Kind, Ref   string
	Title, Body domain.Text
	Score       float64 // larger is better
}

// Search returns a page of the records matching q, best first, how many
// there are of each kind, and whether the matches were cut at SearchCap
// (then the counts are of the first SearchCap). One pass over the matches
// does both: each row carries the counts (window aggregates over every
// match), so the matches are ranked and checked against the viewer once.
func (t *Tx) Search(q SearchQuery) ([]SearchHit, map[string]int, bool, error) {
	counts := map[string]int{}
	if len(q.Terms) == 0 || len(q.Kinds) == 0 {
		return nil, counts, false, nil
	}
	for _, k := range q.Kinds {
		if _, ok := searchReaders[k]; !ok {
			return nil, nil, false, fmt.Errorf("store: no search kind %q", k)
		}
	}
	from, match, score, _ := t.searchFrom(q.Terms, false, SearchCap+1)
	vis, vargs := searchVisible(q.Viewer)
	args := []any{match}
	args = append(args, vargs...)
	// The kinds are the fixed names checked above: written into the
	// statement, so its placeholders stay in FROM and WHERE.
	where := " WHERE d.kind IN ('" + strings.Join(q.Kinds, "', '") + "') AND " + vis
	pri := "0"
	if q.Only != "" {
		if _, ok := searchReaders[q.Only]; !ok {
			return nil, nil, false, fmt.Errorf("store: no search kind %q", q.Only)
		}
		// The kind asked for first; the rows of other kinds after them
		// are dropped below.
		pri = "CASE WHEN d.kind = '" + q.Only + "' THEN 0 ELSE 1 END"
	}
	// The matches are ranked and counted as narrow rows; the texts are
	// read for the page's rows only.
	inner := "SELECT d.id AS id, d.kind AS kind, d.ref AS ref, " + score + " AS score, " + pri + " AS pri, MAX(f.rn) OVER () AS mrn"
	outer := "SELECT x.kind, x.ref, d.title_fa, d.title_en, d.body_fa, d.body_en, x.score, x.mrn"
	for i, k := range q.Kinds {
		c := "c" + strconv.Itoa(i)
		inner += ", COUNT(*) FILTER (WHERE d.kind = '" + k + "') OVER () AS " + c
		outer += ", x." + c
	}
	rows, err := t.query(outer+" FROM ("+inner+from+where+" ORDER BY pri, score DESC, id LIMIT ? OFFSET ?) x"+
		" JOIN search_docs d ON d.id = x.id ORDER BY x.pri, x.score DESC, x.id",
		append(args, max(1, q.Limit), max(0, q.Offset))...)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	var hits []SearchHit
	var rn int
	n := make([]int, len(q.Kinds))
	dest := make([]any, 0, 8+len(n))
	for rows.Next() {
		var h SearchHit
		dest = append(dest[:0], &h.Kind, &h.Ref, &h.Title.FA, &h.Title.EN, &h.Body.FA, &h.Body.EN, &h.Score, &rn)
		for i := range n {
			dest = append(dest, &n[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, nil, false, err
		}
		if q.Only == "" || h.Kind == q.Only {
			hits = append(hits, h)
		}
		for i, k := range q.Kinds {
			counts[k] = n[i]
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, false, err
	}
	if len(counts) == 0 && q.Offset > 0 { // a page past the end: count alone
		rows.Close()
		if err := t.searchCounts(from, where, args, counts); err != nil {
			return nil, nil, false, err
		}
	}
	return hits, counts, rn > SearchCap, nil
}

// searchCounts counts the matches by kind.
func (t *Tx) searchCounts(from, where string, args []any, counts map[string]int) error {
	rows, err := t.query("SELECT d.kind, COUNT(*)"+from+where+" GROUP BY d.kind", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		counts[k] = n
	}
	return rows.Err()
}

func scanHit(sc scanner) (SearchHit, error) {
	var h SearchHit
	err := sc.Scan(&h.Kind, &h.Ref, &h.Title.FA, &h.Title.EN, &h.Body.FA, &h.Body.EN, &h.Score)
	return h, err
}

// SearchCap is how many matches a search ranks and counts at most: the
// first SearchCap in the index's own order. A query matching more (every
// "سامانه" of a national registry) is too broad to rank usefully, and
// ranking ten thousand matches costs what a hundred searches do; the
// answer says it was cut (Capped) and the person adds a word.
const SearchCap = 1000

// searchFrom is the engine's way to match terms: the FROM clause, which
// holds the match (its first placeholder) and ranks at most limit matches
// (rn numbers them), the match argument, the score column (larger is
// better) and the order.
func (t *Tx) searchFrom(terms []string, anyTerm bool, limit int) (from string, match any, score, order string) {
	lim := strconv.Itoa(limit)
	if t.db.engine == Postgres {
		return " FROM (SELECT c.*, ROW_NUMBER() OVER () AS rn FROM (SELECT s.id AS rid, ts_rank('{0.05, 0.1, 0.2, 1.0}'::float4[], s.doc, tq) AS rk" +
				" FROM search_docs s CROSS JOIN to_tsquery('simple', ?) tq WHERE s.doc @@ tq LIMIT " + lim + ") c) f JOIN search_docs d ON d.id = f.rid",
			tsQuery(terms, anyTerm), "f.rk", "f.rk DESC, d.id"
	}
	// The full-text index first, then each match's row (CROSS JOIN keeps
	// SQLite's order).
	// The window numbers the matches after the LIMIT cut them (a window
	// in the same SELECT would see, and rank, every match).
	return " FROM (SELECT c.*, ROW_NUMBER() OVER () AS rn FROM (SELECT rowid AS rid, rank AS rk FROM search_fts WHERE search_fts MATCH ? LIMIT " + lim +
			") c) f CROSS JOIN search_docs d ON d.id = f.rid",
		ftsQuery(terms, anyTerm), "-f.rk", "f.rk, d.id"
}

// prefixable: the last term (the word being typed) matches any word it
// begins, unless it is one letter; the words before it, typed whole,
// match themselves (a prefix of every term would expand "شماره" into
// every "شماره n" of a national registry).
func prefixable(terms []string, i int) bool {
	return i == len(terms)-1 && utf8.RuneCountInString(terms[i]) > 1
}

// ftsQuery is FTS5's query: every term (any one of them with anyTerm),
// quoted (a folded term holds only letters and digits), the last as a
// prefix.
func ftsQuery(terms []string, anyTerm bool) string {
	parts := make([]string, len(terms))
	for i, w := range terms {
		parts[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefixable(terms, i) {
			parts[i] += "*"
		}
	}
	if anyTerm {
		return strings.Join(parts, " OR ")
	}
	return strings.Join(parts, " ")
}

// tsQuery is PostgreSQL's: every term (or any one), quoted, the last as a
// prefix.
func tsQuery(terms []string, anyTerm bool) string {
	parts := make([]string, len(terms))
	for i, w := range terms {
		parts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(w, `\`, `\\`), "'", "''") + "'"
		if prefixable(terms, i) {
			parts[i] += ":*"
		}
	}
	if anyTerm {
		return strings.Join(parts, " | ")
	}
	return strings.Join(parts, " & ")
}

// searchVisible is the condition on search_docs d keeping what the viewer
// may see, kind by kind, with its arguments: projects as visibleSQL; a
// restricted program only for staff; a decision once its session is held
// and only when the viewer may see the follow-up of every project it is
// about (followSQL); agencies and laws to everyone; a report as
// reportVisible; an action as the actions list keeps it (its owner agency
// sees it whatever it is about).
func searchVisible(v domain.Viewer) (string, []any) {
	follow, fargs := followSQL(v)
	var args []any
	cond := `(d.kind IN ('agency', 'law')
	OR (d.kind = 'project' AND EXISTS (SELECT 1 FROM projects p WHERE p.id = d.ref_id AND ` + visibleSQL + `))
	OR (d.kind = 'program' AND EXISTS (SELECT 1 FROM programs g WHERE g.id = d.ref_id AND ` + programVisible(v) + `))
	OR (d.kind = 'decision' AND EXISTS (SELECT 1 FROM outcomes o JOIN meetings m ON m.id = o.meeting_id
			WHERE o.id = d.ref_id AND ` + decidedSQL(v, "m") + `)
		AND NOT EXISTS (SELECT 1 FROM outcome_projects op JOIN projects p ON p.id = op.project_id
			WHERE op.outcome_id = d.ref_id AND NOT ` + follow + `))
	OR (d.kind = 'report' AND EXISTS (SELECT 1` + reportFrom + ` WHERE r.id = d.ref_id AND ` + reportVisible + `))
	OR (d.kind = 'action' AND (? OR EXISTS (SELECT 1 FROM actions a JOIN agencies g ON g.id = a.owner_id
			WHERE a.id = d.ref_id AND g.code <> '' AND g.code = ?)
		OR NOT EXISTS (SELECT 1 FROM action_projects ap JOIN projects p ON p.id = ap.project_id
			WHERE ap.action_id = d.ref_id AND NOT ` + follow + `))))`
	args = append(args, viewerArgs(v)...)
	args = append(args, fargs...)
	args = append(args, reportViewerArgs(v)...)
	args = append(args, v.All, v.Agency)
	args = append(args, fargs...)
	return cond, args
}

// SimilarTitle is a project whose title may be the same as another's.
type SimilarTitle struct {
	Slug   string
	Title  domain.Text
	KeyFA  string // the title squashed (textnorm.Squash)
	KeyEN  string
	Exact  bool // squashed alike
	Ranked bool // found by the words of the title
}

// SimilarProjectTitles lists the projects the viewer may see whose title
// squashes to keyFA or keyEN, and up to limit more sharing the words
// any of terms, best first: the candidates for a near-duplicate warning.
func (t *Tx) SimilarProjectTitles(keyFA, keyEN string, terms []string, v domain.Viewer, limit int) ([]SimilarTitle, error) {
	seen := map[string]bool{}
	var out []SimilarTitle
	add := func(rows []SimilarTitle) {
		for _, r := range rows {
			if !seen[r.Slug] {
				seen[r.Slug] = true
				out = append(out, r)
			}
		}
	}
	scan := func(exact bool) func(scanner) (SimilarTitle, error) {
		return func(sc scanner) (SimilarTitle, error) {
			s := SimilarTitle{Exact: exact, Ranked: !exact}
			err := sc.Scan(&s.Slug, &s.Title.FA, &s.Title.EN, &s.KeyFA, &s.KeyEN)
			return s, err
		}
	}
	vis := " AND EXISTS (SELECT 1 FROM projects p WHERE p.id = d.ref_id AND " + visibleSQL + ")"
	if keyFA != "" || keyEN != "" {
		exact, err := list(t, scan(true), `SELECT d.ref, d.title_fa, d.title_en, d.key_fa, d.key_en FROM search_docs d
			WHERE d.kind = 'project' AND ((d.key_fa = ? AND ? <> '') OR (d.key_en = ? AND ? <> ''))`+vis,
			append([]any{keyFA, keyFA, keyEN, keyEN}, viewerArgs(v)...)...)
		if err != nil {
			return nil, err
		}
		add(exact)
	}
	if len(terms) > 0 && limit > 0 {
		from, match, _, order := t.searchFrom(terms, true, 5*SearchCap)
		near, err := list(t, scan(false), "SELECT d.ref, d.title_fa, d.title_en, d.key_fa, d.key_en"+from+
			" WHERE d.kind = 'project'"+vis+" ORDER BY "+order+
			" LIMIT "+strconv.Itoa(limit), append([]any{match}, viewerArgs(v)...)...)
		if err != nil {
			return nil, err
		}
		add(near)
	}
	return out, nil
}
