package web_test

// What the site's tests share: the server over the reference dataset
// (served by the harness, internal/testkit/scenario), its page-reading
// client, and the checks every page passes.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The reference dataset's one confidential project: nothing of it may
// reach a public page or file.
var confidential = []string{"anti-smuggling", "Anti-smuggling system", "سامانه مبارزه با قاچاق"}

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// env is a server with the API and the site mounted together, as `pishran
// serve` runs them, over the reference dataset (scenario.Serve).
type env struct {
	*scenario.Server
	t   testing.TB
	svc *service.Service
}

func newEnv(t testing.TB, e testkit.Engine) *env {
	t.Helper()
	return serve(t, scenario.New(t, e, scenario.Reference()))
}

// serve serves sc's service with the options (default: the API and the
// site together, the site's options zero).
func serve(t testing.TB, sc *scenario.Env, opts ...scenario.ServeOption) *env {
	t.Helper()
	return &env{Server: sc.Serve(opts...), t: t, svc: sc.Svc}
}

// resp is a fetched response with its body read.
type resp struct {
	*http.Response
	body []byte
}

func (r resp) text() string { return string(r.body) }

// get fetches path; lang, when set, is asked for with ?lang=.
func (e *env) get(path, lang string) resp {
	e.t.Helper()
	if lang != "" {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
		path = u.String()
	}
	return e.do(http.MethodGet, path, nil)
}

func (e *env) do(method, path string, header http.Header) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{res, b}
}

// pages are the public pages every test walks.
var pages = []string{
	"/",
	"/programs/gov12-egov-priority",
	"/programs/gov13-smart-driving",
	"/projects/e-health",
	"/projects/smart-health",
	"/projects/e-banking",
	"/projects/nix",
	"/compare",
	"/compare?from=gov12-egov-priority&to=gov13-smart-driving",
	"/compare?from=gov13-smart-driving&to=gov12-egov-priority",
	"/data",
	"/data/dictionary",
	"/projects",
	"/projects?program=gov12-egov-priority&kind=infrastructure",
	"/agencies",
	"/agencies/ito",
}

var control = regexp.MustCompile(`<(?:select|input|textarea)[^>]* id="([^"]+)"`)

var unknownKey = regexp.MustCompile(`\[[a-z0-9_]+\.[a-z0-9_.\-]+\]`)

func checkPage(t *testing.T, r resp, status int, lang string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d", r.Request.URL, r.StatusCode, status)
	}
	dir := map[string]string{"fa": "rtl", "en": "ltr"}[lang]
	if want := fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir); !strings.Contains(r.text(), want) {
		t.Errorf("%s: no %s", r.Request.URL, want)
	}
	if got := r.Header.Get("Content-Security-Policy"); got != wantCSP {
		t.Errorf("%s: CSP %q", r.Request.URL, got)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("%s: security headers %v", r.Request.URL, r.Header)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: content type %q", r.Request.URL, ct)
	}
	if m := unknownKey.FindString(r.text()); m != "" {
		t.Errorf("%s: unknown catalog key %s on the page", r.Request.URL, m)
	}
	// Every form control has a label.
	for _, m := range control.FindAllStringSubmatch(r.text(), -1) {
		if !strings.Contains(r.text(), `<label for="`+m[1]+`"`) {
			t.Errorf("%s: control #%s has no label", r.Request.URL, m[1])
		}
	}
	// (A hidden input — a form's version, its rows' count — is no control.)
	if n := strings.Count(r.text(), "<select") + strings.Count(r.text(), "<input") + strings.Count(r.text(), "<textarea") -
		strings.Count(r.text(), `<input type="hidden"`); n != len(control.FindAllString(r.text(), -1)) {
		t.Errorf("%s: a form control without an id cannot be labelled", r.Request.URL)
	}
	// Absolute links to this very server (a verification address, which
	// is read off paper) are not to another origin.
	own := strings.ReplaceAll(r.text(), `href="`+r.Request.URL.Scheme+"://"+r.Request.URL.Host+"/", `href="/`)
	for _, bad := range []string{"<script>", "style=\"", `src="http`, "url(http"} {
		if strings.Contains(own, bad) {
			t.Errorf("%s: page holds %q (inline script/style or another origin)", r.Request.URL, bad)
		}
	}
	// Nothing is loaded from another origin; a link to one (a source's
	// citation) is marked external and sends no referrer.
	for _, tag := range foreignHref.FindAllString(own, -1) {
		if !strings.HasPrefix(tag, "<a ") || !strings.Contains(tag, `rel="external noopener noreferrer"`) {
			t.Errorf("%s: %s: another origin, not an external link", r.Request.URL, tag)
		}
	}
}

var foreignHref = regexp.MustCompile(`<[a-z]+ [^>]*href="http[^>]*>`)
