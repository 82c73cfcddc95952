// Package minutes renders a meeting's record as a document people read:
// Markdown, and a printable HTML page, each in Persian (right to left, with
// Jalali dates and Persian digits) or English (left to right, ISO dates).
// It also renders the Atom feed of decisions. It is pure: it formats what
// it is given and reads nothing.
package minutes

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/seal"
)

//go:embed templates/*.tmpl
var files embed.FS

var (
	mdTmpl = texttemplate.Must(texttemplate.New("minutes.md.tmpl").Funcs(texttemplate.FuncMap{"md": mdEscape}).
		ParseFS(files, "templates/minutes.md.tmpl"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("minutes.html.tmpl").ParseFS(files, "templates/minutes.html.tmpl"))
)

// Input is a meeting's record with the names it refers to. Whatever the
// reader may not see must already be left out of Meeting.
type Input struct {
	Meeting  *domain.Meeting
	Series   *domain.Series
	Projects map[string]domain.Text // titles of the projects the record names
	Agencies map[string]domain.Text // names of the agencies the record names
	// Base is the server's address (its public URL, or the scheme and host
	// the reader came to), for the verification addresses the minutes
	// print: a paper copy is checked by typing or scanning them. Empty:
	// the addresses are paths.
	Base string
}

// Langs and Formats are the accepted values.
var (
	Langs   = []string{"fa", "en"}
	Formats = []string{"md", "html"}
)

// Render renders the minutes in a language ("fa" or "en") and a format
// ("md" or "html").
func Render(in Input, lang, format string) ([]byte, error) {
	v := build(in, lang)
	var b bytes.Buffer
	var err error
	switch format {
	case "md":
		err = mdTmpl.Execute(&b, v)
	case "html":
		err = htmlTmpl.Execute(&b, v)
	default:
		return nil, fmt.Errorf("unknown format %q", format)
	}
	return b.Bytes(), err
}

// ContentType returns the media type of a format.
func ContentType(format string) string {
	if format == "html" {
		return "text/html; charset=utf-8"
	}
	return "text/markdown; charset=utf-8"
}

// ---- the view the templates read ----

type view struct {
	Lang, Dir   string
	L           labels
	Title       string
	Series      string
	Number      string
	Date        string
	DateISO     string
	State       string
	Attendees   []attendee
	Agenda      []item
	Dropped     []item
	Decisions   []outcome
	Actions     []outcome
	Information []outcome
	FollowUps   []followUp
	Amendments  []amendment
	Generated   string
	Seal        *sealView // the published minutes' verification, once closed
}

// sealView is how to check a signed document: its code, its verification
// page's address, and a QR code of that address (an inline SVG for HTML,
// the address of the SVG image for Markdown).
type sealView struct {
	Code, URL, QRURL string
	QR               htmltemplate.HTML
}

type attendee struct{ Name, Role, Agency string }

type item struct {
	N, Title, Ref, Reasons, DropReason string
}

type outcome struct {
	Ref, Text, Owner, Due, DueISO, Projects string
	Code, VerifyURL                         string       // a published decision's verification
	ProjectList                             []projectRef // for HTML, which isolates each slug's direction
}

type projectRef struct{ Sep, Title, Slug string } // Sep: what goes before it in a list

type followUp struct {
	Action, Description, What, Note string
}

type amendment struct{ When, By, Text string }

type labels struct {
	Verify, VerifyHelp, Code, QR,
	Semi, Minutes, Date, Session, State, Attendees, Agenda, Dropped, DropReason, Decisions, Resolution, Actions,
	Action, Owner, Due, Projects, Information, FollowUps, Amendments, Amendment, Generated, None, By string
}

var labelsFA = labels{
	Semi: "؛", Minutes: "صورت‌جلسه", Date: "تاریخ", Session: "جلسه", State: "وضعیت", Attendees: "حاضران",
	Agenda: "دستور جلسه", Dropped: "بندهای حذف‌شده از دستور", DropReason: "دلیل حذف", Decisions: "مصوبات",
	Resolution: "مصوبه", Actions: "اقدامات", Action: "اقدام", Owner: "مسئول", Due: "مهلت", Projects: "پروژه‌ها",
	Information: "گزارش‌ها و اطلاعات", FollowUps: "پیگیری اقدامات پیشین", Amendments: "الحاقیه‌ها (اصلاحات پس از بستن)",
	Amendment: "الحاقیه", Generated: "بسته شد در", None: "—", By: "ثبت‌کننده",
	Verify: "تصدیق", Code: "کد تصدیق", QR: "کد QR نشانی تصدیق",
	VerifyHelp: "نسخه منتشرشده این صورت‌جلسه (مصوبات آن) امضای رقومی دارد. برای اطمینان از اصالت، کد را اسکن کنید یا نشانی را باز کنید؛ هر مصوبه کد تصدیق خود را دارد.",
}

var labelsEN = labels{
	Semi: ";", Minutes: "Minutes", Date: "Date", Session: "Session", State: "State", Attendees: "Attendees",
	Agenda: "Agenda", Dropped: "Items dropped from the agenda", DropReason: "reason", Decisions: "Decisions",
	Resolution: "Resolution", Actions: "Actions", Action: "Action", Owner: "owner", Due: "due", Projects: "projects",
	Information: "Information", FollowUps: "Follow-up of earlier actions", Amendments: "Amendments (corrections after closing)",
	Amendment: "Amendment", Generated: "Closed at", None: "—", By: "by",
	Verify: "Verification", Code: "Verification code", QR: "QR code of the verification address",
	VerifyHelp: "The published record of this meeting (its decisions) is digitally signed. To check it is genuine, scan the code or open the address; each decision has its own verification code.",
}

func build(in Input, lang string) view {
	if lang != "en" {
		lang = "fa"
	}
	m := in.Meeting
	f := formatter{lang: lang}
	v := view{Lang: lang, Dir: "rtl", L: labelsFA}
	if lang == "en" {
		v.Dir, v.L = "ltr", labelsEN
	}
	seriesName := m.Series
	if in.Series != nil {
		seriesName = in.Series.Name.In(lang)
	}
	v.Series, v.Number, v.Date, v.DateISO = seriesName, f.num(m.Number), f.date(m.Date), m.Date.String()
	v.State = stateText(m.State).In(lang)
	if !m.Title.IsZero() {
		v.Title = m.Title.In(lang)
	} else if lang == "en" {
		v.Title = seriesName + ", session " + v.Number
	} else {
		v.Title = "جلسه " + v.Number + " " + seriesName
	}
	agency := func(code string) string {
		if code == "" {
			return ""
		}
		if n, ok := in.Agencies[code]; ok && !n.IsZero() {
			return n.In(lang)
		}
		return code
	}
	projectRefs := func(slugs []string) []projectRef {
		var out []projectRef
		for i, s := range slugs {
			r := projectRef{Title: in.Projects[s].In(lang), Slug: s}
			if i > 0 {
				r.Sep = f.sep()
			}
			out = append(out, r)
		}
		return out
	}
	projects := func(slugs []string) string {
		var parts []string
		for _, r := range projectRefs(slugs) {
			if r.Title != "" {
				parts = append(parts, r.Title+" ("+r.Slug+")")
			} else {
				parts = append(parts, r.Slug)
			}
		}
		return strings.Join(parts, f.sep())
	}
	for _, a := range m.Attendees {
		v.Attendees = append(v.Attendees, attendee{Name: a.Name.In(lang), Role: a.Role.In(lang), Agency: agency(a.Agency)})
	}
	n := 0
	for _, it := range m.Agenda {
		x := item{Title: it.Title.In(lang)}
		switch it.Kind {
		case domain.AgendaProject:
			x.Ref = it.Project
		case domain.AgendaAction:
			x.Ref = v.L.Action + " " + f.id(it.Action)
		}
		var rs []string
		for _, r := range it.Reasons {
			rs = append(rs, r.Text().In(lang))
		}
		x.Reasons = strings.Join(rs, f.sep())
		if it.Dropped {
			x.DropReason = it.DropReason.In(lang)
			v.Dropped = append(v.Dropped, x)
			continue
		}
		n++
		x.N = strconv.Itoa(n) // a Markdown list marker: ASCII digits, whatever the language
		v.Agenda = append(v.Agenda, x)
	}
	for _, o := range m.Outcomes {
		switch o.Kind {
		case domain.OutcomeDecision:
			x := outcome{Ref: f.digits(o.Resolution), Text: o.Text.In(lang),
				Projects: projects(o.Projects), ProjectList: projectRefs(o.Projects)}
			if o.VerificationCode != "" {
				x.Code, x.VerifyURL = o.VerificationCode, seal.URL(in.Base, o.VerificationCode)
			}
			v.Decisions = append(v.Decisions, x)
		case domain.OutcomeAction:
			x := outcome{Ref: f.id(o.Action), Text: o.Description.In(lang), Owner: agency(o.Owner),
				Projects: projects(o.Projects), ProjectList: projectRefs(o.Projects)}
			if o.Due != nil {
				x.Due, x.DueISO = f.date(*o.Due), o.Due.String()
			}
			v.Actions = append(v.Actions, x)
		default:
			v.Information = append(v.Information, outcome{Text: o.Text.In(lang), Projects: projects(o.Projects), ProjectList: projectRefs(o.Projects)})
		}
	}
	for _, fu := range m.FollowUps {
		x := followUp{Action: f.id(fu.Action), Description: fu.Description.In(lang), Note: fu.Note.In(lang)}
		switch fu.Type {
		case domain.ActionDiscussed:
			x.What = domain.T("بررسی شد", "discussed").In(lang)
		case domain.ActionClosedEv:
			x.What = domain.T("بسته شد", "closed").In(lang)
		case domain.ActionRedated:
			old, nw := "", ""
			if fu.OldDue != nil {
				old = f.date(*fu.OldDue)
			}
			if fu.NewDue != nil {
				nw = f.date(*fu.NewDue)
			}
			x.What = domain.T("مهلت از "+old+" به "+nw+" تغییر کرد", "due date moved from "+old+" to "+nw).In(lang)
		default:
			x.What = string(fu.Type)
		}
		v.FollowUps = append(v.FollowUps, x)
	}
	for _, a := range m.Amendments {
		v.Amendments = append(v.Amendments, amendment{When: f.stamp(a.RecordedAt), By: a.RecordedBy, Text: a.Text.In(lang)})
	}
	if m.ClosedAt != nil {
		v.Generated = f.stamp(*m.ClosedAt)
	}
	if c := m.VerificationCode; c != "" {
		u := seal.URL(in.Base, c)
		v.Seal = &sealView{Code: c, URL: u, QRURL: strings.TrimSuffix(in.Base, "/") + seal.QRPath(c)}
		if in.Base != "" { // a QR code of a bare path would lead nowhere
			v.Seal.QR, _ = seal.Inline(u, 144, v.L.QR+": "+u)
		}
	}
	return v
}

func stateText(s domain.MeetingState) domain.Text {
	switch s {
	case domain.MeetingPlanned:
		return domain.T("برنامه‌ریزی‌شده", "planned")
	case domain.MeetingHeld:
		return domain.T("برگزارشده", "held")
	case domain.MeetingClosed:
		return domain.T("بسته‌شده", "closed")
	case domain.MeetingCancelled:
		return domain.T("لغوشده", "cancelled")
	}
	return domain.T(string(s), string(s))
}

// formatter writes numbers and dates the way each language's readers
// expect: Persian digits and the Jalali calendar for Persian, ISO for
// English.
type formatter struct{ lang string }

func (f formatter) digits(s string) string {
	if f.lang == "fa" {
		return jalali.PersianDigits(s)
	}
	return s
}

func (f formatter) num(n int) string  { return f.digits(strconv.Itoa(n)) }
func (f formatter) id(n int64) string { return f.digits("#" + strconv.FormatInt(n, 10)) }

func (f formatter) sep() string {
	if f.lang == "fa" {
		return "، "
	}
	return ", "
}

// date is a Jalali date with Persian digits (۱۴۰۲/۰۹/۱۹) in Persian, the
// ISO date in English.
func (f formatter) date(d domain.Date) string {
	if f.lang == "fa" {
		return jalali.PersianDigits(jalali.Format(d.Y, d.M, d.D))
	}
	return d.String()
}

// stamp is an instant, to the minute, in Tehran time: the council meets
// in Tehran, and its minutes are read there.
func (f formatter) stamp(t time.Time) string {
	t = t.In(domain.Tehran)
	if f.lang == "fa" {
		return f.date(domain.TehranDate(t)) + " " + jalali.PersianDigits(t.Format("15:04")) + " به وقت تهران"
	}
	return t.Format("2006-01-02 15:04") + " Tehran time"
}

// mdEscape makes text safe inside a Markdown list item: the characters
// Markdown would read as markup are escaped, and a line break continues
// the item instead of ending it.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\r':
		case '\n':
			b.WriteString("  \n   ")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
