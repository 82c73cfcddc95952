package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/xuri/excelize/v2"
)

// The browser tests drive a real headless Chromium (Debian's `chromium`
// package; .ci/run installs it) over the public portal. They skip, saying
// so, when no Chromium is found. Each saves screenshots under
// $PISHRAN_SCREENSHOTS (default: a new temporary folder, logged).

// chromiumPath finds the browser: $PISHRAN_CHROMIUM, then the usual names.
func chromiumPath() string {
	if p := os.Getenv("PISHRAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

var (
	shotsOnce sync.Once
	shotsDir  string
)

// screenshotDir is where the screenshots go: $PISHRAN_SCREENSHOTS, or a
// temporary folder kept after the run so a person can look at them.
func screenshotDir(t *testing.T) string {
	shotsOnce.Do(func() {
		shotsDir = os.Getenv("PISHRAN_SCREENSHOTS")
		if shotsDir == "" {
			d, err := os.MkdirTemp("", "pishran-screenshots-")
			if err != nil {
				t.Fatal(err)
			}
			shotsDir = d
		}
		if err := os.MkdirAll(shotsDir, 0o755); err != nil {
			t.Fatal(err)
		}
	})
	return shotsDir
}

// browserEnv is the test server and one headless Chromium.
type browserEnv struct {
	*env
	ctx   context.Context
	shots string
}

func newBrowser(t *testing.T) *browserEnv {
	t.Helper()
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	return startBrowser(t, newEnv(t, testkit.Engines()[0]))
}

// startBrowser opens, for the server env runs, a browser context of the
// test's own (cookies, storage and downloads apart from every other test's,
// as in a fresh browser) in the package's one headless Chromium.
func startBrowser(t *testing.T, env *env) *browserEnv {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	root, err := chromium.start(bin)
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the test's browser context
		t.Fatalf("new browser context: %v", err)
	}
	dir := screenshotDir(t)
	t.Logf("screenshots in %s", dir)
	return &browserEnv{env: env, ctx: ctx, shots: dir}
}

// chromium is the package's one headless Chromium, started by the first
// browser test and stopped by TestMain: starting a browser costs more than
// most of the tests' page visits, and a browser context per test keeps the
// tests apart.
var chromium sharedBrowser

type sharedBrowser struct {
	once  sync.Once
	ctx   context.Context
	err   error
	close func()
}

func (c *sharedBrowser) start(bin string) (context.Context, error) {
	c.once.Do(func() {
		profile, err := os.MkdirTemp("", "pishran-chromium-")
		if err != nil {
			c.err = err
			return
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromiumOptions(bin, profile)...)
		ctx, cancel := chromedp.NewContext(alloc)
		c.ctx, c.close = ctx, func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }
		if c.err = chromedp.Do(ctx); c.err != nil { // starts the browser
			c.close()
		}
	})
	return c.ctx, c.err
}

// stop stops the browser, if a test started it.
func (c *sharedBrowser) stop() {
	c.once.Do(func() { c.err = context.Canceled })
	if c.close != nil && c.err == nil {
		c.close()
	}
}

func chromiumOptions(bin, profile string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
	}
}

// tab is one page visit: its tab, and what the page did.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	errors   []string // console errors, exceptions, browser log errors (CSP violations among them)
	requests []string // every URL the page asked for
}

// open opens path in a new tab of the given size; before runs first (a
// cookie to set, say).
func (b *browserEnv) open(t *testing.T, path string, width, height int64, before ...chromedp.Action[chromedp.Void]) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelT)
	tb := &tab{ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, fmt.Sprint(a.Value, a.Description))
				}
				tb.errors = append(tb.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			msg := ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
			tb.errors = append(tb.errors, "exception: "+msg)
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				tb.errors = append(tb.errors, "log ("+string(ev.Entry.Source)+"): "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			tb.requests = append(tb.requests, ev.Request.URL)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, before...); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(b.URL+path)); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
	// Wait for the deferred scripts and the fonts.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	return tb
}

