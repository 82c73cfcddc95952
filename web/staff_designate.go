package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Designation: the secretariat puts a project on a list. Every rule's
// verdict on the chosen project is shown before the form is submitted —
// with JavaScript, htmx fetches the verdicts fragment as soon as a project
// is chosen; without it, the "check the rules" button reloads the page with
// the same verdicts (both come from service.Preview, which writes nothing).
// Submitting calls service.Designate, which runs the rules again inside
// its transaction and, refusing, names every broken rule at once.

// ruleVerdict is one rule's verdict on a project.
type ruleVerdict struct {
	ID       string
	Title    string
	Explain  string
	Verdict  string // pass, fail (blocking), warn
	Messages []violationView
}

type verdictsView struct {
	Program string
	Project string
	Title   domain.Text
	Allowed bool
	Rules   []ruleVerdict
	Fails   int
	Warns   int
}

type projectChoice struct {
	Slug   string
	Title  domain.Text
	Member bool // already an active member of the list
}

type designateView struct {
	Program  programView
	Projects []projectChoice
	Bodies   []domain.Body
	Project  string
	Main     bool
	Stage    string
	Date     string
	Note     domain.Text
	Verdicts *verdictsView
	Error    *formError // the designation's refusal
	// CheckError is why the rules could not be run on the chosen project.
	CheckError *formError
	Done       *linkView // the project just designated
	Warned     []string  // rule titles the designation warned of
	Action     string
	CheckURL   string
}

type programsView struct {
	Programs []programView
	Designer bool
}

// staffPrograms lists the lists, each with the way to designate into it.
func (s *Site) staffPrograms(q *req) error {
	progs, err := s.programs(q.Context(), q.actor)
	if err != nil {
		return err
	}
	return s.renderStaff(q, http.StatusOK, "staff/programs", q.lang.T("sprograms.title"), "programs",
		programsView{Programs: progs, Designer: q.isSecretariat()})
}

func (s *Site) designatePage(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	qs := q.URL.Query()
	v := designateView{Project: qs.Get("project"), Main: qs.Get("main") == "on", Stage: qs.Get("stage"), Date: qs.Get("date"),
		Note: domain.T(qs.Get("note_fa"), qs.Get("note_en"))}
	if done := qs.Get("done"); done != "" {
		v.Done = s.lookups(q).project(done)
		for _, w := range strings.Split(qs.Get("warn"), ",") {
			if w != "" {
				v.Warned = append(v.Warned, ruleTitle(q.lang, w))
			}
		}
		v.Project = ""
	}
	return s.designateRender(q, http.StatusOK, v)
}

// designateRender fills the form's choices and, for a chosen project, the
// rules' verdicts, and renders the page.
func (s *Site) designateRender(q *req, status int, v designateView) error {
	ctx, id := q.Context(), q.PathValue("id")
	g, err := s.svc.Program(ctx, q.actor, id)
	if err != nil {
		return err
	}
	terms, err := s.svc.Terms(ctx)
	if err != nil {
		return err
	}
	names := map[int]domain.Text{}
	for _, t := range terms {
		names[t.Number] = t.Name
	}
	v.Program = newProgramView(g, names)
	v.Bodies = domain.Bodies
	base := "/staff/programs/" + url.PathEscape(id) + "/designate"
	v.Action, v.CheckURL = base, base+"/check"
	active := map[string]bool{}
	members := func(p domain.Page) ([]*domain.Member, error) {
		ms, _, err := s.svc.Members(ctx, q.actor, id, domain.MemberFilter{ActiveOnly: true}, p)
		return ms, err
	}
	for m, err := range domain.Walk(members, func(m *domain.Member) string { return m.Project }) {
		if err != nil {
			return err
		}
		active[m.Project] = true
	}
	for p, err := range s.allProjects(ctx, q.actor, domain.ProjectFilter{}) {
		if err != nil {
			return err
		}
		v.Projects = append(v.Projects, projectChoice{Slug: p.Slug, Title: p.Title, Member: active[p.Slug]})
	}
	l := q.lang
	slices.SortStableFunc(v.Projects, func(a, b projectChoice) int { return strings.Compare(l.Text(a.Title), l.Text(b.Title)) })
	if v.Project != "" && v.Verdicts == nil {
		if v.Verdicts, err = s.verdicts(q, id, v.Project); err != nil {
			if !isRefusal(err) {
				return err
			}
			_, v.CheckError, _ = s.refusal(q, err)
			status = http.StatusUnprocessableEntity
		}
	}
	return s.renderStaff(q, status, "staff/designate", l.T("designate.title", l.Text(g.Title)), "programs", v)
}

