package httpx

import (
	"net/http"
	"strings"
)

// Every response the server sends — API JSON, problem+json, /metrics,
// /healthz, the verification and one-time link pages, the web pages and
// their static files — carries the security headers below. Root sets them
// in one place, before the router runs, so a route added later cannot
// forget them; a handler that knows better (an HTML page with its own
// Content-Security-Policy, the one-time link pages' no-referrer) sets its
// own value over the default.

// Default header values. Each is a one-element slice whose capacity is its
// length, shared by every response: assigning it costs no allocation on
// the hot path, and a handler's Header().Add appends to a fresh copy, so
// the shared value is never changed. Set replaces the slice outright.
var (
	// A JSON or text answer loads nothing, runs nothing, is never framed.
	hdrCSP = []string{DefaultCSP}
	// Browsers must take the declared Content-Type as it is: a JSON answer
	// holding markup is never run as HTML, nor a text file as script.
	hdrNosniff = []string{"nosniff"}
	// The legacy spelling of frame-ancestors 'none', for older browsers.
	hdrFrame = []string{"DENY"}
	// API answers are read by programs, and no address Pishran links to
	// needs to know where it was followed from; the pages send the address
	// only to their own origin.
	hdrNoReferrer   = []string{"no-referrer"}
	hdrSameOrigin   = []string{"same-origin"}
	hdrTransportSec = []string{HSTS}
)

// DefaultCSP is the Content-Security-Policy of every response whose handler
// sets none (JSON, problem+json, metrics, health).
const DefaultCSP = "default-src 'none'; frame-ancestors 'none'"

// VerifyCSP is the policy of the verification page: styles from this
// origin's stylesheet only, nothing else fetched, no script at all
// (default-src 'none' covers script-src, which is stricter than script-src
// 'self'), no framing.
const VerifyCSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// LinkCSP is the policy of the one-time link pages (/setup/TOKEN,
// /reset/TOKEN): no style, no script, and the form posts back only to this
// origin.
const LinkCSP = "default-src 'none'; form-action 'self'; frame-ancestors 'none'"

// HSTS is the Strict-Transport-Security value sent when the server is
// reached over https: a year, subdomains included. It is not preloaded:
// submitting the domain to browsers' preload lists is the operator's call.
const HSTS = "max-age=31536000; includeSubDomains"

// SetDefaults sets the default security headers on h before the handler
// runs. A header that is already there (set by a wrapping handler) is left
// as it is.
//
// Strict-Transport-Security goes only on a response the browser receives
// over https (https: the server terminates TLS itself, or the operator's
// public URL is https, meaning TLS ends at a proxy in front — the same test
// that makes the session cookie Secure, Config.Secure). Over plain http it
// is never sent by choice (and browsers ignore it there).
func SetDefaults(h http.Header, r *http.Request, https bool) {
	SetDefault(h, "Content-Security-Policy", hdrCSP)
	SetDefault(h, "X-Content-Type-Options", hdrNosniff)
	SetDefault(h, "X-Frame-Options", hdrFrame)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		SetDefault(h, "Referrer-Policy", hdrNoReferrer)
	} else {
		SetDefault(h, "Referrer-Policy", hdrSameOrigin)
	}
	if https {
		SetDefault(h, "Strict-Transport-Security", hdrTransportSec)
	}
}

// SetDefault sets key (in canonical form) unless it is already set.
func SetDefault(h http.Header, key string, v []string) {
	if _, ok := h[key]; !ok {
		h[key] = v
	}
}

// SetPage sets the headers of an HTML page with its own policy csp: the
// page and everything it loads come from this origin, it is never framed,
// it opens no window that could reach back into it, and it asks for no
// camera, microphone or location.
func SetPage(h http.Header, csp string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}