// check asserts what every page must satisfy: its language and direction,
// no JavaScript error, no request to another origin, and the Vazirmatn font
// actually in use.
func (b *browserEnv) check(t *testing.T, tb *tab, lang string) {
	t.Helper()
	dir := map[string]string{"fa": "rtl", "en": "ltr"}[lang]
	got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[document.documentElement.lang, document.documentElement.dir, getComputedStyle(document.body).direction]`))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint([]string{lang, dir, dir}) {
		t.Errorf("lang, dir, computed direction = %v, want %s %s", got, lang, dir)
	}
	font, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](
		`[...document.fonts].some(f => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded')`))
	if err != nil || !font {
		t.Errorf("the Vazirmatn font is not loaded (%v)", err)
	}
	// No horizontal scrolling of the page itself (tables scroll in their
	// own box).
	over, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if err != nil || over > 1 {
		t.Errorf("the page is %dpx wider than the window (%v)", over, err)
	}
	time.Sleep(100 * time.Millisecond) // let the last events arrive
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		t.Errorf("browser error: %s", e)
	}
	origin, _ := url.Parse(b.URL)
	if len(tb.requests) == 0 {
		t.Error("no request seen: the network listener is broken")
	}
	for _, r := range tb.requests {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "data" && u.Host != origin.Host) {
			t.Errorf("request to another origin: %s", r)
		}
	}
}

func (b *browserEnv) screenshot(t *testing.T, tb *tab, name string) {
	t.Helper()
	// A page no taller than the window is captured as the window shows it:
	// Chromium's capture beyond the viewport shifts a short right-to-left
	// page sideways.
	fits, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollHeight <= window.innerHeight`))
	if err != nil {
		t.Fatal(err)
	}
	img, err := chromedp.Run(tb.ctx, jpegShot(!fits))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(b.shots, name+".jpg")
	if err := os.WriteFile(p, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", p, len(img))
}

// jpegShot captures the window (full: the whole page) as a JPEG of
// quality 90: Chromium encoded the PNGs it took before at several times
// the cost, and they are for people to look at, not for comparing.
func jpegShot(full bool) chromedp.Action[[]byte] {
	return func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		yes, q := true, int64(90)
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			CaptureBeyondViewport: &full, FromSurface: &yes, Format: page.CaptureScreenshotFormatJpeg, Quality: &q})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	}
}

func (tb *tab) text(t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBrowserPages(t *testing.T) {
	b := newBrowser(t)
	for _, c := range []struct {
		name, path, lang string
		width, height    int64
		want             []string
	}{
		{"home-fa", "/?lang=fa", "fa", 1280, 900, []string{"۱۳۹۷/۰۱/۲۲", "مقایسه فهرست دولت دوازدهم و دولت سیزدهم", "۲۳ اعلام‌شده، ۲۰ نام‌برده"}},
		{"home-en", "/?lang=en", "en", 1280, 900, []string{"2018-04-11", "Compare the lists of the 12th government and the 13th government"}},
		{"home-fa-phone", "/?lang=fa", "fa", 390, 844, []string{"۱۳۹۷/۰۱/۲۲"}},
		{"project-fa", "/projects/e-health?lang=fa", "fa", 1280, 900, []string{"۱۳۹۷/۰۱/۲۲", "هنوز گزارشی نیامده", "سلامت هوشمند"}},
		{"project-en", "/projects/e-health?lang=en", "en", 1280, 900, []string{"2018-04-11", "not yet reported", "Smart health"}},
		{"program-fa", "/programs/gov12-egov-priority?lang=fa", "fa", 1280, 900, []string{"۱ پروژه محرمانه فهرست نشده", "از یک منبع"}},
		{"data-en", "/data?lang=en", "en", 1280, 900, []string{"Open data", "XLSX"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // read-only pages, each in a tab of its own
			tb := b.open(t, c.path, c.width, c.height)
			b.check(t, tb, c.lang)
			text := tb.text(t)
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("the page does not show %q", w)
				}
			}
			b.screenshot(t, tb, c.name)
		})
	}
}

// TestBrowserCompare: the comparison page's chart is drawn by the vendored
// Chart.js from the page's JSON, under the CSP, and the home page reaches
// it in one click.
func TestBrowserCompare(t *testing.T) {
	b := newBrowser(t)
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) {
			tb := b.open(t, "/?lang="+lang, 1280, 900)
			if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS("a.cta")), chromedp.WaitVisible(chromedp.ID("compare-chart"))); err != nil {
				t.Fatalf("from home to the comparison: %v", err)
			}
			drawn, err := chromedp.Run(tb.ctx, chromedp.Poll[int](`(() => {
				const c = document.getElementById('compare-chart');
				if (!c || c.getAttribute('data-drawn') !== 'true' || c.width === 0) return 0;
				const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
				let n = 0;
				for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
				return n > 1000 ? n : 0;
			})()`, chromedp.WithPollingTimeout(15*time.Second)))
			if err != nil {
				t.Fatalf("the chart was not drawn: %v", err)
			}
			t.Logf("chart: %d painted pixels", drawn)
			loc, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
			if err != nil || !strings.Contains(loc, "from=gov12-egov-priority") || !strings.Contains(loc, "to=gov13-smart-driving") {
				t.Errorf("the home link led to %q", loc)
			}
			b.screenshot(t, tb, "compare-"+lang)

			// The form swaps in another comparison with htmx (the same form
			// submits as a plain GET without JavaScript), and the chart is
			// drawn again from the new page's data.
			if err := chromedp.Do(tb.ctx,
				chromedp.SetValue(chromedp.ID("compare-from"), "gov13-smart-driving"),
				chromedp.SetValue(chromedp.ID("compare-to"), "gov12-egov-priority"),
				chromedp.Click(chromedp.CSS(".compare-form button")),
			); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`location.search.includes("from=gov13-smart-driving") &&
				document.getElementById('compare-chart')?.getAttribute('data-drawn') === 'true' &&
				document.querySelector('#comparison h2 a')?.getAttribute('href') === '/programs/gov13-smart-driving'`,
				chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				state, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[location.search,
					String(document.getElementById('compare-chart')?.getAttribute('data-drawn')),
					String(document.querySelector('#comparison h2 a')?.getAttribute('href')),
					String(typeof htmx)]`))
				tb.mu.Lock()
				t.Fatalf("the reversed comparison was not swapped in and drawn: %v; state %q; errors %q", err, state, tb.errors)
			}
			b.check(t, tb, lang)
		})
	}
}

