package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/internal/testkit"
)

// TestBrowserFollowThrough: the public follow-through pages — actions,
// meetings, a meeting, a project's timeline — in Persian and English, on a
// desktop and on a 360 px phone: right language and direction, no script
// error or request elsewhere, never wider than the window; the timeline
// prints without the navigation.
func TestBrowserFollowThrough(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	srv, _ := followEnv(t, testkit.Engines()[0])
	b := startBrowser(t, &env{Server: srv, t: t})
	pages := []struct {
		name, path string
		want       map[string][]string
	}{
		{"actions", "/actions", map[string][]string{"fa": {"۲۱ روز از مهلت گذشته", "REDATEREASON"}, "en": {"21 days overdue", "Social Security"}}},
		{"actions-overdue", "/actions?status=overdue", map[string][]string{"fa": {"LATEACT"}, "en": {"LATEACT"}}},
		{"meetings", "/meetings", map[string][]string{"fa": {"منتشرشده"}, "en": {"published", "not published yet"}}},
		{"meeting", "/meetings/itec-1", map[string][]string{"fa": {"PUBDEC"}, "en": {"PUBDEC", "PUBACT"}}},
		{"timeline", "/projects/p0/timeline", map[string][]string{"fa": {"۱۴۰۲/۰۹/۲۹"}, "en": {"Baseline 1 approved", "REDATEREASON"}}},
	}
	for _, p := range pages {
		for _, lang := range []string{"fa", "en"} {
			for _, size := range []struct {
				name          string
				width, height int64
			}{{"desktop", 1280, 900}, {"phone", 360, 740}} {
				name := "follow-" + p.name + "-" + lang + "-" + size.name
				t.Run(name, func(t *testing.T) {
					t.Parallel() // read-only pages, each in a tab of its own
					sep := "?"
					if strings.Contains(p.path, "?") {
						sep = "&"
					}
					tb := b.open(t, p.path+sep+"lang="+lang, size.width, size.height)
					b.check(t, tb, lang)
					text := tb.text(t)
					for _, w := range p.want[lang] {
						if !strings.Contains(text, w) {
							t.Errorf("%s does not show %q", p.path, w)
						}
					}
					for _, s := range secrets {
						if strings.Contains(text, s) {
							t.Errorf("%s shows %q", p.path, s)
						}
					}
					b.screenshot(t, tb, name)
				})
			}
		}
	}
	t.Run("timeline-print", func(t *testing.T) {
		tb := b.open(t, "/projects/p0/timeline?lang=en", 1280, 900)
		if err := chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		})); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`[getComputedStyle(document.querySelector('.site-header nav')).display,
				getComputedStyle(document.querySelector('table.timeline-table')).display]`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != "none" || got[1] == "none" {
			t.Errorf("printed: nav display %q, timeline display %q; want the nav hidden and the timeline shown", got[0], got[1])
		}
	})
}
