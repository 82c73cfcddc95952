package web_test

// The public pages in both languages: each page's checks, the comparison's
// counts, the language remembered, error pages, paging through a list.

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
)

func TestPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			for _, p := range pages {
				for _, lang := range []string{"fa", "en"} {
					env.Page("", p, lang).CheckPage(t, http.StatusOK, lang)
				}
			}
			// Persian is the default.
			env.Page("", "/", "").CheckPage(t, http.StatusOK, "fa")

			fa, en := env.Page("", "/", "fa").Text(), env.Page("", "/", "en").Text()
			// The 12th government's board stage, 1397/01/22 = 2018-04-11.
			if !strings.Contains(fa, "۱۳۹۷/۰۱/۲۲") || strings.Contains(fa, "2018-04-11<") {
				t.Error("fa home: no Jalali date with Persian digits for the 12th government's board stage")
			}
			if !strings.Contains(en, `<time datetime="2018-04-11">2018-04-11</time>`) {
				t.Error("en home: no ISO date for the 12th government's board stage")
			}
			for _, want := range []string{"۲۳ اعلام‌شده، ۲۰ نام‌برده", `href="/compare?from=gov12-egov-priority&amp;to=gov13-smart-driving"`,
				"وضعیت ثبت‌شده (چرخه عمر)", "بی‌خط مبنا: برنامه مصوبی برای سنجش نیست", "سلامت هوشمند"} {
				if !strings.Contains(fa, want) {
					t.Errorf("fa home lacks %q", want)
				}
			}
			for _, want := range []string{"declared 23, 20 named", "Smart health", "Recorded status (lifecycle)", "no baseline: no approved plan to judge against"} {
				if !strings.Contains(en, want) {
					t.Errorf("en home lacks %q", want)
				}
			}

			prog := env.Page("", "/programs/gov12-egov-priority", "fa").Text()
			for _, want := range []string{"۱۵", "۱۸", "۲۳", "از یک منبع", "۱۳۹۷/۰۱/۲۲", "۱ پروژه محرمانه فهرست نشده",
				"تکمیل شد", "سامانه ستاد", "پروژه اصلی", "12176/ت55285ه"} {
				if want == "12176/ت55285ه" {
					want = "۱۲۱۷۶/ت۵۵۲۸۵ه"
				}
				if !strings.Contains(prog, want) {
					t.Errorf("fa program page lacks %q", want)
				}
			}
			if en := env.Page("", "/programs/gov12-egov-priority", "en").Text(); !strings.Contains(en, "1 confidential project not listed") ||
				!strings.Contains(en, "from a source") {
				t.Error("en program page lacks the confidential count or the funnel's basis")
			}

			proj := env.Page("", "/projects/e-health", "en").Text()
			for _, want := range []string{"Comprehensive e-health system", `href="/projects/smart-health"`, "Smart health",
				"not yet reported", "No agency is recorded", "evolved into a new project", `href="/programs/gov12-egov-priority"`} {
				if !strings.Contains(proj, want) {
					t.Errorf("en project page lacks %q", want)
				}
			}
			if fa := env.Page("", "/projects/e-health", "fa").Text(); !strings.Contains(fa, "هنوز گزارشی نیامده") || !strings.Contains(fa, "۱۳۹۷/۰۱/۲۲") {
				t.Error("fa project page lacks the not-reported placeholder or the Jalali entry date")
			}
			if sh := env.Page("", "/projects/smart-health", "en").Text(); !strings.Contains(sh, `href="/projects/e-health"`) {
				t.Error("smart health's page does not link its predecessor")
			}

			cmp := env.Page("", "/compare", "en").Text()
			for _, want := range []string{`id="compare-chart"`, `data-chart="{`,
				"Kept", "Added", "Removed", "Evolved", "Fate unknown", "1 confidential project not listed", "chart.umd.min.",
				"js/compare."} {
				if !strings.Contains(cmp, want) {
					t.Errorf("en compare page lacks %q", want)
				}
			}
			if !strings.Contains(env.Page("", "/compare", "fa").Text(), "دولت دوازدهم") {
				t.Error("fa compare page has no Persian narrative")
			}
		})
	}
}

