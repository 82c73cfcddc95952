package service_test

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// The reminders keep one row per owed item: a second day on which nothing
// changed writes no reminder and moves no public version (only the jobs'
// own); an action closed and one re-dated past the day are resolved the
// next run, their rows kept; the rest keep the day they were first found.
// The daily checkpoint and audit check, which run beside it, move no
// public version either.
func TestRemindersOneRowPerItem(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc, db, _ := smallWithMeetings(t, e)
		day1 := time.Date(2031, 3, 1, 6, 0, 0, 0, time.UTC)
		clock := testkit.NewClock(day1).On(db)
		ran, err := svc.RunDueJobs(ctx, "a", day1)
		testkit.Must(t, err)
		if len(ran) != len(service.Jobs) {
			t.Fatalf("day 1 ran %v", ran)
		}
		rows := func() (n int64) {
			testkit.Must(t, db.View(ctx, func(tx *store.Tx) (err error) { n, err = tx.ReminderRows(); return err }))
			return n
		}
		open, err := svc.Reminders(ctx, service.System, "")
		testkit.Must(t, err)
		owed := len(open)
		if owed < 100 || rows() != int64(owed) {
			t.Fatalf("day 1: %d reminders listed, %d rows", owed, rows())
		}

		// Day 2: nothing changed.
		day2 := day1.Add(24 * time.Hour)
		clock.Set(day2)
		pub, err := svc.DataVersion(ctx, service.PublicAreas...)
		testkit.Must(t, err)
		jobs, err := svc.DataVersion(ctx, service.AreaJobs)
		testkit.Must(t, err)
		ran, err = svc.RunDueJobs(ctx, "a", day2)
		testkit.Must(t, err)
		if len(ran) != len(service.Jobs) {
			t.Fatalf("day 2 ran %v", ran)
		}
		if n := rows(); n != int64(owed) {
			t.Errorf("day 2 left %d reminder rows for %d owed items", n, owed)
		}
		if out := outcome(t, db, "reminders", day2); out != strconv.Itoa(owed)+" reminders (0 new, 0 restated, 0 resolved)" {
			t.Errorf("day 2 outcome %q", out)
		}
		if after, _ := svc.DataVersion(ctx, service.PublicAreas...); after != pub {
			t.Errorf("the day's jobs moved the public version: %+v → %+v", pub, after)
		}
		if after, _ := svc.DataVersion(ctx, service.AreaJobs); !jobs.Before(after) {
			t.Errorf("the jobs' own version did not move: %+v → %+v", jobs, after)
		}

		// Two actions stop being owed: one closed, one re-dated after day 3.
		var acts []*domain.Action
		for _, r := range open {
			if r.Kind != "action" || len(acts) == 2 {
				continue
			}
			id, _ := strconv.ParseInt(r.Ref, 10, 64)
			act, err := svc.Action(ctx, service.System, id)
			testkit.Must(t, err)
			acts = append(acts, act)
		}
		if len(acts) != 2 {
			t.Fatalf("%d action reminders", len(acts))
		}
		closedOn := domain.DateOf(day2)
		_, err = svc.CloseAction(ctx, service.System, acts[0].ID, acts[0].Version, service.ActionUpdate{Date: &closedOn})
		testkit.Must(t, err)
		later := domain.DateOf(day2.Add(30 * 24 * time.Hour))
		_, err = svc.RedateAction(ctx, service.System, acts[1].ID, acts[1].Version,
			service.ActionUpdate{Due: &later, Reason: domain.T("مهلت تازه", "a new due date")})
		testkit.Must(t, err)
		if after, _ := svc.DataVersion(ctx, service.PublicAreas...); !pub.Before(after) {
			t.Errorf("closing an action (a public write) did not move the public version")
		}

		day3 := day2.Add(24 * time.Hour)
		clock.Set(day3)
		pub, _ = svc.DataVersion(ctx, service.PublicAreas...)
		_, err = svc.RunDueJobs(ctx, "a", day3)
		testkit.Must(t, err)
		if out := outcome(t, db, "reminders", day3); out != strconv.Itoa(owed-2)+" reminders (0 new, 0 restated, 2 resolved)" {
			t.Errorf("day 3 outcome %q", out)
		}
		if n := rows(); n != int64(owed) {
			t.Errorf("day 3: %d rows; resolved reminders keep theirs (%d)", n, owed)
		}
		if after, _ := svc.DataVersion(ctx, service.PublicAreas...); after != pub {
			t.Errorf("resolving reminders moved the public version")
		}
		now, err := svc.Reminders(ctx, service.System, "")
		testkit.Must(t, err)
		if len(now) != owed-2 {
			t.Errorf("day 3 lists %d reminders, want %d", len(now), owed-2)
		}
		for _, r := range now {
			if r.Day != domain.DateOf(day1) {
				t.Fatalf("a reminder owed since day 1 says %s", r.Day)
			}
			if r.Kind == "action" && (r.Ref == itoa(acts[0].ID) || r.Ref == itoa(acts[1].ID)) {
				t.Errorf("action %s is still reminded of", r.Ref)
			}
		}

		// The re-dated action falls due again: the same row is reopened,
		// owed since the day it was found again.
		day4 := later.Time().Add(48 * time.Hour)
		clock.Set(day4)
		_, err = svc.RunDueJobs(ctx, "a", day4)
		testkit.Must(t, err)
		if n := rows(); n != int64(owed) {
			t.Errorf("day 4: %d rows, want %d (the reopened item reuses its row)", n, owed)
		}
		mine, err := svc.MyReminders(ctx, service.Actor{Name: "fp", Role: service.RoleAgency, Agency: acts[1].Owner})
		testkit.Must(t, err)
		if !slices.ContainsFunc(mine, func(r domain.Reminder) bool {
			return r.Ref == itoa(acts[1].ID) && r.Day == domain.DateOf(day4)
		}) {
			t.Errorf("the re-dated action is not reminded of again, owed since day 4, to its agency %s", acts[1].Owner)
		}
	})
}

