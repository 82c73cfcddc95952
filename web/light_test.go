package web_test

// A portal that loads light: answers compressed, fonts cut to the site's
// characters, htmx only where a page uses it, and the first visit to the
// Persian home under its weight budget — checked over HTTP here, and as a
// browser counts it in light_browser_test.go.

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// homeBudget is the most the first visit to the Persian home may transfer:
// the page, its stylesheets, scripts, icon and fonts, compressed.
const homeBudget = 80 * 1024

var (
	subresource = regexp.MustCompile(`<(?:link[^>]* href|script[^>]* src)="(/static/[^"]+)"`)
	cssURL      = regexp.MustCompile(`url\("?(/static/[^")]+)"?\)`)
)

// gzGet fetches path as a browser does, asking for gzip, and gives the
// bytes on the wire (not inflated).
func (e *env) gzGet(path string, header ...string) *scenario.Response {
	e.t.Helper()
	h := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	for i := 0; i+1 < len(header); i += 2 {
		h[http.CanonicalHeaderKey(header[i])] = header[i+1]
	}
	return e.Do(scenario.Request{Method: http.MethodGet, Path: path, Header: h})
}

func inflate(t *testing.T, r *scenario.Response) []byte {
	t.Helper()
	if r.Header.Get("Content-Encoding") != "gzip" {
		return r.Body
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatalf("%s: %v", r.URL, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHomeTransferBudget: the Persian home's first visit — the page and
// every file it and its stylesheets refer to, as sent to a browser that
// takes gzip — stays under homeBudget.
func TestHomeTransferBudget(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	home := env.gzGet("/?lang=fa")
	if home.Status != 200 || home.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("home: %d, Content-Encoding %q", home.Status, home.Header.Get("Content-Encoding"))
	}
	html := inflate(t, home)
	total := len(home.Body)
	parts := []string{"HTML " + strconv.Itoa(len(home.Body))}
	seen := map[string]bool{}
	var fetch func(u string)
	fetch = func(u string) {
		if seen[u] {
			return
		}
		seen[u] = true
		r := env.gzGet(u)
		if r.Status != 200 {
			t.Fatalf("%s: %d", u, r.Status)
		}
		total += len(r.Body)
		parts = append(parts, filepath.Base(u)+" "+strconv.Itoa(len(r.Body)))
		if strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
			for _, m := range cssURL.FindAllStringSubmatch(string(inflate(t, r)), -1) {
				fetch(m[1])
			}
		}
	}
	for _, m := range subresource.FindAllStringSubmatch(string(html), -1) {
		fetch(m[1])
	}
	if len(seen) < 4 {
		t.Fatalf("the home refers to %d files: %v", len(seen), parts)
	}
	t.Logf("first visit to the Persian home: %d bytes = %s", total, strings.Join(parts, " + "))
	if total > homeBudget {
		t.Errorf("the first visit to the Persian home transfers %d bytes, over the budget of %d", total, homeBudget)
	}
}

// TestCompressedAnswers: every public page, and the CSS and JS, is sent
// gzip to a browser, with Vary: Accept-Encoding and an ETag of its own
// that revalidates; a font (compressed already) is sent as it is.
func TestCompressedAnswers(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, p := range append(pages, "/decisions", "/login") {
		for _, lang := range []string{"fa", "en"} {
			u := p + map[bool]string{true: "&", false: "?"}[strings.Contains(p, "?")] + "lang=" + lang
			r := env.gzGet(u)
			tag := r.Header.Get("ETag")
			if r.Status != 200 || r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(r.Header.Values("Vary"), ","), "Accept-Encoding") {
				t.Errorf("%s: %d, Content-Encoding %q, Vary %q", u, r.Status, r.Header.Get("Content-Encoding"), r.Header.Values("Vary"))
				continue
			}
			if !bytes.Contains(inflate(t, r), []byte(`<html lang="`+lang+`"`)) {
				t.Errorf("%s: the inflated page is not the page", u)
			}
			if tag == "" {
				continue // a page not kept (signed-in, or not cacheable) has no ETag
			}
			if !strings.HasSuffix(tag, `-gzip"`) {
				t.Errorf("%s: the gzip answer's ETag %s is the identity answer's", u, tag)
			}
			if again := env.gzGet(u, "If-None-Match", tag); again.Status != http.StatusNotModified || again.Header.Get("ETag") != tag {
				t.Errorf("%s: revalidated with %s: %d, ETag %q", u, tag, again.Status, again.Header.Get("ETag"))
			}
			if plain := env.Do(scenario.Request{Method: http.MethodGet, Path: u, Header: map[string]string{"Accept-Encoding": "identity"}}); plain.Header.Get("Content-Encoding") != "" ||
				plain.Header.Get("ETag") == tag || plain.Status != 200 {
				t.Errorf("%s: identity answer %d, Content-Encoding %q, ETag %q", u, plain.Status, plain.Header.Get("Content-Encoding"), plain.Header.Get("ETag"))
			}
		}
	}
	home := string(inflate(t, env.gzGet("/?lang=fa")))
	for _, m := range subresource.FindAllStringSubmatch(home, -1) {
		u := m[1]
		if !strings.HasSuffix(u, ".css") && !strings.HasSuffix(u, ".js") {
			continue
		}
		gz, plain := env.gzGet(u), env.Do(scenario.Request{Method: http.MethodGet, Path: u, Header: map[string]string{"Accept-Encoding": "identity"}})
		if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("ETag") == plain.Header.Get("ETag") || len(gz.Body) >= len(plain.Body) ||
			!strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: gzip %q (%d bytes, ETag %s) vs identity (%d bytes, ETag %s)", u, gz.Header.Get("Content-Encoding"),
				len(gz.Body), gz.Header.Get("ETag"), len(plain.Body), plain.Header.Get("ETag"))
		}
		if again := env.gzGet(u, "If-None-Match", gz.Header.Get("ETag")); again.Status != http.StatusNotModified {
			t.Errorf("%s: revalidated: %d", u, again.Status)
		}
	}
	css := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no stylesheet")
	}
	fonts := cssURL.FindAllStringSubmatch(string(inflate(t, env.gzGet(css[1]))), -1)
	if len(fonts) == 0 {
		t.Fatal("the stylesheet names no font")
	}
	for _, m := range fonts {
		if f := env.gzGet(m[1]); f.Header.Get("Content-Encoding") != "" || f.Header.Get("Content-Type") != "font/woff2" {
			t.Errorf("%s: %q, Content-Encoding %q", m[1], f.Header.Get("Content-Type"), f.Header.Get("Content-Encoding"))
		}
	}
}

