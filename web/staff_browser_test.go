package web_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The staff workspace in a real headless Chromium, with the harness of
// browser_test.go (same checks: lang and dir, the font, no console error or
// CSP violation, no request to another origin; screenshots in the same
// folder): signing in with the keyboard, the dashboard's charts, a
// designation that breaks two rules with both verdicts shown before
// submitting, a report with a file uploaded as evidence, submitted and
// accepted, and a meeting's agenda built, the meeting held and closed.

func newStaffBrowser(t *testing.T) (*browserEnv, *staffEnv) {
	t.Helper()
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	se := newStaffEnv(t, testkit.Engines()[0])
	return startBrowser(t, se.env), se
}

// signedIn sets the session cookie of name before the page opens.
func (b *browserEnv) signedIn(t *testing.T, se *staffEnv, name string) chromedp.Action[chromedp.Void] {
	secret := se.SignIn(name)
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "pishran_session", Value: secret,
			URL: b.URL, HTTPOnly: ptr(true), SameSite: network.CookieSameSiteLax})
		return err
	})
}

// waitFor evaluates a JavaScript condition until it holds, across page
// loads (a form's post and its redirect), then waits for the fonts.
func (tb *tab) waitFor(t *testing.T, cond string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+cond+`) } catch (e) { return false } })()`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			state, serr := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 1500)`))
			t.Fatalf("waited in vain for %s (%v); the page (%v):\n%s", cond, err, serr, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
}

// forgive drops from the page's errors the failed load a refusal page
// causes (the browser logs a 401 or 422 answer as one): the test asked for
// it. It must be there, or the refusal did not answer as it should.
func (tb *tab) forgive(t *testing.T, what string) {
	t.Helper()
	time.Sleep(100 * time.Millisecond)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	n := len(tb.errors)
	tb.errors = slices.DeleteFunc(tb.errors, func(e string) bool { return strings.Contains(e, what) })
	if len(tb.errors) == n {
		t.Errorf("no %q among the page's errors %q", what, tb.errors)
	}
}

func (tb *tab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// painted counts the pixels a canvas has drawn.
func (tb *tab) painted(t *testing.T, id string) int {
	t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`(() => {
		const c = document.getElementById(`+strconv.Quote(id)+`);
		if (!c || c.getAttribute('data-drawn') !== 'true' || c.width === 0) return 0;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBrowserStaffLogin signs in with the keyboard only (type, Enter), in
// Persian and English: a wrong password is refused on the page, the right
// one opens the dashboard with its charts drawn; then signs out.
func TestBrowserStaffLogin(t *testing.T) {
	b, _ := newStaffBrowser(t)
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) {
			tb := b.open(t, "/login?lang="+lang, 1280, 900)
			b.check(t, tb, lang)
			b.screenshot(t, tb, "staff-login-"+lang)
			// Keyboard only: the username field has the focus on arrival.
			focused, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.activeElement.id`))
			if err != nil || focused != "login-username" {
				t.Errorf("focus on arrival: %q (%v)", focused, err)
			}
			tb.do(t, chromedp.KeyEvent("sec"), chromedp.KeyEvent("\t"), chromedp.KeyEvent("wrong password\r"))
			tb.waitFor(t, `document.querySelector('[role=alert]')`)
			msg := map[string]string{"fa": "نام کاربری یا گذرواژه درست نیست.", "en": "The username or the password is not right."}[lang]
			if !strings.Contains(tb.text(t), msg) {
				t.Errorf("no refusal message %q", msg)
			}
			b.screenshot(t, tb, "staff-login-refused-"+lang)
			tb.forgive(t, "status of 401")
			// The username is kept and the password field has the focus.
			tb.do(t, chromedp.KeyEvent(scenario.StaffPassword+"\r"))
			tb.waitFor(t, `location.pathname === "/staff" && document.querySelectorAll("canvas.staff-chart[data-drawn=true]").length === 4`)
			b.check(t, tb, lang)
			for _, id := range []string{"chart-status", "chart-ratings", "chart-over-time", "chart-funnel"} {
				if n := tb.painted(t, id); n < 500 {
					t.Errorf("%s: %d painted pixels", id, n)
				}
			}
			b.screenshot(t, tb, "staff-dashboard-"+lang)
			// Sign out with the keyboard: focus the header's button, Enter.
			tb.do(t, chromedp.Focus(chromedp.CSS(".signout button")), chromedp.KeyEvent("\r"))
			tb.waitFor(t, `location.pathname === "/login" && document.querySelector('.notice[role=status]') && document.querySelector('a[href="/login"]')`)
		})
	}
}

// TestBrowserStaffDashboardPhone: the dashboard at phone width, signed in:
// nothing wider than the screen (check), the charts drawn.
func TestBrowserStaffDashboardPhone(t *testing.T) {
	b, se := newStaffBrowser(t)
	tb := b.open(t, "/staff?lang=fa", 390, 844, b.signedIn(t, se, "sec"))
	tb.waitFor(t, `document.querySelectorAll("canvas.staff-chart[data-drawn=true]").length === 4`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-dashboard-fa-phone")
}

// TestBrowserStaffDesignate chooses, with the keyboard, a project that
// breaks two rules: htmx shows both verdicts before anything is submitted;
// submitting is refused, naming both. Without JavaScript's help (the check
// button's address) the Persian page shows the same verdicts.
func TestBrowserStaffDesignate(t *testing.T) {
	b, se := newStaffBrowser(t)
	const base = "/staff/programs/gov13-smart-driving/designate"
	tb := b.open(t, base+"?lang=en", 1280, 900, b.signedIn(t, se, "sec"))
	broken := `[...document.querySelectorAll('#verdicts .verdict-fail')].map(li => li.getAttribute('data-rule')).join(' ')`
	// Typing on the focused list picks the option that starts so.
	tb.do(t, chromedp.Focus(chromedp.ID("designate-project")), chromedp.KeyEvent("Single-"))
	tb.waitFor(t, broken+` === "legal-mandate multi-agency"`)
	if n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#verdicts .verdict-pass').length`)); err != nil || n != 6 {
		t.Errorf("%d rules shown as met, want 6 (%v)", n, err)
	}
	loc, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.search`))
	if strings.Contains(loc, "project=") {
		t.Errorf("the verdicts came from a page load (%s), not htmx", loc)
	}
	b.check(t, tb, "en")
	b.screenshot(t, tb, "staff-designate-verdicts-en")
	tb.do(t, chromedp.Click(chromedp.CSS(`.designate-form > p > button[type=submit]`)))
	tb.waitFor(t, `document.getElementById('form-error')`)
	tb.forgive(t, "status of 422")
	alert, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById('form-error').innerText`))
	if err != nil || !strings.Contains(alert, "legal-mandate") || !strings.Contains(alert, "multi-agency") {
		t.Errorf("the refusal does not name both rules: %q (%v)", alert, err)
	}
	b.check(t, tb, "en")
	b.screenshot(t, tb, "staff-designate-refused-en")

	fa := b.open(t, base+"?lang=fa&project=solo-rx", 1280, 900)
	fa.waitFor(t, `document.querySelectorAll('#verdicts .verdict-fail').length === 2`)
	if !strings.Contains(fa.text(t), "پشتوانه قانونی") {
		t.Error("the Persian verdicts do not name the legal-mandate rule")
	}
	b.check(t, fa, "fa")
	b.screenshot(t, fa, "staff-designate-verdicts-fa")
}

