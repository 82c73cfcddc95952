package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/textnorm"
)

// The search index kept in step with the records (table search_docs; on
// SQLite its FTS5 table search_fts follows by trigger, on PostgreSQL its
// tsvector column is generated). Every write of the service is audited in
// its own transaction, so the audit entry says what changed: Audit notes
// the record (noteSearch) and, before the commit, flushSearch rewrites the
// index rows of what was noted — in the same transaction, so the index
// never disagrees with a committed record. A bulk load or an import
// (an entry keyed "bulk", or of kind registry, meetings or follow-up)
// rebuilds its kinds whole; a copy rebuilds everything at its destination,
// and so does opening a database whose index was built under older
// folding rules (textnorm.Version).

// Search kinds: what a hit can be.
const (
	SearchProject  = "project"
	SearchProgram  = "program"
	SearchDecision = "decision"
	SearchAgency   = "agency"
	SearchLaw      = "law"
	SearchReport   = "report"
	SearchAction   = "action"
)

// SearchKinds lists the kinds, the public ones first.
var SearchKinds = []string{SearchProject, SearchProgram, SearchDecision, SearchAgency, SearchLaw, SearchReport, SearchAction}

// searchDoc is one record as the index holds it.
type searchDoc struct {
	kind, ref   string
	refID       int64
	title, body domain.Text
}

// searchReader reads the index documents of one kind whose records match
// cond (a condition on the reader's own aliases; "1=1" for all).
type searchReader func(t *Tx, cond string, args ...any) ([]searchDoc, error)

var searchReaders = map[string]searchReader{
	SearchProject:  projectDocs,
	SearchProgram:  programDocs,
	SearchDecision: decisionDocs,
	SearchAgency:   agencyDocs,
	SearchLaw:      lawDocs,
	SearchReport:   reportDocs,
	SearchAction:   actionDocs,
}

// searchNotes are the records a transaction wrote that the index shows.
type searchNotes struct {
	refs map[string]map[string]bool // kind → refs
	all  map[string]bool            // kinds rebuilt whole
	// by is a reindex by another key: a meeting's decisions, a project's
	// reports and decisions (their texts name it).
	meetings, projects map[string]bool
}

// bulkKinds are the index kinds a bulk audit entry's kind covers.
var bulkKinds = map[string][]string{
	"registry":  {SearchProject, SearchProgram, SearchAgency, SearchLaw},
	"meetings":  {SearchDecision, SearchAction},
	"follow-up": {SearchReport},
}

// noteSearch records that the transaction wrote the record an audit entry
// of kind and key names.
func (t *Tx) noteSearch(kind, key string) {
	n := t.search
	if n == nil {
		n = &searchNotes{refs: map[string]map[string]bool{}, all: map[string]bool{},
			meetings: map[string]bool{}, projects: map[string]bool{}}
		t.search = n
	}
	if ks, ok := bulkKinds[kind]; ok {
		for _, k := range ks {
			n.all[k] = true
		}
		return
	}
	if key == "bulk" { // a bulk load's seal of one kind
		if kind == "outcome" {
			kind = SearchDecision
		}
		if _, ok := searchReaders[kind]; ok {
			n.all[kind] = true
		}
		return
	}
	switch kind {
	case "outcome": // "meeting/n": the outcome n, a decision if it is one
		if _, id, ok := strings.Cut(key, "/"); ok {
			n.note(SearchDecision, id)
		}
	case "meeting": // a session's changes reach its decisions' titles
		n.meetings[key] = true
	case SearchProject:
		n.note(kind, key)
		n.projects[key] = true
	case SearchProgram, SearchAgency, SearchLaw, SearchReport, SearchAction:
		n.note(kind, key)
	}
}

// merge adds o's notes to n's.
func (n *searchNotes) merge(o *searchNotes) {
	for kind, refs := range o.refs {
		for ref := range refs {
			n.note(kind, ref)
		}
	}
	for _, pair := range []struct{ to, from map[string]bool }{{n.all, o.all}, {n.meetings, o.meetings}, {n.projects, o.projects}} {
		for k := range pair.from {
			pair.to[k] = true
		}
	}
}

func (n *searchNotes) note(kind, ref string) {
	if n.refs[kind] == nil {
		n.refs[kind] = map[string]bool{}
	}
	n.refs[kind][ref] = true
}

// flushSearch rewrites the index rows of what the transaction noted. The
// rows are read first and written together, in one statement (a few for
// many): SQLite's FTS5 writes its pending rows out as a new segment, and
// merges segments, at every statement that opens a savepoint in the
// transaction, so a write a row cost a segment a row.
func (t *Tx) flushSearch() error {
	n := t.search
	t.search = nil
	if n == nil {
		return nil
	}
	var put []searchDoc
	add := func(docs []searchDoc, err error) error {
		put = append(put, docs...)
		return err
	}
	for _, kind := range SearchKinds {
		if n.all[kind] {
			if err := t.rebuildSearch(kind); err != nil {
				return err
			}
			continue
		}
		for ref := range n.refs[kind] {
			if err := add(t.reindex(kind, ref)); err != nil {
				return err
			}
		}
	}
	for code := range n.meetings {
		if n.all[SearchDecision] {
			break
		}
		if err := add(decisionDocs(t, "m.code = ?", code)); err != nil {
			return err
		}
	}
	// A project's name is in its reports' titles and its decisions'
	// bodies: a rename rewrites them here, in the rename's transaction.
	for slug := range n.projects {
		if !n.all[SearchReport] {
			if err := add(reportDocs(t, "p.slug = ?", slug)); err != nil {
				return err
			}
		}
		if !n.all[SearchDecision] {
			if err := add(decisionDocs(t, `o.id IN (SELECT dp.outcome_id FROM outcome_projects dp
				JOIN projects dq ON dq.id = dp.project_id WHERE dq.slug = ?)`, slug)); err != nil {
				return err
			}
		}
	}
	return t.putDocs(put)
}

// refCond is the condition on each reader's aliases naming one record.
var refCond = map[string]string{
	SearchProject: "p.slug = ?", SearchProgram: "g.slug = ?", SearchAgency: "a.code = ?", SearchLaw: "l.slug = ?",
	SearchDecision: "o.id = ?", SearchReport: "r.id = ?", SearchAction: "a.id = ?",
}

// reindex reads one record's index rows, and removes its row when the
// record is gone (or, for an outcome, is not a decision).
func (t *Tx) reindex(kind, ref string) ([]searchDoc, error) {
	var arg any = ref
	switch kind {
	case SearchDecision, SearchReport, SearchAction:
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			return nil, nil
		}
		arg = id
	}
	docs, err := searchReaders[kind](t, refCond[kind], arg)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		_, err = t.exec("DELETE FROM search_docs WHERE kind = ? AND ref = ?", kind, ref)
	}
	return docs, err
}

// searchCols are search_docs' columns a write sets.
var searchCols = []string{"kind", "ref", "ref_id", "title_fa", "title_en", "body_fa", "body_en", "norm_title", "norm_body", "key_fa", "key_en"}

// values is the row of d as search_docs holds it.
func (d *searchDoc) values() []any {
	title := []string{textnorm.Fold(d.title.FA), textnorm.Fold(d.title.EN)}
	title = append(title, textnorm.Joined(d.title.FA, false)...)
	body := []string{textnorm.Fold(d.body.FA), textnorm.Fold(d.body.EN), textnorm.Fold(d.ref)}
	body = append(body, textnorm.Joined(d.body.FA, false)...)
	var keyFA, keyEN string
	if d.kind == SearchProject {
		keyFA, keyEN = textnorm.Squash(d.title.FA), textnorm.Squash(d.title.EN)
	}
	return []any{d.kind, d.ref, d.refID, d.title.FA, d.title.EN, d.body.FA, d.body.EN,
		joinWords(title), joinWords(body), keyFA, keyEN}
}

func joinWords(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// putHead, putRow and putTail write documents' rows (head, then one row per document),
// and leaves a row that would not change as it is: most writes (a report
// submitted, a project's status) leave their record's text unchanged, and
// an update would rewrite the full-text index's entries for nothing
// (SQLite's FTS5 triggers, PostgreSQL's GIN index).
var putHead, putRow, putTail = func() (head, row, tail string) {
	set := make([]string, 0, len(searchCols)-2)
	changed := make([]string, 0, len(searchCols)-2)
	for _, c := range searchCols[2:] {
		set = append(set, c+" = excluded."+c)
		changed = append(changed, "search_docs."+c+" IS DISTINCT FROM excluded."+c)
	}
	return "INSERT INTO search_docs (" + strings.Join(searchCols, ", ") + ") VALUES ", "(?" + strings.Repeat(", ?", len(searchCols)-1) + ")",
		" ON CONFLICT (kind, ref) DO UPDATE SET " + strings.Join(set, ", ") + " WHERE " + strings.Join(changed, " OR ")
}()

// putDocs writes index rows, replacing those of the same records, a few
// hundred rows a statement; a record named twice is written once.
func (t *Tx) putDocs(docs []searchDoc) error {
	seen := make(map[[2]string]bool, len(docs))
	var rows []string
	var args []any
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		_, err := t.exec(putHead+strings.Join(rows, ", ")+putTail, args...)
		rows, args = rows[:0], args[:0]
		return err
	}
	for i := len(docs) - 1; i >= 0; i-- { // the last read of a record wins
		d := &docs[i]
		if k := [2]string{d.kind, d.ref}; !seen[k] {
			seen[k] = true
			rows, args = append(rows, putRow), append(args, d.values()...)
		}
		if len(rows) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// rebuildSearch rebuilds the index rows of one kind from its records.
func (t *Tx) rebuildSearch(kind string) error {
	if _, err := t.exec("DELETE FROM search_docs WHERE kind = ?", kind); err != nil {
		return err
	}
	docs, err := searchReaders[kind](t, "1=1")
	if err != nil {
		return err
	}
	rows := make([][]any, len(docs))
	for i := range docs {
		rows[i] = docs[i].values()
	}
	if len(rows) == 0 {
		return nil
	}
	return t.insertRows("search_docs", searchCols, rows)
}

// RebuildSearch rebuilds the whole index from the records and records the
// folding rules it was built under: what a copy's destination and a
// database indexed under older rules need.
func (t *Tx) RebuildSearch() error {
	for _, kind := range SearchKinds {
		if err := t.rebuildSearch(kind); err != nil {
			return fmt.Errorf("search index, %s: %w", kind, err)
		}
	}
	t.search = nil
	_, err := t.exec("UPDATE search_state SET version = ? WHERE id = 1", textnorm.Version)
	return err
}

// ensureSearch rebuilds the index when it was built under other folding
// rules than this binary's (or never: a database just migrated).
func (db *DB) ensureSearch(ctx context.Context) error {
	var v int
	if err := db.write.QueryRowContext(ctx, "SELECT version FROM search_state WHERE id = 1").Scan(&v); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if v == textnorm.Version {
		return nil
	}
	return db.run(ctx, db.write, false, func(t *Tx) error {
		if db.engine == Postgres {
			// Instances starting together on one database: one rebuilds,
			// the others find it done.
			if _, err := t.exec("SELECT pg_advisory_xact_lock(7340016)"); err != nil {
				return err
			}
			if err := t.row("SELECT version FROM search_state WHERE id = 1").Scan(&v); err != nil || v == textnorm.Version {
				return err
			}
		}
		return t.RebuildSearch()
	})
}

// ---- what each kind's document holds ----

// docList reads documents with scan.
func docList(t *Tx, q string, args []any, scan func(scanner) (searchDoc, error)) ([]searchDoc, error) {
	return list(t, scan, q, args...)
}

func lines(parts ...string) string { return joinLines(parts) }

func joinLines(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p)
	}
	return b.String()
}

func projectDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT p.id, p.slug, p.title_fa, p.title_en, p.summary_fa, p.summary_en, p.scope_fa, p.scope_en
		FROM projects p WHERE `+cond, args, func(sc scanner) (searchDoc, error) {
		d := searchDoc{kind: SearchProject}
		var sfa, sen, cfa, cen string
		err := sc.Scan(&d.refID, &d.ref, &d.title.FA, &d.title.EN, &sfa, &sen, &cfa, &cen)
		d.body = domain.Text{FA: lines(sfa, cfa), EN: lines(sen, cen)}
		return d, err
	})
}

func programDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT g.id, g.slug, g.title_fa, g.title_en, g.notes_fa, g.notes_en FROM programs g WHERE `+cond, args,
		func(sc scanner) (searchDoc, error) {
			d := searchDoc{kind: SearchProgram}
			err := sc.Scan(&d.refID, &d.ref, &d.title.FA, &d.title.EN, &d.body.FA, &d.body.EN)
			return d, err
		})
}

func agencyDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT a.id, a.code, a.name_fa, a.name_en FROM agencies a WHERE `+cond, args,
		func(sc scanner) (searchDoc, error) {
			d := searchDoc{kind: SearchAgency}
			err := sc.Scan(&d.refID, &d.ref, &d.title.FA, &d.title.EN)
			return d, err
		})
}

func lawDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT l.id, l.slug, l.title_fa, l.title_en, l.number, l.body_fa, l.body_en FROM laws l WHERE `+cond, args,
		func(sc scanner) (searchDoc, error) {
			d := searchDoc{kind: SearchLaw}
			var number, bfa, ben string
			err := sc.Scan(&d.refID, &d.ref, &d.title.FA, &d.title.EN, &number, &bfa, &ben)
			d.body = domain.Text{FA: lines(number, bfa), EN: lines(number, ben)}
			return d, err
		})
}

// A decision's title is its session and resolution; its body, its text
// and the titles of the projects it concerns (so a project's decisions are
// found by its name, and follow a rename: see flushSearch).
func decisionDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	const from = ` FROM outcomes o JOIN meetings m ON m.id = o.meeting_id JOIN meeting_series s ON s.id = m.series_id
		WHERE o.kind = 'decision' AND `
	docs, err := docList(t, `SELECT o.id, s.name_fa, s.name_en, m.number, o.resolution, o.text_fa, o.text_en`+from+cond, args,
		func(sc scanner) (searchDoc, error) {
			d := searchDoc{kind: SearchDecision}
			var sfa, sen, res string
			var number int
			err := sc.Scan(&d.refID, &sfa, &sen, &number, &res, &d.body.FA, &d.body.EN)
			d.ref = strconv.FormatInt(d.refID, 10)
			d.title = domain.Text{FA: fmt.Sprintf("%s، جلسه %s، مصوبه %s", sfa, jalali.PersianDigits(strconv.Itoa(number)), jalali.PersianDigits(res)),
				EN: fmt.Sprintf("%s, session %d, resolution %s", sen, number, res)}
			return d, err
		})
	if err != nil || len(docs) == 0 {
		return docs, err
	}
	at := make(map[int64]int, len(docs))
	for i := range docs {
		at[docs[i].refID] = i
	}
	type named struct {
		id    int64
		title domain.Text
	}
	names, err := list(t, func(sc scanner) (named, error) {
		var n named
		err := sc.Scan(&n.id, &n.title.FA, &n.title.EN)
		return n, err
	}, `SELECT o.id, pr.title_fa, pr.title_en FROM outcome_projects op JOIN projects pr ON pr.id = op.project_id
		JOIN outcomes o ON o.id = op.outcome_id JOIN meetings m ON m.id = o.meeting_id JOIN meeting_series s ON s.id = m.series_id
		WHERE o.kind = 'decision' AND `+cond+` ORDER BY o.id, op.seq`, args...)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if i, ok := at[n.id]; ok {
			d := &docs[i]
			d.body = domain.Text{FA: lines(d.body.FA, n.title.FA), EN: lines(d.body.EN, n.title.EN)}
		}
	}
	return docs, nil
}

// A report's title is its project's and its period.
func reportDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT r.id, p.title_fa, p.title_en, r.period, r.narrative_fa, r.narrative_en
		FROM reports r JOIN projects p ON p.id = r.project_id WHERE `+cond, args, func(sc scanner) (searchDoc, error) {
		d := searchDoc{kind: SearchReport}
		var tfa, ten, period string
		err := sc.Scan(&d.refID, &tfa, &ten, &period, &d.body.FA, &d.body.EN)
		d.ref = strconv.FormatInt(d.refID, 10)
		d.title = domain.Text{FA: tfa + " · " + jalali.PersianDigits(period), EN: ten + " · " + period}
		return d, err
	})
}

func actionDocs(t *Tx, cond string, args ...any) ([]searchDoc, error) {
	return docList(t, `SELECT a.id, a.description_fa, a.description_en FROM actions a WHERE `+cond, args,
		func(sc scanner) (searchDoc, error) {
			d := searchDoc{kind: SearchAction}
			err := sc.Scan(&d.refID, &d.title.FA, &d.title.EN)
			d.ref = strconv.FormatInt(d.refID, 10)
			return d, err
		})
}
