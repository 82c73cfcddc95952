package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/service"
)

// The workspace's pages of the exchange (issue 15): a project's declared
// integrations with their status and the forms to declare, change and
// remove them (the project's lead agency or the secretariat); and the
// exchange page, where the secretariat maps identities to agencies (those
// the last imports found unknown are offered), names services and reads
// the imports' reports. Every form carries the version it was rendered
// with: a change made since is refused ("changed since you opened it").

type declareForm struct {
	Client, Service, Milestone string
	Window, MaxFailure         string
	MinMessages, SilentDays    string
	Note                       domain.Text
	Error                      *formError
}

type integrationsPage struct {
	P            *domain.Project
	HasExchange  bool
	AgencyLead   bool
	Integrations []integrationView
	Milestones   []*domain.Milestone
	MayEdit      bool
	Form         declareForm
	RowError     map[int64]*formError
	Done         string
}

func (s *Site) integrationsPage(q *req) error { return s.integrationsRender(q, http.StatusOK, nil) }

func (s *Site) integrationsRender(q *req, status int, fill func(*integrationsPage)) error {
	ctx, slug := q.Context(), q.PathValue("slug")
	pv, err := s.svc.Project(ctx, q.actor, slug)
	if err != nil {
		return err
	}
	js, err := s.svc.Integrations(ctx, q.actor, slug)
	if err != nil {
		return err
	}
	v := integrationsPage{P: pv.Project, HasExchange: true, RowError: map[int64]*formError{}, Done: doneOf(q, "declared", "changed", "removed")}
	v.Integrations, _ = integrationsOf(q.lang, js)
	if v.Milestones, err = s.svc.Milestones(ctx, q.actor, slug); err != nil {
		return err
	}
	v.MayEdit = q.isSecretariat() || (q.isAgency() && pv.Project.Lead() == q.who.Agency)
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/integrations", q.lang.T("sexchange.integrations_title", q.lang.Text(pv.Project.Title)), "reports", v)
}

// doneOf is the ?done= of a redirect after an act, if it is one of these.
func doneOf(q *req, known ...string) string {
	d := q.URL.Query().Get("done")
	if slices.Contains(known, d) {
		return d
	}
	return ""
}

// policyOf reads the thresholds of a declaration form; empty is the
// council's default.
func policyOf(q *req, f *declareForm) (exchange.Policy, error) {
	var p exchange.Policy
	f.Window = strings.TrimSpace(q.PostFormValue("window"))
	f.MaxFailure = strings.TrimSpace(q.PostFormValue("max_failure"))
	f.MinMessages = strings.TrimSpace(q.PostFormValue("min_messages"))
	f.SilentDays = strings.TrimSpace(q.PostFormValue("silent_days"))
	for _, x := range []struct {
		name string
		to   *int
	}{{"window", &p.Window}, {"silent_days", &p.SilentDays}} {
		n, err := formInt(q, x.name)
		if err != nil {
			return p, err
		}
		if n != nil {
			*x.to = int(*n)
		}
	}
	if n, err := formInt(q, "min_messages"); err != nil {
		return p, err
	} else if n != nil {
		if *n < 0 {
			return p, domain.Invalid("min_messages", "کمینه پیام‌ها نمی‌تواند منفی باشد", "the fewest messages cannot be negative")
		}
		p.MinMessages = uint64(*n)
	}
	if f.MaxFailure != "" {
		pct, err := formFloat(f.MaxFailure)
		if err != nil {
			return p, domain.Invalid("max_failure", "سقف نرخ خطا را به درصد بنویسید", "write the failure-rate threshold as a percentage")
		}
		p.MaxFailureRate = pct / 100
	}
	return p, nil
}

func milestoneOf(q *req, f *declareForm) (*int64, error) {
	f.Milestone = q.PostFormValue("milestone")
	n, err := formInt(q, "milestone")
	if err != nil || n == nil || *n == 0 {
		return nil, err
	}
	return n, nil
}

// declarePost declares an integration (service.Declare).
func (s *Site) declarePost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	slug := q.PathValue("slug")
	var f declareForm
	err := func() error {
		f.Client = strings.TrimSpace(q.PostFormValue("client"))
		f.Service = strings.TrimSpace(q.PostFormValue("service"))
		f.Note = formText(q, "note")
		client, err := exchange.ParseSubsystem(f.Client)
		if err != nil {
			return fieldErr(err, "client")
		}
		svc, err := exchange.ParseService(f.Service)
		if err != nil {
			return fieldErr(err, "service")
		}
		d := &exchange.Declared{Project: slug, Integration: exchange.Integration{Client: client, Service: svc}, Note: f.Note}
		if d.Milestone, err = milestoneOf(q, &f); err != nil {
			return err
		}
		if d.Policy, err = policyOf(q, &f); err != nil {
			return err
		}
		return policyField(s.svc.Declare(q.Context(), q.actor, d))
	}()
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.integrationsRender(q, status, func(v *integrationsPage) { v.Form = f })
	}
	return redirect(q, "/staff/projects/"+url.PathEscape(slug)+"/integrations?done=declared")
}

