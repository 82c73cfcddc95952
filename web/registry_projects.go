package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The project form: a project's whole record — title, summary, scope, kind,
// confidentiality, lifecycle, its lead and participating agencies, its legal
// mandates (a law and an article), deliverables with their indicator and
// target, the infrastructure it depends on, its capabilities, the projects
// it succeeds and its sources. It calls service.CreateProject and
// service.UpdateProject; the designation page's rule failures link to the
// field here that fixes them (projectFieldAnchor).

// projectFieldAnchor is the element on the project form that fixes a
// designation rule's failure on field (a violation's Field); "" when no
// field of the project's record does.
func projectFieldAnchor(field string) string {
	switch field {
	case "agencies", "mandates", "deliverables":
		return sectionID(field)
	case "scope", "title":
		return fieldID(field) + "-fa"
	case "confidentiality", "status", "capabilities", "kind":
		return fieldID(field)
	}
	return ""
}

// projectEditURL is the address of a project's form.
func projectEditURL(slug string) string { return "/staff/projects/" + url.PathEscape(slug) + "/edit" }

// registryChoices are the records a project's form chooses among.
type registryChoices struct {
	agencies []*domain.Agency
	laws     []*domain.Law
	projects []*domain.Project
}

func (s *Site) registryChoices(q *req) (*registryChoices, error) {
	ctx := q.Context()
	c := &registryChoices{}
	for a, err := range domain.Walk(func(p domain.Page) ([]*domain.Agency, error) { return s.svc.Agencies(ctx, p) },
		func(a *domain.Agency) string { return a.Code }) {
		if err != nil {
			return nil, err
		}
		c.agencies = append(c.agencies, a)
	}
	for l, err := range domain.Walk(func(p domain.Page) ([]*domain.Law, error) { return s.svc.Laws(ctx, p) },
		func(l *domain.Law) string { return l.Slug }) {
		if err != nil {
			return nil, err
		}
		c.laws = append(c.laws, l)
	}
	for p, err := range s.allProjects(ctx, q.actor, domain.ProjectFilter{}) {
		if err != nil {
			return nil, err
		}
		c.projects = append(c.projects, p)
	}
	lang := q.lang
	slices.SortStableFunc(c.agencies, func(a, b *domain.Agency) int { return strings.Compare(lang.Text(a.Name), lang.Text(b.Name)) })
	slices.SortStableFunc(c.projects, func(a, b *domain.Project) int { return strings.Compare(lang.Text(a.Title), lang.Text(b.Title)) })
	return c, nil
}

// projectForm lays out p's form; p is the record as it stands, or as it was
// posted when the form comes back refused.
func (s *Site) projectForm(q *req, p *domain.Project, isNew bool, c *registryChoices) *regForm {
	l := q.lang
	f := &regForm{Version: p.Version, Submit: l.T("registry.save")}
	if isNew {
		f.Heading, f.Action, f.Lead = l.T("registry.project_new"), "/staff/projects/new", l.T("registry.project_new_lead")
	} else {
		f.Heading, f.Action = l.T("registry.project_edit", l.Text(p.Title)), projectEditURL(p.Slug)
		f.Lead = l.T("registry.project_edit_lead")
		f.Back = &backLink{URL: "/staff/projects/" + url.PathEscape(p.Slug), Title: p.Title}
		f.Current = projectEditURL(p.Slug)
	}

	rec := &section{ID: sectionID("record"), Legend: l.T("registry.record")}
	if isNew {
		slug := textField("slug", l.T("registry.slug"))
		slug.Value, slug.Dir, slug.Required, slug.Hint = p.Slug, "ltr", true, l.T("registry.slug_hint")
		rec.Fields = append(rec.Fields, slug)
	}
	title := bilingual(l, "title", l.T("registry.title_field"), p.Title, false)
	title[0].Required = true
	rec.Fields = append(rec.Fields, title...)
	rec.Fields = append(rec.Fields, bilingual(l, "summary", l.T("project.summary"), p.Summary, true)...)
	scope := bilingual(l, "scope", l.T("project.scope"), p.Scope, true)
	scope[0].Hint = l.T("registry.scope_hint")
	rec.Fields = append(rec.Fields, scope...)
	kind := selectField("kind", l.T("project.kind"), string(p.Kind), enumOptions(l, "projectkind", domain.ProjectKinds))
	conf := selectField("confidentiality", l.T("registry.confidentiality"), string(p.Confidentiality),
		enumOptions(l, "confidentiality", domain.Confidentialities))
	conf.Hint = l.T("registry.confidentiality_hint")
	status := selectField("status", l.T("project.lifecycle"), string(p.Status), enumOptions(l, "lifecycle", domain.Lifecycles))
	kind.Required, conf.Required, status.Required = true, true, true
	rec.Fields = append(rec.Fields, kind, conf, status)

	// Agencies: one lead (a choice), the others taking part (checkboxes).
	ag := &section{ID: sectionID("agencies"), Path: "agencies", Legend: l.T("project.agencies"), Hint: l.T("registry.agencies_hint")}
	lead := p.Lead()
	leadOpts := []option{{Value: "", Label: l.T("registry.none_chosen")}}
	var partOpts []option
	for _, a := range c.agencies {
		leadOpts = append(leadOpts, option{Value: a.Code, Label: l.Text(a.Name)})
		in := slices.ContainsFunc(p.Agencies, func(x domain.Participation) bool { return x.Agency == a.Code && x.Role == domain.RoleParticipant })
		partOpts = append(partOpts, option{Value: a.Code, Label: l.Text(a.Name), Selected: in})
	}
	leadField := selectField("lead", l.T("registry.lead_agency"), lead, leadOpts)
	leadField.Path = "agencies.lead"
	parts := &field{ID: fieldID("participants"), Name: "participants", Path: "agencies.participants", Label: l.T("registry.participants"),
		Type: "checks", Options: partOpts}
	ag.Fields = []*field{leadField, parts}

	// Mandates: a law (a choice) and its article (typed, suggested).
	md := &section{ID: sectionID("mandates"), Path: "mandates", Legend: l.T("project.mandates"), Hint: l.T("registry.mandates_hint"),
		RowsName: "mandates_rows"}
	lawOpts := []option{{Value: "", Label: l.T("registry.none_chosen")}}
	articles := datalist{ID: "law-articles"}
	for _, law := range c.laws {
		lawOpts = append(lawOpts, option{Value: law.Slug, Label: l.Text(law.Title)})
		for _, a := range law.Articles {
			articles.Options = append(articles.Options, option{Value: l.Digits(a.Number), Label: l.Text(law.Title)})
		}
	}
	f.Lists = append(f.Lists, articles)
	for i := range len(p.Mandates) + blankRows {
		var m domain.Mandate
		if i < len(p.Mandates) {
			m = p.Mandates[i]
		}
		k := "mandates[" + strconv.Itoa(i) + "]"
		law := selectField(k+".law", l.T("registry.law"), m.Law, append([]option(nil), lawOpts...))
		art := textField(k+".article", l.T("project.article"))
		art.Value, art.ListID, art.Hint = l.Digits(m.Article), articles.ID, l.T("registry.article_hint")
		md.Rows = append(md.Rows, &row{Legend: l.T("registry.mandate_n", i+1),
			Fields: append([]*field{law, art}, bilingual(l, k+".note", l.T("member.note"), m.Note, false)...)})
	}

	dl := &section{ID: sectionID("deliverables"), Path: "deliverables", Legend: l.T("project.deliverables"),
		Hint: l.T("registry.deliverables_hint"), RowsName: "deliverables_rows"}
	for i := range len(p.Deliverables) + blankRows {
		var d domain.Deliverable
		if i < len(p.Deliverables) {
			d = p.Deliverables[i]
		}
		k := "deliverables[" + strconv.Itoa(i) + "]"
		fs := bilingual(l, k+".title", l.T("project.deliverable"), d.Title, false)
		fs = append(fs, bilingual(l, k+".indicator", l.T("project.indicator"), d.Indicator, false)...)
		target := textField(k+".target", l.T("project.target"))
		target.Value = d.Target
		fs = append(fs, target, dateField(l, k+".due", l.T("project.due"), d.Due))
		dl.Rows = append(dl.Rows, &row{Legend: l.T("registry.deliverable_n", i+1), Fields: fs})
	}

	links := &section{ID: sectionID("links"), Legend: l.T("registry.links")}
	var depOpts, predOpts []option
	predOpts = append(predOpts, option{Value: "", Label: l.T("registry.none_chosen")})
	for _, x := range c.projects {
		if x.Slug == p.Slug {
			continue
		}
		if x.Kind == domain.KindInfrastructure || slices.Contains(p.DependsOn, x.Slug) {
			depOpts = append(depOpts, option{Value: x.Slug, Label: l.Text(x.Title), Selected: slices.Contains(p.DependsOn, x.Slug)})
		}
		predOpts = append(predOpts, option{Value: x.Slug, Label: l.Text(x.Title)})
	}
	deps := &field{ID: fieldID("depends_on"), Name: "depends_on", Path: "depends_on", Label: l.T("project.dependencies"),
		Type: "checks", Options: depOpts, Hint: l.T("registry.depends_hint")}
	caps := textField("capabilities", l.T("project.capabilities"))
	caps.Value, caps.Dir, caps.Hint = strings.Join(p.Capabilities, ", "), "ltr", l.T("registry.capabilities_hint")
	links.Fields = []*field{deps, caps}

	pr := &section{ID: sectionID("predecessors"), Path: "predecessors", Legend: l.T("project.predecessors"),
		Hint: l.T("registry.predecessors_hint"), RowsName: "predecessors_rows"}
	for i := range len(p.Predecessors) + 1 {
		var x domain.Predecessor
		if i < len(p.Predecessors) {
			x = p.Predecessors[i]
		}
		k := "predecessors[" + strconv.Itoa(i) + "]"
		proj := selectField(k+".project", l.T("registry.predecessor"), x.Project, append([]option(nil), predOpts...))
		kind := selectField(k+".kind", l.T("registry.lineage_kind"), string(x.Kind), enumOptions(l, "lineage", domain.LineageKinds))
		pr.Rows = append(pr.Rows, &row{Legend: l.T("registry.predecessor_n", i+1),
			Fields: append([]*field{proj, kind}, bilingual(l, k+".note", l.T("member.note"), x.Note, false)...)})
	}
	f.Sections = []*section{rec, ag, md, dl, links, pr, sourceRows(l, "sources", p.Sources)}
	return f
}

