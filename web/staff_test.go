package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
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
				r := se.get("/login", lang)
				checkPage(t, r, http.StatusOK, lang)
				for _, want := range []string{`<form class="stack-form" method="post" action="/login">`, `name="username"`,
					`type="password"`, `autocomplete="current-password"`} {
					if !strings.Contains(r.text(), want) {
						t.Errorf("%s login page lacks %s", lang, want)
					}
				}
			}
			// The public header offers sign-in, not the workspace.
			if home := se.get("/", "en").text(); !strings.Contains(home, `href="/login"`) || strings.Contains(home, `href="/staff"`) {
				t.Error("the public header should link the sign-in page and not the workspace")
			}

			// A wrong password: 401, the form again with the message, in
			// either language, and the username kept.
			for lang, msg := range map[string]string{"fa": "نام کاربری یا گذرواژه درست نیست.", "en": "The username or the password is not right."} {
				r := se.post(t, "", "/login?lang="+lang, url.Values{"username": {"sec"}, "password": {"not the password"}}, nil)
				checkPage(t, r, http.StatusUnauthorized, lang)
				if !strings.Contains(r.text(), msg) || !strings.Contains(r.text(), `value="sec"`) || !strings.Contains(r.text(), `role="alert"`) {
					t.Errorf("%s: refusal page lacks the message or the username:\n%s", lang, clip(r.text()))
				}
				if len(r.Cookies()) > 1 || (len(r.Cookies()) == 1 && r.Cookies()[0].Name != "pishran_lang") {
					t.Errorf("a refused sign-in set cookies %v", r.Cookies())
				}
			}
			// Missing password: 422 naming the field.
			r := se.post(t, "", "/login?lang=en", url.Values{"username": {"sec"}}, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.text(), "the password is required") {
				t.Errorf("no 'password is required':\n%s", clip(r.text()))
			}

			// The right password: 303 to the workspace, the API's cookie.
			r = se.post(t, "", "/login", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil)
			redirectTo(t, r, "/staff")
			var sc *http.Cookie
			for _, c := range r.Cookies() {
				if c.Name == "pishran_session" {
					sc = c
				}
			}
			if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || len(sc.Value) < 40 {
				t.Fatalf("session cookie %+v", sc)
			}
			cookie := http.Header{"Cookie": {"pishran_session=" + sc.Value}}
			dash := se.do(http.MethodGet, "/staff?lang=en", cookie)
			checkPage(t, dash, http.StatusOK, "en")
			if !strings.Contains(dash.text(), "Portfolio dashboard") || !strings.Contains(dash.text(), ">sec</bdi>") ||
				!strings.Contains(dash.text(), `action="/logout"`) {
				t.Errorf("dashboard as sec:\n%s", clip(dash.text()))
			}
			if cc := dash.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("a signed-in page's Cache-Control is %q", cc)
			}
			// The same session is the API's.
			me := se.do(http.MethodGet, "/api/v1/me", cookie)
			if me.StatusCode != 200 || !strings.Contains(me.text(), `"role":"secretariat"`) {
				t.Errorf("/api/v1/me with the page's session: %d %s", me.StatusCode, me.text())
			}
			// Public pages stay the public's: the confidential project is
			// still not shown, even to the secretariat.
			if r := se.do(http.MethodGet, "/projects/anti-smuggling", cookie); r.StatusCode != http.StatusNotFound {
				t.Errorf("the portal showed a confidential project to a signed-in person: %d", r.StatusCode)
			}
			if home := se.do(http.MethodGet, "/?lang=en", cookie).text(); !strings.Contains(home, `href="/staff"`) || strings.Contains(home, `href="/login"`) {
				t.Error("a signed-in person's header should link the workspace")
			}
			if p := se.do(http.MethodGet, "/projects/e-health?lang=en", cookie).text(); !strings.Contains(p, `href="/staff/projects/e-health"`) {
				t.Error("the public project sheet does not offer a signed-in person its staff view")
			}
			// Signed in, /login goes to the workspace.
			redirectTo(t, se.do(http.MethodGet, "/login", cookie), "/staff")

			// Sign out: the session ends on the server, the cookie goes.
			out := se.post(t, "", "/logout", nil, cookie)
			redirectTo(t, out, "/login?signed_out=1")
			if r := se.get(out.Header.Get("Location"), "en"); !strings.Contains(r.text(), "You have signed out.") {
				t.Error("the sign-in page does not say the person signed out")
			}
			if c := out.Cookies(); len(c) != 1 || c[0].Name != "pishran_session" || c[0].MaxAge >= 0 {
				t.Errorf("sign-out cookies %v", c)
			}
			redirectTo(t, se.do(http.MethodGet, "/staff", cookie), "/login?next=%2Fstaff")
			if me := se.do(http.MethodGet, "/api/v1/me", cookie); me.StatusCode != http.StatusUnauthorized {
				t.Errorf("/api/v1/me after signing out: %d", me.StatusCode)
			}
		})
	}
}

