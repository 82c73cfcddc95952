package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/textnorm"
)

// searchProject records a public project with a title and summary of its
// own (GoodProject's rules otherwise).
func searchProject(t *testing.T, env *scenario.Env, slug, fa, en, summary string) *domain.Project {
	t.Helper()
	p := scenario.GoodProject(slug)
	p.Title, p.Summary = domain.T(fa, en), domain.T(summary, "")
	testkit.Must(t, env.Svc.CreateProject(env.Ctx, service.System, p))
	return p
}

// found runs a search and returns the refs of its hits, in order.
func found(t *testing.T, svc *service.Service, env *scenario.Env, a service.Actor, scope service.SearchScope, q string) []string {
	t.Helper()
	r, err := svc.Search(env.Ctx, a, service.SearchRequest{Query: q, Scope: scope})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Kind + ":" + h.Ref
	}
	return out
}

// TestSearchFoldsPersian: a title is found by its words typed with Arabic
// letter forms, with or without the half-space, with any digit set, with
// diacritics; the index follows an update and a deletion at once.
func TestSearchFoldsPersian(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc := env.Svc
		searchProject(t, env, "smart", "سامانه ملی کیفیت سلامت هوشمند", "National smart health quality system", "")
		searchProject(t, env, "halfspace", "توسعه فناوری‌اطلاعات دولت", "Government IT development", "")
		searchProject(t, env, "digits", "برنامه ۱۴۰۳ پایش مراتع", "Rangeland monitoring 1403", "")
		pub := func(q string) []string { return found(t, svc, env, service.Anonymous, service.SearchPublic, q) }
		for q, want := range map[string]string{
			"سلامت هوشمند":                   "project:smart",
			"سامانه ملي كيفيت":               "project:smart", // Arabic yeh and kaf
			"\u0643\u064a\u0641\u064a\u062a": "project:smart", // كيفيت spelled out in Arabic code points
			"سَلامَتِ هوشمند":                "project:smart", // diacritics
			"سلامـــت":                       "project:smart", // tatweel
			"SMART health":                   "project:smart", // Latin case
			"فناوری اطلاعات":                 "project:halfspace",
			"فناوری‌اطلاعات":                 "project:halfspace",
			"فناوریاطلاعات":                  "project:halfspace", // the compound typed without its half-space
			"1403 مراتع":                     "project:digits",
			"١٤٠٣":                           "project:digits", // Arabic-Indic digits
			"۱۴۰۳":                           "project:digits",
			"هوشم":                           "project:smart", // a word typed in part
		} {
			if got := pub(q); !slices.Contains(got, want) {
				t.Errorf("search %q = %v; want %s among them", q, got, want)
			}
		}
		if got := pub("سلامت مراتع"); len(got) != 0 {
			t.Errorf("every word must match: %v", got)
		}
		// An update moves the index in its own transaction.
		p, err := svc.Project(env.Ctx, service.System, "digits")
		testkit.Must(t, err)
		p.Title = domain.T("برنامه پایش جنگل", "Forest monitoring")
		testkit.Must(t, svc.UpdateProject(env.Ctx, service.System, p.Project))
		if got := pub("مراتع"); slices.Contains(got, "project:digits") {
			t.Errorf("the old title still found: %v", got)
		}
		if got := pub("جنگل"); !slices.Contains(got, "project:digits") {
			t.Errorf("the new title not found: %v", got)
		}
		p, err = svc.Project(env.Ctx, service.System, "digits")
		testkit.Must(t, err)
		testkit.Must(t, svc.DeleteProject(env.Ctx, service.System, "digits", p.Version))
		if got := pub("جنگل"); len(got) != 0 {
			t.Errorf("a deleted project still found: %v", got)
		}
	})
}

// TestSearchRanksTitleFirst: a record whose title holds the word comes
// before one whose summary holds it, whatever order they were recorded in;
// the snippet marks the word, escaped.
func TestSearchRanksTitleFirst(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		searchProject(t, env, "in-summary", "پروژه کشاورزی", "Farming", "صادرات زعفران و <b>پسته</b> با زعفران بیشتر")
		searchProject(t, env, "in-title", "زعفران ملی", "National saffron", "")
		r, err := env.Svc.Search(env.Ctx, service.Anonymous, service.SearchRequest{Query: "زعفران"})
		testkit.Must(t, err)
		if len(r.Hits) != 2 || r.Hits[0].Ref != "in-title" || r.Hits[1].Ref != "in-summary" {
			t.Fatalf("hits %+v; want in-title then in-summary", r.Hits)
		}
		if r.Counts[service.KindProject] != 2 || r.Total != 2 {
			t.Errorf("counts %v, total %d", r.Counts, r.Total)
		}
		h := textnorm.HTML(r.Hits[1].FA)
		if !strings.Contains(h, "<mark>زعفران</mark>") || strings.Contains(h, "<b>") || !strings.Contains(h, "&lt;b&gt;") {
			t.Errorf("snippet %s", h)
		}
		if r.Hits[0].Link != "/projects/in-title" {
			t.Errorf("link %q", r.Hits[0].Link)
		}
	})
}

