package web

import (
	"net/http"
	"net/url"

	"github.com/pishran/pishran/domain"
)

// Deleting an agency or a law from its form's page. The service deletes
// only a record nothing refers to (a project's agency, a mandate's law, a
// child agency's parent), on the version the page was opened on, audited;
// a refusal — still referenced, or changed since — is said beside the
// delete button, in the person's language, the record left as it was.

// deleteForm is the delete button under a record's form.
type deleteForm struct {
	Action  string
	Version int64
	Title   string
	Help    string
	Button  string
	Error   string // a refusal, said beside the button
	Stale   bool   // the refusal is a stale version: the form links to the record as it is now
}

// newDeleteForm is the delete button of the record kind ("agency", "law").
func newDeleteForm(l Lang, kind, action string, version int64) *deleteForm {
	return &deleteForm{Action: action, Version: version, Title: l.T("registry.delete_" + kind),
		Help: l.T("registry.delete_help_" + kind), Button: l.T("registry.delete")}
}

func (s *Site) agencyDelete(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	a, err := s.svc.Agency(q.Context(), q.PathValue("code"))
	if err != nil {
		return err
	}
	if err := s.svc.DeleteAgency(q.Context(), q.actor, a.Code, postedVersion(q)); err != nil {
		c, cerr := s.registryChoices(q)
		if cerr != nil {
			return cerr
		}
		return s.refuseDelete(q, s.agencyForm(q, a, false, c), err)
	}
	return redirect(q, "/staff/registry?"+url.Values{"deleted": {a.Code}}.Encode())
}

func (s *Site) lawDelete(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	law, err := s.svc.Law(q.Context(), q.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := s.svc.DeleteLaw(q.Context(), q.actor, law.Slug, postedVersion(q)); err != nil {
		return s.refuseDelete(q, s.lawForm(q, law, false), err)
	}
	return redirect(q, "/staff/registry?"+url.Values{"deleted": {law.Slug}}.Encode())
}

// refuseDelete shows the record's form again with the refusal beside its
// delete button.
func (s *Site) refuseDelete(q *req, f *regForm, err error) error {
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	if f.Delete == nil {
		return err
	}
	f.status, f.Delete.Error = status, fe.Message
	if e, _ := domain.AsError(err); e.Kind == domain.KindStale {
		f.status, f.Delete.Stale = http.StatusConflict, true
	}
	return s.renderForm(q, f, "registry")
}