// TestBrowserDownloads downloads the CSV and XLSX files the way a visitor
// does, by clicking their links on the data page, and parses them.
func TestBrowserDownloads(t *testing.T) {
	b := newBrowser(t)
	tb := b.open(t, "/data?lang=en", 1280, 900)
	dir := t.TempDir()
	if err := chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
			BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID}) // the test's own context
		return err
	})); err != nil {
		t.Fatal(err)
	}
	want := b.apiCount("/api/v1/projects")
	for _, file := range []string{"projects.csv", "projects.xlsx"} {
		// Subscribe before the click; leaving the loop below ends the
		// subscription.
		progress := chromedp.Events(tb.ctx, browser.DownloadProgress)
		if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(`a[href="/data/`+file+`"]`))); err != nil {
			t.Fatal(err)
		}
		var guid string
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				guid = ev.GUID
				break
			}
			if ev.State == browser.DownloadProgressStateCanceled {
				t.Fatalf("%s: download canceled", file)
			}
		}
		body, err := os.ReadFile(filepath.Join(dir, guid))
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		if strings.HasSuffix(file, ".csv") {
			if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
				t.Error("the CSV has no BOM")
			}
			rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
		} else {
			var f *excelize.File
			if f, err = excelize.OpenReader(bytes.NewReader(body)); err == nil {
				rows, err = f.GetRows("projects")
				f.Close()
			}
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(rows)-1 != want || !strings.Contains(fmt.Sprint(rows), "سلامت هوشمند") {
			t.Errorf("%s: %d rows, want %d with Persian titles", file, len(rows)-1, want)
		}
		t.Logf("downloaded %s: %d bytes, %d rows", file, len(body), len(rows)-1)
	}
	b.check(t, tb, "en")
	b.screenshot(t, tb, "data-downloads-en")
}

// TestBrowserHarness shows the checks above can fail: a console error and
// an inline script (refused by the CSP) are both caught.
func TestBrowserHarness(t *testing.T) {
	b := newBrowser(t)
	tb := b.open(t, "/?lang=en", 1280, 900)
	if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](`console.error("probe");
		const s = document.createElement("script"); s.textContent = "window.inlineRan = true"; document.body.append(s);`)); err != nil {
		t.Fatal(err)
	}
	ran, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.inlineRan === true`))
	if err != nil || ran {
		t.Errorf("an inline script ran under the CSP (%v)", err)
	}
	time.Sleep(200 * time.Millisecond)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	all := strings.Join(tb.errors, "\n")
	if !strings.Contains(all, "probe") || !strings.Contains(all, "Content Security Policy") {
		t.Errorf("the harness missed the console error or the CSP violation; it saw:\n%s", all)
	}
}

func ptr[T any](v T) *T { return &v }
