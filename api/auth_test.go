package api_test

// Tests of sign-in: sessions, lockout, cross-origin protection, password
// change, one-time links. Helper names start with "au".

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
	"github.com/pishran/pishran/service"
)

// auNew starts a server over a fresh database with the sign-in
// configuration applied before it serves, an agency moh and a secretariat
// token.
func auNew(t *testing.T, e testkit.Engine, cfg api.AuthConfig) *atEnv {
	t.Helper()
	db := testkit.Open(t, e)
	env := &atEnv{t: t, ctx: context.Background(), db: db, log: &atLog{}}
	env.svc = service.New(db, slog.New(slog.DiscardHandler))
	env.srv = api.New(env.svc, slog.New(slog.NewTextHandler(env.log, nil)))
	if err := env.srv.ConfigureAuth(cfg); err != nil {
		t.Fatal(err)
	}
	env.ts = httptest.NewServer(env.srv)
	t.Cleanup(env.ts.Close)
	var err error
	if env.secret, err = env.svc.CreateToken(env.ctx, service.RoleSecretariat, "sec", ""); err != nil {
		t.Fatal(err)
	}
	env.create("/api/v1/agencies", atAgency("moh"))
	return env
}

// auUser creates an account from the console.
func auUser(env *atEnv, name string, role service.Role, agency, password string) {
	env.t.Helper()
	u := &domain.User{Username: name, DisplayName: domain.T(name, name), Role: string(role), Agency: agency, Active: true}
	if _, err := env.svc.CreateUser(env.ctx, service.System, u, password); err != nil {
		env.t.Fatalf("create %s: %v", name, err)
	}
}

// auLogin signs in and returns the session cookie's value.
func auLogin(env *atEnv, name, password string) string {
	env.t.Helper()
	r := env.must(env.post("/api/v1/session", "", map[string]string{"username": name, "password": password}), http.StatusOK)
	c := auCookie(env.t, r)
	if c == nil {
		env.t.Fatalf("login set no session cookie: %v", r.Header)
	}
	return c.Value
}

// auCookie returns the session cookie an answer sets, or nil.
func auCookie(t *testing.T, r *atResp) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == api.SessionCookie {
			return c
		}
	}
	return nil
}

// auSend sends a request with the session cookie and extra headers.
func (env *atEnv) auSend(method, path, cookie string, body any, h map[string]string) *atResp {
	env.t.Helper()
	hs := map[string]string{}
	if cookie != "" {
		hs["Cookie"] = api.SessionCookie + "=" + cookie
	}
	for k, v := range h {
		hs[k] = v
	}
	return env.send(atReq{Method: method, Path: path, Body: body, Header: hs})
}

