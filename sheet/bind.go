package sheet

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// bound is a table matched to a schema: which column holds which field.
type bound struct {
	t       *Table
	s       *Schema
	book    *Book
	cols    map[string]int // column key → 0-based index
	headers map[int]string // 0-based index → header text as in the file
	first   int            // 1-based row of the first header row
	data    int            // 1-based row where data begins
}

// headerIndex maps each accepted header (as Key folds it) to a column key:
// the Persian header, the English one, both as the templates write them
// ("فارسی / English") and the key itself.
func headerIndex(s *Schema) map[string]string {
	m := map[string]string{}
	for _, c := range s.Columns {
		for _, h := range []string{c.Header.FA, c.Header.EN, c.Key, c.Header.FA + " / " + c.Header.EN} {
			m[Key(h)] = c.Key
		}
	}
	return m
}

// matchHeader returns the column key a header cell names, or "".
func matchHeader(idx map[string]string, cell string) string {
	cell = strings.TrimRight(Trim(cell), "* ") // the templates mark required columns with *
	k := Key(cell)
	if k == "" {
		return ""
	}
	if key, ok := idx[k]; ok {
		return key
	}
	// "فارسی / English" with other spacing or a line break between them.
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == '/' || r == '\n' || r == '|' }) {
		if key, ok := idx[Key(strings.TrimRight(Trim(part), "* "))]; ok {
			return key
		}
	}
	return ""
}

// headerScan is how many rows from the top are searched for the header.
const headerScan = 10

// bind finds the header row(s) of t and maps its columns to s's. The header
// is the first row of the top ten where most non-empty cells name a column;
// the rows right after it that do so too (the English row under the Persian
// one) are headers as well. A missing required column is an issue.
func bind(b *Book, t *Table, s *Schema, rep *Report) *bound {
	idx := headerIndex(s)
	bd := &bound{t: t, s: s, book: b, cols: map[string]int{}, headers: map[int]string{}}
	isHeader := func(row []string) bool {
		n, hits := 0, 0
		for _, c := range row {
			if Trim(c) == "" {
				continue
			}
			n++
			if matchHeader(idx, c) != "" {
				hits++
			}
		}
		return hits > 0 && hits*2 >= n
	}
	for i := 0; i < len(t.Rows) && i < headerScan; i++ {
		if !isHeader(t.Rows[i]) {
			if bd.first != 0 {
				break
			}
			continue
		}
		if bd.first == 0 {
			bd.first = i + 1
		}
		bd.data = i + 2
		for j, c := range t.Rows[i] {
			key := matchHeader(idx, c)
			if key == "" {
				continue
			}
			if _, seen := bd.cols[key]; !seen {
				bd.cols[key] = j
			}
			if h, ok := bd.headers[j]; ok {
				bd.headers[j] = h + " / " + Trim(c)
			} else {
				bd.headers[j] = Trim(c)
			}
		}
	}
	rep.sheet(t.Name, bd.first, bd.data)
	if bd.first == 0 {
		rep.add(Issue{Sheet: t.Name, Row: 1, Message: domain.T(
			"سطر سرستون‌ها پیدا نشد؛ سرستون‌های الگو را در سطر نخست نگه دارید ("+s.Columns[0].Header.FA+"، …)",
			"no header row found: keep the template's headers in the first row ("+s.Columns[0].Header.EN+", …)")})
		return nil
	}
	missing := false
	for _, c := range s.Columns {
		if _, ok := bd.cols[c.Key]; !ok && c.Required {
			missing = true
			rep.add(Issue{Sheet: t.Name, Row: bd.first, Message: domain.T(
				"ستون الزامی «"+c.Header.FA+"» در این برگه نیست",
				"the required column \""+c.Header.EN+"\" is missing from this sheet")})
		}
	}
	if missing {
		return nil
	}
	return bd
}

// issue records a problem with row n's cell under key.
func (bd *bound) issue(rep *Report, n int, key string, msg domain.Text) {
	i := Issue{Sheet: bd.t.Name, Row: n, Message: msg}
	if j, ok := bd.cols[key]; ok {
		i.Col, i.Column, i.Header = j+1, colName(j), bd.headers[j]
	} else if c := bd.s.column(key); c != nil {
		// The optional column is not in the file: name it in the message.
		i.Message = domain.T("«"+c.Header.FA+"»: "+msg.FA, c.Header.EN+": "+msg.EN)
	}
	rep.add(i)
}

