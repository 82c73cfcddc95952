package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
)

// TestBrowserJourney is issue 13's journey, whole, from a fresh install
// with the reference data and nothing else (as `pishran serve --reference`
// loads it: the registry and the council's series), in the browser only,
// in Persian and then in English on a site of its own. After the setup
// link serve prints, no step uses the API, the CLI or the service:
//
//   - the first admin makes the secretariat's account and the focal point
//     of an agency (ito), each of whom sets a password through its link;
//   - the secretariat completes a reference project's record (scope,
//     agencies, mandate as law and article, a measurable deliverable) and
//     designates it onto the
//     13th government's list;
//   - it sets up a meeting series and a session, builds the agenda, holds
//     it, records a decision and an action for ito, and closes it after
//     the confirmation;
//   - ito's focal point reports for last Jalali month (shown by name) with
//     a file as evidence; the secretariat returns it with a comment; ito
//     sees the comment first in its inbox, fixes and resubmits it; the
//     secretariat accepts it; ito starts the next month's report from it;
//   - the series' next session proposes the open action on its agenda.
//
// Each page passes the harness's checks (language and direction, the font,
// no error, no other origin, nothing wider than the window) at desktop
// width and at 360 px, where it is photographed too.
func TestBrowserJourney(t *testing.T) {
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) { journey(t, lang) })
	}
}

// journeyWords are what the people type, in the run's language.
type journeyWords struct {
	scope, deliverable, indicator, target, series, decision, action, narrative, comment, fixed string
}

var journeyText = map[string]journeyWords{
	"fa": {
		scope:       "درگاه یکپارچه خدمات دولت روی تلفن همراه برای همه مردم",
		deliverable: "درگاه دولت همراه",
		indicator:   "شمار دستگاه‌های وصل‌شده",
		target:      "۵۰",
		series:      "کارگروه دولت همراه",
		decision:    "برنامه استقرار دولت همراه تصویب شد",
		action:      "گزارش اتصال دستگاه‌ها به دولت همراه فرستاده شود",
		narrative:   "ده دستگاه به درگاه دولت همراه وصل شدند",
		comment:     "شمار کاربران فعال را هم بنویسید",
		fixed:       "ده دستگاه به درگاه دولت همراه وصل شدند؛ کاربران فعال: دو میلیون",
	},
	"en": {
		scope:       "One mobile gateway to government services for every citizen",
		deliverable: "The mobile government gateway",
		indicator:   "agencies connected",
		target:      "50",
		series:      "Mobile government working group",
		decision:    "The mobile government roll-out plan is adopted",
		action:      "Send the report on the agencies connected to mobile government",
		narrative:   "Ten agencies are connected to the mobile gateway",
		comment:     "Add the number of active users",
		fixed:       "Ten agencies are connected to the mobile gateway; two million active users",
	},
}

