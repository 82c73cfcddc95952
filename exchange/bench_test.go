package exchange

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The import benchmark reads a gzip file of generated telemetry at national
// volume. The file is generated once and kept outside the repository, in
// $PISHRAN_EXCHANGE_BENCH_DIR (default: the system's temporary directory),
// under a name that says what is in it. Its size is set by
// $PISHRAN_EXCHANGE_BENCH_MESSAGES (default 5,600,000 messages, which the
// generator logs as about 10.4 million records: most messages are logged by
// both servers).
//
//	GOTOOLCHAIN=go1.27.3 go test ./exchange/ -run XXX -bench ImportGzip -benchtime 1x
//
// It reports records/s, the peak heap in use and the peak resident set
// during the import, and the load average, since the machine is shared.

const benchSeed = 1402

func benchFile(b *testing.B) (string, int64) {
	b.Helper()
	messages := int64(5_600_000)
	if s := os.Getenv("PISHRAN_EXCHANGE_BENCH_MESSAGES"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			b.Fatalf("PISHRAN_EXCHANGE_BENCH_MESSAGES=%q", s)
		}
		messages = n
	}
	dir := os.Getenv("PISHRAN_EXCHANGE_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "pishran-exchange-bench")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	name := filepath.Join(dir, fmt.Sprintf("opmon-v1-seed%d-%dmsg.json.gz", benchSeed, messages))
	countFile := name + ".records"
	if c, err := os.ReadFile(countFile); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(c)), 10, 64); err == nil {
			return name, n
		}
	}
	// 151 agencies: the number connected to NIX in 1396.
	clients, services := SyntheticCatalogue(151, benchSeed)
	f, err := os.Create(name + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	w := bufio.NewWriterSize(f, 1<<20)
	truth, err := Generate(w, GenConfig{Seed: benchSeed, Messages: messages, Clients: clients, Services: services, Gzip: true})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(name+".tmp", name); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(countFile, []byte(strconv.FormatInt(truth.Records, 10)), 0o644); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(name)
	b.Logf("generated %s: %d records (%d messages, %d pairs) in %v, %.0f MB", name, truth.Records, truth.Messages, len(truth.Pairs), time.Since(start).Round(time.Second), float64(st.Size())/1e6)
	return name, truth.Records
}

// peaks samples the heap and the resident set while an import runs.
type peaks struct {
	heapInuse, rss atomic.Uint64
	stop           chan struct{}
	done           sync.WaitGroup
}

