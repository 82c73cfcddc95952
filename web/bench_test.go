package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
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
	// of the current list with as many links as the data offer.
	benchProject = map[string]string{}
)

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
	switch dataset {
	case "reference":
		if doc, err = reference.Document(); err != nil {
			b.Fatal(err)
		}
	case "national":
		doc = synth.Registry(synth.National)
	}
	best := -1
	for _, p := range doc.Projects {
		n := len(p.Agencies) + len(p.Mandates) + len(p.DependsOn) + 2*len(p.Predecessors)
		if p.Confidentiality == domain.Public && n > best {
			best, benchProject[dataset] = n, p.Slug
		}
	}
	if err := svc.Import(ctx, service.System, doc); err != nil {
		b.Fatal(err)
	}
	site, err := web.New(svc, log, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	h := site.Handler()
	benchSites[dataset] = h
	return h
}

func benchPage(b *testing.B, dataset, path string) {
	h := benchSite(b, dataset)
	if path == "/projects/" {
		path += benchProject[dataset]
		b.Logf("%s: %s", dataset, path)
	}
	for _, lang := range []string{"fa", "en"} {
		b.Run(dataset+"/"+lang, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.AddCookie(&http.Cookie{Name: "pishran_lang", Value: lang})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d", path, w.Code)
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
// dependencies, lineage and memberships, each resolved to names.
func BenchmarkProjectPage(b *testing.B) {
	benchPage(b, "reference", "/projects/")
	benchPage(b, "national", "/projects/")
}
