package httpx

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus figures the root keeps: requests and latency
// by route, the Go runtime, the process and the database pools.
type metrics struct {
	reqs    *prometheus.CounterVec
	latency *prometheus.HistogramVec
	handler http.Handler
	moved   atomic.Bool // served on a listener of their own, not on the root
}

func newMetrics(pools func() (write, read *sql.DB)) *metrics {
	m := &metrics{}
	m.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pishran_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pishran_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method"})
	reg := prometheus.NewRegistry()
	reg.MustRegister(m.reqs, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pools != nil {
		write, read := pools()
		reg.MustRegister(collectors.NewDBStatsCollector(write, "write"))
		if read != write {
			reg.MustRegister(collectors.NewDBStatsCollector(read, "read"))
		}
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observe(route, method string, code int, took time.Duration) {
	m.reqs.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// serveMetrics answers /metrics on the root, unless the figures have been
// moved to a listener of their own (MetricsHandler): then the main address
// answers 404, as for any path it does not serve.
func (rt *Root) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if rt.metrics.moved.Load() {
		WriteProblem(w, r, rt.Config().Log, StatusError(http.StatusNotFound, "", "چنین نشانی‌ای نیست", "no such route"))
		return
	}
	rt.metrics.handler.ServeHTTP(w, r)
}

// MetricsHandler moves /metrics off the root and returns a handler that
// serves it (and nothing else) for a listener of its own — `serve
// --metrics-addr`, an address only the monitoring system reaches, so that
// request counts by route, pool figures and the Go runtime's state are not
// published beside the portal.
func (rt *Root) MetricsHandler() http.Handler {
	rt.metrics.moved.Store(true)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", rt.metrics.handler)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetDefaults(w.Header(), r, rt.Config().Secure(r))
		mux.ServeHTTP(w, r)
	})
}
