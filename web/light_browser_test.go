package web_test

// The portal on a phone, in a real browser: every public page — found from
// the site's own routes, so a page added later is walked too — fits a
// 360 px screen in both languages, passes axe-core with no serious or
// critical violation, and is photographed on the phone and the desktop; a
// chart keeps its size; the first visit to the Persian home stays under
// its weight budget as the browser counts it.

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/web"
)

// Pages that are not the portal's, though routed by the site: the
// workspace, static files, the one-time links (set a password, unsubscribe).
var notPortal = regexp.MustCompile(`^/(staff|static|setup|reset|unsubscribe|favicon\.ico)(/|$)`)

// publicPages lists a URL for every public page the site routes: each GET
// route outside the workspace, its wildcards filled from the links the
// portal's own pages carry (the first two found), plus the fixed pages
// of the other tests. A route answering no HTML (a download, a QR code)
// is left out; a route no public page links to fails the test, so a new
// page is never left unwalked unseen.
func publicPages(t *testing.T, e *env) []string {
	t.Helper()
	site, err := web.New(e.svc, nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type route struct {
		pattern string
		re      *regexp.Regexp
		found   []string
	}
	var routes []*route
	for _, rt := range site.Routes() {
		method, p, ok := strings.Cut(rt.Pattern, " ")
		if !ok || method != "GET" || p == "/" || notPortal.MatchString(p) {
			continue
		}
		routes = append(routes, &route{pattern: p, re: patternRE(p)})
	}
	href := regexp.MustCompile(`(?:href|src)="([^"#]*)"`)
	own, _ := url.Parse(e.URL)
	var out []string
	seen := map[string]bool{}
	queue := append([]string{}, pages...)
	for _, r := range routes {
		if !strings.Contains(r.pattern, "{") || strings.HasSuffix(r.pattern, "{$}") {
			queue = append(queue, strings.TrimSuffix(r.pattern, "{$}"))
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if seen[u] {
			continue
		}
		seen[u] = true
		res := e.Page("", u, "")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		out = append(out, u)
		for _, m := range href.FindAllStringSubmatch(res.Text(), -1) {
			link, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil || (link.Host != "" && link.Host != own.Host) || !strings.HasPrefix(link.Path, "/") {
				continue // another site's, or not a path (a data: image)
			}
			for _, r := range routes {
				if strings.Contains(r.pattern, "{") && !strings.HasSuffix(r.pattern, "{$}") && r.re.MatchString(link.Path) &&
					len(r.found) < 2 && !seen[link.Path] && !contains(r.found, link.Path) {
					r.found = append(r.found, link.Path)
					queue = append(queue, link.Path)
				}
			}
		}
	}
	for _, r := range routes {
		if strings.Contains(r.pattern, "{") && !strings.HasSuffix(r.pattern, "{$}") && len(r.found) == 0 {
			t.Errorf("no public page links to an instance of %s: link one, so the walk reaches it", r.pattern)
		}
	}
	sort.Strings(out)
	return out
}

// patternRE is the regular expression of the paths a ServeMux pattern's
// path matches: {name} one segment, {name...} the rest, {$} the end.
func patternRE(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for {
		i := strings.Index(p, "{")
		if i < 0 {
			b.WriteString(regexp.QuoteMeta(p))
			break
		}
		j := i + strings.Index(p[i:], "}")
		b.WriteString(regexp.QuoteMeta(p[:i]))
		switch w := p[i+1 : j]; {
		case w == "$":
		case strings.HasSuffix(w, "..."):
			b.WriteString(".+")
		default:
			b.WriteString("[^/?#]+")
		}
		p = p[j+1:]
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shotName makes a file name of a URL.
func shotName(u string) string {
	s := strings.Trim(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(u, "-"), "-")
	if s == "" {
		s = "home"
	}
	return s
}

// withLang adds ?lang= to a URL.
func withLang(u, lang string) string {
	if strings.Contains(u, "?") {
		return u + "&lang=" + lang
	}
	return u + "?lang=" + lang
}

// axeSource is the vendored axe-core (testdata/axe, vendor.sh there).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatalf("axe-core is not vendored: %v (bash web/testdata/axe/vendor.sh)", err)
	}
	return string(b)
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe runs axe-core in the tab's page and gives its serious and critical
// violations.
func (tb *tab) axe(t *testing.T, src string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " "))
		})))) `, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe.run: %v", err)
	}
	var out []axeViolation
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// fits checks the page is no wider than the window: the document's
// scrollWidth is at most the viewport's width (wide tables scroll inside
// their own box).
func (tb *tab) fits(t *testing.T, width int64) {
	t.Helper()
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	if got[1] != int(width) {
		t.Fatalf("the viewport is %d px wide, want %d", got[1], width)
	}
	if got[0] > got[1] || got[2] > got[1] {
		wide, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => {
			const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1;
		}).filter(e => !e.closest(".table-wrap, .sr-only, .skip")).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().width) + "px")`))
		t.Errorf("the page is %d px wide in a %d px viewport; too wide: %v", got[0], got[1], wide)
	}
}

