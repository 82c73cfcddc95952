package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// The staff workspace: the pages the secretariat, council members, readers
// and agencies' focal points use once signed in. They are server-rendered
// like the portal and work without JavaScript (every form posts normally
// and answers with a redirect or the form again, with what was wrong);
// htmx only saves a round trip where it helps. Each page reads and writes
// through the service as the signed-in person, so who may do what is the
// service's rule, the same as the API's: a record the person may not see
// is "not found", never "forbidden".

// staffRoutes lists the sign-in pages and the workspace.
func (s *Site) staffRoutes() []Route {
	return []Route{
		{Pattern: "GET /login", Handler: s.page(s.loginPage)},
		{Pattern: "POST /login", Handler: s.page(s.loginPost)},
		{Pattern: "POST /logout", Handler: s.page(s.logoutPost)},
		{Pattern: "GET /staff/password", Handler: s.page(s.passwordPage)},
		{Pattern: "POST /staff/password", Handler: s.page(s.passwordPost)},
		{Pattern: "GET /staff", Handler: s.staff(s.dashboard)},
		{Pattern: "GET /staff/search", Handler: s.staff(s.staffSearch)},
		{Pattern: "GET /staff/projects/{slug}", Handler: s.staff(s.staffProject)},
		{Pattern: "POST /staff/projects/{slug}/ratings", Handler: s.staff(s.ratePost)},
		{Pattern: "POST /staff/projects/{slug}/baselines", Handler: s.staff(s.baselinePost)},
		{Pattern: "POST /staff/projects/{slug}/milestones", Handler: s.staff(s.milestonePost)},
		{Pattern: "POST /staff/projects/{slug}/kpis", Handler: s.staff(s.kpiPost)},
		{Pattern: "GET /staff/projects/{slug}/integrations", Handler: s.staff(s.integrationsPage)}, // staff_exchange.go
		{Pattern: "POST /staff/projects/{slug}/integrations", Handler: s.staff(s.declarePost)},
		{Pattern: "POST /staff/projects/{slug}/integrations/{n}", Handler: s.staff(s.declaredPost)},
		{Pattern: "GET /staff/exchange", Handler: s.staff(s.exchangePage)},
		{Pattern: "POST /staff/exchange/identities", Handler: s.staff(s.identityPost)},
		{Pattern: "POST /staff/exchange/services", Handler: s.staff(s.servicePost)},
		{Pattern: "GET /staff/programs", Handler: s.staff(s.staffPrograms)},
		{Pattern: "GET /staff/programs/{id}/designate", Handler: s.staff(s.designatePage)},
		{Pattern: "GET /staff/programs/{id}/designate/check", Handler: s.staff(s.designateCheck)},
		{Pattern: "POST /staff/programs/{id}/designate", Handler: s.staff(s.designatePost)},
		{Pattern: "GET /staff/meetings", Handler: s.staff(s.meetingsPage)},
		{Pattern: "POST /staff/meetings", Handler: s.staff(s.meetingCreate)},
		{Pattern: "GET /staff/meetings/{id}", Handler: s.staff(s.meetingPage)},
		{Pattern: "POST /staff/meetings/{id}/agenda", Handler: s.staff(s.agendaPost)},
		{Pattern: "POST /staff/meetings/{id}/hold", Handler: s.staff(s.meetingState(domain.MeetingHeld))},
		{Pattern: "POST /staff/meetings/{id}/close", Handler: s.staff(s.closePost)}, // after a confirmation (meetings_change.go)
		{Pattern: "POST /staff/meetings/{id}/outcomes", Handler: s.staff(s.outcomePost)},
		{Pattern: "POST /staff/meetings/{id}/actions/{action}/{act}", Handler: s.staff(s.actionPost)},
		{Pattern: "GET /staff/agencies/{code}/owes", Handler: s.staff(s.owesPage)},
		{Pattern: "GET /staff/reports", Handler: s.staff(s.reportsPage)},
		{Pattern: "POST /staff/reports", Handler: s.staff(s.reportCreate)},
		{Pattern: "GET /staff/reports/new", Handler: s.staff(s.reportNew)},
		{Pattern: "GET /staff/reports/{id}", Handler: s.staff(s.reportPage)},
		{Pattern: "POST /staff/reports/{id}", Handler: s.staff(s.reportUpdate)},
		{Pattern: "GET /staff/reports/{id}/edit", Handler: s.staff(s.reportEdit)},
		{Pattern: "POST /staff/reports/{id}/submit", Handler: s.staff(s.reportAct("submit"))},
		{Pattern: "POST /staff/reports/{id}/accept", Handler: s.staff(s.reportAct("accept"))},
		{Pattern: "POST /staff/reports/{id}/return", Handler: s.staff(s.reportAct("return"))},
		{Pattern: "POST /staff/reports/{id}/evidence", Handler: s.staff(s.evidencePost)},
		{Pattern: "GET /staff/reports/{id}/evidence/{n}", Handler: s.staff(s.evidenceFile)},
		{Pattern: "POST /staff/meetings/{id}/amendments", Handler: s.staff(s.amendPost)},
		{Pattern: "GET /staff/accounts", Handler: s.staff(s.accountsPage)},
		{Pattern: "POST /staff/accounts", Handler: s.staff(s.accountCreate)},
		{Pattern: "GET /staff/accounts/{username}", Handler: s.staff(s.accountPage)},
		{Pattern: "POST /staff/accounts/{username}", Handler: s.staff(s.accountUpdate)},
		{Pattern: "POST /staff/accounts/{username}/reset", Handler: s.staff(s.accountReset)},
	}
}

