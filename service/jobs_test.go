package service_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

// The daily reminders are recorded in batches, every one of them, once; a
// run claimed by an instance that died mid-way is taken over once its lease
// has run out (not before), by one instance.
func TestRemindersBatchedAndTakenOver(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc, db, _ := smallWithMeetings(t, e)
		now := time.Date(2031, 3, 1, 6, 0, 0, 0, time.UTC) // every open action is past due
		open := 0
		if err := db.View(ctx, func(tx *store.Tx) error {
			for _, err := range domain.Walk(func(p domain.Page) ([]*domain.Action, error) {
				return tx.Actions(domain.ActionFilter{OpenOnly: true}, domain.Viewer{All: true}, p)
			}, func(a *domain.Action) string { return strconv.FormatInt(a.ID, 10) }) {
				if err != nil {
					return err
				}
				open++
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if open <= 500 {
			t.Fatalf("only %d open actions: the test needs more than one batch", open)
		}
		recorded := func() (actions, all int) {
			var rs []domain.Reminder
			if err := db.View(ctx, func(tx *store.Tx) (err error) { rs, err = tx.Reminders("", 1<<20); return err }); err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if r.Kind == "action" {
					actions++
				}
			}
			return actions, len(rs)
		}

		// Instance a claims the day's run and dies before doing it.
		slot := now.Format("2006-01-02")
		clock := testkit.NewClock(now).On(db)
		if err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.ClaimRun("reminders", slot, "a", service.JobLease)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if ran, err := svc.RunDueJobs(ctx, "b", now.Add(service.JobLease-time.Minute)); err != nil || slices.Contains(ran, "reminders") {
			t.Fatalf("b ran a claim still within its lease: %v %v", ran, err)
		}
		if a, _ := recorded(); a != 0 {
			t.Fatalf("%d reminders before any run", a)
		}
		later := now.Add(service.JobLease + time.Minute)
		clock.Set(later)
		ran, err := svc.RunDueJobs(ctx, "b", later)
		if err != nil || !slices.Equal(ran, []string{"reminders"}) {
			t.Fatalf("b did not take over the abandoned run (alone): %v %v", ran, err)
		}
		actions, all := recorded()
		if actions != open {
			t.Errorf("%d action reminders for %d open actions past due", actions, open)
		}
		var runs []store.JobRun
		if err := db.View(ctx, func(tx *store.Tx) (err error) { runs, err = tx.JobRuns("reminders", 10); return err }); err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].Instance != "b" || runs[0].Outcome != strconv.Itoa(all)+" reminders ("+strconv.Itoa(all)+" new, 0 restated, 0 resolved)" {
			t.Errorf("runs: %+v", runs)
		}
		t.Logf("%d open actions, %d reminders in all", open, all)
	})
}

// smallWithMeetings is the small synthetic registry with 40 sessions and
// 1,500 actions, about a third of them still open.
func smallWithMeetings(t *testing.T, e testkit.Engine) (*service.Service, *store.DB, *domain.Document) {
	t.Helper()
	env := scenario.New(t, e)
	ctx, db, svc := env.Ctx, env.DB, env.Svc
	doc := synth.Registry(synth.Small)
	if err := svc.Import(ctx, service.System, doc); err != nil {
		t.Fatal(err)
	}
	m := synth.MeetingsOf(doc, synth.Small.Seed, 40, 1500)
	if err := svc.LoadMeetings(ctx, service.System, m.Series, m.Meetings, m.Actions); err != nil {
		t.Fatal(err)
	}
	return svc, db, doc
}
