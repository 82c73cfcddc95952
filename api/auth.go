package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/ratelimit"
	"github.com/pishran/pishran/service"
)

// SessionCookie is the name of the cookie that carries a session's secret
// (httpx.SessionCookie): the API and the pages share one session.
const SessionCookie = httpx.SessionCookie

// oidcStateCookie binds a single sign-on login to the browser that began
// it: it holds the state, whose hash the database keeps with the nonce and
// the PKCE verifier.
const oidcStateCookie = "pishran_oidc_state"

// AuthConfig configures sign-in. Call Server.ConfigureAuth before serving.
// It is the older spelling of Configure's httpx.Config and OIDC.
type AuthConfig struct {
	// PublicURL is the address people use (https://pishran.example.ir):
	// one-time links are built on it, and when it is https the session
	// cookie is marked Secure even if TLS ends at a proxy in front.
	PublicURL string
	// TrustedOrigins may send state-changing requests with a session cookie
	// from another origin (scheme://host[:port]); none by default.
	TrustedOrigins []string
	// Session is how long sessions live; zero fields take the defaults.
	Session service.SessionPolicy
	// LoginBurst and LoginRefill shape the per-address limit on failed
	// sign-ins: LoginBurst failures at once, then one more per LoginRefill.
	LoginBurst  int
	LoginRefill time.Duration
	// OIDC, when set, enables single sign-on at /auth/oidc/login.
	OIDC *service.OIDC
}

// authState is the API's sign-in configuration: the shared configuration
// (public URL, session lifetimes, the per-address limiter) and single
// sign-on.
type authState struct {
	cfg  httpx.Config
	oidc *service.OIDC
}

func newAuthState() *authState {
	cfg, _ := httpx.Config{}.Check() // the defaults always pass
	return &authState{cfg: cfg}
}

// ConfigureAuth applies the sign-in configuration (as Configure). It must
// be called before the server takes requests.
func (s *Server) ConfigureAuth(c AuthConfig) error {
	cfg := c.HTTPConfig()
	cfg.Log, cfg.Pools = s.log, s.svc.Pools
	return s.Configure(cfg, c.OIDC)
}

// HTTPConfig is the shared configuration c describes (all but single
// sign-on, which the caller passes beside it): the root, the API and the
// pages are configured from it (see internal/faces).
func (c AuthConfig) HTTPConfig() httpx.Config {
	burst, refill := c.LoginBurst, c.LoginRefill
	if burst <= 0 {
		burst = httpx.DefaultLoginBurst
	}
	if refill <= 0 {
		refill = httpx.DefaultLoginRefill
	}
	return httpx.Config{PublicURL: c.PublicURL, TrustedOrigins: c.TrustedOrigins, Session: c.Session,
		Limiter: ratelimit.New(burst, refill)}
}

// Configure applies the configuration the API shares with the root and the
// pages (see httpx.Config.Check) and single sign-on (nil: none). It must be
// called before the server takes requests.
func (s *Server) Configure(cfg httpx.Config, oidc *service.OIDC) error {
	cfg, err := cfg.Check()
	if err != nil {
		return err
	}
	s.auth = &authState{cfg: cfg, oidc: oidc}
	if s.own != nil {
		return s.own.Configure(cfg)
	}
	return nil
}

// Config is the configuration the API is serving with (see Configure): a
// site mounted on the API served alone (Handle) takes its public URL.
func (s *Server) Config() httpx.Config { return s.auth.cfg }

// httpConfig is the configuration of the API's own root (standalone).
func (s *Server) httpConfig() httpx.Config {
	cfg := s.auth.cfg
	cfg.Log, cfg.Pools = s.log, s.svc.Pools
	return cfg
}

// ---- sessions on requests ----

// whileMustChange are the routes open to a session that must change its
// password first.
var whileMustChange = map[string]bool{
	"GET /api/v1/me":                  true,
	"PUT /api/v1/me/password":         true,
	"DELETE /api/v1/session":          true,
	"POST /api/v1/session/revoke-all": true,
}

// sessionActor reads the session cookie, if any. No cookie, or one that
// names no live session, is the public: reads go on as anonymous, and
// writes are refused with 401 by wrap — the answer does not say whether the
// session ever existed.
func (s *Server) sessionActor(r *http.Request) (service.Actor, error) {
	a, st, _, err := httpx.Session(r, s.svc, s.auth.cfg.Session)
	if err != nil || st == nil {
		return a, err
	}
	if st.MustChange && !whileMustChange[r.Pattern] {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return service.Anonymous, nil
		}
		return service.Anonymous, domain.Forbidden("نخست گذرواژه خود را عوض کنید (PUT /api/v1/me/password)",
			"change your password first (PUT /api/v1/me/password)")
	}
	return a, nil
}

