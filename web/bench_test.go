package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	front "github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
	"github.com/pishran/pishran/web"
)

// benchSites caches one loaded site per dataset for the whole run: loading
// 10,000 projects takes seconds, a page milliseconds.
var (
	benchMu    sync.Mutex
	benchSites = map[string]http.Handler{}
	// benchProject is, per dataset, the project whose page is measured: one
	// of the current list with as many links as the data offer (at national
	// scale, among those the council has decided about).
	benchProject = map[string]string{}
	// benchSession is, per dataset, the session cookie of a signed-in
	// secretariat, for the workspace's pages.
	benchSession = map[string]string{}
	// benchUncached is, per dataset, the same site keeping no page as
	// rendered, so that a public page is rendered on every request.
	benchUncached = map[string]http.Handler{}
)

// benchPassword is the bench secretariat's password.
const benchPassword = "bench horse battery staple"

func benchSite(b *testing.B, dataset string) http.Handler {
	benchMu.Lock()
	defer benchMu.Unlock()
	if h, ok := benchSites[dataset]; ok {
		return h
	}
	dir, err := os.MkdirTemp("", "pishran-web-bench-")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, dataset+".db"))
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := service.New(db, log)
	var doc *domain.Document
	var follow *domain.FollowUp
	var meetings *synth.MeetingSet
	now := time.Now
	switch dataset {
	case "reference":
		if doc, err = reference.Document(); err != nil {
			b.Fatal(err)
		}
	case "national":
		// The national registry with its synthetic follow-up (baselines,
		// milestones, 200,000 accepted reports, ratings) and meetings
		// (decisions, 50,000 actions), as `pishran generate` makes it; the
		// clock stands still on the day the synthetic records are current
		// to, so the projects spread over green, amber and red rather than
		// all going stale as the real calendar moves on.
		doc = synth.Registry(synth.National)
		follow = synth.ProgressOf(doc, synth.National.Seed)
		meetings = synth.MeetingsOf(doc, synth.National.Seed, synth.NationalMeetings, synth.NationalActions)
		db.SetClock(func() time.Time { return synth.AuditUntil })
		now = func() time.Time { return synth.AuditUntil }
	}
	decided := map[string]int{} // decisions per project
	if meetings != nil {
		for _, m := range meetings.Meetings {
			for _, o := range m.Outcomes {
				if o.Kind == domain.OutcomeDecision {
					for _, p := range o.Projects {
						decided[p]++
					}
				}
			}
		}
	}
	best := -1
	for _, p := range doc.Projects {
		if meetings != nil && decided[p.Slug] == 0 {
			continue
		}
		n := len(p.Agencies) + len(p.Mandates) + len(p.DependsOn) + 2*len(p.Predecessors)
		if p.Confidentiality == domain.Public && n > best {
			best, benchProject[dataset] = n, p.Slug
		}
	}
	start := time.Now()
	if err := svc.Import(ctx, service.System, doc); err != nil {
		b.Fatal(err)
	}
	if follow != nil {
		if err := svc.LoadFollowUp(ctx, service.System, follow); err != nil {
			b.Fatal(err)
		}
	}
	if meetings != nil {
		if err := svc.LoadMeetings(ctx, service.System, meetings.Series, meetings.Meetings, meetings.Actions); err != nil {
			b.Fatal(err)
		}
	}
	if follow != nil {
		b.Logf("%s: %d projects, %d reports, %d baselines, %d milestones, %d ratings, %d meetings, %d actions loaded in %s",
			dataset, len(doc.Projects), len(follow.Reports), len(follow.Baselines), len(follow.Milestones), len(follow.Ratings),
			len(meetings.Meetings), len(meetings.Actions), time.Since(start).Round(time.Millisecond))
	}
	// A secretariat, signed in, for the workspace's pages.
	if _, err := svc.CreateUser(ctx, service.System, &domain.User{Username: "bench-sec", DisplayName: domain.T("دبیرخانه", "Secretariat"),
		Role: string(service.RoleSecretariat), Active: true}, benchPassword); err != nil {
		b.Fatal(err)
	}
	sess, err := svc.Login(ctx, "bench-sec", benchPassword, service.Client{Address: "127.0.0.1"}, service.SessionPolicy{})
	if err != nil {
		b.Fatal(err)
	}
	benchSession[dataset] = sess.Secret
	// The pages read health and the follow-up through the same sources
	// `pishran serve` gives them.
	// Both served as `pishran serve` serves them (internal/faces): the
	// root's headers, cross-origin check and metrics are in every figure.
	site, err := front.New(svc, log, httpx.Config{}, nil, web.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := front.New(svc, log, httpx.Config{}, nil, web.Options{Now: now, PageCache: -1})
	if err != nil {
		b.Fatal(err)
	}
	benchUncached[dataset] = raw.Root
	h := site.Root
	benchSites[dataset] = h
	return h
}

