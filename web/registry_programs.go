package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// The program form: a list's title, government term, kind, visibility,
// declared size, status, its candidates and its adoption stages (the body,
// the resolution's number and date, a count known from a source), with its
// sources. It calls service.CreateProgram and service.UpdateProgram, which
// keep a closed list's stages and candidates as they are, and keep every
// stage's passed projects among the candidates. Recording a stage's
// decision (which candidates passed, and adopting the list) is the stage
// form's (registry_stages.go).

func programEditURL(id string) string { return "/staff/programs/" + url.PathEscape(id) + "/edit" }

func (s *Site) programForm(q *req, g *domain.Program, isNew bool, c *registryChoices, terms []*domain.Term) *regForm {
	l := q.lang
	f := &regForm{Version: g.Version, Submit: l.T("registry.save"), Back: &backLink{URL: "/staff/programs", Title: catalog["sprograms.title"]}}
	rec := &section{ID: sectionID("record"), Legend: l.T("registry.record")}
	if isNew {
		f.Heading, f.Action = l.T("registry.program_new"), "/staff/programs/new"
		slug := textField("id", l.T("registry.slug"))
		slug.Value, slug.Dir, slug.Required, slug.Hint = g.Slug, "ltr", true, l.T("registry.slug_hint")
		rec.Fields = append(rec.Fields, slug)
	} else {
		f.Heading, f.Action, f.Current = l.T("registry.program_edit", l.Text(g.Title)), programEditURL(g.Slug), programEditURL(g.Slug)
	}
	title := bilingual(l, "title", l.T("registry.title_field"), g.Title, false)
	title[0].Required = true
	rec.Fields = append(rec.Fields, title...)
	termOpts := []option{{Value: "", Label: l.T("registry.none_chosen")}}
	for _, t := range terms {
		termOpts = append(termOpts, option{Value: strconv.Itoa(t.Number), Label: l.Text(t.Name)})
	}
	term := ""
	if g.Term > 0 {
		term = strconv.Itoa(g.Term)
	}
	termF := selectField("term", l.T("registry.term"), term, termOpts)
	kind := selectField("kind", l.T("registry.program_kind"), string(g.Kind), enumOptions(l, "programkind", domain.ProgramKinds))
	vis := selectField("visibility", l.T("registry.visibility"), string(g.Visibility), enumOptions(l, "visibility", domain.Visibilities))
	vis.Hint = l.T("registry.visibility_hint")
	status := selectField("status", l.T("program.status"), string(g.Status), enumOptions(l, "programstatus", domain.ProgramStatuses))
	size := textField("declared_size", l.T("program.declared"))
	size.Type, size.Dir, size.Hint = "number", "ltr", l.T("registry.declared_hint")
	if g.DeclaredSize != nil {
		size.Value = l.Num(*g.DeclaredSize)
	}
	termF.Required, kind.Required, vis.Required, status.Required = true, true, true, true
	rec.Fields = append(rec.Fields, termF, kind, vis, status, size)
	rec.Fields = append(rec.Fields, bilingual(l, "source_notes", l.T("registry.source_notes"), g.SourceNotes, true)...)

	cands := &section{ID: sectionID("candidates"), Path: "candidates", Legend: l.T("registry.candidates"), Hint: l.T("registry.candidates_hint")}
	var opts []option
	for _, p := range c.projects {
		opts = append(opts, option{Value: p.Slug, Label: l.Text(p.Title), Selected: containsStr(g.Candidates, p.Slug)})
	}
	cands.Fields = []*field{{ID: fieldID("candidates"), Name: "candidates", Path: "candidates.list", Label: l.T("registry.candidates"),
		Type: "checks", Options: opts}}

	stages := &section{ID: sectionID("stages"), Path: "stages", Legend: l.T("registry.stages"), Hint: l.T("registry.stages_hint"),
		RowsName: "stages_rows"}
	bodies := append([]option{{Value: "", Label: l.T("registry.none_chosen")}}, enumOptions(l, "body", domain.Bodies)...)
	for i := range len(g.Stages) + 1 {
		var st domain.Stage
		if i < len(g.Stages) {
			st = g.Stages[i]
		}
		k := "stages[" + strconv.Itoa(i) + "]"
		body := selectField(k+".body", l.T("registry.stage_body"), string(st.Body), append([]option(nil), bodies...))
		res := textField(k+".resolution", l.T("registry.resolution"))
		res.Value, res.Dir = l.Digits(st.Resolution), "auto"
		count := textField(k+".sourced_count", l.T("registry.sourced_count"))
		count.Type, count.Dir, count.Hint = "number", "ltr", l.T("registry.sourced_count_hint")
		if st.Count != nil {
			count.Value = l.Num(*st.Count)
		}
		fs := []*field{body, res, dateField(l, k+".date", l.T("registry.resolution_date"), st.Date), count}
		fs = append(fs, bilingual(l, k+".note", l.T("member.note"), st.Note, false)...)
		legend := l.T("registry.stage_n", i+1)
		if n := len(st.Passed) + st.HiddenLinks; n > 0 {
			legend += " — " + l.T("registry.stage_passed", n)
		}
		stages.Rows = append(stages.Rows, &row{Legend: legend, Fields: fs})
	}
	f.Sections = []*section{rec, cands, stages, sourceRows(l, "sources", g.Sources)}
	return f
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readProgram reads the posted form; old (nil for a new list) keeps what
// the form does not show: each stage's passed projects and sources.
func readProgram(q *req, old *domain.Program) (*domain.Program, error) {
	g := &domain.Program{Title: formText(q, "title"), Kind: domain.ProgramKind(q.PostFormValue("kind")),
		Visibility: domain.Visibility(q.PostFormValue("visibility")), Status: domain.ProgramStatus(q.PostFormValue("status")),
		SourceNotes: formText(q, "source_notes"), Sources: readSources(q, "sources"), Stages: []domain.Stage{}}
	if old != nil {
		g.Slug, g.Version = old.Slug, postedVersion(q)
	} else {
		g.Slug = strings.TrimSpace(q.PostFormValue("id"))
	}
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	g.Term, _ = atoi(q.PostFormValue("term"))
	if n, err := formInt(q, "declared_size"); err != nil {
		keep(err)
	} else if n != nil {
		v := int(*n)
		g.DeclaredSize = &v
	}
	for _, c := range q.PostForm["candidates"] {
		if c != "" && !containsStr(g.Candidates, c) {
			g.Candidates = append(g.Candidates, c)
		}
	}
	for i := range rowCount(q, "stages_rows") {
		k := "stages[" + strconv.Itoa(i) + "]"
		st := domain.Stage{Body: domain.Body(q.PostFormValue(k + ".body")), Resolution: strings.TrimSpace(digitsASCII(q.PostFormValue(k + ".resolution"))),
			Note: formText(q, k+".note")}
		at := "stages[" + strconv.Itoa(len(g.Stages)) + "]"
		d, derr := readDate(q, k+".date")
		n, nerr := formInt(q, k+".sourced_count")
		if st.Body == "" && st.Resolution == "" && st.Note.IsZero() && d == nil && n == nil && derr == nil && nerr == nil {
			continue
		}
		if derr != nil {
			keep(renameField(derr, at+".date"))
		}
		if nerr != nil {
			keep(renameField(nerr, at+".sourced_count"))
		}
		st.Date = d
		if n != nil {
			v := int(*n)
			st.Count = &v
		}
		if old != nil && i < len(old.Stages) {
			st.Passed, st.Sources = old.Stages[i].Passed, old.Stages[i].Sources
		}
		g.Stages = append(g.Stages, st)
	}
	return g, first
}

func (s *Site) programChoices(q *req) (*registryChoices, []*domain.Term, error) {
	c, err := s.registryChoices(q)
	if err != nil {
		return nil, nil, err
	}
	terms, err := s.svc.Terms(q.Context())
	return c, terms, err
}

func (s *Site) programNew(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	c, terms, err := s.programChoices(q)
	if err != nil {
		return err
	}
	g := &domain.Program{Kind: domain.ProgramOther, Visibility: domain.VisibilityPublic, Status: domain.ProgramDraft}
	return s.renderForm(q, s.programForm(q, g, true, c, terms), "programs")
}

func (s *Site) programEdit(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	row, err := s.svc.Program(q.Context(), q.actor, q.PathValue("id"))
	if err != nil {
		return err
	}
	c, terms, err := s.programChoices(q)
	if err != nil {
		return err
	}
	f := s.programForm(q, row.Program, false, c, terms)
	if q.URL.Query().Get("saved") != "" {
		f.Notice = q.lang.T("registry.saved")
	}
	return s.renderForm(q, f, "programs")
}

func (s *Site) programCreate(q *req) error { return s.programPost(q, true) }
func (s *Site) programUpdate(q *req) error { return s.programPost(q, false) }

func (s *Site) programPost(q *req, isNew bool) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	var old *domain.Program
	if !isNew {
		row, err := s.svc.Program(q.Context(), q.actor, q.PathValue("id"))
		if err != nil {
			return err
		}
		old = row.Program
	}
	g, err := readProgram(q, old)
	if err == nil {
		if isNew {
			err = s.svc.CreateProgram(q.Context(), q.actor, g)
		} else {
			err = s.svc.UpdateProgram(q.Context(), q.actor, g)
		}
	}
	if err != nil {
		c, terms, cerr := s.programChoices(q)
		if cerr != nil {
			return cerr
		}
		f := s.programForm(q, g, isNew, c, terms)
		if err := s.refuse(q, f, err); err != nil {
			return err
		}
		return s.renderForm(q, f, "programs")
	}
	return redirect(q, programEditURL(g.Slug)+"?saved=1")
}
