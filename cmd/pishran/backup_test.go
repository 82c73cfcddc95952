package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// writeAgencies runs n writers that create agencies until stop is closed;
// it returns the codes whose creation was acknowledged.
func writeAgencies(t *testing.T, svc *service.Service, n int, stop <-chan struct{}) func() []string {
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
		fails atomic.Int64
	)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code := fmt.Sprintf("w%d-%d", w, i)
				err := svc.CreateAgency(context.Background(), service.System, &domain.Agency{Code: code,
					Name: domain.T("دستگاه "+code, "Agency "+code), Kind: domain.AgencyKinds[i%len(domain.AgencyKinds)]})
				if err != nil {
					fails.Add(1)
					t.Errorf("writer %d: %v", w, err)
					return
				}
				mu.Lock()
				acked = append(acked, code)
				mu.Unlock()
			}
		}()
	}
	return func() []string {
		wg.Wait()
		return acked
	}
}

// TestBackupWhileWriting takes a backup while four writers go on, and
// checks the snapshot: it passes its integrity check, its audit chain
// verifies, and it is one consistent moment — every agency in it was
// acknowledged, and it holds exactly one audit entry per agency beyond
// what was there before.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "live.db")
	if code, out, errOut := pishran(t, "generate", "--scale", "small", "--projects", "40", "--audit", "3000", "--db", dsn); code != 0 {
		t.Fatalf("generate: %d %s%s", code, out, errOut)
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db, slog.New(slog.DiscardHandler))
	stop := make(chan struct{})
	wait := writeAgencies(t, svc, 4, stop)
	time.Sleep(200 * time.Millisecond) // writers under way
	backup := filepath.Join(dir, "snap", "backup.db")
	os.MkdirAll(filepath.Dir(backup), 0o750)
	code, out, errOut := pishran(t, "backup", backup, "--db", dsn)
	time.Sleep(100 * time.Millisecond) // and still writing after
	close(stop)
	acked := wait()
	if code != 0 || !strings.Contains(out, "integrity ok") {
		t.Fatalf("backup: exit %d %s%s", code, out, errOut)
	}
	if err := store.CheckFile(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	snap := rawDB(t, backup)
	rows, err := snap.Query("SELECT code FROM agencies WHERE code LIKE 'w%'")
	if err != nil {
		t.Fatal(err)
	}
	ackedSet := map[string]bool{}
	for _, c := range acked {
		ackedSet[c] = true
	}
	inSnap := 0
	for rows.Next() {
		var c string
		rows.Scan(&c)
		if !ackedSet[c] {
			t.Errorf("the snapshot holds %s, which no writer was told was written", c)
		}
		inSnap++
	}
	rows.Close()
	if inSnap == 0 || inSnap == len(acked) {
		t.Fatalf("the snapshot holds %d of %d written agencies: it was not taken while writes went on", inSnap, len(acked))
	}
	if got := count(t, snap, "SELECT COUNT(*) FROM audit_log"); got != 3000+inSnap {
		t.Fatalf("the snapshot holds %d agencies but %d audit entries (want %d): not one consistent moment", inSnap, got, 3000+inSnap)
	}
	snap.Close()
	t.Logf("%d agencies written, %d in the snapshot", len(acked), inSnap)
	if code, out, errOut := pishran(t, "audit", "verify", "--db", backup); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify of the backup: exit %d %s%s", code, out, errOut)
	}
}