func watchPeaks() *peaks {
	p := &peaks{stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > p.heapInuse.Load() {
				p.heapInuse.Store(ms.HeapInuse)
			}
			if r := rss(); r > p.rss.Load() {
				p.rss.Store(r)
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peaks) end() { close(p.stop); p.done.Wait() }

// rss is the process's resident set in bytes (Linux), 0 elsewhere.
func rss() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the user and system time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAvg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.Join(strings.Fields(string(b))[:min(3, len(strings.Fields(string(b))))], " ")
}

// importFile reads and aggregates one file as the import will: reader,
// aggregator, and a flush that encodes each aggregate as the row a store
// would write (counters and compact histograms) and lets it go. It returns
// the report, the number of rows and their bytes.
func importFile(b *testing.B, r io.Reader) (*Report, int, int) {
	var row []byte
	rows, size := 0, 0
	ag := NewAggregator(func(a *Aggregate) error {
		row = row[:0]
		row = append(row, a.Client.String()...)
		row = append(row, a.Service.String()...)
		row = binary.AppendVarint(row, a.Start.UnixMilli())
		for _, s := range []*Stats{&a.ClientLog, &a.ProducerLog} {
			for _, v := range []uint64{s.Successes, s.Failures, s.RequestBytes, s.ResponseBytes, s.MaxRequestBytes, s.MaxResponseBytes,
				uint64(s.FirstSeen), uint64(s.LastSeen), uint64(s.FirstSuccess), uint64(s.LastSuccess)} {
				row = binary.AppendUvarint(row, v)
			}
			row, _ = s.Durations.AppendBinary(row)
		}
		rows++
		size += len(row)
		return nil
	}, 0)
	rd, err := NewReader(r, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for rd.Next() {
		if err := ag.Add(rd.Record()); err != nil {
			b.Fatal(err)
		}
	}
	if err := rd.Err(); err != nil {
		b.Fatal(err)
	}
	if err := ag.Close(); err != nil {
		b.Fatal(err)
	}
	return rd.Report(), rows, size
}

func BenchmarkImportGzip(b *testing.B) {
	name, records := benchFile(b)
	if records < 10_000_000 && os.Getenv("PISHRAN_EXCHANGE_BENCH_MESSAGES") == "" {
		b.Fatalf("the benchmark file holds %d records, fewer than 10 million", records)
	}
	st, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	debug.FreeOSMemory()
	before := loadAvg()
	p := watchPeaks()
	cpu0 := cpuTime()
	b.ResetTimer()
	var rep *Report
	var rows, size int
	for range b.N {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		rep, rows, size = importFile(b, f)
		f.Close()
	}
	b.StopTimer()
	cpu := cpuTime() - cpu0
	p.end()
	if rep.Records != records {
		b.Fatalf("read %d records, the file holds %d", rep.Records, records)
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(records)/secs, "records/s")
	b.ReportMetric(float64(p.heapInuse.Load())/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(p.rss.Load())/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(float64(st.Size())/secs/1e6, "gzip-MB/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(records*int64(b.N)), "cpu-ns/record")
	b.Logf("%d records (%d accepted, %d duplicates, %d bad) into %d hourly aggregate rows of %d bytes on average, %.1f s each; %.0f MB gzip, %.1f GB of JSON; load average before %s, after %s; GOMAXPROCS %d",
		rep.Records, rep.Accepted, rep.Duplicates, rep.Bad, rows, size/max(rows, 1), secs, float64(st.Size())/1e6, float64(rep.Bytes)/1e9, before, loadAvg(), runtime.GOMAXPROCS(0))
}

// benchData is a small generated input held in memory, for profiling the
// reader without the disk.
var benchData = sync.OnceValues(func() ([]byte, *Truth) {
	clients, services := SyntheticCatalogue(151, benchSeed)
	var buf bytes.Buffer
	truth, err := Generate(&buf, GenConfig{Seed: benchSeed, Messages: 50_000, Clients: clients, Services: services, Gzip: true})
	if err != nil {
		panic(err)
	}
	return buf.Bytes(), truth
})

// BenchmarkReadRecords reads ~93,000 gzip records from memory, per record.
func BenchmarkReadRecords(b *testing.B) {
	data, truth := benchData()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		rd, err := NewReader(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		for rd.Next() {
		}
		if rd.Err() != nil {
			b.Fatal(rd.Err())
		}
	}
	b.ReportMetric(float64(truth.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(truth.Records*int64(b.N)), "cpu-ns/record")
}

// BenchmarkImportMemory is BenchmarkReadRecords plus the aggregation.
func BenchmarkImportMemory(b *testing.B) {
	data, truth := benchData()
	cpu0 := cpuTime()
	b.ResetTimer()
	for range b.N {
		importFile(b, bytes.NewReader(data))
	}
	b.ReportMetric(float64(truth.Records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(truth.Records*int64(b.N)), "cpu-ns/record")
}

// BenchmarkGenerate writes a million messages of gzip telemetry to nowhere,
// and reports the rate and the peak heap, which stays flat whatever the
// count.
func BenchmarkGenerate(b *testing.B) {
	clients, services := SyntheticCatalogue(151, benchSeed)
	runtime.GC()
	p := watchPeaks()
	var records int64
	b.ResetTimer()
	for range b.N {
		truth, err := Generate(io.Discard, GenConfig{Seed: benchSeed, Messages: 1_000_000, Clients: clients, Services: services, Gzip: true})
		if err != nil {
			b.Fatal(err)
		}
		records += truth.Records
	}
	b.StopTimer()
	p.end()
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(p.heapInuse.Load())/(1<<20), "peak-heap-MiB")
}
