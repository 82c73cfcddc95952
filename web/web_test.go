package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
	"github.com/pishran/pishran/web"
)

// The reference dataset's one confidential project: nothing of it may
// reach a public page or file.
var confidential = []string{"anti-smuggling", "Anti-smuggling system", "سامانه مبارزه با قاچاق"}

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// env is a server with the API and the site mounted together, as `pishran
// serve` runs them, over the reference dataset (scenario.Serve).
type env struct {
	*scenario.Server
	t   testing.TB
	svc *service.Service
}

func newEnv(t testing.TB, e testkit.Engine) *env {
	t.Helper()
	return serve(t, scenario.New(t, e, scenario.Reference()))
}

// serve serves sc's service with the options (default: the API and the
// site together, the site's options zero).
func serve(t testing.TB, sc *scenario.Env, opts ...scenario.ServeOption) *env {
	t.Helper()
	return &env{Server: sc.Serve(opts...), t: t, svc: sc.Svc}
}

// resp is a fetched response with its body read.
type resp struct {
	*http.Response
	body []byte
}

func (r resp) text() string { return string(r.body) }

// get fetches path; lang, when set, is asked for with ?lang=.
func (e *env) get(path, lang string) resp {
	e.t.Helper()
	if lang != "" {
		u, _ := url.Parse(path)
		q := u.Query()
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
		path = u.String()
	}
	return e.do(http.MethodGet, path, nil)
}

func (e *env) do(method, path string, header http.Header) resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{res, b}
}

// pages are the public pages every test walks.
var pages = []string{
	"/",
	"/programs/gov12-egov-priority",
	"/programs/gov13-smart-driving",
	"/projects/e-health",
	"/projects/smart-health",
	"/projects/e-banking",
	"/projects/nix",
	"/compare",
	"/compare?from=gov12-egov-priority&to=gov13-smart-driving",
	"/compare?from=gov13-smart-driving&to=gov12-egov-priority",
	"/data",
	"/data/dictionary",
}

var control = regexp.MustCompile(`<(?:select|input|textarea)[^>]* id="([^"]+)"`)

var unknownKey = regexp.MustCompile(`\[[a-z0-9_]+\.[a-z0-9_.\-]+\]`)

func checkPage(t *testing.T, r resp, status int, lang string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d", r.Request.URL, r.StatusCode, status)
	}
	dir := map[string]string{"fa": "rtl", "en": "ltr"}[lang]
	if want := fmt.Sprintf(`<html lang="%s" dir="%s">`, lang, dir); !strings.Contains(r.text(), want) {
		t.Errorf("%s: no %s", r.Request.URL, want)
	}
	if got := r.Header.Get("Content-Security-Policy"); got != wantCSP {
		t.Errorf("%s: CSP %q", r.Request.URL, got)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("%s: security headers %v", r.Request.URL, r.Header)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: content type %q", r.Request.URL, ct)
	}
	if m := unknownKey.FindString(r.text()); m != "" {
		t.Errorf("%s: unknown catalog key %s on the page", r.Request.URL, m)
	}
	// Every form control has a label.
	for _, m := range control.FindAllStringSubmatch(r.text(), -1) {
		if !strings.Contains(r.text(), `<label for="`+m[1]+`">`) {
			t.Errorf("%s: control #%s has no label", r.Request.URL, m[1])
		}
	}
	// (A hidden input — a form's version, its rows' count — is no control.)
	if n := strings.Count(r.text(), "<select") + strings.Count(r.text(), "<input") + strings.Count(r.text(), "<textarea") -
		strings.Count(r.text(), `<input type="hidden"`); n != len(control.FindAllString(r.text(), -1)) {
		t.Errorf("%s: a form control without an id cannot be labelled", r.Request.URL)
	}
	// Absolute links to this very server (a verification address, which
	// is read off paper) are not to another origin.
	own := strings.ReplaceAll(r.text(), `href="`+r.Request.URL.Scheme+"://"+r.Request.URL.Host+"/", `href="/`)
	for _, bad := range []string{"<script>", "style=\"", `src="http`, `href="http`, "url(http"} {
		if strings.Contains(own, bad) {
			t.Errorf("%s: page holds %q (inline script/style or another origin)", r.Request.URL, bad)
		}
	}
}

func TestPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			for _, p := range pages {
				for _, lang := range []string{"fa", "en"} {
					checkPage(t, env.get(p, lang), http.StatusOK, lang)
				}
			}
			// Persian is the default.
			checkPage(t, env.get("/", ""), http.StatusOK, "fa")

			fa, en := env.get("/", "fa").text(), env.get("/", "en").text()
			// The 12th government's board stage, 1397/01/22 = 2018-04-11.
			if !strings.Contains(fa, "۱۳۹۷/۰۱/۲۲") || strings.Contains(fa, "2018-04-11<") {
				t.Error("fa home: no Jalali date with Persian digits for the 12th government's board stage")
			}
			if !strings.Contains(en, `<time datetime="2018-04-11">2018-04-11</time>`) {
				t.Error("en home: no ISO date for the 12th government's board stage")
			}
			for _, want := range []string{"۲۳ اعلام‌شده، ۲۰ نام‌برده", `href="/compare?from=gov12-egov-priority&amp;to=gov13-smart-driving"`,
				"وضعیت ثبت‌شده (چرخه عمر)", "هنوز محاسبه نشده", "سلامت هوشمند"} {
				if !strings.Contains(fa, want) {
					t.Errorf("fa home lacks %q", want)
				}
			}
			for _, want := range []string{"declared 23, 20 named", "Smart health", "Recorded status (lifecycle)"} {
				if !strings.Contains(en, want) {
					t.Errorf("en home lacks %q", want)
				}
			}

			prog := env.get("/programs/gov12-egov-priority", "fa").text()
			for _, want := range []string{"۱۵", "۱۸", "۲۳", "از یک منبع", "۱۳۹۷/۰۱/۲۲", "۱ پروژه محرمانه فهرست نشده",
				"تکمیل شد", "سامانه ستاد", "پروژه اصلی", "12176/ت55285ه"} {
				if want == "12176/ت55285ه" {
					want = "۱۲۱۷۶/ت۵۵۲۸۵ه"
				}
				if !strings.Contains(prog, want) {
					t.Errorf("fa program page lacks %q", want)
				}
			}
			if en := env.get("/programs/gov12-egov-priority", "en").text(); !strings.Contains(en, "1 confidential project not listed") ||
				!strings.Contains(en, "from a source") {
				t.Error("en program page lacks the confidential count or the funnel's basis")
			}

			proj := env.get("/projects/e-health", "en").text()
			for _, want := range []string{"Comprehensive e-health system", `href="/projects/smart-health"`, "Smart health",
				"not yet reported", "No agency is recorded", "evolved into a new project", `href="/programs/gov12-egov-priority"`} {
				if !strings.Contains(proj, want) {
					t.Errorf("en project page lacks %q", want)
				}
			}
			if fa := env.get("/projects/e-health", "fa").text(); !strings.Contains(fa, "هنوز گزارشی نیامده") || !strings.Contains(fa, "۱۳۹۷/۰۱/۲۲") {
				t.Error("fa project page lacks the not-reported placeholder or the Jalali entry date")
			}
			if sh := env.get("/projects/smart-health", "en").text(); !strings.Contains(sh, `href="/projects/e-health"`) {
				t.Error("smart health's page does not link its predecessor")
			}

			cmp := env.get("/compare", "en").text()
			for _, want := range []string{`id="compare-chart"`, `data-chart="{`,
				"Kept", "Added", "Removed", "Evolved", "Fate unknown", "1 confidential project not listed", "chart.umd.min.",
				"js/compare."} {
				if !strings.Contains(cmp, want) {
					t.Errorf("en compare page lacks %q", want)
				}
			}
			if !strings.Contains(env.get("/compare", "fa").text(), "دولت دوازدهم") {
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
	if err := json.Unmarshal(env.get("/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving", "").body, &want); err != nil {
		t.Fatal(err)
	}
	page := env.get("/compare", "en").text()
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
	r := env.get("/compare", "en")
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
	r = env.do(http.MethodGet, "/programs/gov13-smart-driving", http.Header{"Cookie": {"pishran_lang=en"}})
	checkPage(t, r, http.StatusOK, "en")
	if !strings.Contains(r.text(), `href="/programs/gov13-smart-driving?lang=fa"`) {
		t.Error("the toggle does not link this page in Persian")
	}
	if r.Header.Get("Vary") != "Cookie" {
		t.Errorf("Vary %q, want Cookie", r.Header.Get("Vary"))
	}
	// ?lang= beats the cookie; nonsense falls back to the cookie, then fa.
	checkPage(t, env.do(http.MethodGet, "/?lang=fa", http.Header{"Cookie": {"pishran_lang=en"}}), http.StatusOK, "fa")
	checkPage(t, env.do(http.MethodGet, "/?lang=xx", http.Header{"Cookie": {"pishran_lang=en"}}), http.StatusOK, "en")
	checkPage(t, env.do(http.MethodGet, "/", http.Header{"Cookie": {"pishran_lang=zz"}}), http.StatusOK, "fa")
}

