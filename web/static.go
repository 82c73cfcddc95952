package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pishran/pishran/internal/httpx"
)

// static holds our own CSS, JS and images, and the vendored third-party
// files (web/static/vendor/, put there by web/assets/vendor.sh and checked
// against SHA256SUMS by TestVendorChecksums). Nothing is fetched at build
// or run time, and no page refers to another origin.
//
//go:embed static
var staticFS embed.FS

// Vendored files the templates refer to by a short name, so a version bump
// is one line here (and one in vendor.sh).
var vendored = map[string]string{
	"htmx":         "vendor/htmx.org-2.0.11/htmx.min.js",
	"chart":        "vendor/chart.js-4.6.1/chart.umd.min.js",
	"font-regular": "vendor/vazirmatn-33.0.3/Vazirmatn-Regular.woff2",
	"font-bold":    "vendor/vazirmatn-33.0.3/Vazirmatn-Bold.woff2",
}

// asset is one static file ready to serve.
type asset struct {
	name  string // path under static/, e.g. css/site.css
	url   string // content-hashed URL, e.g. /static/css/site.1a2b3c4d5e.css
	body  []byte
	gz    []byte // gzip of body, for text files worth compressing
	ctype string
	etag  string
}

// assets is the table of static files: by logical name and by every URL
// that serves them (the hashed one, cached for a year, and the plain one,
// revalidated by ETag).
type assets struct {
	byName map[string]*asset
	byURL  map[string]*asset
	hashed map[string]bool
}

var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
}

// staticRef matches a /static/… reference inside our CSS, rewritten to the
// hashed URL so that a font referenced from a stylesheet is cached as long
// as the stylesheet is.
var staticRef = regexp.MustCompile(`/static/[A-Za-z0-9._/\-\[\]]+`)

// loadAssets reads the embedded files, hashes them and rewrites the /static/
// references in stylesheets. Stylesheets are processed last, after the
// files they refer to have their hashed URLs.
func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]*asset{}, byURL: map[string]*asset{}, hashed: map[string]bool{}}
	var names []string
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, strings.TrimPrefix(p, "static/"))
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(names, func(i, j int) bool {
		return path.Ext(names[i]) != ".css" && path.Ext(names[j]) == ".css"
	})
	for _, name := range names {
		body, err := staticFS.ReadFile("static/" + name)
		if err != nil {
			return nil, err
		}
		if path.Ext(name) == ".css" {
			var missing []string
			body = staticRef.ReplaceAllFunc(body, func(ref []byte) []byte {
				if x, ok := a.byName[strings.TrimPrefix(string(ref), "/static/")]; ok {
					return []byte(x.url)
				}
				missing = append(missing, string(ref))
				return ref
			})
			if len(missing) > 0 {
				return nil, fmt.Errorf("web: %s refers to missing static files %v", name, missing)
			}
		}
		a.add(name, body)
	}
	for short, name := range vendored {
		if a.byName[name] == nil {
			return nil, fmt.Errorf("web: vendored %s (%s) is not in web/static; run web/assets/vendor.sh", short, name)
		}
	}
	return a, nil
}

func (a *assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])[:12]
	ext := path.Ext(name)
	x := &asset{name: name, body: body, etag: `"` + hash + `"`, ctype: contentTypes[ext]}
	if x.ctype == "" {
		x.ctype = "text/plain; charset=utf-8" // LICENSE, SHA256SUMS, PACKAGES
	}
	x.url = "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext
	if httpx.Compressible(x.ctype) {
		x.gz = httpx.Gzip(body) // once, at start; nil when it does not pay
	}
	a.byName[name] = x
	a.byURL[x.url] = x
	a.byURL["/static/"+name] = x
	a.hashed[x.url] = true
}

// url returns the hashed URL of a static file, by its path under static/
// or by its short vendored name. An unknown name is a template bug: it
// panics at render time, and every page's test catches it.
func (a *assets) url(name string) string {
	if v, ok := vendored[name]; ok {
		name = v
	}
	x, ok := a.byName[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return x.url
}

// ServeHTTP serves a static file: a hashed URL is immutable and cached for
// a year; a plain one is revalidated with its ETag.
func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", x.ctype)
	h.Set("Vary", "Accept-Encoding")
	if a.hashed[r.URL.Path] {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300, must-revalidate")
	}
	// The gzip form is another representation, with a tag of its own
	// (httpx.GzipETag); the root's httpx.Compress takes its suffix off
	// If-None-Match before this handler reads it.
	body, etag := x.body, x.etag
	if x.gz != nil && httpx.AcceptsGzip(r) {
		body, etag = x.gz, httpx.GzipETag(x.etag)
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("ETag", etag)
	if httpx.ETagMatch(r.Header.Get("If-None-Match"), x.etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
