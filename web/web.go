// Package web serves Pishran's pages: the public portal (no login) — home,
// program pages, project pages, the term comparison and open data — and the
// staff workspace behind a sign-in (staff.go): the portfolio dashboard,
// projects' full history, designation, meetings, reports and ratings, and
// what each agency owes. Pages are server-rendered HTML in Persian first
// (right to left, Jalali dates, Persian digits) and in English.
//
// Pages work without JavaScript; htmx and the chart library, vendored and
// embedded with the fonts, only enhance them. The portal's pages read the
// registry as the public (service.Anonymous) whoever is signed in, so a
// confidential project is never shown there, only counted, by the same rule
// the API follows; the workspace's pages read and write as the signed-in
// person, whose session is the API's own cookie. Every page is sent with a
// Content-Security-Policy that allows nothing from another origin and no
// inline script.
package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/pishran/pishran/internal/ratelimit"
	"html/template"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/service"
)

// CSP is the Content-Security-Policy of every page and file the site
// serves: everything from this origin only, no inline script or style, no
// framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// HealthSource gives the computed delivery health of projects (the status
// computed from baselines, reports and milestones, with ratings and
// staleness). The follow-up service provides it; until a Site has one, the
// pages say the status is not computed yet rather than guess.
type HealthSource interface {
	Health(ctx context.Context, a service.Actor, slugs []string) (map[string]domain.Health, error)
}

// FollowUpSource gives what the follow-up knows of one project: milestones,
// decisions, ratings and the last accepted report. Until a Site has one,
// the project page says nothing has been reported yet.
type FollowUpSource interface {
	FollowUp(ctx context.Context, a service.Actor, slug string) (*FollowUp, error)
}

// Options configures a Site.
type Options struct {
	Health   HealthSource   // nil: delivery status not computed yet
	FollowUp FollowUpSource // nil: nothing reported yet
	// Now is the clock for "as of" times; nil means time.Now.
	Now func() time.Time
	// Session is how long sign-in sessions live; it must be the policy the
	// API is configured with (api.AuthConfig.Session), so that a session
	// ends at the same moment on both. Zero fields take the defaults.
	Session service.SessionPolicy
	// SecureCookies marks the session cookie Secure even on plain HTTP
	// requests: set it when TLS ends at a proxy in front (the public URL is
	// https), as the API does.
	SecureCookies bool
	// PublicURL is the address people reach Pishran at (serve
	// --public-url), for links the pages hand out to be used elsewhere (a
	// new account's set-password link); empty: the request's own host.
	PublicURL string
	// PageCache bounds the bytes of public pages kept as rendered (see
	// pageCache): 0 means 4 MiB, a negative number keeps none (the render
	// benchmarks measure the rendering with it off).
	PageCache int
	// LoginBurst and LoginRefill shape the per-address limit on failed
	// sign-ins through the sign-in page, as the API's (defaults: 20 at
	// once, then one more every 6 seconds).
	LoginBurst int
	// LoginLimiter, when set, is the limiter the API uses too, so one count
	// covers both doors; LoginBurst and LoginRefill then do not apply.
	LoginLimiter *ratelimit.Limiter
	LoginRefill  time.Duration
}

// Site is the web front end.
type Site struct {
	svc     *service.Service
	cache   *pageCache
	dash    *keep.Cache[service.DataVersion, dashKey, *dashboardView] // the staff dashboard's figures (staff_dashboard.go)
	log     *slog.Logger
	opt     Options
	assets  *assets
	pages   map[Lang]map[string]*template.Template
	limiter *ratelimit.Limiter // failed sign-ins per address, shared with the API when given
}

