package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/pishran/pishran/store"
)

// Engine is one database engine a test runs on.
type Engine struct {
	Name string
	// DSN returns a data source name for a new, empty database.
	DSN func(t testing.TB) string
}

// SQLite and Postgres are the two engines, by name.
var (
	SQLite   = Engine{Name: "sqlite", DSN: SQLiteDSN}
	Postgres = Engine{Name: "postgres", DSN: PostgresDSN}
)

// PostgresURL is the server the PostgreSQL tests use, from
// PISHRAN_TEST_POSTGRES; empty means those tests skip.
func PostgresURL() string { return os.Getenv("PISHRAN_TEST_POSTGRES") }

// Engines lists the engines to test on, SQLite first. PostgreSQL is always
// listed; its DSN skips the test with a clear message when no server is
// configured.
func Engines() []Engine { return []Engine{SQLite, Postgres} }

// FuzzEngines lists the engines a fuzz target builds its servers on once:
// SQLite, and PostgreSQL only when a server is configured (a fuzz target
// cannot skip half of itself).
func FuzzEngines() []Engine {
	if PostgresURL() == "" {
		return []Engine{SQLite}
	}
	return Engines()
}

// EachEngine runs fn once per engine, as a subtest named after it.
func EachEngine(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e) })
	}
}

// SQLiteDSN returns the path of a new SQLite file in t's temporary folder.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "pishran.db")
}

// PostgresDSN creates a schema of its own on the configured server and
// returns a URL whose connections use it. The schema is dropped when t ends.
func PostgresDSN(t testing.TB) string {
	base := PostgresURL()
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set PISHRAN_TEST_POSTGRES to a postgres:// URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "pishran_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres: create schema: %v (is PISHRAN_TEST_POSTGRES=%q reachable?)", err, base)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	dsn, err := schemaURL(base, schema)
	if err != nil {
		t.Fatalf("PISHRAN_TEST_POSTGRES: %v", err)
	}
	return dsn
}

// Open opens a fresh database on engine e, migrated, closed when t ends.
// On PostgreSQL it is a schema of a pool kept on the server, reset to a
// freshly migrated database's state (pgpool.go).
func Open(t testing.TB, e Engine) *store.DB {
	t.Helper()
	dsn := ""
	if e.Name == Postgres.Name {
		dsn = pooledPostgres(t)
	} else {
		dsn = e.DSN(t)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
