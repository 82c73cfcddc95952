package store

import (
	linked "container/list" // "list" is the store's row reader (scan.go)
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
)

// The SQLite driver compiles every query it is given, every time: it keeps
// no prepared statements between calls, and database/sql only keeps them
// for statements a program prepares itself. Profiles of the load benchmark
// show parsing and planning SQL as a third of the server's CPU on a project
// read or a designation — more than running it. This driver wraps the
// SQLite driver with a cache of prepared statements on each connection,
// keyed by the query text, so that the registry's queries are compiled
// once per connection and afterwards only bound and stepped.
//
// A cached statement is used by one query at a time: when it is still busy
// (its rows are open, say, while the same query runs inside the loop over
// them) the query is compiled afresh as before. The cache is a small LRU per
// connection, so queries whose text varies (inlined lists of ids) pass
// through it without pushing out the ones that repeat.

// sqliteDriver is the name the wrapped driver is registered under.
const sqliteDriver = "pishran-sqlite"

// stmtCacheSize is how many prepared statements each connection keeps:
// more than the queries any one path repeats, few enough that nine
// connections hold a few megabytes of them.
const stmtCacheSize = 64

func init() {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err)
	}
	base := db.Driver()
	db.Close()
	sql.Register(sqliteDriver, cachingDriver{base})
}

type cachingDriver struct{ base driver.Driver }

func (d cachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	q, ok1 := c.(driver.QueryerContext)
	e, ok2 := c.(driver.ExecerContext)
	p, ok3 := c.(driver.ConnPrepareContext)
	if !ok1 || !ok2 || !ok3 {
		return c, nil // not the driver this was written for: no cache
	}
	return &cachingConn{Conn: c, q: q, e: e, p: p, lru: linked.New(), byQuery: map[string]*linked.Element{}}, nil
}

// cachingConn is one SQLite connection with its statement cache. Like any
// driver connection it is used by one goroutine at a time.
type cachingConn struct {
	driver.Conn
	q driver.QueryerContext
	e driver.ExecerContext
	p driver.ConnPrepareContext

	lru     *linked.List // of *cachedStmt, most recently used first
	byQuery map[string]*linked.Element
}

type cachedStmt struct {
	query string
	stmt  driver.Stmt
	busy  bool // its rows are open
}

var errBusyStmt = errors.New("statement busy")

// get returns the prepared statement for query, preparing it if needed;
// errBusyStmt if it is in use.
func (c *cachingConn) get(ctx context.Context, query string) (*cachedStmt, error) {
	if el, ok := c.byQuery[query]; ok {
		cs := el.Value.(*cachedStmt)
		if cs.busy {
			return nil, errBusyStmt
		}
		c.lru.MoveToFront(el)
		return cs, nil
	}
	st, err := c.p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{query: query, stmt: st}
	c.byQuery[query] = c.lru.PushFront(cs)
	for c.lru.Len() > stmtCacheSize {
		el := c.lru.Back()
		old := el.Value.(*cachedStmt)
		if old.busy {
			break // in use: it goes when it is next at the back and idle
		}
		c.lru.Remove(el)
		delete(c.byQuery, old.query)
		old.stmt.Close()
	}
	return cs, nil
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return c.q.QueryContext(ctx, query, args)
	}
	sq, ok := cs.stmt.(driver.StmtQueryContext)
	if !ok {
		return c.q.QueryContext(ctx, query, args)
	}
	rows, err := sq.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.get(ctx, query)
	if err != nil {
		return c.e.ExecContext(ctx, query, args)
	}
	se, ok := cs.stmt.(driver.StmtExecContext)
	if !ok {
		return c.e.ExecContext(ctx, query, args)
	}
	return se.ExecContext(ctx, args)
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.p.PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the fallback database/sql itself uses
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	for el := c.lru.Front(); el != nil; el = el.Next() {
		el.Value.(*cachedStmt).stmt.Close()
	}
	c.lru.Init()
	c.byQuery = map[string]*linked.Element{}
	return c.Conn.Close()
}

// cachedRows gives its statement back to the cache when closed.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}
