package service_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// designateWriters is how many secretariat writers designate at once.
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
			stop := busy()
			defer stop()
			sec := service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range designateWriters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1) - 1)
						if i >= b.N {
							return
						}
						t0 := time.Now()
						_, _, err := env.Svc.Designate(ctx, sec, service.Designation{Program: "bench", Project: fmt.Sprintf("d%06d", i)})
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
		})
	}
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
