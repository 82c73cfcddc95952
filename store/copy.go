package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Copying a whole database from one engine to another: an operator who
// began on SQLite and outgrew one machine moves everything — registry,
// meetings, follow-up, evidence files, accounts, tokens, signing keys, the
// audit log with its hash chain, job runs — to PostgreSQL, or back.
//
// The copy reads the schema from the databases themselves (sqlite_master
// and its pragmas; information_schema and pg_catalog), so a table added by
// a later migration is carried without a change here; it refuses two
// databases whose migrations or tables differ.

// seededTables are the tables the migrations fill in an otherwise empty
// database. A fresh destination holds their rows; the copy replaces them
// with the source's.
var seededTables = map[string]bool{"registry_state": true, "audit_reconcile": true, "data_versions": true}

// gooseTable is goose's own record of the migrations; each database keeps
// its own and it is never copied.
const gooseTable = "goose_db_version"

// copyBatchRows and copyBatchBytes bound one INSERT of the copy: the rows
// it carries and, for tables holding files, their size.
const (
	copyBatchRows  = 500
	copyBatchBytes = 8 << 20
	copyMaxParams  = 30000 // below SQLite's 32766 and PostgreSQL's 65535
)

// colKind is how a column's values are kept, whatever the engine calls it.
type colKind int

const (
	kindAny colKind = iota
	kindInt
	kindBool
	kindFloat
	kindText
	kindBlob
)

type copyColumn struct {
	name     string
	kind     colKind
	identity bool // PostgreSQL: the column draws from a sequence
}

type foreignKey struct {
	cols    []string
	ref     string
	refCols []string
}

type copyTable struct {
	name string
	cols []copyColumn
	pk   []string
	fks  []foreignKey
}

func (t *copyTable) colNames() []string {
	names := make([]string, len(t.cols))
	for i, c := range t.cols {
		names[i] = c.name
	}
	return names
}

// Copy copies every row of every table of from into to, which must be a
// freshly opened database — migrated, and holding nothing but what the
// migrations put there — of either engine, at the same migration as from.
// The source is read in one read transaction, a consistent snapshot, so
// from may go on serving; the destination is written in one transaction,
// so it ends up with all of from or, on any error, with nothing. Tables
// are filled parents first (by their foreign keys), rows in key order and
// in batches; on PostgreSQL every identity sequence is then moved past
// the largest id copied, so new records do not collide, and its planner's
// statistics are gathered (ANALYZE). progress, if not
// nil, is called after each table with the rows copied into it.
func Copy(ctx context.Context, from, to *DB, progress func(table string, rows int64)) error {
	if from == nil || to == nil {
		return errors.New("copy: a database is missing")
	}
	if from == to {
		return domain.Invalid("to", "مبدأ و مقصد رونوشت یک پایگاه داده‌اند", "the source and the destination of the copy are the same database")
	}
	if to.readOnly {
		return domain.ReadOnly()
	}
	if from.engine == SQLite && to.engine == SQLite {
		a, errA := from.Path(ctx)
		b, errB := to.Path(ctx)
		if errA == nil && errB == nil && filepath.Clean(a) == filepath.Clean(b) {
			return domain.Invalid("to", "مبدأ و مقصد رونوشت یک پایگاه داده‌اند", "the source and the destination of the copy are the same database")
		}
	}
	return from.View(ctx, func(src *Tx) error {
		srcVer, err := src.migrationVersion()
		if err != nil {
			return fmt.Errorf("copy: source: %w", err)
		}
		srcSchema, err := src.copySchema()
		if err != nil {
			return fmt.Errorf("copy: source schema: %w", err)
		}
		return to.Update(ctx, func(dst *Tx) error {
			dstVer, err := dst.migrationVersion()
			if err != nil {
				return fmt.Errorf("copy: destination: %w", err)
			}
			if srcVer != dstVer {
				return domain.Invalid("to",
					fmt.Sprintf("پایگاه داده مبدأ در مهاجرت %d و مقصد در مهاجرت %d است؛ هر دو را با یک نسخه از پیشران باز کنید", srcVer, dstVer),
					fmt.Sprintf("the source database is at migration %d and the destination at %d; open both with the same version of Pishran", srcVer, dstVer))
			}
			dstSchema, err := dst.copySchema()
			if err != nil {
				return fmt.Errorf("copy: destination schema: %w", err)
			}
			if err := sameTables(srcSchema, dstSchema); err != nil {
				return err
			}
			if err := dst.mustBeEmpty(dstSchema); err != nil {
				return err
			}
			order, err := copyOrder(dstSchema)
			if err != nil {
				return err
			}
			for _, name := range order {
				if seededTables[name] {
					if _, err := dst.exec("DELETE FROM " + quoteIdent(name)); err != nil {
						return fmt.Errorf("copy %s: %v", name, err)
					}
				}
			}
			for _, name := range order {
				if err := ctx.Err(); err != nil {
					return err
				}
				n, err := copyRows(src, dst, srcSchema[name], dstSchema[name])
				if err != nil {
					if cerr := ctx.Err(); cerr != nil {
						return cerr
					}
					return fmt.Errorf("copy %s: %v", name, err)
				}
				if progress != nil {
					progress(name, n)
				}
			}
			if to.engine == Postgres {
				if err := dst.resetSequences(dstSchema); err != nil {
					return err
				}
			}
			if err := dst.RebuildSearch(); err != nil {
				return err
			}
			// The planner's statistics of the tables just filled: without
			// them PostgreSQL plans the first reads for empty tables until
			// autovacuum comes round.
			if to.engine == Postgres {
				names := make([]string, len(order))
				for i, name := range order {
					names[i] = quoteIdent(name)
				}
				if _, err := dst.exec("ANALYZE " + strings.Join(names, ", ")); err != nil {
					return fmt.Errorf("copy: analyze: %v", err)
				}
			}
			return nil
		})
	})
}

