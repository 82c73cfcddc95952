// Package api serves Pishran's JSON API under /api/v1, with /healthz
// beside it. Handlers decode and check the request, call the service, and
// encode the answer; they hold no rules of their own. The API is one of
// the two faces mounted on the process's root handler (internal/httpx),
// which sets the security headers, checks the origin and keeps the
// metrics; the pages are the other (package web).
package api

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// DefaultCSP is the Content-Security-Policy of every answer whose handler
// sets none (httpx.DefaultCSP).
const DefaultCSP = httpx.DefaultCSP

// HSTS is the Strict-Transport-Security value sent over https
// (httpx.HSTS).
const HSTS = httpx.HSTS

// Server is the JSON API face of the service.
type Server struct {
	svc      *service.Service
	log      *slog.Logger
	routes   []Route
	handlers []mounted
	resp     *respCache  // kept answers of the registry's read routes (respcache.go)
	auth     *authState  // sign-in configuration (auth.go)
	root     *httpx.Root // the root the API is mounted on (for the 405 probe)

	own     *httpx.Root // the API alone, for ServeHTTP (standalone)
	ownOnce sync.Once
}

// Route is one API route: what the router serves and what the OpenAPI
// document must describe.
type Route struct {
	Method  string
	Pattern string // net/http pattern path, e.g. /api/v1/programs/{id}
	handle  func(w http.ResponseWriter, r *http.Request, a service.Actor) error
}

type mounted struct {
	pattern string
	h       http.Handler
}

// New builds the API. Mount it on a root (internal/httpx) to serve it
// beside the pages, or serve it alone (ServeHTTP).
func New(svc *service.Service, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	checkWire()
	s := &Server{svc: svc, log: log, auth: newAuthState(), resp: newRespCache()}
	s.routes = s.apiRoutes()
	for _, rt := range s.routes {
		access, ok := Permissions[rt.Method+" "+rt.Pattern]
		if !ok {
			panic("api: route " + rt.Method + " " + rt.Pattern + " has no entry in the permission table (permissions.go)")
		}
		h := rt.handle
		if cachedRoutes[rt.Method+" "+rt.Pattern] {
			h = s.cached(h)
		}
		s.handlers = append(s.handlers, mounted{rt.Method + " " + rt.Pattern, s.wrap(h, access)})
	}
	s.handlers = append(s.handlers, mounted{"/api/", s.wrap(func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		if allow := s.allowed(r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return httpx.StatusError(http.StatusMethodNotAllowed, "", "این نشانی روش "+r.Method+" را نمی‌پذیرد",
				"this URL does not take "+r.Method+"; it takes "+strings.Join(allow, ", "))
		}
		return httpx.StatusError(http.StatusNotFound, "", "چنین نشانی‌ای در API نیست", "no such API route")
	}, Everyone)})
	return s
}

// Mount adds the API's routes, and its answer to a path under /api/ that
// no route serves, to root.
func (s *Server) Mount(root *httpx.Root) {
	s.root = root
	for _, m := range s.handlers {
		root.Handle(m.pattern, m.h)
	}
}

// allowed lists the methods a route serves at r's path.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.root.Handler(probe); pattern != "" && pattern != "/api/" {
			out = append(out, m)
		}
	}
	return out
}

// Routes lists the API routes the server serves.
func (s *Server) Routes() []Route { return s.routes }

// ServeHTTP serves the API alone, on a root of its own configured as the
// API is (ConfigureAuth), as `pishran serve` would without the pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.standalone().ServeHTTP(w, r) }

// Handle adds a handler beside the API on its own root (see ServeHTTP):
// tests mount the pages there.
func (s *Server) Handle(pattern string, h http.Handler) { s.standalone().Handle(pattern, h) }

func (s *Server) standalone() *httpx.Root {
	s.ownOnce.Do(func() {
		root, err := httpx.NewRoot(s.httpConfig())
		if err != nil {
			panic(err) // the configuration was checked when it was set
		}
		s.own = root
		s.Mount(root)
	})
	return s.own
}

// ---- requests ----

// wrap turns a handler that returns an error into an http.Handler: it
// authenticates the caller, recovers from panics, and answers errors as
// problem+json.
func (s *Server) wrap(h func(http.ResponseWriter, *http.Request, service.Actor) error, access Access) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				writeError(w, r, s.log, fmt.Errorf("panic: %v", p))
			}
		}()
		if err := httpx.CheckURL(r); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		if s.svc.ReadOnly() && r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, r, s.log, domain.ReadOnly()) // a replica: nothing reaches the service to be refused there
			return
		}
		a, err := s.actor(r)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		// The permission table decides before the body is read.
		if !access.Allows(a.Role) {
			writeError(w, r, s.log, roleDenied(a))
			return
		}
		// Every write made while answering carries where it came from, for
		// the audit log.
		r = r.WithContext(domain.WithOrigin(r.Context(), domain.Origin{Actor: a.Name, Address: httpx.ClientAddress(r), Via: httpx.Credential(r)}))
		if err := h(w, r, a); err != nil {
			writeError(w, r, s.log, err)
		}
	})
}

// actor reads the bearer token, if any, else the session cookie (see
// sessionActor). A request with neither is the public; a request with a bad
// token is refused outright.
func (s *Server) actor(r *http.Request) (service.Actor, error) {
	a, sent, err := httpx.Bearer(r, s.svc)
	if !sent {
		return s.sessionActor(r)
	}
	return a, err
}
