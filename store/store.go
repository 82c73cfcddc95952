// Package store keeps Pishran's registry in a SQL database: embedded SQLite
// by default, PostgreSQL for deployments that run several instances. Both
// engines sit behind the one DB type and run the same queries; the few
// differences (placeholders, identity columns, error codes, connection
// pooling) are handled here and nowhere else.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/pishran/pishran/domain"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is an open registry database. It is safe for concurrent use.
type DB struct {
	engine Engine
	write  *sql.DB // SQLite: one connection, so writers queue instead of failing "database is locked"
	read   *sql.DB // SQLite: several read-only connections; PostgreSQL: the same pool as write
	now    func() time.Time
	// readOnly is set on a replica (OpenReplica): every write is refused.
	readOnly bool
	// writer is SQLite's write queue (groupcommit.go); nil for PostgreSQL
	// and replicas.
	writer *writer

	rebound sync.Map // query text with ? → with $n, for PostgreSQL
	counts  counters // read transactions and statements (stats.go)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens (creating if needed) the database dsn — a SQLite file path or a
// postgres:// URL — and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{now: func() time.Time { return time.Now().UTC() }}
	var err error
	if IsPostgres(dsn) {
		db.engine = Postgres
		if db.write, err = openPostgres(dsn); err != nil {
			return nil, err
		}
		db.read = db.write
	} else {
		db.engine = SQLite
		if dir := filepath.Dir(dsn); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
		}
		path := (&url.URL{Path: dsn}).EscapedPath()
		common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"
		// The writer keeps its temporary files in memory (temp_store): the
		// group commit runs each transaction under a savepoint, and a
		// savepoint's journal — the pages as they were, for rolling one
		// transaction back alone — was a temporary file written at every
		// write and thrown away at the commit. It is nothing a crash
		// needs: the WAL, synced at the commit, is what makes a write
		// durable.
		db.write, err = sql.Open(sqliteDriver, "file:"+path+"?"+common+"&_pragma=cache_size(-1024)&_txlock=immediate&_pragma=temp_store(MEMORY)")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		db.write.SetMaxOpenConns(1)
		db.write.SetMaxIdleConns(1)
		db.write.SetConnMaxIdleTime(0)
		db.write.SetConnMaxLifetime(0)
		// The writer creates the file and switches it to WAL before any reader opens it.
		if err := db.write.PingContext(ctx); err != nil {
			db.write.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", dsn, err)
		}
		if db.read, err = openSQLiteReaders(path, common); err != nil {
			db.write.Close()
			return nil, err
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.ensureSearch(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.engine == SQLite {
		db.startWriter()
	}
	return db, nil
}

// openPostgres opens a PostgreSQL pool: stateless instances share the
// server, each with a pool of its own.
func openPostgres(dsn string) (*sql.DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	p.SetMaxOpenConns(20)
	p.SetMaxIdleConns(20)
	p.SetConnMaxIdleTime(5 * time.Minute)
	return p, nil
}

// readerCache is each reader's page cache, in KiB (SQLite's default is
// 2 MiB per connection).
const readerCache = 4096

// openSQLiteReaders opens the read-only connections to the SQLite file at
// path (URL-escaped), with the pragmas given. Each reader reads the file's
// pages with pread into a page cache of its own (readerCache); the pages
// themselves are in the operating system's file cache.
//
// The readers do not map the file (mmap_size 0). They mapped all of it
// from issue 12's first measurements, which were of a database no one
// wrote to: there a mapped page costs no system call, and a random
// project page takes 12–23% less CPU than with pread. But a reader that
// sees the database changed since its last read — any commit — drops its
// whole mapping (SQLite's pager unmaps the file when a read transaction
// starts after a change) and faults every page in again as it touches
// them; and this build of SQLite (modernc, no mremap) unmaps and maps
// anew whenever the file grows. Under writes, that was a quarter of the
// CPU: profiling 8 designation writers at 10,000 projects, 20% of it in
// btreeInitPage's first touch of each mapped page and 5% in munmap.
// Measured without the map (bench/load -routes '^$', one build after the
// other; 2026-12-07; docs/operations.md, Memory, has every run):
// designations 740–845 → 826–1,094/s (CPU per write 1.8–1.9 → 1.3–1.6
// ms), report submissions 800–889 → 737–1,154/s; resident memory ~150 MB
// less (the mapped pages were counted in RSS). A registry is read while
// people write to it.
func openSQLiteReaders(path, pragmas string) (*sql.DB, error) {
	p, err := sql.Open(sqliteDriver, "file:"+path+"?"+pragmas+"&_pragma=query_only(1)&_pragma=cache_size(-"+strconv.Itoa(readerCache)+")&_pragma=mmap_size(0)")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	p.SetMaxOpenConns(sqliteReaders)
	p.SetMaxIdleConns(sqliteReaders)
	p.SetConnMaxIdleTime(0)
	p.SetConnMaxLifetime(0)
	return p, nil
}

// OpenReplica opens dsn for reading only: a PostgreSQL hot standby that
// follows the primary (several public-portal instances can read from it),
// or a SQLite file read beside the instance that writes it. It migrates
// nothing — a replica takes its schema from its primary — and refuses a
// schema that is not the one this binary knows, older or newer. Every
// write answers domain.ReadOnly.
func OpenReplica(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{now: func() time.Time { return time.Now().UTC() }, readOnly: true}
	var err error
	if IsPostgres(dsn) {
		db.engine = Postgres
		if db.read, err = openPostgres(dsn); err != nil {
			return nil, err
		}
	} else {
		db.engine = SQLite
		if _, err := os.Stat(dsn); err != nil {
			return nil, fmt.Errorf("open sqlite replica: %w", err)
		}
		if db.read, err = openSQLiteReaders((&url.URL{Path: dsn}).EscapedPath(), "_pragma=busy_timeout(10000)"); err != nil {
			return nil, err
		}
	}
	db.write = db.read // metrics and Close see one pool; Update refuses before using it
	if err := db.checkSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ReadOnly reports whether db refuses writes (a replica).
func (db *DB) ReadOnly() bool { return db.readOnly }

// checkSchema refuses a database whose schema is not at this binary's
// latest migration.
func (db *DB) checkSchema(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	srcs := p.ListSources()
	want := srcs[len(srcs)-1].Version
	var have sql.NullInt64
	if err := db.read.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version").Scan(&have); err != nil {
		return fmt.Errorf("replica: no Pishran schema here (%w); start the primary on this database first", err)
	}
	if have.Int64 != want {
		return fmt.Errorf("replica: the database's schema is at migration %d, this binary's at %d; run the same version as the primary", have.Int64, want)
	}
	return nil
}

func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.engine))
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	if db.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.write, sub)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

