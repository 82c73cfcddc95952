package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// The staff workspace's tests share one fixture over the reference
// dataset: accounts of every role, two agencies of our own (moh, tax), a
// law, projects that meet every rule (e-rx), that break two (solo-rx: one
// agency, no mandate) and a confidential one tax leads (secret-rx), with
// baselines, ratings, a held meeting with an overdue action, a planned
// meeting for today, and reports by moh and by tax.

const staffPassword = "correct horse battery staple"

// The fixture's accounts, by role.
var staffUsers = map[string]struct {
	role   service.Role
	agency string
}{
	"sec":       {service.RoleSecretariat, ""},
	"admin1":    {service.RoleAdmin, ""},
	"council1":  {service.RoleCouncil, ""},
	"reader1":   {service.RoleReader, ""},
	"moh-focal": {service.RoleAgency, "moh"},
	"tax-focal": {service.RoleAgency, "tax"},
}

// staffEnv is the server over the fixture, with what the fixture made.
type staffEnv struct {
	*env
	ctx       context.Context
	today     domain.Date
	lastMonth domain.Period
	mohReport int64 // a draft by moh on e-rx, for lastMonth
	taxReport int64 // a draft by tax on secret-rx, for lastMonth
	action    int64 // an open, overdue action owned by moh, from itec-29
	sessions  map[string]string
}

func newStaffEnv(t testing.TB, e testkit.Engine) *staffEnv {
	t.Helper()
	se := &staffEnv{env: newEnv(t, e), ctx: context.Background(), sessions: map[string]string{}}
	ctx, svc, sys := se.ctx, se.svc, service.System
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	se.today = domain.DateOf(time.Now())
	se.lastMonth = domain.PeriodOf(se.today).Add(-1)
	for code, name := range map[string]domain.Text{
		"moh": domain.T("وزارت بهداشت", "Ministry of Health"), "tax": domain.T("سازمان امور مالیاتی", "Tax Administration")} {
		must(svc.CreateAgency(ctx, sys, &domain.Agency{Code: code, Name: name, Kind: domain.AgencyOrganization}))
	}
	must(svc.CreateLaw(ctx, sys, &domain.Law{Slug: "plan7", Title: domain.T("قانون برنامه هفتم", "Seventh plan law"),
		Articles: []domain.Article{{Number: "1"}}}))
	project := func(slug, fa, en string, conf domain.Confidentiality, agencies []domain.Participation, mandates []domain.Mandate) {
		must(svc.CreateProject(ctx, sys, &domain.Project{Slug: slug, Title: domain.T(fa, en),
			Scope: domain.T("نسخه الکترونیک در سراسر کشور", "electronic prescriptions nationwide"),
			Kind:  domain.KindService, Confidentiality: conf, Status: domain.InProgress, Agencies: agencies, Mandates: mandates,
			Deliverables: []domain.Deliverable{{Title: domain.T("استقرار", "roll-out"),
				Indicator: domain.T("سهم نسخه الکترونیک", "share of e-prescriptions"), Target: "100%"}}}))
	}
	two := []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}
	plan := []domain.Mandate{{Law: "plan7", Article: "1"}}
	project("e-rx", "نسخه الکترونیک", "Electronic prescription", domain.Public, two, plan)
	project("solo-rx", "نسخه تک‌دستگاهی", "Single-agency prescription", domain.Public,
		[]domain.Participation{{Agency: "moh", Role: domain.RoleLead}}, nil)
	project("secret-rx", "نسخه محرمانه", "Confidential prescription", domain.Confidential,
		[]domain.Participation{{Agency: "tax", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}, plan)

	for name, u := range staffUsers {
		_, err := svc.CreateUser(ctx, sys, &domain.User{Username: name, DisplayName: domain.T(name, name), Role: string(u.role),
			Agency: u.agency, Active: true}, staffPassword)
		must(err)
	}
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	tax := service.Actor{Name: "user:tax-focal", Role: service.RoleAgency, Agency: "tax"}

	// Baselines from a year ago, so reports are owed.
	start, end := se.today.AddDays(-365), se.today.AddDays(365)
	approved := se.today.AddDays(-300)
	for _, p := range []string{"e-rx", "secret-rx"} {
		must(svc.CreateBaseline(ctx, sec, &domain.Baseline{Project: p, Start: &start, End: &end, Cost: 1_000_000_000,
			ApprovedBy: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), Approved: &approved, Reference: "26/1402"}))
	}
	// Ratings: the council rated e-rx 4 two months ago and 3 last month
	// (a drop); moh rated it 4.
	d1, d2 := se.today.AddDays(-60), se.today.AddDays(-25)
	must(svc.Rate(ctx, sec, &domain.Rating{Project: "e-rx", Kind: domain.CouncilRating, Score: 4, Date: &d1, Comment: domain.T("خوب", "good")}))
	must(svc.Rate(ctx, sec, &domain.Rating{Project: "e-rx", Kind: domain.CouncilRating, Score: 3, Date: &d2, Comment: domain.T("افت", "slipping")}))
	must(svc.Rate(ctx, moh, &domain.Rating{Project: "e-rx", Kind: domain.SelfRating, Score: 4, Date: &d2, Comment: domain.T("روبه‌راه", "on track")}))

	// A meeting series; session 29 held ten days ago with an action for
	// moh due five days ago (overdue); session 30 planned for today.
	must(svc.CreateSeries(ctx, sec, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
		Kind: domain.SeriesCouncil}))
	held := se.today.AddDays(-10)
	_, err := svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: 29, Date: &held})
	must(err)
	_, err = svc.HoldMeeting(ctx, sec, "itec-29", 0)
	must(err)
	due := se.today.AddDays(-5)
	_, act, err := svc.RecordOutcome(ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &due,
		Description: domain.T("اتصال داروخانه‌ها", "Connect the pharmacies"), Projects: []string{"e-rx"}})
	must(err)
	se.action = act.ID
	_, err = svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: 30, Date: &se.today,
		Title: domain.T("جلسه سی‌ام", "Thirtieth session")})
	must(err)

	// Reports: moh's draft on e-rx, tax's on secret-rx.
	r := &domain.Report{Project: "e-rx", Period: se.lastMonth, Narrative: domain.T("پیشرفت خوب", "good progress")}
	must(svc.CreateReport(ctx, moh, r))
	se.mohReport = r.ID
	r = &domain.Report{Project: "secret-rx", Period: se.lastMonth, Narrative: domain.T("محرمانه", "confidential")}
	must(svc.CreateReport(ctx, tax, r))
	se.taxReport = r.ID
	return se
}