// TestStaffLoginNext: a signed-out visitor of a staff page comes back to it
// after signing in; a destination on another site is ignored.
func TestStaffLoginNext(t *testing.T) {
	se := newStaffEnv(t, testkit.Engines()[0])
	r := se.get("/staff/meetings/itec-30", "")
	redirectTo(t, r, "/login?next=%2Fstaff%2Fmeetings%2Fitec-30")
	page := se.get(r.Header.Get("Location"), "en")
	if !strings.Contains(page.text(), `action="/login?next=%2Fstaff%2Fmeetings%2Fitec-30"`) {
		t.Fatalf("the form does not carry next:\n%s", clip(page.text()))
	}
	redirectTo(t, se.post(t, "", "/login?next=%2Fstaff%2Fmeetings%2Fitec-30", url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil),
		"/staff/meetings/itec-30")
	for _, evil := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
		r := se.post(t, "", "/login?next="+url.QueryEscape(evil), url.Values{"username": {"sec"}, "password": {scenario.StaffPassword}}, nil)
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
			var last resp
			for range 10 {
				last = se.post(t, "", "/login?lang=en", url.Values{"username": {"reader1"}, "password": {"wrong password!"}}, nil)
			}
			for _, lang := range []string{"en", "fa"} {
				r := se.post(t, "", "/login?lang="+lang, url.Values{"username": {"reader1"}, "password": {scenario.StaffPassword}}, nil)
				checkPage(t, r, http.StatusTooManyRequests, lang)
				secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
				if err != nil || secs < 60 || secs > 15*60 {
					t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
				}
				want := map[string]string{"en": "This account is locked for a while after repeated failed sign-ins. Try again in 15 minutes.",
					"fa": "این حساب پس از ورودهای ناموفق پیاپی موقتاً قفل شده است. پس از ۱۵ دقیقه دوباره بکوشید."}[lang]
				if !strings.Contains(r.text(), want) {
					t.Errorf("%s lockout page lacks %q:\n%s", lang, want, clip(r.text()))
				}
			}
			if last.StatusCode != http.StatusTooManyRequests {
				t.Errorf("the tenth failure answered %d", last.StatusCode)
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
			evil := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
			oldBrowser := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": nil}
			for _, f := range staffForms(se) {
				for _, h := range []http.Header{evil, oldBrowser} {
					r := se.post(t, f.who, f.path, f.form, h)
					if r.StatusCode != http.StatusForbidden {
						t.Errorf("cross-site POST %s as %q: %d, want 403", f.path, f.who, r.StatusCode)
					}
				}
			}
			// Nothing happened: still signed in, the meeting still planned.
			if r := se.as(t, "sec", "/staff", "en"); r.StatusCode != 200 {
				t.Errorf("the cross-site sign-out took effect: %d", r.StatusCode)
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
				r := se.do(http.MethodGet, p.path, nil)
				redirectTo(t, r, "/login?next="+url.QueryEscape(p.path))
			}
			// A post while signed out goes to the sign-in page too, and
			// does nothing.
			for _, f := range staffForms(se)[2:] {
				redirectTo(t, se.post(t, "", f.path, f.form, nil), "/login?next=%2Fstaff")
			}
			// An ended session is the public's: no hint it ever existed.
			redirectTo(t, se.do(http.MethodGet, "/staff", http.Header{"Cookie": {"pishran_session=" + strings.Repeat("A", 43)}}), "/login")
		})
	}
}

type staffPage struct {
	path  string
	roles []string // roles that get 200
	want  string   // text the page must show (English)
}

// staffPages lists the workspace's pages, who may open each, and what
// each must show.
func staffPages(se *staffEnv) []staffPage {
	all := []string{"sec", "admin1", "council1", "reader1", "moh-focal", "tax-focal"}
	sec := []string{"sec", "admin1"}
	return []staffPage{
		{"/staff", all, "Portfolio dashboard"},
		{"/staff/projects/e-rx", all, "Full membership history"},
		{"/staff/projects/secret-rx", []string{"sec", "admin1", "tax-focal"}, "Audit trail"},
		{"/staff/programs", all, "Lists and designation"},
		{"/staff/programs/gov13-smart-driving/designate", sec, "Check the rules"},
		{"/staff/programs/gov13-smart-driving/designate?project=solo-rx", sec, "blocking rules are broken"},
		{"/staff/meetings", all, "Meetings"},
		{"/staff/meetings/itec-30", all, "Agenda"},
		{"/staff/meetings/itec-29", all, "Connect the pharmacies"},
		{"/staff/agencies/moh/owes", []string{"sec", "admin1", "council1", "reader1", "moh-focal"}, "Progress reports owed"},
		{"/staff/agencies/tax/owes", []string{"sec", "admin1", "council1", "reader1", "tax-focal"}, "Open actions"},
		{"/staff/reports", all, "Progress reports"},
		{"/staff/reports?state=", all, "Progress reports"},
		{"/staff/reports/new", []string{"moh-focal", "tax-focal"}, "Which project is the report on?"},
		{"/staff/reports/new?project=e-rx", []string{"moh-focal"}, "Save the draft"},
		{"/staff/reports/" + strconv.FormatInt(se.MohReport, 10), []string{"sec", "admin1", "moh-focal"}, "Review history"},
		{"/staff/reports/" + strconv.FormatInt(se.MohReport, 10) + "/edit", []string{"moh-focal"}, "Edit the report"},
		{"/staff/reports/" + strconv.FormatInt(se.TaxReport, 10), []string{"sec", "admin1", "tax-focal"}, "Review history"},
		{"/staff/password", all, "Change your password"},
		// The registry's forms (registry_*.go).
		{"/staff/registry", sec, "Lacks, for a designation"},
		{"/staff/projects/new", sec, "Record a new project"},
		{"/staff/projects/solo-rx/edit", sec, "Participating agencies"},
		{"/staff/agencies/new", sec, "Record a new agency"},
		{"/staff/agencies/moh/edit", sec, "Parent agency"},
		{"/staff/laws/new", sec, "Record a new law"},
		{"/staff/laws/plan7/edit", sec, "Article number"},
		{"/staff/programs/new", sec, "Record a new list"},
		{"/staff/programs/gov13-smart-driving/edit", sec, "Adoption stages"},
		{"/staff/programs/gov13-smart-driving/stages", sec, "This list is not a draft"},
		{"/staff/programs/gov13-smart-driving/members", sec, "departure or correction"},
		{"/staff/programs/gov13-smart-driving/members/smart-health", sec, "Record the departure"},
	}
}

