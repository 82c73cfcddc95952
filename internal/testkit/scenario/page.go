package scenario

// The site's side of the client: pages read and forms sent with a session,
// redirects reported and followed, and the checks every page passes.

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// CSP is the Content-Security-Policy every page is sent with.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// File is one file part of a multipart form: a browser sends one with an
// empty Name when no file is chosen.
type File struct {
	Name        string
	ContentType string // application/octet-stream when empty
	Content     []byte
}

// Upload POSTs a multipart/form-data form — the fields, and file (if any)
// as the part named "file" — as the session ("" for the public), from the
// site's own origin unless header says otherwise.
func (s *Server) Upload(session, path string, fields url.Values, file *File, header map[string]string) *Response {
	t := s.Env.T
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if file != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(file.Name)+`"`)
		ct := file.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(file.Content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Content-Type": mw.FormDataContentType(), "Origin": s.URL, "Sec-Fetch-Site": "same-origin"}
	for k, v := range header {
		h[k] = v
	}
	return s.Do(Request{Method: "POST", Path: path, Session: session, Body: body.Bytes(), Header: h})
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// Follow GETs where the answer r redirects to, as the session ("" for the
// public), in lang ("" for the default).
func (s *Server) Follow(session string, r *Response, lang string) *Response {
	s.Env.T.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		s.Env.T.Fatalf("%s: no Location to follow", r)
	}
	return s.Page(session, loc, lang)
}

// RedirectsTo checks that the answer is a 303 See Other to a location
// starting with want.
func (r *Response) RedirectsTo(t testing.TB, want string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), want) {
		t.Fatalf("%s %s: %d to %q, want 303 to %s…\n%s", r.Method, r.URL, r.Status, r.Header.Get("Location"), want, Clip(r.Text()))
	}
}

// Clip is s cut to its first 3,000 bytes, for a failure's message.
func Clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

var (
	control     = regexp.MustCompile(`<(?:select|input|textarea)[^>]* id="([^"]+)"`)
	unknownKey  = regexp.MustCompile(`\[[a-z0-9_]+\.[a-z0-9_.\-]+\]`)
	foreignHref = regexp.MustCompile(`<[a-z]+ [^>]*href="http[^>]*>`)
)

// Lang checks that the answer is a page in lang ("fa" or "en"), written
// in the language's direction.
func (r *Response) Lang(t testing.TB, lang string) {
	t.Helper()
	dir := map[string]string{"fa": "rtl", "en": "ltr"}[lang]
	if want := fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir); !strings.Contains(r.Text(), want) {
		t.Errorf("%s: no %s", r.URL, want)
	}
}

// CheckPage checks what every page of the site passes: the status, the
// language and its direction, the security headers, no unknown catalog
// key, a label for every form control, nothing inline and nothing loaded
// from another origin.
func (r *Response) CheckPage(t testing.TB, status int, lang string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d", r.URL, r.Status, status)
	}
	r.Lang(t, lang)
	if got := r.Header.Get("Content-Security-Policy"); got != CSP {
		t.Errorf("%s: CSP %q", r.URL, got)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("%s: security headers %v", r.URL, r.Header)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: content type %q", r.URL, ct)
	}
	text := r.Text()
	if m := unknownKey.FindString(text); m != "" {
		t.Errorf("%s: unknown catalog key %s on the page", r.URL, m)
	}
	// Every form control has a label.
	for _, m := range control.FindAllStringSubmatch(text, -1) {
		if !strings.Contains(text, `<label for="`+m[1]+`"`) {
			t.Errorf("%s: control #%s has no label", r.URL, m[1])
		}
	}
	// (A hidden input — a form's version, its rows' count — is no control.)
	if n := strings.Count(text, "<select") + strings.Count(text, "<input") + strings.Count(text, "<textarea") -
		strings.Count(text, `<input type="hidden"`); n != len(control.FindAllString(text, -1)) {
		t.Errorf("%s: a form control without an id cannot be labelled", r.URL)
	}
	// Absolute links to this very server (a verification address, which
	// is read off paper) are not to another origin.
	u, err := url.Parse(r.URL)
	if err != nil {
		t.Fatalf("%s: %v", r.URL, err)
	}
	own := strings.ReplaceAll(text, `href="`+u.Scheme+"://"+u.Host+"/", `href="/`)
	for _, bad := range []string{"<script>", "style=\"", `src="http`, "url(http"} {
		if strings.Contains(own, bad) {
			t.Errorf("%s: page holds %q (inline script/style or another origin)", r.URL, bad)
		}
	}
	// Nothing is loaded from another origin; a link to one (a source's
	// citation) is marked external and sends no referrer.
	for _, tag := range foreignHref.FindAllString(own, -1) {
		if !strings.HasPrefix(tag, "<a ") || !strings.Contains(tag, `rel="external noopener noreferrer"`) {
			t.Errorf("%s: %s: another origin, not an external link", r.URL, tag)
		}
	}
}
