package service

import (
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// stateAsOf folds a project's follow-up records into the figures health
// reads, as they stood at the end of day: the baseline approved by then
// with the highest number, the latest report accepted by then, the ratings
// given by then, and the earliest milestone not done by then. Records
// dated after day do not count; the lifecycle is today's (it keeps no
// dated history).
func stateAsOf(slug string, day domain.Date, bs []*domain.Baseline, rs []store.AcceptedReport, gs []*domain.Rating,
	ms []*domain.Milestone) *store.FollowUpState {
	st := &store.FollowUpState{Project: slug, ReportEvery: 1}
	found := false
	for _, b := range bs {
		if b.Approved == nil || day.Before(*b.Approved) || b.Number < st.Baseline {
			continue
		}
		st.Baseline, st.PlannedStart, st.PlannedEnd, st.PlannedCost = b.Number, b.Start, b.End, b.Cost
		st.ReportEvery = b.Reporting.Months()
		found = true
	}
	for _, r := range rs { // by period, then acceptance: the last one kept is the latest
		if day.Before(domain.TehranDate(r.Accepted)) {
			continue
		}
		if st.ReportID == 0 || st.Period <= r.Period {
			st.ReportID, st.Period, st.ProjectedEnd, st.ProjectedCost, st.ActualCost = r.ID, r.Period, r.ProjectedEnd, r.ProjectedCost, r.ActualCost
		}
		found = true
	}
	var council []int
	for _, g := range gs { // by date, oldest first
		if g.Date == nil || day.Before(*g.Date) {
			continue
		}
		score := g.Score
		if g.Kind == domain.SelfRating {
			st.Self = &score
		} else {
			council = append(council, score)
		}
		found = true
	}
	if n := len(council); n > 0 {
		st.Council = &council[n-1]
		if n > 1 {
			st.CouncilPrev = &council[n-2]
		}
	}
	for _, m := range ms {
		if m.Planned == nil || (m.Actual != nil && !day.Before(*m.Actual)) {
			continue
		}
		if st.MilestoneDue == nil || m.Planned.Before(*st.MilestoneDue) {
			d := *m.Planned
			st.MilestoneDue = &d
		}
		found = true
	}
	if !found {
		return nil
	}
	return st
}
