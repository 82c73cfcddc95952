package service

import (
	"cmp"
	"context"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// The inbox: what the signed-in person owes now, newest first. An agency's
// focal point sees its reports returned for a fix (the secretariat's
// comment with them), the reports it owes and those overdue, the open
// actions its agency owns, and the reminders the daily job recorded for
// it; the secretariat sees the reports submitted and awaiting its review
// and the planned sessions to prepare, and the overdue actions to chase.

// Inbox item kinds.
const (
	InboxReturned  = "report-returned" // fix and resubmit: Note is the secretariat's comment
	InboxReportDue = "report-due"      // a report owed (not started, or a draft)
	InboxAction    = "action"          // an open action: the agency's, or overdue (secretariat)
	InboxReminder  = "reminder"        // recorded by the daily job: Note is its text
	InboxReview    = "report-review"   // submitted, awaiting the secretariat's review
	InboxMeeting   = "meeting-prepare" // a planned session
)

// InboxItem is one thing owed.
type InboxItem struct {
	Kind    string
	Title   domain.Text // the project, action or session it is about
	Note    domain.Text // a returned report's comment; a reminder's text
	Date    domain.Date // when it is due or happened: the list is newest first
	Overdue bool
	Project string
	Period  domain.Period
	Report  int64
	Action  int64
	Meeting string
	Agency  string // the report's agency (secretariat's review)
	Series  string // a session's series and number (its title may be empty)
	Number  int
}

// Inbox is a person's inbox. Count is what the navigation's badge shows:
// the items that wait on the person (returned and owed reports and overdue
// actions for an agency; reviews and sessions to prepare for the
// secretariat), not the reminders, which repeat them.
type Inbox struct {
	Items []InboxItem
	Count int
	AsOf  domain.Date
}

// inboxLimit bounds the items of one kind the secretariat's inbox lists.
const inboxLimit = 200

// Inbox returns what the actor owes now. Council members and readers owe
// nothing: their inbox is empty.
func (s *Service) Inbox(ctx context.Context, a Actor) (*Inbox, error) {
	return s.inbox(ctx, a, true)
}

// inbox builds the inbox; without all, only what Count counts.
func (s *Service) inbox(ctx context.Context, a Actor, all bool) (*Inbox, error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	out := &Inbox{Items: []InboxItem{}}
	switch {
	case a.Role == RoleAgency && a.Agency != "":
		if err := s.agencyInbox(ctx, a, out, all); err != nil {
			return nil, err
		}
	case a.isSecretariat():
		if err := s.secretariatInbox(ctx, a, out, all); err != nil {
			return nil, err
		}
	default:
		err := s.db.View(ctx, func(tx *store.Tx) error { out.AsOf = domain.DateOf(tx.Now()); return nil })
		return out, err
	}
	// Returned reports first — the secretariat's comment waits on the
	// person now — then newest first; at one date, what waits on the person
	// before reminders.
	rank := map[string]int{InboxReturned: 0, InboxReview: 1, InboxReportDue: 2, InboxAction: 3, InboxMeeting: 4, InboxReminder: 5}
	slices.SortStableFunc(out.Items, func(x, y InboxItem) int {
		if bx, by := x.Kind == InboxReturned, y.Kind == InboxReturned; bx != by {
			if bx {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.Date.String(), x.Date.String()); c != 0 {
			return c
		}
		return cmp.Compare(rank[x.Kind], rank[y.Kind])
	})
	return out, nil
}

func (s *Service) agencyInbox(ctx context.Context, a Actor, out *Inbox, all bool) error {
	err := s.db.View(ctx, func(tx *store.Tx) error {
		ag, err := tx.Agency(a.Agency)
		if err != nil {
			return err
		}
		day := domain.DateOf(tx.Now())
		out.AsOf = day
		o, err := s.obligationsIn(tx, a, ag, day)
		if err != nil {
			return err
		}
		listed := map[int64]bool{}
		returned := func(it InboxItem) error {
			// The comment and the day it came back, from the report's history.
			rep, err := tx.Report(it.Report, a.Viewer())
			if err != nil {
				return err
			}
			for _, ev := range rep.Events {
				if ev.Type == domain.ReviewReturned {
					it.Note, it.Date = ev.Comment, domain.DateOf(ev.At)
				}
			}
			listed[it.Report] = true
			out.Items = append(out.Items, it)
			out.Count++
			return nil
		}
		for _, r := range o.Reports {
			switch r.State {
			case "returned":
				if err := returned(InboxItem{Kind: InboxReturned, Title: r.Title, Date: r.Due, Overdue: r.Overdue, Project: r.Project,
					Period: r.Period, Report: r.Report}); err != nil {
					return err
				}
			case "missing", "draft":
				if day.Before(r.Due) && r.State == "missing" {
					continue // the coming period: not owed yet
				}
				out.Items = append(out.Items, InboxItem{Kind: InboxReportDue, Title: r.Title, Date: r.Due, Overdue: r.Overdue,
					Project: r.Project, Period: r.Period, Report: r.Report})
				out.Count++
			}
		}
		// A returned report waits on the agency whether or not the schedule
		// owes it (a project with no baseline yet, an earlier month, a
		// participant's own report): it is listed all the same.
		back := func(p domain.Page) ([]*domain.Report, error) {
			return tx.Reports(domain.ReportFilter{Agency: a.Agency, State: domain.ReportReturned}, a.Viewer(), p)
		}
		for rep, err := range domain.Walk(back, reportKey) {
			if err != nil {
				return err
			}
			if listed[rep.ID] {
				continue
			}
			p, err := tx.Project(rep.Project, a.Viewer())
			if domain.IsKind(err, domain.KindNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if err := returned(InboxItem{Kind: InboxReturned, Title: p.Title, Project: rep.Project, Period: rep.Period, Report: rep.ID}); err != nil {
				return err
			}
		}
		for _, act := range o.Actions {
			out.Items = append(out.Items, InboxItem{Kind: InboxAction, Title: act.Description, Date: act.Due, Overdue: act.Overdue,
				Action: act.ID, Meeting: act.Meeting})
			if act.Overdue {
				out.Count++
			}
		}
		return nil
	})
	if err != nil || !all {
		return err
	}
	rs, err := s.MyReminders(ctx, a)
	if err != nil {
		return err
	}
	// The job records what is owed again each day: the newest of each.
	seen := map[string]bool{}
	for _, r := range rs {
		key := r.Kind + "/" + r.Ref
		if seen[key] {
			continue
		}
		seen[key] = true
		out.Items = append(out.Items, InboxItem{Kind: InboxReminder, Note: r.Text, Date: r.Day, Overdue: true})
	}
	return nil
}

func (s *Service) secretariatInbox(ctx context.Context, a Actor, out *Inbox, all bool) error {
	return s.db.View(ctx, func(tx *store.Tx) error {
		day := domain.DateOf(tx.Now())
		out.AsOf = day
		v := a.Viewer()
		submitted, err := tx.Reports(domain.ReportFilter{State: domain.ReportSubmitted}, v, domain.Page{Limit: inboxLimit})
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		for _, rep := range submitted {
			it := InboxItem{Kind: InboxReview, Date: domain.DateOf(rep.UpdatedAt), Project: rep.Project, Period: rep.Period,
				Report: rep.ID, Agency: rep.Agency}
			if p, err := tx.Project(rep.Project, v); err == nil {
				it.Title = p.Title
			} else if !domain.IsKind(err, domain.KindNotFound) {
				return err
			} else {
				continue
			}
			out.Items = append(out.Items, it)
			out.Count++
		}
		planned, _, err := tx.Meetings(domain.MeetingFilter{States: []domain.MeetingState{domain.MeetingPlanned}}, domain.Page{Limit: inboxLimit})
		if err != nil {
			return err
		}
		for _, m := range planned {
			out.Items = append(out.Items, InboxItem{Kind: InboxMeeting, Title: m.Title, Date: m.Date, Overdue: m.Date.Before(day),
				Meeting: m.ID, Series: m.Series, Number: m.Number})
			out.Count++
		}
		if !all {
			return nil
		}
		overdue, _, err := tx.OverdueActions(day, v, inboxLimit)
		if err != nil {
			return err
		}
		overdue = r.actions(overdue)
		if err := r.Err(); err != nil {
			return err
		}
		for _, act := range overdue {
			out.Items = append(out.Items, InboxItem{Kind: InboxAction, Title: act.Description, Date: act.Due, Overdue: true,
				Action: act.ID, Meeting: act.Meeting, Agency: act.Owner})
		}
		return nil
	})
}

// InboxCount is the number the navigation's badge shows (Inbox.Count).
func (s *Service) InboxCount(ctx context.Context, a Actor) (int, error) {
	if a.Role != RoleAgency && !a.isSecretariat() {
		return 0, nil
	}
	in, err := s.inbox(ctx, a, false)
	if err != nil {
		return 0, err
	}
	return in.Count, nil
}
