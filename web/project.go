package web

import (
	"net/http"
	"slices"

	"github.com/pishran/pishran/domain"
)

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
	*domain.Member
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
