package web_test

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// The public follow-through pages (issue 14 point 5): the council's
// actions, the held meetings and a project's timeline.

// followPages are the follow-through pages the confidentiality scan reads
// besides those it finds by following links.
func followPages(fx *scanFixture) []string {
	// A page asked for with the confidential slug in its query echoes
	// the reader's own input in its links (the other language's address),
	// which the scan cannot tell from a leak: TestPublicActions asks
	// /actions?project= of a confidential project instead, and the API
	// is asked here.
	return []string{"/actions", "/actions?project=open-linker", "/api/v1/actions?project=" + confSlug, "/actions?agency=ict",
		"/actions?agency=ito&status=overdue", "/actions?status=closed", "/meetings", "/meetings/itec-1", "/meetings/itec-2",
		"/projects/open-linker/timeline", "/projects/old-linker/timeline", "/projects/" + confSlug + "/timeline",
		"/api/v1/actions?status=overdue", "/api/v1/actions?project=open-linker", "/api/v1/actions/" + itoa(fx.ictAction),
		"/data/status.csv?as_of=" + domain.DateOf(time.Now()).AddDays(-200).String(), "/data/actions.json", "/data/reports.xlsx", "/data/baselines.csv"}
}

// followEnv is Registry(5).Meetings().FollowUp("2024-10-01") — p0 under
// follow-up, p4 confidential — with the council's work on them:
//
//   - itec-1 (2024-09-01, closed): a decision about p0, one about p4
//     (SECRETDEC); actions about p0 for ito (re-dated at itec-2 for a
//     reason), about p4 (SECRETACT), about p0 and p4 (MIXEDACT), about p1
//     for moh (overdue) and about p2 for tamin (closed at itec-2);
//   - itec-2 (2024-09-20, held, not closed): a decision UNPUBLISHED;
//   - itec-3 (2024-10-20, planned);
//   - a report on p0 for 1403-06, accepted on 2024-10-01, projecting the
//     end 90 days late; a council rating of p0.
func followEnv(t *testing.T, e testkit.Engine) (*scenario.Server, map[string]int64) {
	t.Helper()
	env := scenario.New(t, e).Registry(5).Meetings().FollowUp("2024-10-01")
	ctx, svc, sys := env.Ctx, env.Svc, service.System
	ids := map[string]int64{}
	meeting := func(n int, date string) string {
		d := domain.MustDate(date)
		m, err := svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: n, Date: &d, Title: domain.T("جلسه", "session")})
		testkit.Must(t, err)
		return m.ID
	}
	outcome := func(m string, in service.OutcomeInput) {
		t.Helper()
		_, act, err := svc.RecordOutcome(ctx, sys, m, in)
		testkit.Must(t, err)
		if act != nil {
			ids[act.Description.EN] = act.ID
		}
	}
	m1 := meeting(1, "2024-09-01")
	_, err := svc.HoldMeeting(ctx, sys, m1, 0)
	testkit.Must(t, err)
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/1", Text: domain.T("PUBDEC مصوبه پیشران", "PUBDEC roll p0 out"), Projects: []string{"p0"}})
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/2", Text: domain.T("SECRETDEC مصوبه محرمانه", "SECRETDEC"), Projects: []string{"p4"}})
	due := func(s string) *domain.Date { return domain.DatePtr(s) }
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito", Due: due("2024-09-15"), Description: domain.T("PUBACT انتشار رابط", "PUBACT publish the API"), Projects: []string{"p0"}})
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: due("2024-09-15"), Description: domain.T("SECRETACT اقدام محرمانه", "SECRETACT"), Projects: []string{"p4"}})
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: due("2024-09-15"), Description: domain.T("MIXEDACT اقدام آمیخته", "MIXEDACT"), Projects: []string{"p0", "p4"}})
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: due("2024-09-10"), Description: domain.T("LATEACT اقدام معوق", "LATEACT"), Projects: []string{"p1"}})
	outcome(m1, service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "tamin", Due: due("2024-09-30"), Description: domain.T("DONEACT اقدام بسته", "DONEACT"), Projects: []string{"p2"}})
	_, err = svc.CloseMeeting(ctx, sys, m1, 0)
	testkit.Must(t, err)
	m2 := meeting(2, "2024-09-20")
	_, err = svc.HoldMeeting(ctx, sys, m2, 0)
	testkit.Must(t, err)
	outcome(m2, service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "2/1", Text: domain.T("UNPUBLISHED مصوبه منتشرنشده", "UNPUBLISHED"), Projects: []string{"p0"}})
	act, err := svc.Action(ctx, sys, ids["PUBACT publish the API"])
	testkit.Must(t, err)
	_, err = svc.RedateAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Meeting: m2, Due: due("2024-10-20"),
		Reason: domain.T("REDATEREASON منتظر پیمانکار", "REDATEREASON waiting for the vendor")})
	testkit.Must(t, err)
	act, err = svc.Action(ctx, sys, ids["DONEACT"])
	testkit.Must(t, err)
	_, err = svc.CloseAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Meeting: m2, Note: domain.T("CLOSENOTE انجام شد", "CLOSENOTE done")})
	testkit.Must(t, err)
	meeting(3, "2024-10-20")

	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	rep := &domain.Report{Project: "p0", Period: domain.PeriodOf(domain.MustDate("2024-09-01")), ProjectedEnd: domain.DatePtr("2025-03-31"),
		Narrative: domain.T("پیشرفت", "progress")}
	testkit.Must(t, svc.CreateReport(ctx, moh, rep))
	_, err = svc.SubmitReport(ctx, moh, rep.ID, 0)
	testkit.Must(t, err)
	_, err = svc.AcceptReport(ctx, sys, rep.ID, 0, domain.T("پذیرفته", "accepted"))
	testkit.Must(t, err)
	testkit.Must(t, svc.Rate(ctx, sys, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 2, Comment: domain.T("نظر", "comment")}))
	return env.Serve(scenario.Site(web.Options{Now: env.Clock.Now})), ids
}