// TestStaffPages opens every workspace page in both languages as each role
// that may open it, checks it like every public page (lang and dir, CSP,
// labels, no unknown catalog key), and that the others are refused.
func TestStaffPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for _, p := range staffPages(se) {
				for _, who := range []string{"sec", "admin1", "council1", "reader1", "moh-focal", "tax-focal"} {
					allowed := false
					for _, r := range p.roles {
						allowed = allowed || r == who
					}
					for _, lang := range []string{"fa", "en"} {
						r := se.as(t, who, p.path, lang)
						if !allowed {
							if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
								t.Errorf("%s as %s: %d, want 403 or 404", p.path, who, r.StatusCode)
								continue
							}
							// The refusal is a proper page in the visitor's language.
							checkPage(t, r, r.StatusCode, lang)
							continue
						}
						checkPage(t, r, http.StatusOK, lang)
						if lang == "en" && !strings.Contains(r.text(), p.want) {
							t.Errorf("%s as %s lacks %q", p.path, who, p.want)
						}
					}
				}
			}
		})
	}
}

// TestStaffDashboard checks the dashboard's figures: each chart's data
// matches its table and the fixture.
func TestStaffDashboard(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			r := se.as(t, "sec", "/staff", "en")
			checkPage(t, r, http.StatusOK, "en")
			charts := map[string]chartJSON{}
			for _, m := range regexp.MustCompile(`<canvas id="(chart-[a-z-]+)" class="staff-chart"[^>]* data-chart="([^"]*)"`).FindAllStringSubmatch(r.text(), -1) {
				var c chartJSON
				if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &c); err != nil {
					t.Fatalf("%s: %v", m[1], err)
				}
				charts[m[1]] = c
			}
			for _, id := range []string{"chart-status", "chart-ratings", "chart-over-time", "chart-funnel"} {
				if _, ok := charts[id]; !ok {
					t.Errorf("no %s on the dashboard", id)
				}
			}
			// Status: every visible project is counted once; e-rx's and
			// secret-rx's status is unknown (a baseline, no accepted report).
			st := charts["chart-status"]
			total := 0
			for _, v := range st.Datasets[0].Data {
				total += int(*v)
			}
			// + secret-rx and the reference's anti-smuggling: the secretariat
			// sees confidential projects.
			if want := se.apiCount("/api/v1/projects") + 2; total != want {
				t.Errorf("status chart counts %d projects, want %d", total, want)
			}
			// Council ratings: e-rx's latest is 3.
			rt := charts["chart-ratings"]
			if len(rt.Labels) != 6 || *rt.Datasets[0].Data[2] != 1 || !strings.HasPrefix(rt.Labels[2], "3 — ") {
				t.Errorf("ratings chart %+v", rt)
			}
			// Over time: the two months with ratings have averages.
			ot := charts["chart-over-time"]
			if len(ot.Datasets) != 2 || len(ot.Labels) < 2 {
				t.Fatalf("over-time chart %+v", ot)
			}
			found := 0
			for _, v := range ot.Datasets[0].Data {
				if v != nil {
					found++
				}
			}
			if found != 2 {
				t.Errorf("over-time chart: %d months with council ratings, want 2: %+v", found, ot.Datasets[0].Data)
			}
			// Overdue action and stale reports.
			for _, want := range []string{"Connect the pharmacies", `href="/staff/agencies/moh/owes"`, "Electronic prescription",
				"Overdue reports", `href="/staff/projects/e-rx"`, "Projects at each adoption stage"} {
				if !strings.Contains(r.text(), want) {
					t.Errorf("dashboard lacks %q", want)
				}
			}
			// Each chart has a table with the same figures: the status rows.
			for i, label := range st.Labels {
				row := regexp.MustCompile(`(?s)<span class="badge rag-[a-z]+">` + regexp.QuoteMeta(label) + `</span></th><td class="num">(\d+)</td>`).FindStringSubmatch(r.text())
				if row == nil || row[1] != strconv.Itoa(int(*st.Datasets[0].Data[i])) {
					t.Errorf("status table row %q = %v, chart %v", label, row, *st.Datasets[0].Data[i])
				}
			}
			// The public never sees secret-rx; an agency not on it neither.
			if strings.Contains(se.as(t, "moh-focal", "/staff", "en").text(), "Confidential prescription") {
				t.Error("moh sees the confidential project on the dashboard")
			}
			// Narrowed to a list.
			if r := se.as(t, "sec", "/staff?program=gov13-smart-driving", "en"); r.StatusCode != 200 {
				t.Errorf("dashboard for a list: %d", r.StatusCode)
			}
			if r := se.as(t, "sec", "/staff?program=nope", "en"); r.StatusCode != 404 {
				t.Errorf("dashboard for an unknown list: %d", r.StatusCode)
			}
		})
	}
}

type chartJSON struct {
	Type     string   `json:"type"`
	Labels   []string `json:"labels"`
	Datasets []struct {
		Label string     `json:"label"`
		Data  []*float64 `json:"data"`
	} `json:"datasets"`
	RTL bool `json:"rtl"`
}

