package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/qrdecode"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// sealFixture closes a meeting with a decision on a public project and
// accepts a report on it, all by a secretariat person with a display name.
// It returns the codes of the decision, the minutes and the report.
func sealFixture(t *testing.T, e testkit.Engine) (env *scenario.Env, decision, minutes, report string, reportID int64) {
	t.Helper()
	env = scenario.New(t, e)
	ctx, svc, sys := env.Ctx, env.Svc, service.System
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for code, name := range map[string]domain.Text{"moh": domain.T("وزارت بهداشت", "Ministry of Health"), "ito": domain.T("سازمان فناوری اطلاعات", "ITO")} {
		must(svc.CreateAgency(ctx, sys, &domain.Agency{Code: code, Name: name, Kind: domain.AgencyOrganization}))
	}
	must(svc.CreateLaw(ctx, sys, &domain.Law{Slug: "plan7", Title: domain.T("برنامه هفتم", "Seventh plan"), Articles: []domain.Article{{Number: "1"}}}))
	must(svc.CreateProject(ctx, sys, &domain.Project{Slug: "e-rx", Title: domain.T("نسخه الکترونیک", "Electronic prescription"),
		Scope: domain.T("نسخه الکترونیک", "e-prescription"), Kind: domain.KindService, Confidentiality: domain.Public, Status: domain.Proposed,
		Agencies:     []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}},
		Mandates:     []domain.Mandate{{Law: "plan7", Article: "1"}},
		Deliverables: []domain.Deliverable{{Title: domain.T("استقرار", "roll-out"), Indicator: domain.T("سهم", "share"), Target: "100%"}}}))
	_, err := svc.CreateUser(ctx, sys, &domain.User{Username: "sara", DisplayName: domain.T("سارا احمدی", "Sara Ahmadi"),
		Role: string(service.RoleSecretariat), Active: true}, "correct horse battery staple")
	must(err)
	sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
	must(svc.CreateSeries(ctx, sec, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), Kind: domain.SeriesCouncil}))
	d := domain.MustDate("2024-03-01")
	_, err = svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: 26, Date: &d})
	must(err)
	_, err = svc.HoldMeeting(ctx, sec, "itec-26", 0)
	must(err)
	_, _, err = svc.RecordOutcome(ctx, sec, "itec-26", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "26/1",
		Text: domain.T("نسخه الکترونیک سراسری شود", "Roll e-prescription out nationwide"), Projects: []string{"e-rx"}})
	must(err)
	_, err = svc.CloseMeeting(ctx, sec, "itec-26", 0)
	must(err)
	moh := service.Actor{Name: "token:moh-bot", Role: service.RoleAgency, Agency: "moh"}
	must(svc.CreateBaseline(ctx, sec, &domain.Baseline{Project: "e-rx", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2025-12-31"),
		Cost: 1_000_000, ApprovedBy: domain.T("شورا", "council"), Approved: domain.DatePtr("2024-01-01"), Reference: "26/1"}))
	r := &domain.Report{Project: "e-rx", Period: "1402-11", Narrative: domain.T("پیشرفت خوب", "good progress")}
	must(svc.CreateReport(ctx, moh, r))
	_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
	must(err)
	_, err = svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
	must(err)
	one := func(kind, ref string) string {
		codes, err := svc.PublishedCodes(ctx, kind, ref)
		if err != nil || len(codes) != 1 {
			t.Fatalf("%s %s: %v %v", kind, ref, codes, err)
		}
		return codes[0]
	}
	return env, one("decision", "itec-26/26/1"), one("minutes", "itec-26"), one("report", "report/"+strconv.FormatInt(r.ID, 10)), r.ID
}

