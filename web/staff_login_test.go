package web_test

// Signing in to the staff workspace and out: the form, the way back to the
// page asked for, lockout and throttle, forms refused from another site,
// a password an admin chose changed first.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// TestStaffLogin signs in through the form, uses the session on a staff
// page and on the API, and signs out.
func TestStaffLogin(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for _, lang := range []string{"fa", "en"} {
				r := se.Page("", "/login", lang)
				r.CheckPage(t, http.StatusOK, lang)
				for _, want := range []string{`<form class="stack-form" method="post" action="/login">`, `name="username"`,
					`type="password"`, `autocomplete="current-password"`} {
					if !strings.Contains(r.Text(), want) {
						t.Errorf("%s login page lacks %s", lang, want)
					}
				}
			}
			// The public header offers sign-in, not the workspace.
			if home := se.Page("", "/", "en").Text(); !strings.Contains(home, `href="/login"`) || strings.Contains(home, `href="/staff"`) {
				t.Error("the public header should link the sign-in page and not the workspace")
			}

			// A wrong password: 401, the form again with the message, in
			// either language, and the username kept.
			for lang, msg := range map[string]string{"fa": "نام کاربری یا گذرواژه درست نیست.", "en": "The username or the password is not right."} {
				r := se.Form("", "/login?lang="+lang, url.Values{"username": {"sec"}, "password": {"not the password"}}, nil)
				r.CheckPage(t, http.StatusUnauthorized, lang)
				if !strings.Contains(r.Text(), msg) || !strings.Contains(r.Text(), `value="sec"`) || !strings.Contains(r.Text(), `role="alert"`) {
					t.Errorf("%s: refusal page lacks the message or the username:\n%s", lang, scenario.Clip(r.Text()))
				}
				if len(r.Cookies()) > 1 || (len(r.Cookies()) == 1 && r.Cookies()[0].Name != "pishran_lang") {
					t.Errorf("a refused sign-in set cookies %v", r.Cookies())
				}
			}
			// Missing password: 422 naming the field.
			r := se.Form("", "/login?lang=en", url.Values{"username": {"sec"}}, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), "the password is required") {
				t.Errorf("no 'password is required':\n%s", scenario.Clip(r.Text()))
			}

			// The right password: 303 to the workspace, the API's cookie.
			r = se.Form("", "/login", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil)
			r.RedirectsTo(t, "/staff")
			var sc *http.Cookie
			for _, c := range r.Cookies() {
				if c.Name == "pishran_session" {
					sc = c
				}
			}
			if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || len(sc.Value) < 40 {
				t.Fatalf("session cookie %+v", sc)
			}
			cookie := map[string]string{"Cookie": "pishran_session=" + sc.Value}
			dash := se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff?lang=en", Header: cookie})
			dash.CheckPage(t, http.StatusOK, "en")
			if !strings.Contains(dash.Text(), "Portfolio dashboard") || !strings.Contains(dash.Text(), ">sec</bdi>") ||
				!strings.Contains(dash.Text(), `action="/logout"`) {
				t.Errorf("dashboard as sec:\n%s", scenario.Clip(dash.Text()))
			}
			if cc := dash.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("a signed-in page's Cache-Control is %q", cc)
			}
			// The same session is the API's.
			me := se.Do(scenario.Request{Method: http.MethodGet, Path: "/api/v1/me", Header: cookie})
			if me.Status != 200 || !strings.Contains(me.Text(), `"role":"secretariat"`) {
				t.Errorf("/api/v1/me with the page's session: %d %s", me.Status, me.Text())
			}
			// Public pages stay the public's: the confidential project is
			// still not shown, even to the secretariat.
			if r := se.Do(scenario.Request{Method: http.MethodGet, Path: "/projects/anti-smuggling", Header: cookie}); r.Status != http.StatusNotFound {
				t.Errorf("the portal showed a confidential project to a signed-in person: %d", r.Status)
			}
			if home := se.Do(scenario.Request{Method: http.MethodGet, Path: "/?lang=en", Header: cookie}).Text(); !strings.Contains(home, `href="/staff"`) || strings.Contains(home, `href="/login"`) {
				t.Error("a signed-in person's header should link the workspace")
			}
			if p := se.Do(scenario.Request{Method: http.MethodGet, Path: "/projects/e-health?lang=en", Header: cookie}).Text(); !strings.Contains(p, `href="/staff/projects/e-health"`) {
				t.Error("the public project sheet does not offer a signed-in person its staff view")
			}
			// Signed in, /login goes to the workspace.
			se.Do(scenario.Request{Method: http.MethodGet, Path: "/login", Header: cookie}).RedirectsTo(t, "/staff")

			// Sign out: the session ends on the server, the cookie goes.
			out := se.Form("", "/logout", nil, cookie)
			out.RedirectsTo(t, "/login?signed_out=1")
			if r := se.Page("", out.Header.Get("Location"), "en"); !strings.Contains(r.Text(), "You have signed out.") {
				t.Error("the sign-in page does not say the person signed out")
			}
			if c := out.Cookies(); len(c) != 1 || c[0].Name != "pishran_session" || c[0].MaxAge >= 0 {
				t.Errorf("sign-out cookies %v", c)
			}
			se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff", Header: cookie}).RedirectsTo(t, "/login?next=%2Fstaff")
			if me := se.Do(scenario.Request{Method: http.MethodGet, Path: "/api/v1/me", Header: cookie}); me.Status != http.StatusUnauthorized {
				t.Errorf("/api/v1/me after signing out: %d", me.Status)
			}
		})
	}
}

