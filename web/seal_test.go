package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// sealed closes session 29 of the staff fixture with a decision about
// e-rx and accepts moh's report on e-rx; it returns the codes of the
// decision, the minutes and the report.
func (se *staffEnv) sealed(t testing.TB) (decision, minutes, report string) {
	t.Helper()
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := se.svc.RecordOutcome(se.Ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "29/1",
		Text: domain.T("نسخه الکترونیک در همه استان‌ها اجرا شود", "Roll e-prescription out in every province"), Projects: []string{"e-rx"}})
	must(err)
	_, err = se.svc.CloseMeeting(se.Ctx, sec, "itec-29", 0)
	must(err)
	_, err = se.svc.SubmitReport(se.Ctx, moh, se.MohReport, 0)
	must(err)
	_, err = se.svc.AcceptReport(se.Ctx, sec, se.MohReport, 0, domain.Text{})
	must(err)
	one := func(kind, ref string) string {
		t.Helper()
		codes, err := se.svc.PublishedCodes(se.Ctx, kind, ref)
		if err != nil || len(codes) != 1 {
			t.Fatalf("%s %s: %v %v", kind, ref, codes, err)
		}
		return codes[0]
	}
	return one("decision", "itec-29/29/1"), one("minutes", "itec-29"), one("report", "report/"+strconv.FormatInt(se.MohReport, 10))
}

// TestSealsOnPages: every page that shows a published record shows its
// code, its verification address (absolute) and its QR code's image, in
// both languages: the public decisions and project pages, the staff
// meeting and report pages. The decisions' open data carry the code and
// the address, described in the dictionary.
func TestSealsOnPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			decision, minutes, report := se.sealed(t)
			base := se.URL
			shows := func(r *scenario.Response, codes ...string) {
				t.Helper()
				if r.Status != http.StatusOK {
					t.Fatalf("%s: %d", r.URL, r.Status)
				}
				for _, c := range codes {
					for _, want := range []string{">" + c + "<", `src="/verify/` + c + `/qr.svg"`, `href="` + base + `/verify/` + c + `"`} {
						if !strings.Contains(r.Text(), want) {
							t.Errorf("%s lacks %s", r.URL, want)
						}
					}
				}
			}
			wired := serveWired(t, se.Staff.Env) // the project page's follow-up, as serve wires it
			for _, lang := range []string{"fa", "en"} {
				shows(se.Page("", "/decisions", lang), decision)
				base = wired.URL
				shows(wired.Page("", "/projects/e-rx", lang), decision, report)
				base = se.URL
				shows(se.Page(se.SignIn("sec"), "/staff/meetings/itec-29", lang), minutes, decision)
				shows(se.Page(se.SignIn("moh-focal"), "/staff/reports/"+strconv.FormatInt(se.MohReport, 10), lang), report)
			}
			if !strings.Contains(se.Page("", "/decisions", "en").Text(), "Verification code") {
				t.Error("the decisions page does not name the code")
			}
			// The images the pages point to are the QR codes.
			qr := se.Page("", "/verify/"+decision+"/qr.svg", "")
			if qr.Status != http.StatusOK || qr.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(qr.Text(), "<svg") {
				t.Errorf("qr.svg: %d %s", qr.Status, qr.Header.Get("Content-Type"))
			}

			// The decisions' open data.
			rows := csvRows(t, se.Page("", "/data/decisions.csv", ""))
			col := map[string]int{}
			for i, name := range rows[0] {
				col[name] = i
			}
			found := false
			for _, r := range rows[1:] {
				if r[col["meeting"]] == "itec-29" {
					found = true
					if r[col["verification_code"]] != decision || r[col["verify_url"]] != base+"/verify/"+decision {
						t.Errorf("decisions.csv row: %q", r)
					}
				}
			}
			if !found {
				t.Error("decisions.csv lacks itec-29's decision")
			}
			var j struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(se.Page("", "/data/decisions.json", "").Body, &j); err != nil {
				t.Fatal(err)
			}
			found = false
			for _, it := range j.Items {
				if it["meeting"] == "itec-29" {
					found = it["verification_code"] == decision && it["verify_url"] == base+"/verify/"+decision
				}
			}
			if !found {
				t.Error("decisions.json lacks the code or the address")
			}
			f, err := excelize.OpenReader(bytes.NewReader(se.Page("", "/data/decisions.xlsx", "").Body))
			if err != nil {
				t.Fatal(err)
			}
			xrows, _ := f.GetRows("decisions")
			f.Close()
			if !strings.Contains(strings.Join(xrows[0], ","), "verification_code,verify_url") ||
				!slicesContain(xrows, []string{decision, base + "/verify/" + decision}) {
				t.Errorf("decisions.xlsx lacks the code and the address: %v", xrows[0])
			}
			dict := se.Page("", "/data/dictionary", "en").Text()
			for _, want := range []string{"verification_code", "verify_url", "Safe to open in a spreadsheet", "single quote"} {
				if !strings.Contains(dict, want) {
					t.Errorf("the dictionary lacks %q", want)
				}
			}
			if d := se.Page("", "/data/dictionary.csv", "").Text(); !strings.Contains(d, "decisions,verify_url,") {
				t.Error("dictionary.csv lacks verify_url")
			}
		})
	}
}

