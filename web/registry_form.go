package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
)

// The registry forms (agencies, laws, projects, programs) share one shape:
// sections of fields, some of them repeated rows (a law's articles, a
// project's mandates), built in Go and drawn by one template
// (staff/registry_form.html). Building them in Go lets a refusal land on
// its field: the service names the field it refuses by its API path
// (mandates[1].article), every field knows the path it feeds (its Path),
// and the message is shown beside that field, in the person's language,
// with the summary at the top linking to it — never the path itself.
//
// Each form carries the version of the record it was opened on in a hidden
// field; the store refuses a write on an older version (domain.Stale), and
// the form comes back with what the person typed and a clear message, the
// record left as the other writer left it.

// regForm is one registry form as its page shows it.
type regForm struct {
	Heading  string
	Lead     string
	Action   string
	Version  int64
	Sections []*section
	Alert    *regAlert
	Notice   string
	Submit   string
	Back     *backLink // the record's page
	Current  string    // a stale form: the address of the record as it is now
	Lists    []datalist
	Delete   *deleteForm // the record's delete button, where it has one (registry_delete.go)
	// Similar: recorded projects whose title the new one repeats (a
	// warning to confirm past, registry_projects.go).
	Similar []service.SimilarProject
	status  int
}

// backLink is a link back to a record's page.
type backLink struct {
	URL   string
	Title domain.Text
}

// datalist suggests values for a text input (a law's article numbers).
type datalist struct {
	ID      string
	Options []option
}

// regAlert is a refusal, as the top of the form says it.
type regAlert struct {
	Message string
	Stale   bool
	FieldID string // the field at fault, for the link
	Label   string // its label
	// Violations: the designation rules a stage's adoption broke.
	Violations []violationView
}

// section is a group of fields (a fieldset), or of repeated rows.
type section struct {
	ID, Path, Legend, Hint, Error string
	Fields                        []*field
	Rows                          []*row
	RowsName                      string // the hidden input counting the rows
}

// row is one repeated entry of a section (one mandate, one source).
type row struct {
	Legend string
	Fields []*field
}

// field is one input.
type field struct {
	ID, Name, Path, Label, Value, Hint, Error string
	// Type: text, textarea, select, checkbox, checks (a list of
	// checkboxes sharing Name), date, number, list (a datalist's
	// options for a text input).
	Type      string
	Dir, Lang string
	Options   []option
	ListID    string // a datalist suggesting values (Type text)
	Required  bool
	Checked   bool
	ReadOnly  bool
}

// option is one choice of a select or of a list of checkboxes.
type option struct {
	Value, Label string
	Selected     bool
}

// fieldID is the element id of the field feeding key (mandates[1].law →
// f-mandates-1-law); suffix tells apart a text's two languages.
func fieldID(key string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-", "_", "-")
	return "f-" + r.Replace(key)
}

// sectionID is a section's element id.
func sectionID(key string) string { return "sec-" + strings.ReplaceAll(key, "_", "-") }

// textField is a one-line input.
func textField(key, label string) *field {
	return &field{ID: fieldID(key), Name: key, Path: key, Label: label, Type: "text", Dir: "auto"}
}

// bilingual is a text's two inputs (NAME_fa, NAME_en), both feeding key.
func bilingual(l Lang, key, label string, t domain.Text, long bool) []*field {
	typ := "text"
	if long {
		typ = "textarea"
	}
	return []*field{
		{ID: fieldID(key) + "-fa", Name: key + "_fa", Path: key, Label: l.T("form.text_fa", label), Value: t.FA, Type: typ, Dir: "rtl", Lang: "fa"},
		{ID: fieldID(key) + "-en", Name: key + "_en", Path: key, Label: l.T("form.text_en", label), Value: t.EN, Type: typ, Dir: "ltr", Lang: "en"},
	}
}

// selectField is a choice among options; value is the one chosen.
func selectField(key, label, value string, opts []option) *field {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	return &field{ID: fieldID(key), Name: key, Path: key, Label: label, Value: value, Type: "select", Options: opts}
}

// enumOptions lists an enumeration's values, named from the catalog.
func enumOptions[T ~string](l Lang, group string, values []T) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{Value: string(v), Label: l.label(group, v)}
	}
	return out
}

// dateField is a day typed in either calendar; in Persian it is shown in
// the Jalali calendar with Persian digits, which is how it is typed.
func dateField(l Lang, key, label string, d *domain.Date) *field {
	return &field{ID: fieldID(key), Name: key, Path: key, Label: label, Value: dateInput(l, d), Type: "date", Dir: "ltr",
		Hint: l.T("registry.date_hint")}
}

// dateInput writes a day as the form shows it.
func dateInput(l Lang, d *domain.Date) string {
	if d == nil {
		return ""
	}
	if l == FA {
		return jalali.PersianDigits(d.Jalali())
	}
	return d.String()
}

// readDate reads a day typed in either calendar and either digits; empty
// is nil. The error names the field, so the form shows it there.
func readDate(q *req, name string) (*domain.Date, error) {
	v := strings.TrimSpace(q.PostFormValue(name))
	if v == "" {
		return nil, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return nil, domain.Invalid(name, "تاریخ را به صورت ۱۴۰۵/۰۸/۱۵ (خورشیدی) یا ۲۰۲۶-۱۱-۰۶ بنویسید",
			"write the date as 2026-11-06, or in the Jalali calendar as 1405/08/15")
	}
	return &d, nil
}

