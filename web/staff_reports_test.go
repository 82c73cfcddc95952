package web_test

// Progress reports in the workspace: written, submitted, reviewed; what an
// agency owes.

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestStaffReports: an agency writes, edits and submits a report; the
// secretariat returns it, the agency resubmits, the secretariat accepts it;
// another agency is told the report does not exist.
func TestStaffReports(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			ms := &domain.Milestone{Project: "e-rx", Title: domain.T("آزمایش", "Pilot"), Planned: ptr(se.Today.AddDays(60))}
			if err := se.svc.CreateMilestone(se.Ctx, sec, ms); err != nil {
				t.Fatal(err)
			}
			// Step one offers moh's projects; step two the form.
			choose := se.Page(se.SignIn("moh-focal"), "/staff/reports/new", "en")
			if !strings.Contains(choose.Text(), `<option value="e-rx">`) || strings.Contains(choose.Text(), `value="secret-rx"`) {
				t.Errorf("project choice:\n%s", scenario.Clip(choose.Text()))
			}
			period := string(se.LastMonth.Add(-1))
			form := se.Page(se.SignIn("moh-focal"), "/staff/reports/new?project=e-rx&period="+period, "fa")
			form.CheckPage(t, http.StatusOK, "fa")
			if !strings.Contains(form.Text(), `<option value="`+period+`" selected>`) || !strings.Contains(form.Text(), `name="ms.`+strconv.FormatInt(ms.ID, 10)+`"`) {
				t.Errorf("report form:\n%s", scenario.Clip(form.Text()))
			}
			// A bad percent is refused with the form as it was.
			bad := url.Values{"period": {period}, "narrative_en": {"pilot started"}, "ms." + strconv.FormatInt(ms.ID, 10): {"140"}}
			r := se.Form(se.SignIn("moh-focal"), "/staff/reports?project=e-rx&lang=en", bad, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), "percent complete must be between 0 and 100") || !strings.Contains(r.Text(), "pilot started") {
				t.Errorf("refused report form:\n%s", scenario.Clip(r.Text()))
			}
			good := url.Values{"period": {period}, "narrative_fa": {"آزمایش در سه استان"}, "narrative_en": {"pilot in three provinces"},
				"projected_end": {se.Today.AddDays(400).String()}, "projected_cost": {"1۲۰۰۰۰۰۰۰۰"}, "ms." + strconv.FormatInt(ms.ID, 10): {"40"},
				"risk.1_en": {"data exchange delays"}, "risksev.1": {"high"}}
			r = se.Form(se.SignIn("moh-focal"), "/staff/reports?project=e-rx", good, nil)
			r.RedirectsTo(t, "/staff/reports/")
			loc := r.Header.Get("Location")
			id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/staff/reports/"), 10, 64)
			if err != nil {
				t.Fatal(loc)
			}
			rep, err := se.svc.Report(se.Ctx, sec, id)
			if err != nil || rep.State != "draft" || *rep.ProjectedCost != 1_200_000_000 || len(rep.Milestones) != 1 || rep.Milestones[0].Percent != 40 ||
				len(rep.Risks) != 1 || rep.Risks[0].Severity != "high" {
				t.Fatalf("created report %+v (%v)", rep, err)
			}
			page := se.Page(se.SignIn("moh-focal"), loc, "en")
			for _, want := range []string{"The draft is saved", "pilot in three provinces", "Submit for review", "data exchange delays"} {
				if !strings.Contains(page.Text(), want) {
					t.Errorf("report page lacks %q", want)
				}
			}
			// Another agency: not found — on the page and on every act.
			sid := strconv.FormatInt(id, 10)
			for _, p := range []string{"/staff/reports/" + sid, "/staff/reports/" + sid + "/edit", "/staff/reports/" + strconv.FormatInt(se.TaxReport, 10)} {
				if r := se.Page(se.SignIn("moh-focal"), p, "en"); p == "/staff/reports/"+strconv.FormatInt(se.TaxReport, 10) && r.Status != http.StatusNotFound {
					t.Errorf("moh opening tax's report %s: %d", p, r.Status)
				}
				if r := se.Page(se.SignIn("tax-focal"), p, "en"); p != "/staff/reports/"+strconv.FormatInt(se.TaxReport, 10) && r.Status != http.StatusNotFound {
					t.Errorf("tax opening moh's report %s: %d, want 404", p, r.Status)
				}
			}
			if r := se.Form(se.SignIn("tax-focal"), "/staff/reports/"+sid+"/submit", nil, nil); r.Status != http.StatusNotFound {
				t.Errorf("tax submitting moh's report: %d", r.Status)
			}
			// The review queue does not list a draft.
			if strings.Contains(se.Page(se.SignIn("sec"), "/staff/reports", "en").Text(), `href="/staff/reports/`+sid+`"`) {
				t.Error("a draft is in the review queue")
			}
			// Edit: the form carries the version; a stale one is refused.
			edit := se.Page(se.SignIn("moh-focal"), "/staff/reports/"+sid+"/edit", "en")
			act := regexp.MustCompile(`action="(/staff/reports/` + sid + `\?v=\d+)"`).FindStringSubmatch(edit.Text())
			if act == nil || !strings.Contains(edit.Text(), ">pilot in three provinces</textarea>") {
				t.Fatalf("edit form:\n%s", scenario.Clip(edit.Text()))
			}
			good.Set("narrative_en", "pilot in four provinces")
			se.Form(se.SignIn("moh-focal"), html.UnescapeString(act[1]), good, nil).RedirectsTo(t, "/staff/reports/"+sid+"?done=saved")
			if r := se.Form(se.SignIn("moh-focal"), html.UnescapeString(act[1])+"&lang=en", good, nil); r.Status != http.StatusPreconditionFailed {
				t.Errorf("a stale edit: %d", r.Status)
			}
			submit := func(who string) {
				t.Helper()
				page := se.Page(se.SignIn(who), "/staff/reports/"+sid, "en")
				m := regexp.MustCompile(`action="(/staff/reports/` + sid + `/submit\?v=\d+)"`).FindStringSubmatch(page.Text())
				if m == nil {
					t.Fatalf("no submit form:\n%s", scenario.Clip(page.Text()))
				}
				se.Form(se.SignIn(who), html.UnescapeString(m[1]), nil, nil).RedirectsTo(t, "/staff/reports/"+sid+"?done=submitted")
			}
			submit("moh-focal")
			// In the queue now; returning needs a comment.
			if !strings.Contains(se.Page(se.SignIn("sec"), "/staff/reports", "en").Text(), `href="/staff/reports/`+sid+`"`) {
				t.Error("the submitted report is not in the review queue")
			}
			review := se.Page(se.SignIn("sec"), "/staff/reports/"+sid, "en")
			ret := regexp.MustCompile(`formaction="(/staff/reports/` + sid + `/return\?v=\d+)"`).FindStringSubmatch(review.Text())
			if ret == nil {
				t.Fatalf("no review form:\n%s", scenario.Clip(review.Text()))
			}
			r = se.Form(se.SignIn("sec"), html.UnescapeString(ret[1])+"&lang=en", nil, nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), "returning a report needs a comment") {
				t.Errorf("return without a comment: %d", r.Status)
			}
			se.Form(se.SignIn("sec"), html.UnescapeString(ret[1]), url.Values{"comment_en": {"attach the pilot's evidence"}}, nil).RedirectsTo(t, "/staff/reports/"+sid+"?done=returned")
			// The agency sees the comment, adds a link and resubmits.
			page = se.Page(se.SignIn("moh-focal"), "/staff/reports/"+sid, "en")
			if !strings.Contains(page.Text(), "attach the pilot&#39;s evidence") {
				t.Error("the agency does not see the secretariat's comment")
			}
			ev := regexp.MustCompile(`action="(/staff/reports/` + sid + `/evidence\?v=\d+)"`).FindStringSubmatch(page.Text())
			if ev == nil {
				t.Fatal("no evidence form")
			}
			se.Form(se.SignIn("moh-focal"), html.UnescapeString(ev[1]), url.Values{"url": {"https://example.org/pilot"}, "title_en": {"Pilot results"}}, nil).RedirectsTo(t, "/staff/reports/"+sid+"?done=evidence")
			submit("moh-focal")
			review = se.Page(se.SignIn("sec"), "/staff/reports/"+sid, "en")
			acc := regexp.MustCompile(`action="(/staff/reports/` + sid + `/accept\?v=\d+)"`).FindStringSubmatch(review.Text())
			if acc == nil {
				t.Fatal("no accept form")
			}
			se.Form(se.SignIn("sec"), html.UnescapeString(acc[1]), nil, nil).RedirectsTo(t, "/staff/reports/"+sid+"?done=accepted")
			rep, err = se.svc.Report(se.Ctx, sec, id)
			if err != nil || rep.State != "accepted" || len(rep.Evidence) != 1 {
				t.Fatalf("after acceptance: %+v %v", rep, err)
			}
			// It counts: the project's last accepted report is its period.
			h, err := se.svc.ProjectHealth(se.Ctx, sec, "e-rx", nil)
			if err != nil || h.LastReport == nil || h.LastReport.ID != id {
				t.Errorf("health after acceptance: %+v %v", h, err)
			}
			// The agency may not accept; the secretariat may not write one.
			if r := se.Form(se.SignIn("moh-focal"), "/staff/reports/"+strconv.FormatInt(se.MohReport, 10)+"/accept", nil, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency accepting: %d", r.Status)
			}
			if r := se.Form(se.SignIn("sec"), "/staff/reports?project=e-rx", good, nil); r.Status != http.StatusForbidden {
				t.Errorf("the secretariat writing a report: %d", r.Status)
			}
		})
	}
}

// TestStaffOwes: what an agency owes; another agency's page is not found.
func TestStaffOwes(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			r := se.Page(se.SignIn("moh-focal"), "/staff/agencies/moh/owes", "en")
			r.CheckPage(t, http.StatusOK, "en")
			for _, want := range []string{"Connect the pharmacies", "Electronic prescription", "Write the report",
				`href="/staff/reports/` + strconv.FormatInt(se.MohReport, 10) + `"`} {
				if !strings.Contains(r.Text(), want) {
					t.Errorf("moh's page lacks %q", want)
				}
			}
			if strings.Contains(se.Page(se.SignIn("sec"), "/staff/agencies/moh/owes", "en").Text(), "Write the report") {
				t.Error("the secretariat is offered to write moh's report")
			}
			if r := se.Page(se.SignIn("moh-focal"), "/staff/agencies/tax/owes", "en"); r.Status != http.StatusNotFound {
				t.Errorf("moh opening tax's page: %d", r.Status)
			}
			if r := se.Page(se.SignIn("sec"), "/staff/agencies/nope/owes", "en"); r.Status != http.StatusNotFound {
				t.Errorf("an unknown agency: %d", r.Status)
			}
		})
	}
}
