package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// designateWriters is how many writers write at once.
const designateWriters = 8

// BenchmarkDesignateParallel designates projects that pass every rule into
// one adopted list from 8 writers at once and reports the latency of a
// designation as its callers see it (p50, p99) — the rules run on a read
// snapshot, only the re-check and the write in the writer (decide.go).
// PISHRAN_BENCH_BUSY=n keeps n more goroutines spinning meanwhile, for a
// machine otherwise busy. Run:
//
//	go test ./service/ -run '^$' -bench DesignateParallel -benchtime 2000x
func BenchmarkDesignateParallel(b *testing.B) {
	for _, e := range testkit.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			env := scenario.New(b, e)
			ctx := context.Background()
			doc := &domain.Document{Format: domain.DocumentFormat, Version: domain.DocumentVersion,
				Terms:    []domain.Term{{Number: 14, Name: domain.T("دولت چهاردهم", "14th government")}},
				Agencies: []domain.Agency{{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}, {Code: "ito", Name: domain.T("سازمان فناوری اطلاعات", "ITO"), Kind: domain.AgencyOrganization}},
				Laws:     []domain.Law{{Slug: "plan7", Title: domain.T("برنامه هفتم", "Seventh plan"), Articles: []domain.Article{{Number: "1"}, {Number: "2"}}}},
				Programs: []domain.Program{{Slug: "bench", Title: domain.T("فهرست", "list"), Term: 14, Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}},
			}
			for i := range b.N {
				doc.Projects = append(doc.Projects, *scenario.GoodProject(fmt.Sprintf("d%06d", i)))
			}
			testkit.Must(b, env.Svc.Import(ctx, service.System, doc))
			sec := service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
			parallelWrites(b, func(_, i int) error {
				_, _, err := env.Svc.Designate(ctx, sec, service.Designation{Program: "bench", Project: fmt.Sprintf("d%06d", i)})
				return err
			})
		})
	}
}

// BenchmarkNationalWrites runs bench/load's two writes on a copy of a
// national database (bench/load's p10000-*.db, named by PISHRAN_MISS_DB;
// copied to a temporary folder, never written) from 8 writers at once:
// designate — a project that passes every rule into a fresh draft list, as
// bench/load's designation phase does; report — an agency creates a report
// for one of its projects and a month no report covers, then submits it (two
// writes an operation, as bench/load's report phase). Each reports the
// process's CPU per write (cpu-µs/write), writes a second, the latency of an
// operation (p50, p99) and how many transactions a group commit held.
// PISHRAN_BENCH_BUSY=n keeps n more goroutines spinning. Run:
//
//	PISHRAN_MISS_DB=/path/p10000.db go test ./service/ -run '^$' -bench NationalWrites -benchtime 2000x
func BenchmarkNationalWrites(b *testing.B) {
	svc, db, doc := nationalWrites(b)
	ctx := context.Background()
	b.Run("designate", func(b *testing.B) {
		var eligible []string
		for i := range doc.Projects {
			p := &doc.Projects[i]
			if p.Confidentiality == domain.Public && p.Kind == domain.KindService && p.Status == domain.InProgress && len(p.Agencies) >= 2 {
				eligible = append(eligible, p.Slug)
			}
		}
		if len(eligible) == 0 {
			b.Fatal("no project can be designated")
		}
		var jobs [][2]string
		for k := 0; len(jobs) < b.N; k++ {
			g := &domain.Program{Slug: fmt.Sprintf("bench-w-%d-%d", b.N, k), Title: domain.T("فهرست سنجش", "Benchmark list"),
				Term: len(doc.Terms), Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramDraft}
			testkit.Must(b, svc.CreateProgram(ctx, service.System, g))
			for _, p := range eligible {
				jobs = append(jobs, [2]string{g.Slug, p})
			}
		}
		sec := service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
		groupStats(b, db, func() {
			parallelWrites(b, func(_, i int) error {
				_, _, err := svc.Designate(ctx, sec, service.Designation{Program: jobs[i][0], Project: jobs[i][1]})
				return err
			})
		}, 1)
	})
	// Each report writer its own agency and its own (project, month) pairs,
	// months before any generated report, none used twice across runs.
	agencies := busiestAgencies(doc, designateWriters)
	var mu sync.Mutex
	next := map[string]int{}
	b.Run("report", func(b *testing.B) {
		work := func(w int) (project string, period domain.Period) {
			a := agencies[w%len(agencies)]
			mu.Lock()
			k := next[a.code]
			next[a.code]++
			mu.Unlock()
			p, m := a.projects[k%len(a.projects)], k/len(a.projects)
			return p, domain.Period(fmt.Sprintf("%04d-%02d", 1401-m/12, 12-m%12))
		}
		groupStats(b, db, func() {
			parallelWrites(b, func(w, _ int) error {
				a := agencies[w%len(agencies)]
				actor := service.Actor{Name: "token:" + a.code, Role: service.RoleAgency, Agency: a.code}
				project, period := work(w)
				r := &domain.Report{Project: project, Period: period, Narrative: domain.T("گزارش آزمون بار", "load test report")}
				if err := svc.CreateReport(ctx, actor, r); err != nil {
					return err
				}
				_, err := svc.SubmitReport(ctx, actor, r.ID, r.Version)
				return err
			})
		}, 2)
	})
}