// readProject reads the posted form into a project; old is the record as
// it stands (nil for a new one), whose parts the form does not show (an
// agency's note, a predecessor's sources) are kept.
func readProject(q *req, old *domain.Project) (*domain.Project, error) {
	p := &domain.Project{}
	if old != nil {
		p.Slug, p.Version = old.Slug, postedVersion(q)
	} else {
		p.Slug = strings.TrimSpace(q.PostFormValue("slug"))
	}
	p.Title, p.Summary, p.Scope = formText(q, "title"), formText(q, "summary"), formText(q, "scope")
	p.Kind = domain.ProjectKind(q.PostFormValue("kind"))
	p.Confidentiality = domain.Confidentiality(q.PostFormValue("confidentiality"))
	p.Status = domain.Lifecycle(q.PostFormValue("status"))
	note := func(code string) domain.Text {
		if old != nil {
			for _, a := range old.Agencies {
				if a.Agency == code {
					return a.Note
				}
			}
		}
		return domain.Text{}
	}
	if lead := q.PostFormValue("lead"); lead != "" {
		p.Agencies = append(p.Agencies, domain.Participation{Agency: lead, Role: domain.RoleLead, Note: note(lead)})
	}
	for _, code := range q.PostForm["participants"] {
		if code == "" || slices.ContainsFunc(p.Agencies, func(a domain.Participation) bool { return a.Agency == code }) {
			continue
		}
		p.Agencies = append(p.Agencies, domain.Participation{Agency: code, Role: domain.RoleParticipant, Note: note(code)})
	}
	for i := range rowCount(q, "mandates_rows") {
		k := "mandates[" + strconv.Itoa(i) + "]"
		m := domain.Mandate{Law: q.PostFormValue(k + ".law"), Article: strings.TrimSpace(digitsASCII(q.PostFormValue(k + ".article"))),
			Note: formText(q, k+".note")}
		if m.Law == "" && m.Article == "" && m.Note.IsZero() {
			continue
		}
		p.Mandates = append(p.Mandates, m)
	}
	var dateErr error
	for i := range rowCount(q, "deliverables_rows") {
		k := "deliverables[" + strconv.Itoa(i) + "]"
		d := domain.Deliverable{Title: formText(q, k+".title"), Indicator: formText(q, k+".indicator"),
			Target: strings.TrimSpace(q.PostFormValue(k + ".target"))}
		due, err := readDate(q, k+".due")
		if d.Title.IsZero() && d.Indicator.IsZero() && d.Target == "" && due == nil && err == nil {
			continue
		}
		if err != nil && dateErr == nil {
			// Named by the row's place among those kept, as the form
			// shows them again.
			dateErr = renameField(err, "deliverables["+strconv.Itoa(len(p.Deliverables))+"].due")
		}
		d.Due = due
		p.Deliverables = append(p.Deliverables, d)
	}
	p.DependsOn = slices.DeleteFunc(slices.Clone(q.PostForm["depends_on"]), func(s string) bool { return s == "" })
	for _, c := range strings.FieldsFunc(q.PostFormValue("capabilities"), func(r rune) bool {
		return r == ',' || r == '،' || r == ' ' || r == '\n' || r == '\t'
	}) {
		if !slices.Contains(p.Capabilities, c) {
			p.Capabilities = append(p.Capabilities, c)
		}
	}
	for i := range rowCount(q, "predecessors_rows") {
		k := "predecessors[" + strconv.Itoa(i) + "]"
		x := domain.Predecessor{Project: q.PostFormValue(k + ".project"), Kind: domain.LineageKind(q.PostFormValue(k + ".kind")),
			Note: formText(q, k+".note")}
		if x.Project == "" && x.Note.IsZero() {
			continue
		}
		if old != nil {
			for _, o := range old.Predecessors {
				if o.Project == x.Project {
					x.Sources = o.Sources
				}
			}
		}
		p.Predecessors = append(p.Predecessors, x)
	}
	p.Sources = readSources(q, "sources")
	for _, s := range []*[]string{&p.DependsOn, &p.Capabilities} {
		if *s == nil {
			*s = []string{}
		}
	}
	return p, dateErr
}