// row is one data row being read: its cells, and the issues found in them.
type row struct {
	bd    *bound
	n     int // 1-based row number
	cells []string
	rep   *Report
	bad   bool // an issue was found in this row
	// failed holds the columns (keys) with an issue already.
	failed map[string]bool
}

// rows calls f for each non-empty data row of bd.
func (bd *bound) rows(rep *Report, f func(r *row)) {
	for i := bd.data - 1; i < len(bd.t.Rows); i++ {
		cells := bd.t.Rows[i]
		empty := true
		for _, j := range bd.cols {
			if j < len(cells) && Trim(cells[j]) != "" {
				empty = false
				break
			}
		}
		if empty {
			continue
		}
		f(&row{bd: bd, n: i + 1, cells: cells, rep: rep})
	}
}

func (r *row) loc() Loc { return Loc{Sheet: r.bd.t.Name, Row: r.n, b: r.bd} }

// fail records an issue with the cell under key.
func (r *row) fail(key string, msg domain.Text) {
	r.bad = true
	if r.failed == nil {
		r.failed = map[string]bool{}
	}
	r.failed[key] = true
	r.bd.issue(r.rep, r.n, key, msg)
}

func (r *row) failErr(key string, err error) {
	if e, ok := err.(*cellError); ok {
		r.fail(key, domain.T(e.fa, e.en))
		return
	}
	r.fail(key, domain.T(err.Error(), err.Error()))
}

// raw returns the cell under key, trimmed, or "" when the column is absent;
// a required empty cell is an issue.
func (r *row) raw(key string) string {
	j, ok := r.bd.cols[key]
	v := ""
	if ok && j < len(r.cells) {
		v = Trim(r.cells[j])
	}
	if v == "" {
		if c := r.bd.s.column(key); c != nil && c.Required {
			r.fail(key, domain.T("این خانه الزامی است و خالی است", "this cell is required and is empty"))
		}
	}
	return v
}

func (r *row) text(key string) string {
	c := r.bd.s.column(key)
	return CleanText(r.raw(key), c != nil && c.Type == tLongText)
}

func (r *row) pair(key string) domain.Text { return domain.T(r.text(key+"_fa"), r.text(key+"_en")) }

func (r *row) id(key string) string { return CleanID(r.raw(key)) }

// enum reads an enum cell: its code, or either label, or "label (code)" as
// the drop-down lists write it.
func (r *row) enum(key string) string {
	v := r.raw(key)
	if v == "" {
		return ""
	}
	c := r.bd.s.column(key)
	if code, ok := enumKeys[c][Key(v)]; ok { // the common case: a code or a label as it is
		return code
	}
	if code, ok := enumValue(c.Enum, v); ok {
		return code
	}
	var fa, en []string
	for _, o := range c.Enum {
		fa, en = append(fa, o.Text.FA), append(en, o.Code)
	}
	r.fail(key, domain.T("«"+v+"» مقدار نامعتبر است؛ یکی از: "+strings.Join(fa, "، "),
		"\""+v+"\" is not a valid value; one of: "+strings.Join(en, ", ")))
	return ""
}

// enumKeys maps each enum column to its codes and labels as Key folds
// them, and the drop-down lists' "label (code)" entries.
var enumKeys = func() map[*Column]map[string]string {
	m := map[*Column]map[string]string{}
	for _, s := range append(append([]*Schema{}, RegistrySheets...), FiguresSheets...) {
		for i := range s.Columns {
			c := &s.Columns[i]
			if c.Type != tEnum {
				continue
			}
			m[c] = map[string]string{}
			for _, o := range c.Enum {
				for _, l := range []string{o.Code, o.Text.FA, o.Text.EN, o.Text.FA + " (" + o.Code + ")"} {
					m[c][Key(l)] = o.Code
				}
			}
		}
	}
	return m
}()

var parenthesised = regexp.MustCompile(`^(.*?)\s*[(（]([^()（）]*)[)）]\s*$`)

func enumValue(opts []Option, v string) (string, bool) {
	try := []string{v}
	if m := parenthesised.FindStringSubmatch(v); m != nil {
		try = append(try, m[2], m[1])
	}
	for _, t := range try {
		k := Key(t)
		for _, o := range opts {
			if k == Key(o.Code) || k == Key(o.Text.FA) || k == Key(o.Text.EN) {
				return o.Code, true
			}
		}
	}
	return "", false
}

func (r *row) date(key string) *domain.Date {
	v := r.raw(key)
	if v == "" {
		return nil
	}
	d, err := ParseDate(v, r.bd.book.Date1904)
	if err != nil {
		r.failErr(key, err)
		return nil
	}
	return &d
}