// secrets are what the public must never read: the confidential
// project's actions, decision and title, and an action about it and a
// public project together.
var secrets = []string{"SECRETACT", "SECRETDEC", "MIXEDACT", "Prescription system p4", "سامانه نسخه p4", "/projects/p4"}

func noSecrets(t *testing.T, where, body string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q", where, s)
		}
	}
}

func TestPublicActions(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, ids := followEnv(t, e)
		for _, lang := range []string{"fa", "en"} {
			r := srv.Must(srv.Get("/actions?lang="+lang, ""), http.StatusOK)
			for _, want := range []string{"PUBACT", "LATEACT", "DONEACT", "REDATEREASON", "CLOSENOTE", `href="/meetings/itec-1"`, `href="/projects/p0"`} {
				if !strings.Contains(r.Text(), want) {
					t.Errorf("/actions?lang=%s does not show %q", lang, want)
				}
			}
			noSecrets(t, "/actions?lang="+lang, r.Text())
			// Agencies by name, never an account.
			if strings.Contains(r.Text(), "user:") || strings.Contains(r.Text(), "token:") {
				t.Errorf("/actions?lang=%s names an account", lang)
			}
		}
		en := srv.Must(srv.Get("/actions?lang=en", ""), http.StatusOK).Text()
		for _, want := range []string{"Social Security", "21 days overdue", "due date moved from 2024-09-15 to 2024-10-20", "Ministry of Health"} {
			if !strings.Contains(en, want) {
				t.Errorf("/actions?lang=en does not show %q", want)
			}
		}
		fa := srv.Must(srv.Get("/actions", ""), http.StatusOK).Text()
		if !strings.Contains(fa, "۲۱ روز از مهلت گذشته") || !strings.Contains(fa, "۱۴۰۳/۰۶/۲۵") {
			t.Error("/actions in Persian: no Persian-digit age or Jalali due date")
		}
		// Filters: status and agency.
		for q, want := range map[string][]string{
			"status=overdue": {"LATEACT"}, "status=closed": {"DONEACT"}, "status=open": {"PUBACT", "LATEACT"},
			"agency=ito": {"PUBACT"}, "agency=tamin&status=closed": {"DONEACT"}, "project=p0": {"PUBACT"},
		} {
			body := srv.Must(srv.Get("/actions?lang=en&"+q, ""), http.StatusOK).Text()
			for _, a := range []string{"PUBACT", "LATEACT", "DONEACT"} {
				if got, wanted := strings.Contains(body, a), slices.Contains(want, a); got != wanted {
					t.Errorf("/actions?%s: shows %s = %v, want %v", q, a, got, wanted)
				}
			}
		}
		for _, lang := range []string{"fa", "en"} {
			r := srv.Must(srv.Get("/actions?project=p4&lang="+lang, ""), http.StatusOK).Text()
			noSecrets(t, "/actions?project=p4", r)
			if strings.Contains(r, "PUBACT") || strings.Contains(r, "LATEACT") {
				t.Errorf("/actions?project=p4 lists actions about other projects")
			}
		}
		srv.Must(srv.Get("/actions?status=nope", ""), http.StatusBadRequest)
		srv.Must(srv.Get("/actions?page=0", ""), http.StatusBadRequest)
		// The API: the same actions, without accounts.
		api := srv.Must(srv.Get("/api/v1/actions?status=overdue", ""), http.StatusOK).Text()
		if !strings.Contains(api, "LATEACT") || strings.Contains(api, "PUBACT") || strings.Contains(api, "user:") {
			t.Errorf("GET /api/v1/actions?status=overdue as the public: %s", api)
		}
		all := srv.Must(srv.Get("/api/v1/actions?limit=1000", ""), http.StatusOK).Text()
		noSecrets(t, "/api/v1/actions", all)
		if strings.Contains(all, `"recorded_by":"token:`) || strings.Contains(all, `"recorded_by":"system`) {
			t.Errorf("the public's actions name an account: %s", all)
		}
		srv.Must(srv.Get("/api/v1/actions/"+strconv.FormatInt(ids["SECRETACT"], 10), ""), http.StatusNotFound)
		srv.Must(srv.Get("/api/v1/actions/"+strconv.FormatInt(ids["MIXEDACT"], 10), ""), http.StatusNotFound)
		srv.Must(srv.Get("/api/v1/actions/"+strconv.FormatInt(ids["PUBACT publish the API"], 10), ""), http.StatusOK)
		srv.Must(srv.Get("/api/v1/actions?status=nope", ""), http.StatusBadRequest)
		// Paging: the cursor is the count read.
		p1 := srv.Must(srv.Get("/api/v1/actions?limit=1", ""), http.StatusOK).Text()
		if !strings.Contains(p1, `"next_cursor":"MQ"`) {
			t.Errorf("first page of one: %s", p1)
		}
		// The project page shows its actions with their re-dating.
		p0 := srv.Must(srv.Get("/projects/p0?lang=en", ""), http.StatusOK).Text()
		for _, want := range []string{"PUBACT publish the API", "REDATEREASON", `href="/projects/p0/timeline"`, `href="/actions?project=p0"`} {
			if !strings.Contains(p0, want) {
				t.Errorf("/projects/p0 does not show %q", want)
			}
		}
		noSecrets(t, "/projects/p0", p0)
	})
}

