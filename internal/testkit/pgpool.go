package testkit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/store"
)

// A fresh PostgreSQL database for Open is a schema of a pool kept on the
// test server, brought back to the state of a freshly migrated database —
// every table emptied, the rows the migrations seed copied back from a
// template schema migrated once, every sequence set where the template's
// stands — rather than a schema created, migrated and dropped per test:
// the DDL of the migrations took seconds of the server's time per test.
// A schema of the pool is held, for the test that uses it, by an advisory
// lock on a connection of its own, so test processes running at once
// (go test ./...) never share one, and a process that dies releases its
// schemas with its connections. The template and the pool are named after
// the migrations' contents: a checkout with other migrations has a pool
// of its own. PostgresDSN (an empty schema, for the tests that migrate or
// copy into a database themselves) is unchanged.
type pgPool struct {
	once   sync.Once
	err    error
	admin  *sql.DB
	key    int32  // the advisory locks' first key: the migrations' hash
	name   string // the hash, in the schemas' names
	tmpl   string // the template schema
	tables []string
	seeded []string // the template's tables holding rows
	shape  int64    // the template's columns and relations, counted
}

var pool pgPool

// pooledPostgres returns the DSN of a pool schema held for t and reset to a
// freshly migrated database's state.
func pooledPostgres(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		PostgresDSN(t) // skips, saying how to run them
	}
	if err := pool.start(base); err != nil {
		t.Fatalf("postgres pool: %v", err)
	}
	ctx := context.Background()
	conn, err := pool.admin.Conn(ctx)
	if err != nil {
		t.Fatalf("postgres pool: %v", err)
	}
	n := 0
	for ; ; n++ {
		var got bool
		if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, $2)", pool.key, n).Scan(&got); err != nil {
			conn.Close()
			t.Fatalf("postgres pool: lock: %v", err)
		}
		if got {
			break
		}
	}
	// The lock is the session's: released before the connection goes back
	// to database/sql's pool, which keeps the session open.
	t.Cleanup(func() { release(conn, pool.key, n) })
	schema := fmt.Sprintf("pishran_pool_%s_%d", pool.name, n)
	if err := pool.reset(ctx, conn, base, schema); err != nil {
		t.Fatalf("postgres pool: %s: %v", schema, err)
	}
	dsn, err := schemaURL(base, schema)
	if err != nil {
		t.Fatalf("PISHRAN_TEST_POSTGRES: %v", err)
	}
	return dsn
}

// schemaURL is the server's URL with connections that use schema.
func schemaURL(base, schema string) (string, error) { return withParam(base, "search_path", schema) }

// withParam is the server's URL with the connection parameter k set to v.
func withParam(base, k, v string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// adminApp names the sessions that hold this process's pool locks, so
// that the server's pg_stat_activity tells them from other test processes'.
var adminApp = fmt.Sprintf("pishran-testpool-%d", os.Getpid())

// start opens the pool's connections and, once per migration set on the
// server, migrates the template.
func (p *pgPool) start(base string) error {
	p.once.Do(func() {
		h, err := migrationsHash()
		if err != nil {
			p.err = err
			return
		}
		p.key, p.name = int32(binary.BigEndian.Uint32(h)), hex.EncodeToString(h[:6])
		p.tmpl = "pishran_tmpl_" + p.name
		admin, err := withParam(base, "application_name", adminApp)
		if err != nil {
			p.err = err
			return
		}
		if p.admin, p.err = sql.Open("pgx", admin); p.err != nil {
			return
		}
		ctx := context.Background()
		conn, err := p.admin.Conn(ctx)
		if err != nil {
			p.err = err
			return
		}
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1, -1)", p.key); err != nil {
			conn.Close()
			p.err = err
			return
		}
		defer release(conn, p.key, -1)
		if !p.migrated(ctx, conn, p.tmpl) {
			if p.err = p.migrate(ctx, conn, base, p.tmpl); p.err != nil {
				return
			}
		}
		p.err = p.describe(ctx, conn)
	})
	return p.err
}

