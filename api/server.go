// Package api serves Pishran's JSON API under /api/v1, with /healthz and
// /metrics beside it. Handlers decode and check the request, call the
// service, and encode the answer; they hold no rules of their own.
package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// Server is the HTTP face of the service.
type Server struct {
	svc       *service.Service
	log       *slog.Logger
	mux       *http.ServeMux
	reg       *prometheus.Registry
	reqs      *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	routes    []Route
	resp      *respCache // kept answers of the registry's read routes (respcache.go)
	auth      *authState // sign-in configuration (auth.go)
	pagesOnce sync.Once  // the one-time link pages are mounted once (authpages.go)

	metrics      http.Handler // Prometheus figures (metrics.go)
	metricsMoved atomic.Bool  // served on a listener of their own, not here
}

// Route is one API route: what the router serves and what the OpenAPI
// document must describe.
type Route struct {
	Method  string
	Pattern string // net/http pattern path, e.g. /api/v1/programs/{id}
	handle  func(w http.ResponseWriter, r *http.Request, a service.Actor) error
}

// New builds the server.
func New(svc *service.Service, log *slog.Logger) *Server {
	s := &Server{svc: svc, log: log, mux: http.NewServeMux(), reg: prometheus.NewRegistry(), auth: newAuthState(), resp: newRespCache()}
	s.reqs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "pishran_http_requests_total", Help: "HTTP requests by route, method and status code.",
	}, []string{"route", "method", "code"})
	s.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "pishran_http_request_duration_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route", "method"})
	write, read := svc.DB().Pools()
	s.reg.MustRegister(s.reqs, s.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(write, "write"))
	if read != write {
		s.reg.MustRegister(collectors.NewDBStatsCollector(read, "read"))
	}
	s.routes = s.apiRoutes()
	for _, rt := range s.routes {
		access, ok := Permissions[rt.Method+" "+rt.Pattern]
		if !ok {
			panic("api: route " + rt.Method + " " + rt.Pattern + " has no entry in the permission table (permissions.go)")
		}
		h := rt.handle
		if cachedRoutes[rt.Method+" "+rt.Pattern] {
			h = s.cached(h)
		}
		s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(h, access))
	}
	s.metrics = promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})
	s.mux.HandleFunc("GET /metrics", s.serveMetrics)
	s.mux.Handle("/api/", s.wrap(func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		if allow := s.allowed(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return statusError(http.StatusMethodNotAllowed, "", "این نشانی روش "+r.Method+" را نمی‌پذیرد",
				"this URL does not take "+r.Method+"; it takes "+strings.Join(allow, ", "))
		}
		return statusError(http.StatusNotFound, "", "چنین نشانی‌ای در API نیست", "no such API route")
	}, Everyone))
	s.mountBench() // GET /_bench/bare, only when PISHRAN_BENCH_BARE is set (bench.go)
	// The verification page's stylesheet (headers.go).
	s.mux.HandleFunc("GET "+pageStylePath, servePageStyle)
	return s
}

// allowed lists the methods a route serves at r's path.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			out = append(out, m)
		}
	}
	return out
}

// Routes lists the API routes the server serves.
func (s *Server) Routes() []Route { return s.routes }

// ServeHTTP sets the security headers, measures every request and hands it
// to the router.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	// Security headers on every response, before any handler (headers.go).
	s.setSecurityHeaders(w.Header(), r)
	// Cross-origin protection wraps the whole router: a browser's
	// state-changing request from another site never reaches a handler.
	if err := s.checkOrigin(r); err != nil {
		writeError(rec, r, s.log, err)
	} else {
		s.mux.ServeHTTP(rec, r)
	}
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	s.reqs.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
	s.latency.WithLabelValues(route, r.Method).Observe(time.Since(start).Seconds())
}

// Handle adds a non-API handler (the web pages) to the router.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int)        { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// clientAddress is the address the request came from (the connection's
// peer; a proxy's forwarding headers are not trusted).
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// credential names how the request authenticated, without its secret.
func credential(r *http.Request) string {
	switch {
	case r.Header.Get("Authorization") != "":
		return "token"
	default:
		if _, err := r.Cookie("pishran_session"); err == nil {
			return "session"
		}
	}
	return "anonymous"
}