// New builds the site: it loads the embedded static files and parses every
// template, in both languages.
func New(svc *service.Service, log *slog.Logger, opt Options) (*Site, error) {
	if log == nil {
		log = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	s := &Site{svc: svc, cache: newPageCache(cmp.Or(opt.PageCache, pageCacheBudget)), dash: newDashCache(), log: log, opt: opt, limiter: opt.LoginLimiter}
	if s.limiter == nil {
		s.limiter = ratelimit.New(opt.LoginBurst, opt.LoginRefill)
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	return s, nil
}

// Router is what the site mounts on: the API server's router
// (*api.Server), or an http.ServeMux.
type Router interface {
	Handle(pattern string, h http.Handler)
}

// Route is one page route.
type Route struct {
	Pattern string
	Handler http.Handler
}

// Routes lists the site's routes. The last, "/", answers every path no
// other route (of the site or the API) claims, with the 404 page.
func (s *Site) Routes() []Route {
	rs := []Route{
		{"GET /{$}", s.public(s.home)},
		{"GET /programs/{id}", s.public(s.program)},
		{"GET /projects/{slug}", s.public(s.project)},
		{"GET /compare", s.public(s.compare)},
		{"GET /decisions", s.public(s.decisions)},
		{"GET /data", s.public(s.dataIndex)},
		{"GET /data/dictionary", s.public(s.dictionary)},
		{"GET /data/{file}", s.page(s.download)},
		{"GET /static/", secure(s.assets)},
		{"GET /favicon.ico", secure(http.RedirectHandler("/static/img/icon.svg", http.StatusMovedPermanently))},
	}
	rs = append(rs, s.staffRoutes()...)
	return append(rs, Route{"/", s.page(s.notFound)})
}

// Mount adds the site's routes to r. Mounted on the API server, the pages
// share its metrics and logging, and /api, /healthz and /metrics keep
// their own, more specific, routes.
func (s *Site) Mount(r Router) {
	for _, rt := range s.Routes() {
		r.Handle(rt.Pattern, rt.Handler)
	}
}

// Handler returns the site on its own router, for tests and for serving
// the pages without the API. Mounted on the API server, the server's own
// cross-origin protection guards the sign-in and staff forms; on its own,
// the site applies the same standard check, so a form posted from another
// site is refused (403) either way.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return http.NewCrossOriginProtection().Handler(mux)
}

// secure sets the security headers every response of the site carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		h.ServeHTTP(w, r)
	})
}

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}

// req is what a page handler knows of its request.
type req struct {
	*http.Request
	w    http.ResponseWriter
	lang Lang
	// actor is who the page reads the registry as: the public on the
	// portal's pages whoever is signed in (the portal's promise: a
	// confidential project is never shown there, only counted), the
	// signed-in person on the staff pages.
	actor service.Actor
	// who is the signed-in person (service.Anonymous when no one is); the
	// header shows them and the way into the workspace.
	who     service.Actor
	session *service.SessionState
	secret  string // the session cookie's value, when it names a live session
	// pending is the person whose password must be changed before
	// anything else (who stays anonymous until then).
	pending *service.Actor
	// slot, when set, is where the page rendered for this request is kept
	// for the next visitors (see Site.public).
	slot *cacheSlot
}

// pageFunc renders a page or returns an error the site answers with its
// error page.
type pageFunc func(q *req) error

// page wraps a portal page handler: security headers, language, the
// signed-in person (from the session cookie, as the API reads it) for the
// header, the public as the actor the page reads as, panics and errors
// answered with a page in the visitor's language.
func (s *Site) page(h pageFunc) http.Handler {
	return s.wrapPage(h, false)
}

// public wraps a portal page that is the same for every visitor who is not
// signed in: it is served from the page cache (see pageCache) when it can be.
func (s *Site) public(h pageFunc) http.Handler {
	return s.wrapPage(func(q *req) error {
		if s.fromCache(q) {
			return nil
		}
		return h(q)
	}, false)
}

func (s *Site) wrapPage(h pageFunc, staff bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		w.Header().Set("Vary", "Cookie")
		q := &req{Request: r, w: w, lang: requestLang(w, r), actor: service.Anonymous, who: service.Anonymous}
		if s.svc.ReadOnly() {
			// A replica serves the portal to the public only: it cannot
			// record a sign-in or a session's last use.
			if staff || r.URL.Path == "/login" || r.URL.Path == "/logout" || strings.HasPrefix(r.URL.Path, "/staff") {
				s.fail(q, domain.ReadOnly())
				return
			}
		} else if err := s.resolveSession(q); err != nil {
			s.fail(q, err)
			return
		}
		if staff {
			q.actor = q.who
		}
		if q.who.Role != service.RoleAnonymous || q.pending != nil {
			// A page that names the person must not be kept by any cache.
			w.Header().Set("Cache-Control", "private, no-store")
		}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("web panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				s.errorPage(q, http.StatusInternalServerError, nil)
			}
		}()
		if err := h(q); err != nil {
			s.fail(q, err)
		}
	})
}