// TestFontsSubset: the fonts the stylesheet names are the subset WOFF2
// files (web/static/fonts/subset.sh), small, with the license beside
// them; and every character the site writes — its catalogs, templates
// and reference data — is in the subset, or is one the font never had.
func TestFontsSubset(t *testing.T) {
	css, err := os.ReadFile("static/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	faces := cssURL.FindAllStringSubmatch(string(css), -1)
	if len(faces) < 2 {
		t.Fatalf("the stylesheet names %d fonts", len(faces))
	}
	for _, m := range faces {
		name := strings.TrimPrefix(m[1], "/static/")
		if !strings.HasPrefix(name, "fonts/") || !strings.HasSuffix(name, ".woff2") {
			t.Errorf("the stylesheet's font %s is not a subset WOFF2 of static/fonts/", m[1])
			continue
		}
		b, err := os.ReadFile(filepath.Join("static", name))
		if err != nil || !bytes.HasPrefix(b, []byte("wOF2")) || len(b) > 24*1024 {
			t.Errorf("%s: %d bytes, %v (want WOFF2 under 24 KB)", name, len(b), err)
		}
	}
	if _, err := os.Stat("static/fonts/OFL.txt"); err != nil {
		t.Errorf("the fonts' license is not beside them: %v", err)
	}
	ranges := subsetRanges(t)
	// Vazirmatn has no glyph for these; the next font of the stack draws them.
	notInFont := "←→✓✗"
	files, _ := filepath.Glob("i18n*.go")
	tmpl, _ := filepath.Glob("templates/*.html")
	staff, _ := filepath.Glob("templates/staff/*.html")
	files = append(append(append(files, tmpl...), staff...), "../reference/registry.json", "../reference/series.json")
	missing := map[rune]string{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(b) {
			if r < 0x20 || unicode.IsControl(r) || strings.ContainsRune(notInFont, r) || inRanges(ranges, r) {
				continue
			}
			missing[r] = f
		}
	}
	for r, f := range missing {
		t.Errorf("%s writes %q (U+%04X), which the subset fonts leave out: add it to UNICODES in web/static/fonts/subset.sh and run it", f, r, r)
	}
}

// subsetRanges reads the code points the fonts were cut to
// (static/fonts/UNICODES, written by subset.sh).
func subsetRanges(t *testing.T) [][2]rune {
	b, err := os.ReadFile("static/fonts/UNICODES")
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]rune
	for _, part := range strings.Split(strings.TrimSpace(string(b)), ",") {
		lo, hi, ok := strings.Cut(strings.TrimPrefix(strings.TrimSpace(part), "U+"), "-")
		if !ok {
			hi = lo
		}
		a, err1 := strconv.ParseUint(lo, 16, 32)
		z, err2 := strconv.ParseUint(hi, 16, 32)
		if err1 != nil || err2 != nil {
			t.Fatalf("UNICODES: bad range %q", part)
		}
		out = append(out, [2]rune{rune(a), rune(z)})
	}
	return out
}

func inRanges(rs [][2]rune, r rune) bool {
	for _, x := range rs {
		if r >= x[0] && r <= x[1] {
			return true
		}
	}
	return false
}

var htmxScript = regexp.MustCompile(`<script src="/static/vendor/htmx\.org-[^"]+"`)

// TestHTMXOnlyWhereUsed: a page whose template carries no htmx attribute
// does not load htmx (the home, a project, the data pages…); a page that
// carries one loads it.
func TestHTMXOnlyWhereUsed(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	hx := regexp.MustCompile(`\shx-[a-z-]+=`)
	for _, p := range append(pages, "/decisions", "/login") {
		body := env.Page("", p, "fa").Text()
		uses, loads := hx.MatchString(body), htmxScript.MatchString(body)
		if uses && !loads {
			t.Errorf("%s uses htmx and does not load it", p)
		}
		templateUses := strings.HasPrefix(p, "/compare") || strings.HasPrefix(p, "/programs/")
		if loads && !templateUses {
			t.Errorf("%s loads htmx, which it does not use", p)
		}
		if strings.HasPrefix(p, "/compare?") && !loads {
			t.Errorf("%s does not load htmx, which its form uses", p)
		}
	}
}
