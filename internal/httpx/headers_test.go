package httpx_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/web"
)

// Helpers of this file start with "hd".

// hdCase is one request of a route class and what its answer must carry.
type hdCase struct {
	name     string
	method   string
	path     string
	header   map[string]string
	status   int
	referrer string // the Referrer-Policy expected
	csp      string // the exact CSP expected; "" checks the rules only
}

// hdServer is the root (cfg) over a fresh database on e with the API, the
// site's verification and one-time link pages, a published document, a
// setup link, and two stand-ins for the rest of the site: a static file
// handler that sets no security header of its own, and a page that sets
// its own CSP.
func hdServer(t *testing.T, e testkit.Engine, cfg httpx.Config) (*httpx.Root, []hdCase) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	svc := service.New(testkit.Open(t, e), log)
	cfg, err := cfg.Check()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := httpx.NewRoot(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := api.New(svc, log)
	if err := a.Configure(cfg, nil); err != nil {
		t.Fatal(err)
	}
	a.Mount(srv)
	site, err := web.New(svc, log, web.Options{PublicURL: cfg.PublicURL, Session: cfg.Session, LoginLimiter: cfg.Limiter})
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range site.Routes() {
		if strings.Contains(rt.Pattern, " /verify/") || strings.Contains(rt.Pattern, " /setup/") || strings.Contains(rt.Pattern, " /reset/") {
			srv.Handle(rt.Pattern, rt.Handler)
		}
	}
	doc, err := svc.Publish(ctx, service.Actor{Name: "user:sara", Role: service.RoleSecretariat}, signing.KindDecision, "council-14/3#1",
		domain.T("مصوبه", "Decision"), map[string]any{"resolution": domain.T("متن", "text")})
	if err != nil {
		t.Fatal(err)
	}
	link, err := svc.SetupLink(ctx)
	if err != nil || link == nil {
		t.Fatalf("setup link: %v %v", link, err)
	}
	srv.Handle("GET /plain/", http.StripPrefix("/plain/", http.FileServerFS(fstest.MapFS{"app.css": {Data: []byte("body{}")}})))
	srv.Handle("GET /own-policy", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", hdOwnCSP)
		w.Header().Set("Referrer-Policy", "strict-origin")
		w.Write([]byte("<p>page</p>"))
	}))
	pages := "same-origin"
	cases := []hdCase{
		{name: "API JSON", method: "GET", path: "/api/v1/programs", status: 200, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "OpenAPI", method: "GET", path: "/api/v1/openapi.json", status: 200, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "problem 404", method: "GET", path: "/api/v1/agencies/nope", status: 404, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "problem no route", method: "GET", path: "/api/v1/no-such-route", status: 404, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "problem 405", method: "DELETE", path: "/api/v1/programs", status: 405, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "problem 401", method: "POST", path: "/api/v1/agencies", header: map[string]string{"Content-Type": "application/json"},
			status: 401, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "problem 403 cross-origin", method: "POST", path: "/api/v1/session",
			header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example", "Content-Type": "application/json"},
			status: 403, referrer: "no-referrer", csp: httpx.DefaultCSP},
		{name: "healthz", method: "GET", path: "/healthz", status: 200, referrer: pages, csp: httpx.DefaultCSP},
		{name: "metrics", method: "GET", path: "/metrics", status: 200, referrer: pages, csp: httpx.DefaultCSP},
		{name: "verify page", method: "GET", path: "/verify/" + doc.Code, header: map[string]string{"Accept": "text/html"},
			status: 200, referrer: "no-referrer", csp: httpx.VerifyCSP},
		{name: "verify page, unknown code", method: "GET", path: "/verify/AAAAA-AAAAA", header: map[string]string{"Accept": "text/html"},
			status: 404, referrer: "no-referrer", csp: httpx.VerifyCSP},
		{name: "verify JSON", method: "GET", path: "/verify/" + doc.Code + "?format=json", status: 200, referrer: pages, csp: httpx.DefaultCSP},
		{name: "verify stylesheet", method: "GET", path: "/verify/style.css", status: 200, referrer: pages, csp: httpx.DefaultCSP},
		{name: "setup link page", method: "GET", path: "/setup/" + link.Token, status: 200, referrer: "no-referrer"},
		{name: "reset link page, bad token", method: "POST", path: "/reset/nope",
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin"},
			status: 422, referrer: "no-referrer"},
		{name: "static file", method: "GET", path: "/plain/app.css", status: 200, referrer: pages, csp: httpx.DefaultCSP},
		{name: "a page's own policy", method: "GET", path: "/own-policy", status: 200, referrer: "strict-origin", csp: hdOwnCSP},
		{name: "unrouted path", method: "GET", path: "/nowhere", status: 404, referrer: pages, csp: httpx.DefaultCSP},
	}
	return srv, cases
}

const hdOwnCSP = "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'"