// staff wraps a workspace page: the signed-in person is the actor; a
// visitor who is not signed in is sent to the sign-in page (and back
// afterwards), and one who must change their password to that page first.
func (s *Site) staff(h pageFunc) http.Handler {
	return s.wrapPage(func(q *req) error {
		if q.pending != nil {
			return redirect(q, "/staff/password")
		}
		if !q.signedIn() {
			return toLogin(q)
		}
		return h(q)
	}, true)
}

// renderStaff renders a workspace page; section marks its entry in the
// workspace's navigation.
func (s *Site) renderStaff(q *req, status int, name, title, section string, data any, scripts ...string) error {
	return s.renderView(q, status, name, view{Title: title, Nav: "staff", Section: section, Inbox: s.inboxCount(q), Data: data},
		append(scripts, "js/staff.js")...)
}

// renderFragment renders one named template of a page, without the
// layout: what htmx swaps into a page already shown. It carries the same
// headers as a page.
func (s *Site) renderFragment(q *req, status int, page, name string, data any) error {
	t := s.pages[q.lang][page]
	if t == nil {
		return fmt.Errorf("web: no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	h := q.w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(q.lang))
	h.Set("Cache-Control", "private, no-store")
	q.w.WriteHeader(status)
	_, err := q.w.Write(buf.Bytes())
	return err
}

// isSecretariat reports whether the person runs the registry.
func (q *req) isSecretariat() bool {
	return q.who.Role == service.RoleAdmin || q.who.Role == service.RoleSecretariat
}

// isAgency reports whether the person is an agency's focal point.
func (q *req) isAgency() bool { return q.who.Role == service.RoleAgency }

// forbidden answers a page or act the person's role does not allow.
func forbidden() error {
	return &httpError{status: http.StatusForbidden}
}

// ---- forms ----

// maxForm bounds a form's body.
const maxForm = 1 << 20

// parseForm reads a posted form (at most maxForm bytes).
func parseForm(q *req) error {
	if err := httpx.ParseForm(q.w, q.Request, maxForm); err != nil {
		return badRequest("فرم خوانا نیست", "the form cannot be read")
	}
	return nil
}

// formText reads a bilingual text from the inputs NAME_fa and NAME_en.
func formText(q *req, name string) domain.Text {
	return domain.T(strings.TrimSpace(q.PostFormValue(name+"_fa")), strings.TrimSpace(q.PostFormValue(name+"_en")))
}

// formDate reads a day, ISO (2024-05-31) or Jalali (۱۴۰۳/۰۳/۱۱), from an
// input; empty is nil.
func formDate(q *req, name string) (*domain.Date, error) {
	v := strings.TrimSpace(q.PostFormValue(name))
	if v == "" {
		return nil, nil
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		return nil, domain.Invalid(name, "تاریخ را به صورت ۱۴۰۳/۰۳/۲۰ یا ۲۰۲۴-۰۶-۰۹ بنویسید", "write the date as 2024-06-09 or, in the Jalali calendar, 1403/03/20")
	}
	return &d, nil
}

// formInt reads a whole number from an input; empty is nil.
func formInt(q *req, name string) (*int64, error) {
	v := strings.TrimSpace(digitsASCII(q.PostFormValue(name)))
	v = strings.NewReplacer(",", "", "٬", "", " ", "").Replace(v)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, domain.Invalid(name, "یک عدد صحیح بنویسید", "write a whole number")
	}
	return &n, nil
}

// digitsASCII turns Persian and Arabic-Indic digits into ASCII ones, so a
// number typed on a Persian keyboard reads the same.
func digitsASCII(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		}
		return r
	}, s)
}

