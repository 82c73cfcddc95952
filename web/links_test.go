package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// sessionCookie returns the session cookie an answer sets, or nil.
func sessionCookie(res *scenario.Response) *http.Cookie { return res.Cookie(httpx.SessionCookie) }

// TestAuthLinkPages: the printed links open a plain form that works in a
// browser, once.
func TestAuthLinkPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env := scenario.New(t, e)
			svc, ts := env.Svc, env.Serve()
			send := func(method, path, body string, h map[string]string) (*scenario.Response, string) {
				rq := scenario.Request{Method: method, Path: path, Header: h}
				if body != "" {
					rq.Body = body
				}
				r := ts.Do(rq)
				return r, r.Text()
			}
			link, err := svc.SetupLink(ctx)
			if err != nil {
				t.Fatal(err)
			}
			page, body := send("GET", "/setup/"+link.Token, "", nil)
			if ct := page.Header.Get("Content-Type"); page.Status != http.StatusOK || !strings.HasPrefix(ct, "text/html") ||
				!strings.Contains(body, `<form method="post">`) || strings.Contains(body, "<script") || page.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("setup page: %d %s %s", page.Status, ct, body)
			}
			form := func(path, body string) (*scenario.Response, string) {
				return send("POST", path, body, map[string]string{
					"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin", "Origin": ts.URL})
			}
			r, b := form("/setup/"+link.Token, "username=first&display_fa=%D9%85%D8%AF%DB%8C%D8%B1&password=short")
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(b, "password") {
				t.Errorf("weak password on the page: %d %s", r.Status, b)
			}
			r, b = form("/setup/"+link.Token, "username=first&display_fa=%D9%85%D8%AF%DB%8C%D8%B1&password=the+first+admin%27s+pass")
			c := sessionCookie(r)
			if r.Status != http.StatusOK || c == nil {
				t.Fatalf("setup through the page: %d %s", r.Status, b)
			}
			cookie := map[string]string{"Cookie": httpx.SessionCookie + "=" + c.Value}
			r, b = send("GET", "/api/v1/me", "", cookie)
			var me map[string]any
			if r.Status != http.StatusOK || json.Unmarshal([]byte(b), &me) != nil || me["name"] != "user:first" || me["role"] != "admin" {
				t.Errorf("me after the page = %d %s", r.Status, b)
			}
			if r, _ := form("/setup/"+link.Token, "username=again&display_en=X&password=another+long+password"); r.Status != http.StatusUnprocessableEntity || sessionCookie(r) != nil {
				t.Errorf("the setup page again: %d", r.Status)
			}
			// A cross-site post of the form is refused like any other.
			evil, b := send("POST", "/setup/"+link.Token, "username=x&password=yyyyyyyyyyyyyy",
				map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
			if evil.Status != http.StatusForbidden || evil.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("cross-site post of the setup form: %d %s", evil.Status, b)
			}
			// The reset page.
			r, b = send("POST", "/api/v1/users/first/reset", "", cookie)
			var rl map[string]any
			if r.Status != http.StatusOK || json.Unmarshal([]byte(b), &rl) != nil {
				t.Fatalf("reset link: %d %s", r.Status, b)
			}
			tok := rl["token"].(string)
			if rl["url"] != ts.URL+"/reset/"+tok {
				t.Errorf("reset url = %v", rl["url"])
			}
			if r, _ := send("GET", "/reset/"+tok, "", nil); r.Status != http.StatusOK {
				t.Errorf("reset page: %d", r.Status)
			}
			if r, b := form("/reset/"+tok, "password=the+admin%27s+new+pass"); r.Status != http.StatusOK || sessionCookie(r) == nil {
				t.Errorf("reset through the page: %d %s", r.Status, b)
			}
			if r, _ := form("/reset/"+tok, "password=yet+another+password"); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("the reset page again: %d", r.Status)
			}
			r, b = send("POST", "/api/v1/session", `{"username":"first","password":"the admin's new pass"}`,
				map[string]string{"Content-Type": "application/json"})
			if r.Status != http.StatusOK || sessionCookie(r) == nil {
				t.Errorf("sign-in with the new password: %d %s", r.Status, b)
			}
		})
	}
}
