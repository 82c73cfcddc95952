package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

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
		httpx.SetPage(w.Header(), CSP)
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
	Inbox    int      // the workspace's inbox count, for its navigation's badge (inbox.go)
	HTMX     bool     // the page uses htmx, which the layout then loads (htmxPages)
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
	v.HTMX = v.HTMX || htmxPages()[name]
	for _, sc := range scripts {
		v.Scripts = append(v.Scripts, s.assets.url(sc))
	}
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		return err
	}
	if q.slot != nil && status == http.StatusOK {
		p := newCachedPage(bytes.Clone(buf.Bytes()))
		s.cache.Put(q.slot.ver, q.slot.key, p)
		return s.writePage(q, status, p.Body, p.ETag)
	}
	return s.writePage(q, status, buf.Bytes(), "")
}
