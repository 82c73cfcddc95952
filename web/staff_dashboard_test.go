package web_test

// Every workspace page for each role, and the dashboard's figures.

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

type staffPage struct {
	path  string
	roles []string // roles that get 200
	want  string   // text the page must show (English)
}

// staffPages lists the workspace's pages, who may open each, and what
// each must show.
func staffPages(se *staffEnv) []staffPage {
	all := []string{"sec", "admin1", "council1", "reader1", "moh-focal", "tax-focal"}
	sec := []string{"sec", "admin1"}
	return []staffPage{
		{"/staff", all, "Portfolio dashboard"},
		{"/staff/projects/e-rx", all, "Full membership history"},
		{"/staff/projects/secret-rx", []string{"sec", "admin1", "tax-focal"}, "Audit trail"},
		{"/staff/programs", all, "Lists and designation"},
		{"/staff/programs/gov13-smart-driving/designate", sec, "Check the rules"},
		{"/staff/programs/gov13-smart-driving/designate?project=solo-rx", sec, "blocking rules are broken"},
		{"/staff/meetings", all, "Meetings"},
		{"/staff/meetings/itec-30", all, "Agenda"},
		{"/staff/meetings/itec-29", all, "Connect the pharmacies"},
		{"/staff/agencies/moh/owes", []string{"sec", "admin1", "council1", "reader1", "moh-focal"}, "Progress reports owed"},
		{"/staff/agencies/tax/owes", []string{"sec", "admin1", "council1", "reader1", "tax-focal"}, "Open actions"},
		{"/staff/reports", all, "Progress reports"},
		{"/staff/reports?state=", all, "Progress reports"},
		{"/staff/reports/new", []string{"moh-focal", "tax-focal"}, "Which project is the report on?"},
		{"/staff/reports/new?project=e-rx", []string{"moh-focal"}, "Save the draft"},
		{"/staff/reports/" + strconv.FormatInt(se.MohReport, 10), []string{"sec", "admin1", "moh-focal"}, "Review history"},
		{"/staff/reports/" + strconv.FormatInt(se.MohReport, 10) + "/edit", []string{"moh-focal"}, "Edit the report"},
		{"/staff/reports/" + strconv.FormatInt(se.TaxReport, 10), []string{"sec", "admin1", "tax-focal"}, "Review history"},
		{"/staff/password", all, "Change your password"},
		// The registry's forms (registry_*.go).
		{"/staff/registry", sec, "Lacks, for a designation"},
		{"/staff/projects/new", sec, "Record a new project"},
		{"/staff/projects/solo-rx/edit", sec, "Participating agencies"},
		{"/staff/agencies/new", sec, "Record a new agency"},
		{"/staff/agencies/moh/edit", sec, "Parent agency"},
		{"/staff/laws/new", sec, "Record a new law"},
		{"/staff/laws/plan7/edit", sec, "Article number"},
		{"/staff/programs/new", sec, "Record a new list"},
		{"/staff/programs/gov13-smart-driving/edit", sec, "Adoption stages"},
		{"/staff/programs/gov13-smart-driving/stages", sec, "This list is not a draft"},
		{"/staff/programs/gov13-smart-driving/members", sec, "departure or correction"},
		{"/staff/programs/gov13-smart-driving/members/smart-health", sec, "Record the departure"},
	}
}

// TestStaffPages opens every workspace page in both languages as each role
// that may open it, checks it like every public page (lang and dir, CSP,
// labels, no unknown catalog key), and that the others are refused.
func TestStaffPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for _, p := range staffPages(se) {
				for _, who := range []string{"sec", "admin1", "council1", "reader1", "moh-focal", "tax-focal"} {
					allowed := false
					for _, r := range p.roles {
						allowed = allowed || r == who
					}
					for _, lang := range []string{"fa", "en"} {
						r := se.Page(se.SignIn(who), p.path, lang)
						if !allowed {
							if r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
								t.Errorf("%s as %s: %d, want 403 or 404", p.path, who, r.Status)
								continue
							}
							// The refusal is a proper page in the visitor's language.
							r.CheckPage(t, r.Status, lang)
							continue
						}
						r.CheckPage(t, http.StatusOK, lang)
						if lang == "en" && !strings.Contains(r.Text(), p.want) {
							t.Errorf("%s as %s lacks %q", p.path, who, p.want)
						}
					}
				}
			}
		})
	}
}

