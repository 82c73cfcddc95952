package web

import (
	"net/url"
	"strings"

	"github.com/pishran/pishran/domain"
)

// The agency form: an agency with its kind, its parent agency and its
// sources. They call the service's Create/Update acts; the version the
// form was opened on travels in a hidden field.

func agencyEditURL(code string) string { return "/staff/agencies/" + url.PathEscape(code) + "/edit" }

// registryBack links back to the registry's index.
func registryBack() *backLink {
	return &backLink{URL: "/staff/registry", Title: catalog["registry.title"]}
}

func (s *Site) agencyForm(q *req, a *domain.Agency, isNew bool, c *registryChoices) *regForm {
	l := q.lang
	f := &regForm{Version: a.Version, Submit: l.T("registry.save"), Back: registryBack()}
	rec := &section{ID: sectionID("record"), Legend: l.T("registry.record")}
	if isNew {
		f.Heading, f.Action = l.T("registry.agency_new"), "/staff/agencies/new"
		code := textField("code", l.T("registry.code"))
		code.Value, code.Dir, code.Required, code.Hint = a.Code, "ltr", true, l.T("registry.slug_hint")
		rec.Fields = append(rec.Fields, code)
	} else {
		f.Heading, f.Action, f.Current = l.T("registry.agency_edit", l.Text(a.Name)), agencyEditURL(a.Code), agencyEditURL(a.Code)
		f.Delete = newDeleteForm(l, "agency", "/staff/agencies/"+url.PathEscape(a.Code)+"/delete", a.Version)
	}
	name := bilingual(l, "name", l.T("registry.name"), a.Name, false)
	name[0].Required = true
	rec.Fields = append(rec.Fields, name...)
	kind := selectField("kind", l.T("registry.agency_kind"), string(a.Kind), enumOptions(l, "agencykind", domain.AgencyKinds))
	kind.Required = true
	parents := []option{{Value: "", Label: l.T("registry.no_parent")}}
	for _, x := range c.agencies {
		if x.Code != a.Code {
			parents = append(parents, option{Value: x.Code, Label: l.Text(x.Name)})
		}
	}
	parent := selectField("parent", l.T("registry.parent"), a.Parent, parents)
	parent.Hint = l.T("registry.parent_hint")
	rec.Fields = append(rec.Fields, kind, parent)
	f.Sections = []*section{rec, sourceRows(l, "sources", a.Sources)}
	return f
}

func readAgency(q *req, code string) *domain.Agency {
	a := &domain.Agency{Code: code, Name: formText(q, "name"), Kind: domain.AgencyKind(q.PostFormValue("kind")),
		Parent: q.PostFormValue("parent"), Sources: readSources(q, "sources")}
	if code == "" {
		a.Code = strings.TrimSpace(q.PostFormValue("code"))
	} else {
		a.Version = postedVersion(q)
	}
	return a
}

func (s *Site) agencyNew(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	return s.renderForm(q, s.agencyForm(q, &domain.Agency{Kind: domain.AgencyOrganization}, true, c), "registry")
}

func (s *Site) agencyCreate(q *req) error {
	return s.agencyPost(q, true)
}

func (s *Site) agencyUpdate(q *req) error {
	return s.agencyPost(q, false)
}

func (s *Site) agencyPost(q *req, isNew bool) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	code := ""
	if !isNew {
		old, err := s.svc.Agency(q.Context(), q.PathValue("code"))
		if err != nil {
			return err
		}
		code = old.Code
	}
	a := readAgency(q, code)
	var err error
	if isNew {
		err = s.svc.CreateAgency(q.Context(), q.actor, a)
	} else {
		err = s.svc.UpdateAgency(q.Context(), q.actor, a)
	}
	if err != nil {
		c, cerr := s.registryChoices(q)
		if cerr != nil {
			return cerr
		}
		f := s.agencyForm(q, a, isNew, c)
		if err := s.refuse(q, f, err); err != nil {
			return err
		}
		return s.renderForm(q, f, "registry")
	}
	return redirect(q, agencyEditURL(a.Code)+"?saved=1")
}

func (s *Site) agencyEdit(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	a, err := s.svc.Agency(q.Context(), q.PathValue("code"))
	if err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	f := s.agencyForm(q, a, false, c)
	if q.URL.Query().Get("saved") != "" {
		f.Notice = q.lang.T("registry.saved")
	}
	return s.renderForm(q, f, "registry")
}
