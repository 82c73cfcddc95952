package httpx

import (
	"net/http"

	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/service"
)

// Cache keeps answers, encoded, under the data version they were read at
// (service.DataVersion: the audit head, which every write moves on any
// instance sharing the database, and the day), by a key each face chooses:
// the API keys a read on who asks and its address, the portal a page on its
// language and address. Every request still reads the version — one
// indexed read — so no answer outlives the data it came from.
type Cache[K comparable] = keep.Cache[service.DataVersion, K, *Kept]

// Kept is an answer as a Cache keeps it.
type Kept struct {
	Header http.Header // the headers to send again (the API's Content-Type and ETag)
	Body   []byte
	ETag   string // the page's ETag (the portal's)
}

// NewCache is a cache that keeps at most budget bytes of bodies.
func NewCache[K comparable](budget int) *Cache[K] {
	return keep.New[service.DataVersion, K](budget, func(k *Kept) int { return len(k.Body) })
}

// Recorder passes an answer through while noting its status and, when
// asked to, keeping a copy of its body.
type Recorder struct {
	http.ResponseWriter
	// Status is the last status written; 0 until the handler writes
	// (Code reports 200 then, as net/http sends).
	Status int
	keep   bool
	body   []byte
}

// NewRecorder records w's answer; keepBody keeps a copy of the body.
func NewRecorder(w http.ResponseWriter, keepBody bool) *Recorder {
	return &Recorder{ResponseWriter: w, keep: keepBody}
}

// Code is the status the client received.
func (r *Recorder) Code() int {
	if r.Status == 0 {
		return http.StatusOK
	}
	return r.Status
}

// Body is the copy of the body written so far (keepBody): the recorder's
// own, which the caller may keep.
func (r *Recorder) Body() []byte { return r.body }

func (r *Recorder) WriteHeader(code int) {
	r.Status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *Recorder) Write(b []byte) (int, error) {
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	if r.keep {
		// One copy, of the size written: an answer is mostly one Write.
		r.body = append(r.body, b...)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (r *Recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
