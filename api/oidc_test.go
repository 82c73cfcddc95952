package api_test

// Single sign-on against a real OpenID Connect provider run inside the test
// (github.com/oauth2-proxy/mockoidc): discovery, the authorization redirect
// with state, nonce and PKCE, the code exchange and ID tokens signed with
// the provider's key.

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// oidcUser is a person at the provider, with the claims Pishran maps; tweak,
// when set, alters the ID token's standard claims (to forge a bad one).
type oidcUser struct {
	sub, username, name string
	groups              []string
	agency              string
	tweak               func(*mockoidc.IDTokenClaims)
}

func (u *oidcUser) ID() string { return u.sub }

func (u *oidcUser) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.sub, "preferred_username": u.username})
}

func (u *oidcUser) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.tweak != nil {
		u.tweak(base)
	}
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	var m jwt.MapClaims
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["preferred_username"], m["name"], m["groups"] = u.username, u.name, u.groups
	if u.agency != "" {
		m["agency"] = u.agency
	}
	return m, nil
}

// oidcEnv is a Pishran server wired to a running provider.
type oidcEnv struct {
	*scenario.Server
	idp    *mockoidc.MockOIDC
	forge  atomic.Bool // re-sign the next ID tokens with a key that is not the provider's
	client *http.Client
}

func newOIDCEnv(t *testing.T, e testkit.Engine) *oidcEnv {
	t.Helper()
	env := &oidcEnv{}
	idp, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	rogue, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.TokenEndpoint || !env.forge.Load() {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err == nil {
				if raw, ok := body["id_token"].(string); ok {
					body["id_token"] = resign(t, raw, rogue)
				}
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(body)
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := idp.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	env.idp = idp

	sc := scenario.New(t, e) // the service logs the refusals' reasons to sc.Log
	at := newAPI(sc, scenario.AuthAt(func(base string) (api.AuthConfig, error) {
		sso, err := sc.Svc.NewOIDC(service.OIDCConfig{
			Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret,
			RedirectURL: base + "/auth/oidc/callback", Scopes: []string{"openid", "profile", "groups"},
			Roles: []service.OIDCRoleRule{
				{Claim: "groups", Value: "pishran-secretariat", Role: "secretariat"},
				{Claim: "groups", Value: "focal-points", Role: "agency"},
			},
		})
		return api.AuthConfig{OIDC: sso}, err
	}))
	at.Create("/api/v1/agencies", agencyRecord("moh"))
	env.Server = at
	return env
}

// resign re-signs an ID token's claims with another key, keeping the
// provider's key id: a token whose signature does not verify.
func resign(t *testing.T, raw string, key *rsa.PrivateKey) string {
	parts := strings.Split(raw, ".")
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var h map[string]any
	json.Unmarshal(hdr, &h)
	kid, _ := h["kid"].(string)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		t.Error(err)
		return raw
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		t.Error(err)
		return raw
	}
	s, _ := obj.CompactSerialize()
	return s
}

// login runs the whole browser flow for the person: Pishran's login
// redirect, the provider, the callback. It returns the callback's answer
// and the session cookie it left (nil when none).
func (env *oidcEnv) login(u *oidcUser) (*http.Response, []byte, *http.Cookie) {
	env.Env.T.Helper()
	env.idp.QueueUser(u)
	jar, _ := cookiejar.New(nil)
	pishran, _ := url.Parse(env.URL)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Host == pishran.Host && !strings.HasPrefix(req.URL.Path, "/auth/oidc/") {
			return http.ErrUseLastResponse // the final redirect into Pishran: stop here
		}
		return nil
	}}
	res, err := c.Get(env.URL + "/auth/oidc/login?next=/projects")
	if err != nil {
		env.Env.T.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, ck := range jar.Cookies(pishran) {
		if ck.Name == api.SessionCookie {
			return res, body, ck
		}
	}
	return res, body, nil
}

func (env *oidcEnv) users() []*domain.User {
	env.Env.T.Helper()
	us, err := env.Env.Svc.Users(env.Env.Ctx, service.System, domain.Page{Limit: 100})
	if err != nil {
		env.Env.T.Fatal(err)
	}
	return us
}