// version reads the version a form was rendered with (from its action's
// query, so that the form needs no hidden field): a write made on a stale
// page is refused with 412 rather than overwriting someone's change.
func version(q *req) int64 {
	n, _ := strconv.ParseInt(q.URL.Query().Get("v"), 10, 64)
	return max(n, 0)
}

// formError is a refused act, as the form shows it.
type formError struct {
	Message    string
	Field      string
	Violations []violationView
}

// violationView is one broken designation rule.
type violationView struct {
	Rule     string
	Title    string
	Blocking bool
	Note     bool // only informs (what the exchange shows): neither a failure nor a warning
	Message  string
	Fix      string
	FixURL   string // the field of the project's form that fixes it
}

// refusal turns a service refusal into what the form shows and the status
// the page answers with. Errors that are not a refusal of the input (a
// record not found, a fault) come back as fatal: they are the error page's.
func (s *Site) refusal(q *req, err error) (int, *formError, error) {
	e, ok := domain.AsError(err)
	if !ok {
		return 0, nil, err
	}
	switch e.Kind {
	case domain.KindNotFound, domain.KindUnauthorized:
		if e.Field == "" || e.Field == "slug" || e.Field == "id" {
			return 0, nil, err
		}
	}
	fe := &formError{Message: q.lang.Text(e.Message), Field: e.Field}
	if e.Kind == domain.KindStale {
		fe.Message = q.lang.T("form.stale")
	}
	for _, v := range e.Violations {
		fe.Violations = append(fe.Violations, s.violation(q, v))
	}
	return httpx.StatusOf(e.Kind), fe, nil
}

func (s *Site) violation(q *req, v domain.Violation) violationView {
	return violationView{Rule: v.Rule, Title: ruleTitle(q.lang, v.Rule), Blocking: v.Severity == domain.Blocking,
		Note: v.Severity == domain.Note, Message: q.lang.Text(v.Message), Fix: q.lang.Text(v.Fix)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// atoi reads a whole number typed with any digits.
func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(digitsASCII(s))) }

// isRefusal reports whether err is one the form shows rather than the
// error page.
func isRefusal(err error) bool {
	var e *domain.Error
	return errors.As(err, &e) && e.Kind != domain.KindNotFound && e.Kind != domain.KindUnauthorized
}

// ruleTitles names the designation rules, from the rules themselves.
var ruleTitles = func() map[string]domain.Text {
	m := map[string]domain.Text{}
	for _, r := range designation.Rules() {
		m[r.ID] = r.Title
	}
	return m
}()

func ruleTitle(l Lang, id string) string {
	if t, ok := ruleTitles[id]; ok {
		return l.Text(t)
	}
	return id
}
