package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/seal"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// Column is one column of an open dataset, described in both languages for
// the data dictionary.
type Column struct {
	Name string
	Type string // text, integer, boolean, date (ISO), jalali (1397/01/22), datetime (RFC 3339), list (values joined by "; ")
	Desc domain.Text
}

// Table is a dataset's rows, read as the visitor may see them.
type Table struct {
	Rows [][]any // one value per column but as_of: string, int, *int, bool, *domain.Date
	// Hidden is how many records were left out because they are
	// confidential: counted, never shown.
	Hidden int
}

// Dataset is one open dataset. Adding a dataset is adding one entry to
// datasets: the index page, the three download formats and the data
// dictionary all follow from it.
type Dataset struct {
	Name    string // file name stem, e.g. "projects"
	Title   string // catalog key of its title
	Columns []Column
	Load    func(ctx context.Context, s *Site, a service.Actor) (*Table, error)
}

// asOfColumn ends every CSV and XLSX row, and is a top-level field of the
// JSON file.
var asOfColumn = Column{"as_of", "datetime", domain.T(
	"زمانی که داده‌ها خوانده شدند (UTC): پرونده وضعیت ثبت را در این لحظه نشان می‌دهد",
	"when the data were read (UTC): the file shows the registry as it stood at this moment")}

