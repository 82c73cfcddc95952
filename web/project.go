package web

import (
	"net/http"
	"slices"

	"github.com/pishran/pishran/domain"
)

// FollowUp is what the follow-up knows of a project, as its page shows it.
// It is built from the service's one read of the page (followUpOf).
type FollowUp struct {
	LastAccepted   *domain.Date // period end of the last accepted report
	LastReportCode string       // its verification code, when it was published
	Milestones     []FollowUpMilestone
	Decisions      []FollowUpDecision
	Ratings        []FollowUpRating
}

// FollowUpMilestone is one step on the project's timeline.
type FollowUpMilestone struct {
	ID      int64 // 0 when the source does not say
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
	*domain.Member
	ProgramTitle domain.Text
	Successor    *linkView
	Closed       bool // the list is closed: "on the list" would not be true today
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
	FollowUp     *FollowUp    // nil: the follow-up has nothing to say yet
	Actions      []actionView // the council's actions about it (follow_actions.go)
	// The exchange's evidence (web/exchange.go): the declared
	// integrations, and by milestone id the day the exchange first showed
	// a success of the one evidencing it.
	HasExchange  bool
	AgencyLead   bool // false: the integrations are the project's own
	Integrations []integrationView
	Evidence     map[int64]*domain.Date
}

// project renders a project's page from one read of the service
// (service.ProjectPage): the project, the names it points at, its
// memberships, health, follow-up, the council's actions and the exchange's
// evidence in one transaction.
func (s *Site) project(q *req) error {
	pg, err := s.svc.ProjectPage(q.Context(), q.actor, q.PathValue("slug"))
	if err != nil {
		return err
	}
	p := pg.Project
	link := func(slug string) *linkView {
		if t, ok := pg.Titles[slug]; ok {
			return &linkView{Slug: slug, Title: t}
		}
		return nil
	}
	// The service left out, and counted, the links the visitor may not
	// see (service/visibility.go); a link it cannot name is counted too
	// rather than shown.
	v := projectView{P: p, HiddenLinks: p.HiddenLinks}
	v.Agencies = make([]agencyView, 0, len(p.Agencies))
	for _, a := range p.Agencies {
		name, ok := pg.Agencies[a.Agency]
		if !ok {
			name = domain.T(a.Agency, a.Agency)
		}
		v.Agencies = append(v.Agencies, agencyView{Participation: a, Name: name})
	}
	// Lead first, then participants, in recorded order.
	slices.SortStableFunc(v.Agencies, func(a, b agencyView) int {
		return boolRank(a.Role == domain.RoleLead) - boolRank(b.Role == domain.RoleLead)
	})
	for _, m := range p.Mandates {
		mv := mandateView{Mandate: m, LawTitle: domain.T(m.Law, m.Law)}
		if law := pg.Laws[m.Law]; law != nil {
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
		if l := link(d); l != nil {
			v.DependsOn = append(v.DependsOn, *l)
		} else {
			v.HiddenLinks++
		}
	}
	for _, pr := range p.Predecessors {
		if l := link(pr.Project); l != nil {
			x := *l
			x.Kind, x.Note = string(pr.Kind), pr.Note
			v.Predecessors = append(v.Predecessors, x)
		} else {
			v.HiddenLinks++
		}
	}
	seenSucc := map[string]bool{}
	for _, m := range pg.Memberships {
		t, visible := pg.ProgramTitles[m.Program]
		if !visible {
			continue // a restricted list: not the public's
		}
		mv := projectMembershipView{Member: m, ProgramTitle: t, Closed: pg.ClosedPrograms[m.Program]}
		v.HiddenLinks += m.HiddenLinks
		if m.Successor != "" {
			mv.Successor = link(m.Successor)
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
	v.Health, v.FollowUp = &pg.Health, followUpOf(&pg.Record)
	for _, a := range pg.Actions {
		v.Actions = append(v.Actions, viewAction(q.lang, a, pg.Day, pg.Owners, nil))
	}
	v.HasExchange = true
	v.Integrations, v.Evidence = integrationsOf(q.lang, pg.Integrations)
	nameEnds(q.lang, v.Integrations, pg.ExchangeAgencies)
	return s.render(q, http.StatusOK, "project", q.lang.Text(p.Title), "", v)
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}