func TestAuthSessionLogin(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{})
		auUser(env, "maryam", service.RoleSecretariat, "", "maryam's password")
		r := env.must(env.post("/api/v1/session", "", map[string]string{"username": "maryam", "password": "maryam's password"}), http.StatusOK)
		c := auCookie(t, r)
		if c == nil || len(c.Value) != 43 || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
			t.Fatalf("session cookie = %+v (over plain http: not Secure)", c)
		}
		if got := atPath(t, atObj(t, r), "user", "username"); got != "maryam" {
			t.Errorf("login answer user = %v", got)
		}
		// The session writes with the account's role.
		env.must(env.auSend("POST", "/api/v1/agencies", c.Value, atAgency("ito"), nil), http.StatusCreated)
		me := atObj(t, env.must(env.auSend("GET", "/api/v1/me", c.Value, nil, nil), http.StatusOK))
		if me["name"] != "user:maryam" || me["role"] != "secretariat" || atPath(t, me, "session", "via") != "password" {
			t.Errorf("me = %v", me)
		}
		// The audit log names the person and the session.
		h := atObj(t, env.must(env.get("/api/v1/audit?kind=agency&record=ito", env.token(service.RoleAdmin, "")), http.StatusOK))
		if items := atItems(t, h); len(items) != 1 || items[0]["actor"] != "user:maryam" || !strings.HasPrefix(items[0]["origin"].(string), "session") {
			t.Errorf("audit of the session's write = %v", items)
		}
		// A bad cookie is the public: reads go on, writes are 401.
		env.must(env.auSend("GET", "/api/v1/agencies", "not-a-session", nil, nil), http.StatusOK)
		env.must(env.auSend("GET", "/api/v1/agencies", strings.Repeat("A", 43), nil, nil), http.StatusOK)
		atProblem(t, env.auSend("POST", "/api/v1/agencies", strings.Repeat("A", 43), atAgency("x1"), nil), http.StatusUnauthorized)
		atProblem(t, env.auSend("GET", "/api/v1/me", strings.Repeat("A", 43), nil, nil), http.StatusUnauthorized)
		// A reader's session cannot write.
		auUser(env, "reader1", service.RoleReader, "", "reader's password")
		atProblem(t, env.auSend("POST", "/api/v1/agencies", auLogin(env, "reader1", "reader's password"), atAgency("x2"), nil), http.StatusForbidden)
		// Bad input names the field; wrong credentials are 401 alike.
		atField(t, env.post("/api/v1/session", "", map[string]string{"username": "maryam"}), http.StatusUnprocessableEntity, "password")
		atField(t, env.post("/api/v1/session", "", map[string]string{"password": "x"}), http.StatusUnprocessableEntity, "username")
		atField(t, env.post("/api/v1/session", "", map[string]any{"username": "maryam", "password": "x", "remember": true}), http.StatusBadRequest, "remember")
		wrong := atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "maryam", "password": "not her password"}), http.StatusUnauthorized)
		unknown := atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "nobody", "password": "not her password"}), http.StatusUnauthorized)
		if wrong.Message != unknown.Message {
			t.Errorf("wrong password %q and unknown user %q answer differently", wrong.Message.EN, unknown.Message.EN)
		}
		// Logout: the cookie is cleared and the session is gone.
		r = env.must(env.auSend("DELETE", "/api/v1/session", c.Value, nil, nil), http.StatusNoContent)
		if cl := auCookie(t, r); cl == nil || cl.MaxAge >= 0 {
			t.Errorf("logout did not clear the cookie: %v", r.Header)
		}
		atProblem(t, env.auSend("POST", "/api/v1/agencies", c.Value, atAgency("x3"), nil), http.StatusUnauthorized)
		env.must(env.auSend("DELETE", "/api/v1/session", c.Value, nil, nil), http.StatusNoContent) // again: harmless
	})
}

func TestAuthLockout(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{})
		// The clock stands still, so the two locked answers below count the
		// same seconds left however slowly the machine runs.
		now := time.Now().UTC()
		env.db.SetClock(func() time.Time { return now })
		auUser(env, "reza", service.RoleReader, "", "reza's right password")
		for i := 1; i <= 10; i++ {
			r := env.post("/api/v1/session", "", map[string]string{"username": "reza", "password": "wrong password " + strconv.Itoa(i)})
			want := http.StatusUnauthorized
			if i == 10 {
				want = http.StatusTooManyRequests
			}
			atProblem(t, r, want)
			if auCookie(t, r) != nil {
				t.Fatalf("failure %d set a cookie", i)
			}
		}
		// Locked for a while, even with the right password, and the answer
		// is the same as for a wrong one.
		right := env.post("/api/v1/session", "", map[string]string{"username": "reza", "password": "reza's right password"})
		wrong := env.post("/api/v1/session", "", map[string]string{"username": "reza", "password": "still the wrong one"})
		for _, r := range []*atResp{right, wrong} {
			atProblem(t, r, http.StatusTooManyRequests)
			if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 14*60 || s > 15*60 {
				t.Errorf("Retry-After = %q, want about 900 seconds", r.Header.Get("Retry-After"))
			}
			if auCookie(t, r) != nil {
				t.Error("a locked account got a session")
			}
		}
		if string(right.Body) != string(wrong.Body) {
			t.Errorf("locked: right password → %s, wrong → %s", right.Body, wrong.Body)
		}
		// Fifteen minutes later it opens again.
		env.db.SetClock(func() time.Time { return now.Add(16 * time.Minute) })
		auLogin(env, "reza", "reza's right password")
	})
}