// datasets lists the open datasets, in the order the data page shows them.
var datasets = []Dataset{
	{Name: "programs", Title: "dataset.programs", Load: loadPrograms, Columns: []Column{
		{"id", "text", domain.T("شناسه فهرست", "the list's identifier")},
		{"title_fa", "text", domain.T("عنوان فارسی فهرست", "the list's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی فهرست", "the list's English title")},
		{"term", "integer", domain.T("شماره دولت (۱۲ = دولت دوازدهم)", "the government term's number (12 = the 12th government)")},
		{"kind", "text", domain.T("نوع فهرست: e-government-priority، smart-government-driving یا other", "kind of list: e-government-priority, smart-government-driving or other")},
		{"status", "text", domain.T("وضعیت فهرست: draft (پیش‌نویس)، adopted (مصوب و جاری) یا closed (بسته)", "the list's status: draft, adopted (in force) or closed")},
		{"declared_size", "integer", domain.T("شمار پروژه‌هایی که برای فهرست اعلام شد؛ خالی یعنی اعلام نشده", "how many projects the list was declared to have; empty when not declared")},
		{"named_count", "integer", domain.T("شمار پروژه‌هایی که سوابق با نام ثبت کرده‌اند (محرمانه‌ها هم شمرده می‌شوند)", "how many of its projects the records name (confidential ones included in the count)")},
		{"active_count", "integer", domain.T("شمار پروژه‌هایی که اکنون در فهرست‌اند", "how many projects are on the list now")},
		{"main_count", "integer", domain.T("شمار پروژه‌های اصلی در میان پروژه‌های فعال", "how many of the active projects are main projects")},
		{"confidential_count", "integer", domain.T("شمار پروژه‌های محرمانه در میان نام‌برده‌ها؛ فقط شمرده می‌شوند", "how many of the named projects are confidential; only counted")},
		{"funnel", "list", domain.T("مراحل تصویب به ترتیب: مرجع=شمار (مبنا: records از سوابق، sourced از یک منبع، unknown نامعلوم)", "adoption stages in order: body=count (basis: records, sourced from a source, or unknown)")},
		{"last_stage_date", "date", domain.T("تاریخ آخرین مرحله تصویب که تاریخش معلوم است (ISO)", "date of the last adoption stage whose date is known (ISO)")},
		{"last_stage_date_jalali", "jalali", domain.T("همان تاریخ به تقویم جلالی", "the same date in the Jalali calendar")},
		{"sources", "list", domain.T("مرجع منابع این فهرست", "references of the list's sources")},
	}},
	{Name: "projects", Title: "dataset.projects", Load: loadProjects, Columns: []Column{
		{"slug", "text", domain.T("شناسه پروژه؛ نشانی صفحه آن /projects/شناسه است", "the project's identifier; its page is /projects/<slug>")},
		{"title_fa", "text", domain.T("عنوان فارسی پروژه", "the project's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی پروژه (ترجمه کاری)", "the project's English title (a working translation)")},
		{"kind", "text", domain.T("نوع پروژه: service (خدمت) یا infrastructure (زیرساخت)", "kind: service or infrastructure")},
		{"status", "text", domain.T("وضعیت ثبت‌شده چرخه عمر: proposed، designated، in-progress، implemented، suspended یا withdrawn", "recorded lifecycle status: proposed, designated, in-progress, implemented, suspended or withdrawn")},
		{"confidentiality", "text", domain.T("سطح دسترسی: public یا restricted (پروژه‌های محرمانه در پرونده نیستند)", "access level: public or restricted (confidential projects are not in the file)")},
		{"lead_agency", "text", domain.T("کد دستگاه راهبر؛ خالی یعنی ثبت نشده", "code of the lead agency; empty when not recorded")},
		{"participating_agencies", "list", domain.T("کد دستگاه‌های همکار", "codes of the participating agencies")},
		{"mandates", "list", domain.T("پشتوانه قانونی: شناسه قانون:ماده", "legal mandates: law slug:article")},
		{"deliverables", "integer", domain.T("شمار دستاوردهای ثبت‌شده", "number of recorded deliverables")},
		{"depends_on", "list", domain.T("شناسه پروژه‌های زیرساختی که پروژه به آن‌ها وابسته است", "slugs of the infrastructure projects it depends on")},
		{"predecessors", "list", domain.T("شناسه پروژه‌های پیشین (که این پروژه از آن‌ها برآمده)", "slugs of the projects it descends from")},
		{"capabilities", "list", domain.T("قابلیت‌هایی که فراهم می‌کند یا نیاز دارد", "capabilities it provides or needs")},
		{"summary_fa", "text", domain.T("خلاصه فارسی", "Persian summary")},
		{"summary_en", "text", domain.T("خلاصه انگلیسی", "English summary")},
		{"sources", "list", domain.T("مرجع منابع این پروژه", "references of the project's sources")},
	}},
	{Name: "memberships", Title: "dataset.memberships", Load: loadMemberships, Columns: []Column{
		{"program", "text", domain.T("شناسه فهرست", "the list's identifier")},
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"title_fa", "text", domain.T("عنوان فارسی پروژه", "the project's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی پروژه", "the project's English title")},
		{"main", "boolean", domain.T("آیا از پروژه‌های اصلی فهرست است", "whether it is a main project of the list")},
		{"stage", "text", domain.T("مرحله‌ای که در آن وارد فهرست شد: steering-committee، council یا government-board", "the stage at which it entered: steering-committee, council or government-board")},
		{"entered", "date", domain.T("تاریخ ورود (ISO)؛ خالی یعنی نامعلوم", "date it entered (ISO); empty when unknown")},
		{"entered_jalali", "jalali", domain.T("تاریخ ورود به تقویم جلالی", "date it entered, in the Jalali calendar")},
		{"active", "boolean", domain.T("آیا اکنون در فهرست است", "whether it is on the list now")},
		{"left", "date", domain.T("تاریخ خروج (ISO)؛ خالی یعنی خارج نشده یا تاریخ نامعلوم", "date it left (ISO); empty when it has not left or the date is unknown")},
		{"left_jalali", "jalali", domain.T("تاریخ خروج به تقویم جلالی", "date it left, in the Jalali calendar")},
		{"reason", "text", domain.T("دلیل خروج: completed، became-infrastructure، superseded، evolved، merged، too-general، not-homogeneous، confidential، priority-changed یا other", "reason it left: completed, became-infrastructure, superseded, evolved, merged, too-general, not-homogeneous, confidential, priority-changed or other")},
		{"successor", "text", domain.T("شناسه پروژه جانشین، اگر عمومی باشد", "slug of the successor project, when it is public")},
		{"note_fa", "text", domain.T("یادداشت فارسی", "Persian note")},
		{"note_en", "text", domain.T("یادداشت انگلیسی", "English note")},
	}},
	{Name: "decisions", Title: "dataset.decisions", Load: loadDecisions, Columns: []Column{
		{"id", "integer", domain.T("شناسه مصوبه", "the decision's identifier")},
		{"meeting", "text", domain.T("شناسه جلسه", "the meeting's identifier")},
		{"series", "text", domain.T("کد مجموعه جلسات (شورا یا کمیته)", "code of the meeting series (council or committee)")},
		{"series_name_fa", "text", domain.T("نام فارسی مجموعه جلسات", "Persian name of the meeting series")},
		{"series_name_en", "text", domain.T("نام انگلیسی مجموعه جلسات", "English name of the meeting series")},
		{"session", "integer", domain.T("شماره جلسه", "the session's number")},
		{"date", "date", domain.T("تاریخ جلسه (ISO)", "date of the meeting (ISO)")},
		{"date_jalali", "jalali", domain.T("تاریخ جلسه به تقویم جلالی", "date of the meeting, in the Jalali calendar")},
		{"resolution", "text", domain.T("شماره مصوبه", "the resolution's number")},
		{"text_fa", "text", domain.T("متن فارسی مصوبه", "Persian text of the decision")},
		{"text_en", "text", domain.T("متن انگلیسی مصوبه", "English text of the decision")},
		{"projects", "list", domain.T("شناسه پروژه‌هایی که مصوبه درباره آن‌هاست (مصوبات درباره پروژه‌های محرمانه در پرونده نیستند)", "slugs of the projects the decision is about (decisions about confidential projects are not in the file)")},
		{"recorded_at", "datetime", domain.T("زمان ثبت مصوبه (UTC)", "when the decision was recorded (UTC)")},
		{"verification_code", "text", domain.T("کد تصدیق سند امضاشده مصوبه (XXXXX-XXXXX)؛ خالی تا جلسه بسته و مصوبه منتشر شود",
			"verification code of the decision's signed document (XXXXX-XXXXX); empty until the meeting closes and the decision is published")},
		{"verify_url", "text", domain.T("نشانی صفحه تصدیق مصوبه: سالم بودن سند امضاشده را آنجا ببینید",
			"address of the decision's verification page, which says whether the signed document is intact")},
	}},
	{Name: "ratings", Title: "dataset.ratings", Load: loadRatings, Columns: []Column{
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"kind", "text", domain.T("نوع ارزیابی: self (خودارزیابی دستگاه) یا council (ارزیابی شورا)", "kind of rating: self (the agency's own) or council")},
		{"score", "integer", domain.T("امتیاز اطمینان از تحویل، از ۱ (ضعیف‌ترین) تا ۵ (بهترین)", "delivery-confidence score, from 1 (worst) to 5 (best)")},
		{"label_fa", "text", domain.T("نام فارسی سطح امتیاز", "Persian name of the score's level")},
		{"label_en", "text", domain.T("نام انگلیسی سطح امتیاز", "English name of the score's level")},
		{"agency", "text", domain.T("کد دستگاه ارزیاب در خودارزیابی؛ خالی برای ارزیابی شورا", "code of the rating agency for self ratings; empty for council ratings")},
		{"date", "date", domain.T("تاریخ ارزیابی (ISO)", "date of the rating (ISO)")},
		{"date_jalali", "jalali", domain.T("تاریخ ارزیابی به تقویم جلالی", "date of the rating, in the Jalali calendar")},
		{"comment_fa", "text", domain.T("توضیح فارسی", "Persian comment")},
		{"comment_en", "text", domain.T("توضیح انگلیسی", "English comment")},
	}},
	// The signed audit checkpoints; the JSON file is a checkpoints file
	// `pishran audit verify --checkpoints` reads.
	{Name: "checkpoints", Title: "dataset.checkpoints", Load: loadCheckpoints, Columns: []Column{
		{"id", "integer", domain.T("شماره نقطه وارسی", "the checkpoint's number")},
		{"entry", "integer", domain.T("شماره مدخلی از سیاهه ممیزی که نقطه وارسی بر آن است (سر زنجیره در آن لحظه)", "the audit log entry the checkpoint anchors (the chain's head at that moment)")},
		{"hash", "text", domain.T("چکیده SHA-256 همان مدخل (۶۴ رقم شانزده‌شانزدهی)", "that entry's SHA-256 hash (64 hex digits)")},
		{"at", "datetime", domain.T("زمان گرفتن نقطه وارسی (UTC)", "when the checkpoint was taken (UTC)")},
		{"source", "text", domain.T("چرا گرفته شد: daily (روزانه)، manual (به دست مدیر) یا document (درون سندی امضاشده)", "why it was taken: daily, manual (by an admin) or document (inside a signed document)")},
		{"document", "text", domain.T("کد تصدیق سندی که نقطه وارسی درون آن است؛ خالی برای دیگران", "verification code of the document that carries it; empty for the others")},
		{"key_id", "text", domain.T("شناسه کلید امضا (کلیدها: /api/v1/signing/keys)", "the signing key's id (keys: /api/v1/signing/keys)")},
		{"signature", "text", domain.T("امضای Ed25519 به base64 بر صورت RFC 8785 از {type, entry, hash, at, key_id}", "base64 Ed25519 signature over the RFC 8785 form of {type, entry, hash, at, key_id}")},
	}},
}

