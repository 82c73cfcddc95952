package web_test

// The page weight budget and the static files.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

var assetRef = regexp.MustCompile(`(?:<link rel="stylesheet" href|<script src)="([^"]+)"`)

// TestPageWeight: the public home with the CSS and JS it references, not
// counting fonts, must stay under 300 KB (uncompressed; the server also
// gzips text assets).
func TestPageWeight(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, lang := range []string{"fa", "en"} {
		home := env.get("/", lang)
		total := len(home.body)
		parts := []string{fmt.Sprintf("HTML %d", len(home.body))}
		refs := assetRef.FindAllStringSubmatch(home.text(), -1)
		if len(refs) < 2 {
			t.Fatalf("home references %d assets", len(refs))
		}
		for _, m := range refs {
			r := env.get(m[1], "")
			if r.StatusCode != 200 {
				t.Fatalf("%s: %d", m[1], r.StatusCode)
			}
			total += len(r.body)
			parts = append(parts, fmt.Sprintf("%s %d", m[1], len(r.body)))
		}
		t.Logf("home page weight (%s, without fonts): %d bytes = %s", lang, total, strings.Join(parts, " + "))
		if total > 300*1024 {
			t.Errorf("home page weight %d bytes, over 300 KB", total)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	home := env.get("/", "fa").text()
	css := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no hashed stylesheet on the home page")
	}
	r := env.get(css[1], "")
	if r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("ETag") == "" ||
		r.Header.Get("Content-Type") != "text/css; charset=utf-8" || r.Header.Get("Content-Security-Policy") != wantCSP {
		t.Errorf("hashed CSS headers: %v", r.Header)
	}
	font := regexp.MustCompile(`url\("(/static/fonts/Vazirmatn-Regular\.[0-9a-f]{12}\.woff2)"\)`).FindStringSubmatch(r.text())
	if font == nil {
		t.Fatal("the stylesheet does not refer to the hashed font")
	}
	if f := env.get(font[1], ""); f.StatusCode != 200 || f.Header.Get("Content-Type") != "font/woff2" || len(f.body) < 10000 {
		t.Errorf("font: %d %s %d bytes", f.StatusCode, f.Header.Get("Content-Type"), len(f.body))
	}
	plain := env.get("/static/css/site.css", "")
	if plain.StatusCode != 200 || !strings.Contains(plain.Header.Get("Cache-Control"), "must-revalidate") {
		t.Errorf("plain CSS: %d %v", plain.StatusCode, plain.Header)
	}
	if r := env.do(http.MethodGet, "/static/css/site.css", http.Header{"If-None-Match": {plain.Header.Get("ETag")}}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	gz := env.do(http.MethodGet, css[1], http.Header{"Accept-Encoding": {"gzip"}})
	if gz.Header.Get("Content-Encoding") != "gzip" || len(gz.body) >= len(r.body) {
		t.Errorf("gzip: %q, %d bytes vs %d", gz.Header.Get("Content-Encoding"), len(gz.body), len(r.body))
	}
	if r := env.get("/static/nope.js", ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing static file: %d", r.StatusCode)
	}
}

// fakeFollowUp stands in for the follow-up service, to show the pages
// render what it will provide.
