package httpx

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pishran/pishran/internal/ratelimit"
	"github.com/pishran/pishran/service"
)

// Config is what both faces are configured with, built once by the binary
// (serve's flags) and read by the root, the API and the site alike, so
// that a setting cannot differ between the doors.
type Config struct {
	// PublicURL is the address people use (https://pishran.example.ir):
	// links handed out are built on it, and when it is https the session
	// cookie is Secure and HSTS is sent even when TLS ends at a proxy in
	// front. Empty: links are built on the request's own host.
	PublicURL string
	// TrustedOrigins may send state-changing requests with a session cookie
	// from another origin (scheme://host[:port]); none by default.
	TrustedOrigins []string
	// Session is how long sessions live; zero fields take the defaults.
	Session service.SessionPolicy
	// Limiter is the per-address limit on failed sign-ins that every door
	// shares; nil takes DefaultLoginBurst and DefaultLoginRefill.
	Limiter *ratelimit.Limiter
	// Log receives the faults answered with 500; nil is slog.Default.
	Log *slog.Logger
	// Pools, when set, gives the database pools whose figures /metrics
	// reports (the read pool only when it is another).
	Pools func() (write, read *sql.DB)
}

// The default per-address limit on failed sign-ins: 20 at once, then one
// more every 6 seconds (ten a minute).
const (
	DefaultLoginBurst  = 20
	DefaultLoginRefill = 6 * time.Second
)

// Check validates c and fills in its defaults: the public URL without its
// trailing slash, the session lifetimes, a limiter, a log. Call it once and
// hand the result to the root and both faces, so that they share the
// limiter.
func (c Config) Check() (Config, error) {
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("public URL %q: want http(s)://HOST[:PORT][/PATH]", c.PublicURL)
		}
		c.PublicURL = strings.TrimSuffix(c.PublicURL, "/")
	}
	if _, err := crossOrigin(c.TrustedOrigins); err != nil {
		return c, err
	}
	s := c.Session
	if s.Idle < 0 || s.Absolute < 0 || (s.Idle > 0 && s.Absolute > 0 && s.Idle > s.Absolute) {
		return c, fmt.Errorf("session lifetimes: the idle timeout must be positive and at most the absolute one")
	}
	if s.Idle <= 0 {
		c.Session.Idle = service.DefaultSessionPolicy.Idle
	}
	if s.Absolute <= 0 {
		c.Session.Absolute = service.DefaultSessionPolicy.Absolute
	}
	if c.Limiter == nil {
		c.Limiter = ratelimit.New(DefaultLoginBurst, DefaultLoginRefill)
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c, nil
}

// HTTPS reports whether the public URL is https: TLS ends at a proxy in
// front, if not here.
func (c Config) HTTPS() bool {
	return len(c.PublicURL) >= 8 && strings.EqualFold(c.PublicURL[:8], "https://")
}

// Secure reports whether the answer to r goes to the browser over https:
// the request came over TLS, or the public URL is https. Cookies set in
// answer to it are Secure, and it carries HSTS.
func (c Config) Secure(r *http.Request) bool { return r.TLS != nil || c.HTTPS() }

func crossOrigin(trusted []string) (*http.CrossOriginProtection, error) {
	cop := http.NewCrossOriginProtection()
	for _, o := range trusted {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("trusted origin: %w", err)
		}
	}
	return cop, nil
}

// Root is the one handler every request goes through: it sets the default
// security headers, refuses a browser's cross-site write, hands the
// request to the one router both faces are mounted on, and counts it by
// route. One router keeps the route labels of the metrics ("GET
// /projects/{slug}", "/api/") what each face registered.
type Root struct {
	state   atomic.Pointer[rootState]
	mux     *http.ServeMux
	serve   http.Handler // mux behind the compression of answers (compress.go)
	metrics *metrics
}

type rootState struct {
	cfg Config
	cop *http.CrossOriginProtection
}

// NewRoot builds the root handler from cfg (see Config.Check), with
// /metrics and, when their variables are set, the benchmark's routes
// (bench.go).
func NewRoot(cfg Config) (*Root, error) {
	rt := &Root{mux: http.NewServeMux()}
	rt.serve = Compress(rt.mux)
	if err := rt.Configure(cfg); err != nil {
		return nil, err
	}
	rt.metrics = newMetrics(cfg.Pools)
	rt.mux.HandleFunc("GET /metrics", rt.serveMetrics)
	rt.mountBench()
	return rt, nil
}

// Configure replaces the root's configuration. Its Pools are taken by
// NewRoot only.
func (rt *Root) Configure(cfg Config) error {
	cfg, err := cfg.Check()
	if err != nil {
		return err
	}
	cop, err := crossOrigin(cfg.TrustedOrigins)
	if err != nil {
		return err
	}
	rt.state.Store(&rootState{cfg: cfg, cop: cop})
	return nil
}

// Config is the root's configuration, checked.
func (rt *Root) Config() Config { return rt.state.Load().cfg }

// Handle adds a route to the router (it satisfies web.Router).
func (rt *Root) Handle(pattern string, h http.Handler) { rt.mux.Handle(pattern, h) }

// Handler is the handler and pattern the router picks for r, without
// serving it: the API asks it which methods a path takes (its 405 answer's
// Allow header).
func (rt *Root) Handler(r *http.Request) (http.Handler, string) { return rt.mux.Handler(r) }

// ServeHTTP sets the security headers, checks the request's origin,
// serves it (compressed when it pays, compress.go) and measures it.
func (rt *Root) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	st := rt.state.Load()
	rec := &Recorder{ResponseWriter: w}
	// Security headers on every response, before any handler (headers.go).
	SetDefaults(w.Header(), r, st.cfg.Secure(r))
	// Cross-origin protection wraps the whole router: a browser's
	// state-changing request from another site never reaches a handler.
	if err := st.checkOrigin(r); err != nil {
		WriteProblem(rec, r, st.cfg.Log, err)
	} else {
		rt.serve.ServeHTTP(rec, r)
	}
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	rt.metrics.observe(route, r.Method, rec.Code(), time.Since(start))
}

// checkOrigin refuses a state-changing request that a browser sent from
// another site (http.CrossOriginProtection: Sec-Fetch-Site, else Origin
// against Host), unless its origin is trusted. A request with an
// Authorization header is exempt: a bearer token is not an ambient
// credential a browser adds on its own, and a cross-site page cannot set
// that header without a CORS preflight, which Pishran never grants.
func (st *rootState) checkOrigin(r *http.Request) error {
	if r.Header.Get("Authorization") != "" {
		return nil
	}
	if err := st.cop.Check(r); err != nil {
		return StatusError(http.StatusForbidden, "Origin", "درخواست از پایگاه دیگری آمده است و پذیرفته نیست",
			"cross-origin request refused: this site does not accept state-changing requests from other sites")
	}
	return nil
}
