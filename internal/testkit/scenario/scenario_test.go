package scenario_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestServeBothFaces: Serve answers the API and the pages on one server,
// and the client's checks read what they answer.
func TestServeBothFaces(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e, scenario.Reference())
		srv := env.Serve()
		list := srv.Must(srv.Get("/api/v1/projects?limit=2", ""), http.StatusOK)
		if items := list.Items(t); len(items) != 2 || list.At(t, "items", 0, "slug") != items[0]["slug"] {
			t.Fatalf("list: %s", list)
		}
		p := srv.Get("/api/v1/projects?limit=x", "").Field(t, http.StatusBadRequest, "limit")
		if p.Message.FA == "" {
			t.Errorf("problem %+v", p)
		}
		home := srv.Page("", "/", "en")
		if home.Status != http.StatusOK || !strings.Contains(home.Header.Get("Content-Type"), "text/html") || !strings.Contains(home.Text(), "<html") {
			t.Fatalf("home page: %d %s", home.Status, home.Header.Get("Content-Type"))
		}
		// A write with its ETag, as the secretariat.
		a := srv.Create("/api/v1/agencies", map[string]any{"code": "tst", "name": scenario.Text("آزمون", "Test"), "kind": "other"})
		if a["code"] != "tst" {
			t.Fatalf("created %v", a)
		}
		etag := srv.ETagOf("/api/v1/agencies/tst")
		srv.Must(srv.Put("/api/v1/agencies/tst", srv.Secretariat(), `"v0-0000000000000000"`, map[string]any{"code": "tst",
			"name": scenario.Text("آزمون", "Tested"), "kind": "other"}), http.StatusPreconditionFailed)
		srv.Must(srv.Put("/api/v1/agencies/tst", srv.Secretariat(), etag, map[string]any{"code": "tst",
			"name": scenario.Text("آزمون", "Tested"), "kind": "other"}), http.StatusOK)
		if got := srv.Get("/api/v1/agencies/tst", "").At(t, "name", "en"); got != "Tested" {
			t.Fatalf("after the update: %v", got)
		}

		if api := env.Serve(scenario.APIOnly()).Get("/", ""); api.Status != http.StatusNotFound {
			t.Errorf("APIOnly serves the home page: %d", api.Status)
		}
		if site := env.Serve(scenario.SiteOnly()); site.Get("/api/v1/projects", "").Status != http.StatusNotFound ||
			site.Page("", "/", "").Status != http.StatusOK {
			t.Errorf("SiteOnly: the API answered, or the home page did not")
		}
	})
}

// TestStaffSignIn: the staff scenario's accounts sign in, and a session
// opens the workspace that the public is sent away from.
func TestStaffSignIn(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := scenario.New(t, e, scenario.Reference()).Staff()
		if se.MohReport == 0 || se.TaxReport == 0 || se.Action == 0 || se.LastMonth != domain.PeriodOf(se.Today).Add(-1) {
			t.Fatalf("staff scenario: %+v", se)
		}
		srv := se.Serve()
		if r := srv.Page(se.SignIn("sec"), "/staff", "en"); r.Status != http.StatusOK || !strings.Contains(r.Text(), "e-rx") {
			t.Fatalf("the secretariat's dashboard: %d", r.Status)
		}
		if se.SignIn("sec") != se.SignIn("sec") {
			t.Error("a second sign-in made a second session")
		}
		if r := srv.Page("", "/staff", ""); r.Status != http.StatusSeeOther {
			t.Fatalf("the public at /staff: %d", r.Status)
		}
		r := srv.Form("", "/login", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil)
		if r.Status != http.StatusSeeOther || r.Cookie("pishran_session") == nil {
			t.Fatalf("sign-in form: %d, cookies %v", r.Status, r.Header.Values("Set-Cookie"))
		}
	})
}