func TestAuthAddressLimit(t *testing.T) {
	env := auNew(t, testkit.Engines()[0], api.AuthConfig{LoginBurst: 3, LoginRefill: time.Hour})
	auUser(env, "ali", service.RoleReader, "", "ali's right password")
	auLogin(env, "ali", "ali's right password") // successes are not charged
	for i := range 3 {
		atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "guess" + strconv.Itoa(i), "password": "spray password 1"}), http.StatusUnauthorized)
	}
	r := env.post("/api/v1/session", "", map[string]string{"username": "ali", "password": "ali's right password"})
	atProblem(t, r, http.StatusTooManyRequests)
	if s, _ := strconv.Atoi(r.Header.Get("Retry-After")); s < 3000 || s > 3600 {
		t.Errorf("Retry-After = %q, want about an hour", r.Header.Get("Retry-After"))
	}
}

func TestAuthCrossOrigin(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{TrustedOrigins: []string{"https://portal.example"}})
		auUser(env, "maryam", service.RoleSecretariat, "", "maryam's password")
		sess := auLogin(env, "maryam", "maryam's password")
		evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
		// A cross-site form post riding on the cookie is refused before any
		// handler runs.
		form := env.send(atReq{Method: "POST", Path: "/api/v1/agencies", Body: "code=evil&kind=other",
			Header: map[string]string{"Cookie": api.SessionCookie + "=" + sess, "Origin": "https://evil.example",
				"Sec-Fetch-Site": "cross-site", "Content-Type": "application/x-www-form-urlencoded"}})
		atProblem(t, form, http.StatusForbidden)
		atProblem(t, env.auSend("POST", "/api/v1/agencies", sess, atAgency("evil"), evil), http.StatusForbidden)
		atProblem(t, env.auSend("POST", "/api/v1/session/revoke-all", sess, nil, evil), http.StatusForbidden)
		atProblem(t, env.auSend("POST", "/api/v1/session", "", map[string]string{"username": "maryam", "password": "maryam's password"}, evil), http.StatusForbidden)
		// An old browser without Sec-Fetch-Site: Origin against Host.
		atProblem(t, env.auSend("POST", "/api/v1/agencies", sess, atAgency("evil"), map[string]string{"Origin": "https://evil.example"}), http.StatusForbidden)
		env.must(env.get("/api/v1/agencies/evil", ""), http.StatusNotFound)
		// Reads stay open cross-site; same-origin and trusted-origin writes pass.
		env.must(env.auSend("GET", "/api/v1/agencies", sess, nil, evil), http.StatusOK)
		env.must(env.auSend("POST", "/api/v1/agencies", sess, atAgency("same"), map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": env.ts.URL}), http.StatusCreated)
		env.must(env.auSend("POST", "/api/v1/agencies", sess, atAgency("portal"), map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://portal.example"}), http.StatusCreated)
		// A bearer-token call is no cookie riding along: allowed.
		env.must(env.send(atReq{Method: "POST", Path: "/api/v1/agencies", Token: env.secret, Body: atAgency("tokened"), Header: evil}), http.StatusCreated)
	})
}

func TestAuthRevokeAllAndPasswordChange(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{})
		auUser(env, "sara", service.RoleSecretariat, "", "sara's first password")
		a, b := auLogin(env, "sara", "sara's first password"), auLogin(env, "sara", "sara's first password")
		// Password change: needs the current password, ends the other session.
		atField(t, env.auSend("PUT", "/api/v1/me/password", a, map[string]string{"current_password": "a wrong password", "new_password": "sara's second password"}, nil),
			http.StatusUnprocessableEntity, "current_password")
		atField(t, env.auSend("PUT", "/api/v1/me/password", a, map[string]string{"current_password": "sara's first password", "new_password": "too short"}, nil),
			http.StatusUnprocessableEntity, "new_password")
		atProblem(t, env.send(atReq{Method: "PUT", Path: "/api/v1/me/password", Token: env.secret,
			Body: map[string]string{"current_password": "x", "new_password": "sara's second password"}}), http.StatusUnprocessableEntity)
		env.must(env.auSend("PUT", "/api/v1/me/password", a, map[string]string{"current_password": "sara's first password", "new_password": "sara's second password"}, nil), http.StatusNoContent)
		env.must(env.auSend("GET", "/api/v1/me", a, nil, nil), http.StatusOK)
		atProblem(t, env.auSend("GET", "/api/v1/me", b, nil, nil), http.StatusUnauthorized)
		atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "sara", "password": "sara's first password"}), http.StatusUnauthorized)
		c := auLogin(env, "sara", "sara's second password")
		// Log out everywhere: every session of hers ends, this one included.
		r := atObj(t, env.must(env.auSend("POST", "/api/v1/session/revoke-all", c, nil, nil), http.StatusOK))
		if r["sessions_ended"] != 2.0 {
			t.Errorf("revoke-all = %v, want 2 sessions ended", r)
		}
		for _, s := range []string{a, c} {
			atProblem(t, env.auSend("GET", "/api/v1/me", s, nil, nil), http.StatusUnauthorized)
			atProblem(t, env.auSend("POST", "/api/v1/agencies", s, atAgency("after"), nil), http.StatusUnauthorized)
		}
	})
}

