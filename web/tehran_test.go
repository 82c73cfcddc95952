package web

import (
	"strings"
	"testing"
	"time"
)

// TestStampInTehran: an instant is shown in Tehran time, whatever zone the
// server runs in — here one where 20:45 UTC is still the 27th while in
// Tehran it is past midnight, the 28th — and the <time> element keeps the
// UTC instant for machines.
func TestStampInTehran(t *testing.T) {
	at := time.Date(2026, 11, 27, 20, 45, 0, 0, time.FixedZone("server", -5*3600))
	at = at.Add(-5 * time.Hour) // 20:45 UTC, 15:45 on the server's clock
	for l, want := range map[Lang]string{FA: "۱۴۰۵/۰۹/۰۷ ۰۰:۱۵", EN: "2026-11-28 00:15"} {
		if got := l.Stamp(at); got != want {
			t.Errorf("%s: Stamp(%v) = %q, want %q", l, at, got, want)
		}
		h := string(l.stampHTML(at))
		if !strings.Contains(h, `datetime="2026-11-27T20:45:00Z"`) || !strings.Contains(h, ">"+want+"<") ||
			!strings.Contains(h, `title="`+l.T("time.tehran")+`"`) {
			t.Errorf("%s: stampHTML = %s", l, h)
		}
	}
	// Summer: Iran keeps UTC+03:30 all year since 1401.
	if got := EN.Stamp(time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC)); got != "2024-07-01 15:30" {
		t.Errorf("summer: %q, want 2024-07-01 15:30", got)
	}
}
