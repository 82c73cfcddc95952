package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

var (
	copySec = service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
)

// copySource is a SQLite database holding a bit of everything: the small
// synthetic registry, its follow-up (baselines, milestones, indicators,
// reports, ratings), 40 meetings with 500 actions, a person's account, a
// token, two signing keys (one retired), a signed document, and a report
// with an evidence file.
type copyFixture struct {
	code   string // the signed document's verification code
	agency service.Actor
	report int64 // the report holding the evidence file
}

func copySource(t *testing.T) (*store.DB, copyFixture) {
	t.Helper()
	ctx := context.Background()
	db := testkit.Open(t, testkit.SQLite)
	svc := scenario.Over(t, db).Svc
	doc := synth.Registry(synth.Small)
	if err := svc.Import(ctx, service.System, doc); err != nil {
		t.Fatal(err)
	}
	if err := svc.LoadFollowUp(ctx, service.System, synth.Progress(synth.Small)); err != nil {
		t.Fatal(err)
	}
	m := synth.MeetingsOf(doc, synth.Small.Seed, 40, 500)
	if err := svc.LoadMeetings(ctx, service.System, m.Series, m.Meetings, m.Actions); err != nil {
		t.Fatal(err)
	}
	p := doc.Projects[0]
	lead := p.Lead()
	if lead == "" {
		t.Fatalf("project %s has no lead", p.Slug)
	}
	if _, err := svc.CreateUser(ctx, service.System, &domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"),
		Role: "agency", Agency: lead, Active: true}, "a good long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateToken(ctx, service.RoleSecretariat, "sec", ""); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := svc.RotateSigningKey(ctx, service.System); err != nil {
			t.Fatal(err)
		}
	}
	signed, err := svc.Publish(ctx, copySec, "report", "copy-test", domain.T("آزمون", "test"), map[string]any{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	agency := service.Actor{Name: "token:" + lead, Role: service.RoleAgency, Agency: lead}
	r := &domain.Report{Project: p.Slug, Period: domain.PeriodOf(synth.ProgressAsOf)}
	if err := svc.CreateReport(ctx, agency, r); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n\x00\xff binary tail")
	if _, err := svc.AddEvidence(ctx, agency, r.ID, 0, service.EvidenceUpload{Name: "pilot.pdf", Declared: "application/pdf", Content: pdf}); err != nil {
		t.Fatal(err)
	}
	return db, copyFixture{code: signed.Code, agency: agency, report: r.ID}
}

// snapshot is what the tests compare between a database and its copy.
type snapshot struct {
	counts   map[string]int64
	digests  map[string]string
	document []byte
	board    []byte
	owed     []byte
	health   []byte
	evidence []byte
	verified bool
}

func take(t *testing.T, db *store.DB, f copyFixture) snapshot {
	t.Helper()
	ctx := context.Background()
	svc := scenario.Over(t, db).Svc
	var s snapshot
	var err error
	if s.counts, err = db.TableCounts(ctx); err != nil {
		t.Fatal(err)
	}
	if s.digests, err = db.TableDigests(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.VerifyAudit(ctx, service.System)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Intact || rep.Checked == 0 {
		t.Fatalf("%s: audit chain: %+v", db.Engine(), rep)
	}
	js := func(v any, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	s.document = js(svc.Export(ctx, service.System))
	s.board = js(svc.StatusBoard(ctx, copySec, "", "", domain.Page{Limit: 1000}, &synth.ProgressAsOf))
	s.owed = js(svc.Obligations(ctx, copySec, f.agency.Agency, &synth.ProgressAsOf))
	var health []*service.HealthView
	for i := range 20 {
		h, err := svc.ProjectHealth(ctx, copySec, fmt.Sprintf("p-%05d", i*7), &synth.ProgressAsOf)
		if err != nil {
			t.Fatal(err)
		}
		health = append(health, h)
	}
	s.health = js(health, nil)
	v, err := svc.Verify(ctx, f.code)
	if err != nil {
		t.Fatal(err)
	}
	s.verified = v.SignatureValid && v.ContentMatches
	if _, s.evidence, err = svc.Evidence(ctx, f.agency, f.report, 1); err != nil {
		t.Fatal(err)
	}
	return s
}

func same(t *testing.T, what string, a, b snapshot) {
	t.Helper()
	if len(a.counts) < 40 {
		t.Fatalf("%s: only %d tables counted", what, len(a.counts))
	}
	if !reflect.DeepEqual(a.counts, b.counts) {
		for k, n := range a.counts {
			if b.counts[k] != n {
				t.Errorf("%s: table %s has %d rows, want %d", what, k, b.counts[k], n)
			}
		}
		t.Fatalf("%s: row counts differ (%d vs %d tables)", what, len(a.counts), len(b.counts))
	}
	for k, d := range a.digests {
		if b.digests[k] != d {
			t.Errorf("%s: table %s's content differs: %s vs %s", what, k, d, b.digests[k])
		}
	}
	for name, pair := range map[string][2][]byte{"export": {a.document, b.document}, "status board": {a.board, b.board},
		"obligations": {a.owed, b.owed}, "health": {a.health, b.health}, "evidence file": {a.evidence, b.evidence}} {
		if string(pair[0]) != string(pair[1]) {
			t.Errorf("%s: %s differs (%d vs %d bytes)", what, name, len(pair[0]), len(pair[1]))
		}
	}
	if !a.verified || !b.verified {
		t.Errorf("%s: the signed document no longer verifies (%v, %v)", what, a.verified, b.verified)
	}
}

// TestCopyAcrossEngines copies a SQLite database into PostgreSQL and back
// into a second SQLite file (SQLite into SQLite when no PostgreSQL server
// is configured) and checks every table, the audit chain, the registry
// document and follow-up reads come out the same, and that the copy takes
// new writes.
func TestCopyAcrossEngines(t *testing.T) {
	ctx := context.Background()
	src, f := copySource(t)
	want := take(t, src, f)
	if want.counts["evidence"] == 0 || want.counts["audit_log"] == 0 || want.counts["users"] == 0 ||
		want.counts["signing_keys"] != 2 || want.counts["actions"] == 0 || want.counts["ratings"] == 0 {
		t.Fatalf("the source dataset is missing something: %v", want.counts)
	}
	chain := []testkit.Engine{testkit.SQLite}
	if testkit.PostgresURL() == "" {
		t.Log("PostgreSQL legs skipped: set PISHRAN_TEST_POSTGRES to a postgres:// URL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them; copying SQLite into SQLite only")
	} else {
		chain = []testkit.Engine{testkit.Postgres, testkit.SQLite}
	}
	from := src
	for _, e := range chain {
		to := testkit.Open(t, e)
		var tables []string
		var rows int64
		if err := store.Copy(ctx, from, to, func(table string, n int64) {
			tables = append(tables, table)
			rows += n
		}); err != nil {
			t.Fatalf("copy %s → %s: %v", from.Engine(), e.Name, err)
		}
		if len(tables) != len(want.counts) {
			t.Errorf("progress named %d tables, want %d", len(tables), len(want.counts))
		}
		var total int64
		for _, n := range want.counts {
			total += n
		}
		if rows != total {
			t.Errorf("progress counted %d rows, want %d", rows, total)
		}
		got := take(t, to, f)
		same(t, string(from.Engine())+" → "+e.Name, want, got)
		from = to
	}
	// The last copy takes new writes: its sequences (PostgreSQL) or row ids
	// (SQLite) go on past the copied ones, and the chain goes on.
	for _, db := range []*store.DB{from} {
		svc := scenario.Over(t, db).Svc
		if err := svc.CreateAgency(ctx, service.System, &domain.Agency{Code: "after-copy", Name: domain.T("پس از رونوشت", "after the copy"), Kind: domain.AgencyOrganization}); err != nil {
			t.Fatalf("%s: a new agency after the copy: %v", db.Engine(), err)
		}
		rep, err := svc.VerifyAudit(ctx, service.System)
		if err != nil || !rep.Intact || rep.Checked != want.counts["audit_log"]+1 {
			t.Fatalf("%s: audit after a new write: %+v, %v", db.Engine(), rep, err)
		}
	}
}

// TestCopyToPostgresTakesWrites: after a copy into PostgreSQL, new records
// of every kind that draws an id get one past the copied ones.
func TestCopyToPostgresTakesWrites(t *testing.T) {
	ctx := context.Background()
	src, f := copySource(t)
	lead := f.agency.Agency
	dst := testkit.Open(t, testkit.Postgres) // skips without a server
	if err := store.Copy(ctx, src, dst, nil); err != nil {
		t.Fatal(err)
	}
	svc := scenario.Over(t, dst).Svc
	if err := svc.CreateAgency(ctx, service.System, &domain.Agency{Code: "after-copy", Name: domain.T("پس از رونوشت", "after the copy"), Kind: domain.AgencyOrganization}); err != nil {
		t.Fatalf("a new agency after the copy: %v", err)
	}
	if _, err := svc.CreateUser(ctx, service.System, &domain.User{Username: "reza", DisplayName: domain.T("رضا", "Reza"), Role: "agency", Agency: lead, Active: true}, ""); err != nil {
		t.Fatalf("a new account after the copy: %v", err)
	}
	if _, err := svc.CreateToken(ctx, service.RoleSecretariat, "sec2", ""); err != nil {
		t.Fatalf("a new token after the copy: %v", err)
	}
	if _, _, err := svc.RotateSigningKey(ctx, service.System); err != nil {
		t.Fatalf("a new signing key after the copy: %v", err)
	}
	rep, err := svc.VerifyAudit(ctx, service.System)
	if err != nil || !rep.Intact {
		t.Fatalf("audit after new writes: %+v, %v", rep, err)
	}
}

// TestCopyRefuses: a destination holding data, or a copy cut short, leaves
// the destination as it was.
func TestCopyRefuses(t *testing.T) {
	ctx := context.Background()
	src, _ := copySource(t)
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		// Not empty: one agency is enough to refuse.
		dst := testkit.Open(t, e)
		if err := scenario.Over(t, dst).Svc.CreateAgency(ctx, service.System, &domain.Agency{Code: "already", Name: domain.T("موجود", "already here"), Kind: domain.AgencyOrganization}); err != nil {
			t.Fatal(err)
		}
		before, err := dst.TableDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = store.Copy(ctx, src, dst, nil)
		if !domain.IsKind(err, domain.KindConflict) {
			t.Fatalf("copy into a database holding data: %v, want a conflict", err)
		}
		after, err := dst.TableDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Errorf("a refused copy changed the destination")
		}

		// Cut short after a few tables: nothing stays written.
		empty := testkit.Open(t, e)
		fresh, err := empty.TableDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var copied int
		err = store.Copy(cctx, src, empty, func(string, int64) {
			if copied++; copied == 10 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("a cancelled copy: %v, want context.Canceled", err)
		}
		now, err := empty.TableDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fresh, now) {
			t.Errorf("a copy cut short left rows behind")
		}
		// The database is still fresh: a whole copy goes in.
		if err := store.Copy(ctx, src, empty, nil); err != nil {
			t.Fatalf("copy after a cancelled one: %v", err)
		}
	})
}