func (db *DB) migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Engine returns the database engine in use.
func (db *DB) Engine() Engine { return db.engine }

// Close closes the database.
func (db *DB) Close() error {
	db.stopWriter()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// sqliteReaders is how many read connections a SQLite database keeps. Each
// holds its page cache and its prepared statements (a few megabytes in
// all); reads are short, so more connections than cores add memory, not
// throughput.
var sqliteReaders = max(2, runtime.GOMAXPROCS(0))

// Version says how far the database has come: the audit log's head. Every
// write of the service appends to the audit log in its own transaction, and
// the log's ids are handed out one at a time under a lock held until commit
// (a single writer on SQLite, an advisory lock on PostgreSQL), so a reader
// that sees head n has seen every write up to n. A view derived from the
// data and read after Version returned n is at least as new as n: it may be
// kept under n and served until the head moves.
func (db *DB) Version(ctx context.Context) (int64, error) {
	var v int64
	db.counts.statements.Add(1)
	err := db.read.QueryRowContext(ctx, headSQL).Scan(&v)
	return v, err
}

// headSQL reads the data version: the audit log's last id.
const headSQL = "SELECT COALESCE(MAX(id), 0) FROM audit_log"

// Head is the data version (see DB.Version) as this transaction sees it.
func (t *Tx) Head() (int64, error) {
	var v int64
	err := t.row(headSQL).Scan(&v)
	return v, err
}

// SetClock replaces the clock; for tests.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// Now is the database's clock reading (a test may have set it).
func (db *DB) Now() time.Time { return db.now() }

// Update runs fn in a read-write transaction, committing when fn returns nil
// and rolling back otherwise. Either all of fn's writes land or none do.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	if db.readOnly {
		return domain.ReadOnly()
	}
	if db.writer != nil {
		return db.queueUpdate(ctx, fn)
	}
	return db.run(ctx, db.write, false, fn)
}

// View runs fn in a read-only transaction: a consistent snapshot.
func (db *DB) View(ctx context.Context, fn func(*Tx) error) error {
	db.counts.views.Add(1)
	return db.run(ctx, db.read, true, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
	opts := &sql.TxOptions{ReadOnly: readOnly}
	if db.engine == Postgres && readOnly {
		opts.Isolation = sql.LevelRepeatableRead
	}
	if db.engine == SQLite {
		opts = nil // modernc's driver takes the lock mode from the DSN; query_only guards readers
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	t := &Tx{ctx: ctx, tx: tx, db: db, now: db.now()}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(t); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	if err := t.flushAreas(); err != nil {
		tx.Rollback()
		return mapErr(err)
	}
	if err := tx.Commit(); err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// Pools returns the write and read connection pools (the same pool for
// PostgreSQL), for metrics.
func (db *DB) Pools() (write, read *sql.DB) { return db.write, db.read }

// touch marks the registry changed; see Generation.
func (t *Tx) touch() error {
	if t.touched {
		return nil
	}
	_, err := t.exec("UPDATE registry_state SET generation = generation + 1 WHERE id = 1")
	t.touched = err == nil
	return err
}

// Generation is a number that grows whenever projects, programs or
// memberships change. Views derived from them can be cached under it.
func (t *Tx) Generation() (int64, error) {
	var g int64
	err := t.row("SELECT generation FROM registry_state WHERE id = 1").Scan(&g)
	return g, err
}
