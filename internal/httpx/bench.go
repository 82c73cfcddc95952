package httpx

import (
	"bytes"
	"net/http"
	"net/http/pprof"
	"os"
	"strconv"
	"strings"
)

// BenchBareEnv names the environment variable that makes the root add
// GET /_bench/bare, a route that answers a fixed body of that many bytes
// and does nothing else; GET /_bench/bare?bytes=N answers the first N of
// them instead. The load benchmark (bench/load) starts the server with it
// set to the largest answer it measures, and drives the bare route at each
// route's answer size in the same process, to measure what this machine,
// this HTTP stack and its middleware (metrics, cross-origin check) can
// serve at most at that size; every route's throughput is reported as a
// fraction of that. Unset — always, outside the benchmark — the route does
// not exist.
const BenchBareEnv = "PISHRAN_BENCH_BARE"

// BenchPprofEnv, set to 1, makes the root add the runtime profiler's
// routes under /debug/pprof/, so that the load benchmark can take a CPU
// profile of a route under load (bench/load -profile). Never set it on a
// server others can reach: profiles show the program's insides.
const BenchPprofEnv = "PISHRAN_BENCH_PPROF"

// benchBareMax bounds the bare body.
const benchBareMax = 16 << 20

// mountBench adds the benchmark's routes when their variables are set.
func (rt *Root) mountBench() {
	log := rt.Config().Log
	if os.Getenv(BenchPprofEnv) == "1" {
		rt.mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		rt.mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		rt.mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		// heap, allocs, goroutine…: the named runtime profiles, so that a
		// run can see what holds memory as well as where the CPU goes
		rt.mux.Handle("GET /debug/pprof/heap", pprof.Handler("heap"))
		rt.mux.Handle("GET /debug/pprof/allocs", pprof.Handler("allocs"))
		rt.mux.Handle("GET /debug/pprof/goroutine", pprof.Handler("goroutine"))
		log.Warn("benchmark profiler routes enabled under /debug/pprof/")
	}
	v := os.Getenv(BenchBareEnv)
	if v == "" {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > benchBareMax {
		log.Warn("ignoring "+BenchBareEnv+": not a byte count from 1 to 16 MiB", "value", v)
		return
	}
	body := bytes.Repeat([]byte("<p>pishran</p>\n"), n/15+1)[:n]
	size := strconv.Itoa(n)
	rt.mux.Handle("GET /_bench/bare", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, sz := body, size
		// a plain prefix test, not r.URL.Query(): the route measures the
		// HTTP stack, not a map of the query built per request
		if v, ok := strings.CutPrefix(r.URL.RawQuery, "bytes="); ok {
			if k, err := strconv.Atoi(v); err == nil && k >= 1 && k < n {
				b, sz = body[:k], v
			}
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Length", sz)
		w.Write(b)
	}))
	log.Info("benchmark route GET /_bench/bare enabled", "bytes", n)
}