// TestStaffDesignate: each rule's verdict before submitting (the page and
// the htmx fragment), a refusal naming every broken rule, a designation.
func TestStaffDesignate(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const base = "/staff/programs/gov13-smart-driving/designate"
			broken := regexp.MustCompile(`<li class="verdict verdict-fail" data-rule="([a-z-]+)">`)
			rules := func(body string) []string {
				var out []string
				for _, m := range broken.FindAllStringSubmatch(body, -1) {
					out = append(out, m[1])
				}
				return out
			}
			want := "[legal-mandate multi-agency]"
			// Without JavaScript: the "check" button reloads the page.
			page := se.as(t, "sec", base+"?project=solo-rx", "en")
			checkPage(t, page, http.StatusOK, "en")
			if got := fmt.Sprint(rules(page.text())); got != want {
				t.Errorf("page verdicts: broken %s, want %s", got, want)
			}
			if n := strings.Count(page.text(), `class="verdict verdict-pass"`); n != 6 {
				t.Errorf("%d rules pass on the page, want the other 6", n)
			}
			// With htmx: the fragment alone.
			h := http.Header{"Cookie": {"pishran_session=" + se.SignIn("sec")}, "Hx-Request": {"true"}}
			frag := se.do(http.MethodGet, base+"/check?project=solo-rx&lang=fa", h)
			if frag.StatusCode != 200 || strings.Contains(frag.text(), "<html") || fmt.Sprint(rules(frag.text())) != want ||
				!strings.Contains(frag.text(), "پشتوانه قانونی") {
				t.Errorf("fragment: %d\n%s", frag.StatusCode, clip(frag.text()))
			}
			if frag.Header.Get("Content-Security-Policy") != wantCSP {
				t.Error("the fragment lacks the CSP")
			}
			// Without HX-Request the check address is the page.
			redirectTo(t, se.as(t, "sec", base+"/check?project=solo-rx", ""), base+"?project=solo-rx")
			// An unknown project: said in the panel, not a server error.
			if r := se.do(http.MethodGet, base+"/check?project=nope&lang=en", h); r.StatusCode != 200 || !strings.Contains(r.text(), "no project with this slug") {
				t.Errorf("unknown project fragment: %d %s", r.StatusCode, clip(r.text()))
			}

			// Submitting the broken one: refused, every broken rule named.
			r := se.post(t, "sec", base+"?lang=en", url.Values{"project": {"solo-rx"}, "stage": {"council"}}, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "en")
			body := r.text()
			alert := body[strings.Index(body, `id="form-error"`):]
			alert = alert[:strings.Index(alert, "</div>")]
			for _, rule := range []string{"legal-mandate", "multi-agency"} {
				if !strings.Contains(alert, "<code>"+rule+"</code>") {
					t.Errorf("the refusal does not name %s:\n%s", rule, alert)
				}
			}
			if !strings.Contains(body, `<option value="solo-rx" selected>`) || !strings.Contains(body, `<option value="council" selected>`) {
				t.Error("the refused form lost its values")
			}
			if ms, _, err := se.svc.Members(se.Ctx, service.System, "gov13-smart-driving", domain.MemberFilter{}, domain.Page{}); err != nil || slices.ContainsFunc(ms, func(m *domain.Member) bool { return m.Project == "solo-rx" }) {
				t.Errorf("the refused designation was recorded (%v)", err)
			}

			// The good one: designated, the page says so.
			r = se.post(t, "sec", base, url.Values{"project": {"e-rx"}, "main": {"on"}, "date": {se.Today.String()}, "note_en": {"by the council"}}, nil)
			redirectTo(t, r, base+"?done=e-rx")
			done := se.as(t, "sec", r.Header.Get("Location"), "en")
			if !strings.Contains(done.text(), "is designated into the list") {
				t.Errorf("no confirmation:\n%s", clip(done.text()))
			}
			m, ok := memberOf(t, se, "gov13-smart-driving", "e-rx")
			if !ok || !m.Active || !m.Main {
				t.Errorf("e-rx membership %+v", m)
			}
			// The project's staff page shows the event and the audit entry.
			sp := se.as(t, "sec", "/staff/projects/e-rx", "en").text()
			for _, want := range []string{"entered", "by the council", "<code>designate</code>"} {
				if !strings.Contains(sp, want) {
					t.Errorf("project page after designation lacks %q", want)
				}
			}
			// Only the secretariat designates.
			if r := se.post(t, "moh-focal", base, url.Values{"project": {"solo-rx"}}, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("an agency's designation: %d", r.StatusCode)
			}
		})
	}
}

func memberOf(t *testing.T, se *staffEnv, program, project string) (*domain.Member, bool) {
	t.Helper()
	ms, _, err := se.svc.Members(se.Ctx, service.System, program, domain.MemberFilter{}, domain.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Project == project {
			return m, true
		}
	}
	return nil, false
}

