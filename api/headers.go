package api

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// Every response the server sends — API JSON, problem+json, /metrics,
// /healthz, the verification and one-time link pages, the web pages and
// their static files — carries the security headers below. They are set
// in one place, ServeHTTP, before the router runs, so a route added later
// cannot forget them; a handler that knows better (an HTML page with its
// own Content-Security-Policy, the one-time link pages' no-referrer) sets
// its own value over the default.

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

// PageCSP is the policy of the HTML pages the api package serves itself
// (the verification page): styles from this origin's stylesheet only,
// nothing else fetched, no script at all (default-src 'none' covers
// script-src, which is stricter than script-src 'self'), no framing.
const PageCSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// HSTS is the Strict-Transport-Security value sent when the server is
// reached over https: a year, subdomains included. It is not preloaded:
// submitting the domain to browsers' preload lists is the operator's call.
const HSTS = "max-age=31536000; includeSubDomains"

// setSecurityHeaders sets the defaults on h before the handler runs. A
// header that is already there (set by a wrapping handler) is left as it
// is.
//
// Strict-Transport-Security goes only on a response the browser receives
// over https: when this server terminates TLS itself (r.TLS), or when the
// operator's public URL is https, meaning TLS ends at a proxy in front —
// the same test that makes the session cookie Secure (Server.secure). Over
// plain http it is never sent by choice (and browsers ignore it there).
func (s *Server) setSecurityHeaders(h http.Header, r *http.Request) {
	setDefault(h, "Content-Security-Policy", hdrCSP)
	setDefault(h, "X-Content-Type-Options", hdrNosniff)
	setDefault(h, "X-Frame-Options", hdrFrame)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		setDefault(h, "Referrer-Policy", hdrNoReferrer)
	} else {
		setDefault(h, "Referrer-Policy", hdrSameOrigin)
	}
	if s.secure(r) {
		setDefault(h, "Strict-Transport-Security", hdrTransportSec)
	}
}

// setDefault sets key (in canonical form) unless it is already set.
func setDefault(h http.Header, key string, v []string) {
	if _, ok := h[key]; !ok {
		h[key] = v
	}
}

// ---- the pages' stylesheet ----

// pageStylePath is where the verification page's stylesheet is served.
// The page links to it rather than carrying a <style> block, so that its
// policy can say style-src 'self' with no 'unsafe-inline' and no hashes.
const pageStylePath = "/verify/style.css"

//go:embed templates/verify.css
var pageStyle []byte

// servePageStyle answers GET /verify/style.css, cached for a day, with an
// ETag a conditional request matches. (Written out rather than through
// http.ServeContent: a 3 KiB file needs no Range support.)
func servePageStyle(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", pageStyleETag)
	if etagMatch(r.Header.Get("If-None-Match"), pageStyleETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(pageStyle)))
	w.Write(pageStyle)
}

var pageStyleETag = func() string {
	sum := sha256.Sum256(pageStyle)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()
