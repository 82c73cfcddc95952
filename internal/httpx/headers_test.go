package httpx_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// headerCase is one request of a route class and what its answer must
// carry.
type headerCase struct {
	name     string
	method   string
	path     string
	header   map[string]string
	status   int
	referrer string // the Referrer-Policy expected
	csp      string // the exact CSP expected; "" checks the rules only
}

// rootCases serves the one root, as `pishran serve` builds it
// (internal/faces through the harness), over a fresh database on e with a
// published document and a setup link, and lists a request of every route
// class: the API's answers and problems, the health and metrics, the
// verification and one-time link pages, the site's files and pages, and a
// path no route names (which the site answers with its not-found page).
func rootCases(t *testing.T, e testkit.Engine, auth api.AuthConfig) (http.Handler, []headerCase) {
	t.Helper()
	env := scenario.New(t, e)
	srv := env.Serve(scenario.Auth(auth))
	doc, err := env.Svc.Publish(env.Ctx, service.Actor{Name: "user:sara", Role: service.RoleSecretariat}, signing.KindDecision, "council-14/3#1",
		domain.T("مصوبه", "Decision"), map[string]any{"resolution": domain.T("متن", "text")})
	if err != nil {
		t.Fatal(err)
	}
	link, err := env.Svc.SetupLink(env.Ctx)
	if err != nil || link == nil {
		t.Fatalf("setup link: %v %v", link, err)
	}
	pages := "same-origin"
	cases := []headerCase{
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
		// The site's files and pages set the site's own policy, and keep it.
		{name: "static file", method: "GET", path: "/static/css/site.css", status: 200, referrer: pages, csp: scenario.CSP},
		{name: "a page's own policy", method: "GET", path: "/?lang=en", status: 200, referrer: pages, csp: scenario.CSP},
		// A path nothing else answers is the site's: its not-found page.
		{name: "unrouted path", method: "GET", path: "/nowhere", status: 404, referrer: pages, csp: scenario.CSP},
	}
	return srv.Handler, cases
}

// sendCase sends c to srv; tlsOn makes it arrive as over https.
func sendCase(t *testing.T, srv http.Handler, c headerCase, tlsOn bool) *http.Response {
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

// checkHeaders checks the security headers of one answer.
func checkHeaders(t *testing.T, c headerCase, res *http.Response, wantHSTS bool) {
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
	dirs := cspDirectives(csp)
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

// cspDirectives splits a CSP into its directives.
func cspDirectives(csp string) map[string]string {
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
		srv, cases := rootCases(t, e, api.AuthConfig{})
		for _, c := range cases {
			checkHeaders(t, c, sendCase(t, srv, c, false), false)
			checkHeaders(t, c, sendCase(t, srv, c, true), true)
		}
		// TLS ending at a proxy: the public URL is https, so the answers
		// the proxy passes on over https carry HSTS too.
		proxied, cases := rootCases(t, e, api.AuthConfig{PublicURL: "https://pishran.example.ir"})
		for _, c := range cases {
			checkHeaders(t, c, sendCase(t, proxied, c, false), true)
		}
	})
}

// TestSecurityHeadersOverTLS serves the root over real TLS: HSTS on the
// answers, and the session cookie the setup sets is Secure.
func TestSecurityHeadersOverTLS(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e)
		srv := env.Serve(scenario.TLS())
		res := srv.Page("", "/healthz", "")
		if res.Status != 200 || res.Header.Get("Strict-Transport-Security") != httpx.HSTS || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("healthz over TLS: %d %v", res.Status, res.Header)
		}
		link, err := env.Svc.SetupLink(env.Ctx)
		if err != nil || link == nil {
			t.Fatalf("setup link: %v %v", link, err)
		}
		res = srv.Post("/api/v1/setup", "",
			`{"token":"`+link.Token+`","username":"first","password":"the first admin's pass","display_name":{"fa":"مدیر","en":"Admin"}}`)
		var secure bool
		for _, c := range res.Cookies() {
			if c.Name == httpx.SessionCookie {
				secure = c.Secure && c.HttpOnly
			}
		}
		if res.Status != http.StatusCreated || !secure || res.Header.Get("Strict-Transport-Security") != httpx.HSTS {
			t.Fatalf("setup over TLS: %d, secure session cookie %v, %v", res.Status, secure, res.Header)
		}
	})
}

// TestVerifyStylesheet: the verification page links its stylesheet instead
// of carrying inline style, and the stylesheet is served as CSS with an
// ETag that a conditional request matches.
func TestVerifyStylesheet(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv := scenario.New(t, e).Serve()
		r := srv.Do(scenario.Request{Method: http.MethodGet, Path: "/verify/AAAAA-AAAAA", Header: map[string]string{"Accept": "text/html"}})
		code, h, body := r.Status, r.Header, r.Text()
		if code != http.StatusNotFound || !strings.Contains(body, `<link rel="stylesheet" href="/verify/style.css">`) ||
			strings.Contains(body, "<style") || strings.Contains(body, "style=") {
			t.Fatalf("verify page: %d %v\n%s", code, h, body)
		}
		r = srv.Page("", "/verify/style.css", "")
		code, h, css := r.Status, r.Header, r.Text()
		if code != http.StatusOK || h.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css, ".verdict") || h.Get("ETag") == "" {
			t.Fatalf("stylesheet: %d %v\n%s", code, h, css)
		}
		if r := srv.Do(scenario.Request{Method: http.MethodGet, Path: "/verify/style.css", Header: map[string]string{"If-None-Match": h.Get("ETag")}}); r.Status != http.StatusNotModified {
			t.Errorf("conditional stylesheet: %d", r.Status)
		}
	})
}
