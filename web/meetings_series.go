package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Meeting series from the web: the secretariat lists the council's bodies
// whose sessions are numbered (the council, its steering committee, …),
// sets up a new one and renames one; every session belongs to a series,
// so the new-meeting form sends here when there is none. A series' code
// prefixes its sessions' ids and never changes.

// meetingsRoutes lists the pages of the meetings work added to the
// workspace: series, re-dating and cancelling a session, closing with a
// confirmation, re-dating an action, and the inbox.
func (s *Site) meetingsRoutes() []Route {
	return []Route{
		{Pattern: "GET /staff/series", Handler: s.staff(s.seriesPage)},
		{Pattern: "POST /staff/series", Handler: s.staff(s.seriesCreate)},
		{Pattern: "GET /staff/series/{code}", Handler: s.staff(s.seriesEdit)},
		{Pattern: "POST /staff/series/{code}", Handler: s.staff(s.seriesUpdate)},
		{Pattern: "GET /staff/meetings/{id}/change", Handler: s.staff(s.meetingChangePage)},
		{Pattern: "POST /staff/meetings/{id}/redate", Handler: s.staff(s.meetingRedatePost)},
		{Pattern: "POST /staff/meetings/{id}/cancel", Handler: s.staff(s.meetingCancelPost)},
		{Pattern: "GET /staff/meetings/{id}/close", Handler: s.staff(s.closeConfirmPage)},
		{Pattern: "GET /staff/actions/{action}/redate", Handler: s.staff(s.actionRedatePage)},
		{Pattern: "POST /staff/actions/{action}/redate", Handler: s.staff(s.actionRedatePost)},
		{Pattern: "GET /staff/inbox", Handler: s.staff(s.inboxPage)},
	}
}

// On returns the refusal's message when it is about field, for the form to
// show beside that field; "" otherwise.
func (e *formError) On(field string) string {
	if e == nil || e.Field != field {
		return ""
	}
	return e.Message
}

// Other returns the refusal's message when it is about none of fields: it
// is shown above the form.
func (e *formError) Other(fields ...string) string {
	if e == nil {
		return ""
	}
	for _, f := range fields {
		if e.Field == f {
			return ""
		}
	}
	return e.Message
}

type seriesRow struct {
	*domain.Series
}

type seriesForm struct {
	Code    string
	Name    domain.Text
	Kind    string
	Version int64
	Error   *formError
}

type seriesView struct {
	Series []*domain.Series
	Kinds  []domain.SeriesKind
	Runner bool
	Form   seriesForm
	Edit   bool // the form edits Form.Code
	Done   string
}

func (s *Site) seriesPage(q *req) error {
	return s.seriesRender(q, http.StatusOK, seriesView{Form: seriesForm{Kind: string(domain.SeriesCouncil)}})
}

func (s *Site) seriesRender(q *req, status int, v seriesView) error {
	series := func(p domain.Page) ([]*domain.Series, error) { return s.svc.SeriesList(q.Context(), p) }
	for x, err := range domain.Walk(series, func(x *domain.Series) string { return x.Code }) {
		if err != nil {
			return err
		}
		v.Series = append(v.Series, x)
	}
	v.Kinds, v.Runner = domain.SeriesKinds, q.isSecretariat()
	if v.Done == "" {
		switch d := q.URL.Query().Get("done"); d {
		case "created", "updated":
			v.Done = d
		}
	}
	title := q.lang.T("series.title")
	if v.Edit {
		title = q.lang.T("series.edit_title", q.lang.Text(v.Form.Name))
	}
	return s.renderStaff(q, status, "staff/series", title, "meetings", v)
}

func seriesFromForm(q *req) seriesForm {
	return seriesForm{Code: strings.TrimSpace(q.PostFormValue("code")), Name: formText(q, "name"), Kind: q.PostFormValue("kind")}
}

// seriesCreate records a series (service.CreateSeries).
func (s *Site) seriesCreate(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	f := seriesFromForm(q)
	err := s.svc.CreateSeries(q.Context(), q.actor, &domain.Series{Code: f.Code, Name: f.Name, Kind: domain.SeriesKind(f.Kind)})
	if err == nil {
		next := "/staff/series?done=created"
		if back := q.URL.Query().Get("back"); back == "meetings" {
			next = "/staff/meetings?" + url.Values{"series": {f.Code}}.Encode() + "#new-meeting"
		}
		return redirect(q, next)
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	return s.seriesRender(q, status, seriesView{Form: f})
}

// seriesEdit shows one series' form.
func (s *Site) seriesEdit(q *req) error {
	x, err := s.svc.Series(q.Context(), q.PathValue("code"))
	if err != nil {
		return err
	}
	return s.seriesRender(q, http.StatusOK, seriesView{Edit: true,
		Form: seriesForm{Code: x.Code, Name: x.Name, Kind: string(x.Kind), Version: x.Version}})
}

// seriesUpdate renames a series or changes its kind (service.UpdateSeries);
// its sources, which only the reference data names, are kept.
func (s *Site) seriesUpdate(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	ctx, code := q.Context(), q.PathValue("code")
	old, err := s.svc.Series(ctx, code)
	if err != nil {
		return err
	}
	f := seriesFromForm(q)
	f.Code, f.Version = code, version(q)
	err = s.svc.UpdateSeries(ctx, q.actor, code, f.Version, &domain.Series{Name: f.Name, Kind: domain.SeriesKind(f.Kind), Sources: old.Sources})
	if err == nil {
		return redirect(q, "/staff/series?done=updated")
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	if status == http.StatusPreconditionFailed {
		// Someone changed it since: the form again with what is stored now.
		f = seriesForm{Code: code, Name: old.Name, Kind: string(old.Kind), Version: old.Version, Error: fe}
	}
	return s.seriesRender(q, status, seriesView{Form: f, Edit: true})
}