// agendaForm reads the agenda editor's fields off the page: every item's
// key (pos.KEY), kept or not.
func agendaForm(t *testing.T, page string) (url.Values, []string) {
	t.Helper()
	form := url.Values{}
	var keys []string
	for _, m := range regexp.MustCompile(`name="pos\.([^"]+)" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		key := html.UnescapeString(m[1])
		keys = append(keys, key)
		form.Set("pos."+key, m[2])
		form.Set("keep."+key, "on")
	}
	if len(keys) == 0 {
		t.Fatalf("no agenda rows on the page:\n%s", clip(page))
	}
	return form, keys
}

// TestStaffMeeting builds a session's agenda from the proposal (reorder,
// drop with a reason, add), holds it, records outcomes, follows up the
// carried action, and closes it.
func TestStaffMeeting(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const base = "/staff/meetings/itec-30"
			page := se.as(t, "sec", base, "en")
			checkPage(t, page, http.StatusOK, "en")
			for _, want := range []string{"Pishran&#39;s proposed agenda", "Connect the pharmacies", "open action carried over",
				`href="/api/v1/meetings/itec-30/minutes?format=html&amp;lang=fa"`, "Record the session as held"} {
				if !strings.Contains(page.text(), want) {
					t.Errorf("meeting page lacks %q", want)
				}
			}
			form, keys := agendaForm(t, page.text())
			action := "action:" + strconv.FormatInt(se.Action, 10)
			if !slices.Contains(keys, action) {
				t.Fatalf("the carried action %s is not proposed: %v", action, keys)
			}
			// Dropping without a reason is refused, in the page's language.
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Del("keep." + keys[0])
			r := se.post(t, "sec", base+"/agenda?lang=fa&v=1", bad, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "fa")
			if !strings.Contains(r.text(), `id="form-error"`) {
				t.Errorf("no refusal shown:\n%s", clip(r.text()))
			}
			// The action last → first; the first item dropped, with a
			// reason; solo-rx and another subject added.
			form.Set("pos."+action, "0")
			first := keys[0]
			if first == action {
				first = keys[1]
			}
			form.Del("keep." + first)
			form.Set("drop."+first, "discussed last week")
			form.Set("add_project", "solo-rx")
			form.Set("add_title_en", "Budget for next year")
			redirectTo(t, se.post(t, "sec", base+"/agenda?lang=en&v=1", form, nil), base+"?done=agenda")
			m, err := se.svc.Meeting(se.Ctx, service.System, "itec-30")
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Agenda) != len(keys)+2 || m.Agenda[0].Key() != action {
				t.Fatalf("saved agenda %+v", m.Agenda)
			}
			var dropped, added int
			for _, it := range m.Agenda {
				if it.Dropped && it.Key() == first && it.DropReason.EN == "discussed last week" {
					dropped++
				}
				if (it.Project == "solo-rx" || it.Title.EN == "Budget for next year") && slices.Contains(it.Reasons, "added") {
					added++
				}
			}
			if dropped != 1 || added != 2 {
				t.Errorf("dropped %d, added %d in %+v", dropped, added, m.Agenda)
			}
			// A stale page's write is refused, not applied.
			r = se.post(t, "sec", base+"/hold?lang=en&v=1", nil, nil)
			if r.StatusCode != http.StatusPreconditionFailed || !strings.Contains(r.text(), "The record changed after this page was opened") {
				t.Errorf("stale hold: %d\n%s", r.StatusCode, clip(r.text()))
			}
			// Hold, with the version the page shows.
			page = se.as(t, "sec", base, "en")
			hold := regexp.MustCompile(`action="(/staff/meetings/itec-30/hold\?v=\d+)"`).FindStringSubmatch(page.text())
			if hold == nil {
				t.Fatal("no hold form")
			}
			redirectTo(t, se.post(t, "sec", html.UnescapeString(hold[1]), nil, nil), base+"?done=held")

			// Outcomes: a decision, an action, information.
			for _, f := range []url.Values{
				{"kind": {"decision"}, "resolution": {"30/1"}, "text_en": {"Adopt the e-prescription roll-out"}, "projects": {"e-rx"}},
				{"kind": {"action"}, "text_en": {"Report on pharmacies"}, "owner": {"moh"}, "due": {se.Today.AddDays(30).String()}, "more_projects": {"e-rx"}},
				{"kind": {"information"}, "text_fa": {"گزارش پیشرفت ارائه شد"}},
			} {
				redirectTo(t, se.post(t, "sec", base+"/outcomes", f, nil), base+"?done=outcome")
			}
			// A decision without its number is refused, naming the field.
			r = se.post(t, "sec", base+"/outcomes?lang=en", url.Values{"kind": {"decision"}, "text_en": {"x"}}, nil)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "the resolution number is required") ||
				!strings.Contains(r.text(), `value="decision" checked`) {
				t.Errorf("decision without number: %d\n%s", r.StatusCode, clip(r.text()))
			}
			// The carried action, discussed at this session.
			page = se.as(t, "sec", base, "en")
			disc := regexp.MustCompile(`action="(/staff/meetings/itec-30/actions/` + strconv.FormatInt(se.Action, 10) + `/discuss\?v=\d+)"`).FindStringSubmatch(page.text())
			if disc == nil {
				t.Fatalf("no follow-up form for the carried action:\n%s", clip(page.text()))
			}
			redirectTo(t, se.post(t, "sec", html.UnescapeString(disc[1]), url.Values{"note_en": {"pharmacies in two provinces connected"}}, nil), base+"?done=action")
			act, err := se.svc.Action(se.Ctx, service.System, se.Action)
			if err != nil || act.Events[len(act.Events)-1].Type != "discussed" || act.Events[len(act.Events)-1].Meeting != "itec-30" {
				t.Errorf("action after discussion: %+v %v", act, err)
			}
			// Close, after the confirmation page.
			page = se.as(t, "sec", base+"/close", "en")
			cl := regexp.MustCompile(`action="(/staff/meetings/itec-30/close\?v=\d+)"`).FindStringSubmatch(page.text())
			if cl == nil {
				t.Fatal("no close form")
			}
			redirectTo(t, se.post(t, "sec", html.UnescapeString(cl[1]), url.Values{"confirm": {"on"}}, nil), base+"?done=closed")
			page = se.as(t, "sec", base, "fa")
			checkPage(t, page, http.StatusOK, "fa")
			if !strings.Contains(page.text(), "این جلسه بسته است") || strings.Contains(page.text(), `name="pos.`) {
				t.Error("a closed session still offers its editor")
			}
			// The printable minutes, as a signed-in person reads them.
			min := se.as(t, "sec", "/api/v1/meetings/itec-30/minutes?lang=en&format=html", "")
			if min.StatusCode != 200 || !strings.Contains(min.text(), "Adopt the e-prescription roll-out") {
				t.Errorf("minutes: %d", min.StatusCode)
			}
			// Only the secretariat runs meetings.
			if r := se.post(t, "moh-focal", base+"/outcomes", url.Values{"kind": {"information"}, "text_en": {"x"}}, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("an agency recorded an outcome: %d", r.StatusCode)
			}
		})
	}
}