// rowCount reads how many rows of a section the form carried, at most
// maxRows.
func rowCount(q *req, name string) int {
	n, _ := strconv.Atoi(q.PostFormValue(name))
	return min(max(n, 0), maxRows)
}

// maxRows bounds the rows one section may post.
const maxRows = 200

// blankRows is how many empty rows a section offers for new entries: a
// form without JavaScript adds entries by filling them (and, saved, the
// form offers as many again).
const blankRows = 2

// postedVersion is the version the form was opened on (its hidden field).
func postedVersion(q *req) int64 {
	n, _ := strconv.ParseInt(digitsASCII(q.PostFormValue("version")), 10, 64)
	return max(n, 0)
}

// fields walks every field of the form, rows included.
func (f *regForm) fields(yield func(*section, *field) bool) {
	for _, s := range f.Sections {
		for _, x := range s.Fields {
			if !yield(s, x) {
				return
			}
		}
		for _, r := range s.Rows {
			for _, x := range r.Fields {
				if !yield(s, x) {
					return
				}
			}
		}
	}
}

// refuse shows a service refusal on the form: beside the field it names
// (or, naming a list or a row, beside its section), summarized at the top.
// An error that is not a refusal of the input comes back to be the error
// page's.
func (s *Site) refuse(q *req, f *regForm, err error) error {
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.status = status
	f.Alert = &regAlert{Message: fe.Message, Violations: fe.Violations}
	e, _ := domain.AsError(err)
	if e.Kind == domain.KindStale {
		f.Alert.Stale = true
		f.status = http.StatusConflict
		return nil
	}
	key := e.Field
	for key != "" {
		found := false
		for sec, x := range f.fields {
			if x.Path == key {
				x.Error = fe.Message
				f.Alert.FieldID, f.Alert.Label = x.ID, f.labelOf(sec, x)
				found = true
				break
			}
		}
		if found {
			return nil
		}
		for _, sec := range f.Sections {
			if sec.Path == key {
				sec.Error = fe.Message
				f.Alert.FieldID, f.Alert.Label = sec.ID, sec.Legend
				return nil
			}
		}
		key = parentKey(key)
	}
	return nil
}

// labelOf is how the summary names a field: with its row's legend when it
// is in one.
func (f *regForm) labelOf(sec *section, x *field) string {
	for _, r := range sec.Rows {
		for _, y := range r.Fields {
			if y == x {
				return r.Legend + " — " + x.Label
			}
		}
	}
	return x.Label
}

// parentKey drops a path's last step: mandates[1].law → mandates[1] →
// mandates; "" at the top.
func parentKey(key string) string {
	if i := strings.LastIndexAny(key, ".["); i > 0 {
		return key[:i]
	}
	return ""
}

// renderForm renders a registry form with its status (200, or the
// refusal's).
func (s *Site) renderForm(q *req, f *regForm, section string) error {
	status := f.status
	if status == 0 {
		status = http.StatusOK
	}
	return s.renderStaff(q, status, "staff/registry_form", f.Heading, section, f)
}

// sourceRows is the sources section of a record: one row per source, and
// blank rows for new ones.
func sourceRows(l Lang, key string, ss []domain.Source) *section {
	sec := &section{ID: sectionID(key), Path: key, Legend: l.T("registry.sources"), Hint: l.T("registry.sources_hint"), RowsName: key + "_rows"}
	conf := []option{{"", l.T("value.unknown"), false}, {"high", l.T("registry.conf_high"), false},
		{"medium", l.T("registry.conf_medium"), false}, {"low", l.T("registry.conf_low"), false}}
	for i := range len(ss) + blankRows {
		var src domain.Source
		if i < len(ss) {
			src = ss[i]
		}
		k := key + "[" + strconv.Itoa(i) + "]"
		ref := textField(k+".ref", l.T("registry.source_ref"))
		ref.Value, ref.Dir = src.Ref, "ltr"
		note := textField(k+".note", l.T("registry.source_note"))
		note.Value = src.Note
		sec.Rows = append(sec.Rows, &row{Legend: l.T("registry.source_n", i+1), Fields: []*field{ref, note,
			selectField(k+".confidence", l.T("registry.source_conf"), src.Confidence, append([]option(nil), conf...))}})
	}
	return sec
}

// readSources reads a sources section; rows left empty are dropped.
func readSources(q *req, key string) []domain.Source {
	var out []domain.Source
	for i := range rowCount(q, key+"_rows") {
		k := key + "[" + strconv.Itoa(i) + "]"
		s := domain.Source{Ref: strings.TrimSpace(q.PostFormValue(k + ".ref")), Note: strings.TrimSpace(q.PostFormValue(k + ".note")),
			Confidence: q.PostFormValue(k + ".confidence")}
		if s.Ref == "" && s.Note == "" {
			continue
		}
		out = append(out, s)
	}
	return out
}

// mayKeepRegistry refuses the forms to anyone but the secretariat and
// admins: the service would refuse their writes too, but the form is not
// theirs to fill in.
// secretariatPost opens a post of the secretariat's forms — the registry's
// and the meetings': who may send it, then the form, read within bounds.
func secretariatPost(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	return parseForm(q)
}

func (q *req) mayKeepRegistry() error {
	if !q.isSecretariat() {
		return forbidden()
	}
	return nil
}
