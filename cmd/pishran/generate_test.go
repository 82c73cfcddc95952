package main

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/store"
)

// rawDB opens dsn with the driver its engine uses, to count rows behind
// the service's back.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver, src := "sqlite", "file:"+dsn+"?mode=ro"
	if store.IsPostgres(dsn) {
		driver, src = "pgx", dsn
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, db *sql.DB, query string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestGenerate(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		code, out, errOut := pishran(t, "generate", "--scale", "small", "--projects", "60", "--meetings", "12",
			"--actions", "150", "--audit", "2500", "--db", dsn)
		if code != 0 {
			t.Fatalf("generate: exit %d\n%s%s", code, out, errOut)
		}
		if !strings.Contains(out, "60 projects") || !strings.Contains(out, "2,500 audit entries") {
			t.Errorf("summary: %q", out)
		}
		for _, phase := range []string{"audit history", "registry", "follow-up", "meetings", "100%", "/s"} {
			if !strings.Contains(errOut, phase) {
				t.Errorf("progress on stderr lacks %q:\n%s", phase, errOut)
			}
		}
		db := rawDB(t, dsn)
		for q, want := range map[string]int{
			"SELECT COUNT(*) FROM agencies":                          20,
			"SELECT COUNT(*) FROM projects":                          60,
			"SELECT COUNT(*) FROM reports":                           60 * 20,
			"SELECT COUNT(*) FROM reports WHERE state <> 'accepted'": 0,
			"SELECT COUNT(*) FROM meetings":                          12,
			"SELECT COUNT(*) FROM actions":                           150,
			"SELECT COUNT(*) FROM outcomes WHERE kind = 'action'":    150,
			"SELECT COUNT(*) FROM action_projects":                   150,
			"SELECT COUNT(*) FROM audit_log":                         2500,
			"SELECT COUNT(*) FROM progress_state":                    60,
			"SELECT MAX(id) FROM audit_log":                          2500,
		} {
			if got := count(t, db, q); got != want {
				t.Errorf("%s = %d, want %d", q, got, want)
			}
		}
		// every action's created event is at its own meeting
		if n := count(t, db, `SELECT COUNT(*) FROM actions a JOIN action_events e ON e.action_id = a.id AND e.type = 'created'
				WHERE e.meeting_id = a.meeting_id`); n != 150 {
			t.Errorf("%d actions created at their own meeting, want 150", n)
		}
		code, out, errOut = pishran(t, "audit", "verify", "--db", dsn)
		if code != 0 || !strings.Contains(out, "intact: 2500 entries") {
			t.Fatalf("audit verify: exit %d %s%s", code, out, errOut)
		}
		// the registry reads back through the service
		if code, out, errOut = pishran(t, "reports", "--project", "p-00007", "--db", dsn); code != 0 || !strings.Contains(out, "p-00007") {
			t.Errorf("reports: exit %d %q %s", code, out, errOut)
		}
		// a second run refuses the non-empty database and writes nothing
		code, _, errOut = pishran(t, "generate", "--scale", "small", "--db", dsn)
		if code != 2 || !strings.Contains(errOut, "not empty") {
			t.Fatalf("second generate: exit %d %q", code, errOut)
		}
		if got := count(t, db, "SELECT COUNT(*) FROM audit_log"); got != 2500 {
			t.Fatalf("the refused run changed the audit log: %d entries", got)
		}
	})
}

// The same scale gives the same database: the same records with the same
// stamps, so the same audit chain to the last hash.
func TestGenerateDeterministic(t *testing.T) {
	heads := make([]string, 2)
	for i := range heads {
		dsn := testkit.SQLiteDSN(t)
		if code, out, errOut := pishran(t, "generate", "--scale", "small", "--projects", "30", "--audit", "800", "--db", dsn); code != 0 {
			t.Fatalf("generate: exit %d\n%s%s", code, out, errOut)
		}
		if err := rawDB(t, dsn).QueryRow("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&heads[i]); err != nil {
			t.Fatal(err)
		}
	}
	if heads[0] != heads[1] || len(heads[0]) != 64 {
		t.Fatalf("two generations end their audit chains at %q and %q", heads[0], heads[1])
	}
}

func TestGenerateBadInput(t *testing.T) {
	dsn := testkit.SQLiteDSN(t)
	for _, args := range [][]string{
		{"--scale", "galactic"},
		{"--projects", "-5"},
		{"--agencies", "1"},
		{"extra"},
	} {
		code, _, errOut := pishran(t, append(append([]string{"generate"}, args...), "--db", dsn)...)
		if code != 2 || errOut == "" {
			t.Errorf("generate %v: exit %d %q", args, code, errOut)
		}
	}
	if code, _, errOut := pishran(t, "generate", "--help"); code != 0 || !strings.Contains(errOut, "Usage: pishran generate") {
		t.Errorf("--help: %d %q", code, errOut)
	}
}