func datasetByName(name string) *Dataset {
	for i := range datasets {
		if datasets[i].Name == name {
			return &datasets[i]
		}
	}
	return nil
}

func join(xs []string) string { return strings.Join(xs, "; ") }

func sourceRefs(ss []domain.Source) string {
	refs := make([]string, len(ss))
	for i, s := range ss {
		refs[i] = s.Ref
	}
	return join(refs)
}

func loadPrograms(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, g := range progs {
		var funnel []string
		var last *domain.Date
		for _, st := range g.Stages {
			funnel = append(funnel, fmt.Sprintf("%s=%d (%s)", st.Body, st.Size, st.Basis))
			if st.Date != nil {
				last = st.Date
			}
			if st.Basis == "unknown" {
				funnel[len(funnel)-1] = string(st.Body) + "=? (unknown)"
			}
		}
		t.Rows = append(t.Rows, []any{g.Slug, g.Title.FA, g.Title.EN, g.Term, string(g.Kind), string(g.Status), g.DeclaredSize,
			g.Named, g.Active, g.Main, g.Confidential, join(funnel), last, jalaliOf(last), sourceRefs(g.Sources)})
	}
	return t, nil
}

func loadProjects(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	var all []*domain.Project
	for after := ""; ; {
		// Links to projects the visitor may not see are left out by the
		// service (service/visibility.go).
		page, err := s.svc.Projects(ctx, a, store.ProjectFilter{}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Slug
	}
	for _, p := range all {
		var parts, mandates, preds []string
		for _, pa := range p.Agencies {
			if pa.Role != domain.RoleLead {
				parts = append(parts, pa.Agency)
			}
		}
		for _, m := range p.Mandates {
			mandates = append(mandates, m.Law+":"+m.Article)
		}
		for _, pr := range p.Predecessors {
			preds = append(preds, pr.Project)
		}
		t.Rows = append(t.Rows, []any{p.Slug, p.Title.FA, p.Title.EN, string(p.Kind), string(p.Status), string(p.Confidentiality),
			p.Lead(), join(parts), join(mandates), len(p.Deliverables), join(p.DependsOn), join(preds), join(p.Capabilities),
			p.Summary.FA, p.Summary.EN, sourceRefs(p.Sources)})
	}
	hidden, err := hiddenOnLists(ctx, s, a)
	t.Hidden = hidden
	return t, err
}

// hiddenOnLists counts the confidential projects on the lists the visitor
// may see. The public cannot tell whether one confidential project is on
// two lists, so such a project counts twice.
func hiddenOnLists(ctx context.Context, s *Site, a service.Actor) (int, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range progs {
		n += g.Confidential
	}
	return n, nil
}

func loadMemberships(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	progs, err := s.programs(ctx, a)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, g := range progs {
		for after := ""; ; {
			ms, hidden, err := s.svc.Members(ctx, a, g.Slug, store.MemberFilter{}, store.Page{After: after, Limit: 1000})
			if err != nil {
				return nil, err
			}
			if after == "" {
				t.Hidden += hidden
			}
			for _, m := range ms {
				succ := m.Successor // "" when the visitor may not see it (service/visibility.go)
				t.Rows = append(t.Rows, []any{m.Program, m.Project, m.Title.FA, m.Title.EN, m.Main, string(m.Stage),
					m.Entered, jalaliOf(m.Entered), m.Active, m.Left, jalaliOf(m.Left), string(m.Reason), succ,
					m.Note.FA, m.Note.EN})
			}
			if len(ms) < 1000 {
				break
			}
			after = ms[len(ms)-1].Project
		}
	}
	return t, nil
}

func jalaliOf(d *domain.Date) string {
	if d == nil {
		return ""
	}
	return d.Jalali()
}

// cellText is a value as CSV writes it: empty for unknown.
func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case *int:
		if x == nil {
			return ""
		}
		return strconv.Itoa(*x)
	case bool:
		return strconv.FormatBool(x)
	case *domain.Date:
		if x == nil {
			return ""
		}
		return x.String()
	}
	return fmt.Sprint(v)
}

