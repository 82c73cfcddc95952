package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	front "github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
	"github.com/pishran/pishran/web"
)

// The miss benchmarks measure what a request costs when no cache holds its
// answer: every request asks for a project (or a page of the list) drawn
// at random from the national registry (synth.National: 10,000 projects),
// under an address no one asked for before, so the page cache and the
// API's response cache miss; the caches kept per registry generation (the
// project directory, the list pages) stay warm, as they do on a server
// whose registry is not changing. ns/op is then the server's CPU per
// request (the benchmark runs one request at a time), and the statements
// per request are reported beside it.
//
//	go test ./web/ -run XXX -bench Miss -benchtime 2000x
//
// With PISHRAN_MISS_DB naming a database `pishran generate` wrote (the
// national one of bench/load, with its follow-up, meetings and audit
// history), the benchmarks run on a copy of it instead of the registry
// alone:
//
//	PISHRAN_MISS_DB=/path/p10000.db go test ./web/ -run XXX -bench Miss -benchtime 500x
var (
	missPrograms []string // the programs' slugs
	missOnce     sync.Once
	missH        http.Handler
	missDB       *store.DB
	missSlugs    []string
	missPages    []string // cursors of the 100-project pages of the list
)

func missSite(b *testing.B) http.Handler {
	missOnce.Do(func() {
		ctx, national := context.Background(), os.Getenv("PISHRAN_MISS_DB")
		db, err := testkit.OpenNational(ctx, national, "") // a copy: opening it may migrate it
		if err != nil {
			b.Fatal(err)
		}
		log := slog.New(slog.DiscardHandler)
		svc := service.New(db, log)
		if national == "" {
			doc := synth.Registry(synth.National)
			if err := svc.Import(ctx, service.System, doc); err != nil {
				b.Fatal(err)
			}
			for _, p := range doc.Projects {
				if p.Confidentiality == domain.Public {
					missSlugs = append(missSlugs, p.Slug)
				}
			}
		}
		progs, err := svc.Programs(ctx, service.Anonymous, domain.Page{Limit: 1000})
		if err != nil {
			b.Fatal(err)
		}
		for _, g := range progs {
			missPrograms = append(missPrograms, g.Slug)
		}
		f, err := front.New(svc, log, httpx.Config{}, nil, web.Options{})
		if err != nil {
			b.Fatal(err)
		}
		missH, missDB = f.Root, db
		// The list's pages, by their cursors.
		cursor := ""
		for {
			w := httptest.NewRecorder()
			missH.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/projects?limit=100&cursor="+url.QueryEscape(cursor), nil))
			var l struct {
				Items []struct {
					Slug string `json:"slug"`
				} `json:"items"`
				NextCursor *string `json:"next_cursor"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &l); err != nil || w.Code != http.StatusOK {
				b.Fatalf("list: %d %v", w.Code, err)
			}
			if national != "" { // the public's projects, as the API lists them
				for _, it := range l.Items {
					missSlugs = append(missSlugs, it.Slug)
				}
			}
			missPages = append(missPages, cursor)
			if l.NextCursor == nil {
				break
			}
			cursor = *l.NextCursor
		}
	})
	if missH == nil {
		b.Fatal("no site")
	}
	return missH
}

// benchMiss asks for path(i) once per iteration and reports statements and
// read transactions per request.
func benchMiss(b *testing.B, path func(i int) string) {
	h := missSite(b) // sets missDB
	testkit.BenchRequests(b, h, missDB, path)
}

func missKey(i int) string { return "miss=" + strconv.Itoa(i) }

// BenchmarkProjectPageMiss is the public project page of a random project.
func BenchmarkProjectPageMiss(b *testing.B) {
	missSite(b)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, lang := range []string{"fa", "en"} {
		b.Run(lang, func(b *testing.B) {
			benchMiss(b, func(i int) string {
				return "/projects/" + missSlugs[rng.IntN(len(missSlugs))] + "?lang=" + lang + "&" + missKey(i)
			})
		})
	}
}

// BenchmarkProgramPageMiss is the public page of a random program.
func BenchmarkProgramPageMiss(b *testing.B) {
	missSite(b)
	rng := rand.New(rand.NewPCG(5, 6))
	benchMiss(b, func(i int) string {
		return "/programs/" + missPrograms[rng.IntN(len(missPrograms))] + "?" + missKey(i)
	})
}

// BenchmarkAPIProjectMiss is GET /api/v1/projects/{slug} of a random project.
func BenchmarkAPIProjectMiss(b *testing.B) {
	missSite(b)
	rng := rand.New(rand.NewPCG(3, 4))
	benchMiss(b, func(i int) string {
		return "/api/v1/projects/" + missSlugs[rng.IntN(len(missSlugs))] + "?" + missKey(i)
	})
}

// BenchmarkAPIListMiss is a random page of 100 projects of the list.
func BenchmarkAPIListMiss(b *testing.B) {
	missSite(b)
	rng := rand.New(rand.NewPCG(5, 6))
	benchMiss(b, func(i int) string {
		return "/api/v1/projects?limit=100&cursor=" + url.QueryEscape(missPages[rng.IntN(len(missPages))]) + "&" + missKey(i)
	})
}
