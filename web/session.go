package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// resolveSession reads the session cookie (httpx.SessionCookie, the API's
// own: one session for both) the way the API does (httpx.Session): no
// cookie, or one that names no live session, is the public — the page
// never says whether the session existed. A session whose password must be
// changed first is held as pending: the person is the public everywhere
// except the page that changes the password and signing out.
func (s *Site) resolveSession(q *req) error {
	a, st, secret, err := httpx.Session(q.Request, s.svc, s.opt.Session)
	if err != nil || st == nil {
		return err
	}
	q.secret, q.session = secret, st
	if st.MustChange {
		q.pending = &a
		return nil
	}
	q.who = a
	return nil
}

// signedIn reports whether a person is signed in (and free to act).
func (q *req) signedIn() bool { return q.who.Role != service.RoleAnonymous }

// whoView is the signed-in person as the header shows them.
type whoView struct {
	Username string
	Name     string // the display name in the page's language; empty when the account has none
	Role     string
	Agency   string
	Pending  bool // must change the password before anything else
}

func (s *Site) whoOf(q *req) *whoView {
	a := q.who
	if q.pending != nil {
		a = *q.pending
	}
	if a.Role == service.RoleAnonymous {
		return nil
	}
	name, _ := strings.CutPrefix(a.Name, "user:")
	v := &whoView{Username: name, Role: string(a.Role), Agency: a.Agency, Pending: q.pending != nil}
	if q.session != nil && q.session.Username == name {
		v.Name = strings.TrimSpace(q.lang.Text(q.session.Display))
	}
	return v
}

// localPath keeps a post-sign-in destination on this site: a path, never
// another origin ("//evil.example", "/\\evil.example", "https://…").
func localPath(next string) string {
	if next == "" || len(next) > 1000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return next
}

// toLogin sends a signed-out visitor of a staff page to the sign-in page,
// to come back afterwards.
func toLogin(q *req) error {
	next := q.URL.Path
	if q.URL.RawQuery != "" {
		next += "?" + q.URL.RawQuery
	}
	if q.Method != http.MethodGet && q.Method != http.MethodHead {
		next = "/staff"
	}
	return redirect(q, "/login?"+url.Values{"next": {next}}.Encode())
}

// redirect answers 303 See Other: after a form's POST, the browser GETs
// the next page (post/redirect/get, so a reload does not post again).
func redirect(q *req, to string) error {
	q.w.Header().Set("Cache-Control", "no-store")
	http.Redirect(q.w, q.Request, to, http.StatusSeeOther)
	return nil
}

// ---- sign-in page ----

// loginAction is the sign-in form's address: the destination rides in the
// query, so the form needs no hidden field.
func loginAction(next string) string {
	if next == "" {
		return "/login"
	}
	return "/login?" + url.Values{"next": {next}}.Encode()
}

type loginView struct {
	SignedOut bool   // just signed out: say so
	Action    string // the form's address, carrying next
	Next      string
	Username  string
	Error     string // the refusal, in the page's language
	Field     string // the input at fault, for aria-invalid and focus
	Retry     string // when a lock ends, as a duration in words
	SSO       string // the single sign-on address, carrying next; "" when none is configured
}

// ssoLogin is the single sign-on button's address (the API's
// /auth/oidc/login, which redirects to the provider), or "" when serve has
// no OIDC provider.
func (s *Site) ssoLogin(next string) string {
	if !s.opt.SingleSignOn {
		return ""
	}
	if next == "" {
		return "/auth/oidc/login"
	}
	return "/auth/oidc/login?" + url.Values{"next": {next}}.Encode()
}

func (s *Site) loginPage(q *req) error {
	v := loginView{Next: localPath(q.URL.Query().Get("next")), SignedOut: q.URL.Query().Get("signed_out") == "1"}
	v.Action, v.SSO = loginAction(v.Next), s.ssoLogin(v.Next)
	if q.signedIn() {
		to := v.Next
		if to == "" {
			to = "/staff"
		}
		return redirect(q, to)
	}
	return s.render(q, http.StatusOK, "login", q.lang.T("login.title"), "login", v)
}

