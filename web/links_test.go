package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// lkDo sends a request to ts with a body and headers and reads the answer.
func lkDo(t *testing.T, ts *httptest.Server, method, path, body string, h map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// lkCookie returns the session cookie an answer sets, or nil.
func lkCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie {
			return c
		}
	}
	return nil
}

// TestAuthLinkPages: the printed links open a plain form that works in a
// browser, once.
func TestAuthLinkPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(testkit.Open(t, e), slog.New(slog.DiscardHandler))
			ts := httptest.NewServer(faces(t, svc, httpx.Config{}))
			t.Cleanup(ts.Close)
			link, err := svc.SetupLink(ctx)
			if err != nil {
				t.Fatal(err)
			}
			page, body := lkDo(t, ts, "GET", "/setup/"+link.Token, "", nil)
			if ct := page.Header.Get("Content-Type"); page.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/html") ||
				!strings.Contains(body, `<form method="post">`) || strings.Contains(body, "<script") || page.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("setup page: %d %s %s", page.StatusCode, ct, body)
			}
			form := func(path, body string) (*http.Response, string) {
				return lkDo(t, ts, "POST", path, body, map[string]string{
					"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin", "Origin": ts.URL})
			}
			r, b := form("/setup/"+link.Token, "username=first&display_fa=%D9%85%D8%AF%DB%8C%D8%B1&password=short")
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b, "password") {
				t.Errorf("weak password on the page: %d %s", r.StatusCode, b)
			}
			r, b = form("/setup/"+link.Token, "username=first&display_fa=%D9%85%D8%AF%DB%8C%D8%B1&password=the+first+admin%27s+pass")
			c := lkCookie(r)
			if r.StatusCode != http.StatusOK || c == nil {
				t.Fatalf("setup through the page: %d %s", r.StatusCode, b)
			}
			cookie := map[string]string{"Cookie": httpx.SessionCookie + "=" + c.Value}
			r, b = lkDo(t, ts, "GET", "/api/v1/me", "", cookie)
			var me map[string]any
			if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(b), &me) != nil || me["name"] != "user:first" || me["role"] != "admin" {
				t.Errorf("me after the page = %d %s", r.StatusCode, b)
			}
			if r, _ := form("/setup/"+link.Token, "username=again&display_en=X&password=another+long+password"); r.StatusCode != http.StatusUnprocessableEntity || lkCookie(r) != nil {
				t.Errorf("the setup page again: %d", r.StatusCode)
			}
			// A cross-site post of the form is refused like any other.
			evil, b := lkDo(t, ts, "POST", "/setup/"+link.Token, "username=x&password=yyyyyyyyyyyyyy",
				map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
			if evil.StatusCode != http.StatusForbidden || evil.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("cross-site post of the setup form: %d %s", evil.StatusCode, b)
			}
			// The reset page.
			r, b = lkDo(t, ts, "POST", "/api/v1/users/first/reset", "", cookie)
			var rl map[string]any
			if r.StatusCode != http.StatusOK || json.Unmarshal([]byte(b), &rl) != nil {
				t.Fatalf("reset link: %d %s", r.StatusCode, b)
			}
			tok := rl["token"].(string)
			if rl["url"] != ts.URL+"/reset/"+tok {
				t.Errorf("reset url = %v", rl["url"])
			}
			if r, _ := lkDo(t, ts, "GET", "/reset/"+tok, "", nil); r.StatusCode != http.StatusOK {
				t.Errorf("reset page: %d", r.StatusCode)
			}
			if r, b := form("/reset/"+tok, "password=the+admin%27s+new+pass"); r.StatusCode != http.StatusOK || lkCookie(r) == nil {
				t.Errorf("reset through the page: %d %s", r.StatusCode, b)
			}
			if r, _ := form("/reset/"+tok, "password=yet+another+password"); r.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("the reset page again: %d", r.StatusCode)
			}
			r, b = lkDo(t, ts, "POST", "/api/v1/session", `{"username":"first","password":"the admin's new pass"}`,
				map[string]string{"Content-Type": "application/json"})
			if r.StatusCode != http.StatusOK || lkCookie(r) == nil {
				t.Errorf("sign-in with the new password: %d %s", r.StatusCode, b)
			}
		})
	}
}
