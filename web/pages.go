package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/pishran/pishran/comparison"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// homeMembers is how many projects of the current list the home page
// shows; the program page pages through the rest.
const homeMembers = 50

// programPage is how many members the program page shows at a time.
const programPage = 100

// programView is a program with its counts and its funnel, as lists show it.
type programView struct {
	store.ProgramRow
	Stages   []stageView
	TermName domain.Text
	// Unnamed is how many of the declared size no record names.
	Unnamed int
	// Adopted is the date of the last adoption stage whose date is known.
	Adopted *domain.Date
}

// stageView is one adoption stage with its size and how the size is known.
type stageView struct {
	domain.Stage
	Size  int
	Basis string // records | sourced | unknown
	Pct   int    // size as a share of the largest stage, for the bar
}

func newProgramView(g store.ProgramRow, terms map[int]domain.Text) programView {
	v := programView{ProgramRow: g, TermName: terms[g.Term]}
	if g.DeclaredSize != nil && *g.DeclaredSize > g.Named {
		v.Unnamed = *g.DeclaredSize - g.Named
	}
	top := 0
	for _, st := range g.Stages {
		n, basis := st.Size()
		v.Stages = append(v.Stages, stageView{Stage: st, Size: n, Basis: basis})
		top = max(top, n)
		if st.Date != nil {
			v.Adopted = st.Date
		}
	}
	for i := range v.Stages {
		if top > 0 {
			v.Stages[i].Pct = v.Stages[i].Size * 100 / top
		}
	}
	return v
}

