package api

import (
	"net/http"

	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// The registry's read routes answer the same bytes to everyone with the same
// role and agency until something is written, and a public list is asked
// for far more often than the registry changes. respCache keeps those
// answers, encoded, under the data version (httpx.Cache): each request
// still reads the version — one indexed read — so no answer outlives the
// data it came from.
type respCache = httpx.Cache[respKey]

type respKey struct {
	role   service.Role
	agency string
	uri    string
}

// respCacheBudget bounds the bodies kept: the first pages of the lists and
// the records most asked for, not the whole registry.
const respCacheBudget = 4 << 20

// cachedRoutes are the routes whose answers are kept: reads of the registry
// that depend on the data and on who asks (role and agency), nothing else.
var cachedRoutes = map[string]bool{
	"GET /api/v1/terms": true, "GET /api/v1/agencies": true, "GET /api/v1/laws": true,
	"GET /api/v1/projects": true, "GET /api/v1/projects/{slug}": true,
	"GET /api/v1/programs": true, "GET /api/v1/programs/{id}": true, "GET /api/v1/programs/{id}/projects": true, "GET /api/v1/programs/{id}/fate": true,
	"GET /api/v1/scorecards": true, "GET /api/v1/agencies/{code}/scorecard": true,
	"GET /api/v1/compare": true,
}

func newRespCache() *respCache { return httpx.NewCache[respKey](respCacheBudget) }

// cached serves a read route from the cache, or runs it and keeps a 200
// answer with its Content-Type and ETag. The version is read before the
// route reads the data, so what is kept is at least as new as the version
// it is kept under.
func (s *Server) cached(h func(w http.ResponseWriter, r *http.Request, a service.Actor) error) func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		v, err := s.svc.DataVersion(r.Context(), service.PublicAreas...)
		if err != nil {
			return h(w, r, a)
		}
		k := respKey{role: a.Role, agency: a.Agency, uri: r.URL.RequestURI()}
		if e, ok := s.resp.Get(v, k); ok {
			for name, vs := range e.Header {
				w.Header()[name] = vs
			}
			if httpx.ETagMatch(r.Header.Get("If-None-Match"), e.Header.Get("ETag")) {
				w.WriteHeader(http.StatusNotModified)
				return nil
			}
			w.WriteHeader(http.StatusOK)
			if r.Method == http.MethodHead {
				return nil
			}
			_, err := w.Write(e.Body)
			return err
		}
		rec := httpx.NewRecorder(w, true)
		if err := h(rec, r, a); err != nil || rec.Status != http.StatusOK {
			return err
		}
		hd := http.Header{}
		for _, name := range []string{"Content-Type", "ETag"} {
			if x := w.Header().Get(name); x != "" {
				hd.Set(name, x)
			}
		}
		s.resp.Put(v, k, &httpx.Kept{Header: hd, Body: rec.Body()})
		return nil
	}
}