// TestStaffDashboard checks the dashboard's figures: each chart's data
// matches its table and the fixture.
func TestStaffDashboard(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			r := se.Page(se.SignIn("sec"), "/staff", "en")
			r.CheckPage(t, http.StatusOK, "en")
			charts := map[string]chartJSON{}
			for _, m := range regexp.MustCompile(`<canvas id="(chart-[a-z-]+)" class="staff-chart"[^>]* data-chart="([^"]*)"`).FindAllStringSubmatch(r.Text(), -1) {
				var c chartJSON
				if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &c); err != nil {
					t.Fatalf("%s: %v", m[1], err)
				}
				charts[m[1]] = c
			}
			for _, id := range []string{"chart-status", "chart-ratings", "chart-over-time", "chart-funnel"} {
				if _, ok := charts[id]; !ok {
					t.Errorf("no %s on the dashboard", id)
				}
			}
			// Status: every visible project is counted once; e-rx's and
			// secret-rx's status is unknown (a baseline, no accepted report).
			st := charts["chart-status"]
			total := 0
			for _, v := range st.Datasets[0].Data {
				total += int(*v)
			}
			// + secret-rx and the reference's anti-smuggling: the secretariat
			// sees confidential projects.
			if want := se.apiCount("/api/v1/projects") + 2; total != want {
				t.Errorf("status chart counts %d projects, want %d", total, want)
			}
			// Council ratings: e-rx's latest is 3.
			rt := charts["chart-ratings"]
			if len(rt.Labels) != 6 || *rt.Datasets[0].Data[2] != 1 || !strings.HasPrefix(rt.Labels[2], "3 — ") {
				t.Errorf("ratings chart %+v", rt)
			}
			// Over time: the two months with ratings have averages.
			ot := charts["chart-over-time"]
			if len(ot.Datasets) != 2 || len(ot.Labels) < 2 {
				t.Fatalf("over-time chart %+v", ot)
			}
			found := 0
			for _, v := range ot.Datasets[0].Data {
				if v != nil {
					found++
				}
			}
			if found != 2 {
				t.Errorf("over-time chart: %d months with council ratings, want 2: %+v", found, ot.Datasets[0].Data)
			}
			// Overdue action and stale reports.
			for _, want := range []string{"Connect the pharmacies", `href="/staff/agencies/moh/owes"`, "Electronic prescription",
				"Overdue reports", `href="/staff/projects/e-rx"`, "Projects at each adoption stage"} {
				if !strings.Contains(r.Text(), want) {
					t.Errorf("dashboard lacks %q", want)
				}
			}
			// Each chart has a table with the same figures: the status rows.
			for i, label := range st.Labels {
				row := regexp.MustCompile(`(?s)<span class="badge rag-[a-z-]+">` + regexp.QuoteMeta(label) + `</span></th><td class="num">(\d+)</td>`).FindStringSubmatch(r.Text())
				if row == nil || row[1] != strconv.Itoa(int(*st.Datasets[0].Data[i])) {
					t.Errorf("status table row %q = %v, chart %v", label, row, *st.Datasets[0].Data[i])
				}
			}
			// The public never sees secret-rx; an agency not on it neither.
			if strings.Contains(se.Page(se.SignIn("moh-focal"), "/staff", "en").Text(), "Confidential prescription") {
				t.Error("moh sees the confidential project on the dashboard")
			}
			// Narrowed to a list.
			if r := se.Page(se.SignIn("sec"), "/staff?program=gov13-smart-driving", "en"); r.Status != 200 {
				t.Errorf("dashboard for a list: %d", r.Status)
			}
			if r := se.Page(se.SignIn("sec"), "/staff?program=nope", "en"); r.Status != 404 {
				t.Errorf("dashboard for an unknown list: %d", r.Status)
			}
		})
	}
}

type chartJSON struct {
	Type     string   `json:"type"`
	Labels   []string `json:"labels"`
	Datasets []struct {
		Label string     `json:"label"`
		Data  []*float64 `json:"data"`
	} `json:"datasets"`
	RTL bool `json:"rtl"`
}
