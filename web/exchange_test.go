package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// exchangeRecords writes op-monitoring records of n messages of client to
// service (both servers' logs), the first at t, one a minute, every tenth
// failed; plus one record of an identity nobody mapped.
func exchangeRecords(client, service string, t time.Time, n int) string {
	c, _ := exchange.ParseSubsystem(client)
	s, _ := exchange.ParseService(service)
	var b strings.Builder
	b.WriteString(`{"records":[`)
	rec := func(side string, c exchange.Subsystem, ms int64, ok bool) string {
		return fmt.Sprintf(`{"securityServerType":%q,"requestInTs":%d,"responseOutTs":%d,"succeeded":%v,`+
			`"clientXRoadInstance":%q,"clientMemberClass":%q,"clientMemberCode":%q,"clientSubsystemCode":%q,`+
			`"serviceXRoadInstance":%q,"serviceMemberClass":%q,"serviceMemberCode":%q,"serviceSubsystemCode":%q,"serviceCode":%q,"xRequestId":"r-%d"}`,
			side, ms, ms+120, ok, c.Instance, c.Class, c.Member.Code, c.Code,
			s.Provider.Instance, s.Provider.Class, s.Provider.Member.Code, s.Provider.Code, s.Code, ms)
	}
	for i := range n {
		ms := t.Add(time.Duration(i) * time.Minute).UnixMilli()
		b.WriteString(rec("Client", c, ms, i%10 != 9) + "," + rec("Producer", c, ms+5, i%10 != 9) + ",\n")
	}
	stray := exchange.Subsystem{Member: exchange.Member{Instance: "IR", Class: "GOV", Code: "NEW9"}, Code: "x"}
	b.WriteString(rec("Client", stray, t.UnixMilli(), true) + "]}")
	return b.String()
}

