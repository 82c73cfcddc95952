package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/web"
)

// Budgets of database work for the public's hottest answers on a miss (no
// cache holds them): issue 12 asks for one read transaction each, with the
// statements it needs and no repeats. The counts include the data-version
// read every cached route makes before it looks in its cache.
const (
	projectPageStatements = 2 // the public project page: the version, the page with the registry generation (issue 12 asks ≤ 5)
	projectPageViews      = 1
	apiProjectStatements  = 2 // GET /api/v1/projects/{slug}: the version, the project with the registry generation
	apiProjectViews       = 1
	apiListStatements     = 3 // GET /api/v1/projects?limit=100: the version, the generation, the page with its links
	apiListViews          = 1
	// A project that declares integrations adds two statements, whatever
	// their number: their traffic and the agencies their ends are mapped
	// to (issue 15 in issue 12's budget).
	projectExchangeStatements = projectPageStatements + 2
)

// readBudgetEnv is a registry whose project p0 has everything its page
// shows: two agencies, a law, a dependency on p1 and one on the
// confidential p4 (counted, not named), a predecessor, memberships in an
// adopted list, a milestone, a rating and a council decision about it;
// and whose project p3 declares two integrations, one with traffic.
func readBudgetEnv(t *testing.T, e testkit.Engine) *scenario.Server {
	env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
	ctx, svc, sys := env.Ctx, env.Svc, service.System
	for _, slug := range []string{"p1", "p4"} {
		v, err := svc.Project(ctx, sys, slug)
		testkit.Must(t, err)
		infra := *v.Project
		infra.Kind = domain.KindInfrastructure
		testkit.Must(t, svc.UpdateProject(ctx, sys, &infra))
	}
	p0, err := svc.Project(ctx, sys, "p0")
	testkit.Must(t, err)
	p := *p0.Project
	p.DependsOn = []string{"p1", "p4"}
	p.Predecessors = []domain.Predecessor{{Project: "p2", Kind: domain.LineageEvolved}}
	testkit.Must(t, svc.UpdateProject(ctx, sys, &p))
	testkit.Must(t, svc.Rate(ctx, sys, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 3, Comment: domain.T("نظر", "comment")}))
	held := domain.MustDate("2024-09-01")
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 1, Date: &held, Title: domain.T("جلسه", "session")})
	testkit.Must(t, err)
	_, err = svc.HoldMeeting(ctx, sys, "itec-1", 0)
	testkit.Must(t, err)
	_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/1",
		Text: domain.T("مصوبه درباره پروژه", "a decision about the project"), Projects: []string{"p0"}})
	testkit.Must(t, err)
	_, err = svc.CloseMeeting(ctx, sys, "itec-1", 0) // the public reads decisions once the minutes are published
	testkit.Must(t, err)
	// p3 declares two integrations, one with a day of traffic, the other
	// silent; both ends of each are mapped to agencies.
	for ident, agency := range map[string]string{"IR/GOV/MOH/rx": "moh", "IR/GOV/ITO/gsb": "ito"} {
		sub, _ := exchange.ParseSubsystem(ident)
		testkit.Must(t, svc.SaveMapping(ctx, sys, &exchange.Mapping{Subsystem: sub, Agency: agency}))
	}
	for _, service := range []string{"IR/GOV/ITO/gsb/inquiry", "IR/GOV/ITO/gsb/registry/v2"} {
		c, _ := exchange.ParseSubsystem("IR/GOV/MOH/rx")
		sv, err := exchange.ParseService(service)
		testkit.Must(t, err)
		testkit.Must(t, svc.Declare(ctx, sys, &exchange.Declared{Project: "p3", Integration: exchange.Integration{Client: c, Service: sv}}))
	}
	start := exchange.DayStart(exchange.DayOf(env.Clock.Now().Add(-48 * time.Hour))).Add(12 * time.Hour)
	_, err = svc.ImportExchange(ctx, sys, strings.NewReader(exchangeRecords("IR/GOV/MOH/rx", "IR/GOV/ITO/gsb/inquiry", start, 30)), "test")
	testkit.Must(t, err)
	return env.Serve(scenario.Site(web.Options{}))
}

