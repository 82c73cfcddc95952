package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/jalali"
)

// errorsHeader heads the column Annotate adds.
const errorsHeader = "خطاها / Errors"

// Annotate writes the uploaded file back with the report in it, so people
// fix their own workbook rather than a copy: each sheet with issues gets an
// errors column to the right of its data, holding every issue of the row in
// both languages; each cell at fault is filled red; a last sheet lists all
// issues with a link to each cell. Rows are neither added nor moved, so row
// numbers stay those of the report. A CSV file comes back as CSV (UTF-8
// with a byte-order mark, which Excel needs) with the errors column.
func Annotate(b *Book, rep *Report, w io.Writer) error {
	if b.CSV {
		return annotateCSV(b, rep, w)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.raw), excelize.Options{UnzipSizeLimit: unzipLimit})
	if err != nil {
		return err
	}
	defer f.Close()
	bySheet := map[string]map[int][]Issue{}
	for _, i := range rep.Issues {
		if bySheet[i.Sheet] == nil {
			bySheet[i.Sheet] = map[int][]Issue{}
		}
		bySheet[i.Sheet][i.Row] = append(bySheet[i.Sheet][i.Row], i)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
		Font: &excelize.Font{Color: "9C0006"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}})
	if err != nil {
		return err
	}
	red := map[int]int{} // a cell's style → the same style filled red
	for _, t := range b.Tables {
		rows := bySheet[t.Name]
		if len(rows) == 0 {
			continue
		}
		width := 0
		for _, r := range t.Rows {
			width = max(width, len(r))
		}
		ec := colName(width) // the first column right of all data
		f.SetColWidth(t.Name, ec, ec, 60)
		h := rep.headers[t.Name]
		for n := h[0]; n > 0 && n < h[1]; n++ {
			cell := fmt.Sprintf("%s%d", ec, n)
			f.SetCellStr(t.Name, cell, errorsHeader)
			f.SetCellStyle(t.Name, cell, cell, head)
		}
		for n, issues := range rows {
			var lines []string
			for _, i := range issues {
				lines = append(lines, issueLine(i))
				if i.Col == 0 {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(i.Col, i.Row)
				orig, _ := f.GetCellStyle(t.Name, cell)
				st, ok := red[orig]
				if !ok {
					s, err := f.GetStyle(orig)
					if err != nil || s == nil {
						s = &excelize.Style{}
					}
					s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}
					if st, err = f.NewStyle(s); err != nil {
						return err
					}
					red[orig] = st
				}
				f.SetCellStyle(t.Name, cell, cell, st)
			}
			cell := fmt.Sprintf("%s%d", ec, n)
			if err := f.SetCellStr(t.Name, cell, strings.Join(lines, "\n")); err != nil {
				return err
			}
			f.SetCellStyle(t.Name, cell, cell, wrap)
		}
	}
	if err := summary(f, rep); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// issueLine is an issue as the errors column writes it: Persian, then
// English on the next line.
func issueLine(i Issue) string {
	fa, en := i.Message.FA, i.Message.EN
	if i.Column != "" {
		fa = "ستون " + i.Column + ": " + fa
		en = "column " + i.Column + ": " + en
	}
	return fa + "\n" + en
}

// summary adds the sheet that lists every issue.
func summary(f *excelize.File, rep *Report) error {
	if idx, _ := f.GetSheetIndex(summarySheet); idx >= 0 {
		f.DeleteSheet(summarySheet) // a file annotated before, uploaded again
	}
	if _, err := f.NewSheet(summarySheet); err != nil {
		return err
	}
	rtl := true
	f.SetSheetView(summarySheet, -1, &excelize.ViewOptions{RightToLeft: &rtl})
	head := []string{"برگه / Sheet", "سطر / Row", "ستون / Column", "سرستون / Header", "خطا", "Error"}
	for i, h := range head {
		f.SetCellStr(summarySheet, colName(i)+"1", h)
	}
	f.SetColWidth(summarySheet, "A", "D", 16)
	f.SetColWidth(summarySheet, "E", "F", 60)
	for n, i := range rep.Issues {
		r := n + 2
		f.SetCellStr(summarySheet, fmt.Sprintf("A%d", r), i.Sheet)
		f.SetCellInt(summarySheet, fmt.Sprintf("B%d", r), int64(i.Row))
		f.SetCellStr(summarySheet, fmt.Sprintf("C%d", r), i.Column)
		f.SetCellStr(summarySheet, fmt.Sprintf("D%d", r), i.Header)
		f.SetCellStr(summarySheet, fmt.Sprintf("E%d", r), i.Message.FA)
		f.SetCellStr(summarySheet, fmt.Sprintf("F%d", r), i.Message.EN)
		col := i.Column
		if col == "" {
			col = "A"
		}
		f.SetCellHyperLink(summarySheet, fmt.Sprintf("A%d", r),
			fmt.Sprintf("'%s'!%s%d", strings.ReplaceAll(i.Sheet, "'", "''"), col, i.Row), "Location")
	}
	return nil
}

func annotateCSV(b *Book, rep *Report, w io.Writer) error {
	if len(b.Tables) != 1 {
		return fmt.Errorf("sheet: a CSV book has one table")
	}
	t := b.Tables[0]
	byRow := map[int][]string{}
	for _, i := range rep.Issues {
		byRow[i.Row] = append(byRow[i.Row], issueLine(i))
	}
	width := 0
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	h := rep.headers[t.Name]
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for i, r := range t.Rows {
		n := i + 1
		out := make([]string, width+1)
		copy(out, r)
		switch {
		case n >= h[0] && n < h[1] && h[0] > 0:
			out[width] = errorsHeader
		default:
			out[width] = strings.Join(byRow[n], "\n")
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

var _ = jalali.PersianDigits