func benchPage(b *testing.B, dataset, path string) { benchPageAs(b, dataset, path, false, false) }

// benchPageAs measures path, as the signed-in secretariat when staff is
// set, and on the site that keeps no page when uncached is.
func benchPageAs(b *testing.B, dataset, path string, staff, uncached bool) {
	h := benchSite(b, dataset)
	if uncached {
		h = benchUncached[dataset]
	}
	if path == "/projects/" {
		path += benchProject[dataset]
		b.Logf("%s: %s", dataset, path)
	}
	for _, lang := range []string{"fa", "en"} {
		b.Run(dataset+"/"+lang, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(&http.Cookie{Name: "pishran_lang", Value: lang})
			if staff {
				req.AddCookie(&http.Cookie{Name: "pishran_session", Value: benchSession[dataset]})
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d", path, w.Code)
			}
			// The national project's page shows the council's decisions
			// about it, read through the follow-up source.
			if dataset == "national" && strings.HasPrefix(path, "/projects/") &&
				!strings.Contains(w.Body.String(), map[string]string{"fa": "مصوبه ساختگی", "en": "synthetic resolution"}[lang]) {
				b.Fatalf("%s (%s) shows no decision", path, lang)
			}
			b.SetBytes(int64(w.Body.Len()))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, w.Code)
				}
			}
		})
	}
}

// BenchmarkHomePage renders the public home: the programs with their
// funnels and the current list's first projects. At national scale
// (synth.National: 10,000 projects, 10 programs) the current list has
// 1,000 members.
//
//	go test ./web/ -run XXX -bench . -benchtime 200x
func BenchmarkHomePage(b *testing.B) {
	benchPage(b, "reference", "/")
	benchPage(b, "national", "/")
}

// BenchmarkProjectPage renders a project page: agencies, mandates,
// dependencies, lineage and memberships, each resolved to names; and, read
// through the health and follow-up sources, its computed status,
// milestones, the council's decisions about it and its ratings.
func BenchmarkProjectPage(b *testing.B) {
	benchPage(b, "reference", "/projects/")
	benchPage(b, "national", "/projects/")
}

// BenchmarkStaffDashboard renders the workspace's dashboard for a signed-in
// secretariat: the computed status of every project (10,000 at national
// scale, with their follow-up loaded), the council's ratings and how they
// moved, the overdue actions, the stale reports and each list's funnel.
func BenchmarkStaffDashboard(b *testing.B) {
	benchPageAs(b, "national", "/staff", true, false)
}

// BenchmarkProjectRender is BenchmarkProjectPage on a site that keeps no
// page as rendered: every request reads the project, its health, decisions,
// milestones and ratings and renders the page.
func BenchmarkProjectRender(b *testing.B) {
	benchPageAs(b, "reference", "/projects/", false, true)
	benchPageAs(b, "national", "/projects/", false, true)
}

// BenchmarkHomeRender is BenchmarkHomePage on a site that keeps no page as
// rendered: every request reads the programs, the current list's first
// projects and their health, and renders the page.
func BenchmarkHomeRender(b *testing.B) {
	benchPageAs(b, "reference", "/", false, true)
	benchPageAs(b, "national", "/", false, true)
}

// BenchmarkStaffDashboardRender is BenchmarkStaffDashboard with nothing
// kept: the first visit after a write.
func BenchmarkStaffDashboardRender(b *testing.B) {
	benchPageAs(b, "national", "/staff", true, true)
}

// BenchmarkDecisionsRender renders the public decisions page (the newest
// 50 decisions of the national registry's 2,000 meetings, each with the
// projects it names) with nothing kept: what a decision day's first
// readers cost.
func BenchmarkDecisionsRender(b *testing.B) {
	benchPageAs(b, "national", "/decisions", false, true)
}
