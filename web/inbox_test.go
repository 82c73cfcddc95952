package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestInbox: an agency's focal point sees what it owes (its overdue
// action, its draft report, the daily job's reminders), and once the
// secretariat returns its report, that report with the comment first, and
// the comment at the top of the report's page; the secretariat sees the
// report to review and the sessions to prepare; the navigation counts
// them; a reader owes nothing. A new report can start from last period's.
func TestInbox(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
			if _, err := se.svc.RunDueJobs(se.Ctx, "t", time.Now()); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("moh-focal"), "/staff/inbox", lang).CheckPage(t, http.StatusOK, lang)
			}
			in := se.Page(se.SignIn("moh-focal"), "/staff/inbox", "en").Text()
			for _, want := range []string{"Connect the pharmacies", `class="badge rag-red"`, "reminder", `href="/staff/reports/` + strconv.FormatInt(se.MohReport, 10) + `"`} {
				if !strings.Contains(in, want) {
					t.Errorf("moh's inbox lacks %q:\n%s", want, scenario.Clip(in))
				}
			}
			if strings.Contains(in, "Confidential prescription") {
				t.Error("moh's inbox names tax's confidential project")
			}
			// The report goes in and comes back with a comment.
			r, err := se.svc.SubmitReport(se.Ctx, moh, se.MohReport, 0)
			if err != nil {
				t.Fatal(err)
			}
			secIn := se.Page(se.SignIn("sec"), "/staff/inbox", "en").Text()
			for _, want := range []string{"to review", `href="/staff/reports/` + strconv.FormatInt(se.MohReport, 10) + `"`, "Ministry of Health",
				`href="/staff/meetings/itec-30"`, "Thirtieth session"} {
				if !strings.Contains(secIn, want) {
					t.Errorf("the secretariat's inbox lacks %q:\n%s", want, scenario.Clip(secIn))
				}
			}
			if _, err := se.svc.ReturnReport(se.Ctx, sec, se.MohReport, r.Version, domain.T("شاخص داروخانه‌ها را بیفزایید", "Add the pharmacies' indicator")); err != nil {
				t.Fatal(err)
			}
			in = se.Page(se.SignIn("moh-focal"), "/staff/inbox", "en").Text()
			c, title := strings.Index(in, "Add the pharmacies&#39; indicator"), strings.Index(in, `<span class="badge state-returned">`)
			if c < 0 || title < 0 || c > title {
				t.Errorf("the returned report's comment is not shown first (comment at %d, item at %d):\n%s", c, title, scenario.Clip(in))
			}
			if !strings.Contains(in, `href="/staff/reports/`+strconv.FormatInt(se.MohReport, 10)+`/edit"`) {
				t.Error("the inbox does not offer to fix the returned report")
			}
			// The badge in the navigation, on any workspace page.
			if dash := se.Page(se.SignIn("moh-focal"), "/staff", "fa").Text(); !strings.Contains(dash, `<span class="count">`) {
				t.Error("no inbox count in the navigation")
			}
			count, err := se.svc.InboxCount(se.Ctx, moh)
			if err != nil || count < 2 {
				t.Errorf("moh's inbox count %d (%v): a returned report and an overdue action at least", count, err)
			}
			// The report's page: the comment at the top.
			page := se.Page(se.SignIn("moh-focal"), "/staff/reports/"+strconv.FormatInt(se.MohReport, 10), "fa").Text()
			c, facts := strings.Index(page, "شاخص داروخانه‌ها را بیفزایید"), strings.Index(page, `<dl class="facts">`)
			if c < 0 || facts < 0 || c > facts || !strings.Contains(page, `id="returned-comment"`) {
				t.Errorf("the returned comment is not at the top (comment at %d, facts at %d)", c, facts)
			}
			// A reader owes nothing.
			if r := se.Page(se.SignIn("reader1"), "/staff/inbox", "en"); r.Status != 200 || !strings.Contains(r.Text(), "Nothing is waiting for you.") ||
				strings.Contains(r.Text(), `<span class="count">`) {
				t.Errorf("a reader's inbox: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			// Signed out: the sign-in page.
			se.Page("", "/staff/inbox", "en").RedirectsTo(t, "/login")

			// Start from last period's report: the form links to it, and
			// with it is filled from the latest earlier report.
			period := string(domain.PeriodOf(se.Today))
			form := se.Page(se.SignIn("moh-focal"), "/staff/reports/new?"+url.Values{"project": {"e-rx"}, "period": {period}}.Encode(), "en").Text()
			if !strings.Contains(form, `id="start-previous"`) || strings.Contains(form, "good progress") {
				t.Errorf("the new report's form does not offer last period's:\n%s", scenario.Clip(form))
			}
			form = se.Page(se.SignIn("moh-focal"), "/staff/reports/new?"+url.Values{"project": {"e-rx"}, "period": {period}, "from": {"previous"}}.Encode(), "en").Text()
			if !strings.Contains(form, "good progress") || !strings.Contains(form, "filled from the previous period") ||
				!strings.Contains(form, `<option value="`+period+`" selected>`) {
				t.Errorf("the form is not filled from last period's report:\n%s", scenario.Clip(form))
			}
			// Another agency's project is not offered that way.
			if r := se.Page(se.SignIn("tax-focal"), "/staff/reports/new?project=e-rx&from=previous", "en"); r.Status == http.StatusOK {
				t.Errorf("tax started a report on moh's project: %d", r.Status)
			}
		})
	}
}
