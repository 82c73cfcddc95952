package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// The fate of each list is on the home page, its program page and the top
// of the comparison, adding up to the declared size; a closed list is
// labelled as closed (issue 14, point 1).
func TestFateOnPages(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newEnv(t, e)
		for _, path := range []string{"/", "/programs/gov12-egov-priority", "/compare"} {
			en := env.Page("", path, "en")
			en.CheckPage(t, http.StatusOK, "en")
			for _, want := range []string{`class="fate-bar"`, "The parts add up to 23, the 23 places declared.",
				"fate unknown: on the list when it closed", "never named", "removed: completed", "evolved or replaced"} {
				if !strings.Contains(en.Text(), want) {
					t.Errorf("%s (en) lacks %q", path, want)
				}
			}
			fa := env.Page("", path, "fa")
			fa.CheckPage(t, http.StatusOK, "fa")
			if !strings.Contains(fa.Text(), "جمع اجزا ۲۳ است، برابر با ۲۳ جایگاه اعلام‌شده.") {
				t.Errorf("%s (fa) does not add up to ۲۳", path)
			}
		}
		home := env.Page("", "/", "en").Text()
		if !strings.Contains(home, "13 at close") {
			t.Error("the home page does not label the closed list's 13 as at close")
		}
		g12 := env.Page("", "/programs/gov12-egov-priority", "en").Text()
		for _, want := range []string{"At close", "Main (as designated)</dt><dd>3</dd>", "on the list when it closed; fate not recorded",
			"3 projects were designated main projects."} {
			if !strings.Contains(g12, want) {
				t.Errorf("the closed list's page lacks %q", want)
			}
		}
		if strings.Contains(g12, ">on the list<") {
			t.Error("a closed list's member is said to be on the list")
		}
		if etax := env.Page("", "/projects/e-tax", "en").Text(); !strings.Contains(etax, "on the list when it closed; fate not recorded") {
			t.Error("the project page says a closed list's member is on the list")
		}
		cmp := env.Page("", "/compare", "en").Text()
		if !strings.Contains(cmp, "this does not mean none was kept") {
			t.Error("the comparison's Kept 0 is not explained")
		}
	})
}

// /projects filters by list, agency, kind, lifecycle and computed status,
// in both languages, and leaves the confidential project out.
func TestProjectIndex(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newEnv(t, e)
		rows := func(path string) int {
			r := env.Page("", path, "en")
			r.CheckPage(t, http.StatusOK, "en")
			if strings.Contains(r.Text(), "anti-smuggling") {
				t.Errorf("%s names the confidential project", path)
			}
			return strings.Count(r.Text(), `<th scope="row"><a href="/projects/`)
		}
		for path, want := range map[string]int{
			"/projects":                                                 22,
			"/projects?program=gov13-smart-driving":                     2,
			"/projects?kind=infrastructure":                             3,
			"/projects?lifecycle=implemented":                           3,
			"/projects?status=no-baseline":                              22,
			"/projects?status=red":                                      0,
			"/projects?program=gov12-egov-priority&kind=infrastructure": 2,
		} {
			if got := rows(path); got != want {
				t.Errorf("%s: %d projects, want %d", path, got, want)
			}
		}
		fa := env.Page("", "/projects", "fa")
		fa.CheckPage(t, http.StatusOK, "fa")
		if !strings.Contains(fa.Text(), "۲۲ پروژه") || !strings.Contains(fa.Text(), "بی‌خط مبنا") {
			t.Error("the Persian index does not count ۲۲ projects with their status")
		}
		for _, bad := range []string{"/projects?kind=nope", "/projects?status=purple", "/projects?page=0", "/projects?agency=%3Cx%3E"} {
			if r := env.Page("", bad, "en"); r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", bad, r.Status)
			}
		}
		if r := env.Page("", "/projects?program=no-such-list", "en"); r.Status != http.StatusNotFound {
			t.Errorf("an unknown list: %d, want 404", r.Status)
		}
	})
}

// The agencies' index ranks them by their scorecards with the method on
// the page; an agency's page lists its missed reports (every period) and
// overdue actions; the scorecards download as CSV and JSON; the
// confidential project never shows.
func TestAgencyPages(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		pe := newPortalEnv(t, e)
		env := pe.portal
		for _, lang := range []string{"fa", "en"} {
			for _, path := range []string{"/agencies", "/agencies?sort=missed", "/agencies/moh", "/agencies/tax"} {
				r := env.Page("", path, lang)
				r.CheckPage(t, http.StatusOK, lang)
				if strings.Contains(r.Text(), "secret-rx") || strings.Contains(r.Text(), "Confidential prescription") ||
					strings.Contains(r.Text(), "نسخه محرمانه") {
					t.Errorf("%s (%s) names the confidential project", path, lang)
				}
			}
		}
		idx := env.Page("", "/agencies", "en").Text()
		for _, want := range []string{`href="/agencies/moh"`, "Method", "Every period past its deadline counts, not only the next one",
			`href="/scorecards.csv"`, `href="/scorecards.json"`} {
			if !strings.Contains(idx, want) {
				t.Errorf("/agencies lacks %q", want)
			}
		}
		if !strings.Contains(env.Page("", "/agencies", "fa").Text(), "همه دوره‌هایی که مهلتشان گذشته است شمرده می‌شوند") {
			t.Error("the method is not explained in Persian")
		}
		moh := env.Page("", "/agencies/moh", "en").Text()
		for _, want := range []string{"Missed reports", "Connect the pharmacies", "5 days", "Electronic prescription"} {
			if !strings.Contains(moh, want) {
				t.Errorf("/agencies/moh lacks %q", want)
			}
		}
		if r := env.Page("", "/agencies/no-such", "en"); r.Status != http.StatusNotFound {
			t.Errorf("an unknown agency: %d", r.Status)
		}
		if r := env.Page("", "/agencies?sort=bogus", "en"); r.Status != http.StatusBadRequest {
			t.Errorf("a bad sort: %d", r.Status)
		}

		c := env.Page("", "/scorecards.csv", "")
		if c.Status != http.StatusOK || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("scorecards.csv: %d %s", c.Status, c.Header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c.Body, []byte("\ufeff")))).ReadAll()
		testkit.Must(t, err)
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		found := false
		for _, r := range recs[1:] {
			if r[col["agency"]] == "moh" {
				found = true
				if r[col["reports_missed"]] == "0" || r[col["overdue_actions"]] != "1" {
					t.Errorf("moh's row: missed %s, overdue %s", r[col["reports_missed"]], r[col["overdue_actions"]])
				}
			}
		}
		if !found || strings.Contains(c.Text(), "secret-rx") {
			t.Errorf("scorecards.csv: moh found %v, or names the confidential project", found)
		}
		j := env.Page("", "/scorecards.json", "")
		var f struct {
			Count int              `json:"count"`
			Items []map[string]any `json:"items"`
		}
		if err := json.Unmarshal(j.Body, &f); err != nil || f.Count == 0 || f.Count != len(f.Items) {
			t.Errorf("scorecards.json: %v, %d items of %d", err, len(f.Items), f.Count)
		}
	})
}
