package service

import (
	"cmp"
	"context"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// A project's timeline (issue 14): one chronological list of what happened
// to it — entries into lists and departures, baselines, milestones due and
// done, reports accepted or returned, ratings, decisions, actions and their
// re-dating and closing — read in one transaction, as the reader may see
// it. It names agencies, never the accounts that recorded the events.

// Timeline entry kinds.
const (
	TimelineEntered       = "entered"
	TimelineLeft          = "left"
	TimelineBaseline      = "baseline"
	TimelineMilestoneDue  = "milestone-due"
	TimelineMilestoneDone = "milestone-done"
	TimelineAccepted      = "report-accepted"
	TimelineReturned      = "report-returned"
	TimelineRating        = "rating"
	TimelineDecision      = "decision"
	TimelineAction        = "action"
	TimelineRedated       = "action-redated"
	TimelineDiscussed     = "action-discussed"
	TimelineClosed        = "action-closed"
)

// TimelineEntry is one dated event of a project's timeline. Which fields
// are set depends on Kind.
type TimelineEntry struct {
	Date    *domain.Date // nil: the day is not known (listed last)
	Kind    string
	Text    domain.Text // the decision's or action's text, the milestone's title, a note or reason
	Program string      // entered, left: the list
	Main    bool        // entered: as a main project
	Stage   domain.Body // entered: at which stage
	Reason  domain.LeaveReason
	// Successor is the project that took its place (left), when the reader
	// may see it.
	Successor  string
	Agency     string        // the owner, reporting or rating agency
	Meeting    string        // decision, action events: the session
	Number     int           // baseline number; rating score
	Resolution string        // decision
	Period     domain.Period // reports
	Due        *domain.Date  // action: the due date; re-dated: the new one
	OldDue     *domain.Date  // re-dated: the old due date
	Start      *domain.Date  // baseline: planned start
	End        *domain.Date  // baseline: planned end
	Cost       int64         // baseline: planned cost (IRR)
	Rating     domain.RatingKind
	Action     int64  // action events: the action's id
	Open       bool   // action: still open today
	Overdue    int    // action: days past its due date, when open and overdue
	Code       string // a published record's verification code
}

// Timeline is a project's timeline as the reader may see it.
type Timeline struct {
	Project  *domain.Project
	Entries  []TimelineEntry
	Day      domain.Date // today, for "overdue" and "due"
	FollowUp bool        // whether the reader may see its follow-up (else only its lists)
	Programs map[string]domain.Text
	Agencies map[string]domain.Text
	Titles   map[string]domain.Text // titles of the successors shown
}

// ProjectTimeline reads a project's timeline in one read transaction; a
// project the actor may not see is not found.
func (s *Service) ProjectTimeline(ctx context.Context, a Actor, slug string) (out *Timeline, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		day := txDay(tx)
		rec, err := tx.ProjectTimelineOf(slug, a.Viewer(), day)
		if err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = &Timeline{Project: r.project(rec.Project), Day: day, FollowUp: rec.FollowUp, Programs: rec.ProgramTitles}
		var codes, successors []string
		add := func(e TimelineEntry) {
			out.Entries = append(out.Entries, e)
			if e.Agency != "" {
				codes = append(codes, e.Agency)
			}
		}
		voided := map[int64]bool{}
		for _, e := range rec.Events {
			if e.Type == domain.EventVoided {
				voided[e.Voids] = true
			}
		}
		for _, e := range rec.Events {
			if voided[e.ID] || e.Type == domain.EventVoided {
				continue
			}
			te := TimelineEntry{Date: e.Date, Kind: TimelineEntered, Program: e.Program, Main: e.Main, Stage: e.Stage, Text: e.Note}
			if e.Type == domain.EventLeft {
				te.Kind, te.Reason = TimelineLeft, e.Reason
				if e.Successor != "" && r.sees(e.Successor) {
					te.Successor = e.Successor
					successors = append(successors, e.Successor)
				}
			}
			add(te)
		}
		for _, b := range rec.Baselines {
			add(TimelineEntry{Date: b.Approved, Kind: TimelineBaseline, Number: b.Number, Start: b.Start, End: b.End, Cost: b.Cost,
				Text: b.Reason})
		}
		for _, m := range rec.Milestones {
			add(TimelineEntry{Date: m.Planned, Kind: TimelineMilestoneDue, Text: m.Title, Open: m.Actual == nil})
			if m.Actual != nil {
				add(TimelineEntry{Date: m.Actual, Kind: TimelineMilestoneDone, Text: m.Title})
			}
		}
		var refs []string
		for _, st := range rec.Reports {
			if st.Type == domain.ReviewAccepted {
				refs = append(refs, reportRef(st.Report))
			}
		}
		sealed, err := tx.SignedCodes(signing.KindReport, refs)
		if err != nil {
			return err
		}
		for _, st := range rec.Reports {
			d := domain.TehranDate(st.At)
			te := TimelineEntry{Date: &d, Kind: TimelineReturned, Period: st.Period, Agency: st.Agency}
			if st.Type == domain.ReviewAccepted {
				te.Kind, te.Code = TimelineAccepted, sealed[reportRef(st.Report)]
			}
			add(te)
		}
		for _, g := range rec.Ratings {
			add(TimelineEntry{Date: g.Date, Kind: TimelineRating, Rating: g.Kind, Number: g.Score, Agency: g.Agency})
		}
		ds := r.decisions(rec.Decisions)
		if err := sealDecisions(tx, ds); err != nil {
			return err
		}
		for _, d := range ds {
			date := d.Date
			add(TimelineEntry{Date: &date, Kind: TimelineDecision, Meeting: d.Meeting, Resolution: d.Resolution, Text: d.Text,
				Code: d.VerificationCode})
		}
		for _, act := range rec.Actions {
			for _, ev := range act.Events {
				date := ev.Date
				te := TimelineEntry{Date: &date, Action: act.ID, Agency: act.Owner, Meeting: ev.Meeting, Text: ev.Note}
				switch ev.Type {
				case domain.ActionCreated:
					due := firstDue(act)
					te.Kind, te.Text, te.Due, te.Open = TimelineAction, act.Description, &due, act.Status == domain.ActionOpen
					if te.Open && act.Due.Before(day) {
						te.Overdue = act.Due.DaysUntil(day)
					}
				case domain.ActionRedated:
					te.Kind, te.Due, te.OldDue = TimelineRedated, ev.NewDue, ev.OldDue
				case domain.ActionClosedEv:
					te.Kind = TimelineClosed
				default:
					te.Kind = TimelineDiscussed
				}
				add(te)
			}
		}
		slices.SortStableFunc(out.Entries, func(x, y TimelineEntry) int {
			switch {
			case x.Date == nil && y.Date == nil:
				return 0
			case x.Date == nil:
				return 1
			case y.Date == nil:
				return -1
			}
			return cmp.Compare(x.Date.String(), y.Date.String())
		})
		if out.Agencies, err = tx.AgencyNames(codes); err != nil {
			return err
		}
		if out.Titles, err = tx.ProjectTitles(successors); err != nil {
			return err
		}
		return r.Err()
	})
	return out, err
}

// firstDue is the due date an action was set with: the old date of its
// first re-dating, or its due date if it was never re-dated.
func firstDue(a *domain.Action) domain.Date {
	for _, ev := range a.Events {
		if ev.Type == domain.ActionRedated && ev.OldDue != nil {
			return *ev.OldDue
		}
	}
	return a.Due
}
