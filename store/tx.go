package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pishran/pishran/domain"
	"modernc.org/sqlite"
)

// A transaction and the few things every query goes through: placeholders
// rebound for PostgreSQL, constraint errors mapped to what a caller can fix,
// stale versions told from missing records, page sizes, row locks.

// Tx is one transaction. Its methods read and write the registry.
type Tx struct {
	ctx     context.Context
	tx      *sql.Tx
	db      *DB
	now     time.Time
	touched bool                            // the registry generation was bumped in this transaction
	wrote   bool                            // the transaction changed a row
	audited bool                            // the transaction appended an audit entry
	sees    func(*domain.ProjectEntry) bool // which projects references may name (GuardReferences)
	areas   map[Area]int64                  // the newest audit entry appended per area (areas.go)
	search  *searchNotes                    // the records the search index must follow (search_index.go)
}

// Touched reports whether the transaction changed projects, programs or
// memberships: views kept per registry generation must not be kept from
// it, since its generation is not committed yet.
func (t *Tx) Touched() bool { return t.touched }

// Audited reports whether every change in the transaction so far is
// covered by an audit entry: it changed nothing, or it appended at least
// one entry.
func (t *Tx) Audited() bool { return !t.wrote || t.audited }

// Now is the transaction's clock reading: every timestamp a transaction
// writes is the same instant.
func (t *Tx) Now() time.Time { return t.now }

func (t *Tx) q(query string) string {
	if t.db.engine != Postgres {
		return query
	}
	if v, ok := t.db.rebound.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n, inQuote := 0, false
	for _, r := range query {
		switch {
		case r == '\'':
			inQuote = !inQuote
			b.WriteRune(r)
		case r == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteRune(r)
		}
	}
	t.db.rebound.Store(query, b.String())
	return b.String()
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	t.wrote = true
	t.db.counts.statements.Add(1)
	return t.tx.ExecContext(t.ctx, t.q(query), args...)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	t.db.counts.statements.Add(1)
	return t.tx.QueryContext(t.ctx, t.q(query), args...)
}

func (t *Tx) row(query string, args ...any) *sql.Row {
	t.db.counts.statements.Add(1)
	return t.tx.QueryRowContext(t.ctx, t.q(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (t *Tx) insert(query string, args ...any) (int64, error) {
	t.wrote = true
	var id int64
	err := t.row(query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Constraint failures the database reports, mapped to what a caller can fix.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := domain.AsError(err); ok {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case 2067, 1555: // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
			return domain.Conflict("", "رکوردی با همین شناسه وجود دارد", "a record with the same identifier exists")
		case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
			return domain.Conflict("", "رکورد به رکوردهای دیگر پیوند دارد یا به رکوردی ناموجود اشاره می‌کند", "the record is referenced by others, or refers to a missing one")
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return domain.Conflict("", "رکوردی با همین شناسه وجود دارد", "a record with the same identifier exists")
		case "23503":
			return domain.Conflict("", "رکورد به رکوردهای دیگر پیوند دارد یا به رکوردی ناموجود اشاره می‌کند", "the record is referenced by others, or refers to a missing one")
		case "40001":
			return domain.Stale("concurrent transaction")
		}
	}
	return err
}

// checkVersion turns an UPDATE that matched no row into the right error: the
// record is missing, or the caller's version is stale.
func (t *Tx) checkVersion(res sql.Result, table, keyCol string, key any, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var one int
	err = t.row("SELECT 1 FROM "+table+" WHERE "+keyCol+" = ?", key).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.NotFound("", what)
	}
	if err != nil {
		return err
	}
	return domain.Stale(what)
}

// pageLimit is the number of rows a page reads: 100 when the page asks for
// none, and never more than MaxPage.
func pageLimit(p domain.Page) int {
	switch {
	case p.Limit <= 0:
		return 100
	case p.Limit > domain.MaxPage:
		return domain.MaxPage
	}
	return p.Limit
}

// lockRow takes a row lock until the transaction ends (PostgreSQL: SELECT …
// FOR UPDATE). SQLite needs none: its write transactions are exclusive.
func (t *Tx) lockRow(table string, id int64) error {
	if t.db.engine != Postgres {
		return nil
	}
	var one int
	return t.row("SELECT 1 FROM "+table+" WHERE id = ? FOR UPDATE", id).Scan(&one)
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
