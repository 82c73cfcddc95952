package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// worker is one connection's driver: its client, its random source and
// what it measured.
type worker struct {
	id     int
	base   string // the server's URL
	client *http.Client
	rng    *rand.Rand
	lats   []time.Duration
	bytes  int // body size of the last answer
	errs   int
	sample []string // the first few errors, to show
}

// do sends req, reads the whole answer and records its latency; a status
// other than want, or a transport error, counts as an error.
func (w *worker) do(req *http.Request, want int) (*http.Response, []byte, bool) {
	t0 := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		w.fail(req, err.Error())
		return nil, nil, false
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	w.lats = append(w.lats, time.Since(t0))
	w.bytes = len(body)
	if err != nil {
		w.fail(req, err.Error())
		return resp, nil, false
	}
	if resp.StatusCode != want {
		w.fail(req, fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(body[:min(len(body), 300)])))
		return resp, body, false
	}
	return resp, body, true
}

func (w *worker) fail(req *http.Request, msg string) {
	w.errs++
	if len(w.sample) < 3 {
		w.sample = append(w.sample, req.Method+" "+req.URL.RequestURI()+": "+msg)
	}
}

func (w *worker) get(path string) bool {
	req, _ := http.NewRequest("GET", w.base+path, nil)
	_, _, ok := w.do(req, 200)
	return ok
}

// routeResult is what one route measured.
type routeResult struct {
	Name, Path    string
	Keys          int    // distinct request targets (1: a hot route)
	Miss          bool   // every request defeated the address-keyed caches
	Driver        string // the client that measured it
	Requests      int
	Errors        int
	Elapsed       time.Duration
	P50, P90, P99 time.Duration
	CPU           time.Duration // the server's CPU time over the run
	ClientCPU     time.Duration // the read client's CPU time over the run
	PeakRSS       int64
	Note          string
	Samples       []string
	Bytes         int // size of an answer
}

// CPUPerReq is the server's CPU time per request answered.
func (r routeResult) CPUPerReq() time.Duration { return cpuPerRequest(r.CPU, r.Requests) }

func (r routeResult) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// drive runs op on n connections of a net/http client for d (or until op
// reports there is no more work) and gathers the measurements. The writes
// use it: each is a request built from the answers before it, and the
// server, not this client, is their bottleneck (a few thousand a second).
func drive(s *server, name, path string, d time.Duration, n int, op func(w *worker) bool) routeResult {
	tr := &http.Transport{MaxIdleConns: n, MaxIdleConnsPerHost: n, MaxConnsPerHost: n, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	workers := make([]*worker, n)
	for i := range workers {
		workers[i] = &worker{id: i, base: s.base, client: client, rng: rand.New(rand.NewPCG(uint64(i+1), 42)), lats: make([]time.Duration, 0, 1<<15)}
	}
	// warm up: one request per connection, not measured
	for _, w := range workers {
		op(w)
		w.lats, w.errs, w.sample = w.lats[:0], 0, nil
	}
	cpu0, _ := processCPU(s.cmd.Process.Pid)
	var profile chan error
	if wantProfile(name) {
		profile = make(chan error, 1)
		go func() { profile <- takeProfile(s, name, d) }()
	}
	t0 := time.Now()
	deadline := t0.Add(d)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if !op(w) {
					return
				}
			}
		}()
	}
	wg.Wait()
	r := routeResult{Name: name, Path: path, Elapsed: time.Since(t0), PeakRSS: s.rss.peakSince(t0), Driver: "go (net/http)", Keys: 1}
	if cpu1, err := processCPU(s.cmd.Process.Pid); err == nil {
		r.CPU = cpu1 - cpu0
	}
	var all []time.Duration
	for _, w := range workers {
		r.Bytes = max(r.Bytes, w.bytes)
		all = append(all, w.lats...)
		r.Errors += w.errs
		r.Samples = append(r.Samples, w.sample...)
	}
	r.Requests = len(all)
	r.P50, r.P90, r.P99 = latencySummary(all)
	if profile != nil {
		if err := <-profile; err != nil {
			logf("profile of %s: %v", name, err)
		}
	}
	logResult(s, r)
	for _, s := range r.Samples {
		logf("  error: %s", s)
	}
	return r
}
