package sheet

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
)

// Sheets the templates add for people, which reading skips.
const (
	guideSheet   = "راهنما"
	listsSheet   = "فهرست‌ها"
	summarySheet = "خطاها"
)

// Template rows: the Persian header, the English header, then data.
const (
	headerRowFA = 1
	headerRowEN = 2
	firstData   = 3
)

// TemplateOptions shapes a downloadable template.
type TemplateOptions struct {
	// Known fills the drop-down lists of agencies, laws, projects and
	// programs (values not in a list are still accepted: a record may be
	// on another sheet of the same workbook).
	Known Known
	// Rows is how many data rows carry the drop-down lists; 1000 when 0.
	Rows int
	// Figures prefills the figures template: a reports row per project and
	// a row per milestone and indicator, for Period.
	Figures []FigureLine
	Period  Month
}

// FigureLine is one project's line of a prefilled figures template.
type FigureLine struct {
	Project    string
	Milestones []string // titles, as recorded
	KPIs       []string // names, as recorded
}

// RegistryTemplate writes the registry workbook's template: agencies, laws,
// projects, deliverables and memberships.
func RegistryTemplate(w io.Writer, o TemplateOptions) error {
	return writeTemplate(w, RegistrySheets, o, domain.T(
		"الگوی ثبت سبد پروژه‌ها در پیشران. هر برگه یک نوع رکورد است؛ سطر ۱ سرستون فارسی و سطر ۲ انگلیسی است و داده از سطر ۳ آغاز می‌شود. یادداشت هر سرستون می‌گوید چه بنویسید. تاریخ‌ها شمسی (۱۴۰۲/۰۹/۱۹) یا میلادی (2023-12-10)؛ رقم فارسی و لاتین هر دو پذیرفته است. پس از بارگذاری، گزارش خطاها را با شماره سطر و ستون می‌بینید؛ تا پرونده خطا دارد چیزی ثبت نمی‌شود.",
		"Pishran's template for recording a portfolio. Each sheet is one kind of record; row 1 holds the Persian headers, row 2 the English ones, and data begins on row 3. Each header's note says what goes in the column. Dates are Jalali (1402/09/19) or Gregorian (2023-12-10); Persian and Latin digits are both accepted. After uploading you get a report of every error by row and column; nothing is recorded while the file has errors."), nil)
}

// FiguresTemplate writes the periodic figures template: a progress report
// per project and Jalali month, milestone progress, indicator values and
// risks.
func FiguresTemplate(w io.Writer, o TemplateOptions) error {
	return writeTemplate(w, FiguresSheets, o, domain.T(
		"الگوی گزارش ماهانه پیشرفت در پیشران. دوره ماه شمسی است (۱۴۰۵-۰۸ یا «آبان ۱۴۰۵»). نقاط عطف و شاخص‌ها را با همان عنوانی که ثبت شده‌اند بنویسید. فقط پروژه‌هایی را می‌توانید گزارش کنید که دستگاه شما در آن‌ها هست. گزارش‌ها پس از بارگذاری پیش‌نویس‌اند تا آن‌ها را بفرستید.",
		"Pishran's monthly progress template. The period is a Jalali month (1405-08 or Aban 1405). Name milestones and indicators exactly as recorded. You can report only on projects your agency takes part in. Uploaded reports are drafts until you submit them."),
		func(f *excelize.File) error { return prefill(f, o) })
}

func writeTemplate(w io.Writer, schemas []*Schema, o TemplateOptions, guide domain.Text, fill func(*excelize.File) error) error {
	if o.Rows <= 0 {
		o.Rows = 1000
	}
	f := excelize.NewFile()
	defer f.Close()
	rtl := true
	if err := f.SetSheetName("Sheet1", guideSheet); err != nil {
		return err
	}
	f.SetSheetView(guideSheet, -1, &excelize.ViewOptions{RightToLeft: &rtl})
	f.SetColWidth(guideSheet, "A", "A", 110)
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	f.SetCellValue(guideSheet, "A1", guide.FA)
	f.SetCellValue(guideSheet, "A2", guide.EN)
	f.SetCellStyle(guideSheet, "A1", "A2", wrap)
	f.SetRowHeight(guideSheet, 1, 90)
	f.SetRowHeight(guideSheet, 2, 90)

	lists, err := newLists(f, o.Known)
	if err != nil {
		return err
	}
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: borders()})
	headEN, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}, Alignment: &excelize.Alignment{WrapText: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Border: borders()})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed dates stay as typed
	for _, s := range schemas {
		name := s.Name.FA
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		f.SetSheetView(name, -1, &excelize.ViewOptions{RightToLeft: &rtl})
		f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: firstData - 1, TopLeftCell: "A3", ActivePane: "bottomLeft"})
		last := fmt.Sprint(firstData + o.Rows - 1)
		for i, c := range s.Columns {
			letter := colName(i)
			fa, en := c.Header.FA, c.Header.EN
			if c.Required {
				fa, en = fa+" *", en+" *"
			}
			f.SetCellValue(name, fmt.Sprintf("%s%d", letter, headerRowFA), fa)
			f.SetCellValue(name, fmt.Sprintf("%s%d", letter, headerRowEN), en)
			f.SetColWidth(name, letter, letter, c.Width)
			if !c.Note.IsZero() || c.Required {
				note := c.Note.FA + "\n" + c.Note.EN
				if c.Required {
					note = "الزامی. " + c.Note.FA + "\nRequired. " + c.Note.EN
				}
				f.AddComment(name, excelize.Comment{Cell: fmt.Sprintf("%s%d", letter, headerRowFA), Author: "Pishran", Text: note})
			}
			switch c.Type {
			case tID, tRef, tRefs, tDate, tMonth, tList, tMandates:
				f.SetCellStyle(name, letter+"3", letter+last, text)
			}
			if err := lists.validate(f, name, letter+"3:"+letter+last, c, s.Key); err != nil {
				return err
			}
		}
		lastCol := colName(len(s.Columns) - 1)
		f.SetCellStyle(name, "A1", lastCol+"1", head)
		f.SetCellStyle(name, "A2", lastCol+"2", headEN)
		f.SetRowHeight(name, 1, 30)
	}
	if fill != nil {
		if err := fill(f); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(listsSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func borders() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
	}
	return b
}