// TestStaffLoginNext: a signed-out visitor of a staff page comes back to it
// after signing in; a destination on another site is ignored.
func TestStaffLoginNext(t *testing.T) {
	se := newStaffEnv(t, testkit.Engines()[0])
	r := se.Page("", "/staff/meetings/itec-30", "")
	r.RedirectsTo(t, "/login?next=%2Fstaff%2Fmeetings%2Fitec-30")
	page := se.Page("", r.Header.Get("Location"), "en")
	if !strings.Contains(page.Text(), `action="/login?next=%2Fstaff%2Fmeetings%2Fitec-30"`) {
		t.Fatalf("the form does not carry next:\n%s", scenario.Clip(page.Text()))
	}
	se.Form("", "/login?next=%2Fstaff%2Fmeetings%2Fitec-30", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil).RedirectsTo(t, "/staff/meetings/itec-30")
	for _, evil := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		r := se.Form("", "/login?next="+url.QueryEscape(evil), url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil)
		if r.Header.Get("Location") != "/staff" {
			t.Errorf("next=%s led to %q", evil, r.Header.Get("Location"))
		}
	}
}

// TestStaffLockout: ten failures lock the account; the page says for how
// long (429 with Retry-After), whatever the password, in both languages.
func TestStaffLockout(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			var last *scenario.Response
			for range 10 {
				last = se.Form("", "/login?lang=en", url.Values{"username": {"reader1"}, "password": {"wrong password!"}}, nil)
			}
			for _, lang := range []string{"en", "fa"} {
				r := se.Form("", "/login?lang="+lang, url.Values{"username": {"reader1"}, "password": {scenario.StaffPassword}}, nil)
				r.CheckPage(t, http.StatusTooManyRequests, lang)
				secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
				if err != nil || secs < 60 || secs > 15*60 {
					t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
				}
				want := map[string]string{"en": "This account is locked for a while after repeated failed sign-ins. Try again in 15 minutes.",
					"fa": "این حساب پس از ورودهای ناموفق پیاپی موقتاً قفل شده است. پس از ۱۵ دقیقه دوباره بکوشید."}[lang]
				if !strings.Contains(r.Text(), want) {
					t.Errorf("%s lockout page lacks %q:\n%s", lang, want, scenario.Clip(r.Text()))
				}
			}
			if last.Status != http.StatusTooManyRequests {
				t.Errorf("the tenth failure answered %d", last.Status)
			}
		})
	}
}

