package httpx_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/httpx"
)

// page is a Persian page of some length, as the portal sends.
var page = []byte("<!doctype html><html lang=\"fa\"><body>" + strings.Repeat("<p>پروژه پیشران سلامت هوشمند</p>\n", 200) + "</body></html>")

// answer is a handler that sends body with the given type and ETag, and
// answers a matching If-None-Match with 304, as the faces' handlers do.
func answer(ctype, etag string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Vary", "Cookie")
		if etag != "" {
			w.Header().Set("ETag", etag)
			if httpx.ETagMatch(r.Header.Get("If-None-Match"), etag) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Write(body)
	}
}

func serveCompressed(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	httpx.Compress(h).ServeHTTP(rec, r)
	return rec
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func varies(h http.Header, field string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), field) {
				return true
			}
		}
	}
	return false
}

// TestCompressPage: a page is sent gzip to a client that takes it, with
// its own ETag and Vary: Accept-Encoding (beside the handler's Cookie),
// and as it is, with the handler's ETag and headers, to one that does not.
func TestCompressPage(t *testing.T) {
	h := answer("text/html; charset=utf-8", `"p-1"`, page)
	rec := serveCompressed(h, "GET", "/", "Accept-Encoding", "gzip, deflate, br")
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	if got := gunzip(t, rec.Body.Bytes()); !bytes.Equal(got, page) {
		t.Error("the compressed page is not the page")
	}
	if rec.Body.Len()*3 > len(page) {
		t.Errorf("compressed %d → %d bytes only", len(page), rec.Body.Len())
	}
	if rec.Header().Get("ETag") != `"p-1-gzip"` || !varies(rec.Header(), "Accept-Encoding") || !varies(rec.Header(), "Cookie") ||
		rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
		t.Errorf("headers %v", rec.Header())
	}
	// Asked again, the same bytes (the compressed page is kept by ETag).
	if again := serveCompressed(h, "GET", "/", "Accept-Encoding", "gzip"); !bytes.Equal(again.Body.Bytes(), rec.Body.Bytes()) {
		t.Error("asked twice, two compressed bodies")
	}

	plain := serveCompressed(h, "GET", "/")
	if plain.Header().Get("Content-Encoding") != "" || !bytes.Equal(plain.Body.Bytes(), page) ||
		plain.Header().Get("ETag") != `"p-1"` {
		t.Errorf("without Accept-Encoding: %q, ETag %q, Vary %q", plain.Header().Get("Content-Encoding"), plain.Header().Get("ETag"), plain.Header().Values("Vary"))
	}
	for _, ae := range []string{"gzip;q=0", "identity", "br", "*;q=0", "gzip;q=0, *"} {
		if r := serveCompressed(h, "GET", "/", "Accept-Encoding", ae); r.Header().Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: compressed", ae)
		}
	}
	for _, ae := range []string{"*", "GZIP", "gzip;q=0.5", "br;q=1, gzip;q=0.1"} {
		if r := serveCompressed(h, "GET", "/", "Accept-Encoding", ae); r.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding %q: not compressed", ae)
		}
	}
}

// TestCompressConditional: the tag of the compressed answer, sent back,
// reaches the handler as the tag it made: a revalidation is 304 with the
// tag the client holds, and an If-Match names the version read.
func TestCompressConditional(t *testing.T) {
	h := answer("application/json", `"v3-0123456789abcdef"`, bytes.Repeat([]byte(`{"a":"b"},`), 300))
	first := serveCompressed(h, "GET", "/", "Accept-Encoding", "gzip")
	tag := first.Header().Get("ETag")
	if tag != `"v3-0123456789abcdef-gzip"` {
		t.Fatalf("ETag %q", tag)
	}
	again := serveCompressed(h, "GET", "/", "Accept-Encoding", "gzip", "If-None-Match", tag)
	if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != tag {
		t.Errorf("revalidated: %d, %d bytes, ETag %q", again.Code, again.Body.Len(), again.Header().Get("ETag"))
	}
	plain := serveCompressed(h, "GET", "/", "If-None-Match", `"v3-0123456789abcdef"`)
	if plain.Code != http.StatusNotModified || plain.Header().Get("ETag") != `"v3-0123456789abcdef"` {
		t.Errorf("identity revalidated: %d, ETag %q", plain.Code, plain.Header().Get("ETag"))
	}
	var seen string
	write := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Get("If-Match")
		v, err := httpx.IfMatch(r)
		if err != nil || v != 3 {
			t.Errorf("If-Match read as %d, %v", v, err)
		}
		w.WriteHeader(http.StatusNoContent)
	})
	serveCompressed(write, "PUT", "/", "If-Match", tag)
	if seen != `"v3-0123456789abcdef"` {
		t.Errorf("the handler read If-Match %q", seen)
	}
}

// TestCompressLeaves: what is not worth compressing, or must not be, goes
// as it is.
func TestCompressLeaves(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 10000)
	cases := []struct {
		name string
		h    http.HandlerFunc
		m    string
	}{
		{"small", answer("text/html; charset=utf-8", "", []byte("<p>hi</p>")), "GET"},
		{"font", answer("font/woff2", "", big), "GET"},
		{"xlsx", answer("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "", big), "GET"},
		{"gzip download", answer("application/gzip", "", big), "GET"},
		{"head", answer("text/html; charset=utf-8", "", big), "HEAD"},
		{"encoded already", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/css")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(big)
		}, "GET"},
		{"partial", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/csv")
			w.Header().Set("Content-Range", "bytes 0-9999/20000")
			w.WriteHeader(http.StatusPartialContent)
			w.Write(big)
		}, "GET"},
	}
	for _, c := range cases {
		rec := serveCompressed(c.h, c.m, "/", "Accept-Encoding", "gzip")
		if c.name == "encoded already" {
			if rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(rec.Body.Bytes(), big) {
				t.Errorf("%s: compressed twice", c.name)
			}
			continue
		}
		if rec.Header().Get("Content-Encoding") != "" || (c.m == "GET" && rec.Body.Len() == 0) {
			t.Errorf("%s: Content-Encoding %q, %d bytes", c.name, rec.Header().Get("Content-Encoding"), rec.Body.Len())
		}
	}
}

// TestCompressStream: an answer longer than the buffer, or flushed, is
// compressed as it is written, and arrives whole.
func TestCompressStream(t *testing.T) {
	var want bytes.Buffer
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("ETag", `"csv"`)
		for i := range 40000 {
			line := "row," + strconv.Itoa(i) + ",سلامت هوشمند\n"
			want.WriteString(line)
			io.WriteString(w, line)
			if i == 10 {
				http.NewResponseController(w).Flush()
			}
		}
	})
	srv := httptest.NewServer(httpx.Compress(h))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") != `"csv-gzip"` {
		t.Fatalf("headers %v", res.Header)
	}
	if got := gunzip(t, body); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("streamed %d bytes, want %d", len(got), want.Len())
	}
}

// TestRootCompresses: the root both faces are mounted on compresses their
// answers.
func TestRootCompresses(t *testing.T) {
	rt, err := httpx.NewRoot(httpx.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rt.Handle("GET /page", answer("text/html; charset=utf-8", `"p-2"`, page))
	r := httptest.NewRequest("GET", "/page", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	rt.ServeHTTP(rec, r)
	if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, rec.Body.Bytes()), page) ||
		rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("through the root: %d, headers %v", rec.Code, rec.Header())
	}
}

func TestGzipETag(t *testing.T) {
	for in, want := range map[string]string{`"a"`: `"a-gzip"`, `W/"a"`: `W/"a-gzip"`, "": "", `"a-gzip"`: `"a-gzip"`} {
		if got := httpx.GzipETag(in); got != want {
			t.Errorf("GzipETag(%s) = %s, want %s", in, got, want)
		}
	}
}
