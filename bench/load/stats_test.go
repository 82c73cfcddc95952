package main

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var lats []time.Duration
	for i := 100; i >= 1; i-- { // 1..100 ms, unsorted
		lats = append(lats, time.Duration(i)*time.Millisecond)
	}
	p50, p90, p99 := latencySummary(lats)
	if p50 != 50*time.Millisecond || p90 != 90*time.Millisecond || p99 != 99*time.Millisecond {
		t.Errorf("1..100 ms: p50 %v p90 %v p99 %v; want 50, 90, 99 ms", p50, p90, p99)
	}
	few := []time.Duration{1, 2, 3}
	for p, want := range map[float64]time.Duration{1: 1, 33: 1, 34: 2, 50: 2, 67: 3, 99: 3, 100: 3} {
		if got := percentile(few, p); got != want {
			t.Errorf("p%v of 1,2,3 = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 50) != 0 {
		t.Error("the percentile of nothing should be 0")
	}
	one := []time.Duration{7}
	if percentile(one, 1) != 7 || percentile(one, 99) != 7 {
		t.Error("every percentile of one value is that value")
	}
}

func TestRatiosAndMedians(t *testing.T) {
	if ratio(3, 0) != 0 || ratio(3, 4) != 0.75 {
		t.Errorf("ratio: %v, %v", ratio(3, 0), ratio(3, 4))
	}
	if m := median([]int64{5, 1, 9, 3}); m != 3 {
		t.Errorf("median of 5,1,9,3 (lower middle) = %d, want 3", m)
	}
	if m := median([]int64{5, 1, 9}); m != 5 {
		t.Errorf("median of 5,1,9 = %d, want 5", m)
	}
	if median(nil) != 0 {
		t.Error("median of nothing")
	}
	if c := cpuPerRequest(2*time.Second, 4000); c != 500*time.Microsecond {
		t.Errorf("2 s of CPU over 4,000 requests = %v, want 0.5 ms", c)
	}
	if cpuPerRequest(time.Second, 0) != 0 {
		t.Error("CPU per request of no request should be 0")
	}
}

func TestWindowMergesTurns(t *testing.T) {
	var w window
	w.add(routeResult{Requests: 1000, Elapsed: time.Second, P50: time.Millisecond, P99: 10 * time.Millisecond})
	w.add(routeResult{Requests: 3000, Errors: 2, Elapsed: time.Second, P50: 3 * time.Millisecond, P99: 5 * time.Millisecond})
	if w.RPS() != 2000 {
		t.Errorf("4,000 requests in 2 s: %v req/s", w.RPS())
	}
	if w.P50() != 2500*time.Microsecond { // (1×1000 + 3×3000) / 4000
		t.Errorf("weighted p50 %v, want 2.5 ms", w.P50())
	}
	if w.P99 != 10*time.Millisecond || w.Errors != 2 || w.Slices != 2 {
		t.Errorf("worst p99 %v, errors %d, turns %d", w.P99, w.Errors, w.Slices)
	}
	var empty window
	if empty.RPS() != 0 || empty.P50() != 0 {
		t.Error("an empty window measures nothing")
	}
}

func TestParseStatCPU(t *testing.T) {
	// the command name may hold spaces and parentheses; utime 1234 and
	// stime 66 ticks are fields 14 and 15
	stat := "4242 (pish ran (x)) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 66 0 0 20 0 9 0 100 2000000 3000 18446744073709551615"
	cpu, err := parseStatCPU(stat)
	if err != nil || cpu != 1300*clockTick {
		t.Errorf("CPU %v, %v; want 13 s", cpu, err)
	}
	if _, err := parseStatCPU("4242 pishran S 1"); err == nil {
		t.Error("a stat line without a command name was read")
	}
	if _, err := parseStatCPU("4242 (p) S 1 2 3"); err == nil {
		t.Error("a short stat line was read")
	}
	if got := parseStatusKB("Name:\tp\nVmHWM:\t  90000 kB\nVmRSS:\t  81234 kB\n", "VmRSS"); got != 81234*1024 {
		t.Errorf("VmRSS %d", got)
	}
}
