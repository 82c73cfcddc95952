package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/sheet"
)

// importFigures fills moh's figures template: e-rx's milestone at pct
// percent for last month. It returns the file's path.
func importFigures(t *testing.T, tpl []byte, pct, name string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms := sheet.MilestonesSheet.Name.FA
	rows, err := f.GetRows(ms)
	if err != nil {
		t.Fatal(err)
	}
	row := 0
	for i, r := range rows {
		if i >= 2 && len(r) > 0 && r[0] == "e-rx" {
			row = i + 1
		}
	}
	if row != 3 {
		t.Fatalf("e-rx's milestone is on row %d of the template, want 3", row)
	}
	if err := f.SetCellValue(ms, fmt.Sprintf("D%d", row), pct); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBrowserStaffImport is the import journey in Persian, in a real
// browser, as moh's focal point: the workspace's navigation leads to the
// import page; the figures template downloads (its own projects, e-rx's
// milestone prefilled); a file with a percentage of ۱۲۰ is reported at its
// sheet, row ۳ and column D, with the annotated workbook offered, and
// nothing is recorded; the corrected file shows its preview; applied with
// the confirmation ticked, moh's draft holds the figure.
func TestBrowserStaffImport(t *testing.T) {
	b, se := newStaffBrowser(t)
	ctx := context.Background()
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	planned := se.Today.AddDays(30)
	testkit.Must(t, se.Svc.CreateMilestone(ctx, moh, &domain.Milestone{Project: "e-rx", Title: domain.T("استقرار آزمایشی", "pilot"), Planned: &planned, Weight: 1}))

	tb := b.open(t, "/staff?lang=fa", 1280, 900, b.signedIn(t, se, "moh-focal"))
	tb.do(t, chromedp.Click(chromedp.CSS(`.staff-nav a[href="/staff/import"]`)))
	tb.waitFor(t, `location.pathname === "/staff/import" && document.getElementById('import-template')`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-import-fa")

	// The template, as the page's link serves it to the signed-in person.
	href, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.getElementById('import-template').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	r := se.Page(se.SignIn("moh-focal"), href, "")
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") || !bytes.HasPrefix(r.Body, []byte("PK")) {
		t.Fatalf("template: %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	bad := importFigures(t, r.Body, "۱۲۰", "figures-bad.xlsx")
	good := importFigures(t, r.Body, "۴۵٪", "figures.xlsx")

	tb.do(t, chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{bad}), chromedp.Click(chromedp.ID("import-upload")))
	tb.waitFor(t, `document.getElementById('import-issues')`)
	cell, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`(r => r ? [r.dataset.sheet, r.dataset.row, r.dataset.column, r.innerText] : [])(document.querySelector('#import-issues tr.issue'))`))
	if err != nil || len(cell) != 4 || cell[0] != sheet.MilestonesSheet.Name.FA || cell[1] != "3" || cell[2] != "D" ||
		!strings.Contains(cell[3], "۳") || !strings.Contains(cell[3], "۱۰۰") {
		t.Fatalf("the issue shown: %q (%v)", cell, err)
	}
	if n, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll('#import-issues tr.issue').length`)); n != 1 {
		t.Errorf("%d issues shown, want 1", n)
	}
	ann, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('a[href$="/annotated"]').getAttribute('href')`))
	if a := se.Page(se.SignIn("moh-focal"), ann, ""); a.Status != 200 || !bytes.HasPrefix(a.Body, []byte("PK")) {
		t.Errorf("annotated workbook %q: %d", ann, a.Status)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-import-report-fa")
	if rep, _ := se.Svc.Report(ctx, moh, se.MohReport); len(rep.Milestones) != 0 {
		t.Fatal("a file with errors changed the report")
	}

	tb.do(t, chromedp.SetUploadFiles(chromedp.ID("import-file"), []string{good}), chromedp.Click(chromedp.ID("import-upload")))
	tb.waitFor(t, `document.getElementById('import-ok') && document.getElementById('import-items')`)
	preview := tb.text(t)
	if !strings.Contains(preview, "گزارش پیشرفت (پیش‌نویس)") || !strings.Contains(preview, "e-rx") {
		t.Errorf("the preview:\n%s", preview)
	}
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-import-preview-fa")
	// Unconfirmed, it is not applied.
	tb.do(t, chromedp.Click(chromedp.ID("import-apply")))
	tb.waitFor(t, `document.getElementById('form-error')`)
	tb.forgive(t, "status of 422")
	tb.do(t, chromedp.Click(chromedp.ID("import-confirm")), chromedp.Click(chromedp.ID("import-apply")))
	tb.waitFor(t, `location.search.includes("done=applied") && document.getElementById('import-applied')`)
	b.check(t, tb, "fa")
	b.screenshot(t, tb, "staff-import-applied-fa")
	rep, err := se.Svc.Report(ctx, moh, se.MohReport)
	testkit.Must(t, err)
	if len(rep.Milestones) != 1 || rep.Milestones[0].Percent != 45 {
		t.Fatalf("after apply the draft's milestones are %+v, want 45%%", rep.Milestones)
	}
	_ = os.Remove(good)
}
