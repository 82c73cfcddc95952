package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
)

// searchQueries are the queries a benchmark draws from over the national
// data set (synth.National: 10,000 projects "سامانه یکپارچه شماره n", a
// thousand agencies, a hundred laws, ten lists): the worst case first —
// words every project's title or summary holds, so every project matches
// (and the first store.SearchCap are ranked) — then a number typed in part, a word typed with Arabic letters,
// one record by its number.
func searchQueries(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return "سامانه یکپارچه"
	case 1:
		return "integrated system"
	case 2:
		return "سامانه يكپارچه" // Arabic yeh and kaf
	case 3:
		return "ساختگی"
	case 4:
		return fmt.Sprintf("یکپارچه %d", r.IntN(100)) // a number's start: up to 111 projects
	case 5:
		return fmt.Sprintf("شماره %d", r.IntN(10000))
	case 6:
		return fmt.Sprintf("دستگاه %d", r.IntN(1000))
	case 7:
		return fmt.Sprintf("قانون %d", r.IntN(100))
	case 8:
		return fmt.Sprintf("no. %d", r.IntN(10000))
	}
	return "پیشران ساختگی"
}

// BenchmarkSearch runs random public searches (searchQueries) over the
// national data set, as GET /search asks them (the first page of 20, and
// the counts of every kind), and reports the 50th and 99th percentiles of
// one search's time; the target is p99 < 20 ms.
//
//	go test ./service/ -run '^$' -bench BenchmarkSearch -benchtime 2000x
func BenchmarkSearch(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		benchSearch(b, scenario.New(b, testkit.SQLite, scenario.Dataset("national")).Svc)
	})
	b.Run("postgres", func(b *testing.B) {
		// The shared data sets are SQLite files: PostgreSQL imports its own
		// (skipped without PISHRAN_TEST_POSTGRES).
		db := testkit.Open(b, testkit.Postgres)
		svc := service.New(db, slog.New(slog.DiscardHandler))
		if err := svc.Import(context.Background(), service.System, synth.Registry(synth.National)); err != nil {
			b.Fatal(err)
		}
		benchSearch(b, svc)
	})
}

func benchSearch(b *testing.B, svc *service.Service) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	for range 20 { // warm the caches
		if _, err := svc.Search(ctx, service.Anonymous, service.SearchRequest{Query: searchQueries(r)}); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	for b.Loop() {
		q := searchQueries(r)
		start := time.Now()
		res, err := svc.Search(ctx, service.Anonymous, service.SearchRequest{Query: q})
		took = append(took, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if q == "سامانه یکپارچه" && (!res.Capped || res.Counts[service.KindProject] < service.SearchCap*9/10 || len(res.Hits) != service.SearchDefaultLimit) {
			b.Fatalf("%q: capped %v, %d projects, %d hits", q, res.Capped, res.Counts[service.KindProject], len(res.Hits))
		}
	}
	slices.Sort(took)
	at := func(p float64) float64 {
		return float64(took[min(len(took)-1, int(p*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(at(1), "max-ms")
}