// loginPost checks the form's username and password with service.Login,
// exactly as POST /api/v1/session does (the per-address limit, the
// account lock with its Retry-After), and sets the same cookie.
func (s *Site) loginPost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	v := loginView{Next: localPath(q.URL.Query().Get("next")), Username: strings.TrimSpace(q.PostFormValue("username"))}
	v.Action, v.SSO = loginAction(v.Next), s.ssoLogin(v.Next)
	var sess *service.Session
	err := httpx.Throttle(s.limiter, q.Request)
	if err == nil {
		sess, err = s.svc.Login(q.Context(), v.Username, q.PostFormValue("password"), httpx.Client(q.Request), s.opt.Session)
		err = httpx.Charge(s.limiter, q.Request, err)
	}
	if err == nil {
		httpx.SetSession(q.w, sess.Secret, s.secure(q.Request))
		switch {
		case sess.User != nil && sess.User.MustChange:
			return redirect(q, "/staff/password")
		case v.Next != "":
			return redirect(q, v.Next)
		}
		return redirect(q, "/staff")
	}
	status := http.StatusUnauthorized
	var lo *domain.LockedOut
	switch e, ok := domain.AsError(err); {
	case errors.As(err, &lo):
		httpx.RetryAfter(q.w.Header(), lo)
		status = http.StatusTooManyRequests
		v.Retry = q.lang.duration(lo.RetryAfter)
		if lo.Account {
			v.Error = q.lang.T("login.locked", v.Retry)
		} else {
			v.Error = q.lang.T("login.throttled", v.Retry)
		}
	case ok && e.Kind == domain.KindInvalid:
		status = http.StatusUnprocessableEntity
		v.Error, v.Field = q.lang.Text(e.Message), e.Field
	case ok && e.Kind == domain.KindUnauthorized:
		v.Error, v.Field = q.lang.T("login.bad_credentials"), "password"
	default:
		return err
	}
	q.w.Header().Set("Cache-Control", "no-store")
	return s.render(q, status, "login", q.lang.T("login.title"), "login", v)
}

// logoutPost ends the session and clears the cookie. It is a POST (a form
// button), so that a link or an image on another page cannot sign anyone
// out, and the server's cross-origin protection guards it like any form.
func (s *Site) logoutPost(q *req) error {
	// An ended or unknown session is no error: the cookie goes all the same.
	if c, err := q.Cookie(httpx.SessionCookie); err == nil {
		if err := s.svc.Logout(q.Context(), c.Value); err != nil {
			return err
		}
	}
	httpx.ClearSession(q.w, s.secure(q.Request))
	return redirect(q, "/login?signed_out=1")
}

// ---- changing the password ----

type passwordView struct {
	Pending bool
	Done    bool
	Error   string
	Field   string
}

func (s *Site) passwordPage(q *req) error {
	if !q.signedIn() && q.pending == nil {
		return toLogin(q)
	}
	v := passwordView{Pending: q.pending != nil, Done: q.URL.Query().Get("done") == "1"}
	return s.renderStaff(q, http.StatusOK, "staff/password", q.lang.T("password.title"), "password", v)
}

// passwordPost changes the signed-in person's password
// (service.ChangePassword); their other sessions end, this one stays.
func (s *Site) passwordPost(q *req) error {
	a := q.who
	if q.pending != nil {
		a = *q.pending
	}
	if a.Role == service.RoleAnonymous {
		return toLogin(q)
	}
	if err := parseForm(q); err != nil {
		return err
	}
	v := passwordView{Pending: q.pending != nil}
	next := q.PostFormValue("new_password")
	if next != q.PostFormValue("confirm_password") {
		v.Error, v.Field = q.lang.T("password.mismatch"), "confirm_password"
		return s.renderStaff(q, http.StatusUnprocessableEntity, "staff/password", q.lang.T("password.title"), "password", v)
	}
	err := s.svc.ChangePassword(q.Context(), a, q.PostFormValue("current_password"), next, q.secret)
	if err == nil {
		return redirect(q, "/staff/password?done=1")
	}
	status := http.StatusUnprocessableEntity
	var lo *domain.LockedOut
	switch e, ok := domain.AsError(err); {
	case errors.As(err, &lo):
		httpx.RetryAfter(q.w.Header(), lo)
		status = http.StatusTooManyRequests
		v.Error = q.lang.T("login.locked", q.lang.duration(lo.RetryAfter))
	case ok:
		v.Error, v.Field = q.lang.Text(e.Message), e.Field
		status = httpx.StatusOf(e.Kind)
	default:
		return err
	}
	return s.renderStaff(q, status, "staff/password", q.lang.T("password.title"), "password", v)
}

// duration writes a wait in whole minutes, or seconds under a minute.
func (l Lang) duration(d time.Duration) string {
	if d < time.Minute {
		return l.T("unit.seconds", max(1, int(math.Ceil(d.Seconds()))))
	}
	return l.T("unit.minutes", int(math.Ceil(d.Minutes())))
}
