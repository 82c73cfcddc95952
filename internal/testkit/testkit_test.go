package testkit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/store"
)

// recorder is a testing.TB that remembers how a helper failed instead of
// failing the test that checks the helper.
type recorder struct {
	testing.TB
	fatal, errored bool
	msg            string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(f string, a ...any) {
	r.fatal, r.msg = true, fmt.Sprintf(f, a...)
	panic(r)
}
func (r *recorder) Fatal(a ...any) {
	r.fatal, r.msg = true, fmt.Sprint(a...)
	panic(r)
}
func (r *recorder) Errorf(f string, a ...any) { r.errored, r.msg = true, fmt.Sprintf(f, a...) }

// run calls fn with a recorder; a Fatal stops fn as it stops a test.
func run(t *testing.T, fn func(tb testing.TB)) (r *recorder) {
	r = &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	fn(r)
	return r
}

func TestErrorAssertions(t *testing.T) {
	invalid := domain.Invalid("title", "عنوان لازم است", "a title is needed")
	oneLanguage := &domain.Error{Kind: domain.KindInvalid, Field: "title", Message: domain.T("", "a title is needed")}
	for _, c := range []struct {
		name         string
		fn           func(tb testing.TB)
		fatal, error bool
		msg          string
	}{
		{"Must nil", func(tb testing.TB) { testkit.Must(tb, nil) }, false, false, ""},
		{"Must error", func(tb testing.TB) { testkit.Must(tb, errors.New("boom")) }, true, false, "boom"},
		{"WantKind match", func(tb testing.TB) { testkit.WantKind(tb, "x", invalid, domain.KindInvalid, "title") }, false, false, ""},
		{"WantKind other field", func(tb testing.TB) { testkit.WantKind(tb, "x", invalid, domain.KindInvalid, "scope") }, true, false, `x: got`},
		{"WantKind other kind", func(tb testing.TB) { testkit.WantKind(tb, "x", invalid, domain.KindConflict, "title") }, true, false, "want conflict"},
		{"WantKind plain error", func(tb testing.TB) { testkit.WantKind(tb, "x", errors.New("e"), domain.KindInvalid, "") }, true, false, ""},
		{"CheckKind goes on", func(tb testing.TB) { testkit.CheckKind(tb, "y", nil, domain.KindInvalid, "title") }, false, true, `y: got <nil>`},
		{"WantBilingual", func(tb testing.TB) { testkit.WantBilingual(tb, invalid) }, false, false, ""},
		{"WantBilingual one language", func(tb testing.TB) { testkit.WantBilingual(tb, oneLanguage) }, true, false, "both languages"},
		{"WantError", func(tb testing.TB) { testkit.WantError(tb, invalid, domain.KindInvalid, "title") }, false, false, ""},
		{"WantError one language", func(tb testing.TB) { testkit.WantError(tb, oneLanguage, domain.KindInvalid, "title") }, true, false, "both languages"},
	} {
		r := run(t, c.fn)
		if r.fatal != c.fatal || r.errored != c.error || !strings.Contains(r.msg, c.msg) {
			t.Errorf("%s: fatal %v, error %v, %q; want %v, %v, containing %q", c.name, r.fatal, r.errored, r.msg, c.fatal, c.error, c.msg)
		}
	}
}

func TestClock(t *testing.T) {
	c := testkit.DayClock("2024-06-10")
	if want := time.Date(2024, 6, 10, 10, 0, 0, 0, time.UTC); !c.Now().Equal(want) {
		t.Fatalf("DayClock: %s, want %s", c.Now(), want)
	}
	c.Advance(90 * time.Minute)
	if c.Now().Hour() != 11 || c.Now().Minute() != 30 {
		t.Fatalf("Advance: %s", c.Now())
	}
	c.SetDay("2025-01-01")
	if c.Now().Format(time.DateTime) != "2025-01-01 10:00:00" {
		t.Fatalf("SetDay: %s", c.Now())
	}
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		db := testkit.Open(t, e)
		c := testkit.NewClock(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)).On(db)
		txNow := func() (now time.Time) {
			t.Helper()
			if err := db.Update(context.Background(), func(tx *store.Tx) error { now = tx.Now(); return nil }); err != nil {
				t.Fatal(err)
			}
			return now
		}
		if got := txNow(); !got.Equal(c.Now()) {
			t.Fatalf("a transaction's time %s, the clock's %s", got, c.Now())
		}
		c.Advance(time.Hour)
		if got := txNow(); !got.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) {
			t.Fatalf("after Advance, a transaction's time is %s", got)
		}
	})
}