// TestCompareCounts checks the counts table and the chart's data say the
// same as the API's comparison.
func TestCompareCounts(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	var want struct {
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(env.Page("", "/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving", "").Body, &want); err != nil {
		t.Fatal(err)
	}
	page := env.Page("", "/compare", "en").Text()
	m := regexp.MustCompile(`data-chart="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no chart data on the canvas")
	}
	m[1] = html.UnescapeString(m[1])
	var chart struct {
		Labels []string `json:"labels"`
		Values []int    `json:"values"`
		RTL    bool     `json:"rtl"`
	}
	if err := json.Unmarshal([]byte(m[1]), &chart); err != nil {
		t.Fatalf("chart data: %v in %s", err, m[1])
	}
	wantVals := []int{want.Counts["kept"], want.Counts["added"], want.Counts["removed"], want.Counts["evolved"], want.Counts["unknown"]}
	if fmt.Sprint(chart.Values) != fmt.Sprint(wantVals) || chart.RTL || len(chart.Labels) != 5 {
		t.Errorf("chart %+v, want values %v", chart, wantVals)
	}
	for i, l := range []string{"Kept", "Added", "Removed", "Evolved", "Fate unknown"} {
		row := regexp.MustCompile(`(?s)` + l + ` <span class="muted small">\([^)]*\)</span></th><td class="num">(\d+)</td>`).FindStringSubmatch(page)
		if row == nil || row[1] != fmt.Sprint(wantVals[i]) {
			t.Errorf("counts table row %s = %v, want %d", l, row, wantVals[i])
		}
	}
	if want.Counts["removed"] == 0 || want.Counts["evolved"] == 0 {
		t.Errorf("reference comparison counts %v: expected removals and evolutions", want.Counts)
	}
}

func TestLanguageRemembered(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	r := env.Page("", "/compare", "en")
	var cookie *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == "pishran_lang" {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "en" || cookie.Path != "/" || cookie.MaxAge < 30*24*3600 {
		t.Fatalf("?lang=en set cookie %+v", cookie)
	}
	// A plain link afterwards keeps English.
	r = env.Do(scenario.Request{Method: http.MethodGet, Path: "/programs/gov13-smart-driving", Header: map[string]string{"Cookie": "pishran_lang=en"}})
	r.CheckPage(t, http.StatusOK, "en")
	if !strings.Contains(r.Text(), `href="/programs/gov13-smart-driving?lang=fa"`) {
		t.Error("the toggle does not link this page in Persian")
	}
	if r.Header.Get("Vary") != "Cookie" {
		t.Errorf("Vary %q, want Cookie", r.Header.Get("Vary"))
	}
	// ?lang= beats the cookie; nonsense falls back to the cookie, then fa.
	env.Do(scenario.Request{Method: http.MethodGet, Path: "/?lang=fa", Header: map[string]string{"Cookie": "pishran_lang=en"}}).CheckPage(t, http.StatusOK, "fa")
	env.Do(scenario.Request{Method: http.MethodGet, Path: "/?lang=xx", Header: map[string]string{"Cookie": "pishran_lang=en"}}).CheckPage(t, http.StatusOK, "en")
	env.Do(scenario.Request{Method: http.MethodGet, Path: "/", Header: map[string]string{"Cookie": "pishran_lang=zz"}}).CheckPage(t, http.StatusOK, "fa")
}

func TestErrorPages(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, lang := range []string{"fa", "en"} {
		for _, p := range []string{"/nope", "/projects/nope", "/programs/nope", "/projects/anti-smuggling",
			"/data/nope.csv", "/data/projects.pdf", "/compare?from=nope&to=gov13-smart-driving"} {
			r := env.Page("", p, lang)
			r.CheckPage(t, http.StatusNotFound, lang)
			if !strings.Contains(r.Text(), map[string]string{"fa": "صفحه پیدا نشد", "en": "Page not found"}[lang]) {
				t.Errorf("%s %s: not the 404 page", lang, p)
			}
		}
		env.Page("", "/programs/gov12-egov-priority?after=%3Cx%3E", lang).CheckPage(t, http.StatusBadRequest, lang)
	}
	r := env.Do(scenario.Request{Method: http.MethodPost, Path: "/"})
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %d %v", r.Status, r.Header)
	}
}

// TestProgramPaging pages through a list longer than one page, as a
// visitor would by following "next page", and finds every public member
// once.
func TestProgramPaging(t *testing.T) {
	sc := scenario.New(t, testkit.SQLite)
	if err := sc.Svc.Import(sc.Ctx, service.System, synth.Registry(synth.Config{Seed: 2, Agencies: 10, Laws: 3, Projects: 400, Programs: 2})); err != nil {
		t.Fatal(err)
	}
	e := serve(t, sc)
	want := e.apiCount("/api/v1/programs/program-02/projects")
	if want <= 100 {
		t.Fatalf("program-02 has %d public members; the test needs more than a page", want)
	}
	row := regexp.MustCompile(`<th scope="row"><a href="/projects/(p-\d+)">`)
	next := regexp.MustCompile(`<a href="(/programs/program-02\?after=[^"#]+)#members"`)
	seen, pages := map[string]bool{}, 0
	for path := "/programs/program-02"; path != ""; pages++ {
		r := e.Page("", strings.ReplaceAll(path, "&amp;", "&"), "en")
		r.CheckPage(t, http.StatusOK, "en")
		for _, m := range row.FindAllStringSubmatch(r.Text(), -1) {
			if seen[m[1]] {
				t.Errorf("%s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(r.Text()); m != nil {
			path = m[1]
		}
		if pages > 20 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != want || pages < 2 {
		t.Errorf("%d members over %d pages, the API lists %d", len(seen), pages, want)
	}
	if hidden := e.Page("", "/programs/program-02", "en").Text(); !strings.Contains(hidden, "confidential project") {
		t.Error("the synthetic list's confidential members are not counted")
	}
	if r := e.Do(scenario.Request{Method: http.MethodHead, Path: "/programs/program-02"}); r.Status != 200 || len(r.Body) != 0 {
		t.Errorf("HEAD: %d with %d bytes", r.Status, len(r.Body))
	}
}
