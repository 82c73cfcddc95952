// Package web serves Pishran's pages: the public portal (no login) — home,
// program pages, project pages, the term comparison and open data — and the
// staff workspace behind a sign-in (staff.go): the portfolio dashboard,
// projects' full history, designation, meetings, reports and ratings, and
// what each agency owes. It also serves the pages a code or a link leads
// to: the verification of a signed document (verify.go) and the one-time
// set-password links (links.go). Pages are server-rendered HTML in Persian
// first (right to left, Jalali dates, Persian digits) and in English.
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
	"cmp"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/internal/ratelimit"
	"github.com/pishran/pishran/service"
)

// CSP is the Content-Security-Policy of every page and file the site
// serves: everything from this origin only, no inline script or style, no
// framing.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// Options configures a Site.
type Options struct {
	// Now is the clock for "as of" times; nil means time.Now.
	Now func() time.Time
	// Session is how long sign-in sessions live; it must be the policy the
	// API is configured with, so that a session ends at the same moment on
	// both: the binary fills it, PublicURL, SecureCookies and LoginLimiter
	// from the one httpx.Config (internal/faces). Zero fields take
	// the defaults.
	Session service.SessionPolicy
	// SecureCookies marks the session cookie Secure even on plain HTTP
	// requests: set it when TLS ends at a proxy in front (the public URL is
	// https), as the API does.
	SecureCookies bool
	// PublicURL is the address people reach Pishran at (serve
	// --public-url), for links the pages hand out to be used elsewhere (a
	// new account's set-password link, a verification address); empty: the
	// public URL of the root the site is mounted on, if it has one
	// (httpx.Root, or the API's own), else the request's own host.
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
	// SingleSignOn says the API answers /auth/oidc/login (serve was given
	// an OIDC provider): the sign-in page then offers a button to it.
	SingleSignOn bool
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
	// root is the configuration of the root the site is mounted on, when
	// it has one: its public URL stands in for an empty Options.PublicURL.
	root configured
}

// configured is a root that holds the configuration both faces share
// (*httpx.Root, *api.Server).
type configured interface{ Config() httpx.Config }

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

// Router is what the site mounts on: the process's root handler
// (*httpx.Root), the API served alone (*api.Server), or an http.ServeMux.
type Router interface {
	Handle(pattern string, h http.Handler)
}

// Route is one page route.
type Route struct {
	Pattern string
	Handler http.Handler
	// OpenAPI: the route is in the API's OpenAPI document too (the
	// verification page, which answers JSON to programs).
	OpenAPI bool
}

// Routes lists the site's routes. The last, "/", answers every path no
// other route (of the site or the API) claims, with the 404 page.
func (s *Site) Routes() []Route {
	rs := []Route{
		{Pattern: "GET /{$}", Handler: s.public(s.home)},
		{Pattern: "GET /programs/{id}", Handler: s.public(s.program)},
		{Pattern: "GET /projects/{slug}", Handler: s.public(s.project)},
		{Pattern: "GET /compare", Handler: s.public(s.compare)},
		{Pattern: "GET /decisions", Handler: s.public(s.decisions)},
		{Pattern: "GET /search", Handler: s.page(s.searchPage)},
		{Pattern: "GET /data", Handler: s.public(s.dataIndex)},
		{Pattern: "GET /data/dictionary", Handler: s.public(s.dictionary)},
		{Pattern: "GET /data/{file}", Handler: s.page(s.download)},
		{Pattern: "GET /static/", Handler: secure(s.assets)},
		{Pattern: "GET /favicon.ico", Handler: secure(http.RedirectHandler("/static/img/icon.svg", http.StatusMovedPermanently))},
	}
	rs = append(rs, s.staffRoutes()...)
	rs = append(rs, s.meetingsRoutes()...)
	rs = append(rs, s.followRoutes()...)
	rs = append(rs, s.registryRoutes()...)
	rs = append(rs, s.importRoutes()...)
	rs = append(rs, s.verifyRoutes()...)
	rs = append(rs, s.linkRoutes()...)
	rs = append(rs, s.portalRoutes()...)
	rs = append(rs, s.notifyRoutes()...)
	return append(rs, Route{Pattern: "/", Handler: s.page(s.notFound)})
}

// Mount adds the site's routes to r. Mounted on the root beside the API,
// the pages share its headers, cross-origin check and metrics, and /api,
// /healthz and /metrics keep their own, more specific, routes.
func (s *Site) Mount(r Router) {
	if c, ok := r.(configured); ok {
		s.root = c
	}
	for _, rt := range s.Routes() {
		r.Handle(rt.Pattern, rt.Handler)
	}
}

// Handler returns the site on its own router, for tests and for serving
// the pages without the API. Mounted on the root, the root's cross-origin
// protection guards the sign-in and staff forms; on its own, the site
// applies the same standard check, so a form posted from another site is
// refused (403) either way.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	s.Mount(mux)
	return http.NewCrossOriginProtection().Handler(httpx.Compress(mux))
}

// secure sets the security headers every response of the site carries.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetPage(w.Header(), CSP)
		h.ServeHTTP(w, r)
	})
}

// publicURL is the address links are built on (Options.PublicURL); ""
// when they are built on the request's host.
func (s *Site) publicURL() string {
	if s.opt.PublicURL != "" || s.root == nil {
		return s.opt.PublicURL
	}
	return s.root.Config().PublicURL
}

// secure reports whether the session cookie must be Secure.
func (s *Site) secure(r *http.Request) bool { return r.TLS != nil || s.opt.SecureCookies }