func TestLog(t *testing.T) {
	var l testkit.Log
	l.Logger().Info("first", "n", 1)
	if s := l.String(); !strings.Contains(s, "msg=first n=1") {
		t.Fatalf("log %q", s)
	}
	if s := l.Take(); !strings.Contains(s, "first") || l.String() != "" {
		t.Fatalf("Take: %q, then %q", s, l.String())
	}
}

func TestEngines(t *testing.T) {
	var names []string
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		names = append(names, e.Name)
		if !strings.HasSuffix(t.Name(), "/"+e.Name) {
			t.Errorf("subtest %s for engine %s", t.Name(), e.Name)
		}
	})
	if strings.Join(names, ",") != "sqlite,postgres" {
		t.Errorf("engines run: %v", names)
	}
	fe := testkit.FuzzEngines()
	if fe[0].Name != "sqlite" || (len(fe) == 2) != (testkit.PostgresURL() != "") {
		t.Errorf("fuzz engines %v with PISHRAN_TEST_POSTGRES=%q", fe, testkit.PostgresURL())
	}
}

func TestSQL(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		db := testkit.Open(t, e)
		q := testkit.SQL(db, "UPDATE agencies SET name_en = ? WHERE code = ? AND kind = ?")
		want := map[string]string{"sqlite": "UPDATE agencies SET name_en = ? WHERE code = ? AND kind = ?",
			"postgres": "UPDATE agencies SET name_en = $1 WHERE code = $2 AND kind = $3"}[e.Name]
		if q != want {
			t.Fatalf("SQL: %q, want %q", q, want)
		}
		testkit.Exec(t, db, "CREATE TABLE tk_probe (n INTEGER, s TEXT)")
		testkit.Exec(t, db, "INSERT INTO tk_probe (n, s) VALUES (?, ?)", 7, "seven")
		write, _ := db.Pools()
		var s string
		if err := write.QueryRowContext(context.Background(), testkit.SQL(db, "SELECT s FROM tk_probe WHERE n = ?"), 7).Scan(&s); err != nil || s != "seven" {
			t.Fatalf("after Exec: %q, %v", s, err)
		}
		r := run(t, func(tb testing.TB) { testkit.Exec(tb, db, "INSERT INTO no_such_table VALUES (?)", 1) })
		if !r.fatal || !strings.Contains(r.msg, "no_such_table") {
			t.Errorf("a failing statement: fatal %v, %q", r.fatal, r.msg)
		}
	})
}

// OpenNational opens a copy: the file it is given keeps its bytes, and the
// copy holds what the original held.
func TestOpenNationalCopies(t *testing.T) {
	ctx, src := context.Background(), filepath.Join(t.TempDir(), "src.db")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := db.Pools()
	if _, err := w.ExecContext(ctx, "CREATE TABLE marker (x INTEGER); INSERT INTO marker VALUES (42)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cp, err := testkit.OpenNational(ctx, src, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if got, err := cp.Path(ctx); err != nil || got != filepath.Join(dir, "national.db") {
		t.Errorf("copy at %q (%v), want it in %s", got, err, dir)
	}
	var x int
	if _, r := cp.Pools(); r.QueryRowContext(ctx, "SELECT x FROM marker").Scan(&x) != nil || x != 42 {
		t.Errorf("the copy's marker is %d, want 42", x)
	}
	if after, _ := os.ReadFile(src); !bytes.Equal(before, after) {
		t.Error("opening the copy wrote to the original")
	}
}

// Open on PostgreSQL hands each test a freshly migrated database, though
// it is a pool's schema another test used: the rows that test wrote are
// gone, the rows the migrations seed are back, and identities start again.
func TestOpenPostgresIsFresh(t *testing.T) {
	for i := range 3 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			w, _ := testkit.Open(t, testkit.Postgres).Pools()
			var agencies, generation, id int64
			if err := w.QueryRow("SELECT (SELECT COUNT(*) FROM agencies), (SELECT generation FROM registry_state)").Scan(&agencies, &generation); err != nil {
				t.Fatal(err)
			}
			if agencies != 0 || generation != 1 {
				t.Errorf("a fresh database holds %d agencies and generation %d, want 0 and 1", agencies, generation)
			}
			if err := w.QueryRow("INSERT INTO agencies (code, kind, created_at, updated_at) VALUES ('a', 'x', '', '') RETURNING id").Scan(&id); err != nil {
				t.Fatal(err)
			}
			if id != 1 {
				t.Errorf("the first agency's id is %d, want 1", id)
			}
			if _, err := w.Exec("UPDATE registry_state SET generation = 99"); err != nil {
				t.Fatal(err)
			}
		})
	}
}
