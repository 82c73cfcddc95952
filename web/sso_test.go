package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/web"
)

// TestSignInSSOButton: the sign-in page offers "sign in with single
// sign-on", in the page's language, when serve has an OIDC provider — a
// plain link to the API's /auth/oidc/login carrying the page's destination,
// which works without JavaScript — and no such button otherwise.
func TestSignInSSOButton(t *testing.T) {
	sc := scenario.New(t, testkit.SQLite)
	for _, sso := range []bool{false, true} {
		e := serve(t, sc, scenario.Site(web.Options{SingleSignOn: sso}))
		for lang, label := range map[string]string{"fa": "ورود با حساب یکپارچه", "en": "Sign in with single sign-on"} {
			for _, path := range []string{"/login", "/login?next=%2Fstaff%2Freports"} {
				r := e.Page("", path, lang)
				r.CheckPage(t, http.StatusOK, lang)
				body := r.Text()
				has := strings.Contains(body, label) || strings.Contains(body, `id="login-sso"`) || strings.Contains(body, "/auth/oidc/login")
				if has != sso {
					t.Errorf("SSO %v, %s %s: button shown %v", sso, lang, path, has)
				}
				if !sso {
					continue
				}
				want := `href="/auth/oidc/login"`
				if strings.Contains(path, "next") {
					want = `href="/auth/oidc/login?next=%2Fstaff%2Freports"`
				}
				if !strings.Contains(body, `<a class="button" id="login-sso" `+want+`>`+label+`</a>`) {
					t.Errorf("%s %s: no SSO button to %s labelled %q:\n%s", lang, path, want, label, body)
				}
				// The password form stays beside it.
				if !strings.Contains(body, `name="password"`) {
					t.Errorf("%s %s: the password form is gone", lang, path)
				}
			}
		}
	}
}
