package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// TestBrowserMeetingJourney: in Persian, the secretariat sets up a series,
// records its first session, builds the agenda from the proposal (each
// item's reasons kept when saved), holds the session, records a decision
// and an action, closes it after the confirmation (refused first without
// the box ticked, the message beside it), and re-dates the action.
func TestBrowserMeetingJourney(t *testing.T) {
	b, se := newStaffBrowser(t)
	tb := b.open(t, "/staff/series?lang=fa", 1280, 900, b.signedIn(t, se, "sec"))
	b.check(t, tb, "fa")
	tb.do(t,
		chromedp.SetValue(chromedp.ID("series-code"), "itec-steering"),
		chromedp.SetValue(chromedp.ID("series-name-fa"), "کمیته راهبری شورای اجرایی فناوری اطلاعات"),
		chromedp.SetValue(chromedp.ID("series-name-en"), "Steering Committee"),
		chromedp.SetValue(chromedp.ID("series-kind"), "steering-committee"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/series"] button[type=submit]`)),
	)
	tb.waitFor(t, `location.search.includes("done=created")`)
	b.screenshot(t, tb, "meeting-journey-series-fa")

	tb.do(t, chromedp.Navigate(b.URL+"/staff/meetings?lang=fa"))
	tb.waitFor(t, `document.getElementById("meeting-series")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("meeting-series"), "itec-steering"),
		chromedp.SetValue(chromedp.ID("meeting-number"), "1"),
		chromedp.SetValue(chromedp.ID("meeting-date"), se.Today.String()),
		chromedp.Click(chromedp.CSS(`#new-meeting button[type=submit]`)),
	)
	tb.waitFor(t, `location.pathname === "/staff/meetings/itec-steering-1"`)

	// The agenda: the proposal saved as it stands, plus a project.
	tb.do(t,
		chromedp.SetValue(chromedp.ID("add-project"), "solo-rx"),
		chromedp.Click(chromedp.CSS(`.agenda-form > p > button[type=submit]`)),
	)
	tb.waitFor(t, `location.search.includes("done=agenda")`)
	// No main project is relabelled "added by the secretariat".
	relabelled, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('.agenda-table tbody tr')]
		.filter(tr => tr.querySelector('.reason-main-project') && tr.querySelector('.reason-added')).length`))
	if err != nil || relabelled != 0 {
		t.Errorf("%d main projects relabelled as added (%v)", relabelled, err)
	}
	m, err := se.svc.Meeting(se.Ctx, service.System, "itec-steering-1")
	if err != nil || len(m.Agenda) == 0 {
		t.Fatalf("saved agenda: %v (%v)", m, err)
	}
	_, proposed, err := se.svc.ProposeAgenda(se.Ctx, service.System, "itec-steering-1")
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, it := range proposed {
		reasons[it.Key()] = strings.Trim(strings.Join(reasonCodes(it.Reasons), ","), ",")
	}
	for _, it := range m.Agenda {
		if want, ok := reasons[it.Key()]; ok && strings.Join(reasonCodes(it.Reasons), ",") != want {
			t.Errorf("%s saved with %v, proposed with %s", it.Key(), it.Reasons, want)
		}
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "meeting-journey-agenda-fa")

	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/hold"] button`)))
	tb.waitFor(t, `location.search.includes("done=held")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("outcome-resolution"), "1/1"),
		chromedp.SetValue(chromedp.ID("outcome-text-fa"), "فهرست پیشنهادی به شورا فرستاده شود"),
		chromedp.Click(chromedp.CSS(`form[action$="/outcomes"] > p > button`)),
	)
	tb.waitFor(t, `location.search.includes("done=outcome")`)
	due := se.Today.AddDays(30)
	tb.do(t,
		chromedp.Click(chromedp.ID("kind-action")),
		chromedp.SetValue(chromedp.ID("outcome-text-fa"), "طرح اجرایی نسخه الکترونیک فرستاده شود"),
		chromedp.SetValue(chromedp.ID("outcome-owner"), "moh"),
		chromedp.SetValue(chromedp.ID("outcome-due"), due.String()),
		chromedp.Click(chromedp.CSS(`form[action$="/outcomes"] > p > button`)),
	)
	tb.waitFor(t, `location.search.includes("done=outcome") && document.body.innerText.includes("طرح اجرایی نسخه الکترونیک")`)

	// Closing: the confirmation page; without the box, refused beside it.
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)))
	tb.waitFor(t, `location.pathname.endsWith("/close") && document.getElementById("close-confirm")`)
	b.screenshot(t, tb, "meeting-journey-confirm-fa")
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/close?v="] button[type=submit]`)))
	tb.waitFor(t, `document.getElementById("close-confirm-error")`)
	tb.forgive(t, "422")
	tb.do(t, chromedp.Click(chromedp.ID("close-confirm")), chromedp.Click(chromedp.CSS(`form[action*="/close?v="] button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=closed")`)
	if m, err := se.svc.Meeting(se.Ctx, service.System, "itec-steering-1"); err != nil || m.State != domain.MeetingClosed {
		t.Fatalf("after closing: %v (%v)", m.State, err)
	}
	b.check(t, tb, "fa")

	// Re-date the action it decided.
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href*="/redate?back=itec-steering-1"]`)))
	tb.waitFor(t, `document.getElementById("aredate-date")`)
	later := due.AddDays(15)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("aredate-date"), later.String()),
		chromedp.SetValue(chromedp.ID("aredate-reason-fa"), "داروخانه‌ها فرصت بیشتری خواستند"),
		chromedp.Click(chromedp.CSS(`form[action*="/redate?v="] button[type=submit]`)),
	)
	tb.waitFor(t, `location.search.includes("done=redated_action")`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "meeting-journey-closed-fa")
	m, err = se.svc.Meeting(se.Ctx, service.System, "itec-steering-1")
	if err != nil {
		t.Fatal(err)
	}
	var act int64
	for _, o := range m.Outcomes {
		if o.Kind == domain.OutcomeAction {
			act = o.Action
		}
	}
	a, err := se.svc.Action(se.Ctx, service.System, act)
	if err != nil || a.Due != later || a.Events[len(a.Events)-1].Note.FA != "داروخانه‌ها فرصت بیشتری خواستند" {
		t.Errorf("the action after re-dating: %+v (%v)", a, err)
	}
}

// TestBrowserInboxJourney: in Persian, moh's focal point opens the inbox,
// sees its returned report with the secretariat's comment first, opens it
// (the comment at the top), fixes and resubmits it, then starts the next
// period's report from it.
func TestBrowserInboxJourney(t *testing.T) {
	b, se := newStaffBrowser(t)
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	r, err := se.svc.SubmitReport(se.Ctx, moh, se.MohReport, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := se.svc.ReturnReport(se.Ctx, sec, se.MohReport, r.Version, domain.T("شاخص داروخانه‌ها را بیفزایید", "Add the pharmacies' indicator")); err != nil {
		t.Fatal(err)
	}
	tb := b.open(t, "/staff?lang=fa", 1280, 900, b.signedIn(t, se, "moh-focal"))
	tb.waitFor(t, `document.querySelector('.staff-nav .count')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/inbox"]`)))
	tb.waitFor(t, `location.pathname === "/staff/inbox"`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "inbox-agency-fa")
	first, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('.inbox-list > li').innerText`))
	if err != nil || !strings.HasPrefix(strings.TrimSpace(first), "نظر دبیرخانه") || !strings.Contains(first, "شاخص داروخانه‌ها را بیفزایید") {
		t.Errorf("the inbox's first item: %q (%v)", first, err)
	}
	id := strconv.FormatInt(se.MohReport, 10)
	tb.do(t, chromedp.Click(chromedp.CSS(`.inbox-report-returned a[href="/staff/reports/`+id+`"]`)))
	tb.waitFor(t, `document.getElementById("returned-comment")`)
	top, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.getElementById("returned-comment").compareDocumentPosition(document.querySelector("dl.facts")) === Node.DOCUMENT_POSITION_FOLLOWING`))
	if err != nil || !top {
		t.Errorf("the returned comment is not above the report (%v)", err)
	}
	b.screenshot(t, tb, "inbox-returned-report-fa")
	tb.do(t, chromedp.Click(chromedp.CSS(`#returned-comment a[href$="/edit"]`)))
	tb.waitFor(t, `document.getElementById("report-period")`)
	tb.do(t,
		chromedp.SetValue(chromedp.CSS(`textarea[name="narrative_fa"]`), "اتصال داروخانه‌ها در دو استان؛ شاخص افزوده شد"),
		chromedp.Click(chromedp.CSS(`.report-form .button-row button[type=submit]`)),
	)
	tb.waitFor(t, `location.search.includes("done=saved")`)
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/submit"] button`)))
	tb.waitFor(t, `location.search.includes("done=submitted")`)
	if rep, err := se.svc.Report(se.Ctx, moh, se.MohReport); err != nil || rep.State != domain.ReportSubmitted {
		t.Fatalf("after resubmitting: %v (%v)", rep.State, err)
	}

	// The next period, started from this one.
	period := string(domain.PeriodOf(se.Today))
	tb.do(t, chromedp.Navigate(b.URL+"/staff/reports/new?"+url.Values{"project": {"e-rx"}, "period": {period}, "lang": {"fa"}}.Encode()))
	tb.waitFor(t, `document.getElementById("start-previous")`)
	tb.do(t, chromedp.Click(chromedp.ID("start-previous")))
	tb.waitFor(t, `location.search.includes("from=previous")`)
	narrative, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('textarea[name="narrative_fa"]').value`))
	if err != nil || narrative != "اتصال داروخانه‌ها در دو استان؛ شاخص افزوده شد" {
		t.Errorf("the form is not filled from last period's report: %q (%v)", narrative, err)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "inbox-start-previous-fa")
	tb.do(t, chromedp.Click(chromedp.CSS(`.report-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=created")`)
	reports, err := se.svc.Reports(se.Ctx, moh, domain.ReportFilter{Project: "e-rx", Agency: "moh"}, domain.Page{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range reports {
		if string(x.Period) == period && x.Narrative.FA == "اتصال داروخانه‌ها در دو استان؛ شاخص افزوده شد" {
			found = true
		}
	}
	if !found {
		t.Errorf("no %s report started from last period's: %d reports", period, len(reports))
	}
}

func reasonCodes(rs []domain.AgendaReason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}