// MigrationVersion is the latest migration applied to the database.
func (db *DB) MigrationVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.View(ctx, func(t *Tx) error {
		var err error
		v, err = t.migrationVersion()
		return err
	})
	return v, err
}

func (t *Tx) migrationVersion() (int64, error) {
	var v *int64
	if err := t.row("SELECT MAX(version_id) FROM " + gooseTable).Scan(&v); err != nil {
		return 0, fmt.Errorf("no Pishran schema (%w)", err)
	}
	if v == nil {
		return 0, errors.New("no migration applied")
	}
	return *v, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// tableNames lists the database's tables, goose's and the search index's
// aside (search_*: derived from the others, rebuilt at a copy's
// destination), in name order.
func (t *Tx) tableNames() ([]string, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_%' ESCAPE '\\' AND name <> ? ORDER BY name"
	if t.db.engine == Postgres {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'search\\_%' AND table_name <> ? ORDER BY table_name"
	}
	return list(t, scanString, query, gooseTable)
}

// copySchema reads every table's columns, primary key and foreign keys.
func (t *Tx) copySchema() (map[string]*copyTable, error) {
	names, err := t.tableNames()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no tables")
	}
	schema := map[string]*copyTable{}
	for _, name := range names {
		tab := &copyTable{name: name}
		if t.db.engine == Postgres {
			err = t.pgTable(tab)
		} else {
			err = t.sqliteTable(tab)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		schema[name] = tab
	}
	for _, tab := range schema { // a key naming no columns refers to the primary key
		for i, fk := range tab.fks {
			if len(fk.refCols) == 0 {
				if ref, ok := schema[fk.ref]; ok {
					tab.fks[i].refCols = ref.pk
				}
			}
		}
	}
	return schema, nil
}

func (t *Tx) sqliteTable(tab *copyTable) error {
	rows, err := t.query("SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", tab.name)
	if err != nil {
		return err
	}
	type pkCol struct {
		name string
		n    int
	}
	var pks []pkCol
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			rows.Close()
			return err
		}
		tab.cols = append(tab.cols, copyColumn{name: name, kind: sqliteKind(typ)})
		if pk > 0 {
			pks = append(pks, pkCol{name, pk})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Slice(pks, func(i, j int) bool { return pks[i].n < pks[j].n })
	for _, p := range pks {
		tab.pk = append(tab.pk, p.name)
	}
	rows, err = t.query(`SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tab.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	byID := map[int]int{}
	for rows.Next() {
		var id int
		var ref, from string
		var to *string
		if err := rows.Scan(&id, &ref, &from, &to); err != nil {
			return err
		}
		i, ok := byID[id]
		if !ok {
			i = len(tab.fks)
			byID[id] = i
			tab.fks = append(tab.fks, foreignKey{ref: ref})
		}
		tab.fks[i].cols = append(tab.fks[i].cols, from)
		if to != nil {
			tab.fks[i].refCols = append(tab.fks[i].refCols, *to)
		}
	}
	return rows.Err()
}

func (t *Tx) pgTable(tab *copyTable) error {
	rows, err := t.query(`SELECT column_name, data_type, is_identity, COALESCE(column_default, '')
		FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, tab.name)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name, typ, ident, def string
		if err := rows.Scan(&name, &typ, &ident, &def); err != nil {
			rows.Close()
			return err
		}
		tab.cols = append(tab.cols, copyColumn{name: name, kind: pgKind(typ),
			identity: ident == "YES" || strings.HasPrefix(def, "nextval(")})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(`SELECT a.attname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
		WHERE i.indisprimary AND n.nspname = current_schema() AND c.relname = ? ORDER BY k.ord`, tab.name)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		tab.pk = append(tab.pk, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(`SELECT con.conname, rf.relname, a.attname, af.attname FROM pg_constraint con
		JOIN pg_class c ON c.oid = con.conrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_class rf ON rf.oid = con.confrelid
		CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, ord)
		JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
		JOIN pg_attribute af ON af.attrelid = con.confrelid AND af.attnum = k.fattnum
		WHERE con.contype = 'f' AND n.nspname = current_schema() AND c.relname = ?
		ORDER BY con.conname, k.ord`, tab.name)
	if err != nil {
		return err
	}
	defer rows.Close()
	byName := map[string]int{}
	for rows.Next() {
		var con, ref, from, to string
		if err := rows.Scan(&con, &ref, &from, &to); err != nil {
			return err
		}
		i, ok := byName[con]
		if !ok {
			i = len(tab.fks)
			byName[con] = i
			tab.fks = append(tab.fks, foreignKey{ref: ref})
		}
		tab.fks[i].cols = append(tab.fks[i].cols, from)
		tab.fks[i].refCols = append(tab.fks[i].refCols, to)
	}
	return rows.Err()
}

// sqliteKind follows SQLite's rules for a declared column type's affinity,
// with BOOLEAN told apart (SQLite keeps it as 0 or 1).
func sqliteKind(typ string) colKind {
	u := strings.ToUpper(typ)
	switch {
	case strings.Contains(u, "BOOL"):
		return kindBool
	case strings.Contains(u, "INT"):
		return kindInt
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return kindText
	case u == "" || strings.Contains(u, "BLOB"):
		return kindBlob
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return kindFloat
	}
	return kindAny
}

func pgKind(typ string) colKind {
	switch typ {
	case "bigint", "integer", "smallint":
		return kindInt
	case "boolean":
		return kindBool
	case "double precision", "real", "numeric":
		return kindFloat
	case "bytea":
		return kindBlob
	case "text", "character varying", "character":
		return kindText
	}
	return kindAny
}

// sameTables refuses two schemas whose tables or columns differ by name.
func sameTables(src, dst map[string]*copyTable) error {
	var problems []string
	for _, name := range sortedKeys(src) {
		d, ok := dst[name]
		if !ok {
			problems = append(problems, "table "+name+" is missing from the destination")
			continue
		}
		have := map[string]bool{}
		for _, c := range d.cols {
			have[c.name] = true
		}
		for _, c := range src[name].cols {
			if !have[c.name] {
				problems = append(problems, "column "+name+"."+c.name+" is missing from the destination")
			}
			delete(have, c.name)
		}
		for _, c := range d.colNames() {
			if have[c] {
				problems = append(problems, "column "+name+"."+c+" is missing from the source")
			}
		}
	}
	for _, name := range sortedKeys(dst) {
		if _, ok := src[name]; !ok {
			problems = append(problems, "table "+name+" is missing from the source")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	list := strings.Join(problems, "; ")
	return domain.Invalid("to", "جدول‌ها یا ستون‌های مبدأ و مقصد یکی نیستند: "+list,
		"the source and the destination do not have the same tables and columns: "+list)
}

// mustBeEmpty refuses a destination holding any row beyond what the
// migrations seed.
func (t *Tx) mustBeEmpty(schema map[string]*copyTable) error {
	var full []string
	for _, name := range sortedKeys(schema) {
		if seededTables[name] {
			continue
		}
		var one int
		err := t.row("SELECT 1 FROM " + quoteIdent(name) + " LIMIT 1").Scan(&one)
		if err == nil {
			full = append(full, name)
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("copy: destination %s: %w", name, err)
		}
	}
	if len(full) == 0 {
		return nil
	}
	list := strings.Join(full, ", ")
	return domain.Conflict("to", "پایگاه داده مقصد خالی نیست (داده در: "+list+")؛ رونوشت فقط در پایگاه داده‌ای تازه و خالی نوشته می‌شود",
		"the destination database is not empty (rows in: "+list+"); the copy writes only into a fresh, empty database")
}

// copyOrder lists the tables parents first: a table comes after every
// table its foreign keys refer to (references to itself aside).
func copyOrder(schema map[string]*copyTable) ([]string, error) {
	deps := map[string]map[string]bool{}
	for name, tab := range schema {
		deps[name] = map[string]bool{}
		for _, fk := range tab.fks {
			if fk.ref != name {
				if _, ok := schema[fk.ref]; !ok {
					return nil, fmt.Errorf("copy: %s refers to %s, which is not a table here", name, fk.ref)
				}
				deps[name][fk.ref] = true
			}
		}
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(schema) {
		progressed := false
		for _, name := range sortedKeys(schema) {
			if done[name] {
				continue
			}
			ready := true
			for d := range deps[name] {
				if !done[d] {
					ready = false
					break
				}
			}
			if ready {
				order = append(order, name)
				done[name] = true
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, name := range sortedKeys(schema) {
				if !done[name] {
					left = append(left, name)
				}
			}
			return nil, fmt.Errorf("copy: the foreign keys of %s form a cycle; no order fills them parents first", strings.Join(left, ", "))
		}
	}
	return order, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