// countReads runs one request and returns what it asked of the database.
func countReads(t *testing.T, srv *scenario.Server, path string) (store.ReadStats, *scenario.Response) {
	t.Helper()
	before := srv.Env.DB.Stats()
	r := srv.Get(path, "")
	return srv.Env.DB.Stats().Sub(before), r
}

func TestReadBudgets(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv := readBudgetEnv(t, e)
		// What is kept per registry generation (the project directory the
		// visibility rule and the links' titles read) is read once after
		// a change to the registry, by whichever page comes first; the
		// budgets are for a page no cache holds in a registry that has
		// not just changed.
		srv.Must(srv.Get("/projects/p2?lang=en", ""), http.StatusOK)
		for _, c := range []struct {
			path              string
			want              []string
			statements, views int64
		}{
			{"/projects/p3?lang=en", []string{"IR/GOV/MOH/rx → IR/GOV/ITO/gsb/inquiry", "IR/GOV/ITO/gsb/registry/v2", "27 succeeded, 3 failed",
				">live<", "never seen", "Ministry of Health"}, projectExchangeStatements, projectPageViews},
			{"/projects/p0?lang=en", []string{"Prescription system p1", "Prescription system p2", "a decision about the project", "pilot", "Ministry of Health", "Seventh plan"},
				projectPageStatements, projectPageViews},
			{"/api/v1/projects/p0", []string{`"p1"`, `"hidden_links":1`}, apiProjectStatements, apiProjectViews},
			{"/api/v1/projects?limit=100", []string{`"p0"`, `"p3"`, `"plan7"`}, apiListStatements, apiListViews},
		} {
			got, r := countReads(t, srv, c.path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", c.path, r.Status)
			}
			for _, w := range c.want {
				if !strings.Contains(r.Text(), w) {
					t.Errorf("%s does not show %q", c.path, w)
				}
			}
			t.Logf("%s: %d statements in %d read transactions", c.path, got.Statements, got.Views)
			if got.Statements > c.statements || got.Views > c.views {
				t.Errorf("%s on a miss: %d statements in %d read transactions; the budget is %d in %d",
					c.path, got.Statements, got.Views, c.statements, c.views)
			}
			// A hit reads only the data version.
			if got, _ := countReads(t, srv, c.path); got.Statements > 1 || got.Views > 0 {
				t.Errorf("%s from the cache: %d statements in %d read transactions", c.path, got.Statements, got.Views)
			}
		}
	})
}

// The indexes and agencies' pages of issue 14 read in one read
// transaction each, with a fixed number of statements whatever the number
// of projects (grouped reads, not one per project).
func TestPortalReadBudgets(t *testing.T) {
	const portalStatements = 10
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv := readBudgetEnv(t, e)
		srv.Must(srv.Get("/projects/p3?lang=en", ""), http.StatusOK) // the directory, kept per generation
		for _, c := range []struct {
			path string
			want string
		}{
			{"/projects?lang=en", "Prescription system p1"},
			{"/projects?lang=en&status=silent", "Prescription system p0"},
			{"/agencies?lang=en", "Ministry of Health"},
			{"/agencies/moh?lang=en", "Prescription system p0"},
			{"/api/v1/agencies/moh/scorecard", `"agency"`},
			{"/api/v1/programs/gov14/fate", `"parts"`},
		} {
			got, r := countReads(t, srv, c.path)
			if r.Status != http.StatusOK || !strings.Contains(r.Text(), c.want) {
				t.Fatalf("%s: %d, or it lacks %q", c.path, r.Status, c.want)
			}
			t.Logf("%s: %d statements in %d read transactions", c.path, got.Statements, got.Views)
			if got.Statements > portalStatements || got.Views > 1 {
				t.Errorf("%s on a miss: %d statements in %d read transactions; the budget is %d in 1",
					c.path, got.Statements, got.Views, portalStatements)
			}
		}
	})
}