// cellJSON is a value as JSON writes it: null for unknown.
func cellJSON(v any) any {
	switch x := v.(type) {
	case *int:
		if x == nil {
			return nil
		}
		return *x
	case *domain.Date:
		if x == nil {
			return nil
		}
		return x.String()
	}
	return v
}

// ---- pages and downloads ----

type dataView struct {
	Datasets []Dataset
	Hidden   int
}

// dataIndex lists the datasets. It reads only the lists' counts: the
// files themselves are read when downloaded, each with its own as-of time.
func (s *Site) dataIndex(q *req) error {
	hidden, err := hiddenOnLists(q.Context(), s, q.actor)
	if err != nil {
		return err
	}
	return s.render(q, http.StatusOK, "data", q.lang.T("data.title"), "data", dataView{Datasets: datasets, Hidden: hidden})
}

// allColumns is a dataset's columns followed by as_of.
func allColumns(d *Dataset) []Column {
	return append(slices.Clone(d.Columns), asOfColumn)
}

type dictionaryView struct {
	Datasets []dictionaryEntry
	Hidden   int
}

type dictionaryEntry struct {
	Name, Title string
	Columns     []Column
}

func (s *Site) dictionary(q *req) error {
	hidden, err := hiddenOnLists(q.Context(), s, q.actor)
	if err != nil {
		return err
	}
	return s.render(q, http.StatusOK, "dictionary", q.lang.T("data.dictionary"), "data",
		dictionaryView{Datasets: dictionaryEntries(), Hidden: hidden})
}

