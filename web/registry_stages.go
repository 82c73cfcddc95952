package web

import (
	"net/url"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The stage decision form: a draft list's adoption stage as the body
// decided it — which candidates passed, under which resolution, on which
// day — and, at the last stage, the list adopted with every passed project
// designated (service.RecordStage runs every designation rule on each and
// refuses with all the broken ones). The form carries the program's
// version; a decision recorded on a page older than the program is refused
// as stale.

func stagesURL(id string) string { return "/staff/programs/" + url.PathEscape(id) + "/stages" }

func (s *Site) stageForm(q *req, g *domain.Program, d service.StageDecision, date string) (*regForm, error) {
	l := q.lang
	f := &regForm{Heading: l.T("registry.stage_title", l.Text(g.Title)), Lead: l.T("registry.stage_lead"), Action: stagesURL(g.Slug),
		Version: g.Version, Submit: l.T("registry.stage_submit"), Back: &backLink{URL: programEditURL(g.Slug), Title: g.Title},
		Current: stagesURL(g.Slug)}
	sec := &section{ID: sectionID("stage"), Legend: l.T("registry.stage_decision")}
	body := selectField("body", l.T("registry.stage_body"), string(d.Body), enumOptions(l, "body", domain.Bodies))
	body.Required = true
	res := textField("resolution", l.T("registry.resolution"))
	res.Value = d.Resolution
	day := dateField(l, "date", l.T("registry.resolution_date"), nil)
	day.Value = date
	// Those who may pass: the candidates, or those who passed the stage
	// before.
	pool := g.Candidates
	for _, st := range g.Stages {
		if len(st.Passed) > 0 {
			pool = st.Passed
		}
	}
	titles, err := s.svc.ProjectTitles(q.Context(), q.actor, pool)
	if err != nil {
		return nil, err
	}
	var passOpts, mainOpts []option
	for _, slug := range pool {
		t, ok := titles[slug]
		if !ok {
			continue
		}
		passOpts = append(passOpts, option{Value: slug, Label: l.Text(t), Selected: containsStr(d.Passed, slug)})
		mainOpts = append(mainOpts, option{Value: slug, Label: l.Text(t), Selected: containsStr(d.Main, slug)})
	}
	passed := &field{ID: fieldID("passed"), Name: "passed", Path: "passed", Label: l.T("registry.passed"), Type: "checks", Options: passOpts,
		Hint: l.T("registry.passed_hint")}
	main := &field{ID: fieldID("main"), Name: "main", Path: "main", Label: l.T("registry.main"), Type: "checks", Options: mainOpts}
	adopt := &field{ID: fieldID("adopt"), Name: "adopt", Path: "adopt", Label: l.T("registry.adopt"), Type: "checkbox", Checked: d.Adopt}
	sec.Fields = append([]*field{body, res, day, passed, main, adopt}, bilingual(l, "note", l.T("member.note"), d.Note, true)...)
	f.Sections = []*section{sec}
	return f, nil
}

func (s *Site) stagePage(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	row, err := s.svc.Program(q.Context(), q.actor, q.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.stageForm(q, row.Program, service.StageDecision{}, "")
	if err != nil {
		return err
	}
	if q.URL.Query().Get("saved") != "" {
		f.Notice = q.lang.T("registry.stage_done")
	}
	if row.Status != domain.ProgramDraft {
		f.Alert = &regAlert{Message: q.lang.T("registry.stage_not_draft")}
	}
	return s.renderForm(q, f, "programs")
}

func (s *Site) stagePost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	d := service.StageDecision{Program: id, Body: domain.Body(q.PostFormValue("body")), Resolution: strings.TrimSpace(digitsASCII(q.PostFormValue("resolution"))),
		Passed: q.PostForm["passed"], Main: q.PostForm["main"], Note: formText(q, "note"), Adopt: q.PostFormValue("adopt") == "on",
		Version: postedVersion(q)}
	var err error
	if d.Date, err = readDate(q, "date"); err == nil {
		_, err = s.svc.RecordStage(q.Context(), q.actor, d)
	}
	if err == nil {
		return redirect(q, stagesURL(id)+"?saved=1")
	}
	row, rerr := s.svc.Program(q.Context(), q.actor, id)
	if rerr != nil {
		return rerr
	}
	g := *row.Program
	g.Version = d.Version // a stale form stays stale
	f, ferr := s.stageForm(q, &g, d, q.PostFormValue("date"))
	if ferr != nil {
		return ferr
	}
	if err := s.refuse(q, f, err); err != nil {
		return err
	}
	return s.renderForm(q, f, "programs")
}