func TestAuthResetLinkAndAccounts(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{PublicURL: "https://pishran.example.ir"})
		auUser(env, "root", service.RoleAdmin, "", "the admin's password")
		admin := auLogin(env, "root", "the admin's password")
		// An admin creates a focal point with a password: it must be changed first.
		r := env.must(env.auSend("POST", "/api/v1/users", admin, map[string]any{"username": "focal", "display_name": atText("رابط", "Focal"),
			"role": "agency", "agency": "moh", "password": "chosen by the admin"}, nil), http.StatusCreated)
		if atPath(t, atObj(t, r), "user", "must_change_password") != true {
			t.Errorf("created = %s", r.Body)
		}
		atField(t, env.auSend("POST", "/api/v1/users", admin, map[string]any{"username": "x9", "display_name": atText("", "X"), "role": "agency"}, nil),
			http.StatusUnprocessableEntity, "agency")
		atField(t, env.auSend("POST", "/api/v1/users", admin, map[string]any{"username": "x9", "display_name": atText("", "X"), "role": "reader", "password": "short"}, nil),
			http.StatusUnprocessableEntity, "password")
		focal := auLogin(env, "focal", "chosen by the admin")
		atProblem(t, env.auSend("POST", "/api/v1/projects/none/milestones", focal, map[string]any{}, nil), http.StatusForbidden)
		if me := atObj(t, env.must(env.auSend("GET", "/api/v1/me", focal, nil, nil), http.StatusOK)); atPath(t, me, "session", "must_change_password") != true {
			t.Errorf("me = %v", me)
		}
		env.must(env.auSend("PUT", "/api/v1/me/password", focal, map[string]string{"current_password": "chosen by the admin", "new_password": "only the focal knows"}, nil), http.StatusNoContent)
		env.must(env.auSend("PUT", "/api/v1/agencies/moh", focal, map[string]any{"name": atText("وزارت بهداشت", "MoH"), "kind": "ministry"},
			map[string]string{"If-Match": env.etagOf("/api/v1/agencies/moh")}), http.StatusOK)
		// Accounts are the admin's business; others do not even see them.
		atProblem(t, env.auSend("GET", "/api/v1/users", focal, nil, nil), http.StatusForbidden)
		atProblem(t, env.auSend("GET", "/api/v1/users/root", focal, nil, nil), http.StatusNotFound)
		env.must(env.auSend("GET", "/api/v1/users/focal", focal, nil, nil), http.StatusOK)
		list := atObj(t, env.must(env.auSend("GET", "/api/v1/users?limit=1", admin, nil, nil), http.StatusOK))
		if items := atItems(t, list); len(items) != 1 || items[0]["username"] != "focal" || list["next_cursor"] == nil {
			t.Errorf("users page = %v", list)
		}
		// Replace: If-Match needed; the last admin stays.
		g := env.must(env.auSend("GET", "/api/v1/users/root", admin, nil, nil), http.StatusOK)
		var root map[string]any
		json.Unmarshal(g.Body, &root)
		root["role"] = "reader"
		atProblem(t, env.auSend("PUT", "/api/v1/users/root", admin, root, nil), http.StatusPreconditionRequired)
		atField(t, env.auSend("PUT", "/api/v1/users/root", admin, root, map[string]string{"If-Match": g.Header.Get("ETag")}), http.StatusConflict, "role")

		// Reset: a one-time link on the public URL; the old password stops.
		atProblem(t, env.auSend("POST", "/api/v1/users/focal/reset", focal, nil, nil), http.StatusForbidden)
		link := atObj(t, env.must(env.auSend("POST", "/api/v1/users/focal/reset", admin, nil, nil), http.StatusOK))
		tok := link["token"].(string)
		if link["url"] != "https://pishran.example.ir/reset/"+tok {
			t.Errorf("reset link = %v", link)
		}
		atProblem(t, env.auSend("GET", "/api/v1/me", focal, nil, nil), http.StatusUnauthorized)
		atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "focal", "password": "only the focal knows"}), http.StatusUnauthorized)
		r = env.must(env.post("/api/v1/password-reset", "", map[string]string{"token": tok, "password": "focal's fresh password"}), http.StatusOK)
		c := auCookie(t, r)
		if c == nil || !c.Secure {
			t.Errorf("the reset's session cookie = %+v; behind an https public URL it must be Secure", c)
		}
		env.must(env.auSend("GET", "/api/v1/me", c.Value, nil, nil), http.StatusOK)
		atField(t, env.post("/api/v1/password-reset", "", map[string]string{"token": tok, "password": "focal's other password"}), http.StatusUnprocessableEntity, "token")
		auLogin(env, "focal", "focal's fresh password")
	})
}