func dictionaryEntries() []dictionaryEntry {
	out := make([]dictionaryEntry, len(datasets))
	for i := range datasets {
		out[i] = dictionaryEntry{Name: datasets[i].Name, Title: datasets[i].Title, Columns: allColumns(&datasets[i])}
	}
	return out
}

// download serves /data/{name}.{csv,json,xlsx} and /data/dictionary.csv.
func (s *Site) download(q *req) error {
	file := q.PathValue("file")
	name, ext, ok := strings.Cut(file, ".")
	if !ok {
		return notFound()
	}
	if file == "dictionary.csv" {
		return s.writeDictionaryCSV(q)
	}
	d := datasetByName(name)
	if d == nil || (ext != "csv" && ext != "json" && ext != "xlsx") {
		return notFound()
	}
	// The as-of time is taken before reading: the file holds at least
	// everything recorded up to it.
	asOf := s.opt.Now().UTC().Truncate(time.Second)
	t, err := d.Load(withBase(q.Context(), s.baseURL(q)), s, q.actor)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var ctype string
	switch ext {
	case "csv":
		ctype = "text/csv; charset=utf-8"
		err = writeCSV(&buf, d.Columns, t, asOf)
	case "json":
		ctype = "application/json"
		err = writeJSON(&buf, d, t, asOf)
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = writeXLSX(&buf, d, t, asOf)
	}
	if err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", `attachment; filename="pishran-`+d.Name+"."+ext+`"`)
	h.Set("Last-Modified", asOf.Format(http.TimeFormat))
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	if q.Method == http.MethodHead {
		return nil
	}
	_, err = q.w.Write(buf.Bytes())
	return err
}

// utf8BOM starts every CSV file, so that Excel reads it as UTF-8 and shows
// Persian as Persian.
const utf8BOM = "\uFEFF"