// serveWired serves the API and the site as `pishran serve` does.
func serveWired(t testing.TB, sc *scenario.Env) *env {
	t.Helper()
	return serve(t, sc, scenario.Site(web.Options{}))
}

func slicesContain(rows [][]string, pair []string) bool {
	for _, r := range rows {
		if strings.Contains(strings.Join(r, "\x00"), pair[0]+"\x00"+pair[1]) {
			return true
		}
	}
	return false
}

func csvRows(t *testing.T, r *scenario.Response) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) < 1 {
		t.Fatalf("%s: %v", r.URL, err)
	}
	return rows
}

// TestPageCacheKeepsHosts: with no public URL the verification addresses
// are built on the request's Host, so the page cache keeps a page per
// host: a Host one visitor sends never reaches the next.
func TestPageCacheKeepsHosts(t *testing.T) {
	se := newStaffEnv(t, testkit.Engines()[0])
	decision, _, _ := se.sealed(t)
	r := se.Do(scenario.Request{Method: http.MethodGet, Path: "/decisions", Host: "evil.example"})
	if !strings.Contains(r.Text(), "http://evil.example/verify/"+decision) {
		t.Fatalf("the page asked under another Host does not use it (%d)", r.Status)
	}
	if next := se.Page("", "/decisions", "").Text(); strings.Contains(next, "evil.example") || !strings.Contains(next, se.URL+"/verify/"+decision) {
		t.Error("a Host another visitor sent reached the next visitor's page")
	}
}

// TestOpenDataFormulas: titles a spreadsheet would take as formulas are
// neutralised in the CSV (a quote in front), kept as they are in JSON, and
// are plain strings in the XLSX — no formula element anywhere in the
// workbook.
func TestOpenDataFormulas(t *testing.T) {
	planted := []string{`=HYPERLINK("http://x","y")`, "+1+1", "@SUM(A1)", "-2+3"}
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			for i, title := range planted {
				p := &domain.Project{Slug: "planted-" + strconv.Itoa(i), Title: domain.T(title, title),
					Scope: domain.T("آزمون", "test"), Kind: domain.KindService, Confidentiality: domain.Public, Status: domain.Proposed,
					Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "tax", Role: domain.RoleParticipant}}}
				if err := se.svc.CreateProject(se.Ctx, service.System, p); err != nil {
					t.Fatalf("%q: %v", title, err)
				}
			}
			rows := csvRows(t, se.Page("", "/data/projects.csv", ""))
			xlsx := se.Page("", "/data/projects.xlsx", "")
			var j struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(se.Page("", "/data/projects.json", "").Body, &j); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(xlsx.Body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			xrows, _ := f.GetRows("projects")
			for i, title := range planted {
				slug := "planted-" + strconv.Itoa(i)
				var csvRow, xRow []string
				xAt := 0
				for _, r := range rows {
					if r[0] == slug {
						csvRow = r
					}
				}
				for k, r := range xrows {
					if r[0] == slug {
						xRow, xAt = r, k+1
					}
				}
				if csvRow == nil || csvRow[1] != "'"+title || csvRow[2] != "'"+title {
					t.Errorf("CSV row of %q: %q", title, csvRow)
				}
				if xRow == nil || xRow[1] != title {
					t.Errorf("XLSX row of %q: %q", title, xRow)
				}
				cell := "B" + strconv.Itoa(xAt)
				if typ, err := f.GetCellType("projects", cell); err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
					t.Errorf("XLSX %s (%q) is of type %v (%v), want a string", cell, title, typ, err)
				}
				if fm, err := f.GetCellFormula("projects", cell); err != nil || fm != "" {
					t.Errorf("XLSX %s has the formula %q (%v)", cell, fm, err)
				}
				found := false
				for _, it := range j.Items {
					found = found || (it["slug"] == slug && it["title_en"] == title)
				}
				if !found {
					t.Errorf("JSON lacks %q as it is", title)
				}
			}
			// No formula element in any part of the workbook.
			zr, err := zip.NewReader(bytes.NewReader(xlsx.Body), int64(len(xlsx.Body)))
			if err != nil {
				t.Fatal(err)
			}
			formula := regexp.MustCompile(`<(\w+:)?f[ >/]`)
			for _, zf := range zr.File {
				rc, err := zf.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				if formula.Match(b) {
					t.Errorf("%s holds a formula element", zf.Name)
				}
			}
		})
	}
}
