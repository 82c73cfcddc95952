package sheet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Issue is one problem found in an uploaded file, where Excel shows it.
type Issue struct {
	Sheet   string      `json:"sheet"`            // the sheet's name as in the file
	Row     int         `json:"row"`              // 1-based, as Excel numbers rows
	Col     int         `json:"col,omitempty"`    // 1-based; 0 when the issue is the row's or the sheet's
	Column  string      `json:"column,omitempty"` // the column's letter: "C"
	Header  string      `json:"header,omitempty"` // the column's header as in the file
	Message domain.Text `json:"message"`
}

// Where says where the issue is, in both languages: «برگه پروژه‌ها، سطر ۷،
// ستون C (عنوان)» / "sheet Projects, row 7, column C (Title)".
func (i Issue) Where() domain.Text {
	fa := "برگه «" + i.Sheet + "»، سطر " + jalali.PersianDigits(fmt.Sprint(i.Row))
	en := fmt.Sprintf("sheet %q, row %d", i.Sheet, i.Row)
	if i.Column != "" {
		fa += "، ستون " + i.Column
		en += ", column " + i.Column
		if i.Header != "" {
			fa += " (" + i.Header + ")"
			en += " (" + i.Header + ")"
		}
	}
	return domain.T(fa, en)
}

func (i Issue) String() string { return i.Where().EN + ": " + i.Message.EN }

// Report is the validation report of a file: every issue found, by sheet,
// row and column. A file with issues must change nothing.
type Report struct {
	Issues []Issue `json:"issues"`
	order  map[string]int
	// headers holds each bound sheet's header rows (first, data start), for
	// placing the errors column's header when annotating.
	headers map[string][2]int
}

func (r *Report) sheet(name string, first, data int) {
	if r.headers == nil {
		r.headers = map[string][2]int{}
	}
	r.headers[name] = [2]int{first, data}
}

// OK reports whether the file has no issue.
func (r *Report) OK() bool { return len(r.Issues) == 0 }

// Add records an issue found after reading — by the integration, which
// knows what the file cannot (a slug already taken, a milestone the project
// does not have, a project the agency may not report on) — at loc's row, in
// the column of key ("" for the whole row).
func (r *Report) Add(loc Loc, key string, msg domain.Text) {
	if loc.b == nil {
		r.add(Issue{Sheet: loc.Sheet, Row: loc.Row, Message: msg})
		return
	}
	loc.b.issue(r, loc.Row, key, msg)
}

func (r *Report) add(i Issue) { r.Issues = append(r.Issues, i) }

// Sort orders the issues by sheet (in the workbook's order), row and column.
func (r *Report) Sort() {
	slices.SortStableFunc(r.Issues, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(r.order[a.Sheet], r.order[b.Sheet]), cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col))
	})
}

// Text writes the report as lines, one per issue, in lang ("fa" or "en").
func (r *Report) Text(lang string) string {
	var b strings.Builder
	for _, i := range r.Issues {
		b.WriteString(i.Where().In(lang))
		b.WriteString(": ")
		b.WriteString(i.Message.In(lang))
		b.WriteByte('\n')
	}
	return b.String()
}

// Loc is where a record was read: its sheet and row. It lets the
// integration report a later problem at the right cell (Report.Add).
type Loc struct {
	Sheet string `json:"sheet"`
	Row   int    `json:"row"`
	b     *bound
}

// colName returns a column's letter ("C") for a 0-based index.
func colName(i int) string {
	s, _ := excelize.ColumnNumberToName(i + 1)
	return s
}
