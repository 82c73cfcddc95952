package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The public's follow-through pages (issue 14): the council's actions
// about public projects (/actions), the held meetings (/meetings,
// /meetings/{id}; follow_meetings.go) and a project's timeline
// (/projects/{slug}/timeline; follow_timeline.go). Each reads the service
// once (one read transaction) and names agencies, never accounts.

// followRoutes are the follow-through pages; all are the same for every
// visitor who is not signed in, so the page cache keeps them.
func (s *Site) followRoutes() []Route {
	return []Route{
		{Pattern: "GET /actions", Handler: s.public(s.actionsPage)},
		{Pattern: "GET /meetings", Handler: s.public(s.meetingsPublic)},
		{Pattern: "GET /meetings/{id}", Handler: s.public(s.meetingPublic)},
		{Pattern: "GET /projects/{slug}/timeline", Handler: s.public(s.timelinePage)},
	}
}

// actionsPerPage is how many actions /actions shows at a time.
const actionsPerPage = 25

// actionView is one action as the public pages show it.
type actionView struct {
	ID          int64
	Description domain.Text
	Owner       domain.Text
	Meeting     string
	Created     domain.Date
	Due         domain.Date
	Status      string // open, overdue or closed
	Overdue     int    // days past due, when overdue
	Closed      *domain.Date
	Redates     int
	Projects    []linkView
	History     []actionLine
}

// actionLine is one event of an action's history, as a sentence.
type actionLine struct {
	Date    domain.Date
	What    string // the event, in the page's language
	Meeting string
	Note    domain.Text // a re-dating's reason, a discussion's or closing's note
}

// viewAction turns an action into what the pages show; names are the
// owner agencies' names, titles the projects'.
func viewAction(l Lang, a *domain.Action, day domain.Date, names, titles map[string]domain.Text) actionView {
	v := actionView{ID: a.ID, Description: a.Description, Owner: nameOr(names, a.Owner), Meeting: a.Meeting, Created: a.Created,
		Due: a.Due, Status: string(a.Status), Closed: a.Closed}
	if a.Status == domain.ActionOpen && a.Due.Before(day) {
		v.Status, v.Overdue = "overdue", a.Due.DaysUntil(day)
	}
	for _, slug := range a.Projects {
		if t, ok := titles[slug]; ok {
			v.Projects = append(v.Projects, linkView{Slug: slug, Title: t})
		}
	}
	for _, ev := range a.Events {
		line := actionLine{Date: ev.Date, Meeting: ev.Meeting, Note: ev.Note}
		switch ev.Type {
		case domain.ActionCreated:
			line.What = l.T("pubaction.ev_created")
		case domain.ActionRedated:
			v.Redates++
			line.What = l.T("pubaction.ev_redated", dateText(l, ev.OldDue), dateText(l, ev.NewDue))
		case domain.ActionClosedEv:
			line.What = l.T("pubaction.ev_closed")
		default:
			line.What = l.T("pubaction.ev_discussed")
		}
		v.History = append(v.History, line)
	}
	return v
}

// dateText is a day as plain text in l; nil is "date unknown".
func dateText(l Lang, d *domain.Date) string {
	if d == nil {
		return l.T("date.unknown")
	}
	return l.Date(*d)
}

// nameOr is the name under code, or the code itself.
func nameOr(names map[string]domain.Text, code string) domain.Text {
	if t, ok := names[code]; ok && !t.IsZero() {
		return t
	}
	return domain.T(code, code)
}

type option2 struct {
	Value, Label string
	Selected     bool
}

type actionsView struct {
	Actions  []actionView
	Total    int
	Page     int
	Pages    int
	Prev     string
	Next     string
	Agencies []option2
	Statuses []option2
	Project  *linkView // the project the list is narrowed to, if any
	JSON     string    // the same list from the API
}

// pageParam reads ?page= (1 by default).
func pageParam(q *req) (int, error) {
	p := q.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, badRequest(catalog["pubactions.bad_page"].FA, catalog["pubactions.bad_page"].EN)
	}
	return n, nil
}

// pageURL is path with the query vals and page n.
func pageURL(path string, vals url.Values, n int) string {
	v := url.Values{}
	for k, xs := range vals {
		if k != "page" && len(xs) > 0 && xs[0] != "" {
			v.Set(k, xs[0])
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if e := v.Encode(); e != "" {
		return path + "?" + e
	}
	return path
}

// actionsPage lists the public's actions, filtered by owner agency, status
// and project, a page at a time.
func (s *Site) actionsPage(q *req) error {
	page, err := pageParam(q)
	if err != nil {
		return err
	}
	qs := q.URL.Query()
	f := service.ActionQuery{Agency: qs.Get("agency"), Status: qs.Get("status"), Project: qs.Get("project")}
	pg, err := s.svc.PublicActions(q.Context(), f, (page-1)*actionsPerPage, actionsPerPage)
	if domain.IsKind(err, domain.KindInvalid) {
		e, _ := domain.AsError(err)
		return badRequest(e.Message.FA, e.Message.EN)
	}
	if err != nil {
		return err
	}
	l := q.lang
	v := actionsView{Total: pg.Total, Page: page, Pages: max(1, (pg.Total+actionsPerPage-1)/actionsPerPage)}
	for _, a := range pg.Actions {
		v.Actions = append(v.Actions, viewAction(l, a, pg.Day, pg.Agencies, pg.Titles))
	}
	if page > 1 {
		v.Prev = pageURL("/actions", qs, page-1)
	}
	if page < v.Pages {
		v.Next = pageURL("/actions", qs, page+1)
	}
	v.Agencies = append(v.Agencies, option2{"", l.T("pubactions.any_agency"), f.Agency == ""})
	for _, code := range pg.Owners {
		v.Agencies = append(v.Agencies, option2{code, l.Text(pg.Agencies[code]), f.Agency == code})
	}
	v.Statuses = append(v.Statuses, option2{"", l.T("pubactions.any_status"), f.Status == ""})
	for _, st := range service.ActionStatuses {
		v.Statuses = append(v.Statuses, option2{st, l.T("actstatus." + st), f.Status == st})
	}
	if f.Project != "" {
		if t, ok := pg.Titles[f.Project]; ok { // named only when the page's actions name it
			v.Project = &linkView{Slug: f.Project, Title: t}
		}
	}
	api := url.Values{}
	for k, x := range map[string]string{"agency": f.Agency, "status": f.Status, "project": f.Project} {
		if x != "" {
			api.Set(k, x)
		}
	}
	v.JSON = "/api/v1/actions"
	if e := api.Encode(); e != "" {
		v.JSON += "?" + e
	}
	return s.render(q, http.StatusOK, "actions", l.T("pubactions.title"), "actions", v)
}