func TestErrorPages(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, lang := range []string{"fa", "en"} {
		for _, p := range []string{"/nope", "/projects/nope", "/programs/nope", "/projects/anti-smuggling",
			"/data/nope.csv", "/data/projects.pdf", "/compare?from=nope&to=gov13-smart-driving"} {
			r := env.get(p, lang)
			checkPage(t, r, http.StatusNotFound, lang)
			if !strings.Contains(r.text(), map[string]string{"fa": "صفحه پیدا نشد", "en": "Page not found"}[lang]) {
				t.Errorf("%s %s: not the 404 page", lang, p)
			}
		}
		checkPage(t, env.get("/programs/gov12-egov-priority?after=%3Cx%3E", lang), http.StatusBadRequest, lang)
	}
	r := env.do(http.MethodPost, "/", nil)
	if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %d %v", r.StatusCode, r.Header)
	}
}

// TestAPIUntouched checks the API, health and metrics still answer beside
// the pages.
func TestAPIUntouched(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for path, ctype := range map[string]string{
		"/healthz":                  "application/json",
		"/api/v1/programs":          "application/json",
		"/api/v1/openapi.json":      "application/json",
		"/api/v1/nope":              "application/problem+json",
		"/metrics":                  "text/plain",
		"/api/v1/projects/e-health": "application/json",
	} {
		r := env.get(path, "")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %s", path, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
	if !strings.Contains(env.get("/metrics", "").text(), `route="GET /projects/{slug}"`) {
		// a page was fetched above? fetch one and check again
		env.get("/projects/e-health", "fa")
		if !strings.Contains(env.get("/metrics", "").text(), `route="GET /projects/{slug}"`) {
			t.Error("page requests are not measured by route")
		}
	}
}

// apiCount pages through an API list and counts its items.
func (e *env) apiCount(path string) int {
	e.t.Helper()
	n, cursor := 0, ""
	for {
		// Not limit=1000: the API asks the store for limit+1 rows, which the
		// store caps to 100 above 1000, so ?limit=1000 answers 100 items and
		// no cursor.
		p := path + "?limit=500"
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		r := e.get(p, "")
		var l struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor *string           `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.body, &l); err != nil {
			e.t.Fatalf("%s: %v", p, err)
		}
		n += len(l.Items)
		if l.NextCursor == nil {
			return n
		}
		cursor = *l.NextCursor
	}
}

func TestDownloads(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			members := env.apiCount("/api/v1/programs/gov12-egov-priority/projects") + env.apiCount("/api/v1/programs/gov13-smart-driving/projects")
			want := map[string]int{"programs": env.apiCount("/api/v1/programs"), "projects": env.apiCount("/api/v1/projects"), "memberships": members}
			if want["programs"] != 2 || want["projects"] != 22 || want["memberships"] != 21 {
				t.Fatalf("API counts %v: the reference has 2 programs, 22 public projects, 21 public memberships", want)
			}
			for name, n := range want {
				csvR := env.get("/data/"+name+".csv", "")
				jsonR := env.get("/data/"+name+".json", "")
				xlsxR := env.get("/data/"+name+".xlsx", "")
				for _, r := range []resp{csvR, jsonR, xlsxR} {
					if r.StatusCode != 200 {
						t.Fatalf("%s: %d", r.Request.URL, r.StatusCode)
					}
					lm, err := http.ParseTime(r.Header.Get("Last-Modified"))
					if err != nil || time.Since(lm) > time.Minute {
						t.Errorf("%s: Last-Modified %q", r.Request.URL, r.Header.Get("Last-Modified"))
					}
					if !strings.Contains(r.Header.Get("Content-Disposition"), "pishran-"+name) {
						t.Errorf("%s: Content-Disposition %q", r.Request.URL, r.Header.Get("Content-Disposition"))
					}
				}
				asOf, _ := http.ParseTime(csvR.Header.Get("Last-Modified"))

				// CSV: a BOM, a header, one row per record, as_of on each.
				if !bytes.HasPrefix(csvR.body, []byte("\xEF\xBB\xBF")) {
					t.Errorf("%s.csv has no UTF-8 BOM", name)
				}
				rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvR.body, []byte("\xEF\xBB\xBF")))).ReadAll()
				if err != nil {
					t.Fatalf("%s.csv: %v", name, err)
				}
				if len(rows)-1 != n {
					t.Errorf("%s.csv: %d rows, the API lists %d", name, len(rows)-1, n)
				}
				last := len(rows[0]) - 1
				if rows[0][last] != "as_of" || rows[1][last] != asOf.UTC().Format(time.RFC3339) {
					t.Errorf("%s.csv: as_of column %q = %q, Last-Modified %v", name, rows[0][last], rows[1][last], asOf)
				}

				// JSON
				var j struct {
					Dataset string           `json:"dataset"`
					AsOf    string           `json:"as_of"`
					Count   int              `json:"count"`
					Items   []map[string]any `json:"items"`
					Columns []struct {
						Name        string            `json:"name"`
						Description map[string]string `json:"description"`
					} `json:"columns"`
				}
				if err := json.Unmarshal(jsonR.body, &j); err != nil {
					t.Fatalf("%s.json: %v", name, err)
				}
				if j.Dataset != name || len(j.Items) != n || j.Count != n || j.AsOf == "" {
					t.Errorf("%s.json: dataset %q, %d items, count %d, as_of %q; want %d", name, j.Dataset, len(j.Items), j.Count, j.AsOf, n)
				}
				for _, c := range j.Columns {
					if c.Description["fa"] == "" || c.Description["en"] == "" {
						t.Errorf("%s.json: column %s lacks a description", name, c.Name)
					}
				}

				// XLSX
				f, err := excelize.OpenReader(bytes.NewReader(xlsxR.body))
				if err != nil {
					t.Fatalf("%s.xlsx: %v", name, err)
				}
				xrows, err := f.GetRows(name)
				if err != nil {
					t.Fatalf("%s.xlsx: %v", name, err)
				}
				if len(xrows)-1 != n {
					t.Errorf("%s.xlsx: %d rows, the API lists %d", name, len(xrows)-1, n)
				}
				about, err := f.GetRows("about")
				if err != nil || len(about) < 5 || about[3][0] != "as_of" || about[3][1] == "" {
					t.Errorf("%s.xlsx: about sheet %v (%v)", name, about, err)
				}
				f.Close()
			}

			// Persian survives: a Persian title in the CSV, the Jalali date too.
			body := env.get("/data/memberships.csv", "").text()
			for _, want := range []string{"سلامت هوشمند", "1397/01/22", "2018-04-11", "became-infrastructure"} {
				if !strings.Contains(body, want) {
					t.Errorf("memberships.csv lacks %q", want)
				}
			}
			dict := env.get("/data/dictionary.csv", "")
			drows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(dict.body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil || len(drows) < 40 {
				t.Fatalf("dictionary.csv: %d rows, %v", len(drows), err)
			}
			for _, r := range drows[1:] {
				if r[3] == "" || r[4] == "" {
					t.Errorf("dictionary.csv: %s.%s lacks a meaning", r[0], r[1])
				}
			}
		})
	}
}

// TestConfidentialNeverShown walks every public page, every page it links
// to and every download, in both languages, and looks for the confidential
// project's slug and titles.
func TestConfidentialNeverShown(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			seen := map[string]bool{}
			queue := append([]string{}, pages...)
			for _, d := range []string{"programs", "projects", "memberships"} {
				for _, ext := range []string{"csv", "json", "xlsx"} {
					queue = append(queue, "/data/"+d+"."+ext)
				}
			}
			queue = append(queue, "/data/dictionary.csv")
			href := regexp.MustCompile(`href="(/[^"#]*)`)
			for len(queue) > 0 && len(seen) < 400 {
				p := strings.ReplaceAll(queue[0], "&amp;", "&")
				queue = queue[1:]
				if seen[p] || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/static/") {
					continue
				}
				seen[p] = true
				for _, lang := range []string{"fa", "en"} {
					r := env.get(p, lang)
					if r.StatusCode != http.StatusOK {
						t.Errorf("%s (%s): %d", p, lang, r.StatusCode)
						continue
					}
					text := r.text()
					if strings.HasSuffix(p, ".xlsx") {
						text = xlsxText(t, r.body)
					}
					for _, c := range confidential {
						if strings.Contains(text, c) {
							t.Errorf("%s (%s) shows %q", p, lang, c)
						}
					}
					for _, m := range href.FindAllStringSubmatch(text, -1) {
						queue = append(queue, m[1])
					}
				}
			}
			if len(seen) < 30 {
				t.Errorf("walked only %d pages", len(seen))
			}
			if r := env.get("/projects/anti-smuggling", "en"); r.StatusCode != http.StatusNotFound {
				t.Errorf("the confidential project's page: %d", r.StatusCode)
			}
		})
	}
}