// secure reports whether cookies set in answer to r must be Secure: the
// request came over TLS, or the public URL is https (TLS ends at a proxy).
func (s *Server) secure(r *http.Request) bool { return s.auth.cfg.Secure(r) }

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	httpx.SetSession(w, secret, s.secure(r))
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	httpx.ClearSession(w, s.secure(r))
}

// refused answers a sign-in refusal: a lock or a throttle is 429 with
// Retry-After (whole seconds); the rest as usual. 429 rather than 423: it is
// what clients and proxies know to back off from, and it is the same answer
// whether the account is locked or the address throttled.
func refused(w http.ResponseWriter, err error) error {
	var lo *domain.LockedOut
	if !errors.As(err, &lo) {
		return err
	}
	secs := httpx.RetryAfter(w.Header(), lo)
	if lo.Account {
		return statusError(http.StatusTooManyRequests, "", "حساب پس از ورودهای ناموفق پیاپی موقتاً قفل است؛ پس از "+strconv.Itoa(secs)+" ثانیه دوباره بکوشید",
			"the account is locked for a while after repeated failed sign-ins; try again in "+strconv.Itoa(secs)+" seconds")
	}
	return statusError(http.StatusTooManyRequests, "", "تلاش‌های ناموفق از این نشانی بیش از حد است؛ پس از "+strconv.Itoa(secs)+" ثانیه دوباره بکوشید",
		"too many failed attempts from this address; try again in "+strconv.Itoa(secs)+" seconds")
}

// throttled checks the per-address limit before a sign-in attempt.
func (s *Server) throttled(r *http.Request) error { return httpx.Throttle(s.auth.cfg.Limiter, r) }

// counted takes an attempt's outcome and charges the address for a
// failure (bad credentials, a bad link, a locked account).
func (s *Server) counted(r *http.Request, err error) error {
	return httpx.Charge(s.auth.cfg.Limiter, r, err)
}

// linkURL builds a one-time link on the public URL, else on the address
// the request came to.
func (s *Server) linkURL(r *http.Request, kind, token string) string {
	return httpx.LinkURL(s.auth.cfg.PublicURL, r, r.TLS != nil, kind, token)
}

// ---- routes ----

// authRoutes serves logins, sessions, accounts and single sign-on.
func (s *Server) authRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/session", s.login},
		{"DELETE", "/api/v1/session", s.logout},
		{"POST", "/api/v1/session/revoke-all", s.revokeAll},
		{"GET", "/api/v1/me", s.me},
		{"PUT", "/api/v1/me/password", s.changePassword},
		{"GET", "/api/v1/users", s.userList},
		{"POST", "/api/v1/users", s.userCreate},
		{"GET", "/api/v1/users/{username}", s.userGet},
		{"PUT", "/api/v1/users/{username}", s.userUpdate},
		{"POST", "/api/v1/users/{username}/reset", s.userReset},
		{"POST", "/api/v1/setup", s.setup},
		{"POST", "/api/v1/password-reset", s.passwordReset},
		{"GET", "/auth/oidc/login", s.oidcLogin},
		{"GET", "/auth/oidc/callback", s.oidcCallback},
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	if err := s.throttled(r); err != nil {
		return refused(w, err)
	}
	sess, err := s.svc.Login(r.Context(), strings.TrimSpace(in.Username), in.Password, httpx.Client(r), s.auth.cfg.Session)
	if err != nil {
		return refused(w, s.counted(r, err))
	}
	s.setSession(w, r, sess.Secret)
	return writeJSON(w, r, http.StatusOK, sess, 0)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if err := s.svc.Logout(r.Context(), httpx.SessionSecret(r)); err != nil {
		return err
	}
	s.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) revokeAll(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	n, err := s.svc.RevokeSessions(r.Context(), a)
	if err != nil {
		return err
	}
	s.clearSession(w, r)
	return writeJSON(w, r, http.StatusOK, map[string]int64{"sessions_ended": n}, 0)
}

// meView is who the caller is: a person's account and session, or a
// token's name and role.
type meView struct {
	Name    string                `json:"name"`
	Role    string                `json:"role"`
	Agency  string                `json:"agency,omitempty"`
	User    *domain.User          `json:"user"`
	Session *service.SessionState `json:"session"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if a.Role == service.RoleAnonymous {
		return domain.Unauthorized()
	}
	v := meView{Name: a.Name, Role: string(a.Role), Agency: a.Agency}
	if name, ok := strings.CutPrefix(a.Name, "user:"); ok {
		u, err := s.svc.User(r.Context(), a, name)
		if err != nil {
			return err
		}
		v.User = u
		if _, st, err := s.svc.SessionActor(r.Context(), httpx.SessionSecret(r), s.auth.cfg.Session); err == nil {
			v.Session = st
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, r, http.StatusOK, v, 0)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	if err := s.svc.ChangePassword(r.Context(), a, in.Current, in.New, httpx.SessionSecret(r)); err != nil {
		return refused(w, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// userInput is the body of an account's creation or update. Active left
// out means active on creation and unchanged on update; Password is for
// creation only.
type userInput struct {
	Username    string      `json:"username"`
	DisplayName domain.Text `json:"display_name"`
	Email       string      `json:"email"`
	Role        string      `json:"role"`
	Agency      string      `json:"agency"`
	Active      *bool       `json:"active"`
	Password    string      `json:"password"`
}

// userReadOnly are the fields of a User that a client may send back
// unchanged but never set.
var userReadOnly = []string{"must_change_password", "has_password", "sso", "last_login_at", "version", "created_at", "updated_at"}

// createdUser answers an account's creation: the account, and the one-time
// link to set its password when none was given.
type createdUser struct {
	User       *domain.User `json:"user"`
	SetupURL   string       `json:"password_link,omitempty"`
	LinkExpiry *time.Time   `json:"password_link_expires_at,omitempty"`
	Emailed    bool         `json:"password_link_emailed,omitempty"` // ?send=email: the link is on its way to the account's address
}

// linkDelivery reads ?send= of an account's creation or reset: "email"
// has Pishran e-mail the one-time link to the account's address (as the
// staff pages' "send by e-mail" box does); absent, the link is only
// answered.
func linkDelivery(r *http.Request) ([]service.LinkDelivery, error) {
	switch r.URL.Query().Get("send") {
	case "":
		return nil, nil
	case "email":
		return []service.LinkDelivery{service.LinkByEmail}, nil
	}
	return nil, badRequest("send", "send تنها می‌تواند email باشد", "send can only be email")
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	p, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	us, err := s.svc.Users(r.Context(), a, p)
	if err != nil {
		return err
	}
	keys := make([]string, len(us))
	for i, u := range us {
		keys[i] = u.Username
	}
	return pageAnswer(w, r, us, keys, limit)
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in userInput
	if err := decodeRecord(r, &in, userReadOnly); err != nil {
		return err
	}
	send, err := linkDelivery(r)
	if err != nil {
		return err
	}
	if len(send) > 0 && in.Password != "" {
		return badRequest("send", "برای حسابی که گذرواژه‌اش داده شده پیوندی ساخته نمی‌شود که فرستاده شود",
			"an account created with a password gets no link to send")
	}
	u := &domain.User{Username: in.Username, DisplayName: in.DisplayName, Email: in.Email, Role: in.Role, Agency: in.Agency,
		Active: in.Active == nil || *in.Active, MustChange: in.Password != ""} // the admin knows the password they chose
	link, err := s.svc.CreateUser(r.Context(), a, u, in.Password, send...)
	if err != nil {
		return err
	}
	out := createdUser{User: u, Emailed: len(send) > 0}
	if link != nil {
		out.SetupURL, out.LinkExpiry = s.linkURL(r, "reset", link.Token), &link.Expires
	}
	w.Header().Set("Location", "/api/v1/users/"+u.Username)
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, r, http.StatusCreated, out, 0)
}

func (s *Server) userGet(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	u, err := s.svc.User(r.Context(), a, r.PathValue("username"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, u, u.Version)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in userInput
	if err := decodeRecord(r, &in, userReadOnly); err != nil {
		return err
	}
	if err := sameKey("username", &in.Username, r.PathValue("username")); err != nil {
		return err
	}
	if in.Password != "" {
		return badRequest("password", "گذرواژه را با پیوند بازنشانی عوض کنید، نه با ویرایش حساب",
			"a password is set through a reset link (POST /api/v1/users/{username}/reset), not by editing the account")
	}
	cur, err := s.svc.User(r.Context(), a, in.Username)
	if err != nil {
		return err
	}
	u := &domain.User{Username: in.Username, DisplayName: in.DisplayName, Email: in.Email, Role: in.Role, Agency: in.Agency,
		Active: cur.Active, Meta: domain.Meta{Version: version}}
	if in.Active != nil {
		u.Active = *in.Active
	}
	if err := s.svc.UpdateUser(r.Context(), a, u); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, u, u.Version)
}

// linkView is a one-time link handed to an admin or the operator.
type linkView struct {
	URL     string    `json:"url"`
	Token   string    `json:"token"`
	Expires time.Time `json:"expires_at"`
	Emailed bool      `json:"emailed,omitempty"` // ?send=email: the link is on its way to the account's address
}

func (s *Server) userReset(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	send, err := linkDelivery(r)
	if err != nil {
		return err
	}
	link, err := s.svc.ResetLink(r.Context(), a, r.PathValue("username"), send...)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, r, http.StatusOK, linkView{URL: s.linkURL(r, "reset", link.Token), Token: link.Token, Expires: link.Expires,
		Emailed: len(send) > 0}, 0)
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in struct {
		Token       string      `json:"token"`
		Username    string      `json:"username"`
		Password    string      `json:"password"`
		DisplayName domain.Text `json:"display_name"`
		Email       string      `json:"email"`
	}
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	if err := s.throttled(r); err != nil {
		return refused(w, err)
	}
	u := &domain.User{Username: in.Username, DisplayName: in.DisplayName, Email: in.Email}
	sess, err := s.svc.Setup(r.Context(), in.Token, u, in.Password, httpx.Client(r), s.auth.cfg.Session)
	if err != nil {
		return s.counted(r, err)
	}
	s.setSession(w, r, sess.Secret)
	return writeJSON(w, r, http.StatusCreated, sess, 0)
}

func (s *Server) passwordReset(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in struct {
		Token    string `json:"token"`
		Password string `json:"password"`
	}
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	if err := s.throttled(r); err != nil {
		return refused(w, err)
	}
	sess, err := s.svc.ResetPassword(r.Context(), in.Token, in.Password, httpx.Client(r), s.auth.cfg.Session)
	if err != nil {
		return s.counted(r, err)
	}
	s.setSession(w, r, sess.Secret)
	return writeJSON(w, r, http.StatusOK, sess, 0)
}

// ---- single sign-on ----

func (s *Server) ssoConfigured() error {
	if s.auth.oidc == nil {
		return statusError(http.StatusNotFound, "", "ورود یکپارچه پیکربندی نشده است", "single sign-on is not configured")
	}
	return nil
}

// ssoError maps a provider outage to 502: it is neither the caller's fault
// nor Pishran's.
func ssoError(err error) error {
	if errors.Is(err, service.ErrProviderUnavailable) {
		return statusError(http.StatusBadGateway, "", "ارائه‌دهنده ورود یکپارچه در دسترس نیست", "the single sign-on provider is unavailable")
	}
	return err
}

func (s *Server) oidcLogin(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if err := s.ssoConfigured(); err != nil {
		return err
	}
	state, to, err := s.auth.oidc.Begin(r.Context(), r.URL.Query().Get("next"))
	if err != nil {
		return ssoError(err)
	}
	http.SetCookie(w, &http.Cookie{Name: oidcStateCookie, Value: state, Path: "/auth/oidc/", MaxAge: 600,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
	return nil
}

func (s *Server) oidcCallback(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if err := s.ssoConfigured(); err != nil {
		return err
	}
	// The state cookie has done its work whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: oidcStateCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		return &domain.Error{Kind: domain.KindUnauthorized, Message: domain.T("ارائه‌دهنده ورود را نپذیرفت: "+e,
			"the provider refused the sign-in: "+e)}
	}
	cookieState := ""
	if c, err := r.Cookie(oidcStateCookie); err == nil {
		cookieState = c.Value
	}
	sess, next, err := s.auth.oidc.Finish(r.Context(), cookieState, q.Get("state"), q.Get("code"), httpx.Client(r), s.auth.cfg.Session)
	if err != nil {
		return ssoError(err)
	}
	s.setSession(w, r, sess.Secret)
	http.Redirect(w, r, next, http.StatusFound)
	return nil
}

// ---- per-address limit ----

// PublicWrites lists the state-changing routes open to the public
// ("METHOD /path"): signing in and out, the setup link and reset links,
// whose credential is in the body. Every other write needs a token or a
// session.
func PublicWrites() []string {
	var out []string
	for route, access := range Permissions {
		if access.Allows(service.RoleAnonymous) && !strings.HasPrefix(route, "GET ") {
			out = append(out, route)
		}
	}
	slices.Sort(out)
	return out
}