// TestStaffReports: an agency writes, edits and submits a report; the
// secretariat returns it, the agency resubmits, the secretariat accepts it;
// another agency is told the report does not exist.
func TestStaffReports(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			ms := &domain.Milestone{Project: "e-rx", Title: domain.T("آزمایش", "Pilot"), Planned: ptr(se.Today.AddDays(60))}
			if err := se.svc.CreateMilestone(se.Ctx, sec, ms); err != nil {
				t.Fatal(err)
			}
			// Step one offers moh's projects; step two the form.
			choose := se.as(t, "moh-focal", "/staff/reports/new", "en")
			if !strings.Contains(choose.text(), `<option value="e-rx">`) || strings.Contains(choose.text(), `value="secret-rx"`) {
				t.Errorf("project choice:\n%s", clip(choose.text()))
			}
			period := string(se.LastMonth.Add(-1))
			form := se.as(t, "moh-focal", "/staff/reports/new?project=e-rx&period="+period, "fa")
			checkPage(t, form, http.StatusOK, "fa")
			if !strings.Contains(form.text(), `<option value="`+period+`" selected>`) || !strings.Contains(form.text(), `name="ms.`+strconv.FormatInt(ms.ID, 10)+`"`) {
				t.Errorf("report form:\n%s", clip(form.text()))
			}
			// A bad percent is refused with the form as it was.
			bad := url.Values{"period": {period}, "narrative_en": {"pilot started"}, "ms." + strconv.FormatInt(ms.ID, 10): {"140"}}
			r := se.post(t, "moh-focal", "/staff/reports?project=e-rx&lang=en", bad, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.text(), "percent complete must be between 0 and 100") || !strings.Contains(r.text(), "pilot started") {
				t.Errorf("refused report form:\n%s", clip(r.text()))
			}
			good := url.Values{"period": {period}, "narrative_fa": {"آزمایش در سه استان"}, "narrative_en": {"pilot in three provinces"},
				"projected_end": {se.Today.AddDays(400).String()}, "projected_cost": {"1۲۰۰۰۰۰۰۰۰"}, "ms." + strconv.FormatInt(ms.ID, 10): {"40"},
				"risk.1_en": {"data exchange delays"}, "risksev.1": {"high"}}
			r = se.post(t, "moh-focal", "/staff/reports?project=e-rx", good, nil)
			redirectTo(t, r, "/staff/reports/")
			loc := r.Header.Get("Location")
			id, err := strconv.ParseInt(strings.TrimPrefix(strings.Split(loc, "?")[0], "/staff/reports/"), 10, 64)
			if err != nil {
				t.Fatal(loc)
			}
			rep, err := se.svc.Report(se.Ctx, sec, id)
			if err != nil || rep.State != "draft" || *rep.ProjectedCost != 1_200_000_000 || len(rep.Milestones) != 1 || rep.Milestones[0].Percent != 40 ||
				len(rep.Risks) != 1 || rep.Risks[0].Severity != "high" {
				t.Fatalf("created report %+v (%v)", rep, err)
			}
			page := se.as(t, "moh-focal", loc, "en")
			for _, want := range []string{"The draft is saved", "pilot in three provinces", "Submit for review", "data exchange delays"} {
				if !strings.Contains(page.text(), want) {
					t.Errorf("report page lacks %q", want)
				}
			}
			// Another agency: not found — on the page and on every act.
			sid := strconv.FormatInt(id, 10)
			for _, p := range []string{"/staff/reports/" + sid, "/staff/reports/" + sid + "/edit", "/staff/reports/" + strconv.FormatInt(se.TaxReport, 10)} {
				if r := se.as(t, "moh-focal", p, "en"); p == "/staff/reports/"+strconv.FormatInt(se.TaxReport, 10) && r.StatusCode != http.StatusNotFound {
					t.Errorf("moh opening tax's report %s: %d", p, r.StatusCode)
				}
				if r := se.as(t, "tax-focal", p, "en"); p != "/staff/reports/"+strconv.FormatInt(se.TaxReport, 10) && r.StatusCode != http.StatusNotFound {
					t.Errorf("tax opening moh's report %s: %d, want 404", p, r.StatusCode)
				}
			}
			if r := se.post(t, "tax-focal", "/staff/reports/"+sid+"/submit", nil, nil); r.StatusCode != http.StatusNotFound {
				t.Errorf("tax submitting moh's report: %d", r.StatusCode)
			}
			// The review queue does not list a draft.
			if strings.Contains(se.as(t, "sec", "/staff/reports", "en").text(), `href="/staff/reports/`+sid+`"`) {
				t.Error("a draft is in the review queue")
			}
			// Edit: the form carries the version; a stale one is refused.
			edit := se.as(t, "moh-focal", "/staff/reports/"+sid+"/edit", "en")
			act := regexp.MustCompile(`action="(/staff/reports/` + sid + `\?v=\d+)"`).FindStringSubmatch(edit.text())
			if act == nil || !strings.Contains(edit.text(), ">pilot in three provinces</textarea>") {
				t.Fatalf("edit form:\n%s", clip(edit.text()))
			}
			good.Set("narrative_en", "pilot in four provinces")
			redirectTo(t, se.post(t, "moh-focal", html.UnescapeString(act[1]), good, nil), "/staff/reports/"+sid+"?done=saved")
			if r := se.post(t, "moh-focal", html.UnescapeString(act[1])+"&lang=en", good, nil); r.StatusCode != http.StatusPreconditionFailed {
				t.Errorf("a stale edit: %d", r.StatusCode)
			}
			submit := func(who string) {
				t.Helper()
				page := se.as(t, who, "/staff/reports/"+sid, "en")
				m := regexp.MustCompile(`action="(/staff/reports/` + sid + `/submit\?v=\d+)"`).FindStringSubmatch(page.text())
				if m == nil {
					t.Fatalf("no submit form:\n%s", clip(page.text()))
				}
				redirectTo(t, se.post(t, who, html.UnescapeString(m[1]), nil, nil), "/staff/reports/"+sid+"?done=submitted")
			}
			submit("moh-focal")
			// In the queue now; returning needs a comment.
			if !strings.Contains(se.as(t, "sec", "/staff/reports", "en").text(), `href="/staff/reports/`+sid+`"`) {
				t.Error("the submitted report is not in the review queue")
			}
			review := se.as(t, "sec", "/staff/reports/"+sid, "en")
			ret := regexp.MustCompile(`formaction="(/staff/reports/` + sid + `/return\?v=\d+)"`).FindStringSubmatch(review.text())
			if ret == nil {
				t.Fatalf("no review form:\n%s", clip(review.text()))
			}
			r = se.post(t, "sec", html.UnescapeString(ret[1])+"&lang=en", nil, nil)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "returning a report needs a comment") {
				t.Errorf("return without a comment: %d", r.StatusCode)
			}
			redirectTo(t, se.post(t, "sec", html.UnescapeString(ret[1]), url.Values{"comment_en": {"attach the pilot's evidence"}}, nil), "/staff/reports/"+sid+"?done=returned")
			// The agency sees the comment, adds a link and resubmits.
			page = se.as(t, "moh-focal", "/staff/reports/"+sid, "en")
			if !strings.Contains(page.text(), "attach the pilot&#39;s evidence") {
				t.Error("the agency does not see the secretariat's comment")
			}
			ev := regexp.MustCompile(`action="(/staff/reports/` + sid + `/evidence\?v=\d+)"`).FindStringSubmatch(page.text())
			if ev == nil {
				t.Fatal("no evidence form")
			}
			redirectTo(t, se.post(t, "moh-focal", html.UnescapeString(ev[1]), url.Values{"url": {"https://example.org/pilot"}, "title_en": {"Pilot results"}}, nil), "/staff/reports/"+sid+"?done=evidence")
			submit("moh-focal")
			review = se.as(t, "sec", "/staff/reports/"+sid, "en")
			acc := regexp.MustCompile(`action="(/staff/reports/` + sid + `/accept\?v=\d+)"`).FindStringSubmatch(review.text())
			if acc == nil {
				t.Fatal("no accept form")
			}
			redirectTo(t, se.post(t, "sec", html.UnescapeString(acc[1]), nil, nil), "/staff/reports/"+sid+"?done=accepted")
			rep, err = se.svc.Report(se.Ctx, sec, id)
			if err != nil || rep.State != "accepted" || len(rep.Evidence) != 1 {
				t.Fatalf("after acceptance: %+v %v", rep, err)
			}
			// It counts: the project's last accepted report is its period.
			h, err := se.svc.ProjectHealth(se.Ctx, sec, "e-rx", nil)
			if err != nil || h.LastReport == nil || h.LastReport.ID != id {
				t.Errorf("health after acceptance: %+v %v", h, err)
			}
			// The agency may not accept; the secretariat may not write one.
			if r := se.post(t, "moh-focal", "/staff/reports/"+strconv.FormatInt(se.MohReport, 10)+"/accept", nil, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("an agency accepting: %d", r.StatusCode)
			}
			if r := se.post(t, "sec", "/staff/reports?project=e-rx", good, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("the secretariat writing a report: %d", r.StatusCode)
			}
		})
	}
}

