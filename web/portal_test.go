package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// portalEnv is the staff fixture (over the reference dataset) with moh's
// report on e-rx accepted and decisions recorded at itec-29 — one about
// e-rx, one about the confidential secret-rx — served as `pishran serve`
// serves it.
type portalEnv struct {
	*staffEnv
	portal *env
}

const (
	publicDecision = "Roll electronic prescriptions out to every province"
	secretDecision = "Fund the confidential prescription pilot"
)

func newPortalEnv(t *testing.T, e testkit.Engine) *portalEnv {
	t.Helper()
	se := newStaffEnv(t, e)
	ctx, svc := se.Ctx, se.svc
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	r, err := svc.Report(ctx, moh, se.MohReport)
	if err != nil {
		t.Fatal(err)
	}
	if r, err = svc.SubmitReport(ctx, moh, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.AcceptReport(ctx, sec, r.ID, r.Version, domain.T("پذیرفته شد", "accepted")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		res, fa, en, project string
	}{{"29/1", "نسخه الکترونیک در همه استان‌ها", publicDecision, "e-rx"},
		{"29/2", "تأمین مالی آزمایش محرمانه", secretDecision, "secret-rx"}} {
		if _, _, err := svc.RecordOutcome(ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: d.res,
			Text: domain.T(d.fa, d.en), Projects: []string{d.project}}); err != nil {
			t.Fatal(err)
		}
	}
	portal := serve(t, se.Staff.Env, scenario.SiteOnly(),
		scenario.Site(web.Options{}))
	return &portalEnv{staffEnv: se, portal: portal}
}

// TestServiceFollowUp: a project with a
// baseline and an accepted report shows its computed status and the
// period end of that report, the decision about it and its ratings; the
// home page shows computed statuses; the confidential project stays
// hidden.
func TestServiceFollowUp(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			pe := newPortalEnv(t, e)
			last := pe.LastMonth.End()
			en := pe.portal.Page("", "/projects/e-rx", "en")
			en.CheckPage(t, http.StatusOK, "en")
			for _, want := range []string{`<time datetime="` + last.String() + `">` + last.String() + `</time>`,
				publicDecision, "council rating", "Probable", "Feasible, with significant issues", `class="badge rag-`} {
				if !strings.Contains(en.Text(), want) {
					t.Errorf("en project page lacks %q", want)
				}
			}
			for _, bad := range []string{"not computed yet", "not yet reported", secretDecision} {
				if strings.Contains(en.Text(), bad) {
					t.Errorf("en project page shows %q", bad)
				}
			}
			fa := pe.portal.Page("", "/projects/e-rx", "fa")
			fa.CheckPage(t, http.StatusOK, "fa")
			if !strings.Contains(fa.Text(), web.FA.Date(last)) || !strings.Contains(fa.Text(), "نسخه الکترونیک در همه استان‌ها") {
				t.Error("fa project page lacks the Jalali last-report date or the decision")
			}
			if strings.Contains(fa.Text(), "هنوز محاسبه نشده") {
				t.Error("fa project page says the status is not computed")
			}
			home := pe.portal.Page("", "/", "en")
			home.CheckPage(t, http.StatusOK, "en")
			if strings.Contains(home.Text(), "not computed yet") || !strings.Contains(home.Text(), `class="badge rag-`) {
				t.Error("the home page does not show computed statuses")
			}
			if r := pe.portal.Page("", "/projects/secret-rx", "en"); r.Status != http.StatusNotFound {
				t.Errorf("confidential project page: %d", r.Status)
			}
		})
	}
}

// TestDecisionsPage: the public decisions page lists a recorded decision
// in both languages, links the Atom feed from its head and its body, and
// leaves out the decision about the confidential project; the header
// links to it.
func TestDecisionsPage(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			pe := newPortalEnv(t, e)
			feedHead := `<link rel="alternate" type="application/atom+xml" href="/api/v1/decisions.atom"`
			for lang, want := range map[string][]string{
				"en": {publicDecision, "Atom feed of the decisions", `<time datetime="` + pe.Today.AddDays(-10).String() + `">`},
				"fa": {"نسخه الکترونیک در همه استان‌ها", "خوراک Atom مصوبات", web.FA.Date(pe.Today.AddDays(-10))},
			} {
				r := pe.portal.Page("", "/decisions", lang)
				r.CheckPage(t, http.StatusOK, lang)
				for _, w := range append(want, feedHead, `href="/api/v1/decisions.atom"`, `href="/projects/e-rx"`) {
					if !strings.Contains(r.Text(), w) {
						t.Errorf("%s decisions page lacks %q", lang, w)
					}
				}
				for _, bad := range []string{secretDecision, "تأمین مالی آزمایش محرمانه", "secret-rx"} {
					if strings.Contains(r.Text(), bad) {
						t.Errorf("%s decisions page shows %q", lang, bad)
					}
				}
			}
			if home := pe.portal.Page("", "/", "fa"); !strings.Contains(home.Text(), `<a href="/decisions"`) {
				t.Error("the header does not link to the decisions page")
			}
			if r := pe.portal.Page("", "/decisions?after=x", "en"); r.Status != http.StatusBadRequest {
				t.Errorf("bad cursor: %d", r.Status)
			}
		})
	}
}

