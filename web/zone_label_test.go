package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// TestTimesSayTheirZone: wherever a workspace page shows a time of day
// (a <time> whose datetime carries one), the zone is said beside it, in
// the page's language, where a person sees it — not only in a tooltip. A
// bare date carries no label.
func TestTimesSayTheirZone(t *testing.T) {
	se := newStaffEnv(t, testkit.Engines()[0])
	// A stamp, then its visible label; a bare date's <time> has no "T".
	stamp := regexp.MustCompile(`<time datetime="\d{4}-\d\d-\d\dT[^"]*"[^>]*>[^<]*</time>(.{0,80})`)
	bare := regexp.MustCompile(`<time datetime="\d{4}-\d\d-\d\d">[^<]*</time> <span class="zone">`)
	label := map[string]string{"fa": `<span class="zone">به وقت تهران</span>`, "en": `<span class="zone">Tehran time</span>`}
	seen := 0
	for _, c := range []struct{ who, path string }{
		{"moh-focal", "/staff/reports"},
		{"sec", "/staff/projects/e-rx"},
		{"admin1", "/staff/accounts"},
		{"moh-focal", "/staff/reports/" + strconv.FormatInt(se.MohReport, 10)},
	} {
		for _, lang := range []string{"fa", "en"} {
			r := se.Page(se.SignIn(c.who), c.path, lang)
			if r.Status != http.StatusOK {
				t.Fatalf("%s %s: %d", c.path, lang, r.Status)
			}
			for _, m := range stamp.FindAllStringSubmatch(r.Text(), -1) {
				seen++
				if !strings.HasPrefix(m[1], " "+label[lang]) {
					t.Errorf("%s (%s): a time of day without its zone: %s", c.path, lang, m[0])
				}
			}
			if m := bare.FindString(r.Text()); m != "" {
				t.Errorf("%s (%s): a bare date labelled with a zone: %s", c.path, lang, m)
			}
		}
	}
	if seen < 4 {
		t.Errorf("only %d times of day on the pages: nothing to check", seen)
	}
}