// TestStaffCrossSite: every form of the site refuses a post from another
// site (the API server's cross-origin protection), before it acts.
func TestStaffCrossSite(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			evil := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
			oldBrowser := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": ""}
			for _, f := range staffForms(se) {
				for _, h := range []map[string]string{evil, oldBrowser} {
					r := se.Form(se.SignIn(f.who), f.path, f.form, h)
					if r.Status != http.StatusForbidden {
						t.Errorf("cross-site POST %s as %q: %d, want 403", f.path, f.who, r.Status)
					}
				}
			}
			// Nothing happened: still signed in, the meeting still planned.
			if r := se.Page(se.SignIn("sec"), "/staff", "en"); r.Status != 200 {
				t.Errorf("the cross-site sign-out took effect: %d", r.Status)
			}
			if m, err := se.svc.Meeting(se.Ctx, service.System, "itec-30"); err != nil || m.State != "planned" {
				t.Errorf("itec-30 after cross-site posts: %v %v", m.State, err)
			}
		})
	}
}

type staffForm struct {
	who, path string
	form      url.Values
}

// staffForms lists a post to every form of the site.
func staffForms(se *staffEnv) []staffForm {
	id := strconv.FormatInt(se.MohReport, 10)
	act := strconv.FormatInt(se.Action, 10)
	return []staffForm{
		{"", "/login", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}},
		{"sec", "/logout", nil},
		{"sec", "/staff/password", url.Values{"current_password": {scenario.StaffPassword}, "new_password": {"another long password"}, "confirm_password": {"another long password"}}},
		{"sec", "/staff/projects/e-rx/ratings", url.Values{"score": {"2"}, "comment_en": {"x"}}},
		{"sec", "/staff/programs/gov13-smart-driving/designate", url.Values{"project": {"e-rx"}}},
		{"sec", "/staff/meetings", url.Values{"series": {"itec"}, "number": {"31"}, "date": {se.Today.String()}}},
		{"sec", "/staff/meetings/itec-30/agenda", url.Values{"add_title_en": {"x"}}},
		{"sec", "/staff/meetings/itec-30/hold", nil},
		{"sec", "/staff/meetings/itec-29/outcomes", url.Values{"kind": {"information"}, "text_en": {"x"}}},
		{"sec", "/staff/meetings/itec-29/actions/" + act + "/discuss", url.Values{"note_en": {"x"}}},
		{"sec", "/staff/meetings/itec-29/close", url.Values{"confirm": {"on"}}},
		{"sec", "/staff/series", url.Values{"code": {"x"}, "name_en": {"x"}, "kind": {"other"}}},
		{"sec", "/staff/series/itec?v=1", url.Values{"name_en": {"x"}, "kind": {"other"}}},
		{"sec", "/staff/meetings/itec-30/redate", url.Values{"date": {se.Today.AddDays(3).String()}, "reason_en": {"x"}}},
		{"sec", "/staff/meetings/itec-30/cancel", url.Values{"reason_en": {"x"}, "confirm": {"on"}}},
		{"sec", "/staff/actions/" + act + "/redate", url.Values{"date": {se.Today.AddDays(9).String()}, "reason_en": {"x"}}},
		{"moh-focal", "/staff/reports?project=e-rx", url.Values{"period": {string(se.LastMonth.Add(-1))}}},
		{"moh-focal", "/staff/reports/" + id, url.Values{"period": {string(se.LastMonth)}}},
		{"moh-focal", "/staff/reports/" + id + "/evidence", url.Values{"url": {"https://example.org/x"}}},
		{"moh-focal", "/staff/reports/" + id + "/submit", nil},
		{"sec", "/staff/reports/" + id + "/accept", nil},
		{"sec", "/staff/reports/" + id + "/return", url.Values{"comment_en": {"x"}}},
	}
}