func TestOIDCLogin(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newOIDCEnv(t, e)
		res, body, c := env.login(&oidcUser{sub: "s-100", username: "Maryam.K", name: "مریم کریمی", groups: []string{"staff", "pishran-secretariat"}})
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/projects" || c == nil {
			t.Fatalf("callback: %d %s %s, session %v\n%s", res.StatusCode, res.Header.Get("Location"), body, c, env.Env.Log)
		}
		// The session writes according to the mapped role.
		env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: c.Value, Body: agencyRecord("ito")}), http.StatusCreated)
		me := env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: c.Value}), http.StatusOK).Obj(t)
		if me["name"] != "user:maryam.k" || me["role"] != "secretariat" || scenario.Path(t, me, "session", "via") != "oidc" ||
			scenario.Path(t, me, "user", "sso") != true || scenario.Path(t, me, "user", "display_name", "fa") != "مریم کریمی" {
			t.Errorf("me = %v", me)
		}
		// Signing in again brings the role up to date from the claims.
		_, _, c2 := env.login(&oidcUser{sub: "s-100", username: "maryam.k", name: "مریم کریمی", groups: []string{"focal-points"}, agency: "moh"})
		if c2 == nil {
			t.Fatal("second sign-in: no session")
		}
		me = env.Must(env.Do(scenario.Request{Method: "GET", Path: "/api/v1/me", Session: c2.Value}), http.StatusOK).Obj(t)
		if me["role"] != "agency" || me["agency"] != "moh" {
			t.Errorf("after the role change at the provider: %v", me)
		}
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Session: c2.Value, Body: agencyRecord("x1")}).Problem(t, http.StatusForbidden)
		if n := len(env.users()); n != 1 {
			t.Errorf("%d accounts, want 1 (the same identity signed in twice)", n)
		}
		// No rule gives a role: refused, no account.
		res, _, c = env.login(&oidcUser{sub: "s-200", username: "guest", name: "Guest", groups: []string{"visitors"}})
		if res.StatusCode != http.StatusForbidden || c != nil {
			t.Errorf("unmapped person: %d, session %v", res.StatusCode, c)
		}
		// A local account's username is not taken over.
		env.Env.User("local", service.RoleAdmin, "", "the local admin's pass")
		res, _, c = env.login(&oidcUser{sub: "s-300", username: "local", name: "Impostor", groups: []string{"pishran-secretariat"}})
		if res.StatusCode != http.StatusConflict || c != nil {
			t.Errorf("username of a local account: %d, session %v", res.StatusCode, c)
		}
		// A callback without the browser's state cookie is refused.
		env.Get("/auth/oidc/callback?state=abc&code=def", "").Problem(t, http.StatusUnauthorized)
	})
}

// TestOIDCBadTokens: a wrong audience, an expired token, a bad signature
// and a wrong nonce are each refused, with no session and no account.
func TestOIDCBadTokens(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newOIDCEnv(t, e)
		cases := []struct {
			name  string
			tweak func(*mockoidc.IDTokenClaims)
			forge bool
			why   string // what the verifier's log says
		}{
			{"wrong audience", func(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-client"} }, false, "expected audience"},
			{"expired", func(c *mockoidc.IDTokenClaims) {
				past := time.Now().Add(-2 * time.Hour)
				c.IssuedAt, c.NotBefore, c.ExpiresAt = jwt.NewNumericDate(past), jwt.NewNumericDate(past), jwt.NewNumericDate(past.Add(time.Hour))
			}, false, "token is expired"},
			{"bad signature", nil, true, "failed to verify"},
			{"wrong nonce", func(c *mockoidc.IDTokenClaims) { c.Nonce = "not-the-nonce-we-sent" }, false, "nonce mismatch"},
			{"wrong issuer", func(c *mockoidc.IDTokenClaims) { c.Issuer = "https://evil.example/oidc" }, false, "issued by a different provider"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				env.forge.Store(tc.forge)
				defer env.forge.Store(false)
				logged := len(env.Env.Log.String())
				res, body, c := env.login(&oidcUser{sub: "s-" + tc.name, username: "victim", name: "Victim",
					groups: []string{"pishran-secretariat"}, tweak: tc.tweak})
				if res.StatusCode != http.StatusUnauthorized || c != nil {
					t.Fatalf("%s: %d %s, session %v", tc.name, res.StatusCode, body, c)
				}
				var p api.Problem
				if json.NewDecoder(bytes.NewReader(body)).Decode(&p) != nil || !strings.HasPrefix(p.Message.EN, "single sign-on refused") {
					t.Errorf("%s: answer %s", tc.name, body)
				}
				if n := len(env.users()); n != 0 {
					t.Errorf("%s: %d accounts created", tc.name, n)
				}
				if got := env.Env.Log.String()[logged:]; !strings.Contains(got, tc.why) {
					t.Errorf("%s: refused, but not for the expected reason %q; log:\n%s", tc.name, tc.why, got)
				}
			})
		}
		// The same provider and person, with a good token, get in: the
		// refusals above were the tokens' fault.
		if _, _, c := env.login(&oidcUser{sub: "s-good", username: "victim", name: "Victim", groups: []string{"pishran-secretariat"}}); c == nil {
			t.Error("a good token after the bad ones: no session")
		}
	})
}
