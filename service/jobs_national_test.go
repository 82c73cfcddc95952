package service_test

import (
	"context"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// BenchmarkNationalJobs runs the day's background jobs (reminders, audit
// checkpoint, audit verification, notices) over a copy of a national
// database — bench/load's p10000-*.db, named by PISHRAN_MISS_DB — without
// rests between steps (duty 1), so it measures what a run costs: its CPU
// seconds (cpu-s/run), its wall time and the reminder rows it leaves.
// Then it runs the next day's jobs on the same database: what a day on
// which little changed costs (next-cpu-s), and how many reminder rows it
// adds (next-rows: only what changed is written). Run:
//
//	PISHRAN_MISS_DB=/path/p10000.db go test ./service/ -run '^$' -bench NationalJobs -benchtime 1x
func BenchmarkNationalJobs(b *testing.B) {
	src := testkit.NationalSource(b, "to measure the daily jobs at national scale; it is copied first")
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		db, err := testkit.OpenNational(ctx, src, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		svc := service.New(db, slog.New(slog.DiscardHandler))
		svc.SetJobDuty(1)
		day := time.Now().UTC()
		b.StartTimer()
		cpu0, t0 := testkit.ProcessCPU(), time.Now()
		ran, err := svc.RunDueJobs(ctx, "bench", day)
		if err != nil {
			b.Fatal(err)
		}
		cpu, wall := testkit.ProcessCPU()-cpu0, time.Since(t0)
		rows := reminderRows(b, db)
		cpu1 := testkit.ProcessCPU()
		if _, err := svc.RunDueJobs(ctx, "bench", day.AddDate(0, 0, 1)); err != nil {
			b.Fatal(err)
		}
		next := testkit.ProcessCPU() - cpu1
		b.StopTimer()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(cpu.Seconds(), "cpu-s/run")
		b.ReportMetric(wall.Seconds(), "wall-s/run")
		b.ReportMetric(float64(rows), "rows")
		b.ReportMetric(next.Seconds(), "next-cpu-s")
		b.ReportMetric(float64(reminderRows(b, db)-rows), "next-rows")
		b.ReportMetric(float64(ms.HeapSys>>20), "heap-sys-MiB")
		b.Logf("jobs %v: %.1f s CPU, %.1f s wall, %d reminder rows; the next day %.1f s CPU", ran, cpu.Seconds(), wall.Seconds(), rows, next.Seconds())
		db.Close()
		b.StartTimer()
	}
}

func reminderRows(b *testing.B, db *store.DB) (n int64) {
	if err := db.View(context.Background(), func(tx *store.Tx) (err error) { n, err = tx.ReminderRows(); return err }); err != nil {
		b.Fatal(err)
	}
	return n
}