// release unlocks the advisory lock (key, n) the connection holds and
// hands the connection back; a connection that cannot unlock is discarded,
// and its session with the lock.
func release(conn *sql.Conn, key int32, n int) {
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1, $2)", key, n); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	conn.Close()
}

// migrated reports whether the schema holds a migrated database.
func (p *pgPool) migrated(ctx context.Context, conn *sql.Conn, schema string) bool {
	var ok bool
	err := conn.QueryRowContext(ctx, "SELECT to_regclass($1) IS NOT NULL", schema+".goose_db_version").Scan(&ok)
	return err == nil && ok
}

// migrate makes schema anew and migrates it, as store.Open does.
func (p *pgPool) migrate(ctx context.Context, conn *sql.Conn, base, schema string) error {
	if _, err := conn.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		return err
	}
	dsn, err := schemaURL(base, schema)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	return db.Close()
}

// describe reads the template's tables, those holding rows, and its shape.
func (p *pgPool) describe(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'goose_db_version' ORDER BY tablename", p.tmpl)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		p.tables = append(p.tables, name)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, tab := range p.tables {
		var some bool
		if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+p.tmpl+"."+quoteIdent(tab)+")").Scan(&some); err != nil {
			return err
		}
		if some {
			p.seeded = append(p.seeded, tab)
		}
	}
	p.shape, err = shape(ctx, conn, p.tmpl)
	return err
}

// shape counts a schema's relations and their columns: a test that added a
// table, an index or a column leaves a schema the pool makes anew.
func shape(ctx context.Context, conn *sql.Conn, schema string) (int64, error) {
	var n int64
	err := conn.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1)
		+ (SELECT COUNT(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace
		   WHERE s.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped) * 100000`, schema).Scan(&n)
	return n, err
}

// reset brings schema to the template's state, making it first when it is
// missing or not of the template's shape.
func (p *pgPool) reset(ctx context.Context, conn *sql.Conn, base, schema string) error {
	if n, err := shape(ctx, conn, schema); err != nil || n != p.shape || !p.migrated(ctx, conn, schema) {
		if err := p.migrate(ctx, conn, base, schema); err != nil {
			return err
		}
	}
	// Emptied row by row, the tables being small, with the foreign keys'
	// triggers off (a superuser's right); else truncated together.
	if _, err := conn.ExecContext(ctx, p.refill(schema, true)); err == nil {
		return nil
	}
	conn.ExecContext(ctx, "ROLLBACK")
	_, err := conn.ExecContext(ctx, p.refill(schema, false))
	return err
}

// refill is the script that empties schema's tables and copies the
// template's rows and sequences into it.
func (p *pgPool) refill(schema string, rowByRow bool) string {
	var b strings.Builder
	b.WriteString("BEGIN;")
	if rowByRow {
		b.WriteString(" SET LOCAL session_replication_role = replica;")
		for _, tab := range p.tables {
			fmt.Fprintf(&b, " DELETE FROM %s.%s;", schema, quoteIdent(tab))
		}
	} else {
		names := make([]string, len(p.tables))
		for i, tab := range p.tables {
			names[i] = schema + "." + quoteIdent(tab)
		}
		b.WriteString(" TRUNCATE " + strings.Join(names, ", ") + ";")
	}
	for _, tab := range p.seeded {
		fmt.Fprintf(&b, " INSERT INTO %s.%[2]s SELECT * FROM %[3]s.%[2]s;", schema, quoteIdent(tab), p.tmpl)
	}
	fmt.Fprintf(&b, ` SELECT setval(format('%%I.%%I', '%s', sequencename)::regclass, COALESCE(last_value, start_value), last_value IS NOT NULL)
		FROM pg_sequences WHERE schemaname = '%s'; COMMIT`, schema, p.tmpl)
	return b.String()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// migrationsHash hashes the PostgreSQL migrations of this checkout.
func migrationsHash() ([]byte, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, fmt.Errorf("cannot find the source tree")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "store", "migrations", "postgres")
	names, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("no migrations in %s (%v)", dir, err)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(n), len(b))
		h.Write(b)
	}
	return h.Sum(nil), nil
}
