package api

import (
	"net/http"
)

// serveMetrics answers /metrics on the server's own router, unless the
// figures have been moved to a listener of their own (MetricsHandler): then
// the main address answers 404, as for any path it does not serve.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	if s.metricsMoved.Load() {
		writeError(w, r, s.log, statusError(http.StatusNotFound, "", "چنین نشانی‌ای نیست", "no such route"))
		return
	}
	s.metrics.ServeHTTP(w, r)
}

// MetricsHandler moves /metrics off the server's own router and returns a
// handler that serves it (and nothing else) for a listener of its own —
// `serve --metrics-addr`, an address only the monitoring system reaches, so
// that request counts by route, pool figures and the Go runtime's state are
// not published beside the portal.
func (s *Server) MetricsHandler() http.Handler {
	s.metricsMoved.Store(true)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.setSecurityHeaders(w.Header(), r)
		mux.ServeHTTP(w, r)
	})
}