// verdicts runs every designation rule on project for program
// (service.Preview) and lays them out rule by rule.
func (s *Site) verdicts(q *req, program, project string) (*verdictsView, error) {
	pv, err := s.svc.Preview(q.Context(), q.actor, program, project)
	if err != nil {
		return nil, err
	}
	return verdictsOf(q, program, pv), nil
}

func verdictsOf(q *req, program string, pv service.Verdict) *verdictsView {
	v := &verdictsView{Program: program, Project: pv.Project, Title: pv.Title, Allowed: pv.Allowed}
	for _, r := range designation.Rules() {
		rv := ruleVerdict{ID: r.ID, Title: q.lang.Text(r.Title), Explain: q.lang.Text(r.Explain), Verdict: "pass"}
		for _, x := range pv.Violations {
			if x.Rule != r.ID {
				continue
			}
			vv := violationView{Rule: x.Rule, Title: rv.Title, Blocking: x.Severity == domain.Blocking,
				Note: x.Severity == domain.Note, Message: q.lang.Text(x.Message), Fix: q.lang.Text(x.Fix)}
			if a := projectFieldAnchor(x.Field); a != "" && !vv.Note {
				vv.FixURL = projectEditURL(pv.Project) + "#" + a
			}
			rv.Messages = append(rv.Messages, vv)
			if x.Severity == domain.Blocking {
				rv.Verdict = "fail"
			} else if x.Severity == domain.Warning && rv.Verdict == "pass" {
				rv.Verdict = "warn"
			}
		}
		switch rv.Verdict {
		case "fail":
			v.Fails++
		case "warn":
			v.Warns++
		}
		v.Rules = append(v.Rules, rv)
	}
	return v
}

// designateCheck answers htmx's request for the verdicts fragment; a plain
// request (no JavaScript, or a bookmarked address) gets the whole page.
func (s *Site) designateCheck(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	id, project := q.PathValue("id"), q.URL.Query().Get("project")
	if q.Header.Get("HX-Request") != "true" {
		to := "/staff/programs/" + url.PathEscape(id) + "/designate"
		if project != "" {
			to += "?" + url.Values{"project": {project}}.Encode()
		}
		return redirect(q, to)
	}
	var v *verdictsView
	var fe *formError
	status := http.StatusOK
	if project != "" {
		var err error
		if v, err = s.verdicts(q, id, project); err != nil {
			if !isRefusal(err) {
				return err
			}
			// The fragment is swapped in whatever its status: htmx swaps
			// only 2xx answers, and the refusal is the content here.
			_, fe, _ = s.refusal(q, err)
		}
	}
	return s.renderFragment(q, status, "staff/designate", "verdicts", designateView{Verdicts: v, CheckError: fe})
}

// designatePost designates the project (service.Designate); a refusal
// shows the form again with every broken rule.
func (s *Site) designatePost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	v := designateView{Project: strings.TrimSpace(q.PostFormValue("project")), Main: q.PostFormValue("main") == "on",
		Stage: q.PostFormValue("stage"), Date: strings.TrimSpace(q.PostFormValue("date")), Note: formText(q, "note")}
	d := service.Designation{Program: id, Project: v.Project, Main: v.Main, Stage: domain.Body(v.Stage), Note: v.Note}
	var err error
	var warnings []domain.Violation
	if d.Date, err = formDate(q, "date"); err == nil {
		_, warnings, err = s.svc.Designate(q.Context(), q.actor, d)
	}
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		v.Error = fe
		if e, ok := domain.AsError(err); ok && e.Kind == domain.KindRuleViolation {
			// The verdicts as the refusal gave them (blocking ones) and the
			// preview (the warnings too), rule by rule.
			if pv, perr := s.svc.Preview(q.Context(), q.actor, id, v.Project); perr == nil {
				v.Verdicts = verdictsOf(q, id, pv)
			}
		}
		return s.designateRender(q, status, v)
	}
	var warn []string
	for _, w := range warnings {
		warn = append(warn, w.Rule)
	}
	to := "/staff/programs/" + url.PathEscape(id) + "/designate?" + url.Values{"done": {v.Project}, "warn": {strings.Join(warn, ",")}}.Encode()
	return redirect(q, to)
}