func TestPublicMeetings(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := followEnv(t, e)
		for _, lang := range []string{"fa", "en"} {
			list := srv.Must(srv.Get("/meetings?lang="+lang, ""), http.StatusOK).Text()
			if !strings.Contains(list, `href="/meetings/itec-1"`) || !strings.Contains(list, `href="/meetings/itec-2"`) ||
				strings.Contains(list, `href="/meetings/itec-3"`) {
				t.Errorf("/meetings?lang=%s: held meetings listed, planned not: %s", lang, list)
			}
			if strings.Index(list, `href="/meetings/itec-2"`) > strings.Index(list, `href="/meetings/itec-1"`) {
				t.Errorf("/meetings?lang=%s: not newest first", lang)
			}
			m1 := srv.Must(srv.Get("/meetings/itec-1?lang="+lang, ""), http.StatusOK).Text()
			for _, want := range []string{"PUBDEC", "PUBACT", "/api/v1/meetings/itec-1/minutes", "/verify/"} {
				if !strings.Contains(m1, want) {
					t.Errorf("/meetings/itec-1?lang=%s does not show %q", lang, want)
				}
			}
			noSecrets(t, "/meetings/itec-1", m1)
			// Held, not closed: nothing published yet, the follow-ups shown.
			m2 := srv.Must(srv.Get("/meetings/itec-2?lang="+lang, ""), http.StatusOK).Text()
			if strings.Contains(m2, "UNPUBLISHED") || strings.Contains(m2, "/minutes") {
				t.Errorf("/meetings/itec-2?lang=%s shows what is not published", lang)
			}
			if !strings.Contains(m2, "REDATEREASON") || !strings.Contains(m2, "CLOSENOTE") {
				t.Errorf("/meetings/itec-2?lang=%s does not show its follow-up of earlier actions", lang)
			}
			noSecrets(t, "/meetings/itec-2", m2)
		}
		srv.Must(srv.Get("/meetings/itec-3", ""), http.StatusNotFound)
		srv.Must(srv.Get("/meetings/nope-9", ""), http.StatusNotFound)
		srv.Must(srv.Get("/meetings?series=NOPE!", ""), http.StatusBadRequest)
	})
}