// TestExchangePages: a focal point declares an integration of its project
// from the staff page, tied to a milestone; once the exchange's telemetry
// is in, the public project page (both languages) shows it live with its
// sparkline, first seen and last success, and the milestone "evidenced by
// the exchange since" the day of the first success; a stale edit is
// refused; the secretariat maps the identity the import did not know; the
// open data lists the day, and no confidential project's integration.
func TestExchangePages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			sc := scenario.New(t, e, scenario.Reference())
			srv := serve(t, sc, scenario.Site(web.Options{}))
			se := &staffEnv{env: srv, Staff: sc.Staff()}
			ctx, svc, sys := sc.Ctx, sc.Svc, service.System
			testkit.Must(t, svc.CreateMilestone(ctx, sys, &domain.Milestone{Project: "e-rx", Title: domain.T("اتصال به بیمه", "insurer link"),
				Planned: domain.DatePtr(se.Today.AddDays(30).String()), Weight: 1}))
			ms, err := svc.Milestones(ctx, sys, "e-rx")
			testkit.Must(t, err)
			milestone := ms[len(ms)-1].ID
			for ident, agency := range map[string]string{"IR/GOV/MOH/rx": "moh", "IR/GOV/ITO/gsb": "ito", "IR/GOV/TAX/secret": "tax"} {
				sub, _ := exchange.ParseSubsystem(ident)
				testkit.Must(t, svc.SaveMapping(ctx, sys, &exchange.Mapping{Subsystem: sub, Agency: agency}))
			}

			// Declared from the staff page by moh's focal point (moh leads e-rx).
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("moh-focal"), "/staff/projects/e-rx/integrations", lang).CheckPage(t, http.StatusOK, lang)
			}
			bad := se.Form(se.SignIn("moh-focal"), "/staff/projects/e-rx/integrations?lang=en", url.Values{"client": {"IR/GOV"}, "service": {"IR/GOV/ITO/gsb/inquiry"}}, nil)
			if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Text(), "INSTANCE/CLASS/CODE/SUBSYSTEM") {
				t.Errorf("a bad identity: %d\n%s", bad.Status, scenario.Clip(bad.Text()))
			}
			se.Form(se.SignIn("moh-focal"), "/staff/projects/e-rx/integrations", url.Values{"client": {"IR/GOV/MOH/rx"},
				"service": {"IR/GOV/ITO/gsb/inquiry"}, "milestone": {fmt.Sprint(milestone)}, "max_failure": {"20"}}, nil).RedirectsTo(t, "/staff/projects/e-rx/integrations?done=declared")
			ds, err := svc.Declared(ctx, sys, "e-rx")
			testkit.Must(t, err)
			if len(ds) != 1 || ds[0].Milestone == nil || *ds[0].Milestone != milestone || ds[0].Policy.MaxFailureRate != 0.2 {
				t.Fatalf("declared: %+v", ds)
			}
			id := ds[0].ID
			if r := se.Form(se.SignIn("tax-focal"), "/staff/projects/e-rx/integrations", url.Values{"client": {"IR/GOV/TAX/secret"}, "service": {"IR/GOV/ITO/gsb/inquiry"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency not leading the project declared: %d", r.Status)
			}
			// The confidential project's own declaration (tax leads secret-rx).
			testkit.Must(t, svc.Declare(ctx, sys, &exchange.Declared{Project: "secret-rx", Integration: exchange.Integration{
				Client:  exchange.Subsystem{Member: exchange.Member{Instance: "IR", Class: "GOV", Code: "TAX"}, Code: "secret"},
				Service: exchange.Service{Provider: exchange.Subsystem{Member: exchange.Member{Instance: "IR", Class: "GOV", Code: "ITO"}, Code: "gsb"}, Code: "hidden"}}}))

			// Never seen yet.
			page := srv.Page("", "/projects/e-rx", "en").Text()
			if !strings.Contains(page, "never seen") || strings.Contains(page, "evidenced by the exchange since") {
				t.Errorf("before any traffic:\n%s", scenario.Clip(page[strings.Index(page, "exchange-title"):]))
			}
			start := exchange.DayStart(exchange.DayOf(time.Now().Add(-72 * time.Hour))).Add(12 * time.Hour) // noon, Tehran
			for _, f := range []string{exchangeRecords("IR/GOV/MOH/rx", "IR/GOV/ITO/gsb/inquiry", start, 30),
				exchangeRecords("IR/GOV/TAX/secret", "IR/GOV/ITO/gsb/hidden", start, 5)} {
				_, err := svc.ImportExchange(ctx, sys, strings.NewReader(f), "test")
				testkit.Must(t, err)
			}
			first := exchange.DayOf(start)
			for _, lang := range []string{"fa", "en"} {
				r := srv.Page("", "/projects/e-rx", lang)
				r.CheckPage(t, http.StatusOK, lang)
				page := r.Text()
				want := map[string][]string{
					"fa": {"برقرار", "به گواهی مرکز تبادل از", `<svg class="spark"`, `datetime="` + first.String() + `"`},
					"en": {"live", "evidenced by the exchange since", `<svg class="spark"`, `datetime="` + first.String() + `"`, "27 succeeded, 3 failed"},
				}[lang]
				for _, w := range want {
					if !strings.Contains(page, w) {
						t.Errorf("%s project page lacks %q", lang, w)
					}
				}
			}
			owes := se.Page(se.SignIn("moh-focal"), "/staff/agencies/moh/owes", "en").Text()
			if !strings.Contains(owes, "/staff/projects/e-rx/integrations") || !strings.Contains(owes, "IR/GOV/MOH/rx → IR/GOV/ITO/gsb/inquiry") ||
				strings.Contains(owes, "gsb/hidden") {
				t.Errorf("the agency's page:\n%s", scenario.Clip(owes))
			}
			if r := srv.Page("", "/projects/secret-rx", "en"); r.Status != http.StatusNotFound {
				t.Errorf("the confidential project's page: %d", r.Status)
			}
			csv := srv.Page("", "/data/exchange-daily.csv", "").Text()
			if !strings.Contains(csv, "e-rx,IR/GOV/MOH/rx,IR/GOV/ITO/gsb/inquiry,moh,ito,27,3") || strings.Contains(csv, "secret") || strings.Contains(csv, "gsb/hidden") {
				t.Errorf("open data:\n%s", csv)
			}

			// A stale edit is refused; a fresh one is taken.
			edit := url.Values{"milestone": {fmt.Sprint(milestone)}, "silent_days": {"21"}}
			r := se.Form(se.SignIn("moh-focal"), fmt.Sprintf("/staff/projects/e-rx/integrations/%d?v=%d&lang=en", id, ds[0].Version+1), edit, nil)
			if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Text(), "The record changed after this page was opened") {
				t.Errorf("stale edit: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			se.Form(se.SignIn("moh-focal"), fmt.Sprintf("/staff/projects/e-rx/integrations/%d?v=%d", id, ds[0].Version), edit, nil).RedirectsTo(t, "/staff/projects/e-rx/integrations?done=changed")

			// The identity the import did not know is offered for mapping.
			ex := se.Page(se.SignIn("sec"), "/staff/exchange", "en").Text()
			if !strings.Contains(ex, "IR/GOV/NEW9/x") || !strings.Contains(ex, "/staff/exchange?identity=IR%2fGOV%2fNEW9%2fx") {
				t.Errorf("unknown identity not offered:\n%s", ex[strings.Index(ex, "sx-imports-title"):])
			}
			se.Form(se.SignIn("sec"), "/staff/exchange/identities", url.Values{"identity": {"IR/GOV/NEW9/x"}, "agency": {"ito"}}, nil).RedirectsTo(t, "/staff/exchange?done=mapped")
			if ex := se.Page(se.SignIn("sec"), "/staff/exchange", "en").Text(); strings.Contains(ex, "identity=IR%2fGOV%2fNEW9%2fx") {
				t.Error("a mapped identity is still offered")
			}
			if r := se.Page(se.SignIn("reader1"), "/staff/exchange", "en"); r.Status != http.StatusForbidden {
				t.Errorf("a reader reads the exchange's registry: %d", r.Status)
			}
		})
	}
}

// plantExchange gives the scan's confidential project a declared
// integration (its note carries the marker) between identities that carry
// it too, with a day of traffic: no public answer may name them.
func plantExchange(t *testing.T, e *env) {
	t.Helper()
	ctx, svc, sys := context.Background(), e.svc, service.System
	client := "IR/GOV/" + marker + "-ito/sys"
	sub, _ := exchange.ParseSubsystem(client)
	testkit.Must(t, svc.SaveMapping(ctx, sys, &exchange.Mapping{Subsystem: sub, Agency: "ito", Name: mt("identity")}))
	svcID, _ := exchange.ParseService("IR/GOV/SABT/" + marker + "-svc/query")
	testkit.Must(t, svc.SaveExchangeService(ctx, sys, &exchange.ServiceInfo{Service: svcID, Title: mt("service")}))
	testkit.Must(t, svc.Declare(ctx, sys, &exchange.Declared{Project: confSlug, Integration: exchange.Integration{Client: sub, Service: svcID},
		Note: mt("integration")}))
	_, err := svc.ImportExchange(ctx, sys, strings.NewReader(exchangeRecords(client, svcID.String(), time.Now().Add(-24*time.Hour), 3)), "scan")
	testkit.Must(t, err)
}
