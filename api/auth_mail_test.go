package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/mailtest"
	"github.com/pishran/pishran/internal/testkit/mailtest/mailsend"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/service"
)

// TestAuthLinkByEmail: an admin creates an account, or resets one, through
// the API with send=email, and the one-time link reaches the account's
// address (a real SMTP server, mailtest); the link works. Without e-mail
// configured, or for an account with no address, or with a bad send, the
// problem names the field and nothing is written.
func TestAuthLinkByEmail(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAuthServer(t, e, api.AuthConfig{PublicURL: "https://pishran.example.ir"})
		env.Env.User("root", service.RoleAdmin, "", "the admin's password")
		admin := signIn(env, "root", "the admin's password")
		post := func(path string, body any) *scenario.Response {
			return env.Do(scenario.Request{Method: "POST", Path: path, Session: admin, Body: body})
		}
		user := func(name, email string) map[string]any {
			return map[string]any{"username": name, "display_name": scenario.Text("رابط", "Focal"), "email": email, "role": "agency", "agency": "moh"}
		}
		// No e-mail configured: refused naming send, the account not made.
		post("/api/v1/users?send=email", user("early", "early@moh.example.ir")).Field(t, http.StatusUnprocessableEntity, "send")
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users/early", Session: admin}).Problem(t, http.StatusNotFound)

		mail := mailtest.Start(t)
		svc := env.Env.Svc
		svc.SetNotify(service.Notify{Sender: mailsend.Sender(t, mail), BaseURL: "https://pishran.example.ir", From: mailsend.Config(mail).From})
		deliver := func(want int) []mailtest.Received {
			t.Helper()
			before := len(mail.Messages())
			if n, err := svc.DeliverNotices(env.Env.Ctx, "t"); err != nil || n != want {
				t.Fatalf("delivered %d (%v), want %d", n, err, want)
			}
			return mail.Messages()[before:]
		}
		// Bad input: a send that is not email; a password with send; an account with no address.
		post("/api/v1/users?send=sms", user("x1", "x1@moh.example.ir")).Field(t, http.StatusBadRequest, "send")
		body := user("x2", "x2@moh.example.ir")
		body["password"] = "chosen by the admin"
		post("/api/v1/users?send=email", body).Field(t, http.StatusBadRequest, "send")
		post("/api/v1/users?send=email", user("x3", "")).Field(t, http.StatusUnprocessableEntity, "email")
		env.Do(scenario.Request{Method: "GET", Path: "/api/v1/users/x3", Session: admin}).Problem(t, http.StatusNotFound)
		deliver(0)

		// Creation: the link answered and e-mailed.
		r := env.Must(post("/api/v1/users?send=email", user("focal", "focal@moh.example.ir")), http.StatusCreated).Obj(t)
		if r["password_link_emailed"] != true || r["password_link"] == nil {
			t.Fatalf("created = %v", r)
		}
		link := r["password_link"].(string)
		got := deliver(1)
		m := mailtest.Parse(t, got[0].Data)
		if got[0].To[0] != "focal@moh.example.ir" || !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) ||
			!strings.HasPrefix(m.Header.Get(notice.HeaderNotice), "set-password/") {
			t.Errorf("the set-password e-mail to %v: %v\n%s", got[0].To, m.Header, m.Text)
		}
		tok := link[strings.LastIndex(link, "/")+1:]
		env.Must(env.Post("/api/v1/password-reset", "", map[string]string{"token": tok, "password": "focal's own password"}), http.StatusOK)
		signIn(env, "focal", "focal's own password")

		// Reset: the same, to the same address; without send nothing is mailed.
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/users/focal/reset?send=fax", Session: admin}).Field(t, http.StatusBadRequest, "send")
		env.Must(post("/api/v1/users/focal/reset", nil), http.StatusOK)
		deliver(0)
		rl := env.Must(post("/api/v1/users/focal/reset?send=email", nil), http.StatusOK).Obj(t)
		if rl["emailed"] != true {
			t.Errorf("reset = %v", rl)
		}
		got = deliver(1)
		if m := mailtest.Parse(t, got[0].Data); got[0].To[0] != "focal@moh.example.ir" || !strings.Contains(m.Text, rl["url"].(string)) {
			t.Errorf("the reset e-mail to %v:\n%s", got[0].To, m.Text)
		}
	})
}