// httpError is an error that knows its status.
type httpError struct {
	status int
	detail domain.Text
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.detail.EN) }

func notFound() error { return &httpError{status: http.StatusNotFound} }

func badRequest(fa, en string) error {
	return &httpError{status: http.StatusBadRequest, detail: domain.T(fa, en)}
}

// fail answers err with the error page its kind calls for.
func (s *Site) fail(q *req, err error) {
	var he *httpError
	if errors.As(err, &he) {
		s.errorPage(q, he.status, &he.detail)
		return
	}
	if e, ok := domain.AsError(err); ok {
		switch e.Kind {
		case domain.KindForbidden:
			if q.signedIn() {
				// A signed-in person learns their role does not allow the
				// act; a record they may not see is "not found" instead.
				s.errorPage(q, http.StatusForbidden, &e.Message)
				return
			}
			s.errorPage(q, http.StatusNotFound, nil)
			return
		case domain.KindNotFound, domain.KindUnauthorized:
			// The public is never told a hidden record exists.
			s.errorPage(q, http.StatusNotFound, nil)
			return
		case domain.KindInvalid:
			s.errorPage(q, http.StatusBadRequest, &e.Message)
			return
		case domain.KindConflict:
			s.errorPage(q, http.StatusConflict, &e.Message)
			return
		case domain.KindStale:
			s.errorPage(q, http.StatusPreconditionFailed, nil)
			return
		case domain.KindUnavailable:
			s.errorPage(q, http.StatusServiceUnavailable, &e.Message)
			return
		}
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.log.Error("web page", "path", q.URL.Path, "err", err)
	s.errorPage(q, http.StatusInternalServerError, nil)
}

func (s *Site) notFound(q *req) error {
	if q.Method != http.MethodGet && q.Method != http.MethodHead {
		q.w.Header().Set("Allow", "GET, HEAD")
		s.errorPage(q, http.StatusMethodNotAllowed, nil)
		return nil
	}
	return notFound()
}

// errorView is the data of the error page.
type errorView struct {
	Status int
	Key    string
	Detail string
}

func (s *Site) errorPage(q *req, status int, detail *domain.Text) {
	key := "error." + fmt.Sprint(status)
	if _, ok := catalog[key+".title"]; !ok {
		key = "error.500"
	}
	v := errorView{Status: status, Key: key}
	if detail != nil && !detail.IsZero() {
		v.Detail = q.lang.Text(*detail)
	}
	q.w.Header().Set("Cache-Control", "no-store")
	if err := s.render(q, status, "error", q.lang.T(key+".title"), "", v); err != nil {
		s.log.Error("web error page", "err", err)
		http.Error(q.w, http.StatusText(status), status)
	}
}

// view is what every page template gets.
type view struct {
	Lang     Lang
	Title    string
	Nav      string // the navigation entry to mark current
	OtherURL string // this page in the other language
	Scripts  []string
	Who      *whoView // the signed-in person; nil for the public
	Section  string   // the workspace's navigation entry to mark current
	Feed     string   // an Atom feed of the page, linked from its head
	Base     string   // the server's address, for the addresses a page hands out (seal.go)
	Data     any
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page template into a buffer first, so a template error
// becomes the error page instead of half a page.
func (s *Site) render(q *req, status int, name, title, nav string, data any, scripts ...string) error {
	return s.renderView(q, status, name, view{Title: title, Nav: nav, Data: data}, scripts...)
}

// renderView renders a page from a view whose language, addresses and
// person it completes.
func (s *Site) renderView(q *req, status int, name string, v view, scripts ...string) error {
	t := s.pages[q.lang][name]
	if t == nil {
		return fmt.Errorf("web: no template %q", name)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	v.Lang, v.OtherURL, v.Who, v.Base = q.lang, langURL(q.Request, q.lang.Other()), s.whoOf(q), s.baseURL(q)
	for _, sc := range scripts {
		v.Scripts = append(v.Scripts, s.assets.url(sc))
	}
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		return err
	}
	if q.slot != nil && status == http.StatusOK {
		p := newCachedPage(bytes.Clone(buf.Bytes()))
		s.cache.Put(q.slot.ver, q.slot.key, p)
		return s.writePage(q, status, p.body, p.etag)
	}
	return s.writePage(q, status, buf.Bytes(), "")
}