// renameField gives a refusal the field it is shown beside.
func renameField(err error, field string) error {
	if e, ok := domain.AsError(err); ok {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

func (s *Site) projectNew(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	p := &domain.Project{Kind: domain.KindService, Confidentiality: domain.Public, Status: domain.Proposed}
	return s.renderForm(q, s.projectForm(q, p, true, c), "registry")
}

func (s *Site) projectCreate(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	p, err := readProject(q, nil)
	var similar []service.SimilarProject
	if err == nil && q.PostFormValue("confirm_similar") != "1" {
		// A title the registry already holds, but for letter forms,
		// half-spaces, spacing or digit sets, is said first: the person
		// confirms it is another project, or goes to the one recorded.
		similar, err = s.svc.SimilarProjects(q.Context(), q.actor, p.Title, "")
	}
	if err == nil && len(similar) > 0 {
		f := s.projectForm(q, p, true, c)
		f.Similar = similar
		return s.renderForm(q, f, "registry")
	}
	if err == nil {
		err = s.svc.CreateProject(q.Context(), q.actor, p)
	}
	if err != nil {
		f := s.projectForm(q, p, true, c)
		if err := s.refuse(q, f, err); err != nil {
			return err
		}
		return s.renderForm(q, f, "registry")
	}
	return redirect(q, projectEditURL(p.Slug)+"?saved=1")
}

func (s *Site) projectEdit(q *req) error {
	if err := q.mayKeepRegistry(); err != nil {
		return err
	}
	pv, err := s.svc.Project(q.Context(), q.actor, q.PathValue("slug"))
	if err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	f := s.projectForm(q, pv.Project, false, c)
	if q.URL.Query().Get("saved") != "" {
		f.Notice = q.lang.T("registry.saved")
	}
	return s.renderForm(q, f, "registry")
}

func (s *Site) projectUpdate(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	pv, err := s.svc.Project(q.Context(), q.actor, q.PathValue("slug"))
	if err != nil {
		return err
	}
	c, err := s.registryChoices(q)
	if err != nil {
		return err
	}
	p, err := readProject(q, pv.Project)
	if err == nil {
		err = s.svc.UpdateProject(q.Context(), q.actor, p)
	}
	if err != nil {
		f := s.projectForm(q, p, false, c)
		if err := s.refuse(q, f, err); err != nil {
			return err
		}
		return s.renderForm(q, f, "registry")
	}
	return redirect(q, projectEditURL(p.Slug)+"?saved=1")
}