// tablesReadable checks the tables on a phone: no cell is hidden, and a
// table wider than the screen scrolls in its own box with its first
// column held in view (position: sticky), which scrolling it shows.
func (tb *tab) tablesReadable(t *testing.T) {
	t.Helper()
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`(() => {
		const bad = [];
		for (const c of document.querySelectorAll("main table th, main table td")) {
			if (getComputedStyle(c).display === "none") bad.push("hidden cell: " + c.textContent.trim().slice(0, 30));
		}
		for (const w of document.querySelectorAll("main .table-wrap")) {
			if (w.scrollWidth <= w.clientWidth + 1) continue;
			const first = w.querySelector("tbody tr > :first-child");
			if (!first) continue;
			const before = first.getBoundingClientRect().left;
			const dir = getComputedStyle(w).direction === "rtl" ? -1 : 1;
			w.scrollLeft = dir * (w.scrollWidth - w.clientWidth);
			const after = first.getBoundingClientRect().left;
			w.scrollLeft = 0;
			if (getComputedStyle(first).position !== "sticky" || Math.abs(after - before) > 1) {
				bad.push("first column scrolls away: " + first.textContent.trim().slice(0, 30) + " (" + before + " → " + after + ")");
			}
		}
		return bad;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range got {
		t.Errorf("table on a phone: %s", b)
	}
}

// basics checks the language and direction, no browser error and no
// request to another origin (the portal's check, without the font, which
// the verification page does not load).
func (b *browserEnv) basics(t *testing.T, tb *tab, lang string) {
	t.Helper()
	dir := map[string]string{"fa": "rtl", "en": "ltr"}[lang]
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[document.documentElement.lang, document.documentElement.dir]`))
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != lang || got[1] != dir {
		t.Errorf("lang, dir = %v, want %s %s", got, lang, dir)
	}
	time.Sleep(50 * time.Millisecond)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		t.Errorf("browser error: %s", e)
	}
	origin, _ := url.Parse(b.URL)
	for _, r := range tb.requests {
		if u, err := url.Parse(r); err != nil || (u.Scheme != "data" && u.Host != origin.Host) {
			t.Errorf("request to another origin: %s", r)
		}
	}
}

// TestBrowserPublicPages walks every public page in Persian and English
// (TestBrowserPublicPages/fa/… runs one language, …/projects-e-health one page):
// on a 360 px phone it must fit the screen and pass axe-core (no serious
// or critical violation); on the desktop it must fit too. Screenshots of
// both go to $PISHRAN_SCREENSHOTS.
func TestBrowserPublicPages(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	// The reference registry with meetings, follow-up and signed records
	// (a closed session's decision, an accepted report), served with the
	// follow-up wired in, so every page has something to show.
	se := newStaffEnv(t, testkit.Engines()[0])
	se.sealed(t)
	b := startBrowser(t, serveWired(t, se.Staff.Env))
	list := publicPages(t, b.env)
	if len(list) < 8 {
		t.Fatalf("the walk found %d public pages: %v", len(list), list)
	}
	t.Logf("%d public pages: %v", len(list), list)
	src := axeSource(t)
	for _, u := range list {
		for _, lang := range []string{"fa", "en"} {
			if lang == "en" && strings.HasPrefix(u, "/verify/") {
				continue // one bilingual document, Persian first, English beside
			}
			t.Run(lang+"/"+shotName(u), func(t *testing.T) {
				// The pages in parallel (as many at once as -parallel, the
				// cores by default), each in tabs of its own: while one waits
				// on the browser, another's axe-core or screenshot runs.
				t.Parallel()
				phone := b.open(t, withLang(u, lang), 360, 740)
				b.basics(t, phone, lang)
				phone.fits(t, 360)
				phone.tablesReadable(t)
				for _, v := range phone.axe(t, src) {
					t.Errorf("axe %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
				}
				b.screenshot(t, phone, "phone-"+lang+"-"+shotName(u))
				desk := b.open(t, withLang(u, lang), 1280, 900)
				desk.fits(t, 1280)
				b.screenshot(t, desk, "desktop-"+lang+"-"+shotName(u))
			})
		}
	}
}

// TestBrowserAxeCatches shows the axe check can fail: a link with no name
// and an image without a text, planted in a page, are reported.
func TestBrowserAxeCatches(t *testing.T) {
	b := newBrowser(t)
	tb := b.open(t, "/?lang=en", 360, 740)
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](`(() => {
		const a = document.createElement("a"); a.href = "/x"; document.querySelector("main").append(a);
		const i = document.createElement("img"); i.src = "data:,"; document.querySelector("main").append(i);
		const w = document.createElement("div"); w.style.width = "900px"; w.textContent = "wide"; document.querySelector("main").append(w);
	})()`)); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, v := range tb.axe(t, axeSource(t)) {
		ids[v.ID] = true
	}
	if !ids["link-name"] || !ids["image-alt"] {
		t.Errorf("axe missed the planted violations; it reported %v", ids)
	}
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil || got <= 360 {
		t.Errorf("a 900 px block did not widen the page (%d, %v): the width check would see nothing", got, err)
	}
}