// TestStaffRatings: the secretariat enters the council's rating and an
// agency on the project its own; a refusal shows the form again.
func TestStaffRatings(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			page := se.as(t, "sec", "/staff/projects/e-rx", "en").text()
			if !strings.Contains(page, "Enter the council&#39;s rating") || !strings.Contains(page, `id="score-5"`) {
				t.Error("no council rating form for the secretariat")
			}
			if strings.Contains(se.as(t, "reader1", "/staff/projects/e-rx", "en").text(), `name="score"`) ||
				strings.Contains(se.as(t, "tax-focal", "/staff/projects/e-rx", "en").text(), `name="score"`) {
				t.Error("a rating form for someone who may not rate e-rx")
			}
			r := se.post(t, "sec", "/staff/projects/e-rx/ratings?lang=en", url.Values{"score": {"2"}}, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.text(), `id="score-2" name="score" value="2" required checked`) || !strings.Contains(r.text(), `id="form-error"`) {
				t.Errorf("refused rating:\n%s", clip(r.text()))
			}
			redirectTo(t, se.post(t, "sec", "/staff/projects/e-rx/ratings", url.Values{"score": {"2"}, "comment_en": {"pharmacies lag"}}, nil), "/staff/projects/e-rx?done=rated")
			redirectTo(t, se.post(t, "moh-focal", "/staff/projects/e-rx/ratings", url.Values{"score": {"4"}, "comment_fa": {"خوب"}}, nil), "/staff/projects/e-rx?done=rated")
			rs, err := se.svc.Ratings(se.Ctx, service.System, "e-rx")
			if err != nil || len(rs) != 5 {
				t.Fatalf("ratings %v %v", rs, err)
			}
			var council, self bool
			for _, x := range rs {
				council = council || (x.Kind == "council" && x.Score == 2 && x.RecordedBy == "user:sec")
				self = self || (x.Kind == "self" && x.Score == 4 && x.Agency == "moh" && x.Comment.FA == "خوب")
			}
			if !council || !self {
				t.Errorf("ratings recorded %+v", rs)
			}
			if r := se.post(t, "tax-focal", "/staff/projects/e-rx/ratings", url.Values{"score": {"4"}, "comment_en": {"x"}}, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("an agency not on the project rating it: %d", r.StatusCode)
			}
			if r := se.post(t, "moh-focal", "/staff/projects/secret-rx/ratings", url.Values{"score": {"4"}, "comment_en": {"x"}}, nil); r.StatusCode != http.StatusNotFound {
				t.Errorf("an agency rating a confidential project it is not on: %d", r.StatusCode)
			}
			// The audit trail shows the ratings, to the secretariat only.
			audit := se.as(t, "sec", "/staff/projects/e-rx", "en").text()
			if !strings.Contains(audit, "<code>rate</code>") || !strings.Contains(audit, "user:moh-focal") {
				t.Error("the audit trail lacks the ratings")
			}
			if strings.Contains(se.as(t, "council1", "/staff/projects/e-rx", "en").text(), "<code>rate</code>") {
				t.Error("a council member sees the audit trail")
			}
		})
	}
}

