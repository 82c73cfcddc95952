package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserPortalPages: the fate of the lists, the project index and the
// agencies' pages in both languages, at a desktop width and on a 360 px
// phone, with no page wider than its window (issue 14).
func TestBrowserPortalPages(t *testing.T) {
	b := newBrowser(t)
	for _, c := range []struct {
		path string
		want map[string]string // language → a text the page shows
	}{
		{"/", map[string]string{"fa": "جمع اجزا ۲۳ است", "en": "The parts add up to 23"}},
		{"/programs/gov12-egov-priority", map[string]string{"fa": "سرنوشت نامعلوم", "en": "fate unknown"}},
		{"/compare", map[string]string{"fa": "هر فهرست چه شد", "en": "What became of each list"}},
		{"/projects", map[string]string{"fa": "۲۲ پروژه", "en": "22 projects"}},
		{"/agencies", map[string]string{"fa": "روش", "en": "Method"}},
		{"/agencies/ito", map[string]string{"fa": "گزارش‌های نرسیده", "en": "Missed reports"}},
	} {
		for _, lang := range []string{"fa", "en"} {
			for _, w := range []int64{1280, 360} {
				if c.path == "/compare" && w == 360 {
					continue // the comparison's own form and chart are issue 14 point 8's (i14-light)
				}
				name := strings.Trim(strings.ReplaceAll(c.path, "/", "-"), "-")
				if name == "" {
					name = "home"
				}
				name += "-" + lang
				if w == 360 {
					name += "-phone"
				}
				t.Run(name, func(t *testing.T) {
					tb := b.open(t, c.path+"?lang="+lang, w, 800)
					b.check(t, tb, lang)
					if text := tb.text(t); !strings.Contains(text, c.want[lang]) {
						t.Errorf("the page does not show %q", c.want[lang])
					}
					b.screenshot(t, tb, "portal-"+name)
				})
			}
		}
	}
}

// TestBrowserProjectFilter filters the index with its form, without
// JavaScript's help: the filter is a GET link.
func TestBrowserProjectFilter(t *testing.T) {
	b := newBrowser(t)
	for _, lang := range []string{"fa", "en"} {
		t.Run(lang, func(t *testing.T) {
			tb := b.open(t, "/projects?lang="+lang, 360, 800)
			if err := chromedp.Do(tb.ctx,
				chromedp.SetValue(chromedp.ID("f-kind"), "infrastructure"),
				chromedp.Click(chromedp.CSS(".filters button")),
			); err != nil {
				t.Fatal(err)
			}
			// The form's GET loads a new page: ask until it has come.
			n, deadline := 0, time.Now().Add(15*time.Second)
			for n != 3 && time.Now().Before(deadline) {
				time.Sleep(200 * time.Millisecond)
				n, _ = chromedp.Run(tb.ctx, chromedp.Evaluate[int](`location.search.includes("kind=infrastructure") &&
					document.readyState === "complete" ? document.querySelectorAll('table.index tbody tr').length : 0`))
			}
			if n != 3 {
				t.Fatalf("the filtered index shows %d projects, want the 3 infrastructure ones", n)
			}
			b.check(t, tb, lang)
			b.screenshot(t, tb, "projects-filtered-"+lang)
		})
	}
}
