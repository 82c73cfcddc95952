package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
	"github.com/pishran/pishran/web"
)

// BenchmarkPagesDuringReminders measures the public home and project pages
// (half the home, half a random project page each, in both languages) from
// 8 readers at national scale (10,000 projects, their follow-up and
// meetings), first without a job, then while the day's first reminders run
// writes what every agency owes, then without again; it reports the pages'
// throughput during the run as a share of the throughput without
// (during-%), the run's length, and the process's largest resident memory
// (VmRSS) and heap through it, with the collections per second, under the
// soft memory limit serve sets. Run once:
//
//	go test ./web/ -run '^$' -bench PagesDuringReminders -benchtime 1x -timeout 60m
func BenchmarkPagesDuringReminders(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "national.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	svc := service.New(db, log)
	doc := synth.Registry(synth.National)
	follow := synth.ProgressOf(doc, synth.National.Seed)
	meetings := synth.MeetingsOf(doc, synth.National.Seed, synth.NationalMeetings, synth.NationalActions)
	now := func() time.Time { return synth.AuditUntil }
	db.SetClock(now)
	if err := svc.Import(ctx, service.System, doc); err != nil {
		b.Fatal(err)
	}
	if err := svc.LoadFollowUp(ctx, service.System, follow); err != nil {
		b.Fatal(err)
	}
	if err := svc.LoadMeetings(ctx, service.System, meetings.Series, meetings.Meetings, meetings.Actions); err != nil {
		b.Fatal(err)
	}
	var slugs []string
	for _, p := range doc.Projects {
		if p.Confidentiality == domain.Public {
			slugs = append(slugs, p.Slug)
		}
	}
	follow, meetings, doc = nil, nil, nil
	// As `pishran serve` runs: its soft memory limit (PISHRAN_BENCH_MEMLIMIT
	// MiB, default serve's 56), the loading's garbage handed back.
	limit := 56
	if v, err := strconv.Atoi(os.Getenv("PISHRAN_BENCH_MEMLIMIT")); err == nil {
		limit = v
	}
	if limit > 0 {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(limit) << 20))
	}
	debug.FreeOSMemory()
	site, err := web.New(svc, log, web.Options{Now: now})
	if err != nil {
		b.Fatal(err)
	}
	h := site.Handler()

	// drive runs 8 readers until stop closes, and returns the pages served.
	drive := func(stop <-chan struct{}) (n int64) {
		var served atomic.Int64
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(w), 7))
				for {
					select {
					case <-stop:
						return
					default:
					}
					path := "/"
					if r.IntN(2) == 1 {
						path = "/projects/" + slugs[r.IntN(len(slugs))]
					}
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.AddCookie(&http.Cookie{Name: "pishran_lang", Value: []string{"fa", "en"}[r.IntN(2)]})
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("%s: %d", path, rec.Code)
						return
					}
					served.Add(1)
				}
			}()
		}
		<-stop
		wg.Wait()
		return served.Load()
	}
	window := func(d time.Duration, until <-chan struct{}) (float64, time.Duration) {
		stop := make(chan struct{})
		t0 := time.Now()
		go func() {
			select {
			case <-time.After(d):
			case <-until:
			}
			close(stop)
		}()
		n := drive(stop)
		took := time.Since(t0)
		return float64(n) / took.Seconds(), took
	}
	const slice = 10 * time.Second
	window(2*time.Second, nil) // warm the caches
	before, _ := window(slice, nil)

	// The day's first reminders run, on the next day.
	day := synth.AuditUntil.Add(24 * time.Hour)
	done := make(chan struct{})
	var jobErr error
	var outcome string
	var jobTook time.Duration
	var rss, heap atomic.Int64
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	go func() {
		defer close(done)
		t0 := time.Now()
		_, jobErr = svc.RunDueJobs(ctx, "bench", day)
		jobTook = time.Since(t0)
	}()
	go func() { // memory through the run
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(500 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			heap.Store(max(heap.Load(), int64(ms.HeapInuse)))
			rss.Store(max(rss.Load(), vmRSS()))
		}
	}()
	var during []float64
	for {
		rate, took := window(slice, done)
		if took > slice/2 {
			during = append(during, rate)
		}
		select {
		case <-done:
		default:
			continue
		}
		break
	}
	if jobErr != nil {
		b.Fatal(jobErr)
	}
	testkitOutcome(b, db, day, &outcome)
	after, _ := window(slice, nil)
	without := (before + after) / 2
	var sum float64
	for _, r := range during {
		sum += r
	}
	mean := sum / float64(max(1, len(during)))
	b.ReportMetric(without, "pages/s-without")
	b.ReportMetric(mean, "pages/s-during")
	b.ReportMetric(100*mean/without, "during-%")
	b.ReportMetric(jobTook.Seconds(), "job-s")
	var ms1 runtime.MemStats
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(rss.Load())/(1<<20), "RSS-MiB")
	b.ReportMetric(float64(heap.Load())/(1<<20), "heap-MiB")
	b.ReportMetric(float64(ms1.NumGC-ms0.NumGC)/jobTook.Seconds(), "GC/s")
	load, _ := os.ReadFile("/proc/loadavg")
	b.Logf("reminders: %s in %s; pages/s without %.0f (before %.0f, after %.0f), during %v; load average %s",
		outcome, jobTook.Round(time.Millisecond), without, before, after, during, bytes.TrimSpace(load))
}

// testkitOutcome reads the reminders run's outcome for day.
func testkitOutcome(b *testing.B, db *store.DB, day time.Time, out *string) {
	err := db.View(context.Background(), func(tx *store.Tx) error {
		runs, err := tx.JobRuns("reminders", 10)
		for _, r := range runs {
			if r.Slot == day.Format("2006-01-02") {
				*out = r.Outcome
			}
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// vmRSS is the process's resident memory, in bytes.
func vmRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(v), []byte(" kB"))), 10, 64)
			return kb << 10
		}
	}
	return 0
}
