package sheet

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
)

var agencyProjects = Known{Projects: []Ref{
	{ID: "e-prescription", Name: domain.T("نسخه الکترونیک", "Electronic prescription")},
	{ID: "smart-health", Name: domain.T("سلامت هوشمند", "Smart health")},
}}

func figuresTemplate(w *bytes.Buffer) error {
	return FiguresTemplate(w, TemplateOptions{Known: agencyProjects, Rows: 50, Period: Month{1405, 8},
		Figures: []FigureLine{{Project: "e-prescription", Milestones: []string{"استقرار در تهران", "استقرار سراسری"}, KPIs: []string{"سهم نسخه الکترونیک"}}}})
}

func TestFiguresTemplateRoundTrip(t *testing.T) {
	data := filled(t, figuresTemplate, func(f *excelize.File) {
		rp, ml, kp, rk := ReportsSheet.Name.FA, MilestonesSheet.Name.FA, KPIsSheet.Name.FA, RisksSheet.Name.FA
		// The prefilled rows get their values; the period is written by
		// name on one sheet and by number on the others.
		set(f, rp, 3, nil, "آبان ۱۴۰۵", "استقرار در تهران کامل شد", "", "1406/06/31", "۱۲٬۵۰۰٬۰۰۰٬۰۰۰", "4,000,000,000")
		set(f, ml, 3, nil, nil, nil, "۱۰۰", "۱۴۰۵/۰۸/۲۰")
		set(f, ml, 4, nil, nil, nil, 0.45) // a percent cell: 45%
		pct, _ := f.NewStyle(&excelize.Style{NumFmt: 9})
		f.SetCellStyle(ml, "D4", "D4", pct)
		set(f, kp, 3, nil, nil, nil, "۳۸٫۵")
		set(f, rk, 3, "نسخه الکترونیک (e-prescription)", "1405-08", "زیاد (high)", "تأخیر در اتصال داروخانه‌ها")
	})
	figs, rep := ReadFigures(read(t, data), agencyProjects)
	if !rep.OK() {
		t.Fatalf("issues:\n%s", rep.Text("en"))
	}
	if len(figs.Figures) != 1 {
		t.Fatalf("figures %+v", figs.Figures)
	}
	g := figs.Figures[0]
	if g.Project != "e-prescription" || g.Period != (Month{1405, 8}) || g.Row != 3 || g.Narrative.FA != "استقرار در تهران کامل شد" {
		t.Errorf("figure %+v", g)
	}
	if g.ProjectedEnd.String() != "2027-09-22" || *g.ProjectedCost != 12_500_000_000 || *g.ActualCost != 4_000_000_000 {
		t.Errorf("end %v cost %v %v", g.ProjectedEnd, *g.ProjectedCost, *g.ActualCost)
	}
	if len(g.Milestones) != 2 || g.Milestones[0].Percent != 100 || g.Milestones[0].Done.String() != "2026-11-11" ||
		g.Milestones[1].Percent != 45 || g.Milestones[1].Milestone != "استقرار سراسری" || g.Milestones[1].Row != 4 {
		t.Errorf("milestones %+v", g.Milestones)
	}
	if len(g.KPIs) != 1 || g.KPIs[0].Value != 38.5 || g.KPIs[0].KPI != "سهم نسخه الکترونیک" {
		t.Errorf("kpis %+v", g.KPIs)
	}
	if len(g.Risks) != 1 || g.Risks[0].Severity != domain.RiskHigh {
		t.Errorf("risks %+v", g.Risks)
	}
}

