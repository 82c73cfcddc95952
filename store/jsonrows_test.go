package store

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
)

// jsonRows on SQLite orders the rows in a subquery and aggregates them as
// it yields them (an ORDER BY inside the aggregate made SQLite build and
// sort an ephemeral table for every list of every row: ~10% of a project
// page's statement). SQLite keeps a subquery's ORDER BY when the outer
// query aggregates (it does not flatten such a subquery); this test holds
// it to that, on rows stored in an order unlike the one asked for — by an
// index, against it, on two columns, correlated with an outer query of
// many rows — so an engine upgrade that changed it would fail here.
func TestJSONRowsOrder(t *testing.T) {
	db, err := sql.Open(sqliteDriver, "file:"+filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		"CREATE TABLE owner (id INTEGER PRIMARY KEY)",
		"CREATE TABLE item (id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, seq INTEGER NOT NULL, day TEXT NOT NULL)",
		"CREATE INDEX item_owner ON item(owner_id, seq)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for o := 1; o <= 30; o++ {
		if _, err := db.Exec("INSERT INTO owner (id) VALUES (?)", o); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range r.Perm(600) { // ids in random order: storage order is not the asked order
		if _, err := db.Exec("INSERT INTO item (id, owner_id, seq, day) VALUES (?, ?, ?, ?)",
			i+1, r.IntN(30)+1, r.IntN(50), fmt.Sprintf("2026-%02d-%02d", r.IntN(12)+1, r.IntN(28)+1)); err != nil {
			t.Fatal(err)
		}
	}
	for _, order := range []string{"i.seq, i.id", "i.seq DESC, i.id DESC", "i.day, i.id", "i.day DESC, i.seq, i.id"} {
		q := "SELECT o.id, " + jsonRows(SQLite, "CAST(i.id AS TEXT)", "item i WHERE i.owner_id = o.id", order) + " FROM owner o ORDER BY o.id"
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int][]string{}
		for rows.Next() {
			var o int
			var col string
			if err := rows.Scan(&o, &col); err != nil {
				t.Fatal(err)
			}
			rs, err := parseRows(col)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range rs {
				got[o] = append(got[o], x[0])
			}
		}
		rows.Close()
		for o := 1; o <= 30; o++ {
			var want []string
			ws, err := db.Query("SELECT CAST(i.id AS TEXT) FROM item i WHERE i.owner_id = ? ORDER BY "+order, o)
			if err != nil {
				t.Fatal(err)
			}
			for ws.Next() {
				var s string
				ws.Scan(&s)
				want = append(want, s)
			}
			ws.Close()
			if !slices.Equal(got[o], want) {
				t.Fatalf("ORDER BY %s, owner %d:\n got %v\nwant %v", order, o, got[o], want)
			}
		}
	}
}