// TestBrowserStaffReport: moh uploads a file as evidence and submits its
// draft; the secretariat accepts it.
func TestBrowserStaffReport(t *testing.T) {
	b, se := newStaffBrowser(t)
	path := "/staff/reports/" + strconv.FormatInt(se.MohReport, 10)
	tb := b.open(t, path+"?lang=fa", 1280, 900, b.signedIn(t, se, "moh-focal"))
	b.check(t, tb, "fa")
	// A file as evidence, chosen in the form's file input and posted as
	// multipart/form-data; the page then offers it for download.
	file := filepath.Join(t.TempDir(), "pilot.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n% pilot results\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.do(t, chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action*="/evidence"] button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=evidence") && document.querySelector('#evidence a[download][href*="/evidence/"]')`)
	if ev, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('#evidence li').innerText`)); err != nil ||
		!strings.Contains(ev, "pilot.pdf") || !strings.Contains(ev, "application/pdf") {
		t.Errorf("the uploaded file on the page: %q (%v)", ev, err)
	}
	b.check(t, tb, "fa")
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/submit"] button`)))
	tb.waitFor(t, `location.search.includes("done=submitted")`)
	if !strings.Contains(tb.text(t), "برای بررسی دبیرخانه فرستاده شد") {
		t.Error("no confirmation of the submission")
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-report-submitted-fa")

	sec := b.open(t, path+"?lang=fa", 1280, 900, b.signedIn(t, se, "sec"))
	sec.do(t, chromedp.SetValue(chromedp.ID("review-comment-fa"), "مدارک کافی است"),
		chromedp.Click(chromedp.CSS(`form[action*="/accept"] .button-row button:not([formaction])`)))
	sec.waitFor(t, `location.search.includes("done=accepted")`)
	text := sec.text(t)
	if !strings.Contains(text, "گزارش پذیرفته شد") || !strings.Contains(text, "مدارک کافی است") {
		t.Errorf("after acceptance the page shows:\n%s", text)
	}
	b.check(t, sec, "fa")
	b.screenshot(t, sec, "staff-report-accepted-fa")
}