// A journey's tab lives 60 s (open): each part opens its own, signed in by
// the cookie the browser keeps.
func journey(t *testing.T, lang string) {
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	w := journeyText[lang]
	sc := scenario.New(t, testkit.Engines()[0], scenario.Reference())
	series, err := reference.Series() // what serve --reference loads besides the registry
	if err != nil {
		t.Fatal(err)
	}
	for i := range series {
		testkit.Must(t, sc.Svc.CreateSeries(sc.Ctx, service.System, &series[i]))
	}
	b := startBrowser(t, serve(t, sc))
	link, err := b.svc.SetupLink(sc.Ctx) // what serve prints on a fresh install
	if err != nil {
		t.Fatal(err)
	}
	today := domain.DateOf(time.Now())
	day := func(d domain.Date) string { // a date as the person types it
		if lang == "fa" {
			return jalali.PersianDigits(jalali.Format(d.Y, d.M, d.D))
		}
		return d.String()
	}
	shot := func(tb *tab, name string) { b.journeyShot(t, tb, "journey-"+lang+"-"+name, lang) }
	const (
		project = "mobile-government"
		program = "gov13-smart-driving"
	)

	// 1. The first admin, then the secretariat's and ito's accounts, each
	// handed its one-time link.
	tb := b.open(t, "/setup/"+link.Token, 1280, 900)
	tb.do(t, chromedp.SetValue(chromedp.CSS(`input[name=username]`), "modir"),
		chromedp.SetValue(chromedp.CSS(`input[name=display_fa]`), "مدیر سامانه"),
		chromedp.SetValue(chromedp.CSS(`input[name=display_en]`), "System administrator"),
		chromedp.SetValue(chromedp.CSS(`input[name=password]`), "the first admin's passphrase"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)))
	tb.waitFor(t, `document.querySelector('a[href="/staff"]')`)
	passwords := map[string]string{"dabir": "a long secretariat passphrase", "ito-focal": "a long passphrase for ito"}
	links := map[string]string{}
	for _, acc := range []struct{ user, fa, en, role, agency string }{
		{"dabir", "دبیرخانه شورا", "Council secretariat", "secretariat", ""},
		{"ito-focal", "نماینده سازمان فناوری اطلاعات", "ITO focal point", "agency", "ito"},
	} {
		tb = b.open(t, "/staff/accounts?lang="+lang, 1280, 900)
		tb.waitFor(t, `document.getElementById("account-username")`)
		tb.do(t, chromedp.SetValue(chromedp.ID("account-username"), acc.user),
			chromedp.SetValue(chromedp.ID("account-name-fa"), acc.fa),
			chromedp.SetValue(chromedp.ID("account-name-en"), acc.en),
			chromedp.SetValue(chromedp.ID("account-role"), acc.role))
		if acc.agency != "" {
			tb.do(t, chromedp.SetValue(chromedp.ID("account-agency"), acc.agency))
		}
		tb.do(t, chromedp.Click(chromedp.CSS(`form[action="/staff/accounts"] button[type=submit]`)))
		tb.waitFor(t, `document.getElementById("account-link")`)
		l, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("account-link").value`))
		if err != nil || !strings.Contains(l, "/reset/") {
			t.Fatalf("%s's link: %q %v", acc.user, l, err)
		}
		links[acc.user] = l
		shot(tb, "account-"+acc.user)
	}
	for user, l := range links {
		u, err := url.Parse(l)
		if err != nil {
			t.Fatal(err)
		}
		tb = b.open(t, u.Path, 1280, 900)
		tb.do(t, chromedp.SetValue(chromedp.CSS(`input[name=password]`), passwords[user]), chromedp.Click(chromedp.CSS(`button[type=submit]`)))
		tb.waitFor(t, `document.querySelector('a[href="/staff"]')`)
	}

	// 2. The secretariat completes mobile-government's record and
	// designates it.
	tb = b.signIn(t, "dabir", passwords["dabir"], lang)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/registry"]`)))
	tb.waitFor(t, `document.querySelector('a[href="/staff/projects/`+project+`/edit"]')`)
	shot(tb, "registry")
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href="/staff/projects/`+project+`/edit"]`)))
	tb.waitFor(t, `document.getElementById("f-mandates-0-law")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("f-scope-"+lang), w.scope),
		chromedp.SetValue(chromedp.ID("f-lead"), "ito"),
		chromedp.Click(chromedp.CSS(`input[name=participants][value=ict]`)),
		chromedp.SetValue(chromedp.ID("f-mandates-0-law"), "ict-ministry-duties-law-1382"),
		chromedp.SetValue(chromedp.ID("f-mandates-0-article"), "4(ج)"),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-title-"+lang), w.deliverable),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-indicator-"+lang), w.indicator),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-target"), w.target),
		chromedp.SetValue(chromedp.ID("f-deliverables-0-due"), day(today.AddDays(365))),
		chromedp.Click(chromedp.CSS(`.registry-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("saved=1") && document.querySelector('.notice[role=status]')`)
	shot(tb, "project-saved")

	tb = b.open(t, "/staff/programs?lang="+lang, 1280, 900)
	const designate = "/staff/programs/" + program + "/designate"
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href="`+designate+`"]`)))
	tb.waitFor(t, `document.getElementById("designate-project")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("designate-project"), project),
		chromedp.Click(chromedp.CSS(`.designate-form button[formmethod=get]`)))
	tb.waitFor(t, `document.querySelector('#verdicts .verdict-ok') && document.querySelectorAll('#verdicts .verdict-fail').length === 0`)
	shot(tb, "designate-verdicts")
	tb.do(t, chromedp.Click(chromedp.CSS(`.designate-form > p > button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=`+project+`") && document.querySelector('.notice')`)
	shot(tb, "designated")

	// 3. A series, its first session, the agenda, held, a decision and an
	// action for ito, closed after the confirmation.
	tb = b.open(t, "/staff/meetings?lang="+lang, 1280, 900)
	tb.do(t, chromedp.Click(chromedp.CSS(`#meeting-series-hint a[href="/staff/series"]`)))
	tb.waitFor(t, `document.getElementById("series-code")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("series-code"), "mobile-wg"),
		chromedp.SetValue(chromedp.ID("series-name-"+lang), w.series),
		chromedp.SetValue(chromedp.ID("series-kind"), "other"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/series"] button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=created")`)
	shot(tb, "series")
	tb.do(t, chromedp.Navigate(b.URL+"/staff/meetings?lang="+lang))
	tb.waitFor(t, `document.getElementById("meeting-series")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("meeting-series"), "mobile-wg"),
		chromedp.SetValue(chromedp.ID("meeting-number"), "1"),
		chromedp.SetValue(chromedp.ID("meeting-date"), day(today)),
		chromedp.Click(chromedp.CSS(`#new-meeting button[type=submit]`)))
	tb.waitFor(t, `location.pathname === "/staff/meetings/mobile-wg-1" && document.getElementById("add-project")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("add-project"), project),
		chromedp.Click(chromedp.CSS(`.agenda-form > p > button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=agenda")`)
	shot(tb, "agenda")
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/hold"] button`)))
	tb.waitFor(t, `location.search.includes("done=held")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("outcome-resolution"), "1/1"),
		chromedp.SetValue(chromedp.ID("outcome-text-"+lang), w.decision),
		chromedp.Click(chromedp.CSS(`form[action$="/outcomes"] > p > button`)))
	tb.waitFor(t, `location.search.includes("done=outcome")`)
	tb = b.open(t, "/staff/meetings/mobile-wg-1?lang="+lang, 1280, 900)
	due := today.AddDays(30)
	tb.do(t,
		chromedp.Click(chromedp.ID("kind-action")),
		chromedp.SetValue(chromedp.ID("outcome-text-"+lang), w.action),
		chromedp.SetValue(chromedp.ID("outcome-owner"), "ito"),
		chromedp.SetValue(chromedp.ID("outcome-due"), day(due)),
		chromedp.Click(chromedp.CSS(`#outcomes input[name=projects][value="`+project+`"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/outcomes"] > p > button`)))
	tb.waitFor(t, `location.search.includes("done=outcome") && document.body.innerText.includes(`+jsString(w.action)+`)`)
	shot(tb, "outcomes")
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)))
	tb.waitFor(t, `location.pathname.endsWith("/close") && document.getElementById("close-confirm")`)
	shot(tb, "close-confirm")
	tb.do(t, chromedp.Click(chromedp.ID("close-confirm")), chromedp.Click(chromedp.CSS(`form[action*="/close?v="] button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=closed")`)
	shot(tb, "closed")

	// 4. ito reports for last Jalali month, with a file as evidence.
	month := domain.PeriodAt(time.Now()).Add(-1)
	tb = b.signIn(t, "ito-focal", passwords["ito-focal"], lang)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/reports"]`)))
	tb.waitFor(t, `document.querySelector('a[href="/staff/reports/new"]')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href="/staff/reports/new"]`)))
	tb.waitFor(t, `document.getElementById("report-choose")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("report-choose"), project), chromedp.Click(chromedp.CSS(`.stack-form button[type=submit]`)))
	tb.waitFor(t, `document.getElementById("report-period")`)
	label, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('#report-period option[value="`+string(month)+`"]').textContent`))
	if err != nil || label != month.Name(lang) || !jalaliMonth[lang].MatchString(label) {
		t.Errorf("last month offered as %q, want %q (%v)", label, month.Name(lang), err)
	}
	shot(tb, "report-form")
	tb.do(t, chromedp.SetValue(chromedp.ID("report-period"), string(month)),
		chromedp.SetValue(chromedp.ID("report-narrative-"+lang), w.narrative),
		chromedp.Click(chromedp.CSS(`.report-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=created") && document.getElementById("evidence-file")`)
	if h1, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('h1').innerText`)); err != nil || !strings.Contains(h1, month.Name(lang)) {
		t.Errorf("the report's title %q does not name the month %q (%v)", h1, month.Name(lang), err)
	}
	file := filepath.Join(t.TempDir(), "connected-agencies.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n% ten agencies\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.do(t, chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action*="/evidence"] button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=evidence") && document.querySelector('#evidence a[download]')`)
	reportURL, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/submit"] button`)))
	tb.waitFor(t, `location.search.includes("done=submitted")`)
	shot(tb, "report-submitted")

	// 5. The secretariat finds it in its inbox and returns it with a
	// comment.
	tb = b.signIn(t, "dabir", passwords["dabir"], lang)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/inbox"]`)))
	tb.waitFor(t, `document.querySelector('.inbox-report-review a[href="`+reportURL+`"]')`)
	shot(tb, "inbox-secretariat")
	tb.do(t, chromedp.Click(chromedp.CSS(`.inbox-report-review a[href="`+reportURL+`"]`)))
	tb.waitFor(t, `document.getElementById("review-comment-fa")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("review-comment-"+lang), w.comment),
		chromedp.Click(chromedp.CSS(`form[action*="/accept"] .button-row button[formaction*="/return"]`)))
	tb.waitFor(t, `location.search.includes("done=returned")`)
	shot(tb, "report-returned")

	// 6. ito sees the comment first in its inbox, fixes and resubmits.
	tb = b.signIn(t, "ito-focal", passwords["ito-focal"], lang)
	tb.waitFor(t, `document.querySelector('.staff-nav a[href="/staff/inbox"] .count')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/inbox"]`)))
	tb.waitFor(t, `location.pathname === "/staff/inbox" && document.querySelector('.inbox-list > li')`)
	first, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`(li => [li.className, li.firstElementChild.className, li.innerText])(document.querySelector('.inbox-list > li'))`))
	if err != nil || len(first) != 3 || first[0] != "inbox-report-returned" || first[1] != "comment" || !strings.Contains(first[2], w.comment) {
		t.Errorf("the inbox's first item: %q (%v)", first, err)
	}
	shot(tb, "inbox-agency")
	tb.do(t, chromedp.Click(chromedp.CSS(`.inbox-report-returned a[href="`+reportURL+`/edit"]`)))
	tb.waitFor(t, `document.getElementById("report-narrative-`+lang+`")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("report-narrative-"+lang), w.fixed),
		chromedp.Click(chromedp.CSS(`.report-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=saved")`)
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/submit"] button`)))
	tb.waitFor(t, `location.search.includes("done=submitted")`)
	shot(tb, "report-resubmitted")

	// 7. The secretariat accepts it.
	tb = b.signIn(t, "dabir", passwords["dabir"], lang)
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/inbox"]`)))
	tb.waitFor(t, `document.querySelector('.inbox-report-review a[href="`+reportURL+`"]')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`.inbox-report-review a[href="`+reportURL+`"]`)))
	tb.waitFor(t, `document.getElementById("review-comment-fa")`)
	tb.do(t, chromedp.Click(chromedp.CSS(`form[action*="/accept"] .button-row button:not([formaction])`)))
	tb.waitFor(t, `location.search.includes("done=accepted")`)
	if text := tb.text(t); !strings.Contains(text, w.fixed) {
		t.Errorf("the accepted report does not show the fixed narrative:\n%s", text)
	}
	shot(tb, "report-accepted")

	// 8. ito starts this month's report from last month's.
	tb = b.signIn(t, "ito-focal", passwords["ito-focal"], lang)
	tb.do(t, chromedp.Navigate(b.URL+"/staff/reports?lang="+lang))
	tb.waitFor(t, `document.querySelector('a[href="/staff/reports/new"]')`)
	tb.do(t, chromedp.Click(chromedp.CSS(`a[href="/staff/reports/new"]`)))
	tb.waitFor(t, `document.getElementById("report-choose")`)
	tb.do(t, chromedp.SetValue(chromedp.ID("report-choose"), project), chromedp.Click(chromedp.CSS(`.stack-form button[type=submit]`)))
	tb.waitFor(t, `document.getElementById("report-period")`)
	if p, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("report-period").value`)); err != nil || p != string(month.Next()) {
		t.Errorf("the new report's month is %q, want the one after the last report, %s (%v)", p, month.Next(), err)
	}
	tb.waitFor(t, `document.getElementById("start-previous")`)
	tb.do(t, chromedp.Click(chromedp.ID("start-previous")))
	tb.waitFor(t, `location.search.includes("from=previous")`)
	if v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById("report-narrative-`+lang+`").value`)); err != nil || v != w.fixed {
		t.Errorf("the form is not filled from last month's report: %q (%v)", v, err)
	}
	shot(tb, "report-from-previous")
	tb.do(t, chromedp.Click(chromedp.CSS(`.report-form .button-row button[type=submit]`)))
	tb.waitFor(t, `location.search.includes("done=created")`)

	// 9. The series' next session carries the open action.
	tb = b.signIn(t, "dabir", passwords["dabir"], lang)
	tb.do(t, chromedp.Navigate(b.URL+"/staff/meetings?lang="+lang))
	tb.waitFor(t, `document.getElementById("meeting-series")`)
	tb.do(t,
		chromedp.SetValue(chromedp.ID("meeting-series"), "mobile-wg"),
		chromedp.SetValue(chromedp.ID("meeting-number"), "2"),
		chromedp.SetValue(chromedp.ID("meeting-date"), day(today.AddDays(14))),
		chromedp.Click(chromedp.CSS(`#new-meeting button[type=submit]`)))
	tb.waitFor(t, `location.pathname === "/staff/meetings/mobile-wg-2"`)
	carried, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('.agenda-table tbody tr')]
		.some(tr => tr.querySelector('input[name^="keep.action:"]') && tr.innerText.includes(`+jsString(w.action)+`))`))
	if err != nil || !carried {
		t.Errorf("the next session's agenda does not carry the action (%v):\n%s", err, tb.text(t))
	}
	shot(tb, "next-meeting")
}

// jalaliMonth matches a Jalali month's name as the pages show it.
var jalaliMonth = map[string]*regexp.Regexp{
	"fa": regexp.MustCompile(`^(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) [۰-۹]{4}$`),
	"en": regexp.MustCompile(`^(Farvardin|Ordibehesht|Khordad|Tir|Mordad|Shahrivar|Mehr|Aban|Azar|Dey|Bahman|Esfand) [0-9]{4}$`),
}

// signIn opens the sign-in page in a new tab and signs name in, with the
// keyboard's way of the form; the browser keeps the session for the tabs
// that follow.
func (b *browserEnv) signIn(t *testing.T, name, password, lang string) *tab {
	t.Helper()
	tb := b.open(t, "/login?lang="+lang, 1280, 900)
	tb.waitFor(t, `document.getElementById("login-username") || document.querySelector(".signout button")`)
	if out, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`!!document.querySelector(".signout button")`)); err != nil {
		t.Fatal(err)
	} else if out { // someone else is signed in: sign out first
		tb.do(t, chromedp.Click(chromedp.CSS(".signout button")))
		tb.waitFor(t, `document.getElementById("login-username")`)
	}
	tb.do(t, chromedp.SetValue(chromedp.ID("login-username"), name),
		chromedp.SetValue(chromedp.ID("login-password"), password),
		chromedp.Click(chromedp.CSS(`.stack-form button[type=submit]`)))
	tb.waitFor(t, `location.pathname === "/staff" && document.querySelector('.staff-nav')`)
	return tb
}

// journeyShot checks the page and photographs it at desktop width, then at
// 360 px (checked there too: nothing wider than a small phone).
func (b *browserEnv) journeyShot(t *testing.T, tb *tab, name, lang string) {
	t.Helper()
	b.check(t, tb, lang)
	b.screenshot(t, tb, name)
	tb.do(t, chromedp.EmulateViewport(360, 780))
	// What sticks out of a phone's screen, named, before check says by how much.
	wide, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('body *')]
		.filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) && !e.parentElement.closest('.table-wrap') })
		.filter((e, _, all) => !all.includes(e.parentElement))
		.slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().width))`))
	if over, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`)); err == nil && (len(wide) > 0 || over > 1) {
		t.Errorf("%s at 360 px: wider than the screen: %q", name, wide)
	}
	b.check(t, tb, lang)
	b.screenshot(t, tb, name+"-360")
	tb.do(t, chromedp.EmulateViewport(1280, 900))
}

// jsString quotes s as a JavaScript string.
func jsString(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`", "$", "\\$").Replace(s) + "`"
}
