package web

import (
	"net/http"

	"github.com/pishran/pishran/domain"
)

// The registry, as the secretariat keeps it from the workspace: an index
// of the agencies, laws and projects with the way to add or edit each, and
// the forms (registry_*.go). Programs are kept from the lists' page
// (staff/programs), where each list has its form, its stage decisions and
// its members' histories.

// registryRoutes lists the registry's pages.
func (s *Site) registryRoutes() []Route {
	return []Route{
		{Pattern: "GET /staff/registry", Handler: s.staff(s.registryIndex)},
		{Pattern: "GET /staff/agencies/new", Handler: s.staff(s.agencyNew)},
		{Pattern: "POST /staff/agencies/new", Handler: s.staff(s.agencyCreate)},
		{Pattern: "GET /staff/agencies/{code}/edit", Handler: s.staff(s.agencyEdit)},
		{Pattern: "POST /staff/agencies/{code}/edit", Handler: s.staff(s.agencyUpdate)},
		{Pattern: "POST /staff/agencies/{code}/delete", Handler: s.staff(s.agencyDelete)},
		{Pattern: "GET /staff/laws/new", Handler: s.staff(s.lawNew)},
		{Pattern: "POST /staff/laws/new", Handler: s.staff(s.lawCreate)},
		{Pattern: "GET /staff/laws/{slug}/edit", Handler: s.staff(s.lawEdit)},
		{Pattern: "POST /staff/laws/{slug}/edit", Handler: s.staff(s.lawUpdate)},
		{Pattern: "POST /staff/laws/{slug}/delete", Handler: s.staff(s.lawDelete)},
		{Pattern: "GET /staff/projects/new", Handler: s.staff(s.projectNew)},
		{Pattern: "POST /staff/projects/new", Handler: s.staff(s.projectCreate)},
		{Pattern: "GET /staff/projects/{slug}/edit", Handler: s.staff(s.projectEdit)},
		{Pattern: "POST /staff/projects/{slug}/edit", Handler: s.staff(s.projectUpdate)},
		{Pattern: "GET /staff/programs/new", Handler: s.staff(s.programNew)},
		{Pattern: "POST /staff/programs/new", Handler: s.staff(s.programCreate)},
		{Pattern: "GET /staff/programs/{id}/edit", Handler: s.staff(s.programEdit)},
		{Pattern: "POST /staff/programs/{id}/edit", Handler: s.staff(s.programUpdate)},
		{Pattern: "GET /staff/programs/{id}/stages", Handler: s.staff(s.stagePage)},
		{Pattern: "POST /staff/programs/{id}/stages", Handler: s.staff(s.stagePost)},
		{Pattern: "GET /staff/programs/{id}/members", Handler: s.staff(s.membersPage)},
		{Pattern: "GET /staff/programs/{id}/members/{project}", Handler: s.staff(s.memberPage)},
		{Pattern: "POST /staff/programs/{id}/members/{project}/leave", Handler: s.staff(s.leavePost)},
		{Pattern: "POST /staff/programs/{id}/members/{project}/void", Handler: s.staff(s.voidPost)},
	}
}

type registryRow struct {
	URL, Code string
	Title     domain.Text
	Detail    string
	Missing   []string // what the designation rules will ask for and the record lacks
}

type registryView struct {
	Agencies, Laws, Projects []registryRow
	Deleted                  string // the code of a record just deleted
}

// registryIndex lists the agencies, laws and projects, each with its form;
// a project's row says what its record still lacks for a designation.
func (s *Site) registryIndex(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	l, v := q.lang, registryView{Deleted: q.URL.Query().Get("deleted")}
	names := map[string]domain.Text{}
	for _, a := range c.agencies {
		names[a.Code] = a.Name
	}
	for _, a := range c.agencies {
		d := l.label("agencykind", a.Kind)
		if a.Parent != "" {
			d += " — " + l.T("registry.under", l.Text(names[a.Parent]))
		}
		v.Agencies = append(v.Agencies, registryRow{URL: agencyEditURL(a.Code), Code: a.Code, Title: a.Name, Detail: d})
	}
	for _, law := range c.laws {
		v.Laws = append(v.Laws, registryRow{URL: lawEditURL(law.Slug), Code: law.Slug, Title: law.Title,
			Detail: l.T("registry.article_count", len(law.Articles))})
	}
	for _, p := range c.projects {
		r := registryRow{URL: projectEditURL(p.Slug), Code: p.Slug, Title: p.Title, Detail: l.label("projectkind", p.Kind)}
		if lead := p.Lead(); lead != "" {
			r.Detail += " — " + l.Text(names[lead])
		}
		if len(p.Agencies) < 2 {
			r.Missing = append(r.Missing, l.T("project.agencies"))
		}
		if len(p.Mandates) == 0 {
			r.Missing = append(r.Missing, l.T("project.mandates"))
		}
		if p.Scope.IsZero() {
			r.Missing = append(r.Missing, l.T("project.scope"))
		}
		measurable := false
		for _, d := range p.Deliverables {
			measurable = measurable || d.Measurable()
		}
		if !measurable {
			r.Missing = append(r.Missing, l.T("project.deliverables"))
		}
		v.Projects = append(v.Projects, r)
	}
	return s.renderStaff(q, http.StatusOK, "staff/registry", l.T("registry.title"), "registry", v)
}