// session signs name in (through the service, as the sign-in page does)
// and returns the cookie's value.
func (se *staffEnv) session(t testing.TB, name string) string {
	t.Helper()
	if s, ok := se.sessions[name]; ok {
		return s
	}
	sess, err := se.svc.Login(se.ctx, name, staffPassword, service.Client{Address: "127.0.0.1"}, service.SessionPolicy{})
	if err != nil {
		t.Fatal(err)
	}
	se.sessions[name] = sess.Secret
	return sess.Secret
}

// as fetches path as the signed-in name ("" for the public), in lang.
func (se *staffEnv) as(t testing.TB, name, path, lang string) resp {
	t.Helper()
	h := http.Header{}
	if name != "" {
		h.Set("Cookie", "pishran_session="+se.session(t, name))
	}
	if lang != "" {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
		path = u.String()
	}
	return se.do(http.MethodGet, path, h)
}

// post sends a form as name ("" for the public), from this site unless
// header says otherwise.
func (se *staffEnv) post(t testing.TB, name, path string, form url.Values, header http.Header) resp {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, se.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", se.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if name != "" {
		req.Header.Set("Cookie", "pishran_session="+se.session(t, name))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{res, b}
}

// redirectTo asserts r is a 303 to a location starting with want.
func redirectTo(t testing.TB, r resp, want string) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), want) {
		t.Fatalf("%s %s: %d to %q, want 303 to %s…\n%s", r.Request.Method, r.Request.URL, r.StatusCode, r.Header.Get("Location"), want, clip(r.text()))
	}
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
