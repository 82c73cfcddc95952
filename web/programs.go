package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// programPage is how many members the program page shows at a time.
const programPage = 100

// programView is a program with its counts and its funnel, as lists show it.
type programView struct {
	domain.ProgramRow
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

func newProgramView(g domain.ProgramRow, terms map[int]domain.Text) programView {
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
	var rows []domain.ProgramRow
	for g, err := range domain.Walk(func(p domain.Page) ([]domain.ProgramRow, error) { return s.svc.Programs(ctx, a, p) },
		func(g domain.ProgramRow) string { return g.Slug }) {
		if err != nil {
			return nil, err
		}
		rows = append(rows, g)
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

type programPageView struct {
	Program     programView
	Members     []memberView
	Hidden      int
	HiddenLinks int    // successors of the members shown that the visitor may not see
	Next        string // URL of the next page of members, if any
	First       string // URL of the first page, when not on it
	Fate        *fateView
	Closed      bool
}

func (s *Site) program(q *req) error {
	slug := q.PathValue("id")
	after := q.URL.Query().Get("after")
	if len(after) > 200 || (after != "" && !domain.ValidSlug(after)) {
		return badRequest("پارامتر after نامعتبر است", "the after parameter is not valid")
	}
	// One read (service.ProgramPage): the program, the terms, a page of
	// members with their leads' names and successors' titles, the fate.
	pg, err := s.svc.ProgramPage(q.Context(), q.actor, slug, domain.Page{After: after, Limit: programPage + 1})
	if err != nil {
		return err
	}
	g, ms := pg.Program, pg.Members
	names := map[int]domain.Text{}
	for _, t := range pg.Terms {
		names[t.Number] = t.Name
	}
	v := programPageView{Program: newProgramView(g, names), Hidden: pg.Hidden, Closed: g.Status == domain.ProgramClosed}
	v.Fate = newFateView(pg.Fate, q.lang == FA)
	if len(ms) > programPage {
		ms = ms[:programPage]
		v.Next = "/programs/" + url.PathEscape(slug) + "?" + url.Values{"after": {ms[len(ms)-1].Project}}.Encode() + "#members"
	}
	if after != "" {
		v.First = "/programs/" + url.PathEscape(slug) + "#members"
	}
	v.Members = make([]memberView, len(ms))
	for i, m := range ms {
		v.Members[i] = memberView{Member: m}
		if m.Lead != "" {
			v.Members[i].LeadName = domain.T(m.Lead, m.Lead) // an unrecorded code stands for itself
			if t, ok := pg.Leads[m.Lead]; ok {
				v.Members[i].LeadName = t
			}
		}
		v.HiddenLinks += m.HiddenLinks
		if m.Successor != "" {
			if t, ok := pg.Titles[m.Successor]; ok {
				v.Members[i].Successor = &linkView{Slug: m.Successor, Title: t}
			} else {
				v.HiddenLinks++
			}
		}
	}
	return s.render(q, http.StatusOK, "program", q.lang.Text(g.Title), "", v)
}