// nationalWrites opens a copy of PISHRAN_MISS_DB, once for every run.
func nationalWrites(b *testing.B) (*service.Service, *store.DB, *domain.Document) {
	src := testkit.NationalSource(b, "to measure writes at national scale; it is copied first")
	ctx := context.Background()
	db, err := testkit.OpenNational(ctx, src, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := service.New(db, slog.New(slog.DiscardHandler))
	doc, err := svc.Export(ctx, service.System)
	if err != nil {
		b.Fatal(err)
	}
	return svc, db, doc
}

// groupStats runs run and reports the process's CPU per write (perOp
// writes an operation), writes a second and transactions per group commit.
func groupStats(b *testing.B, db *store.DB, run func(), perOp int) {
	c0, t0 := db.GroupStats()
	cpu0, w0 := testkit.ProcessCPU(), time.Now()
	run()
	cpu, wall := testkit.ProcessCPU()-cpu0, time.Since(w0)
	c1, t1 := db.GroupStats()
	writes := float64(b.N * perOp)
	b.ReportMetric(float64(cpu.Microseconds())/writes, "cpu-µs/write")
	b.ReportMetric(writes/wall.Seconds(), "writes/s")
	if c1 > c0 {
		b.ReportMetric(float64(t1-t0)/float64(c1-c0), "tx/commit")
	}
}

// parallelWrites runs op for 0 ≤ i < b.N from designateWriters goroutines
// (w: the writer) and reports each operation's latency (p50, p99, max).
// PISHRAN_BENCH_BUSY=n keeps n more goroutines spinning meanwhile.
func parallelWrites(b *testing.B, op func(w, i int) error) {
	stop := busy()
	defer stop()
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	for w := range designateWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.N {
					return
				}
				t0 := time.Now()
				err := op(w, i)
				lat[i] = time.Since(t0)
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		b.Logf("load average: %s", load)
	}
}

type agencyWork struct {
	code     string
	projects []string
}

// busiestAgencies are the n agencies on the most projects (lead or
// participant), as bench/load picks its report writers.
func busiestAgencies(doc *domain.Document, n int) []agencyWork {
	on := map[string][]string{}
	for i := range doc.Projects {
		for _, pa := range doc.Projects[i].Agencies {
			on[pa.Agency] = append(on[pa.Agency], doc.Projects[i].Slug)
		}
	}
	var out []agencyWork
	for code, ps := range on {
		out = append(out, agencyWork{code, ps})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].projects) != len(out[j].projects) {
			return len(out[i].projects) > len(out[j].projects)
		}
		return out[i].code < out[j].code
	})
	return out[:min(n, len(out))]
}

// busy spins PISHRAN_BENCH_BUSY goroutines until stop is called.
func busy() (stop func()) {
	n, _ := strconv.Atoi(os.Getenv("PISHRAN_BENCH_BUSY"))
	done := make(chan struct{})
	for range n {
		go func() {
			x := 0
			for {
				select {
				case <-done:
					return
				default:
					for i := range 100000 {
						x += i
					}
				}
			}
		}()
	}
	return func() { close(done) }
}
