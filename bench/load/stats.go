package main

import (
	"slices"
	"time"
)

// percentile is the p-th percentile (0 < p ≤ 100) of sorted latencies by
// the nearest-rank method: the smallest value that at least p% of the
// values do not exceed. Nothing measured gives 0.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// nearest rank: ceil(p/100 × n), 1-based
	rank := int(p / 100 * float64(len(sorted)))
	if float64(rank) < p/100*float64(len(sorted)) {
		rank++
	}
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// latencySummary sorts lats in place and fills p50, p90 and p99.
func latencySummary(lats []time.Duration) (p50, p90, p99 time.Duration) {
	slices.Sort(lats)
	return percentile(lats, 50), percentile(lats, 90), percentile(lats, 99)
}

// ratio is a/b, or 0 when b is 0 (nothing to compare with).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// median of the values (the lower middle of an even count); 0 for none.
func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// cpuPerRequest is the server's CPU time over a run divided by the
// requests it answered.
func cpuPerRequest(cpu time.Duration, requests int) time.Duration {
	if requests <= 0 {
		return 0
	}
	return cpu / time.Duration(requests)
}

// window accumulates the slices of a route driven in turns (the job
// window): requests and time add up; the percentiles of a slice cannot be
// merged with another's, so p50 is weighted by requests and p99 is the
// worst slice's.
type window struct {
	Requests, Errors int
	Elapsed          time.Duration
	p50w             float64 // Σ p50 × requests
	P99              time.Duration
	Slices           int
}

func (w *window) add(r routeResult) {
	w.Requests += r.Requests
	w.Errors += r.Errors
	w.Elapsed += r.Elapsed
	w.p50w += float64(r.P50) * float64(r.Requests)
	w.P99 = max(w.P99, r.P99)
	w.Slices++
}

func (w *window) RPS() float64 {
	if w.Elapsed <= 0 {
		return 0
	}
	return float64(w.Requests) / w.Elapsed.Seconds()
}

func (w *window) P50() time.Duration {
	if w.Requests == 0 {
		return 0
	}
	return time.Duration(w.p50w / float64(w.Requests))
}
