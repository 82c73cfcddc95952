package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// homeMembers is how many projects of the current list the home page
// shows; the program page pages through the rest.
const homeMembers = 50

// memberView is a member with its computed health, when known.
type memberView struct {
	*domain.Member
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
	Fates    map[string]*fateView // by program slug: what became of each list
}

func (s *Site) home(q *req) error {
	ctx := q.Context()
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return err
	}
	v := homeView{Programs: progs, Fates: s.fatesOf(q, progs)}
	for _, g := range progs {
		if g.Status != domain.ProgramAdopted {
			continue
		}
		ms, hidden, err := s.svc.Members(ctx, q.actor, g.Slug, domain.MemberFilter{ActiveOnly: true}, domain.Page{Limit: homeMembers + 1})
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

// attachHealth fills the members' computed health from the service; a
// failing read is logged and the column says "not computed yet", since the
// rest of the page is still true.
func (s *Site) attachHealth(ctx context.Context, a service.Actor, ms []memberView) bool {
	if len(ms) == 0 {
		return false
	}
	slugs := make([]string, len(ms))
	for i, m := range ms {
		slugs[i] = m.Project
	}
	hs, err := s.svc.HealthFor(ctx, service.Anonymous, slugs)
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
