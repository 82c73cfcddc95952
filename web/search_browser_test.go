package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearch: a visitor types a project's name with Arabic letter
// forms into the header's box on the Persian home page and lands on its
// result, the words marked; in English, the search page's own box finds a
// project by its English words. No JavaScript is needed (a plain GET form),
// none fails, and the page fits the window.
func TestBrowserSearch(t *testing.T) {
	b := newBrowser(t)
	for _, c := range []struct {
		lang, start, box, query, want, text string
	}{
		{"fa", "/?lang=fa", "nav-q", "سيستم ماليات الكترونيك", "/projects/e-tax", "مالیات"},
		{"en", "/search?lang=en", "search-q", "smart HEALTH", "/projects/smart-health", "Smart health"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			tb := b.open(t, c.start, 1280, 900)
			if err := chromedp.Do(tb.ctx,
				chromedp.SetValue(chromedp.ID(c.box), c.query),
				chromedp.Submit(chromedp.ID(c.box)),
			); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`location.pathname === '/search' &&
				!!document.querySelector('.search-hits a[href="`+c.want+`"]') && !!document.querySelector('.search-hits mark')`,
				chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				t.Fatalf("no result linking %s: %v\n%s", c.want, err, tb.text(t))
			}
			b.check(t, tb, c.lang)
			text := tb.text(t)
			if !strings.Contains(text, c.text) {
				t.Errorf("the results do not show %q", c.text)
			}
			b.screenshot(t, tb, "search-"+c.lang)
		})
	}
}