func TestRestore(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	if code, out, errOut := pishran(t, "generate", "--scale", "small", "--projects", "30", "--audit", "500", "--db", src); code != 0 {
		t.Fatalf("generate: %d %s%s", code, out, errOut)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, out, errOut := pishran(t, "backup", backup, "--db", src); code != 0 {
		t.Fatalf("backup: %d %s%s", code, out, errOut)
	}
	_, want, _ := pishran(t, "export", "--db", src)

	// into a new database
	target := filepath.Join(dir, "new", "restored.db")
	code, out, errOut := pishran(t, "restore", backup, "--db", target)
	if code != 0 || !strings.Contains(out, "audit chain intact (500 entries)") {
		t.Fatalf("restore: exit %d %s%s", code, out, errOut)
	}
	if _, got, _ := pishran(t, "export", "--db", target); got != want || len(got) < 1000 {
		t.Fatalf("the restored database exports differently (%d bytes, want %d)", len(got), len(want))
	}

	// over a database that holds data: refused, and untouched, unless --force
	other := filepath.Join(dir, "other.db")
	if code, _, errOut := pishran(t, "import", "../../reference/registry.json", "--db", other); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	_, otherExport, _ := pishran(t, "export", "--db", other)
	code, _, errOut = pishran(t, "restore", backup, "--db", other)
	if code != 2 || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore over data: exit %d %q", code, errOut)
	}
	if _, got, _ := pishran(t, "export", "--db", other); got != otherExport {
		t.Fatal("a refused restore changed the target")
	}
	if code, out, errOut := pishran(t, "restore", backup, "--db", other, "--force"); code != 0 {
		t.Fatalf("restore --force: exit %d %s%s", code, out, errOut)
	}
	if _, got, _ := pishran(t, "export", "--db", other); got != want {
		t.Fatal("restore --force did not put the backup in place")
	}
	if code, out, errOut := pishran(t, "audit", "verify", "--db", other); code != 0 || !strings.Contains(out, "intact: 500 entries") {
		t.Fatalf("audit verify after restore --force: %s%s", out, errOut)
	}

	// a damaged backup is refused before anything is touched
	damaged := filepath.Join(dir, "damaged.db")
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 2; i < len(b)/2+8192 && i < len(b); i++ {
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(damaged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh.db")
	if code, _, errOut := pishran(t, "restore", damaged, "--db", fresh); code != 2 || !strings.Contains(errOut, "integrity") {
		t.Fatalf("damaged backup: exit %d %q", code, errOut)
	}
	if _, err := os.Stat(fresh); err == nil {
		t.Fatal("a refused restore created the target")
	}
	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database"), 0o600)
	if code, _, _ := pishran(t, "restore", notDB, "--db", fresh); code != 2 {
		t.Fatalf("a text file as backup: exit %d", code)
	}
	// the backup cannot be the database, nor a missing database
	if code, _, _ := pishran(t, "backup", src, "--db", src); code != 2 {
		t.Fatalf("backup onto itself: exit %d", code)
	}
	if code, _, _ := pishran(t, "backup", filepath.Join(dir, "x.db"), "--db", filepath.Join(dir, "missing.db")); code != 2 {
		t.Fatalf("backup of a missing database: exit %d", code)
	}
	if code, _, errOut := pishran(t, "backup", backup, "--db", "postgres://x@127.0.0.1/none"); code != 2 || !strings.Contains(errOut, "pg_dump") {
		t.Fatalf("backup of PostgreSQL: exit %d %q", code, errOut)
	}
}

// TestPostgresDumpRestore proves the round trip the README documents for
// PostgreSQL: pg_dump of a schema, the schema moved aside, pg_restore
// recreating it, and the restored schema exporting exactly what the
// original does, its audit chain intact and its identities past the
// restored rows (a new write succeeds).
func TestPostgresDumpRestore(t *testing.T) {
	base := testkit.PostgresURL()
	if base == "" {
		t.Skip("PostgreSQL tests skipped: set PISHRAN_TEST_POSTGRES to run the pg_dump/pg_restore round trip")
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH: the PostgreSQL backup round trip is not tested here", tool)
		}
	}
	dsn := testkit.PostgresDSN(t)
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	if code, out, errOut := pishran(t, "generate", "--scale", "small", "--projects", "30", "--audit", "700", "--db", dsn); code != 0 {
		t.Fatalf("generate: %d %s%s", code, out, errOut)
	}
	_, want, _ := pishran(t, "export", "--db", dsn)
	dump := filepath.Join(t.TempDir(), "pishran.dump")
	if out, err := exec.Command("pg_dump", "--format=custom", "--schema="+schema, "--file="+dump, "--dbname="+base).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	aside := schema + "_orig"
	if _, err := admin.Exec("ALTER SCHEMA " + schema + " RENAME TO " + aside); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec("DROP SCHEMA IF EXISTS " + aside + " CASCADE") })
	if out, err := exec.Command("pg_restore", "--exit-on-error", "--dbname="+base, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	if _, got, errOut := pishran(t, "export", "--db", dsn); got != want || len(got) < 1000 {
		t.Fatalf("the restored schema exports differently (%d bytes, want %d) %s", len(got), len(want), errOut)
	}
	q := u.Query()
	q.Set("search_path", aside)
	u.RawQuery = q.Encode()
	if _, orig, _ := pishran(t, "export", "--db", u.String()); orig != want {
		t.Fatal("the original schema, moved aside, exports differently")
	}
	if code, out, errOut := pishran(t, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "intact: 700 entries") {
		t.Fatalf("audit verify of the restored schema: exit %d %s%s", code, out, errOut)
	}
	if code, _, errOut := pishran(t, "token", "create", "--role", "reader", "--name", "after-restore", "--db", dsn); code != 0 {
		t.Fatalf("a write after the restore: %s", errOut)
	}
	if code, out, _ := pishran(t, "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "intact: 701 entries") {
		t.Fatalf("audit verify after a new write: %s", out)
	}
}
