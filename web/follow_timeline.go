package web

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// timelineRow is one event of a project's timeline, as a sentence in the
// page's language with what backs it.
type timelineRow struct {
	Date     *domain.Date
	Kind     string // the entry's kind, for its style
	Headline string
	Detail   domain.Text // a note, a reason, a decision's or action's text
	Agency   domain.Text // the agency it concerns, if any
	Link     string      // a page about it (a meeting, an action, a successor)
	LinkText string
	Code     string // a published record's verification code
	Status   *actionView
}

type timelineView struct {
	P        *domain.Project
	Rows     []timelineRow
	FollowUp bool
	Day      domain.Date
}

// timelinePage shows a project's timeline: everything dated that happened
// to it, oldest first, printable.
func (s *Site) timelinePage(q *req) error {
	tl, err := s.svc.ProjectTimeline(q.Context(), q.actor, q.PathValue("slug"))
	if err != nil {
		return err
	}
	l := q.lang
	v := timelineView{P: tl.Project, FollowUp: tl.FollowUp, Day: tl.Day}
	for _, e := range tl.Entries {
		v.Rows = append(v.Rows, timelineRowOf(l, e, tl))
	}
	return s.render(q, http.StatusOK, "timeline", l.T("timeline.title", l.Text(tl.Project.Title)), "", v)
}

func timelineRowOf(l Lang, e service.TimelineEntry, tl *service.Timeline) timelineRow {
	r := timelineRow{Date: e.Date, Kind: e.Kind, Detail: e.Text, Code: e.Code}
	if e.Agency != "" {
		r.Agency = nameOr(tl.Agencies, e.Agency)
	}
	meeting := func() {
		if e.Meeting != "" {
			r.Link, r.LinkText = "/meetings/"+e.Meeting, l.T("pubaction.at_meeting")+" "+l.Digits(e.Meeting)
		}
	}
	switch e.Kind {
	case service.TimelineEntered:
		r.Headline = l.T("timeline.entered", l.Text(nameOr(tl.Programs, e.Program)))
		if e.Main {
			r.Headline += " " + l.T("timeline.entered_main")
		}
		if e.Stage != "" {
			r.Headline += " — " + l.T("timeline.stage", l.label("body", e.Stage))
		}
		r.Link, r.LinkText = "/programs/"+e.Program, l.Text(nameOr(tl.Programs, e.Program))
	case service.TimelineLeft:
		r.Headline = l.T("timeline.left", l.Text(nameOr(tl.Programs, e.Program)))
		if e.Reason != "" {
			r.Headline += " — " + l.Text(e.Reason.Text())
		}
		if e.Successor != "" {
			r.Link, r.LinkText = "/projects/"+e.Successor, l.T("timeline.successor")+": "+l.Text(nameOr(tl.Titles, e.Successor))
		}
	case service.TimelineBaseline:
		r.Headline = l.T("timeline.baseline", l.Num(e.Number), dateText(l, e.Start), dateText(l, e.End), l.Digits(strconv.FormatInt(e.Cost, 10)))
	case service.TimelineMilestoneDue:
		r.Headline = l.T("timeline.ms_due", l.Text(e.Text))
		if e.Open && e.Date != nil && e.Date.Before(tl.Day) {
			r.Headline += " — " + l.T("timeline.ms_missed")
		}
		r.Detail = domain.Text{}
	case service.TimelineMilestoneDone:
		r.Headline, r.Detail = l.T("timeline.ms_done", l.Text(e.Text)), domain.Text{}
	case service.TimelineAccepted:
		r.Headline = l.T("timeline.accepted", e.Period.Name(string(l)))
	case service.TimelineReturned:
		r.Headline = l.T("timeline.returned", e.Period.Name(string(l)))
	case service.TimelineRating:
		r.Headline = l.T("timeline.rating", l.label("ratingkind", e.Rating), l.Num(e.Number))
	case service.TimelineDecision:
		r.Headline = l.T("timeline.decision", l.Digits(e.Resolution), l.Digits(e.Meeting))
		meeting()
	case service.TimelineAction:
		r.Headline = l.T("timeline.action", l.Text(r.Agency), dateText(l, e.Due))
		st := actionView{Status: "closed"}
		if e.Open {
			st.Status = "open"
		}
		if e.Overdue > 0 {
			st.Status, st.Overdue = "overdue", e.Overdue
		}
		r.Status = &st
		meeting()
	case service.TimelineRedated:
		r.Headline = l.T("timeline.redated", dateText(l, e.OldDue), dateText(l, e.Due))
		meeting()
	case service.TimelineClosed:
		r.Headline = l.T("timeline.closed")
		meeting()
	default:
		r.Headline = l.T("timeline.discussed")
		meeting()
	}
	return r
}