func xlsxText(t *testing.T, b []byte) string {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sb strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}

var assetRef = regexp.MustCompile(`(?:<link rel="stylesheet" href|<script src)="([^"]+)"`)

// TestPageWeight: the public home with the CSS and JS it references, not
// counting fonts, must stay under 300 KB (uncompressed; the server also
// gzips text assets).
func TestPageWeight(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for _, lang := range []string{"fa", "en"} {
		home := env.get("/", lang)
		total := len(home.body)
		parts := []string{fmt.Sprintf("HTML %d", len(home.body))}
		refs := assetRef.FindAllStringSubmatch(home.text(), -1)
		if len(refs) < 3 {
			t.Fatalf("home references %d assets", len(refs))
		}
		for _, m := range refs {
			r := env.get(m[1], "")
			if r.StatusCode != 200 {
				t.Fatalf("%s: %d", m[1], r.StatusCode)
			}
			total += len(r.body)
			parts = append(parts, fmt.Sprintf("%s %d", m[1], len(r.body)))
		}
		t.Logf("home page weight (%s, without fonts): %d bytes = %s", lang, total, strings.Join(parts, " + "))
		if total > 300*1024 {
			t.Errorf("home page weight %d bytes, over 300 KB", total)
		}
	}
}

func TestStaticFiles(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	home := env.get("/", "fa").text()
	css := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatal("no hashed stylesheet on the home page")
	}
	r := env.get(css[1], "")
	if r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("ETag") == "" ||
		r.Header.Get("Content-Type") != "text/css; charset=utf-8" || r.Header.Get("Content-Security-Policy") != wantCSP {
		t.Errorf("hashed CSS headers: %v", r.Header)
	}
	font := regexp.MustCompile(`url\("(/static/vendor/vazirmatn-33\.0\.3/Vazirmatn-Regular\.[0-9a-f]{12}\.woff2)"\)`).FindStringSubmatch(r.text())
	if font == nil {
		t.Fatal("the stylesheet does not refer to the hashed font")
	}
	if f := env.get(font[1], ""); f.StatusCode != 200 || f.Header.Get("Content-Type") != "font/woff2" || len(f.body) < 10000 {
		t.Errorf("font: %d %s %d bytes", f.StatusCode, f.Header.Get("Content-Type"), len(f.body))
	}
	plain := env.get("/static/css/site.css", "")
	if plain.StatusCode != 200 || !strings.Contains(plain.Header.Get("Cache-Control"), "must-revalidate") {
		t.Errorf("plain CSS: %d %v", plain.StatusCode, plain.Header)
	}
	if r := env.do(http.MethodGet, "/static/css/site.css", http.Header{"If-None-Match": {plain.Header.Get("ETag")}}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r.StatusCode)
	}
	gz := env.do(http.MethodGet, css[1], http.Header{"Accept-Encoding": {"gzip"}})
	if gz.Header.Get("Content-Encoding") != "gzip" || len(gz.body) >= len(r.body) {
		t.Errorf("gzip: %q, %d bytes vs %d", gz.Header.Get("Content-Encoding"), len(gz.body), len(r.body))
	}
	if r := env.get("/static/nope.js", ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("missing static file: %d", r.StatusCode)
	}
}