// fieldErr names the form's field in an identifier's error.
func fieldErr(err error, field string) error {
	if e, ok := domain.AsError(err); ok {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// policyField names the form's field in a refused threshold: the API's
// policy.silent_days is the form's silent_days, policy.max_failure_rate
// (a fraction) its max_failure (a percentage).
func policyField(err error) error {
	e, ok := domain.AsError(err)
	if !ok {
		return err
	}
	f, ok := strings.CutPrefix(e.Field, "policy.")
	if !ok {
		return err
	}
	if f == "max_failure_rate" {
		f = "max_failure"
	}
	return fieldErr(err, f)
}

// declaredPost changes a declaration (milestone, thresholds, note) or,
// with "delete", removes it; the action's ?v= is the version the row was
// rendered with.
func (s *Site) declaredPost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	slug := q.PathValue("slug")
	id, err := strconv.ParseInt(q.PathValue("n"), 10, 64)
	if err != nil || id <= 0 {
		return &httpError{status: http.StatusNotFound}
	}
	ds, err := s.svc.Declared(q.Context(), q.actor, slug)
	if err != nil {
		return err
	}
	var old *exchange.Declared
	for _, d := range ds {
		if d.ID == id {
			old = d
		}
	}
	if old == nil {
		return &httpError{status: http.StatusNotFound}
	}
	done := "changed"
	err = func() error {
		if q.PostFormValue("delete") != "" {
			done = "removed"
			return s.svc.Undeclare(q.Context(), q.actor, id, version(q))
		}
		var f declareForm
		d := &exchange.Declared{ID: id, Note: formText(q, "note")}
		d.Meta.Version = version(q)
		var err error
		if d.Milestone, err = milestoneOf(q, &f); err != nil {
			return err
		}
		if d.Policy, err = policyOf(q, &f); err != nil {
			return err
		}
		return policyField(s.svc.UpdateDeclared(q.Context(), q.actor, d))
	}()
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		return s.integrationsRender(q, status, func(v *integrationsPage) { v.RowError[id] = fe })
	}
	return redirect(q, "/staff/projects/"+url.PathEscape(slug)+"/integrations?done="+done)
}

type exchangePage struct {
	Mappings   []*exchange.Mapping
	Services   []*exchange.ServiceInfo
	Imports    []service.ImportRow
	Agencies   []agencyChoice
	Identity   string // the identity form's value (an unknown one offered, or as posted)
	Agency     string
	Name       domain.Text
	IdentError *formError
	Service    string
	Title      domain.Text
	SvcError   *formError
	Done       string
	MayEdit    bool
}

func (s *Site) exchangePage(q *req) error {
	return s.exchangeRender(q, http.StatusOK, func(v *exchangePage) { v.Identity = q.URL.Query().Get("identity") })
}

func (s *Site) exchangeRender(q *req, status int, fill func(*exchangePage)) error {
	ctx := q.Context()
	if !q.isSecretariat() {
		return forbidden() // the identities name the systems of confidential projects too
	}
	v := exchangePage{Done: doneOf(q, "mapped", "service"), MayEdit: q.isSecretariat()}
	var err error
	if v.Mappings, err = s.svc.Mappings(ctx, q.actor, ""); err != nil {
		return err
	}
	if v.Services, err = s.svc.ExchangeServices(ctx, q.actor); err != nil {
		return err
	}
	if v.Imports, err = s.svc.ExchangeImports(ctx, q.actor, 10); err != nil {
		return err
	}
	if v.MayEdit {
		if v.Agencies, err = s.agencyChoices(q); err != nil {
			return err
		}
	}
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/exchange", q.lang.T("sexchange.title"), "exchange", v)
}

// identityPost maps an identity to an agency, or changes a mapping at the
// version its row was rendered with (?v=).
func (s *Site) identityPost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	ident := strings.TrimSpace(q.PostFormValue("identity"))
	agency := strings.TrimSpace(q.PostFormValue("agency"))
	name := formText(q, "name")
	err := func() error {
		sub, err := exchange.ParseSubsystem(ident)
		if err != nil {
			return fieldErr(err, "identity")
		}
		m := &exchange.Mapping{Subsystem: sub, Agency: agency, Name: name}
		m.Meta.Version = version(q)
		return s.svc.SaveMapping(q.Context(), q.actor, m)
	}()
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		return s.exchangeRender(q, status, func(v *exchangePage) {
			v.Identity, v.Agency, v.Name, v.IdentError = ident, agency, name, fe
		})
	}
	return redirect(q, "/staff/exchange?done=mapped#identities")
}

// servicePost records or renames a service.
func (s *Site) servicePost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	sv := strings.TrimSpace(q.PostFormValue("service"))
	title := formText(q, "title")
	err := func() error {
		svc, err := exchange.ParseService(sv)
		if err != nil {
			return fieldErr(err, "service")
		}
		info := &exchange.ServiceInfo{Service: svc, Title: title}
		info.Meta.Version = version(q)
		return s.svc.SaveExchangeService(q.Context(), q.actor, info)
	}()
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		return s.exchangeRender(q, status, func(v *exchangePage) { v.Service, v.Title, v.SvcError = sv, title, fe })
	}
	return redirect(q, "/staff/exchange?done=service#services")
}