// TestBrowserStaffMeeting builds session 30's agenda from the proposal
// (the carried action first, an item dropped with a reason, a project
// added), holds the session, records a decision and closes it.
func TestBrowserStaffMeeting(t *testing.T) {
	b, se := newStaffBrowser(t)
	tb := b.open(t, "/staff/meetings/itec-30?lang=fa", 1280, 900, b.signedIn(t, se, "sec"))
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-meeting-proposed-fa")
	action := "action:" + strconv.FormatInt(se.Action, 10)
	first, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](
		`(i => [i.id, i.name.slice(5)])([...document.querySelectorAll('input[name^="keep."]')].find(i => i.name !== "keep.`+action+`"))`))
	if err != nil || len(first) != 2 {
		t.Fatalf("no agenda item to drop (%v)", err)
	}
	drop, key := strings.Replace(first[0], "keep-", "drop-", 1), first[1]
	tb.do(t,
		chromedp.SetValue(chromedp.CSS(`input[name="pos.`+action+`"]`), "0"),
		chromedp.Click(chromedp.ID(first[0])),
		chromedp.SetValue(chromedp.ID(drop), "در جلسه پیش بررسی شد"),
		chromedp.SetValue(chromedp.ID("add-project"), "solo-rx"),
		chromedp.Click(chromedp.CSS(`.agenda-form > p > button[type=submit]`)),
	)
	tb.waitFor(t, `location.search.includes("done=agenda")`)
	order, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('input[name^="pos."]')].map(i => i.name)`))
	if err != nil || len(order) < 3 || order[0] != "pos."+action || order[len(order)-1] != "pos.project:solo-rx" {
		t.Errorf("saved order %v (%v)", order, err)
	}
	kept, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[document.querySelector('input[name="drop.`+key+`"]').value,
		String(document.querySelector('input[name="keep.`+key+`"]').checked)]`))
	if err != nil || len(kept) != 2 || kept[0] != "در جلسه پیش بررسی شد" || kept[1] != "false" {
		t.Errorf("the dropped item after saving: %q (%v)", kept, err)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-meeting-agenda-fa")

	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/hold"] button`)))
	tb.waitFor(t, `location.search.includes("done=held")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("outcome-resolution"), "30/1"),
		chromedp.SetValue(chromedp.ID("outcome-text-fa"), "اجرای نسخه الکترونیک در همه استان‌ها تصویب شد"),
		chromedp.Click(chromedp.CSS(`form[action$="/outcomes"] > p > button`)),
	)
	tb.waitFor(t, `location.search.includes("done=outcome")`)
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/close"] button`)))
	tb.waitFor(t, `location.pathname.endsWith("/close")`)
	tb.do(t, chromedp.Click(chromedp.ID("close-confirm")), chromedp.Click(chromedp.CSS(`form[action*="/close?v="] button`)))
	tb.waitFor(t, `location.search.includes("done=closed")`)
	text := tb.text(t)
	for _, want := range []string{"این جلسه بسته است", "اجرای نسخه الکترونیک در همه استان‌ها تصویب شد", "بسته"} {
		if !strings.Contains(text, want) {
			t.Errorf("the closed meeting's page lacks %q", want)
		}
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-meeting-closed-fa")
	m, err := se.svc.Meeting(se.Ctx, service.System, "itec-30")
	if err != nil || m.State != "closed" || len(m.Outcomes) != 1 {
		t.Fatalf("itec-30: %v %d outcomes (%v)", m.State, len(m.Outcomes), err)
	}
	// The printable minutes the page links to.
	tb.do(t, chromedp.Click(chromedp.CSS(`a[hreflang="fa"][href*="/minutes"]`)))
	tb.waitFor(t, `location.pathname.endsWith("/minutes") && document.body.innerText.includes("30/1".replace(/\d/g, d => "۰۱۲۳۴۵۶۷۸۹"[d])) || document.body.innerText.includes("30/1")`)
	b.screenshot(t, tb, "staff-minutes-fa")
}

// TestBrowserStaffPages opens the other workspace pages in both languages:
// each passes the harness's checks (lang and dir, the font, no error, no
// other origin, nothing wider than the window) and is photographed.
func TestBrowserStaffPages(t *testing.T) {
	b, se := newStaffBrowser(t)
	for _, c := range []struct{ name, who, path, want string }{
		{"project", "sec", "/staff/projects/e-rx", "Audit trail"},
		{"owes", "moh-focal", "/staff/agencies/moh/owes", "Connect the pharmacies"},
		{"reports", "moh-focal", "/staff/reports", "Write a new report"},
		{"report-form", "moh-focal", "/staff/reports/new?project=e-rx", "Save the draft"},
		{"meetings", "sec", "/staff/meetings", "Plan a new session"},
		{"programs", "sec", "/staff/programs", "Designate a project"},
		{"accounts", "admin1", "/staff/accounts", "Create an account"},
	} {
		for _, lang := range []string{"fa", "en"} {
			t.Run(c.name+"-"+lang, func(t *testing.T) {
				tb := b.open(t, c.path+map[bool]string{true: "&", false: "?"}[strings.Contains(c.path, "?")]+"lang="+lang, 1280, 900,
					b.signedIn(t, se, c.who))
				b.check(t, tb, lang)
				if lang == "en" && !strings.Contains(tb.text(t), c.want) {
					t.Errorf("%s does not show %q", c.path, c.want)
				}
				b.screenshot(t, tb, "staff-"+c.name+"-"+lang)
			})
		}
	}
}