// TestStaffOwes: what an agency owes; another agency's page is not found.
func TestStaffOwes(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			r := se.as(t, "moh-focal", "/staff/agencies/moh/owes", "en")
			checkPage(t, r, http.StatusOK, "en")
			for _, want := range []string{"Connect the pharmacies", "Electronic prescription", "Write the report",
				`href="/staff/reports/` + strconv.FormatInt(se.MohReport, 10) + `"`} {
				if !strings.Contains(r.text(), want) {
					t.Errorf("moh's page lacks %q", want)
				}
			}
			if strings.Contains(se.as(t, "sec", "/staff/agencies/moh/owes", "en").text(), "Write the report") {
				t.Error("the secretariat is offered to write moh's report")
			}
			if r := se.as(t, "moh-focal", "/staff/agencies/tax/owes", "en"); r.StatusCode != http.StatusNotFound {
				t.Errorf("moh opening tax's page: %d", r.StatusCode)
			}
			if r := se.as(t, "sec", "/staff/agencies/nope/owes", "en"); r.StatusCode != http.StatusNotFound {
				t.Errorf("an unknown agency: %d", r.StatusCode)
			}
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
			r := se.post(t, "", "/login", url.Values{"username": {"newbie"}, "password": {scenario.StaffPassword}}, nil)
			redirectTo(t, r, "/staff/password")
			var secret string
			for _, c := range r.Cookies() {
				if c.Name == "pishran_session" {
					secret = c.Value
				}
			}
			cookie := http.Header{"Cookie": {"pishran_session=" + secret}}
			redirectTo(t, se.do(http.MethodGet, "/staff", cookie), "/staff/password")
			redirectTo(t, se.do(http.MethodGet, "/staff/projects/e-rx", cookie), "/staff/password")
			page := se.do(http.MethodGet, "/staff/password?lang=en", cookie)
			checkPage(t, page, http.StatusOK, "en")
			if !strings.Contains(page.text(), "change the password an admin set for you") || strings.Contains(page.text(), `href="/staff"`) {
				t.Errorf("password page for a pending account:\n%s", clip(page.text()))
			}
			// Mismatch, then a wrong current password, then the change.
			r = se.post(t, "", "/staff/password?lang=en", url.Values{"current_password": {scenario.StaffPassword}, "new_password": {"a brand new password"},
				"confirm_password": {"another one entirely"}}, cookie)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "The two new passwords differ.") {
				t.Errorf("mismatch: %d", r.StatusCode)
			}
			r = se.post(t, "", "/staff/password?lang=en", url.Values{"current_password": {"not it at all"}, "new_password": {"a brand new password"},
				"confirm_password": {"a brand new password"}}, cookie)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "the current password is wrong") {
				t.Errorf("wrong current password: %d\n%s", r.StatusCode, clip(r.text()))
			}
			redirectTo(t, se.post(t, "", "/staff/password", url.Values{"current_password": {scenario.StaffPassword}, "new_password": {"a brand new password"},
				"confirm_password": {"a brand new password"}}, cookie), "/staff/password?done=1")
			if r := se.do(http.MethodGet, "/staff?lang=en", cookie); r.StatusCode != 200 {
				t.Errorf("after the change, the session still cannot open the workspace: %d", r.StatusCode)
			}
		})
	}
}

// TestStaffRatingHistory: the dashboard's rating history leaves out what
// the person may not see (service.RatingHistory).
func TestStaffRatingHistory(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			if err := se.svc.Rate(se.Ctx, sec, &domain.Rating{Project: "secret-rx", Kind: domain.CouncilRating, Score: 2,
				Comment: domain.T("", "late")}); err != nil {
				t.Fatal(err)
			}
			slugs := []string{"e-rx", "secret-rx", "nope"}
			all, err := se.svc.RatingHistory(se.Ctx, sec, slugs)
			if err != nil || len(all["e-rx"]) != 3 || len(all["secret-rx"]) != 1 || len(all) != 2 {
				t.Errorf("as the secretariat: %v %v", all, err)
			}
			moh, err := se.svc.RatingHistory(se.Ctx, service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}, slugs)
			if err != nil || len(moh) != 1 || len(moh["e-rx"]) != 3 {
				t.Errorf("as moh: %v %v", moh, err)
			}
			pub, err := se.svc.RatingHistory(se.Ctx, service.Anonymous, slugs)
			if err != nil || len(pub) != 1 {
				t.Errorf("as the public: %v %v", pub, err)
			}
			// On the dashboard: the council's ratings this month count
			// secret-rx for the secretariat only.
			month := func(who string) int {
				r := se.as(t, who, "/staff", "en").text()
				m := regexp.MustCompile(`(?s)<th scope="row"><span class="period" data-period="` + string(domain.PeriodOf(se.Today)) + `">[^<]+</span></th><td class="num">[^<]*</td><td class="num">(\d+)</td>`).FindStringSubmatch(r)
				if m == nil {
					t.Fatalf("no row for this month on %s's dashboard", who)
				}
				n, _ := strconv.Atoi(m[1])
				return n
			}
			if s, m := month("sec"), month("moh-focal"); s != m+1 {
				t.Errorf("this month's council ratings: %d for the secretariat, %d for moh; want one more (secret-rx's) for the secretariat", s, m)
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
		if r := se.post(t, "", "/login?lang=en", url.Values{"username": {u}, "password": {"wrong password!"}}, nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %s: %d", u, r.StatusCode)
		}
	}
	r := se.post(t, "", "/login?lang=en", url.Values{"username": {"council1"}, "password": {scenario.StaffPassword}}, nil)
	checkPage(t, r, http.StatusTooManyRequests, "en")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs < 3000 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.text(), "Too many failed attempts from this address. Try again in 60 minutes.") {
		t.Errorf("throttle page:\n%s", clip(r.text()))
	}
}