func writeCSV(w *bytes.Buffer, cols []Column, t *Table, asOf time.Time) error {
	w.WriteString(utf8BOM)
	cw := csv.NewWriter(w)
	head := make([]string, 0, len(cols)+1)
	for _, c := range cols {
		head = append(head, c.Name)
	}
	if err := cw.Write(append(head, asOfColumn.Name)); err != nil { // names of ours: nothing to neutralise
		return err
	}
	stamp := asOf.Format(time.RFC3339)
	rec := make([]string, len(cols)+1)
	for _, row := range t.Rows {
		for i, v := range row {
			rec[i] = csvSafe(cellText(v))
		}
		rec[len(cols)] = stamp
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonFile is the JSON download: the rows with what they are and when.
type jsonFile struct {
	Dataset      string          `json:"dataset"`
	Title        domain.Text     `json:"title"`
	AsOf         string          `json:"as_of"`
	Confidential int             `json:"confidential_not_listed"`
	Count        int             `json:"count"`
	Columns      []jsonColumn    `json:"columns"`
	Items        []orderedObject `json:"items"`
}

type jsonColumn struct {
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Description domain.Text `json:"description"`
}

// orderedObject is a row as a JSON object whose keys keep the columns'
// order.
type orderedObject struct {
	keys []string
	vals []any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSON(w *bytes.Buffer, d *Dataset, t *Table, asOf time.Time) error {
	f := jsonFile{Dataset: d.Name, Title: catalog[d.Title], AsOf: asOf.Format(time.RFC3339),
		Confidential: t.Hidden, Count: len(t.Rows), Items: make([]orderedObject, len(t.Rows))}
	keys := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		keys[i] = c.Name
		f.Columns = append(f.Columns, jsonColumn{c.Name, c.Type, c.Desc})
	}
	for i, row := range t.Rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = cellJSON(v)
		}
		f.Items[i] = orderedObject{keys: keys, vals: vals}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
}

func writeXLSX(w *bytes.Buffer, d *Dataset, t *Table, asOf time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := d.Name
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// The header row stays in view while scrolling.
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, 0, len(d.Columns)+1)
	for _, c := range d.Columns {
		head = append(head, excelize.Cell{StyleID: bold, Value: c.Name})
	}
	head = append(head, excelize.Cell{StyleID: bold, Value: asOfColumn.Name})
	if err := sw.SetRow("A1", head, excelize.RowOpts{}); err != nil {
		return err
	}
	stamp := asOf.Format(time.RFC3339)
	row := make([]any, len(d.Columns)+1)
	for i, r := range t.Rows {
		for j, v := range r {
			switch x := v.(type) {
			case int, bool:
				row[j] = x
			case *int:
				if x == nil {
					row[j] = nil
				} else {
					row[j] = *x
				}
			default:
				row[j] = cellText(v)
			}
		}
		row[len(d.Columns)] = stamp
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	// The "about" sheet: what the file is, as of when, what was left out,
	// and every column in both languages.
	about := "about"
	if _, err := f.NewSheet(about); err != nil {
		return err
	}
	title := catalog[d.Title]
	rows := [][]any{
		{"dataset", d.Name},
		{"title_fa", title.FA},
		{"title_en", title.EN},
		{"as_of", stamp},
		{"confidential_not_listed", t.Hidden},
		{"rows", len(t.Rows)},
		{},
		{"column", "type", "meaning_fa", "meaning_en"},
	}
	for _, c := range allColumns(d) {
		rows = append(rows, []any{c.Name, c.Type, c.Desc.FA, c.Desc.EN})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(about, cell, &r); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	if _, err := f.WriteTo(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *Site) writeDictionaryCSV(q *req) error {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"dataset", "column", "type", "meaning_fa", "meaning_en"})
	for i := range datasets {
		d := &datasets[i]
		for _, c := range allColumns(d) {
			cw.Write([]string{csvSafe(d.Name), csvSafe(c.Name), csvSafe(c.Type), csvSafe(c.Desc.FA), csvSafe(c.Desc.EN)})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="pishran-dictionary.csv"`)
	h.Set("Cache-Control", "no-cache")
	if q.Method == http.MethodHead {
		return nil
	}
	_, err := q.w.Write(buf.Bytes())
	return err
}

func loadDecisions(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	base := baseFrom(ctx)
	err := eachDecision(ctx, s.svc, a, func(d *domain.Decision) {
		date := d.Date
		var verifyURL string
		if d.VerificationCode != "" {
			verifyURL = seal.URL(base, d.VerificationCode)
		}
		t.Rows = append(t.Rows, []any{int(d.ID), d.Meeting, d.Series, d.SeriesName.FA, d.SeriesName.EN, d.Number, &date, jalaliOf(&date),
			d.Resolution, d.Text.FA, d.Text.EN, join(d.Projects), d.RecordedAt.UTC().Format(time.RFC3339), d.VerificationCode, verifyURL})
	})
	return t, err
}

func loadCheckpoints(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	t := &Table{}
	for after := ""; ; {
		page, err := s.svc.Checkpoints(ctx, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, c := range page {
			t.Rows = append(t.Rows, []any{int(c.ID), int(c.Entry), c.Hash, c.At, c.Source, c.Document, c.KeyID, c.Signature})
		}
		if len(page) < 1000 {
			return t, nil
		}
		after = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
}

func loadRatings(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	var slugs []string
	for after := ""; ; {
		page, err := s.svc.Projects(ctx, a, store.ProjectFilter{}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			slugs = append(slugs, p.Slug)
		}
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Slug
	}
	hist, err := s.svc.RatingHistory(ctx, a, slugs)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, slug := range slugs { // by project, each newest first
		for _, r := range hist[slug] {
			label := scaleLabel(r.Score)
			t.Rows = append(t.Rows, []any{r.Project, string(r.Kind), r.Score, label.FA, label.EN, r.Agency, r.Date, jalaliOf(r.Date),
				r.Comment.FA, r.Comment.EN})
		}
	}
	hidden, err := hiddenOnLists(ctx, s, a)
	t.Hidden = hidden
	return t, err
}