func (r *row) month(key string) (Month, bool) {
	v := r.raw(key)
	if v == "" {
		return Month{}, false
	}
	m, err := ParseMonth(v)
	if err != nil {
		r.failErr(key, err)
		return Month{}, false
	}
	return m, true
}

func (r *row) number(key string) *float64 {
	v := r.raw(key)
	if v == "" {
		return nil
	}
	f, err := ParseNumber(v)
	if err != nil {
		r.failErr(key, err)
		return nil
	}
	return &f
}

func (r *row) integer(key string) *int64 {
	v := r.raw(key)
	if v == "" {
		return nil
	}
	i, err := ParseInt(v)
	if err != nil {
		r.failErr(key, err)
		return nil
	}
	return &i
}

// percent reads a whole percentage 0–100: "45", "۴۵٪", "45%", or an Excel
// percent cell holding 0.45.
func (r *row) percent(key string) *int {
	v := r.raw(key)
	if v == "" {
		return nil
	}
	s := strings.TrimRight(Trim(v), "%٪ ")
	f, err := ParseNumber(s)
	if err != nil {
		r.failErr(key, err)
		return nil
	}
	if s == Trim(v) && r.bd.t.percent != nil && f > 0 && f <= 1 && r.bd.t.percent(r.n-1, r.bd.cols[key]) {
		f *= 100 // the cell shows 45% and holds 0.45
	}
	p := int(f + 0.5)
	if f < 0 || f > 100 {
		r.fail(key, domain.T("درصد باید بین ۰ و ۱۰۰ باشد", "the percentage must be between 0 and 100"))
		return nil
	}
	if d := f - float64(p); d > 1e-9 || d < -1e-9 {
		r.fail(key, domain.T("درصد باید عدد صحیح باشد", "the percentage must be a whole number"))
		return nil
	}
	return &p
}

func (r *row) boolean(key string) bool {
	v := r.raw(key)
	b, err := ParseBool(v)
	if err != nil {
		r.failErr(key, err)
	}
	return b
}

// split separates a multi-valued cell.
func split(v string, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = Trim(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

const (
	listSeps = ";؛\n"
	refSeps  = ",،;؛\n"
)

func (r *row) list(key string) []string {
	var out []string
	for _, p := range split(r.raw(key), listSeps) {
		out = append(out, CleanText(Digits(p), false))
	}
	return out
}

// mandates reads "law: article; law: article".
func (r *row) mandates(key string) []domain.Mandate {
	var out []domain.Mandate
	for _, p := range split(r.raw(key), listSeps) {
		law, article, ok := strings.Cut(p, ":")
		if !ok {
			law, article, ok = strings.Cut(p, "：")
		}
		if !ok || Trim(law) == "" || Trim(article) == "" {
			r.fail(key, domain.T("«"+p+"»: به شکل «قانون: ماده» بنویسید، مانند seventh-plan: 67",
				"\""+p+"\": write it as law: article, e.g. seventh-plan: 67"))
			continue
		}
		out = append(out, domain.Mandate{Law: CleanID(law), Article: CleanText(Digits(article), false)})
	}
	return out
}

// domainError records a domain record's validation error at the cell of
// the field it names; field maps the domain's field path ("title.fa",
// "agencies[1].agency") to a column key, or to "" for the whole row.
func (r *row) domainError(err error, field func(string) string) {
	e, ok := domain.AsError(err)
	if !ok {
		r.fail("", domain.T(err.Error(), err.Error()))
		return
	}
	r.fail(field(e.Field), e.Message)
}

// fieldKey turns a domain field path into the sheet's column key by the
// usual shape: "title.fa" → "title_fa", "name" → "name_fa" (a text required
// in one of its languages is reported at its Persian column).
func fieldKey(s *Schema, f string) string {
	k := strings.ReplaceAll(f, ".", "_")
	if s.column(k) != nil {
		return k
	}
	if s.column(k+"_fa") != nil {
		return k + "_fa"
	}
	return ""
}

// index returns the i in "deliverables[i].title" and the rest (".title").
func index(f, prefix string) (int, string, bool) {
	if !strings.HasPrefix(f, prefix+"[") {
		return 0, "", false
	}
	rest := f[len(prefix)+1:]
	j := strings.IndexByte(rest, ']')
	if j < 0 {
		return 0, "", false
	}
	i, err := strconv.Atoi(rest[:j])
	if err != nil {
		return 0, "", false
	}
	return i, strings.TrimPrefix(rest[j+1:], "."), true
}