// TestStaffRedirects: every workspace page sends a signed-out visitor to
// the sign-in page.
func TestStaffRedirects(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for _, p := range staffPages(se) {
				r := se.Page("", p.path, "")
				r.RedirectsTo(t, "/login?next="+url.QueryEscape(p.path))
			}
			// A post while signed out goes to the sign-in page too, and
			// does nothing.
			for _, f := range staffForms(se)[2:] {
				se.Form("", f.path, f.form, nil).RedirectsTo(t, "/login?next=%2Fstaff")
			}
			// An ended session is the public's: no hint it ever existed.
			se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff", Header: map[string]string{"Cookie": "pishran_session=" + strings.Repeat("A", 43)}}).RedirectsTo(t, "/login")
		})
	}
}

// TestStaffMustChange: an account whose password an admin chose signs in
// to the password page, and nothing else, until it is changed.
func TestStaffMustChange(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			if _, err := se.svc.CreateUser(se.Ctx, service.System, &domain.User{Username: "newbie", DisplayName: domain.T("تازه", "New"),
				Role: "secretariat", Active: true, MustChange: true}, scenario.StaffPassword); err != nil {
				t.Fatal(err)
			}
			r := se.Form("", "/login", url.Values{"username": {"newbie"}, "password": {scenario.StaffPassword}}, nil)
			r.RedirectsTo(t, "/staff/password")
			var secret string
			for _, c := range r.Cookies() {
				if c.Name == "pishran_session" {
					secret = c.Value
				}
			}
			cookie := map[string]string{"Cookie": "pishran_session=" + secret}
			se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff", Header: cookie}).RedirectsTo(t, "/staff/password")
			se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff/projects/e-rx", Header: cookie}).RedirectsTo(t, "/staff/password")
			page := se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff/password?lang=en", Header: cookie})
			page.CheckPage(t, http.StatusOK, "en")
			if !strings.Contains(page.Text(), "change the password an admin set for you") || strings.Contains(page.Text(), `href="/staff"`) {
				t.Errorf("password page for a pending account:\n%s", scenario.Clip(page.Text()))
			}
			// Mismatch, then a wrong current password, then the change.
			r = se.Form("", "/staff/password?lang=en", url.Values{"current_password": {scenario.StaffPassword}, "new_password": {"a brand new password"},
				"confirm_password": {"another one entirely"}}, cookie)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), "The two new passwords differ.") {
				t.Errorf("mismatch: %d", r.Status)
			}
			r = se.Form("", "/staff/password?lang=en", url.Values{"current_password": {"not it at all"}, "new_password": {"a brand new password"},
				"confirm_password": {"a brand new password"}}, cookie)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), "the current password is wrong") {
				t.Errorf("wrong current password: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			se.Form("", "/staff/password", url.Values{"current_password": {scenario.StaffPassword}, "new_password": {"a brand new password"},
				"confirm_password": {"a brand new password"}}, cookie).RedirectsTo(t, "/staff/password?done=1")
			if r := se.Do(scenario.Request{Method: http.MethodGet, Path: "/staff?lang=en", Header: cookie}); r.Status != 200 {
				t.Errorf("after the change, the session still cannot open the workspace: %d", r.Status)
			}
		})
	}
}

// TestStaffLoginThrottle: failed sign-ins from one address, across
// accounts, are slowed down (the per-address limit), 429 with Retry-After.
func TestStaffLoginThrottle(t *testing.T) {
	se := newStaffEnv(t, testkit.Engines()[0])
	se.env = serve(t, se.Staff.Env, scenario.Site(web.Options{LoginBurst: 2, LoginRefill: time.Hour}))
	for _, u := range []string{"sec", "reader1"} {
		if r := se.Form("", "/login?lang=en", url.Values{"username": {u}, "password": {"wrong password!"}}, nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %s: %d", u, r.Status)
		}
	}
	r := se.Form("", "/login?lang=en", url.Values{"username": {"council1"}, "password": {scenario.StaffPassword}}, nil)
	r.CheckPage(t, http.StatusTooManyRequests, "en")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 3000 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.Text(), "Too many failed attempts from this address. Try again in 60 minutes.") {
		t.Errorf("throttle page:\n%s", scenario.Clip(r.Text()))
	}
}
