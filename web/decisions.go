package web

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
)

// decisionsPage is how many decisions the decisions page shows at a time.
const decisionsPage = 50

// decisionsFeed is the Atom feed of the same decisions, served by the API.
const decisionsFeed = "/api/v1/decisions.atom"

// decisionView is one decision as the decisions page lists it.
type decisionView struct {
	*domain.Decision
	Projects []linkView
}

type decisionsView struct {
	Decisions []decisionView
	Feed      string
	Next      string // URL of the next (older) page, if any
	First     string // URL of the first page, when not on it
}

// decisions lists the decisions of held and closed meetings that the
// public may see, newest first, a page at a time; a decision about a
// confidential project is not the public's.
func (s *Site) decisions(q *req) error {
	after := q.URL.Query().Get("after")
	if after != "" {
		if n, err := strconv.ParseInt(after, 10, 64); err != nil || n <= 0 || len(after) > 19 {
			return badRequest("پارامتر after نامعتبر است", "the after parameter is not valid")
		}
	}
	ds, titles, err := s.svc.DecisionsPage(q.Context(), q.actor, domain.Page{After: after, Limit: decisionsPage + 1})
	if err != nil {
		return err
	}
	v := decisionsView{Feed: decisionsFeed}
	if len(ds) > decisionsPage {
		ds = ds[:decisionsPage]
		v.Next = "/decisions?after=" + strconv.FormatInt(ds[len(ds)-1].ID, 10)
	}
	if after != "" {
		v.First = "/decisions"
	}
	// The projects the decisions name, by title, come from the same read
	// as the decisions (a page of 50 decisions names a hundred).
	for _, d := range ds {
		dv := decisionView{Decision: d}
		for _, slug := range d.Projects {
			if t, ok := titles[slug]; ok {
				dv.Projects = append(dv.Projects, linkView{Slug: slug, Title: t})
			}
		}
		v.Decisions = append(v.Decisions, dv)
	}
	return s.renderView(q, http.StatusOK, "decisions", view{Title: q.lang.T("decisions.title"), Nav: "decisions", Feed: decisionsFeed, Data: v})
}
