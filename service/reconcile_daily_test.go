package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// dailyOutcome is what a day's audit-verify run recorded.
type dailyOutcome struct {
	Intact   bool                   `json:"intact"`
	Checked  int64                  `json:"checked"`
	From     int64                  `json:"from"`
	Records  int                    `json:"records"`
	Count    int                    `json:"count"`
	Problems []service.AuditProblem `json:"problems"`
}

// runDay runs a day's jobs and returns the audit check's outcome.
func runDay(t *testing.T, w *world, day time.Time) dailyOutcome {
	t.Helper()
	if _, err := w.svc.RunDueJobs(w.ctx, "a", day); err != nil {
		t.Fatal(err)
	}
	var runs []store.JobRun
	testkit.Must(t, w.svc.DB().View(w.ctx, func(tx *store.Tx) (err error) { runs, err = tx.JobRuns(service.JobAuditVerify, 1); return err }))
	if len(runs) != 1 || runs[0].Slot != domain.DateOf(day).String() {
		t.Fatalf("no audit check on %s: %+v", day, runs)
	}
	var o dailyOutcome
	testkit.Must(t, json.Unmarshal([]byte(runs[0].Outcome), &o))
	return o
}

// TestDailyAuditFromCheckpoint: the daily audit check reads the whole log
// once, then only the entries from the last checkpoint it verified on —
// writes made through Pishran since reconcile, a record changed behind
// Pishran's back is still named (every record is held against what the
// log says), and so is an entry altered after the checkpoint. An entry
// altered before it is left to the full check (`pishran audit verify`).
func TestDailyAuditFromCheckpoint(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		w := auditedWorld(t, e)
		day := time.Date(2030, 1, 1, 3, 0, 0, 0, time.UTC)
		first := runDay(t, w, day)
		if !first.Intact || first.From != 0 || first.Records != 23 {
			t.Fatalf("first check (full): %+v", first)
		}
		cps, err := w.svc.AllCheckpoints(w.ctx)
		testkit.Must(t, err)
		cp := cps[len(cps)-1]

		// Writes through Pishran since: a record folded changed, one new.
		renameProject(t, w.svc, "p0", "Renamed")
		testkit.Must(t, w.svc.Rate(w.ctx, service.System, &domain.Rating{Project: "p1", Kind: domain.CouncilRating, Score: 2, Comment: domain.T("ضعیف", "weak")}))
		second := runDay(t, w, day.AddDate(0, 0, 1))
		through := foldedThrough(t, w)
		if !second.Intact || second.From != cp.Entry || second.Records != 24 {
			t.Fatalf("second check, from checkpoint %d (entry %d): %+v", cp.ID, cp.Entry, second)
		}
		// The entries it read: those from the checkpoint to the head as
		// the check saw it, which it folded through.
		if second.Checked != through-cp.Entry+1 {
			t.Errorf("second check read %d entries from %d, folded through %d; the first read %d", second.Checked, second.From, through, first.Checked)
		}

		// A record changed behind Pishran's back, one folded long ago.
		testkit.Exec(t, w.svc.DB(), "UPDATE agencies SET name_en = name_en || 'x' WHERE code = 'ito'")
		third := runDay(t, w, day.AddDate(0, 0, 2))
		if third.Intact || third.Count != 1 || third.Problems[0].Record != "ito" || third.From <= cp.Entry {
			t.Fatalf("third check: %+v", third)
		}
		testkit.Exec(t, w.svc.DB(), "UPDATE agencies SET name_en = substr(name_en, 1, length(name_en) - 1) WHERE code = 'ito'")
		if r := mustVerify(t, w.svc); !r.Intact {
			t.Fatalf("the agency put back:\n%s", problemsOf(r))
		}

		// An entry altered after the last checkpoint the check verified.
		cps, err = w.svc.AllCheckpoints(w.ctx)
		testkit.Must(t, err)
		last := cps[len(cps)-1].Entry
		var was *domain.AuditEntry
		testkit.Must(t, w.svc.DB().View(w.ctx, func(tx *store.Tx) (err error) { was, err = tx.AuditEntry(last + 1); return err }))
		testkit.Exec(t, w.svc.DB(), "UPDATE audit_log SET actor = 'forger' WHERE id = ?", last+1)
		fourth := runDay(t, w, day.AddDate(0, 0, 3))
		if fourth.Intact || !strings.Contains(fourth.Problems[0].Message.EN, "entry altered") || fourth.Problems[0].Entry != last+1 {
			t.Fatalf("fourth check, entry %d altered: %+v", last+1, fourth)
		}
		testkit.Exec(t, w.svc.DB(), "UPDATE audit_log SET actor = ? WHERE id = ?", was.Actor, last+1)

		// An entry altered before it: the daily check does not read it,
		// the full one names it.
		testkit.Exec(t, w.svc.DB(), "UPDATE audit_log SET actor = 'forger' WHERE id = 3")
		fifth := runDay(t, w, day.AddDate(0, 0, 4))
		if !fifth.Intact || fifth.From <= 3 {
			t.Fatalf("fifth check: %+v", fifth)
		}
		if r := mustVerify(t, w.svc); r.Intact || r.Broken == nil || r.Broken.ID != 3 {
			t.Fatalf("the full check misses entry 3 altered: %+v\n%s", r, problemsOf(r))
		}
	})
}

// foldedThrough is the entry the daily check folded the log through.
func foldedThrough(t *testing.T, w *world) (id int64) {
	t.Helper()
	testkit.Must(t, w.svc.DB().View(w.ctx, func(tx *store.Tx) (err error) { id, _, _, err = tx.ExpectedHead(); return err }))
	return id
}
