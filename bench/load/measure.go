package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// answerSize is the mean body size of up to 20 of the route's targets,
// fetched once (unmeasured) before the run.
func answerSize(base string, r readRoute) int {
	rng := rand.New(rand.NewPCG(1, 2))
	n := min(20, len(r.Paths))
	total, got := 0, 0
	for i := range n {
		p := r.Paths[i]
		if len(r.Paths) > n {
			p = r.Paths[rng.IntN(len(r.Paths))]
		}
		if code, size := status(base + p); code == 200 {
			total += size
			got++
		}
	}
	if got == 0 {
		return 0
	}
	return total / got
}

// measureRead drives one read route on the server with the read driver
// and adds what the server paid for it: its CPU time (from /proc) and its
// peak resident set over the run.
func measureRead(s *server, drv readDriver, r readRoute, dur time.Duration, seed uint64) routeResult {
	size := answerSize(s.base, r)
	l := load{Host: s.host, Paths: r.Paths, Bust: r.Miss, Conns: *flagConns, Dur: dur, Seed: seed}
	pid := s.cmd.Process.Pid
	var profile chan error
	if wantProfile(r.Name) {
		profile = make(chan error, 1)
		go func() { profile <- takeProfile(s, r.Name, dur) }()
	}
	t0 := time.Now()
	cpu0, cpuErr := processCPU(pid)
	res, err := drv.Run(l)
	cpu1, cpuErr2 := processCPU(pid)
	if err != nil {
		res.Errors++
		res.Samples = append(res.Samples, err.Error())
	}
	if cpuErr == nil && cpuErr2 == nil {
		res.CPU = cpu1 - cpu0
	}
	res.Name, res.Path, res.Keys, res.Miss, res.Driver, res.Bytes = r.Name, r.Path, len(r.Paths), r.Miss, drv.Name(), size
	res.PeakRSS = s.rss.peakSince(t0)
	if profile != nil {
		if err := <-profile; err != nil {
			logf("profile of %s: %v", r.Name, err)
		}
	}
	logResult(s, res)
	return res
}

func logResult(s *server, r routeResult) {
	logf("%-30s %8.0f req/s  p50 %-8s p99 %-8s CPU/req %-8s errors %d  peak RSS %s  (now: %s)", r.Name, r.RPS(), ms(r.P50), ms(r.P99),
		ms(r.CPUPerReq()), r.Errors, mib(r.PeakRSS), s.memory())
	for _, e := range r.Samples {
		logf("  error: %s", e)
	}
}

// bareLimits measures the bare route (internal/httpx/bench.go) at each
// size asked for, on the same server process: what the machine, the HTTP
// stack and the middleware can serve at most at that answer size, with
// no database or template work. Sizes within 5% of one measured share its
// figure.
type bareLimits struct {
	s    *server
	drv  readDriver
	dur  time.Duration
	max  int
	done map[int]routeResult
}

// at is the bare route's limit at size bytes (measuring it if no size
// near it was measured yet).
func (b *bareLimits) at(size int) routeResult {
	size = min(max(size, 1), b.max)
	for k, r := range b.done {
		if float64(abs(k-size)) <= 0.05*float64(size) {
			return r
		}
	}
	path := "/_bench/bare?bytes=" + strconv.Itoa(size)
	r := measureRead(b.s, b.drv, readRoute{Name: fmt.Sprintf("bare limit at %s", kb(size)), Path: path, Paths: []string{path}}, b.dur, 1)
	r.Bytes = size
	b.done[size] = r
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// bareMax is the largest bare body the benchmark may ask for: above any
// answer it measures (the comparison is ~400 KB at national scale).
const bareMax = 4 << 20