// TestSearchConfidential: a confidential project, and a decision about it,
// are never found by the public — not even by the project's exact title —
// nor by an agency not on it; the secretariat finds both.
func TestSearchConfidential(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(5).Meetings()
		svc, ctx := env.Svc, env.Ctx
		p4, err := svc.Project(ctx, service.System, "p4")
		testkit.Must(t, err)
		title := p4.Title.FA
		d := domain.MustDate("2024-03-01")
		_, err = svc.CreateMeeting(ctx, service.System, service.MeetingInput{Series: "itec", Number: 7, Date: &d})
		testkit.Must(t, err)
		_, err = svc.HoldMeeting(ctx, service.System, "itec-7", 0)
		testkit.Must(t, err)
		_, _, err = svc.RecordOutcome(ctx, service.System, "itec-7", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "7/1",
			Text: domain.T("تصویب طرح محرمانه خرمالو", "secret persimmon plan adopted"), Projects: []string{"p4"}})
		testkit.Must(t, err)
		_, _, err = svc.RecordOutcome(ctx, service.System, "itec-7", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "7/2",
			Text: domain.T("تصویب طرح آشکار خرمالو", "open persimmon plan adopted"), Projects: []string{"p0"}})
		testkit.Must(t, err)
		_, err = svc.CloseMeeting(ctx, service.System, "itec-7", 0) // the public reads a closed meeting's decisions
		testkit.Must(t, err)
		for _, q := range []string{title, "p4", "محرمانه خرمالو"} {
			for _, a := range []service.Actor{service.Anonymous, sec} {
				if got := found(t, svc, env, a, service.SearchPublic, q); slices.Contains(got, "project:p4") || len(got) > 0 && q == "محرمانه خرمالو" {
					t.Errorf("public search %q as %s: %v", q, a.Name, got)
				}
			}
		}
		ito := service.Actor{Name: "token:ito", Role: service.RoleAgency, Agency: "tamin"}
		if got := found(t, svc, env, ito, service.SearchStaff, "محرمانه خرمالو"); len(got) != 0 {
			t.Errorf("an agency not on the project found %v", got)
		}
		if got := found(t, svc, env, sec, service.SearchStaff, title); !slices.Contains(got, "project:p4") {
			t.Errorf("the secretariat does not find the confidential project: %v", got)
		}
		if got := found(t, svc, env, sec, service.SearchStaff, "خرمالو"); len(got) != 2 {
			t.Errorf("the secretariat finds %v; want both decisions", got)
		}
		if got := found(t, svc, env, service.Anonymous, service.SearchPublic, "خرمالو"); len(got) != 1 || !strings.HasPrefix(got[0], "decision:") {
			t.Errorf("the public finds %v; want the open decision only", got)
		}
	})
}

// reportAndSession is a registry of two projects with their follow-up,
// moh's report on p0 telling narrative, and session itec-3 held, for a
// test to record its outcomes in.
func reportAndSession(t *testing.T, e testkit.Engine, narrative domain.Text) *scenario.Env {
	t.Helper()
	env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
	svc, ctx := env.Svc, env.Ctx
	r := &domain.Report{Project: "p0", Period: "1403-02", ProjectedEnd: domain.DatePtr("2024-12-31"), Narrative: narrative}
	testkit.Must(t, svc.CreateReport(ctx, moh, r))
	testkit.Must(t, svc.CreateSeries(ctx, service.System, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
	d := domain.MustDate("2024-03-01")
	_, err := svc.CreateMeeting(ctx, service.System, service.MeetingInput{Series: "itec", Number: 3, Date: &d})
	testkit.Must(t, err)
	_, err = svc.HoldMeeting(ctx, service.System, "itec-3", 0)
	testkit.Must(t, err)
	return env
}

// TestSearchStaffKinds: reports and actions are found by staff only, as
// each may see them; the public scope never holds them, and the staff
// scope needs a signed-in actor.
func TestSearchStaffKinds(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := reportAndSession(t, e, domain.T("آزمایش انارستان در سه استان", "pomegranate pilot in three provinces"))
		svc, ctx := env.Svc, env.Ctx
		due := domain.MustDate("2024-09-01")
		_, _, err := svc.RecordOutcome(ctx, service.System, "itec-3", service.OutcomeInput{Kind: domain.OutcomeAction,
			Description: domain.T("گزارش انارستان به شورا", "report the pomegranate pilot"), Owner: "moh", Due: &due, Projects: []string{"p0"}})
		testkit.Must(t, err)
		if got := found(t, svc, env, service.Anonymous, service.SearchPublic, "انارستان"); len(got) != 0 {
			t.Errorf("the public finds staff records: %v", got)
		}
		if got := found(t, svc, env, sec, service.SearchPublic, "انارستان"); len(got) != 0 {
			t.Errorf("the public scope holds staff records for staff too: %v", got)
		}
		got := found(t, svc, env, sec, service.SearchStaff, "انارستان")
		if !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "report:") }) ||
			!slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "action:") }) {
			t.Errorf("the secretariat finds %v; want the report and the action", got)
		}
		// The draft report is its agency's and the secretariat's: not another agency's.
		tax := service.Actor{Name: "token:tax", Role: service.RoleAgency, Agency: "tax"}
		if got := found(t, svc, env, tax, service.SearchStaff, "آزمایش انارستان"); slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "report:") }) {
			t.Errorf("another agency finds a draft report: %v", got)
		}
		if _, err := svc.Search(ctx, service.Anonymous, service.SearchRequest{Query: "انارستان", Scope: service.SearchStaff}); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("staff scope for the public: %v", err)
		}
		if _, err := svc.Search(ctx, service.Anonymous, service.SearchRequest{Query: "انارستان", Kind: service.KindReport}); err == nil {
			t.Error("the public asked for reports and got no error")
		}
	})
}

