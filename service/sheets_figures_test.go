package service_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/sheet"
)

var (
	shMoh = service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	shTax = service.Actor{Name: "user:tax-focal", Role: service.RoleAgency, Agency: "tax"}
)

// rowOf finds the template row of project on a sheet (1-based), or 0.
func rowOf(t testing.TB, f *excelize.File, sheetName, project string) int {
	t.Helper()
	rows, err := f.GetRows(sheetName)
	testkit.Must(t, err)
	for i, r := range rows {
		if i >= 2 && len(r) > 0 && r[0] == project {
			return i + 1
		}
	}
	return 0
}

func setCell(t testing.TB, f *excelize.File, sheetName, cell string, v any) {
	t.Helper()
	testkit.Must(t, f.SetCellValue(sheetName, cell, v))
}

func workbookBytes(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSheetFiguresImport: moh's focal point downloads its figures template
// (its own projects, prefilled with their milestones and indicators for
// last month), fills it with Persian and Arabic-Indic digits, a Jalali
// date, an Excel date serial and a milestone title in Arabic letter forms,
// and adds a row naming tax's project: that row is refused at its cell and
// nothing changes. Without it, the file replaces moh's draft for last
// month and creates one for solo-rx; the report holds what the cells said.
// Once the report is submitted, the same file is refused at its period.
func TestSheetFiguresImport(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e, scenario.Reference())
		se := env.Staff()
		ctx, svc := context.Background(), env.Svc
		planned := se.Today.AddDays(30)
		testkit.Must(t, svc.CreateMilestone(ctx, shMoh, &domain.Milestone{Project: "e-rx", Title: domain.T("استقرار آزمایشی", "pilot"), Planned: &planned, Weight: 1}))
		testkit.Must(t, svc.CreateKPI(ctx, shMoh, &domain.KPI{Project: "e-rx", Name: domain.T("سهم نسخه الکترونیک", "e-prescription share"), Unit: "%", Target: 80, Direction: domain.Up}))

		var tpl bytes.Buffer
		testkit.Must(t, svc.SheetTemplate(ctx, shMoh, service.SheetFigures, "", &tpl))
		f, err := excelize.OpenReader(&tpl)
		testkit.Must(t, err)
		defer f.Close()
		reports, milestones, kpis := sheet.ReportsSheet.Name.FA, sheet.MilestonesSheet.Name.FA, sheet.KPIsSheet.Name.FA
		rr, mr, kr := rowOf(t, f, reports, "e-rx"), rowOf(t, f, milestones, "e-rx"), rowOf(t, f, kpis, "e-rx")
		if rr == 0 || mr == 0 || kr == 0 || rowOf(t, f, reports, "solo-rx") == 0 || rowOf(t, f, reports, "secret-rx") != 0 {
			t.Fatalf("template rows: reports e-rx %d, milestones %d, kpis %d; solo-rx %d; secret-rx %d (must be absent)",
				rr, mr, kr, rowOf(t, f, reports, "solo-rx"), rowOf(t, f, reports, "secret-rx"))
		}
		if v, _ := f.GetCellValue(milestones, "C"+fmt.Sprint(mr)); v != "استقرار آزمایشی" {
			t.Fatalf("prefilled milestone %q", v)
		}
		m := sheet.Month{Year: se.LastMonth.Year(), Month: se.LastMonth.Month()}
		done := se.Today.AddDays(-3)
		serial := excelSerial(done.String())
		setCell(t, f, reports, "B"+fmt.Sprint(rr), m.FA()) // «آبان ۱۴۰۵»
		setCell(t, f, reports, "C"+fmt.Sprint(rr), "پيشرفت خوب بود")
		setCell(t, f, reports, "E"+fmt.Sprint(rr), "۱۴۰۶/۰۱/۱۵")
		setCell(t, f, reports, "F"+fmt.Sprint(rr), "۱٬۲۰۰٬۰۰۰")
		setCell(t, f, milestones, "C"+fmt.Sprint(mr), "استقرار آزمايشي") // Arabic yeh
		setCell(t, f, milestones, "D"+fmt.Sprint(mr), "۱۰۰٪")
		setCell(t, f, milestones, "E"+fmt.Sprint(mr), serial)
		setCell(t, f, kpis, "D"+fmt.Sprint(kr), "١٢٫٥") // Arabic-Indic digits and decimal separator
		// A row naming tax's (confidential) project.
		setCell(t, f, reports, "A40", "secret-rx")
		setCell(t, f, reports, "B40", se.LastMonth.String())
		bad := workbookBytes(t, f)

		c, err := svc.CheckSheet(ctx, shMoh, "figures.xlsx", bad)
		testkit.Must(t, err)
		if len(c.Report.Issues) != 1 || c.Report.Issues[0].Sheet != reports || c.Report.Issues[0].Row != 40 || c.Report.Issues[0].Column != "A" {
			t.Fatalf("want one issue at %s!A40, got:\n%s", reports, c.Report.Text("en"))
		}
		old, err := svc.Report(ctx, shMoh, se.MohReport)
		testkit.Must(t, err)
		if _, err := svc.ApplySheet(ctx, shMoh, c.Digest, ""); err == nil {
			t.Fatal("a file naming another agency's project was applied")
		}
		if now, _ := svc.Report(ctx, shMoh, se.MohReport); now.Version != old.Version {
			t.Fatal("the refused file changed moh's report")
		}
		// tax may not reach moh's file, nor import figures for e-rx.
		if _, err := svc.SheetUpload(ctx, shTax, c.Digest); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("tax reading moh's upload: %v", err)
		}

		setCell(t, f, reports, "A40", "")
		setCell(t, f, reports, "B40", "")
		good := workbookBytes(t, f)
		c, err = svc.CheckSheet(ctx, shMoh, "figures.xlsx", good)
		testkit.Must(t, err)
		if !c.Report.OK() || c.Preview.Counts["update report"] != 1 || c.Preview.Counts["create report"] != 1 {
			t.Fatalf("fixed figures: %s, preview %+v", c.Report.Text("en"), c.Preview)
		}
		_, err = svc.ApplySheet(ctx, shMoh, c.Digest, c.Preview.Plan)
		testkit.Must(t, err)
		r, err := svc.Report(ctx, shMoh, se.MohReport)
		testkit.Must(t, err)
		y, mo, d, _ := jalali.ToGregorian(1406, 1, 15)
		if r.Narrative.FA != "پیشرفت خوب بود" || r.ProjectedEnd == nil || *r.ProjectedEnd != domain.NewDate(y, mo, d) ||
			r.ProjectedCost == nil || *r.ProjectedCost != 1_200_000 {
			t.Errorf("report: narrative %q, projected end %v, cost %v", r.Narrative.FA, r.ProjectedEnd, r.ProjectedCost)
		}
		if len(r.Milestones) != 1 || r.Milestones[0].Percent != 100 || r.Milestones[0].Done == nil || *r.Milestones[0].Done != done {
			t.Errorf("milestones %+v, want 100%% done on %s (the serial)", r.Milestones, done)
		}
		if len(r.KPIs) != 1 || r.KPIs[0].Value != 12.5 {
			t.Errorf("kpis %+v, want 12.5", r.KPIs)
		}
		// Submitted, the month is no longer the import's to change.
		_, err = svc.SubmitReport(ctx, shMoh, se.MohReport, 0)
		testkit.Must(t, err)
		c, err = svc.CheckSheet(ctx, shMoh, "figures-again.xlsx", good)
		testkit.Must(t, err)
		found := false
		for _, i := range c.Report.Issues {
			if i.Sheet == reports && i.Row == rr && i.Column == "B" {
				found = true
			}
		}
		if !found {
			t.Errorf("a submitted month is not refused at %s!B%d:\n%s", reports, rr, c.Report.Text("en"))
		}
	})
}