func TestAuthSetupLink(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := auNew(t, e, api.AuthConfig{})
		link, err := env.svc.SetupLink(env.ctx)
		if err != nil || link == nil {
			t.Fatalf("setup link: %v %v", link, err)
		}
		body := map[string]any{"token": link.Token, "username": "first", "password": "the first admin's pass", "display_name": atText("مدیر", "Admin")}
		weak := map[string]any{"token": link.Token, "username": "first", "password": "first", "display_name": atText("مدیر", "Admin")}
		atField(t, env.post("/api/v1/setup", "", weak), http.StatusUnprocessableEntity, "password")
		r := env.must(env.post("/api/v1/setup", "", body), http.StatusCreated)
		c := auCookie(t, r)
		if c == nil {
			t.Fatal("setup set no session")
		}
		// The new admin can manage accounts at once.
		env.must(env.auSend("POST", "/api/v1/users", c.Value, map[string]any{"username": "second", "display_name": atText("", "Second"), "role": "reader"}, nil), http.StatusCreated)
		// The link works once.
		body["username"] = "intruder"
		atField(t, env.post("/api/v1/setup", "", body), http.StatusUnprocessableEntity, "token")
		atProblem(t, env.post("/api/v1/session", "", map[string]string{"username": "intruder", "password": "the first admin's pass"}), http.StatusUnauthorized)
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
			srv, cookie := auBenchServer(b, e)
			auBenchRead(b, srv, cookie)
		})
	}
}

// BenchmarkAnonymousRead is BenchmarkSessionRead's baseline.
func BenchmarkAnonymousRead(b *testing.B) {
	for _, e := range testkit.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			srv, _ := auBenchServer(b, e)
			auBenchRead(b, srv, "")
		})
	}
}

func auBenchServer(b *testing.B, e testkit.Engine) (*api.Server, string) {
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

func auBenchRead(b *testing.B, srv *api.Server, cookie string) {
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
