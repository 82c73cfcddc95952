package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
)

// exchangeDays writes, in X-Road's operational-monitoring form, days of
// traffic of IR/GOV/MOH/rx calling IR/GOV/ITO/gsb/inquiry up to now: each
// day eight successful messages and one failed, logged by the client's
// server; and one record of a client nobody has mapped (IR/GOV/TAX/vat).
// It returns the file and the first success.
func exchangeDays(now time.Time, days int) (string, time.Time) {
	var recs []string
	rec := func(at time.Time, client string, ok bool, n int) {
		recs = append(recs, fmt.Sprintf(`{"securityServerType":"Client","requestInTs":%d,"responseOutTs":%d,
 "clientXRoadInstance":"IR","clientMemberClass":"GOV","clientMemberCode":"%s","clientSubsystemCode":"%s",
 "serviceXRoadInstance":"IR","serviceMemberClass":"GOV","serviceMemberCode":"ITO","serviceSubsystemCode":"gsb",
 "serviceCode":"inquiry","messageId":"b-%d","xRequestId":"x-%d","succeeded":%t,"requestSize":300,"responseSize":900}`,
			at.UnixMilli(), at.UnixMilli()+120, strings.Split(client, "/")[0], strings.Split(client, "/")[1], n, n, ok))
	}
	first := now.Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Hour)
	n := 0
	for d := range days {
		for i := range 9 {
			n++
			rec(first.Add(time.Duration(d)*24*time.Hour+time.Duration(i)*time.Minute), "MOH/rx", i != 8, n)
		}
	}
	n++
	rec(now.Add(-time.Hour), "TAX/vat", true, n)
	return `{"records":[` + strings.Join(recs, ",\n") + `]}`, first
}

// TestBrowserStaffExchange: the secretariat's exchange forms in a real
// browser, in Persian and in English, each on a site of its own. The
// exchange's telemetry is imported first (through the service: no page
// takes a file), so every identity in it is offered for mapping; the
// secretariat maps the client's from that offer's link and the
// provider's by hand, records the service, declares on e-rx that the
// client consumes it, as the evidence of e-rx's pilot milestone, with
// thresholds of its own; the staff integrations page and the public
// project page then show the integration live, and the milestone
// "evidenced by the exchange since" the first successful day. Each page
// passes the harness's checks at 1280 px and at 360 px (nothing wider
// than the screen) and is photographed at both.
func TestBrowserStaffExchange(t *testing.T) {
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			staffExchange(t, lang)
		})
	}
}

