package web_test

// The page weight budget and the static files.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

var assetRef = regexp.MustCompile(`(?:<link rel="stylesheet" href|<script src)="([^"]+)"`)

// TestPageWeight: the public home with the CSS and JS it references, not
// counting fonts, must stay under 300 KB (uncompressed; the server also
// gzips text assets).
func TestPageWeight(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, lang := range []string{"fa", "en"} {
		home := env.Page("", "/", lang)
		total := len(home.Body)
		parts := []string{fmt.Sprintf("HTML %d", len(home.Body))}
		refs := assetRef.FindAllStringSubmatch(home.Text(), -1)
		if len(refs) < 2 {
			t.Fatalf("home references %d assets", len(refs))
		}
		for _, m := range refs {
			r := env.Page("", m[1], "")
			if r.Status != 200 {
				t.Fatalf("%s: %d", m[1], r.Status)
			}
			total += len(r.Body)
			parts = append(parts, fmt.Sprintf("%s %d", m[1], len(r.Body)))
		}
		t.Logf("home page weight (%s, without fonts): %d bytes = %s", lang, total, strings.Join(parts, " + "))
		if total > 300*1024 {
			t.Errorf("home page weight %d bytes, over 300 KB", total)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	home := env.Page("", "/", "fa").Text()
	css := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no hashed stylesheet on the home page")
	}
	r := env.Page("", css[1], "")
	if r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("ETag") == "" ||
		r.Header.Get("Content-Type") != "text/css; charset=utf-8" || r.Header.Get("Content-Security-Policy") != scenario.CSP {
		t.Errorf("hashed CSS headers: %v", r.Header)
	}
	font := regexp.MustCompile(`url\("(/static/fonts/Vazirmatn-Regular\.[0-9a-f]{12}\.woff2)"\)`).FindStringSubmatch(r.Text())
	if font == nil {
		t.Fatal("the stylesheet does not refer to the hashed font")
	}
	if f := env.Page("", font[1], ""); f.Status != 200 || f.Header.Get("Content-Type") != "font/woff2" || len(f.Body) < 10000 {
		t.Errorf("font: %d %s %d bytes", f.Status, f.Header.Get("Content-Type"), len(f.Body))
	}
	plain := env.Page("", "/static/css/site.css", "")
	if plain.Status != 200 || !strings.Contains(plain.Header.Get("Cache-Control"), "must-revalidate") {
		t.Errorf("plain CSS: %d %v", plain.Status, plain.Header)
	}
	if r := env.Do(scenario.Request{Method: http.MethodGet, Path: "/static/css/site.css", Header: map[string]string{"If-None-Match": plain.Header.Get("ETag")}}); r.Status != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.Status)
	}
	gz := env.Do(scenario.Request{Method: http.MethodGet, Path: css[1], Header: map[string]string{"Accept-Encoding": "gzip"}})
	if gz.Header.Get("Content-Encoding") != "gzip" || len(gz.Body) >= len(r.Body) {
		t.Errorf("gzip: %q, %d bytes vs %d", gz.Header.Get("Content-Encoding"), len(gz.Body), len(r.Body))
	}
	if r := env.Page("", "/static/nope.js", ""); r.Status != http.StatusNotFound {
		t.Errorf("missing static file: %d", r.Status)
	}
}

// fakeFollowUp stands in for the follow-up service, to show the pages
// render what it will provide.