// programs lists every program the actor may see, ordered by term then
// slug, with their term names.
func (s *Site) programs(ctx context.Context, a service.Actor) ([]programView, error) {
	var rows []store.ProgramRow
	for after := ""; ; {
		page, err := s.svc.Programs(ctx, a, store.Page{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		rows = append(rows, page...)
		if len(page) < 1000 {
			break
		}
		after = page[len(page)-1].Slug
	}
	terms, err := s.svc.Terms(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int]domain.Text{}
	for _, t := range terms {
		names[t.Number] = t.Name
	}
	out := make([]programView, len(rows))
	for i, g := range rows {
		out[i] = newProgramView(g, names)
	}
	slices.SortStableFunc(out, func(a, b programView) int { return a.Term - b.Term })
	return out, nil
}

// termName is a term's recorded name, or "Government N".
func (l Lang) termName(v programView) string {
	if !v.TermName.IsZero() {
		return l.Text(v.TermName)
	}
	return l.T("program.term_n", v.Term)
}

// memberView is a member with its computed health, when known.
type memberView struct {
	*store.Member
	Health    *domain.Health
	LeadName  domain.Text
	Successor *linkView // nil: none, or one the visitor may not see
}

// linkView is a link to a project the visitor may see.
type linkView struct {
	Slug  string
	Title domain.Text
	Kind  string // lineage kind or leave reason, when the link has one
	Note  domain.Text
}

// activeView is a current list on the home page.
type activeView struct {
	Program programView
	Members []memberView
	Visible int // active members the visitor may see
	Hidden  int // active confidential members, only counted
	More    bool
	Health  bool // a health source answered
}

// compareLink is the home page's way into the comparison.
type compareLink struct {
	URL      string
	From, To programView
}

type homeView struct {
	Programs []programView
	Active   []activeView
	Compare  *compareLink
}

func (s *Site) home(q *req) error {
	ctx := q.Context()
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return err
	}
	v := homeView{Programs: progs}
	for _, g := range progs {
		if g.Status != domain.ProgramAdopted {
			continue
		}
		ms, hidden, err := s.svc.Members(ctx, q.actor, g.Slug, store.MemberFilter{ActiveOnly: true}, store.Page{Limit: homeMembers + 1})
		if err != nil {
			return err
		}
		a := activeView{Program: g, Hidden: hidden, Visible: g.Active - hidden}
		if len(ms) > homeMembers {
			ms, a.More = ms[:homeMembers], true
		}
		a.Members = make([]memberView, len(ms))
		for i, m := range ms {
			a.Members[i] = memberView{Member: m}
		}
		a.Health = s.attachHealth(ctx, q.actor, a.Members)
		v.Active = append(v.Active, a)
	}
	if from, to, ok := defaultPair(progs); ok {
		v.Compare = &compareLink{URL: compareURL(from.Slug, to.Slug), From: from, To: to}
	}
	return s.render(q, http.StatusOK, "home", q.lang.T("home.title"), "home", v)
}

// attachHealth fills the members' computed health from the health source,
// if the site has one; a failing source is logged and the column says "not
// computed yet", since the rest of the page is still true.
func (s *Site) attachHealth(ctx context.Context, a service.Actor, ms []memberView) bool {
	if s.opt.Health == nil || len(ms) == 0 {
		return false
	}
	slugs := make([]string, len(ms))
	for i, m := range ms {
		slugs[i] = m.Project
	}
	hs, err := s.opt.Health.Health(ctx, a, slugs)
	if err != nil {
		s.log.Error("web health", "err", err)
		return false
	}
	for i := range ms {
		if h, ok := hs[ms[i].Project]; ok {
			ms[i].Health = &h
		}
	}
	return true
}

// defaultPair is the comparison the portal offers first: the two latest
// lists (for the reference data, the 12th government's → the 13th's).
func defaultPair(progs []programView) (from, to programView, ok bool) {
	if len(progs) < 2 {
		return from, to, false
	}
	return progs[len(progs)-2], progs[len(progs)-1], true
}

func compareURL(from, to string) string {
	return "/compare?" + url.Values{"from": {from}, "to": {to}}.Encode()
}

// ---- program ----

type programPageView struct {
	Program     programView
	Members     []memberView
	Hidden      int
	HiddenLinks int    // successors of the members shown that the visitor may not see
	Next        string // URL of the next page of members, if any
	First       string // URL of the first page, when not on it
}

func (s *Site) program(q *req) error {
	ctx := q.Context()
	slug := q.PathValue("id")
	g, err := s.svc.Program(ctx, q.actor, slug)
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
	after := q.URL.Query().Get("after")
	if len(after) > 200 || (after != "" && !domain.ValidSlug(after)) {
		return badRequest("پارامتر after نامعتبر است", "the after parameter is not valid")
	}
	ms, hidden, err := s.svc.Members(ctx, q.actor, slug, store.MemberFilter{}, store.Page{After: after, Limit: programPage + 1})
	if err != nil {
		return err
	}
	v := programPageView{Program: newProgramView(g, names), Hidden: hidden}
	if len(ms) > programPage {
		ms = ms[:programPage]
		v.Next = "/programs/" + url.PathEscape(slug) + "?" + url.Values{"after": {ms[len(ms)-1].Project}}.Encode() + "#members"
	}
	if after != "" {
		v.First = "/programs/" + url.PathEscape(slug) + "#members"
	}
	look := s.lookups(q)
	v.Members = make([]memberView, len(ms))
	for i, m := range ms {
		v.Members[i] = memberView{Member: m}
		if m.Lead != "" {
			v.Members[i].LeadName = look.agency(m.Lead)
		}
		v.HiddenLinks += m.HiddenLinks
		if m.Successor != "" {
			if v.Members[i].Successor = look.project(m.Successor); v.Members[i].Successor == nil {
				v.HiddenLinks++
			}
		}
	}
	if err := look.err; err != nil {
		return err
	}
	return s.render(q, http.StatusOK, "program", q.lang.Text(g.Title), "", v)
}

// lookups resolves codes and slugs to names within one request, each at
// most once, as the visitor may see them.
type lookup struct {
	s        *Site
	q        *req
	agencies map[string]domain.Text
	projects map[string]*linkView
	laws     map[string]*domain.Law
	err      error
}

func (s *Site) lookups(q *req) *lookup {
	return &lookup{s: s, q: q, agencies: map[string]domain.Text{}, projects: map[string]*linkView{}, laws: map[string]*domain.Law{}}
}

// agency is an agency's name; an unrecorded code stands for itself.
func (l *lookup) agency(code string) domain.Text {
	if t, ok := l.agencies[code]; ok {
		return t
	}
	t := domain.T(code, code)
	a, err := l.s.svc.Agency(l.q.Context(), code)
	switch {
	case err == nil:
		t = a.Name
	case !domain.IsKind(err, domain.KindNotFound):
		l.err = err
	}
	l.agencies[code] = t
	return t
}

// preloadProjects resolves the links to many projects in one read; project
// then answers from what it found.
func (l *lookup) preloadProjects(slugs []string) {
	var want []string
	for _, slug := range slugs {
		if _, ok := l.projects[slug]; !ok && slug != "" {
			want = append(want, slug)
		}
	}
	if len(want) == 0 {
		return
	}
	titles, err := l.s.svc.ProjectTitles(l.q.Context(), l.q.actor, want)
	if err != nil {
		l.err = err
		return
	}
	for _, slug := range want {
		var v *linkView
		if t, ok := titles[slug]; ok {
			v = &linkView{Slug: slug, Title: t}
		}
		l.projects[slug] = v
	}
}

// project is a link to a project, or nil when the visitor may not see it
// (a confidential project is neither shown nor named).
func (l *lookup) project(slug string) *linkView {
	if v, ok := l.projects[slug]; ok {
		return v
	}
	var v *linkView
	p, err := l.s.svc.Project(l.q.Context(), l.q.actor, slug)
	switch {
	case err == nil:
		v = &linkView{Slug: p.Slug, Title: p.Title}
	case !domain.IsKind(err, domain.KindNotFound):
		l.err = err
	}
	l.projects[slug] = v
	return v
}

// law is a law, or nil when it is not recorded.
func (l *lookup) law(slug string) *domain.Law {
	if x, ok := l.laws[slug]; ok {
		return x
	}
	x, err := l.s.svc.Law(l.q.Context(), slug)
	if err != nil {
		x = nil
		if !domain.IsKind(err, domain.KindNotFound) {
			l.err = err
		}
	}
	l.laws[slug] = x
	return x
}

// ---- project ----

// FollowUp is what the follow-up knows of a project, as its page shows it.
// The follow-up service fills it through Options.FollowUp.
type FollowUp struct {
	LastAccepted   *domain.Date // period end of the last accepted report
	LastReportCode string       // its verification code, when it was published
	Milestones     []FollowUpMilestone
	Decisions      []FollowUpDecision
	Ratings        []FollowUpRating
}

// FollowUpMilestone is one step on the project's timeline.
type FollowUpMilestone struct {
	Title   domain.Text
	Planned *domain.Date
	Actual  *domain.Date // nil: not done
	Percent int
}

// FollowUpDecision is a council decision about the project.
type FollowUpDecision struct {
	Date    *domain.Date
	Meeting string // e.g. the session's number or id
	Text    domain.Text
	Code    string // its verification code, once published
}

// FollowUpRating is one rating in the project's history.
type FollowUpRating struct {
	Date  *domain.Date
	Kind  domain.Text // who rated: self, council
	Score int
	Label domain.Text // the scale level's name
}

type agencyView struct {
	domain.Participation
	Name domain.Text
}

type mandateView struct {
	domain.Mandate
	LawTitle    domain.Text
	ArticleText domain.Text
}

type projectMembershipView struct {
	*store.Member
	ProgramTitle domain.Text
	Successor    *linkView
}

type projectView struct {
	P            *domain.Project
	Agencies     []agencyView
	Mandates     []mandateView
	DependsOn    []linkView
	Predecessors []linkView
	Successors   []linkView
	HiddenLinks  int
	Memberships  []projectMembershipView
	Health       *domain.Health
	FollowUp     *FollowUp // nil: the follow-up has nothing to say yet
}

func (s *Site) project(q *req) error {
	ctx := q.Context()
	pv, err := s.svc.Project(ctx, q.actor, q.PathValue("slug"))
	if err != nil {
		return err
	}
	p := pv.Project
	look := s.lookups(q)
	linked := append([]string{}, p.DependsOn...)
	for _, pr := range p.Predecessors {
		linked = append(linked, pr.Project)
	}
	for _, m := range pv.Memberships {
		linked = append(linked, m.Successor)
	}
	look.preloadProjects(linked)
	// The service left out, and counted, the links the visitor may not
	// see (service/visibility.go); a link the lookup cannot name is
	// counted too rather than shown.
	v := projectView{P: p, HiddenLinks: p.HiddenLinks}
	for _, a := range p.Agencies {
		v.Agencies = append(v.Agencies, agencyView{Participation: a, Name: look.agency(a.Agency)})
	}
	// Lead first, then participants, in recorded order.
	slices.SortStableFunc(v.Agencies, func(a, b agencyView) int {
		return boolRank(a.Role == domain.RoleLead) - boolRank(b.Role == domain.RoleLead)
	})
	for _, m := range p.Mandates {
		mv := mandateView{Mandate: m, LawTitle: domain.T(m.Law, m.Law)}
		if law := look.law(m.Law); law != nil {
			mv.LawTitle = law.Title
			for _, art := range law.Articles {
				if art.Number == m.Article {
					mv.ArticleText = art.Text
				}
			}
		}
		v.Mandates = append(v.Mandates, mv)
	}
	for _, d := range p.DependsOn {
		if l := look.project(d); l != nil {
			v.DependsOn = append(v.DependsOn, *l)
		} else {
			v.HiddenLinks++
		}
	}
	for _, pr := range p.Predecessors {
		if l := look.project(pr.Project); l != nil {
			x := *l
			x.Kind, x.Note = string(pr.Kind), pr.Note
			v.Predecessors = append(v.Predecessors, x)
		} else {
			v.HiddenLinks++
		}
	}
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return err
	}
	titles := map[string]domain.Text{}
	for _, g := range progs {
		titles[g.Slug] = g.Title
	}
	seenSucc := map[string]bool{}
	for _, m := range pv.Memberships {
		t, visible := titles[m.Program]
		if !visible {
			continue // a restricted list: not the public's
		}
		mv := projectMembershipView{Member: m, ProgramTitle: t}
		v.HiddenLinks += m.HiddenLinks
		if m.Successor != "" {
			mv.Successor = look.project(m.Successor)
			if mv.Successor == nil {
				v.HiddenLinks++
			} else if !seenSucc[m.Successor] {
				seenSucc[m.Successor] = true
				x := *mv.Successor
				x.Kind = string(m.Reason)
				v.Successors = append(v.Successors, x)
			}
		}
		v.Memberships = append(v.Memberships, mv)
	}
	if err := look.err; err != nil {
		return err
	}
	if s.opt.Health != nil {
		if hs, err := s.opt.Health.Health(ctx, q.actor, []string{p.Slug}); err != nil {
			s.log.Error("web health", "err", err)
		} else if h, ok := hs[p.Slug]; ok {
			v.Health = &h
		}
	}
	if s.opt.FollowUp != nil {
		if v.FollowUp, err = s.opt.FollowUp.FollowUp(ctx, q.actor, p.Slug); err != nil {
			return err
		}
	}
	return s.render(q, http.StatusOK, "project", q.lang.Text(p.Title), "", v)
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// ---- compare ----

// countView is one category of the comparison with its count.
type countView struct {
	Key   string // compare.kept, …
	Class string // kept, …: the swatch's class
	Help  string
	N     int
	Color string
}

// chartData is what compare.js draws, embedded in the page as JSON.
type chartData struct {
	Title  string   `json:"title"`
	Labels []string `json:"labels"`
	Values []int    `json:"values"`
	Colors []string `json:"colors"`
	Locale string   `json:"locale"`
	RTL    bool     `json:"rtl"`
}

type compareView struct {
	Programs []programView
	From, To string
	R        *comparison.Result
	Counts   []countView
	Chart    chartData
	NeedTwo  bool
}

// The chart's colours: each meets 3:1 against the white page (WCAG 1.4.11
// non-text contrast); TestPalette checks them.
var categoryColors = map[string]string{
	"compare.kept":    "#1e6b2f",
	"compare.added":   "#0b57a4",
	"compare.removed": "#a4161a",
	"compare.evolved": "#6a3d9a",
	"compare.unknown": "#5f6368",
}

func (s *Site) compare(q *req) error {
	ctx := q.Context()
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return err
	}
	v := compareView{Programs: progs}
	from, to := q.URL.Query().Get("from"), q.URL.Query().Get("to")
	if d1, d2, ok := defaultPair(progs); ok {
		if from == "" {
			from = d1.Slug
		}
		if to == "" {
			to = d2.Slug
		}
	}
	v.From, v.To = from, to
	if from == "" || to == "" {
		v.NeedTwo = true
		return s.render(q, http.StatusOK, "compare", q.lang.T("compare.title"), "compare", v)
	}
	r, err := s.svc.Compare(ctx, q.actor, from, to)
	if err != nil {
		return err
	}
	v.R = r
	c := r.Counts
	for _, x := range []struct {
		key string
		n   int
	}{{"compare.kept", c.Kept}, {"compare.added", c.Added}, {"compare.removed", c.Removed},
		{"compare.evolved", c.Evolved}, {"compare.unknown", c.Unknown}} {
		v.Counts = append(v.Counts, countView{Key: x.key, Class: strings.TrimPrefix(x.key, "compare."), Help: x.key + "_help", N: x.n, Color: categoryColors[x.key]})
		v.Chart.Labels = append(v.Chart.Labels, q.lang.T(x.key))
		v.Chart.Values = append(v.Chart.Values, x.n)
		v.Chart.Colors = append(v.Chart.Colors, categoryColors[x.key])
	}
	v.Chart.Title = q.lang.T("compare.chart_title")
	v.Chart.Locale = map[Lang]string{FA: "fa-IR", EN: "en-GB"}[q.lang]
	v.Chart.RTL = q.lang == FA
	title := q.lang.T("compare.title")
	return s.render(q, http.StatusOK, "compare", title, "compare", v, "chart", "js/compare.js")
}