func staffExchange(t *testing.T, lang string) {
	b, se := newStaffBrowser(t)
	ctx := context.Background()
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	planned := se.Today.AddDays(20)
	pilot := &domain.Milestone{Project: "e-rx", Title: domain.T("استقرار آزمایشی", "pilot"), Planned: &planned, Weight: 1}
	testkit.Must(t, se.Svc.CreateMilestone(ctx, moh, pilot))
	file, first := exchangeDays(time.Now(), 5)
	res, err := se.Svc.ImportExchange(ctx, service.System, strings.NewReader(file), "nix-"+lang+".json")
	testkit.Must(t, err)
	if res.Report.Accepted != 46 || res.Report.UnknownRecords != 46 {
		t.Fatalf("import report %+v", res.Report)
	}
	shot := func(tb *tab, name string) { b.journeyShot(t, tb, "staff-exchange-"+name+"-"+lang, lang) }
	val := func(tb *tab, js string) string {
		t.Helper()
		s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The import's unknown identities are offered; the client's link fills the form.
	tb := b.open(t, "/staff/exchange?lang="+lang, 1280, 900, b.signedIn(t, se, "sec"))
	tb.waitFor(t, `document.getElementById('identity-form')`)
	for _, id := range []string{"IR/GOV/MOH/rx", "IR/GOV/ITO/gsb", "IR/GOV/TAX/vat"} {
		if !strings.Contains(tb.text(t), id) {
			t.Errorf("%s is not offered for mapping", id)
		}
	}
	shot(tb, "offered")
	val(tb, `[...document.querySelectorAll('#imports li')].find(li => li.innerText.includes("IR/GOV/MOH/rx")).querySelector('a').click() || ""`)
	tb.waitFor(t, `document.getElementById('map-identity').value === "IR/GOV/MOH/rx"`)
	tb.do(t, chromedp.SetValue(chromedp.ID("map-agency"), "moh"), chromedp.SetValue(chromedp.ID("map-name_fa"), "نسخه الکترونیک"),
		chromedp.SetValue(chromedp.ID("map-name_en"), "e-prescription"), chromedp.Submit(chromedp.ID("map-identity")))
	tb.waitFor(t, `location.search.includes("done=mapped")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("map-identity"), "IR/GOV/ITO/gsb"), chromedp.SetValue(chromedp.ID("map-agency"), "ito"),
		chromedp.Submit(chromedp.ID("map-identity")))
	tb.waitFor(t, `location.search.includes("done=mapped") && document.querySelectorAll('#identities tbody tr').length === 2`)
	if still := val(tb, `document.getElementById('imports').innerText`); strings.Contains(still, "IR/GOV/MOH/rx") || !strings.Contains(still, "IR/GOV/TAX/vat") {
		t.Errorf("after mapping, the offer is:\n%s", still)
	}
	tb.do(t, chromedp.SetValue(chromedp.ID("svc-service"), "IR/GOV/ITO/gsb/inquiry"), chromedp.SetValue(chromedp.ID("svc-title_fa"), "استعلام بیمه"),
		chromedp.SetValue(chromedp.ID("svc-title_en"), "Insurance inquiry"), chromedp.Submit(chromedp.ID("svc-service")))
	tb.waitFor(t, `location.search.includes("done=service") && document.querySelector('#services tbody tr')`)
	shot(tb, "mapped")

	// A threshold no one could mean is refused beside its field.
	ip := b.open(t, "/staff/projects/e-rx/integrations?lang="+lang, 1280, 900, b.signedIn(t, se, "sec"))
	ip.waitFor(t, `document.getElementById('declare')`)
	fill := func(silent string) {
		ip.do(t, chromedp.SetValue(chromedp.ID("dec-client"), "IR/GOV/MOH/rx"), chromedp.SetValue(chromedp.ID("dec-service"), "IR/GOV/ITO/gsb/inquiry"),
			chromedp.SetValue(chromedp.ID("dec-milestone"), fmt.Sprint(pilot.ID)), chromedp.SetValue(chromedp.ID("dec-window"), "7"),
			chromedp.SetValue(chromedp.ID("dec-max_failure"), "20"), chromedp.SetValue(chromedp.ID("dec-min_messages"), "5"),
			chromedp.SetValue(chromedp.ID("dec-silent_days"), silent), chromedp.Submit(chromedp.ID("dec-client")))
	}
	fill("400")
	ip.waitFor(t, `document.getElementById('form-error')`)
	ip.forgive(t, "status of 422")
	if msg := val(ip, `document.getElementById('form-error').innerText`); !strings.Contains(msg, map[string]string{"fa": "۳۶۶", "en": "366"}[lang]) {
		t.Errorf("the refused threshold: %q", msg)
	}
	fill("10")
	ip.waitFor(t, `location.search.includes("done=declared") && document.querySelector('table.integrations')`)
	state := val(ip, `(document.querySelector('table.integrations .badge') || {}).className || ""`)
	if !strings.Contains(state, "state-live") {
		t.Errorf("the integration's state: %q\n%s", state, ip.text(t))
	}
	day := exchange.DayOf(first)
	want := map[string]string{"fa": "به گواهی مرکز تبادل از " + jalali.PersianDigits(day.Jalali()), "en": "evidenced by the exchange since " + day.String()}[lang]
	if ev := val(ip, `(document.querySelector('form[id^="integration-"] .evidenced') || {}).innerText || ""`); ev != want {
		t.Errorf("staff page: %q, want %q", ev, want)
	}
	if v := val(ip, `document.querySelector('form[id^="integration-"] input[name="max_failure"]').value`); v != "20" {
		t.Errorf("the failure-rate threshold reads back %q, want 20", v)
	}
	shot(ip, "declared")

	// The public project page, for anyone.
	pub := b.open(t, "/projects/e-rx?lang="+lang, 1280, 900)
	pub.waitFor(t, `document.querySelector('table.integrations')`)
	if !strings.Contains(val(pub, `document.querySelector('table.integrations .badge').className`), "state-live") {
		t.Error("the public page does not show the integration live")
	}
	if ev := val(pub, `(document.querySelector('.evidenced') || {}).innerText || ""`); !strings.Contains(ev, want) {
		t.Errorf("public page: %q, want %q", ev, want)
	}
	shot(pub, "project")

	// The public page of an agency at one end: the same judgement, linked
	// to the project's public page.
	ag := b.open(t, "/agencies/moh?lang="+lang, 1280, 900)
	ag.waitFor(t, `document.querySelector('table.integrations')`)
	if !strings.Contains(val(ag, `document.querySelector('table.integrations .badge').className`), "state-live") {
		t.Error("the agency's public page does not show the integration live")
	}
	if href := val(ag, `document.querySelector('table.integrations a').getAttribute('href')`); href != "/projects/e-rx" {
		t.Errorf("the agency's page links the integration to %q, want /projects/e-rx", href)
	}
	shot(ag, "agency")
}