// fakeFollowUp stands in for the follow-up service, to show the pages
// render what it will provide.
type fakeFollowUp struct{}

func (fakeFollowUp) Health(ctx context.Context, a service.Actor, slugs []string) (map[string]domain.Health, error) {
	out := map[string]domain.Health{}
	for _, s := range slugs {
		if s == "smart-health" || s == "e-health" {
			out[s] = domain.Health{Project: s, Status: domain.Amber, Stale: true}
		}
	}
	return out, nil
}

func (fakeFollowUp) FollowUp(ctx context.Context, a service.Actor, slug string) (*web.FollowUp, error) {
	d := domain.NewDate(2024, 3, 20)
	return &web.FollowUp{
		LastAccepted: &d,
		Milestones: []web.FollowUpMilestone{{Title: domain.T("گام یک", "Step one"), Planned: &d, Actual: &d},
			{Title: domain.T("گام دو", "Step two"), Planned: &d, Percent: 40}},
		Decisions: []web.FollowUpDecision{{Date: &d, Meeting: "27", Text: domain.T("مصوبه آزمایشی", "A test decision")}},
		Ratings:   []web.FollowUpRating{{Date: &d, Kind: domain.T("شورا", "council"), Score: 3, Label: domain.T("متوسط", "moderate")}},
	}, nil
}

