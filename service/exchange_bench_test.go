package service_test

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// BenchmarkExchangeImportStore imports telemetry through the service into
// a fresh SQLite database, the store's writes included: the file named by
// PISHRAN_EXCHANGE_FILE (gzip, as `pishran generate telemetry` writes it;
// the figure is taken on 10 million records or more), or 200,000
// generated messages when none is named. It reports records/s, the peak
// RSS of the import (the process's high-water mark reset before it) and
// the bytes the database takes per hourly aggregate row.
//
//	PISHRAN_EXCHANGE_FILE=/tmp/x/national.json.gz go test ./service/ -run '^$' -bench ExchangeImportStore -benchtime 1x
func BenchmarkExchangeImportStore(b *testing.B) {
	name := os.Getenv("PISHRAN_EXCHANGE_FILE")
	if name == "" {
		clients, services := exchange.SyntheticCatalogue(151, 5)
		var buf bytes.Buffer
		if _, err := exchange.Generate(&buf, exchange.GenConfig{Seed: 5, Messages: 200_000, Clients: clients, Services: services, Gzip: true}); err != nil {
			b.Fatal(err)
		}
		name = b.TempDir() + "/gen.json.gz"
		if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	var records, rows, grown, peak int64
	for b.Loop() {
		b.StopTimer()
		// The clock stands a day after the generator's default start, so
		// the hours are within the retention and stay.
		env := scenario.New(b, testkit.SQLite, scenario.At(time.Date(2024, 3, 11, 12, 0, 0, 0, time.UTC)))
		before := dbSize(b, env)
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		resetPeak()
		b.StartTimer()
		res, err := env.Svc.ImportExchange(env.Ctx, service.System, bufio.NewReaderSize(f, 1<<20), name)
		b.StopTimer()
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, peakRSS())
		records += res.Report.Records
		rows = res.Hours + res.Days
		grown = dbSize(b, env) - before
		b.Logf("%d records (%d accepted, %d duplicates, %d bad): %d hour and %d day rows; database +%d bytes", res.Report.Records,
			res.Report.Accepted, res.Report.Duplicates, res.Report.Bad, res.Hours, res.Days, grown)
		b.StartTimer()
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(float64(grown)/float64(max(rows, 1)), "db-bytes/row")
}

// dbSize is the SQLite database's size once its WAL is checkpointed.
func dbSize(b *testing.B, env *scenario.Env) int64 {
	write, _ := env.DB.Pools()
	if _, err := write.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	var pages, size int64
	if err := write.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		b.Fatal(err)
	}
	if err := write.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		b.Fatal(err)
	}
	return pages * size
}

// peakRSS is the process's resident high-water mark (VmHWM), in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// resetPeak resets VmHWM to the current RSS (Linux: clear_refs 5).
func resetPeak() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }
