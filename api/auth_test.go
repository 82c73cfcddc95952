package api_test

// Tests of sign-in: sessions, lockout, cross-origin protection, password
// change, one-time links.

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// newAuthServer starts a server over a fresh database with the sign-in
// configuration applied before it serves, an agency moh and a secretariat
// token.
func newAuthServer(t *testing.T, e testkit.Engine, cfg api.AuthConfig) *scenario.Server {
	t.Helper()
	env := newAPI(scenario.New(t, e), scenario.Auth(cfg))
	env.Create("/api/v1/agencies", agencyRecord("moh"))
	return env
}

// signIn signs in and returns the session cookie's value.
func signIn(env *scenario.Server, name, password string) string {
	env.Env.T.Helper()
	r := env.Must(env.Post("/api/v1/session", "", map[string]string{"username": name, "password": password}), http.StatusOK)
	c := r.Cookie(api.SessionCookie)
	if c == nil {
		env.Env.T.Fatalf("login set no session cookie: %v", r.Header)
	}
	return c.Value
}

func TestAuthSessionLogin(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{})
		env.Env.User("maryam", service.RoleSecretariat, "", "maryam's password")
		r := env.Must(env.Post("/api/v1/session", "", map[string]string{"username": "maryam", "password": "maryam's password"}), http.StatusOK)
		c := r.Cookie(api.SessionCookie)
		if c == nil || len(c.Value) != 43 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Fatalf("session cookie = %+v (over plain http: not Secure)", c)
		}
		if got := scenario.Path(t, r.Obj(t), "user", "username"); got != "maryam" {
			t.Errorf("login answer user = %v", got)
		}
		// The session writes with the account's role.
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: c.Value, Body: agencyRecord("ito")}), http.StatusCreated)
		me := env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: c.Value}), http.StatusOK).Obj(t)
		if me["name"] != "user:maryam" || me["role"] != "secretariat" || scenario.Path(t, me, "session", "via") != "password" {
			t.Errorf("me = %v", me)
		}
		// The audit log names the person and the session.
		h := env.Must(env.Get("/api/v1/audit?kind=agency&record=ito", env.Env.Token(service.RoleAdmin, "")), http.StatusOK).Obj(t)
		if items := scenario.Items(t, h); len(items) != 1 || items[0]["actor"] != "user:maryam" || !strings.HasPrefix(items[0]["origin"].(string), "session") {
			t.Errorf("audit of the session's write = %v", items)
		}
		// A bad cookie is the public: reads go on, writes are 401.
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/agencies", Session: "not-a-session"}), http.StatusOK)
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/agencies", Session: strings.Repeat("A", 43)}), http.StatusOK)
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: strings.Repeat("A", 43), Body: agencyRecord("x1")}).Problem(t, http.StatusUnauthorized)
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: strings.Repeat("A", 43)}).Problem(t, http.StatusUnauthorized)
		// A reader's session cannot write.
		env.Env.User("reader1", service.RoleReader, "", "reader's password")
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: signIn(env, "reader1", "reader's password"), Body: agencyRecord("x2")}).Problem(t, http.StatusForbidden)
		// Bad input names the field; wrong credentials are 401 alike.
		env.Post("/api/v1/session", "", map[string]string{"username": "maryam"}).Field(t, http.StatusUnprocessableEntity, "password")
		env.Post("/api/v1/session", "", map[string]string{"password": "x"}).Field(t, http.StatusUnprocessableEntity, "username")
		env.Post("/api/v1/session", "", map[string]any{"username": "maryam", "password": "x", "remember": true}).Field(t, http.StatusBadRequest, "remember")
		wrong := env.Post("/api/v1/session", "", map[string]string{"username": "maryam", "password": "not her password"}).Problem(t, http.StatusUnauthorized)
		unknown := env.Post("/api/v1/session", "", map[string]string{"username": "nobody", "password": "not her password"}).Problem(t, http.StatusUnauthorized)
		if wrong.Message != unknown.Message {
			t.Errorf("wrong password %q and unknown user %q answer differently", wrong.Message.EN, unknown.Message.EN)
		}
		// Logout: the cookie is cleared and the session is gone.
		r = env.Must(env.Do(scenario.Request{Method: "DELETE", Path: "/api/v1/session", Session: c.Value}), http.StatusNoContent)
		if cl := r.Cookie(api.SessionCookie); cl == nil || cl.MaxAge >= 0 {
			t.Errorf("logout did not clear the cookie: %v", r.Header)
		}
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: c.Value, Body: agencyRecord("x3")}).Problem(t, http.StatusUnauthorized)
		env.Must(env.Do(scenario.Request{Method: "DELETE", Path: "/api/v1/session", Session: c.Value}), http.StatusNoContent) // again: harmless
	})
}

func TestAuthLockout(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{})
		// The clock stands still, so the two locked answers below count the
		// same seconds left however slowly the machine runs.
		now := time.Now().UTC()
		env.Env.DB.SetClock(func() time.Time { return now })
		env.Env.User("reza", service.RoleReader, "", "reza's right password")
		for i := 1; i <= 10; i++ {
			r := env.Post("/api/v1/session", "", map[string]string{"username": "reza", "password": "wrong password " + strconv.Itoa(i)})
			want := http.StatusUnauthorized
			if i == 10 {
				want = http.StatusTooManyRequests
			}
			r.Problem(t, want)
			if r.Cookie(api.SessionCookie) != nil {
				t.Fatalf("failure %d set a cookie", i)
			}
		}
		// Locked for a while, even with the right password, and the answer
		// is the same as for a wrong one.
		right := env.Post("/api/v1/session", "", map[string]string{"username": "reza", "password": "reza's right password"})
		wrong := env.Post("/api/v1/session", "", map[string]string{"username": "reza", "password": "still the wrong one"})
		for _, r := range []*scenario.Response{right, wrong} {
			r.Problem(t, http.StatusTooManyRequests)
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 14*60 || s > 15*60 {
				t.Errorf("Retry-After = %q, want about 900 seconds", r.Header.Get("Retry-After"))
			}
			if r.Cookie(api.SessionCookie) != nil {
				t.Error("a locked account got a session")
			}
		}
		if string(right.Body) != string(wrong.Body) {
			t.Errorf("locked: right password → %s, wrong → %s", right.Body, wrong.Body)
		}
		// Fifteen minutes later it opens again.
		env.Env.DB.SetClock(func() time.Time { return now.Add(16 * time.Minute) })
		signIn(env, "reza", "reza's right password")
	})
}

func TestAuthAddressLimit(t *testing.T) {
	env := newAuthServer(t, testkit.Engines()[0], api.AuthConfig{LoginBurst: 3, LoginRefill: time.Hour})
	env.Env.User("ali", service.RoleReader, "", "ali's right password")
	signIn(env, "ali", "ali's right password") // successes are not charged
	for i := range 3 {
		env.Post("/api/v1/session", "", map[string]string{"username": "guess" + strconv.Itoa(i), "password": "spray password 1"}).Problem(t, http.StatusUnauthorized)
	}
	r := env.Post("/api/v1/session", "", map[string]string{"username": "ali", "password": "ali's right password"})
	r.Problem(t, http.StatusTooManyRequests)
	if s, _ := strconv.Atoi(r.Header.Get("Retry-After")); s < 3000 || s > 3600 {
		t.Errorf("Retry-After = %q, want about an hour", r.Header.Get("Retry-After"))
	}
}

func TestAuthCrossOrigin(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{TrustedOrigins: []string{"https://portal.example"}})
		env.Env.User("maryam", service.RoleSecretariat, "", "maryam's password")
		sess := signIn(env, "maryam", "maryam's password")
		evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
		// A cross-site form post riding on the cookie is refused before any
		// handler runs.
		form := env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Body: "code=evil&kind=other",
			Header: map[string]string{"Cookie": api.SessionCookie + "=" + sess, "Origin": "https://evil.example",
				"Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded"}})
		form.Problem(t, http.StatusForbidden)
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: sess, Body: agencyRecord("evil"), Header: evil}).Problem(t, http.StatusForbidden)
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/session/revoke-all", Session: sess, Header: evil}).Problem(t, http.StatusForbidden)
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/session", Body: map[string]string{"username": "maryam", "password": "maryam's password"}, Header: evil}).Problem(t, http.StatusForbidden)
		// An old browser without Sec-Fetch-Site: Origin against Host.
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: sess, Body: agencyRecord("evil"), Header: map[string]string{"Origin": "https://evil.example"}}).Problem(t, http.StatusForbidden)
		env.Must(env.Get("/api/v1/agencies/evil", ""), http.StatusNotFound)
		// Reads stay open cross-site; same-origin and trusted-origin writes pass.
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/agencies", Session: sess, Header: evil}), http.StatusOK)
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: sess, Body: agencyRecord("same"), Header: map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": env.URL}}), http.StatusCreated)
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: sess, Body: agencyRecord("portal"), Header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://portal.example"}}), http.StatusCreated)
		// A bearer-token call is no cookie riding along: allowed.
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Token: env.Secretariat(), Body: agencyRecord("tokened"), Header: evil}), http.StatusCreated)
	})
}

func TestAuthRevokeAllAndPasswordChange(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{})
		env.Env.User("sara", service.RoleSecretariat, "", "sara's first password")
		a, b := signIn(env, "sara", "sara's first password"), signIn(env, "sara", "sara's first password")
		// Password change: needs the current password, ends the other session.
		env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/me/password", Session: a, Body: map[string]string{"current_password": "a wrong password", "new_password": "sara's second password"}}).Field(t, http.StatusUnprocessableEntity, "current_password")
		env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/me/password", Session: a, Body: map[string]string{"current_password": "sara's first password", "new_password": "too short"}}).Field(t, http.StatusUnprocessableEntity, "new_password")
		env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/me/password", Token: env.Secretariat(),
			Body: map[string]string{"current_password": "x", "new_password": "sara's second password"}}).Problem(t, http.StatusUnprocessableEntity)
		env.Must(env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/me/password", Session: a, Body: map[string]string{"current_password": "sara's first password", "new_password": "sara's second password"}}), http.StatusNoContent)
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: a}), http.StatusOK)
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: b}).Problem(t, http.StatusUnauthorized)
		env.Post("/api/v1/session", "", map[string]string{"username": "sara", "password": "sara's first password"}).Problem(t, http.StatusUnauthorized)
		c := signIn(env, "sara", "sara's second password")
		// Log out everywhere: every session of hers ends, this one included.
		r := env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/session/revoke-all", Session: c}), http.StatusOK).Obj(t)
		if r["sessions_ended"] != 2.0 {
			t.Errorf("revoke-all = %v, want 2 sessions ended", r)
		}
		for _, s := range []string{a, c} {
			env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: s}).Problem(t, http.StatusUnauthorized)
			env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: s, Body: agencyRecord("after")}).Problem(t, http.StatusUnauthorized)
		}
	})
}

func TestAuthResetLinkAndAccounts(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{PublicURL: "https://pishran.example.ir"})
		env.Env.User("root", service.RoleAdmin, "", "the admin's password")
		admin := signIn(env, "root", "the admin's password")
		// An admin creates a focal point with a password: it must be changed first.
		r := env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users", Session: admin, Body: map[string]any{"username": "focal", "display_name": scenario.Text("رابط", "Focal"),
			"role": "agency", "agency": "moh", "password": "chosen by the admin"}}), http.StatusCreated)
		if scenario.Path(t, r.Obj(t), "user", "must_change_password") != true {
			t.Errorf("created = %s", r.Body)
		}
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users", Session: admin, Body: map[string]any{"username": "x9", "display_name": scenario.Text("", "X"), "role": "agency"}}).Field(t, http.StatusUnprocessableEntity, "agency")
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users", Session: admin, Body: map[string]any{"username": "x9", "display_name": scenario.Text("", "X"), "role": "reader", "password": "short"}}).Field(t, http.StatusUnprocessableEntity, "password")
		focal := signIn(env, "focal", "chosen by the admin")
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/projects/none/milestones", Session: focal, Body: map[string]any{}}).Problem(t, http.StatusForbidden)
		if me := env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: focal}), http.StatusOK).Obj(t); scenario.Path(t, me, "session", "must_change_password") != true {
			t.Errorf("me = %v", me)
		}
		env.Must(env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/me/password", Session: focal, Body: map[string]string{"current_password": "chosen by the admin", "new_password": "only the focal knows"}}), http.StatusNoContent)
		env.Must(env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/agencies/moh", Session: focal, Body: map[string]any{"name": scenario.Text("وزارت بهداشت", "MoH"), "kind": "ministry"}, Header: map[string]string{"If-Match": env.ETagOf("/api/v1/agencies/moh")}}), http.StatusOK)
		// Accounts are the admin's business; others do not even see them.
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users", Session: focal}).Problem(t, http.StatusForbidden)
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users/root", Session: focal}).Problem(t, http.StatusNotFound)
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users/focal", Session: focal}), http.StatusOK)
		list := env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users?limit=1", Session: admin}), http.StatusOK).Obj(t)
		if items := scenario.Items(t, list); len(items) != 1 || items[0]["username"] != "focal" || list["next_cursor"] == nil {
			t.Errorf("users page = %v", list)
		}
		// Replace: If-Match needed; the last admin stays.
		g := env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users/root", Session: admin}), http.StatusOK)
		var root map[string]any
		json.Unmarshal(g.Body, &root)
		root["role"] = "reader"
		env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/users/root", Session: admin, Body: root}).Problem(t, http.StatusPreconditionRequired)
		env.Do(scenario.Request{Method: "PUT", Path: "/api/v1/users/root", Session: admin, Body: root, Header: map[string]string{"If-Match": g.Header.Get("ETag")}}).Field(t, http.StatusConflict, "role")

		// Reset: a one-time link on the public URL; the old password stops.
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users/focal/reset", Session: focal}).Problem(t, http.StatusForbidden)
		link := env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users/focal/reset", Session: admin}), http.StatusOK).Obj(t)
		tok := link["token"].(string)
		if link["url"] != "https://pishran.example.ir/reset/"+tok {
			t.Errorf("reset link = %v", link)
		}
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: focal}).Problem(t, http.StatusUnauthorized)
		env.Post("/api/v1/session", "", map[string]string{"username": "focal", "password": "only the focal knows"}).Problem(t, http.StatusUnauthorized)
		r = env.Must(env.Post("/api/v1/password-reset", "", map[string]string{"token": tok, "password": "focal's fresh password"}), http.StatusOK)
		c := r.Cookie(api.SessionCookie)
		if c == nil || !c.Secure {
			t.Errorf("the reset's session cookie = %+v; behind an https public URL it must be Secure", c)
		}
		env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: c.Value}), http.StatusOK)
		env.Post("/api/v1/password-reset", "", map[string]string{"token": tok, "password": "focal's other password"}).Field(t, http.StatusUnprocessableEntity, "token")
		signIn(env, "focal", "focal's fresh password")
	})
}

func TestAuthSetupLink(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{})
		link, err := env.Env.Svc.SetupLink(env.Env.Ctx)
		if err != nil || link == nil {
			t.Fatalf("setup link: %v %v", link, err)
		}
		body := map[string]any{"token": link.Token, "username": "first", "password": "the first admin's pass", "display_name": scenario.Text("مدیر", "Admin")}
		weak := map[string]any{"token": link.Token, "username": "first", "password": "first", "display_name": scenario.Text("مدیر", "Admin")}
		env.Post("/api/v1/setup", "", weak).Field(t, http.StatusUnprocessableEntity, "password")
		r := env.Must(env.Post("/api/v1/setup", "", body), http.StatusCreated)
		c := r.Cookie(api.SessionCookie)
		if c == nil {
			t.Fatal("setup set no session")
		}
		// The new admin can manage accounts at once.
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users", Session: c.Value, Body: map[string]any{"username": "second", "display_name": scenario.Text("", "Second"), "role": "reader"}}), http.StatusCreated)
		// The link works once.
		body["username"] = "intruder"
		env.Post("/api/v1/setup", "", body).Field(t, http.StatusUnprocessableEntity, "token")
		env.Post("/api/v1/session", "", map[string]string{"username": "intruder", "password": "the first admin's pass"}).Problem(t, http.StatusUnauthorized)
	})
}

// BenchmarkSessionRead measures what a session costs on a read: the same
// route read anonymously and with a session cookie; the difference is the
// session check (one indexed look-up).
//
//	go test ./api/ -run XXX -bench 'SessionRead|AnonymousRead' -benchtime 2000x
func BenchmarkSessionRead(b *testing.B) {
	for _, e := range testkit.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			srv, cookie := authBenchServer(b, e)
			benchRead(b, srv, cookie)
		})
	}
}

// BenchmarkAnonymousRead is BenchmarkSessionRead's baseline.
func BenchmarkAnonymousRead(b *testing.B) {
	for _, e := range testkit.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			srv, _ := authBenchServer(b, e)
			benchRead(b, srv, "")
		})
	}
}

func authBenchServer(b *testing.B, e testkit.Engine) (*api.Server, string) {
	db := testkit.Open(b, e)
	svc := service.New(db, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	for _, code := range []string{"moh", "ito", "mcit"} {
		if err := svc.CreateAgency(ctx, service.System, &domain.Agency{Code: code, Name: domain.T(code, code), Kind: domain.AgencyOther}); err != nil {
			b.Fatal(err)
		}
	}
	u := &domain.User{Username: "bench", DisplayName: domain.T("", "Bench"), Role: "secretariat", Active: true}
	if _, err := svc.CreateUser(ctx, service.System, u, "benchmark password"); err != nil {
		b.Fatal(err)
	}
	s, err := svc.Login(ctx, "bench", "benchmark password", service.Client{}, service.DefaultSessionPolicy)
	if err != nil {
		b.Fatal(err)
	}
	return api.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil))), s.Secret
}

func benchRead(b *testing.B, srv *api.Server, cookie string) {
	req := httptest.NewRequest("GET", "/api/v1/agencies/moh", nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: cookie})
	}
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
