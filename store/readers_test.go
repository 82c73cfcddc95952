package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// The readers read the file with pread into a page cache of their own;
// they do not map it (openSQLiteReaders says why: a mapping is dropped
// and faulted in again after every commit). Each of the pool's
// connections is asked, not the pragmas' text.
func TestReadersDoNotMap(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conns := make([]*sql.Conn, 0, sqliteReaders)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < sqliteReaders; i++ { // hold each so that the next is another connection
		c, err := db.read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var mmap, cache int64
		if err := c.QueryRowContext(ctx, "PRAGMA mmap_size").Scan(&mmap); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if mmap != 0 || cache != -readerCache {
			t.Errorf("reader %d: mmap_size %d, cache_size %d; want 0 and -%d", i, mmap, cache, readerCache)
		}
	}
}