var timeDatetime = regexp.MustCompile(`<td><time datetime="(\d{4}-\d{2}-\d{2})"`)

func TestProjectTimeline(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := followEnv(t, e)
		en := srv.Must(srv.Get("/projects/p0/timeline?lang=en", ""), http.StatusOK).Text()
		for _, want := range []string{"Entered the list", "Baseline 1 approved", "Milestone “pilot” due", "not done",
			"Report for", "accepted", "council rating: 2 of 5", "Decision 1/1 of meeting itec-1", "PUBDEC",
			"Action set for ITO, due 2024-09-15", "moved from 2024-09-15 to 2024-10-20", "REDATEREASON", `media="print"`} {
			if !strings.Contains(en, want) {
				t.Errorf("/projects/p0/timeline?lang=en does not show %q", want)
			}
		}
		noSecrets(t, "/projects/p0/timeline", en)
		var days []string
		for _, m := range timeDatetime.FindAllStringSubmatch(en, -1) {
			days = append(days, m[1])
		}
		if len(days) < 8 {
			t.Fatalf("timeline has %d dated rows", len(days))
		}
		for i := 1; i < len(days); i++ {
			if days[i] < days[i-1] {
				t.Errorf("timeline not in date order: %s after %s", days[i], days[i-1])
			}
		}
		fa := srv.Must(srv.Get("/projects/p0/timeline", ""), http.StatusOK).Text()
		if !strings.Contains(fa, "۱۴۰۲/۰۹/۲۹") || !strings.Contains(fa, "خط مبنای ۱ تصویب شد") {
			t.Error("the Persian timeline has no Jalali baseline date")
		}
		srv.Must(srv.Get("/projects/p4/timeline", ""), http.StatusNotFound)
		srv.Must(srv.Get("/projects/nope/timeline", ""), http.StatusNotFound)
	})
}

// TestFollowReadBudgets: each follow-through page is one read transaction
// on a miss.
// followStatements are the statement budgets of the council's reads on a
// miss (the data version included). The public's read of a meeting reads
// its row and the decisions it may see, nothing else of the record:
// itec-1 is closed (its decisions, their projects, the two seals' codes,
// the project directory's generation), itec-2 only held (no decision yet).
var followStatements = map[string]int64{
	"/actions": 8, "/meetings": 6, "/decisions": 6, "/api/v1/decisions": 5,
	"/api/v1/meetings/itec-2": 2, "/api/v1/meetings/itec-2/minutes": 3,
	"/api/v1/meetings/itec-1": 6, "/api/v1/meetings/itec-1/minutes": 8,
	"/api/v1/actions": 6, "/meetings/itec-2": 11, "/meetings/itec-1": 14,
}

func TestFollowReadBudgets(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := followEnv(t, e)
		srv.Must(srv.Get("/projects/p3?lang=en", ""), http.StatusOK) // the project directory, kept per generation
		for _, path := range []string{"/actions?lang=en", "/actions?status=overdue&agency=moh", "/meetings", "/meetings/itec-2",
			"/meetings/itec-1", "/projects/p0/timeline", "/projects/p0?lang=fa", "/decisions?lang=en", "/api/v1/meetings/itec-2",
			"/api/v1/meetings/itec-2/minutes", "/api/v1/meetings/itec-1", "/api/v1/meetings/itec-1/minutes",
			"/api/v1/decisions?limit=100", "/api/v1/actions"} {
			got, r := countReads(t, srv, path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.Status)
			}
			t.Logf("%s: %d statements in %d read transactions", path, got.Statements, got.Views)
			if got.Views != 1 {
				t.Errorf("%s on a miss: %d read transactions, want 1", path, got.Views)
			}
			if path == "/projects/p0?lang=fa" && got.Statements > projectPageStatements {
				t.Errorf("%s: %d statements, the budget is %d", path, got.Statements, projectPageStatements)
			}
			// The council's reads (issue 12): a fixed number of statements,
			// whatever the number of meetings, decisions or actions.
			if b, ok := followStatements[strings.SplitN(path, "?", 2)[0]]; ok && got.Statements > b {
				t.Errorf("%s: %d statements, the budget is %d", path, got.Statements, b)
			}
		}
	})
}