func TestFollowUpHooks(t *testing.T) {
	e := serve(t, scenario.New(t, testkit.SQLite, scenario.Reference()), scenario.SiteOnly(),
		scenario.Site(web.Options{Health: fakeFollowUp{}, FollowUp: fakeFollowUp{}}))
	home := e.get("/", "en")
	checkPage(t, home, http.StatusOK, "en")
	if !strings.Contains(home.text(), `<span class="badge rag-amber">amber: needs attention</span> <span class="badge rag-stale">report overdue</span>`) {
		t.Error("the home page does not show the computed health")
	}
	if !strings.Contains(home.text(), "not computed yet") { // neobank has none
		t.Error("a project with no health should say so")
	}
	fa := e.get("/projects/e-health", "fa")
	checkPage(t, fa, http.StatusOK, "fa")
	for _, want := range []string{"۱۴۰۳/۰۱/۰۱", "گام دو", "۴۰٪", "مصوبه آزمایشی", "۲۷", "متوسط", "زرد: نیازمند توجه"} {
		if !strings.Contains(fa.text(), want) {
			t.Errorf("fa project page with follow-up lacks %q", want)
		}
	}
	if strings.Contains(fa.text(), "هنوز گزارشی نیامده") {
		t.Error("the project page still says nothing was reported")
	}
	en := e.get("/projects/e-health", "en")
	checkPage(t, en, http.StatusOK, "en")
	if !strings.Contains(en.text(), "40%") || !strings.Contains(en.text(), "2024-03-20") {
		t.Error("en project page with follow-up lacks the milestone's percent or the report date")
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
		r := e.get(strings.ReplaceAll(path, "&amp;", "&"), "en")
		checkPage(t, r, http.StatusOK, "en")
		for _, m := range row.FindAllStringSubmatch(r.text(), -1) {
			if seen[m[1]] {
				t.Errorf("%s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(r.text()); m != nil {
			path = m[1]
		}
		if pages > 20 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != want || pages < 2 {
		t.Errorf("%d members over %d pages, the API lists %d", len(seen), pages, want)
	}
	if hidden := e.get("/programs/program-02", "en").text(); !strings.Contains(hidden, "confidential project") {
		t.Error("the synthetic list's confidential members are not counted")
	}
	if r := e.do(http.MethodHead, "/programs/program-02", nil); r.StatusCode != 200 || len(r.body) != 0 {
		t.Errorf("HEAD: %d with %d bytes", r.StatusCode, len(r.body))
	}
}