// lists is the hidden sheet that holds the drop-down lists' values, one
// list per column: a range reference has no length limit, where a list
// written into the validation itself is cut at 255 characters.
type lists struct {
	ranges map[string]string // list name → range reference
	next   int
}

func newLists(f *excelize.File, k Known) (*lists, error) {
	if _, err := f.NewSheet(listsSheet); err != nil {
		return nil, err
	}
	l := &lists{ranges: map[string]string{}}
	add := func(name string, vals []string) {
		if len(vals) == 0 {
			return
		}
		c := colName(l.next)
		l.next++
		f.SetCellValue(listsSheet, c+"1", name)
		for i, v := range vals {
			f.SetCellValue(listsSheet, fmt.Sprintf("%s%d", c, i+2), v)
		}
		l.ranges[name] = fmt.Sprintf("'%s'!$%s$2:$%s$%d", listsSheet, c, c, len(vals)+1)
	}
	for _, s := range append(append([]*Schema{}, RegistrySheets...), FiguresSheets...) {
		for _, c := range s.Columns {
			if c.Type == tEnum {
				if _, done := l.ranges[c.Key+":"+s.Key]; !done {
					var vals []string
					for _, o := range c.Enum {
						vals = append(vals, o.Text.FA+" ("+o.Code+")")
					}
					add(c.Key+":"+s.Key, vals)
				}
			}
		}
	}
	refVals := func(rs []Ref) []string {
		var out []string
		for _, r := range rs {
			if n := r.Name.In("fa"); n != "" && !strings.ContainsAny(n, "()") {
				out = append(out, n+" ("+r.ID+")")
			} else {
				out = append(out, r.ID)
			}
		}
		return out
	}
	add("agencies", refVals(k.Agencies))
	add("laws", refVals(k.Laws))
	add("projects", refVals(k.Projects))
	add("programs", refVals(k.Programs))
	add("bool", []string{"بله", "خیر"})
	return l, nil
}

// validate puts the drop-down list of column c on sqref.
func (l *lists) validate(f *excelize.File, sheet, sqref string, c Column, schema string) error {
	var ref string
	strict := true
	switch c.Type {
	case tEnum:
		ref = l.ranges[c.Key+":"+schema]
	case tRef:
		ref, strict = l.ranges[c.RefTo], false // a record on another sheet is fine too
	case tBool:
		ref = l.ranges["bool"]
	}
	if ref == "" {
		return nil
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	dv.SetSqrefDropList(ref)
	if strict {
		dv.SetError(excelize.DataValidationErrorStyleStop, "پیشران / Pishran", "از فهرست برگزینید. / Pick a value from the list.")
	} else {
		dv.SetError(excelize.DataValidationErrorStyleInformation, "پیشران / Pishran",
			"این مقدار در فهرست نیست؛ اگر در برگه دیگری از همین پرونده است درست است. / Not in the list: fine if it is on another sheet of this file.")
	}
	return f.AddDataValidation(sheet, dv)
}

// prefill writes the figures template's rows for o.Figures.
func prefill(f *excelize.File, o TemplateOptions) error {
	if len(o.Figures) == 0 {
		return nil
	}
	period := ""
	if o.Period.Year != 0 {
		period = o.Period.String()
	}
	rows := map[string]int{}
	put := func(s *Schema, vals ...string) {
		n := firstData + rows[s.Key]
		rows[s.Key]++
		for i, v := range vals {
			f.SetCellStr(s.Name.FA, fmt.Sprintf("%s%d", colName(i), n), v)
		}
	}
	for _, l := range o.Figures {
		put(ReportsSheet, l.Project, period)
		for _, m := range l.Milestones {
			put(MilestonesSheet, l.Project, period, m)
		}
		for _, k := range l.KPIs {
			put(KPIsSheet, l.Project, period, k)
		}
	}
	return nil
}
