package httpx

import (
	"bytes"
	"compress/gzip"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Answers are compressed on the way out, once, here, for both faces: a
// page of the portal is mostly markup and Persian text that gzip shrinks
// to a fifth, which is what a visitor on a phone waits for. What is
// compressed: text of every kind (HTML, CSS, JavaScript, CSV), JSON
// (problem+json among it), XML (Atom feeds) and SVG, of MinCompress bytes
// or more, to a client that accepts gzip. What is not: small answers
// (gzip's own overhead eats the saving), types that are compressed
// already (fonts, images, XLSX, gzip downloads), an answer whose handler
// set its own Content-Encoding (the static files, gzipped once at start),
// partial content, an answer carrying a digest of its bytes (the
// evidence downloads' Repr-Digest), HEAD. Brotli is not offered: no brotli module is among
// the project's dependencies, and gzip takes the portal under its weight
// budget (web's TestBrowserWeight).
//
// A compressed answer is another representation of the resource, so it
// carries another ETag: the identity answer's tag with "-gzip" before its
// closing quote (a strong tag must differ between encodings, RFC 9110
// §8.8.3). The conditional headers a client sends back (If-None-Match,
// If-Match, If-Range) have that suffix taken off before the handler reads
// them, so every handler keeps comparing the tags it knows, and a 304
// carries the tag the client holds.

// MinCompress is the smallest answer compressed: below it, an answer is
// sent as it is.
const MinCompress = 1024

// maxBuffered is the size up to which an answer is compressed whole (and
// its compressed form kept by ETag, see gzipKept); a longer one is
// compressed as it streams.
const maxBuffered = 512 << 10

// gzipSuffix marks a compressed representation's ETag.
const gzipSuffix = "-gzip"

// Compressible reports whether an answer of this Content-Type is worth
// compressing.
func Compressible(ctype string) bool {
	mt, _, _ := strings.Cut(ctype, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case mt == "text/event-stream":
		return false // a stream of events is flushed as it goes
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/javascript", mt == "application/xml",
		mt == "image/svg+xml", mt == "application/x-ndjson", mt == "application/jsonl",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// AcceptsGzip reports whether the client takes a gzip answer
// (Accept-Encoding names gzip, or *, with a weight above zero).
func AcceptsGzip(r *http.Request) bool {
	star := false
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(part, ";")
		enc = strings.ToLower(strings.TrimSpace(enc))
		if enc != "gzip" && enc != "x-gzip" && enc != "*" {
			continue
		}
		ok := true
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				ok = err == nil && q > 0
			}
		}
		if enc == "*" {
			star = ok
		} else {
			return ok // an explicit gzip entry wins over *
		}
	}
	return star
}

// GzipETag is the ETag of the gzip representation of an answer tagged
// etag: "abc" → "abc-gzip" (W/"abc" → W/"abc-gzip"). Empty stays empty.
func GzipETag(etag string) string {
	if !strings.HasSuffix(etag, `"`) || strings.HasSuffix(etag, gzipSuffix+`"`) {
		return etag
	}
	return etag[:len(etag)-1] + gzipSuffix + `"`
}

// identityTags takes the gzip suffix off every tag of a conditional
// header's value; changed reports whether one had it.
func identityTags(v string) (out string, changed bool) {
	if !strings.Contains(v, gzipSuffix+`"`) {
		return v, false
	}
	return strings.ReplaceAll(v, gzipSuffix+`"`, `"`), true
}

// Compress wraps h so its answers are compressed as described above.
func Compress(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &compressWriter{ResponseWriter: w, accept: AcceptsGzip(r) && r.Method != http.MethodHead}
		for _, k := range []string{"If-None-Match", "If-Match", "If-Range"} {
			if v := r.Header.Get(k); v != "" {
				if id, changed := identityTags(v); changed {
					r.Header.Set(k, id)
					if k == "If-None-Match" {
						cw.heldGzip = true
					}
				}
			}
		}
		h.ServeHTTP(cw, r)
		cw.finish()
	})
}

// The states of a compressWriter.
const (
	cwUndecided = iota // nothing written yet
	cwPass             // sent as the handler writes it
	cwBuffer           // kept until the handler returns (or passes maxBuffered)
	cwStream           // compressed as it is written
)

// compressWriter decides, when the handler writes its header, whether the
// answer is compressed; a compressible answer is buffered, and compressed
// whole when the handler returns (or streamed once it outgrows the
// buffer, or is flushed).
type compressWriter struct {
	http.ResponseWriter
	accept   bool // the client takes gzip (and this is not HEAD)
	heldGzip bool // If-None-Match named a gzip tag: the client holds that representation
	state    int
	status   int
	buf      []byte
	zw       *gzip.Writer
}

func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *compressWriter) WriteHeader(code int) {
	if c.state != cwUndecided {
		return // as net/http: the first status stands
	}
	if code >= 100 && code < 200 {
		c.ResponseWriter.WriteHeader(code) // an interim answer (103 Early Hints)
		return
	}
	c.status = code
	h := c.Header()
	ok := Compressible(h.Get("Content-Type"))
	if ok && c.accept && h.Get("Content-Encoding") == "" {
		// The answer to this client may differ from the answer to one that
		// takes no gzip. (A client that takes none is left the headers it
		// always had: a cache serving it the identity answer is harmless.)
		addVary(h, "Accept-Encoding")
	}
	if code == http.StatusNotModified && c.heldGzip {
		// The client revalidates the gzip answer it holds: confirm that tag.
		if et := h.Get("ETag"); et != "" {
			h.Set("ETag", GzipETag(et))
		}
	}
	small := false
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < MinCompress {
		small = true
	}
	// A digest of the representation (Repr-Digest, Content-Digest) is of
	// the bytes as the handler sends them: those go as they are.
	if !c.accept || !ok || small || h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" ||
		h.Get("Repr-Digest") != "" || h.Get("Content-Digest") != "" ||
		code == http.StatusNoContent || code == http.StatusNotModified || code == http.StatusPartialContent {
		c.state = cwPass
		c.ResponseWriter.WriteHeader(code)
		return
	}
	c.state = cwBuffer
}

func (c *compressWriter) Write(b []byte) (int, error) {
	if c.state == cwUndecided {
		if c.Header().Get("Content-Type") == "" {
			// What net/http would sniff, so the type is known before deciding.
			c.Header().Set("Content-Type", http.DetectContentType(b))
		}
		c.WriteHeader(http.StatusOK)
	}
	switch c.state {
	case cwBuffer:
		c.buf = append(c.buf, b...)
		if len(c.buf) > maxBuffered {
			if err := c.startStream(); err != nil {
				return 0, err
			}
		}
		return len(b), nil
	case cwStream:
		return c.zw.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Flush sends what is written so far: a buffered answer is streamed from
// then on.
func (c *compressWriter) Flush() {
	switch c.state {
	case cwUndecided:
		c.WriteHeader(http.StatusOK)
		if c.state == cwBuffer {
			c.startStream()
		}
	case cwBuffer:
		c.startStream()
	}
	if c.zw != nil {
		c.zw.Flush()
	}
	http.NewResponseController(c.ResponseWriter).Flush()
}

// startStream sends the header of a compressed answer and what is
// buffered, and compresses the rest as it comes.
func (c *compressWriter) startStream() error {
	h := c.Header()
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	if et := h.Get("ETag"); et != "" {
		h.Set("ETag", GzipETag(et))
	}
	c.state = cwStream
	c.ResponseWriter.WriteHeader(c.status)
	c.zw = gzipWriters.Get().(*gzip.Writer)
	c.zw.Reset(c.ResponseWriter)
	_, err := c.zw.Write(c.buf)
	c.buf = nil
	return err
}

// finish sends a buffered answer, compressed when it is large enough, and
// ends a compressed stream.
func (c *compressWriter) finish() {
	switch c.state {
	case cwStream:
		c.zw.Close()
		c.zw.Reset(nil)
		gzipWriters.Put(c.zw)
		c.zw = nil
	case cwBuffer:
		h := c.Header()
		body := c.buf
		if len(body) >= MinCompress {
			etag := h.Get("ETag")
			if gz := gzipOf(etag, body); gz != nil {
				body = gz
				h.Set("Content-Encoding", "gzip")
				if etag != "" {
					h.Set("ETag", GzipETag(etag))
				}
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		c.ResponseWriter.WriteHeader(c.status)
		c.ResponseWriter.Write(body)
	}
}

// addVary adds a field to Vary unless it is named there already.
func addVary(h http.Header, field string) {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, field) {
				return
			}
		}
	}
	h.Add("Vary", field)
}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// Gzip compresses body at the best level, for what is compressed once and
// served many times (static files); nil when it saves less than a tenth.
func Gzip(body []byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	if b.Len() >= len(body)*9/10 {
		return nil
	}
	return b.Bytes()
}

// gzipOf compresses a whole answer. An answer with an ETag is kept
// compressed (gzipKept), so the portal's pages, kept rendered by the page
// cache and asked for again and again, are compressed once per version;
// nil when compressing does not pay.
func gzipOf(etag string, body []byte) []byte {
	var key keptKey
	if etag != "" {
		key = keptKey{etag: etag, n: len(body), sum: crc32.ChecksumIEEE(body)}
		if gz, ok := gzipKept.get(key); ok {
			return gz
		}
	}
	zw := gzipWriters.Get().(*gzip.Writer)
	var b bytes.Buffer
	b.Grow(len(body) / 3)
	zw.Reset(&b)
	zw.Write(body)
	zw.Close()
	zw.Reset(nil)
	gzipWriters.Put(zw)
	gz := b.Bytes()
	if len(gz) >= len(body) {
		gz = nil
	}
	if etag != "" {
		gzipKept.put(key, gz)
	}
	return gz
}

// keptKey names a compressed answer: its ETag, and its length and CRC-32,
// so that a handler reusing a tag for another body (it should not) never
// gets another body's bytes.
type keptKey struct {
	etag string
	n    int
	sum  uint32
}

// gzipKept holds compressed answers by key, up to a budget of bytes; when
// full, it is emptied and fills again with what is asked for now.
var gzipKept = &keptGzip{m: map[keptKey][]byte{}, budget: 8 << 20}

type keptGzip struct {
	mu     sync.Mutex
	m      map[keptKey][]byte
	size   int
	budget int
}

func (k *keptGzip) get(key keptKey) ([]byte, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	gz, ok := k.m[key]
	return gz, ok
}

func (k *keptGzip) put(key keptKey, gz []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.size+len(gz) > k.budget {
		clear(k.m)
		k.size = 0
	}
	k.m[key] = gz
	k.size += len(gz) + len(key.etag)
}