// TestCopySelfReference: a row naming a later row of its own table (an
// agency whose parent was created after it) is copied on both engines,
// whose foreign keys are checked row by row.
func TestCopySelfReference(t *testing.T) {
	ctx := context.Background()
	src := testkit.Open(t, testkit.SQLite)
	svc := scenario.Over(t, src).Svc
	// The child is created first and its parent over a batch of rows
	// later, so the two are not written by one statement.
	codes := []string{"child"}
	for i := range 520 {
		codes = append(codes, fmt.Sprintf("filler-%d", i))
	}
	codes = append(codes, "parent")
	for _, code := range codes {
		if err := svc.CreateAgency(ctx, service.System, &domain.Agency{Code: code, Name: domain.T("دستگاه "+code, "agency "+code), Kind: domain.AgencyOrganization}); err != nil {
			t.Fatal(err)
		}
	}
	child, err := svc.Agency(ctx, "child")
	if err != nil {
		t.Fatal(err)
	}
	child.Parent = "parent"
	if err := svc.UpdateAgency(ctx, service.System, child); err != nil {
		t.Fatal(err)
	}
	want, err := src.TableDigests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dst := testkit.Open(t, e)
		if err := store.Copy(ctx, src, dst, nil); err != nil {
			t.Fatal(err)
		}
		got, err := dst.TableDigests(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Errorf("the copy differs: %v vs %v", want["agencies"], got["agencies"])
		}
		a, err := scenario.Over(t, dst).Svc.Agency(ctx, "child")
		if err != nil || a.Parent != "parent" {
			t.Fatalf("child after the copy: %+v, %v", a, err)
		}
	})
}
