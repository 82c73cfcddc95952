package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Online backup of a SQLite database. PostgreSQL has its own tools
// (pg_dump, pg_restore; see the README), which Pishran does not wrap.

// ErrNotSQLite is returned by the SQLite-only operations on PostgreSQL.
var ErrNotSQLite = domain.Invalid("db", "پشتیبان‌گیری و بازیابی با این فرمان فقط برای SQLite است؛ برای PostgreSQL از pg_dump و pg_restore استفاده کنید",
	"backup and restore by this command are for SQLite only; for PostgreSQL use pg_dump and pg_restore (see the README)")

// Path returns the file of a SQLite database.
func (db *DB) Path(ctx context.Context) (string, error) {
	if db.engine != SQLite {
		return "", ErrNotSQLite
	}
	rows, err := db.read.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name, file string
		if err := rows.Scan(&seq, &name, &file); err != nil {
			return "", err
		}
		if name == "main" {
			return file, nil
		}
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	return "", errors.New("sqlite: no main database")
}

// Backup writes a consistent snapshot of the database to path while
// writers go on: VACUUM INTO reads one snapshot of the database (in WAL
// mode a reader blocks no writer) and writes it compacted to a temporary
// file beside path, which is checked, synced and then renamed over path, so
// path is always either the old backup or a whole new one. SQLite only.
func (db *DB) Backup(ctx context.Context, path string) error {
	src, err := db.Path(ctx)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if same, _ := sameFile(src, abs); same || abs == src {
		return domain.Invalid("file", "نسخه پشتیبان نمی‌تواند خود پایگاه داده باشد", "the backup file cannot be the database itself")
	}
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO wants to create the file itself
	defer os.Remove(tmpPath)
	// The pool's readers are query_only, which refuses VACUUM INTO (it
	// writes, if only to another file): take a connection of our own.
	conn, err := sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, "VACUUM INTO ?", tmpPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	conn.Close()
	if err := CheckFile(ctx, tmpPath); err != nil {
		return fmt.Errorf("backup: the snapshot does not pass its check: %w", err)
	}
	if err := syncFile(tmpPath); err != nil {
		return err
	}
	if err := os.Rename(tmpPath, abs); err != nil {
		return err
	}
	return syncDir(filepath.Dir(abs))
}

// CheckFile opens a SQLite file read-only and runs PRAGMA integrity_check
// over it, returning an error that lists what is wrong.
func CheckFile(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("… and %d more", len(problems)-10))
		}
		return fmt.Errorf("%s: integrity check failed: %s", path, strings.Join(problems, "; "))
	}
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'projects', 'goose_db_version')").Scan(&tables); err != nil {
		return err
	}
	if tables != 3 {
		return fmt.Errorf("%s is a SQLite database, but not a Pishran one", path)
	}
	return nil
}

// FileHoldsData reports whether the SQLite file at path holds any Pishran
// record or audit entry. A missing or zero-length file holds none; a file
// that is not a Pishran database is taken to hold data (it must not be
// overwritten by mistake).
func FileHoldsData(ctx context.Context, path string) (bool, error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if st.Size() == 0 {
		return false, nil
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return true, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM agencies)
		+ (SELECT COUNT(*) FROM projects) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM tokens)`).Scan(&n)
	if err != nil {
		return true, nil // not a Pishran database, or not a database at all
	}
	return n > 0, nil
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