// TestBuilders: the builders record what they say, on both engines.
func TestBuilders(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(6).Meetings().FollowUp("2024-06-10")
		svc, ctx := env.Svc, env.Ctx
		g, err := svc.Program(ctx, service.System, "gov14")
		if err != nil || g.Named != 5 || g.Main != 3 || g.Confidential != 1 {
			t.Fatalf("gov14: %v %+v", err, g)
		}
		if _, err := svc.Series(ctx, "steer"); err != nil {
			t.Fatal(err)
		}
		if env.Clock == nil || env.Clock.Now() != time.Date(2024, 6, 10, 10, 0, 0, 0, time.UTC) {
			t.Fatalf("clock %v", env.Clock)
		}
		ms, err := svc.Milestones(ctx, service.Anonymous, "p0")
		if err != nil || len(ms) != 1 {
			t.Fatalf("milestones: %v %v", err, ms)
		}
		tok := env.Token(service.RoleAgency, "moh")
		a, err := svc.Authenticate(ctx, tok)
		if err != nil || a.Role != service.RoleAgency || a.Agency != "moh" {
			t.Fatalf("token: %v %+v", err, a)
		}
		env.User("ali", service.RoleReader, "", "a good long password")
		if s := env.Session("ali", "a good long password"); s == "" {
			t.Fatal("no session")
		}
		at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		if c := scenario.New(t, e, scenario.At(at)).Clock; c == nil || !c.Now().Equal(at) {
			t.Fatalf("At: %v", c)
		}
	})
}

// TestDataset: a data set is loaded once and shared; Once runs its work
// once per data set.
func TestDataset(t *testing.T) {
	a := scenario.New(t, testkit.SQLite, scenario.Dataset("reference"))
	b := scenario.New(t, testkit.SQLite, scenario.Dataset("reference"))
	if a.Svc != b.Svc {
		t.Fatal("two services over one data set")
	}
	n := 0
	for _, env := range []*scenario.Env{a, b} {
		if err := env.Once("count", func(*scenario.Env) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if n != 1 {
		t.Fatalf("Once ran %d times", n)
	}
	ps, err := a.Svc.Projects(a.Ctx, service.Anonymous, domain.ProjectFilter{}, domain.Page{Limit: 5})
	if err != nil || len(ps) != 5 {
		t.Fatalf("reference projects: %v %d", err, len(ps))
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	scenario.CloseDatasets()
	os.Exit(code)
}

// TestPageClient: the site's side of the client — a page in a language
// with a session and its checks, a redirect reported and followed, a form
// whose default headers a test takes away, an uploaded file, a GET asking
// for a media type, and a server over TLS — each check failing on what it
// must refuse.
func TestPageClient(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := scenario.New(t, e, scenario.Reference()).Staff()
		srv := se.Serve()
		srv.Page(se.SignIn("sec"), "/staff", "fa").CheckPage(t, http.StatusOK, "fa")
		srv.Page("", "/", "en").CheckPage(t, http.StatusOK, "en")
		if se.SignIn("") != "" {
			t.Error(`SignIn("") made a session`)
		}
		out := srv.Page("", "/staff", "")
		out.RedirectsTo(t, "/login")
		login := srv.Follow("", out, "en")
		login.CheckPage(t, http.StatusOK, "en")
		if !strings.Contains(login.URL, "/login") || login.Cookie("pishran_lang") == nil || len(login.Cookies()) == 0 {
			t.Errorf("followed to %s, cookies %v", login.URL, login.Cookies())
		}
		// The checks fail on what they must refuse (a fake T records it).
		var fake failT
		(&scenario.Response{URL: srv.URL + "/", Status: 200, Body: []byte(`<html lang="en" dir="ltr">`)}).Lang(&fake, "fa")
		if !fake.failed {
			t.Error("Lang took an English page for Persian")
		}
		// A header set to "" is not sent: a form without Sec-Fetch-Site
		// from another origin is refused like a cross-site one.
		f := url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}
		if r := srv.Form("", "/login", f, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": ""}); r.Status != http.StatusForbidden {
			t.Errorf("cross-origin form without Sec-Fetch-Site: %d", r.Status)
		}
		up := srv.Upload(se.SignIn("sec"), "/staff/import?lang=en", nil, &scenario.File{Name: "agencies.csv",
			Content: []byte("Code,Name (Persian),Name (English),Kind\nag-x,دستگاه ایکس,Agency X,organization\n")}, nil)
		up.RedirectsTo(t, "/staff/import/")
		if r := srv.Accepting("/verify/AAAAA-AAAAA", "application/json"); r.Status != http.StatusNotFound ||
			r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("verify as JSON: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		if r := se.Serve(scenario.TLS()).Page("", "/healthz", ""); r.Status != http.StatusOK || !strings.HasPrefix(r.URL, "https://") {
			t.Errorf("over TLS: %d %s", r.Status, r.URL)
		}
	})
}

// failT is a testing.TB that records a failure instead of failing.
type failT struct {
	testing.TB
	failed bool
}

func (f *failT) Helper()               {}
func (f *failT) Errorf(string, ...any) { f.failed = true }
