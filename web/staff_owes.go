package web

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// An agency's "what we owe" page: its projects (as lead or participant)
// with their computed status, the open actions it owns, and the progress
// reports it owes as lead, each with its due date — the answer to the
// parliamentary review's finding that agencies did not know their tasks
// (service.Obligations). An agency's focal point sees only its own agency's
// page; another agency's is "not found".

type owesView struct {
	O        *service.Obligations
	Own      bool // the person is this agency's focal point: may start reports
	Projects map[string]domain.Text
	// The exchange's evidence on the integrations with the agency at one
	// end (web/exchange.go).
	HasExchange  bool
	AgencyLead   bool
	PublicLinks  bool // false: a project links to its staff integrations page
	Integrations []integrationView
}

func (s *Site) owesPage(q *req) error {
	code := q.PathValue("code")
	o, err := s.svc.Obligations(q.Context(), q.actor, code, nil)
	if err != nil {
		return err
	}
	v := owesView{O: o, Own: q.isAgency() && q.who.Agency == code, Projects: map[string]domain.Text{}}
	for _, p := range o.Projects {
		v.Projects[p.Project] = p.Title
	}
	js, err := s.svc.AgencyIntegrations(q.Context(), q.actor, code)
	if err != nil {
		return err
	}
	v.HasExchange, v.AgencyLead = true, true
	v.Integrations, _ = integrationsOf(q.lang, js)
	return s.renderStaff(q, http.StatusOK, "staff/owes", q.lang.T("owes.title", q.lang.Text(o.Agency.Name)), "owes", v)
}
