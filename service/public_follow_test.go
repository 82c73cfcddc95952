package service_test

import (
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The public's actions are counted and paged from ids kept under the data
// version: every page of one gives the whole list in order, and a new
// action, a closing, a project turning confidential and a new day (what
// is overdue) are each seen by the next read.
func TestPublicActionsKept(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
		ctx, svc, sys := env.Ctx, env.Svc, service.System
		d := domain.MustDate("2024-09-01")
		m, err := svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 1, Date: &d, Title: domain.T("جلسه", "session")})
		testkit.Must(t, err)
		_, err = svc.HoldMeeting(ctx, sys, m.ID, 0)
		testkit.Must(t, err)
		act := func(name, project, due string) int64 {
			t.Helper()
			_, a, err := svc.RecordOutcome(ctx, sys, m.ID, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito",
				Due: domain.DatePtr(due), Description: domain.T(name, name), Projects: []string{project}})
			testkit.Must(t, err)
			return a.ID
		}
		list := func(q service.ActionQuery) (string, int) {
			t.Helper()
			whole, err := svc.PublicActions(ctx, q, 0, 100)
			testkit.Must(t, err)
			all := ""
			for _, a := range whole.Actions {
				all += a.Description.EN + " "
			}
			paged := ""
			for off := 0; off < whole.Total+1; off++ {
				pg, err := svc.PublicActions(ctx, q, off, 1)
				testkit.Must(t, err)
				if pg.Total != whole.Total {
					t.Fatalf("%+v: page %d counts %d, the whole list %d", q, off, pg.Total, whole.Total)
				}
				for _, a := range pg.Actions {
					paged += a.Description.EN + " "
				}
			}
			if paged != all {
				t.Fatalf("%+v: pages of one give %q, the whole list %q", q, paged, all)
			}
			return all, whole.Total
		}
		act("A", "p0", "2024-10-10")
		act("B", "p1", "2024-10-05")
		c := act("C", "p2", "2024-09-20")
		if got, n := list(service.ActionQuery{}); n != 3 || got != "C B A " {
			t.Fatalf("three actions: %q (%d)", got, n)
		}
		if got, _ := list(service.ActionQuery{Status: "overdue"}); got != "C " {
			t.Fatalf("overdue on 2024-10-01: %q", got)
		}
		p1, err := svc.Project(ctx, sys, "p1")
		testkit.Must(t, err)
		p1.Confidentiality = domain.Confidential
		testkit.Must(t, svc.UpdateProject(ctx, sys, p1.Project))
		if got, n := list(service.ActionQuery{}); n != 2 || got != "C A " {
			t.Fatalf("p1 made confidential: %q (%d)", got, n)
		}
		act("D", "p3", "2024-12-01")
		if got, n := list(service.ActionQuery{}); n != 3 || got != "D C A " {
			t.Fatalf("a new action: %q (%d)", got, n)
		}
		a, err := svc.Action(ctx, sys, c)
		testkit.Must(t, err)
		_, err = svc.CloseAction(ctx, sys, a.ID, a.Version, service.ActionUpdate{Meeting: m.ID, Note: domain.T("انجام شد", "done")})
		testkit.Must(t, err)
		if got, _ := list(service.ActionQuery{Status: "closed"}); got != "C " {
			t.Fatalf("C closed: closed %q", got)
		}
		if got, _ := list(service.ActionQuery{Status: "overdue"}); got != "" {
			t.Fatalf("C closed: overdue %q", got)
		}
		env.Clock.SetDay("2024-10-15")
		if got, _ := list(service.ActionQuery{Status: "overdue"}); got != "A " {
			t.Fatalf("overdue on 2024-10-15: %q", got)
		}
	})
}