func TestFiguresPlantedErrors(t *testing.T) {
	data := filled(t, figuresTemplate, func(f *excelize.File) {
		rp, ml, kp, rk := ReportsSheet.Name.FA, MilestonesSheet.Name.FA, KPIsSheet.Name.FA, RisksSheet.Name.FA
		set(f, rp, 4, "smart-health", "2026-11", "")                          // B4: a Gregorian month
		set(f, rp, 5, "tax", "1405-08", "")                                   // A5: not a project this agency reports on
		set(f, rp, 6, "smart-health", "1405-09", "", "", "", "-5")            // F6: negative cost (domain)
		set(f, ml, 3, nil, nil, nil, "60", "1405/08/20")                      // E3: a done date below 100% (domain); D4 is left empty
		set(f, ml, 5, "e-prescription", "1405-08", "استقرار در تهران", "۱۲۰") // D5: over 100; C5 the same milestone as row 3
		set(f, kp, 3, nil, nil, nil, "۱۲ درصد")                               // D3: not a number
		set(f, rk, 3, "e-prescription", "1405-08", "بحرانی", "ریسک")          // C3: unknown severity
		set(f, rk, 4, "e-prescription", "1405-08", "کم", "")                  // D4: a risk with no text (domain)
	})
	_, rep := ReadFigures(read(t, data), agencyProjects)
	got := strings.Join(where(rep), " ")
	want := strings.Join([]string{
		"گزارش‌ها!B4", "گزارش‌ها!A5", "گزارش‌ها!F6",
		"پیشرفت نقاط عطف!E3", "پیشرفت نقاط عطف!D4", "پیشرفت نقاط عطف!C5", "پیشرفت نقاط عطف!D5",
		"مقادیر شاخص‌ها!D3",
		"ریسک‌ها!C3", "ریسک‌ها!D4",
	}, " ")
	if got != want {
		t.Errorf("issues at\n %s\nwant\n %s\n%s", got, want, rep.Text("en"))
	}
	if !strings.Contains(rep.Text("en"), "Gregorian month") || !strings.Contains(rep.Text("fa"), "ماه میلادی") {
		t.Errorf("the Gregorian month is not named as such:\n%s", rep.Text("en"))
	}
}

// bigRegistry is a projects workbook of n rows, with a planted error every
// 1000 rows (a missing title) — what a portfolio office's first upload
// looks like.
func bigRegistry(t testing.TB, n int) ([]byte, []string) {
	f := excelize.NewFile()
	defer f.Close()
	sh := ProjectsSheet.Name.FA
	f.SetSheetName("Sheet1", sh)
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		t.Fatal(err)
	}
	head := make([]any, len(ProjectsSheet.Columns))
	for i, c := range ProjectsSheet.Columns {
		head[i] = c.Header.FA + " / " + c.Header.EN
	}
	sw.SetRow("A1", head)
	var want []string
	for i := 0; i < n; i++ {
		r := i + 2
		title, en := fmt.Sprintf("پروژه شماره %d", i), fmt.Sprintf("Project %d", i)
		if i%1000 == 999 {
			title, en = "", ""
			want = append(want, fmt.Sprintf("%s!B%d", sh, r))
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		sw.SetRow(cell, []any{fmt.Sprintf("project-%d", i), title, en,
			"خلاصه‌ای از پروژه با نويسه‌های عربي", "", "دامنه مشخص", "", "خدمت", "عمومی", "در حال اجرا", "ito", "", "egov-law: 1"})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	return buf.Bytes(), want
}

func TestValidate10kRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-row workbook")
	}
	data, want := bigRegistry(t, 10_000)
	reg, rep := ReadRegistry(read(t, data), known)
	if got := strings.Join(where(rep), " "); got != strings.Join(want, " ") {
		t.Errorf("issues at %s\nwant %s", got, strings.Join(want, " "))
	}
	if len(reg.Projects) != 10_000-len(want) {
		t.Errorf("%d projects read", len(reg.Projects))
	}
}

// BenchmarkValidate10k reads and validates a 10,000-row workbook: the
// target is under 2 s.
func BenchmarkValidate10k(b *testing.B) {
	data, want := bigRegistry(b, 10_000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		book, err := Read(bytes.NewReader(data), "big.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		_, rep := ReadRegistry(book, known)
		book.Close()
		if len(rep.Issues) != len(want) {
			b.Fatalf("%d issues, want %d", len(rep.Issues), len(want))
		}
	}
}