// TestBrowserChartBox: the comparison's chart is drawn in a box of fixed
// height, which it keeps: its height is the same 5 s later, on a phone
// and on a desktop (it used to grow without end, Chart.js sizing the
// canvas against a figure that holds its caption too).
func TestBrowserChartBox(t *testing.T) {
	b := newBrowser(t)
	for _, c := range []struct {
		lang  string
		width int64
	}{{"fa", 360}, {"en", 1280}} {
		t.Run(c.lang, func(t *testing.T) {
			t.Parallel() // each in a tab of its own; the 5 s waits overlap
			tb := b.open(t, "/compare?from=gov12-egov-priority&to=gov13-smart-driving&lang="+c.lang, c.width, 800)
			measure := `(() => { const c = document.getElementById("compare-chart");
				if (!c || c.getAttribute("data-drawn") !== "true") return [];
				const f = c.closest("figure");
				return [c.getBoundingClientRect().height, c.parentElement.getBoundingClientRect().height, f.getBoundingClientRect().height, c.height]; })()`
			if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](measure+`.length === 4`, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				t.Fatalf("the chart was not drawn: %v", err)
			}
			before, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]float64](measure))
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(5 * time.Second)
			after, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]float64](measure))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("canvas, frame, figure heights and canvas pixels: %v, 5 s later %v", before, after)
			if len(after) != 4 || before[0] != after[0] || before[2] != after[2] || before[3] != after[3] {
				t.Errorf("the chart changed size in 5 s: %v → %v", before, after)
			}
			if before[0] < 150 || before[0] > 400 || before[0] != before[1] {
				t.Errorf("the chart is %v px high in a %v px frame; want the frame's fixed height", before[0], before[1])
			}
			tb.fits(t, c.width)
			b.screenshot(t, tb, "chart-box-"+c.lang)
		})
	}
}

// TestBrowserWeight: a first visit to the Persian home on a phone, with
// no cache, transfers at most homeBudget bytes, as the browser counts
// them (the Performance API's transferSize of the page and every
// resource).
func TestBrowserWeight(t *testing.T) {
	b := newBrowser(t)
	noCache := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
	tb := b.open(t, "/?lang=fa", 360, 740, noCache)
	// Let the last resources (the fonts swap in) finish.
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.readyState === "complete"`, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	type entry struct {
		Name     string  `json:"name"`
		Transfer float64 `json:"transfer"`
		Encoded  float64 `json:"encoded"`
		Decoded  float64 `json:"decoded"`
	}
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`JSON.stringify([...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map(e => ({
		name: new URL(e.name).pathname, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize})))`))
	if err != nil {
		t.Fatal(err)
	}
	var entries []entry
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		t.Fatal(err)
	}
	total, fonts := 0.0, 0
	var parts []string
	for _, e := range entries {
		total += e.Transfer
		parts = append(parts, e.Name+" "+strconv.Itoa(int(e.Transfer)))
		if strings.HasSuffix(e.Name, ".woff2") {
			fonts++
		}
		if e.Transfer == 0 {
			t.Errorf("%s: transferred 0 bytes: served from a cache, not a first visit", e.Name)
		}
	}
	if len(entries) < 4 || fonts == 0 || entries[0].Encoded >= entries[0].Decoded {
		t.Errorf("the visit saw %d entries, %d fonts; the page %v bytes on the wire for %v: %v", len(entries), fonts, entries[0].Encoded, entries[0].Decoded, parts)
	}
	t.Logf("first visit to the Persian home: %d bytes transferred = %s", int(total), strings.Join(parts, " + "))
	if total > homeBudget {
		t.Errorf("the first visit transfers %d bytes, over the budget of %d", int(total), homeBudget)
	}
}