// hdDo sends c to srv; tlsOn makes it arrive as over https.
func hdDo(t *testing.T, srv http.Handler, c hdCase, tlsOn bool) *http.Response {
	t.Helper()
	body := io.Reader(nil)
	if c.method == "POST" {
		body = strings.NewReader("password=x")
		if c.header["Content-Type"] == "application/json" {
			body = strings.NewReader(`{}`)
		}
	}
	req := httptest.NewRequest(c.method, c.path, body)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if tlsOn {
		req.TLS = &tls.ConnectionState{Version: tls.VersionTLS13, HandshakeComplete: true}
	} else {
		req.TLS = nil
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec.Result()
}

// hdCheck checks the security headers of one answer.
func hdCheck(t *testing.T, c hdCase, res *http.Response, wantHSTS bool) {
	t.Helper()
	h := res.Header
	if res.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", c.name, got)
	}
	if got := h.Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("%s: X-Frame-Options = %q", c.name, got)
	}
	if got := h.Get("Referrer-Policy"); got != c.referrer {
		t.Errorf("%s: Referrer-Policy = %q, want %q", c.name, got, c.referrer)
	}
	if n := len(h.Values("Content-Security-Policy")); n != 1 {
		t.Errorf("%s: %d Content-Security-Policy headers, want 1", c.name, n)
	}
	csp := h.Get("Content-Security-Policy")
	if c.csp != "" && csp != c.csp {
		t.Errorf("%s: CSP = %q, want %q", c.name, csp, c.csp)
	}
	dirs := hdDirectives(csp)
	if dirs["frame-ancestors"] != "'none'" {
		t.Errorf("%s: CSP %q does not forbid framing", c.name, csp)
	}
	// Inline script is never allowed: script-src, or default-src standing
	// in for it, must exist and hold no 'unsafe-inline', 'unsafe-eval' or
	// wildcard.
	script, ok := dirs["script-src"]
	if !ok {
		script, ok = dirs["default-src"]
	}
	if !ok || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "'unsafe-eval'") || strings.Contains(script, "*") {
		t.Errorf("%s: CSP %q allows inline or foreign script", c.name, csp)
	}
	if strings.Contains(csp, "'unsafe-inline'") {
		t.Errorf("%s: CSP %q allows inline style", c.name, csp)
	}
	hsts := h.Get("Strict-Transport-Security")
	switch {
	case wantHSTS && hsts != httpx.HSTS:
		t.Errorf("%s: Strict-Transport-Security = %q, want %q", c.name, hsts, httpx.HSTS)
	case !wantHSTS && hsts != "":
		t.Errorf("%s: Strict-Transport-Security %q sent over plain http", c.name, hsts)
	}
}

// hdDirectives splits a CSP into its directives.
func hdDirectives(csp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = strings.TrimSpace(value)
		}
	}
	return out
}

// TestSecurityHeaders: every class of route answers with the security
// headers, whether it succeeds or fails; a handler's own policy is kept;
// HSTS comes over https only.
func TestSecurityHeaders(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, cases := hdServer(t, e, httpx.Config{})
		for _, c := range cases {
			hdCheck(t, c, hdDo(t, srv, c, false), false)
			hdCheck(t, c, hdDo(t, srv, c, true), true)
		}
		// TLS ending at a proxy: the public URL is https, so the answers
		// the proxy passes on over https carry HSTS too.
		proxied, cases := hdServer(t, e, httpx.Config{PublicURL: "https://pishran.example.ir"})
		for _, c := range cases {
			hdCheck(t, c, hdDo(t, proxied, c, false), true)
		}
	})
}

// TestSecurityHeadersOverTLS serves the API over real TLS: HSTS on the
// answers, and the session cookie the setup sets is Secure.
func TestSecurityHeadersOverTLS(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := service.New(testkit.Open(t, e), slog.New(slog.DiscardHandler))
		srv := api.New(svc, slog.New(slog.DiscardHandler))
		ts := httptest.NewTLSServer(srv)
		defer ts.Close()
		res, err := ts.Client().Get(ts.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Strict-Transport-Security") != httpx.HSTS || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("healthz over TLS: %d %v", res.StatusCode, res.Header)
		}
		link, err := svc.SetupLink(ctx)
		if err != nil || link == nil {
			t.Fatalf("setup link: %v %v", link, err)
		}
		res, err = ts.Client().Post(ts.URL+"/api/v1/setup", "application/json", strings.NewReader(
			`{"token":"`+link.Token+`","username":"first","password":"the first admin's pass","display_name":{"fa":"مدیر","en":"Admin"}}`))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var secure bool
		for _, c := range res.Cookies() {
			if c.Name == httpx.SessionCookie {
				secure = c.Secure && c.HttpOnly
			}
		}
		if res.StatusCode != http.StatusCreated || !secure || res.Header.Get("Strict-Transport-Security") != httpx.HSTS {
			t.Fatalf("setup over TLS: %d, secure session cookie %v, %v", res.StatusCode, secure, res.Header)
		}
	})
}

// TestVerifyStylesheet: the verification page links its stylesheet instead
// of carrying inline style, and the stylesheet is served as CSS with an
// ETag that a conditional request matches.
func TestVerifyStylesheet(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := hdServer(t, e, httpx.Config{})
		code, h, body := hdGet(t, srv, "/verify/AAAAA-AAAAA", "text/html")
		if code != http.StatusNotFound || !strings.Contains(body, `<link rel="stylesheet" href="/verify/style.css">`) ||
			strings.Contains(body, "<style") || strings.Contains(body, "style=") {
			t.Fatalf("verify page: %d %v\n%s", code, h, body)
		}
		code, h, css := hdGet(t, srv, "/verify/style.css", "")
		if code != http.StatusOK || h.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css, ".verdict") || h.Get("ETag") == "" {
			t.Fatalf("stylesheet: %d %v\n%s", code, h, css)
		}
		req := httptest.NewRequest("GET", "/verify/style.css", nil)
		req.Header.Set("If-None-Match", h.Get("ETag"))
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("conditional stylesheet: %d", rec.Code)
		}
	})
}

// hdGet sends a GET with optional Accept and returns status, headers, body.
func hdGet(t *testing.T, srv http.Handler, path, accept string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, rec.Header(), string(body)
}
