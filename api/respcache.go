package api

import (
	"bytes"
	"net/http"

	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/service"
)

// The registry's read routes answer the same bytes to everyone with the same
// role and agency until something is written, and a public list is asked
// for far more often than the registry changes. respCache keeps those
// answers, encoded, under the data version (service.DataVersion: the audit
// head, which every write moves, on any instance sharing the database, and
// the day). Each request still reads the version — one indexed read — so
// no answer outlives the data it came from.
type respCache = keep.Cache[service.DataVersion, respKey, *cachedResp]

type respKey struct {
	role   service.Role
	agency string
	uri    string
}

type cachedResp struct {
	header http.Header // Content-Type and ETag
	body   []byte
}

// respCacheBudget bounds the bodies kept: the first pages of the lists and
// the records most asked for, not the whole registry.
const respCacheBudget = 4 << 20

// cachedRoutes are the routes whose answers are kept: reads of the registry
// that depend on the data and on who asks (role and agency), nothing else.
var cachedRoutes = map[string]bool{
	"GET /api/v1/terms": true, "GET /api/v1/agencies": true, "GET /api/v1/laws": true,
	"GET /api/v1/projects": true, "GET /api/v1/projects/{slug}": true,
	"GET /api/v1/programs": true, "GET /api/v1/programs/{id}": true, "GET /api/v1/programs/{id}/projects": true,
	"GET /api/v1/compare": true,
}

func newRespCache() *respCache {
	return keep.New[service.DataVersion, respKey](respCacheBudget, func(e *cachedResp) int { return len(e.body) })
}

// cached serves a read route from the cache, or runs it and keeps a 200
// answer. The version is read before the route reads the data, so what is
// kept is at least as new as the version it is kept under.
func (s *Server) cached(h func(w http.ResponseWriter, r *http.Request, a service.Actor) error) func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		v, err := s.svc.DataVersion(r.Context())
		if err != nil {
			return h(w, r, a)
		}
		k := respKey{role: a.Role, agency: a.Agency, uri: r.URL.RequestURI()}
		if e, ok := s.resp.Get(v, k); ok {
			for name, vs := range e.header {
				w.Header()[name] = vs
			}
			if etagMatch(r.Header.Get("If-None-Match"), e.header.Get("ETag")) {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
			w.WriteHeader(http.StatusOK)
			if r.Method == http.MethodHead {
				return nil
			}
			_, err := w.Write(e.body)
			return err
		}
		rec := &recorder{ResponseWriter: w}
		if err := h(rec, r, a); err != nil || rec.status != http.StatusOK {
			return err
		}
		hd := http.Header{}
		for _, name := range []string{"Content-Type", "ETag"} {
			if x := w.Header().Get(name); x != "" {
				hd.Set(name, x)
			}
		}
		s.resp.Put(v, k, &cachedResp{header: hd, body: bytes.Clone(rec.body.Bytes())})
		return nil
	}
}

// recorder passes an answer through while keeping a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