// TestFollowUpDatasets: the decisions and ratings datasets download as
// CSV, JSON and XLSX with the public's rows — the confidential project's
// decision and rating left out — and are in the data dictionary in both
// languages.
func TestFollowUpDatasets(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			pe := newPortalEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			day := pe.Today.AddDays(-3)
			if err := pe.svc.Rate(pe.Ctx, sec, &domain.Rating{Project: "secret-rx", Kind: domain.CouncilRating, Score: 2, Date: &day,
				Comment: domain.T("محرمانه", "confidential")}); err != nil {
				t.Fatal(err)
			}
			// The fixture: one public decision; e-rx's three ratings.
			for name, want := range map[string]struct {
				n     int
				has   string
				first string
			}{"decisions": {1, publicDecision, "id"}, "ratings": {3, "e-rx", "project"}} {
				csvR := pe.portal.Page("", "/data/"+name+".csv", "")
				jsonR := pe.portal.Page("", "/data/"+name+".json", "")
				xlsxR := pe.portal.Page("", "/data/"+name+".xlsx", "")
				for _, r := range []*scenario.Response{csvR, jsonR, xlsxR} {
					if r.Status != http.StatusOK {
						t.Fatalf("%s: %d", r.URL, r.Status)
					}
					if bytes.Contains(r.Body, []byte("secret-rx")) || bytes.Contains(r.Body, []byte(secretDecision)) {
						t.Errorf("%s names the confidential project", r.URL)
					}
				}
				rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvR.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
				if err != nil {
					t.Fatalf("%s.csv: %v", name, err)
				}
				if len(rows)-1 != want.n || rows[0][0] != want.first || rows[0][len(rows[0])-1] != "as_of" || rows[1][len(rows[1])-1] == "" {
					t.Errorf("%s.csv: %d rows (want %d), header %v", name, len(rows)-1, want.n, rows[0])
				}
				if !strings.Contains(csvR.Text(), want.has) {
					t.Errorf("%s.csv lacks %q", name, want.has)
				}
				var j struct {
					Dataset string           `json:"dataset"`
					AsOf    string           `json:"as_of"`
					Count   int              `json:"count"`
					Items   []map[string]any `json:"items"`
				}
				if err := json.Unmarshal(jsonR.Body, &j); err != nil {
					t.Fatalf("%s.json: %v", name, err)
				}
				if j.Dataset != name || j.Count != want.n || len(j.Items) != want.n || j.AsOf == "" {
					t.Errorf("%s.json: %q, count %d, %d items, as_of %q; want %d", name, j.Dataset, j.Count, len(j.Items), j.AsOf, want.n)
				}
				f, err := excelize.OpenReader(bytes.NewReader(xlsxR.Body))
				if err != nil {
					t.Fatalf("%s.xlsx: %v", name, err)
				}
				xrows, err := f.GetRows(name)
				if err != nil || len(xrows)-1 != want.n {
					t.Errorf("%s.xlsx: %d rows (want %d), %v", name, len(xrows)-1, want.n, err)
				}
			}
			if r := pe.portal.Page("", "/data/ratings.csv", ""); !strings.Contains(r.Text(), "Feasible, with significant issues") {
				t.Error("ratings.csv lacks the scale's label")
			}
			for lang, want := range map[string][]string{"en": {"Decisions", "Ratings", "delivery-confidence score"},
				"fa": {"مصوبات", "ارزیابی‌ها", "متن فارسی مصوبه"}} {
				for _, path := range []string{"/data", "/data/dictionary"} {
					r := pe.portal.Page("", path, lang)
					r.CheckPage(t, http.StatusOK, lang)
					if !strings.Contains(r.Text(), "/data/ratings.csv") && path == "/data" {
						t.Errorf("%s %s lacks the ratings download", lang, path)
					}
					if path == "/data/dictionary" {
						for _, w := range want {
							if !strings.Contains(r.Text(), w) {
								t.Errorf("%s %s lacks %q", lang, path, w)
							}
						}
					}
				}
			}
		})
	}
}
