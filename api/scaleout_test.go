package api_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// TestScaleOut runs two Pishran instances on one database, sharing no
// memory: a session made on one works on the other, concurrent updates of
// one record through both end in one success and one 412, and a background
// job runs once, not once per instance.
func TestScaleOut(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			ctx := context.Background()
			instance := func() (*scenario.Server, *service.Service) {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				env := scenario.Over(t, db).Serve(scenario.APIOnly())
				return env, env.Env.Svc
			}
			a, svcA := instance()
			b, svcB := instance()
			sec := a.Env.Token(service.RoleSecretariat, "")
			a.Must(a.Post("/api/v1/agencies", sec, agencyRecord("moh")), http.StatusCreated)

			// A session made on one instance works on the other.
			u := &domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"), Role: string(service.RoleSecretariat), Active: true}
			if _, err := svcA.CreateUser(ctx, service.System, u, "a long enough password"); err != nil {
				t.Fatal(err)
			}
			cookie := signIn(a, "maryam", "a long enough password")
			me := b.Must(b.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: cookie}), http.StatusOK).Obj(t)
			if scenario.Path(t, me, "user", "username") != "maryam" {
				t.Errorf("instance B's /me: %v", me)
			}
			b.Must(b.Do(scenario.Request{Method: "DELETE", Path: "/api/v1/session", Session: cookie}), http.StatusNoContent)
			a.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: cookie}).Problem(t, http.StatusUnauthorized)

			// Concurrent updates of one record through both: one wins.
			etag := a.ETagOf("/api/v1/agencies/moh")
			statuses := make(chan int, 2)
			var wg sync.WaitGroup
			for i, env := range []*scenario.Server{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := env.Put("/api/v1/agencies/moh", sec, etag, map[string]any{"name": scenario.Text("وزارت", []string{"A", "B"}[i]), "kind": "ministry"})
					statuses <- r.Status
				}()
			}
			wg.Wait()
			close(statuses)
			got := map[int]int{}
			for s := range statuses {
				got[s]++
			}
			if got[http.StatusOK] != 1 || got[http.StatusPreconditionFailed] != 1 {
				t.Errorf("concurrent updates through two instances: %v, want one 200 and one 412", got)
			}

			// A background job runs once for both instances.
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(svcA.CreateSeries(ctx, service.System, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
			d := domain.MustDate("2024-03-01")
			_, err := svcA.CreateMeeting(ctx, service.System, service.MeetingInput{Series: "itec", Number: 1, Date: &d})
			must(err)
			_, err = svcA.HoldMeeting(ctx, service.System, "itec-1", 0)
			must(err)
			due := domain.MustDate("2024-04-01")
			_, _, err = svcA.RecordOutcome(ctx, service.System, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh",
				Due: &due, Description: domain.T("اقدام", "an action")})
			must(err)
			now := time.Date(2024, 5, 1, 6, 0, 0, 0, time.UTC)
			ran := make(chan []string, 2)
			for i, svc := range []*service.Service{svcA, svcB} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, err := svc.RunDueJobs(ctx, []string{"a", "b"}[i], now)
					if err != nil {
						t.Error(err)
					}
					ran <- r
				}()
			}
			wg.Wait()
			close(ran)
			total := 0
			for r := range ran {
				total += len(r)
			}
			if total != len(service.Jobs) {
				t.Errorf("%d job runs for %d jobs on two instances; each must run once", total, len(service.Jobs))
			}
			rs, err := svcB.Reminders(ctx, service.System, "moh")
			must(err)
			if len(rs) != 1 || rs[0].Kind != "action" || rs[0].Due != due {
				t.Errorf("reminders: %+v", rs)
			}
			// The next day's slot runs again, once.
			again, err := svcB.RunDueJobs(ctx, "b", now.Add(24*time.Hour))
			must(err)
			if len(again) != len(service.Jobs) {
				t.Errorf("next day: ran %v", again)
			}
			if again, _ := svcA.RunDueJobs(ctx, "a", now.Add(24*time.Hour)); len(again) != 0 {
				t.Errorf("the next day's run ran twice: %v", again)
			}
		})
	}
}