// TestSearchQueryBounds: a query with fewer than two letters or digits, or
// too long, is refused naming q; a bad kind, limit or cursor names its own
// field.
func TestSearchQueryBounds(t *testing.T) {
	e := testkit.SQLite
	env := scenario.New(t, e).Registry(1)
	for _, q := range []string{"", " ", "ا", "«»!?", strings.Repeat("سلام ", 50)} {
		_, err := env.Svc.Search(env.Ctx, service.Anonymous, service.SearchRequest{Query: q})
		testkit.WantError(t, err, domain.KindInvalid, "q")
	}
	for field, r := range map[string]service.SearchRequest{
		"kind":   {Query: "سامانه", Kind: "user"},
		"limit":  {Query: "سامانه", Limit: 500},
		"cursor": {Query: "سامانه", Cursor: "x"},
	} {
		_, err := env.Svc.Search(env.Ctx, service.Anonymous, r)
		testkit.WantError(t, err, domain.KindInvalid, field)
	}
}

// TestSimilarProjects: a title that differs only in letter forms,
// half-spaces, spaces or digit sets — or by one slip in a long title — is
// named; another phase's number or another name is not.
func TestSimilarProjects(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		searchProject(t, env, "window", "پنجره ملی خدمات دولت هوشمند", "National smart government window", "")
		searchProject(t, env, "phase1", "سامانه پایش فاز ۱", "Monitoring phase 1", "")
		sim := func(fa string) []string {
			got, err := env.Svc.SimilarProjects(env.Ctx, service.System, domain.T(fa, ""), "")
			testkit.Must(t, err)
			var out []string
			for _, s := range got {
				out = append(out, s.Slug)
			}
			return out
		}
		for _, fa := range []string{"پنجره ملي خدمات دولت هوشمند", "پنجره‌ملی  خدمات دولت‌هوشمند", "پنجره ملی خدمت دولت هوشمند", "پنجرۀ ملی، خدمات دولت هوشمند"} {
			if got := sim(fa); !slices.Contains(got, "window") {
				t.Errorf("%q: similar %v; want window", fa, got)
			}
		}
		if got := sim("سامانه پایش فاز 1"); !slices.Contains(got, "phase1") {
			t.Errorf("digit sets: %v", got)
		}
		for _, fa := range []string{"سامانه پایش فاز ۲", "درگاه ملی مجوزها"} {
			if got := sim(fa); len(got) != 0 {
				t.Errorf("%q: similar %v; want none", fa, got)
			}
		}
	})
}

// TestSearchIndexRebuilt: a database whose index was built under other
// folding rules (or lost) is indexed again when it is opened, and a copy's
// destination, of either engine, has the index of what was copied.
func TestSearchIndexRebuilt(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		dsn := e.DSN(t)
		db, err := store.Open(ctx, dsn)
		testkit.Must(t, err)
		env := scenario.Over(t, db).Registry(1)
		searchProject(t, env, "kept", "سامانه بازسازی نمایه", "Index rebuild system", "")
		testkit.Exec(t, db, "DELETE FROM search_docs")
		testkit.Exec(t, db, "UPDATE search_state SET version = 0")
		if got := found(t, env.Svc, env, service.Anonymous, service.SearchPublic, "بازسازی نمایه"); len(got) != 0 {
			t.Fatalf("the index was not emptied: %v", got)
		}
		db.Close()
		db, err = store.Open(ctx, dsn)
		testkit.Must(t, err)
		defer db.Close()
		again := scenario.Over(t, db)
		if got := found(t, again.Svc, again, service.Anonymous, service.SearchPublic, "بازسازی نمایه"); !slices.Equal(got, []string{"project:kept"}) {
			t.Fatalf("after reopening: %v", got)
		}
		for _, to := range testkit.Engines() {
			if to.Name == testkit.Postgres.Name && testkit.PostgresURL() == "" {
				continue
			}
			dst := testkit.Open(t, to)
			testkit.Must(t, store.Copy(ctx, db, dst, nil))
			c := scenario.Over(t, dst)
			if got := found(t, c.Svc, c, service.Anonymous, service.SearchPublic, "بازسازي نمايه"); !slices.Equal(got, []string{"project:kept"}) {
				t.Errorf("the copy to %s finds %v", to.Name, got)
			}
		}
	})
}