var inlineSVG = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// TestSealsInAPI: the API's decisions, meeting and report answers carry
// the verification code and an absolute verify_url (the request's host, or
// the public URL when set); the Atom feed links each decision's page; the
// QR endpoint draws the verification address, which reads back; the page
// says what the document is and who issued it by name, never by internal
// id.
func TestSealsInAPI(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env, decision, minutes, report, reportID := sealFixture(t, e)
		srv := env.Serve() // the API and the site: the verification page is the site's
		// With a public URL, every address is on it, whatever the Host.
		const public = "https://pishran.example.ir"
		pub := env.Serve(scenario.Auth(api.AuthConfig{PublicURL: public + "/"}))
		getJSON := func(srv *scenario.Server, path string, v any) {
			t.Helper()
			if r := srv.Get(path, ""); r.Status != http.StatusOK || json.Unmarshal(r.Body, v) != nil {
				t.Fatalf("%s: %s", path, r)
			}
		}
		type sealed struct {
			Code string `json:"verification_code"`
			URL  string `json:"verify_url"`
		}
		check := func(what string, got sealed, code, base string) {
			t.Helper()
			if got.Code != code || got.URL != base+"/verify/"+code {
				t.Errorf("%s: %+v, want %s at %s", what, got, code, base)
			}
		}
		host := srv.URL // the request's Host
		var ds struct{ Items []sealed }
		getJSON(srv, "/api/v1/decisions", &ds)
		if len(ds.Items) != 1 {
			t.Fatalf("decisions: %+v", ds)
		}
		check("decision", ds.Items[0], decision, host)
		var m struct {
			sealed
			Outcomes []sealed
		}
		getJSON(srv, "/api/v1/meetings/itec-26", &m)
		check("meeting", m.sealed, minutes, host)
		if len(m.Outcomes) != 1 {
			t.Fatalf("outcomes: %+v", m.Outcomes)
		}
		check("meeting's decision", m.Outcomes[0], decision, host)
		var rep sealed
		getJSON(srv, "/api/v1/reports/"+strconv.FormatInt(reportID, 10), &rep)
		check("report", rep, report, host)
		var reps struct{ Items []sealed }
		getJSON(srv, "/api/v1/reports?project=e-rx", &reps)
		if len(reps.Items) != 1 {
			t.Fatalf("reports: %+v", reps)
		}
		check("reports list", reps.Items[0], report, host)

		// The minutes, public: the code, the address and its QR code; each
		// decision's code.
		for _, lang := range []string{"fa", "en"} {
			_, _, html := srv.Get("/api/v1/meetings/itec-26/minutes?format=html&lang="+lang, "").Parts()
			if got, err := qrdecode.SVG([]byte(inlineSVG.FindString(html)), 4); err != nil || got != host+"/verify/"+minutes ||
				!strings.Contains(html, minutes) || !strings.Contains(html, `href="`+host+`/verify/`+decision+`"`) {
				t.Errorf("%s minutes (QR %q, %v):\n%s", lang, got, err, html)
			}
			_, _, md := srv.Get("/api/v1/meetings/itec-26/minutes?lang="+lang, "").Parts()
			if !strings.Contains(md, "<"+host+"/verify/"+minutes+">") || !strings.Contains(md, "("+host+"/verify/"+minutes+"/qr.svg)") ||
				!strings.Contains(md, "<"+host+"/verify/"+decision+">") {
				t.Errorf("%s Markdown minutes:\n%s", lang, md)
			}
		}

		// The feed links each decision's verification page, and names the code.
		_, _, feed := srv.Get("/api/v1/decisions.atom?lang=en", "").Parts()
		if !strings.Contains(feed, `<link rel="related" href="/verify/`+decision+`" type="text/html"`) || !strings.Contains(feed, "Verification code: "+decision) {
			t.Errorf("feed:\n%s", feed)
		}

		// The QR code, served, and on the page.
		code, h, svg := srv.Get("/verify/"+strings.ToLower(decision)+"/qr.svg", "").Parts()
		if code != http.StatusOK || h.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("qr.svg: %d %v", code, h)
		}
		if got, err := qrdecode.SVG([]byte(svg), 4); err != nil || got != host+"/verify/"+decision {
			t.Errorf("qr.svg reads %q (%v)", got, err)
		}
		if code, _, _ := srv.Get("/verify/ABCDE-FGHJ0/qr.svg", "").Parts(); code != http.StatusNotFound {
			t.Errorf("qr.svg of an unknown code: %d", code)
		}
		for _, c := range []struct {
			code string
			want []string
		}{
			{decision, []string{"مصوبه", "Decision", "شورای اجرایی فناوری اطلاعات", "IT Executive Council", "Issued by", "مرجع صدور",
				"Secretariat of the IT Executive Council — Sara Ahmadi", "سارا احمدی", "26/1", `href="/projects/e-rx"`, "Electronic prescription",
				`href="/api/v1/meetings/itec-26/minutes?format=html&amp;lang=fa"`, `href="/decisions"`, "session 26", "2024-03-01",
				"Roll e-prescription out nationwide", "سند سالم است", "Intact."}},
			{minutes, []string{"صورت‌جلسه", "Minutes", "IT Executive Council", "Sara Ahmadi", "the published minutes"}},
			{report, []string{"گزارش پیشرفت پذیرفته‌شده", "Accepted progress report", "Reported by", "Ministry of Health", "وزارت بهداشت",
				"Accepted and published by", "Sara Ahmadi", "1402-11", "good progress", `href="/projects/e-rx"`}},
		} {
			code, _, page := srv.Get("/verify/"+c.code, "").Parts()
			if code != http.StatusOK {
				t.Fatalf("%s: %d", c.code, code)
			}
			for _, want := range c.want {
				if !strings.Contains(page, want) {
					t.Errorf("%s: the page lacks %q", c.code, want)
				}
			}
			for _, internal := range []string{"user:", "token:", "sara<", ">sara", "moh-bot", "recorded_by", "recorded by"} {
				if strings.Contains(page, internal) {
					t.Errorf("%s: the page shows the internal %q", c.code, internal)
				}
			}
			if got, err := qrdecode.SVG([]byte(inlineSVG.FindString(page)), 4); err != nil || got != host+"/verify/"+c.code {
				t.Errorf("%s: the page's QR code reads %q (%v)", c.code, got, err)
			}
			if !strings.Contains(page, `<a href="`+host+"/verify/"+c.code+`" dir="ltr">`) {
				t.Errorf("%s: the page does not give its own address", c.code)
			}
		}

		// With a public URL, every address is on it, whatever the Host.
		getJSON(pub, "/api/v1/decisions", &ds)
		check("decision on the public URL", ds.Items[0], decision, public)
		svg = pub.Get("/verify/"+decision+"/qr.svg", "").Text()
		if got, err := qrdecode.SVG([]byte(svg), 4); err != nil || got != public+"/verify/"+decision {
			t.Errorf("qr.svg on the public URL reads %q (%v)", got, err)
		}
		feed = pub.Get("/api/v1/decisions.atom", "").Text()
		if !strings.Contains(feed, `href="`+public+`/verify/`+decision+`"`) || !strings.Contains(feed, "کد تصدیق: "+decision) {
			t.Errorf("feed on the public URL:\n%s", feed)
		}

		// The project made confidential since: the verdict stands, but the
		// page no longer says what the documents said about it.
		p, err := env.Svc.Project(env.Ctx, service.System, "e-rx")
		if err != nil {
			t.Fatal(err)
		}
		p.Confidentiality = domain.Confidential
		if err := env.Svc.UpdateProject(env.Ctx, service.System, p.Project); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{decision, minutes, report} {
			code, h, page := srv.Get("/verify/"+c, "").Parts()
			if code != http.StatusOK || h.Get("Pishran-Verdict") != "intact" || !strings.Contains(page, "not public now") {
				t.Errorf("%s after e-rx became confidential: %d %s", c, code, h.Get("Pishran-Verdict"))
			}
			for _, leak := range []string{"e-rx", "Electronic prescription", "نسخه الکترونیک", "Roll e-prescription", "good progress"} {
				if strings.Contains(page, leak) {
					t.Errorf("%s after e-rx became confidential shows %q", c, leak)
				}
			}
			// Nor does the signed file, asked for as JSON.
			code, h, file := srv.Get("/verify/"+c+"?format=json", "").Parts()
			if code != http.StatusForbidden || h.Get("Pishran-Verdict") != "intact" || !strings.Contains(h.Get("Content-Type"), "problem+json") {
				t.Errorf("%s?format=json after e-rx became confidential: %d %q %q", c, code, h.Get("Pishran-Verdict"), h.Get("Content-Type"))
			}
			for _, leak := range []string{"e-rx", "Electronic prescription", "نسخه الکترونیک", "Roll e-prescription", "good progress"} {
				if strings.Contains(file, leak) {
					t.Errorf("%s?format=json after e-rx became confidential shows %q", c, leak)
				}
			}
		}
	})
}