// wrap turns a handler that returns an error into an http.Handler: it
// authenticates the caller, recovers from panics, and answers errors as
// problem+json.
func (s *Server) wrap(h func(http.ResponseWriter, *http.Request, service.Actor) error, access Access) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				writeError(w, r, s.log, fmt.Errorf("panic: %v", p))
			}
		}()
		if err := checkURL(r); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		if s.svc.ReadOnly() && r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, r, s.log, domain.ReadOnly()) // a replica: nothing reaches the service to be refused there
			return
		}
		a, err := s.actor(r)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		// The permission table decides before the body is read.
		if !access.Allows(a.Role) {
			writeError(w, r, s.log, roleDenied(a))
			return
		}
		// Every write made while answering carries where it came from, for
		// the audit log.
		r = r.WithContext(store.WithOrigin(r.Context(), store.Origin{Actor: a.Name, Address: clientAddress(r), Via: credential(r)}))
		if err := h(w, r, a); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// checkURL refuses a path or query value that is not valid UTF-8 or holds a
// NUL byte: no record has such a key, and PostgreSQL cannot even compare
// one, so it must be the caller's error (400), not the server's.
func checkURL(r *http.Request) error {
	bad := func(s string) bool { return !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 }
	if bad(r.URL.Path) {
		return badRequest("", "نشانی UTF-8 معتبر نیست یا نویسه NUL دارد", "the URL path is not valid UTF-8 or holds a NUL byte")
	}
	for k, vs := range r.URL.Query() {
		if bad(k) {
			return badRequest("", "نام پارامتر UTF-8 معتبر نیست یا نویسه NUL دارد", "a query parameter name is not valid UTF-8 or holds a NUL byte")
		}
		for _, v := range vs {
			if bad(v) {
				return badRequest(k, "پارامتر UTF-8 معتبر نیست یا نویسه NUL دارد", "the query parameter is not valid UTF-8 or holds a NUL byte")
			}
		}
	}
	return nil
}

// actor reads the bearer token, if any, else the session cookie (see
// sessionActor). A request with neither is the public; a request with a bad
// token is refused outright.
func (s *Server) actor(r *http.Request) (service.Actor, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return s.sessionActor(r)
	}
	scheme, secret, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return service.Anonymous, domain.Unauthorized()
	}
	return s.svc.Authenticate(r.Context(), strings.TrimSpace(secret))
}

// ---- responses ----

// writeJSON answers v as JSON with a strong ETag over the body; a matching
// If-None-Match gets 304. version, when positive, is folded into the ETag so
// that a later If-Match can check it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any, version int64) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if version > 0 {
		etag = `"v` + strconv.FormatInt(version, 10) + "-" + hex.EncodeToString(sum[:8]) + `"`
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusOK && r.Method == http.MethodGet && etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(status)
	_, err = w.Write(append(body, '\n'))
	return err
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// ifMatch reads the version the caller last saw from If-Match. Updates and
// deletes need it: without it a write could silently overwrite someone
// else's.
func ifMatch(r *http.Request) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "*" {
		return 0, statusError(http.StatusPreconditionRequired, "If-Match",
			"«If-Match: *» پذیرفته نیست؛ ETag آخرین خواندن را بفرستید تا نوشته‌ای بی‌خبر رونویسی نشود",
			"If-Match: * is not accepted: send the ETag of your last read, so no one's write is overwritten unseen")
	}
	if h == "" {
		return 0, statusError(http.StatusPreconditionRequired, "If-Match",
			"سرآیند If-Match با ETag آخرین خواندن لازم است", "the If-Match header with the ETag of your last read is required")
	}
	t := strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, _, _ := strings.Cut(strings.TrimPrefix(t, "v"), "-")
	n, err := strconv.ParseInt(v, 10, 64)
	if !strings.HasPrefix(t, "v") || err != nil || n <= 0 {
		return 0, statusError(http.StatusPreconditionFailed, "If-Match",
			"ETag در If-Match با نسخه کنونی رکورد نمی‌خواند", "the If-Match ETag does not match the record's current version")
	}
	return n, nil
}

// List is a page of items with the cursor for the next page.
type List[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageOf reads limit and cursor from the query; the store is asked for one
// more item than the limit, to learn whether there is a next page.
func pageOf(r *http.Request) (store.Page, int, error) {
	q := r.URL.Query()
	limit := 100
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000 {
			return store.Page{}, 0, badRequest("limit", "limit باید عددی بین ۱ و ۱۰۰۰ باشد", "limit must be a number from 1 to 1000")
		}
		limit = n
	}
	after := ""
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		// Keys are text: bytes no database can compare (invalid UTF-8, NUL)
		// are a forged cursor, not a server fault.
		if err != nil || len(b) == 0 || len(b) > 200 || !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
			return store.Page{}, 0, badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
		}
		after = string(b)
	}
	return store.Page{After: after, Limit: limit + 1}, limit, nil
}

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }
