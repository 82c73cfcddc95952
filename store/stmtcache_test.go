package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"modernc.org/sqlite"
)

func openCached(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open(sqliteDriver, "file:"+filepath.Join(t.TempDir(), "c.db")+"?_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1) // one connection: every statement meets the same cache
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (x INTEGER PRIMARY KEY, y TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if _, err := db.Exec("INSERT INTO t (x, y) VALUES (?, ?)", i, fmt.Sprint("v", i)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// A statement still stepping (its rows open) is not reused: the same query
// inside the loop over its rows is compiled afresh, and both give the right
// rows.
func TestStmtCacheNestedSameQuery(t *testing.T) {
	db := openCached(t)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = "SELECT x, y FROM t WHERE x >= ? ORDER BY x"
	rows, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var outer []int
	for rows.Next() {
		var x int
		var y string
		if err := rows.Scan(&x, &y); err != nil {
			t.Fatal(err)
		}
		outer = append(outer, x)
		var ix int
		var iy string
		if err := tx.QueryRow(q, x).Scan(&ix, &iy); err != nil || ix != x || iy != fmt.Sprint("v", x) {
			t.Fatalf("inner query at %d: %d %q %v", x, ix, iy, err)
		}
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(outer) != "[1 2 3 4 5]" {
		t.Fatalf("outer rows: %v", outer)
	}
	// and after, the cached statement serves again
	var n int
	if err := tx.QueryRow(q, 4).Scan(&n, new(string)); err != nil || n != 4 {
		t.Fatalf("reuse after the nested use: %d %v", n, err)
	}
}

// More distinct queries than the cache holds: the oldest are finalized, the
// cache stays bounded, and every query still answers right.
func TestStmtCacheBounded(t *testing.T) {
	db := openCached(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := range stmtCacheSize + 50 {
		var got int
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) + %d FROM t", i)).Scan(&got); err != nil || got != 5+i {
			t.Fatalf("query %d: %d %v", i, got, err)
		}
	}
	var size int
	if err := conn.Raw(func(c any) error {
		cc, ok := c.(*cachingConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not a caching one", c)
		}
		size = cc.lru.Len()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if size != stmtCacheSize {
		t.Fatalf("%d statements cached, want the bound %d", size, stmtCacheSize)
	}
	var got int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) + 0 FROM t").Scan(&got); err != nil || got != 5 {
		t.Fatalf("an evicted query: %d %v", got, err)
	}
}

// A cached statement that fails (a constraint) is usable again, and the
// error is the driver's own, as the store's error mapping expects.
func TestStmtCacheErrorThenReuse(t *testing.T) {
	db := openCached(t)
	const ins = "INSERT INTO t (x, y) VALUES (?, ?)"
	_, err := db.Exec(ins, 1, "dup")
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code() != 1555 {
		t.Fatalf("duplicate key: %v", err)
	}
	if _, err := db.Exec(ins, 6, "v6"); err != nil {
		t.Fatalf("the statement after its failure: %v", err)
	}
	var y string
	if err := db.QueryRow("SELECT y FROM t WHERE x = ?", 6).Scan(&y); err != nil || y != "v6" {
		t.Fatalf("read back: %q %v", y, err)
	}
}