// A job's writes move the versions of what they wrote: a job that changes
// the registry moves the public version, as any writer's would.
func TestJobMovesTheAreasItWrites(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc, db, _ := smallWithMeetings(t, e)
		saved := service.Jobs
		t.Cleanup(func() { service.Jobs = saved })
		service.Jobs = append(slices.Clone(saved), service.Job{Name: "test-agency", Slot: func(now time.Time) string { return now.Format("2006-01-02") },
			Run: func(ctx context.Context, s *service.Service, a service.Actor, now time.Time) (string, error) {
				return "made", s.CreateAgency(ctx, a, &domain.Agency{Code: "job-made", Name: domain.T("دستگاه", "An agency"), Kind: domain.AgencyOrganization})
			}})
		now := time.Date(2031, 3, 1, 6, 0, 0, 0, time.UTC)
		testkit.NewClock(now).On(db)
		pub, _ := svc.DataVersion(ctx, service.PublicAreas...)
		reg, _ := svc.DataVersion(ctx, service.AreaRegistry)
		_, err := svc.RunDueJobs(ctx, "a", now)
		testkit.Must(t, err)
		if after, _ := svc.DataVersion(ctx, service.PublicAreas...); !pub.Before(after) {
			t.Errorf("a job that changed the registry left the public version at %+v", after)
		}
		if after, _ := svc.DataVersion(ctx, service.AreaRegistry); !reg.Before(after) {
			t.Errorf("a job that changed the registry left the registry's version at %+v", after)
		}
	})
}

// outcome reads the outcome of a job's run for the day of now.
func outcome(t *testing.T, db *store.DB, job string, now time.Time) string {
	t.Helper()
	var runs []store.JobRun
	testkit.Must(t, db.View(context.Background(), func(tx *store.Tx) (err error) { runs, err = tx.JobRuns(job, 100); return err }))
	for _, r := range runs {
		if r.Slot == now.Format("2006-01-02") {
			return r.Outcome
		}
	}
	t.Fatalf("no %s run on %s", job, now.Format("2006-01-02"))
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
