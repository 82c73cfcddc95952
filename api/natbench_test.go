package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// The national benchmarks measure the API's registry and agency reads at
// national scale with every request a different key and a different
// address, so the response cache misses: what a random read costs at the
// cause. They open the database PISHRAN_MISS_DB names — a COPY of a
// national database (`pishran generate`, or bench/load's cache; opening
// it may migrate it), or a PostgreSQL DSN holding the same data (`pishran
// copy`) — and skip when it is unset. They report the server's CPU per
// request (cpu-µs/op, from getrusage: on a shared machine the wall clock
// measures the queue for the cores), statements and read transactions per
// request.
//
//	PISHRAN_MISS_DB=/tmp/national.db go test ./api/ -run '^$' -bench National -benchtime 500x
var (
	natOnce     sync.Once
	natH        http.Handler
	natDB       *store.DB
	natErr      string
	natSlugs    []string // public projects
	natPages    []string // cursors of the list's pages of 100
	natAgencies []string
	natPrograms []string
)

func natSite(b *testing.B) http.Handler {
	dsn := testkit.NationalSource(b, "(or a PostgreSQL DSN holding one) to run the national benchmarks")
	natOnce.Do(func() {
		db, err := testkit.OpenNational(context.Background(), dsn, "")
		if err != nil {
			natErr = err.Error()
			return
		}
		log := slog.New(slog.DiscardHandler)
		natH, natDB = api.New(service.New(db, log), log), db
		get := func(path string, v any) {
			w := httptest.NewRecorder()
			natH.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusOK {
				natErr = path + ": " + strconv.Itoa(w.Code)
				return
			}
			if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
				natErr = path + ": " + err.Error()
			}
		}
		type page struct {
			Items []struct {
				Slug string          `json:"slug"`
				Code string          `json:"code"`
				ID   json.RawMessage `json:"id"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		walk := func(path string, each func(slug, code, id string)) {
			cursor := ""
			for natErr == "" {
				var l page
				get(path+"?limit=100&cursor="+url.QueryEscape(cursor), &l)
				for _, x := range l.Items {
					var id string
					if json.Unmarshal(x.ID, &id) != nil {
						id = string(x.ID)
					}
					each(x.Slug, x.Code, id)
				}
				if path == "/api/v1/projects" {
					natPages = append(natPages, cursor)
				}
				if l.NextCursor == nil {
					return
				}
				cursor = *l.NextCursor
			}
		}
		walk("/api/v1/projects", func(slug, _, _ string) { natSlugs = append(natSlugs, slug) })
		walk("/api/v1/agencies", func(_, code, _ string) { natAgencies = append(natAgencies, code) })
		walk("/api/v1/programs", func(_, _, id string) { natPrograms = append(natPrograms, id) })
		if natErr == "" && (len(natSlugs) == 0 || len(natAgencies) == 0 || len(natPrograms) == 0) {
			natErr = "the database holds no public project, agency or program"
		}
	})
	if natErr != "" {
		b.Fatal(natErr)
	}
	return natH
}

// benchNational asks for path(i) once per iteration, under an address no
// one asked for before, and reports CPU, statements and read
// transactions per request.
func benchNational(b *testing.B, path func(rng *rand.Rand) string) {
	h := natSite(b)
	rng := rand.New(rand.NewPCG(12, uint64(len(b.Name()))))
	testkit.BenchRequests(b, h, natDB, func(n int) string {
		p, sep := path(rng), "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		return p + sep + "miss=" + strconv.Itoa(n)
	})
}

func pick(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }

// BenchmarkNational is each read route of the registry and the agencies
// with a random key.
func BenchmarkNational(b *testing.B) {
	natSite(b)
	routes := []struct {
		name string
		path func(rng *rand.Rand) string
	}{
		{"project", func(rng *rand.Rand) string { return "/api/v1/projects/" + pick(rng, natSlugs) }},
		{"health", func(rng *rand.Rand) string { return "/api/v1/projects/" + pick(rng, natSlugs) + "/health" }},
		{"list", func(rng *rand.Rand) string {
			return "/api/v1/projects?limit=100&cursor=" + url.QueryEscape(pick(rng, natPages))
		}},
		{"agency", func(rng *rand.Rand) string { return "/api/v1/agencies/" + pick(rng, natAgencies) }},
		{"agency-projects", func(rng *rand.Rand) string {
			return "/api/v1/projects?limit=100&agency=" + pick(rng, natAgencies)
		}},
		{"agency-status", func(rng *rand.Rand) string { return "/api/v1/status?agency=" + pick(rng, natAgencies) }},
		{"agency-scorecard", func(rng *rand.Rand) string {
			return "/api/v1/agencies/" + pick(rng, natAgencies) + "/scorecard"
		}},
		{"program-projects", func(rng *rand.Rand) string {
			return "/api/v1/programs/" + pick(rng, natPrograms) + "/projects?limit=100"
		}},
		{"search", func(rng *rand.Rand) string {
			return "/api/v1/search?q=" + url.QueryEscape(pick(rng, natSlugs))
		}},
	}
	for _, r := range routes {
		b.Run(r.name, func(b *testing.B) { benchNational(b, r.path) })
	}
}

// BenchmarkNationalCold is the list routes on an instance that keeps no
// project of the page yet: every request is served by a new service and
// API over the same database, warmed (outside the measure) by another
// page of the list — what a page costs its first reader after a write to
// the registry, when no project on it is kept encoded
// (service.ProjectsJSON). cpu-µs/op counts the request alone.
func BenchmarkNationalCold(b *testing.B) {
	natSite(b)
	log := slog.New(slog.DiscardHandler)
	routes := []struct {
		name string
		path func(rng *rand.Rand) string
	}{
		{"list", func(rng *rand.Rand) string {
			return "/api/v1/projects?limit=100&cursor=" + url.QueryEscape(pick(rng, natPages))
		}},
		{"agency-projects", func(rng *rand.Rand) string {
			return "/api/v1/projects?limit=100&agency=" + pick(rng, natAgencies)
		}},
	}
	for _, r := range routes {
		b.Run(r.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(13, uint64(len(b.Name()))))
			var cpu time.Duration
			n := 0
			for b.Loop() {
				n++
				h := api.New(service.New(natDB, log), log)
				p := r.path(rng)
				warm := p
				for warm == p {
					warm = "/api/v1/projects?limit=100&cursor=" + url.QueryEscape(pick(rng, natPages))
				}
				h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, warm, nil))
				w := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, p, nil)
				start := testkit.ProcessCPU()
				h.ServeHTTP(w, req)
				cpu += testkit.ProcessCPU() - start
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", p, w.Code, w.Body.Bytes())
				}
			}
			b.ReportMetric(float64(cpu)/float64(n)/1e3, "cpu-µs/op")
		})
	}
}
