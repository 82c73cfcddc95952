package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/status"
	"github.com/pishran/pishran/store"
)

// health returns the follow-up signals of the given projects as of a date,
// read inside tx. It reads one row of latest figures per project
// (progress_state, kept current by every acceptance, rating and baseline)
// and judges it with the status package, so its cost grows with the number
// of projects asked about, not with the number of reports on file. Only
// projects that look stale have their lifecycle read, since an implemented,
// suspended or withdrawn project owes no reports.
func (s *Service) health(tx *store.Tx, slugs []string, asOf domain.Date) (map[string]domain.Health, error) {
	return s.healthKnowing(tx, slugs, asOf, nil)
}

// healthKnowing is health for a caller that already holds the projects'
// lifecycles (the agenda builder's directory); nil reads them.
func (s *Service) healthKnowing(tx *store.Tx, slugs []string, asOf domain.Date, lifecycle func(slug string) domain.Lifecycle) (map[string]domain.Health, error) {
	states, err := tx.FollowUpStates(slugs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.Health, len(slugs))
	var stale []string
	for _, slug := range slugs {
		h := s.judge(slug, states[slug], asOf, true).Health
		if h.Stale {
			stale = append(stale, slug)
		}
		out[slug] = h
	}
	if len(stale) == 0 {
		return out, nil
	}
	if lifecycle == nil {
		lives, err := tx.Lifecycles(stale)
		if err != nil {
			return nil, err
		}
		lifecycle = func(slug string) domain.Lifecycle { return lives[slug] }
	}
	// A project that owes no reports (implemented, suspended, withdrawn)
	// is judged again as one: not stale, not silent.
	for _, slug := range stale {
		if !owesReports(lifecycle(slug)) {
			out[slug] = s.judge(slug, states[slug], asOf, false).Health
		}
	}
	return out, nil
}

// owesReports reports whether a project in lifecycle l still owes progress
// reports.
func owesReports(l domain.Lifecycle) bool {
	return l != domain.Implemented && l != domain.Suspended && l != domain.Withdrawn
}

// judgement is a project's health with the figures behind it.
type judgement struct {
	domain.Health
	Variance      status.Variance
	NextReportDue *domain.Date
}

// judge computes a project's health from its latest figures (nil: the
// project has no follow-up record); active says whether it still owes
// reports.
func (s *Service) judge(slug string, st *store.FollowUpState, asOf domain.Date, active bool) judgement {
	j := judgement{Health: domain.Health{Project: slug}}
	in := status.Input{AsOf: asOf}
	var owed status.Owed
	if st != nil {
		if st.Baseline > 0 && st.PlannedStart != nil && st.PlannedEnd != nil {
			in.Baseline = &status.Baseline{Start: *st.PlannedStart, End: *st.PlannedEnd, Cost: st.PlannedCost}
			owed = status.Owed{Owes: active, Every: st.ReportEvery, Start: *st.PlannedStart}
		}
		if st.ReportID > 0 {
			in.Report = &status.Figures{Period: st.Period, ProjectedEnd: st.ProjectedEnd,
				ProjectedCost: st.ProjectedCost, ActualCost: st.ActualCost}
			p := st.Period
			owed.LastAccepted = &p
			end := p.End()
			j.LastAccepted = &end
		}
		in.OverdueSince = st.MilestoneDue
		j.SelfRating, j.CouncilRating = st.Self, st.Council
		j.Divergent, j.RatingDrop = status.Ratings(st.Self, st.Council, st.CouncilPrev, s.policy)
	}
	in.Missed = status.Missed(owed, asOf, s.policy)
	res := status.Compute(in, s.policy)
	j.Status, j.StatusReasons, j.Variance = res.Status, res.Reasons, res.Variance
	j.Stale, j.NextReportDue = status.Stale(owed, asOf, s.policy)
	j.Missed = in.Missed
	return j
}

// HealthView is one project's health as the API shows it: the signals, the
// variances and the figures they come from, and the thresholds applied.
type HealthView struct {
	domain.Health
	AsOf          domain.Date      `json:"as_of"`
	NextReportDue *domain.Date     `json:"next_report_due"` // null: no report owed
	Variance      status.Variance  `json:"variance"`
	Baseline      *domain.Baseline `json:"baseline"`    // the current one; null: none
	LastReport    *ReportRef       `json:"last_report"` // the latest accepted; null: none
	// ProgressPercent is the milestones' completion weighted by their
	// weights, from accepted reports; null without milestones.
	ProgressPercent *float64       `json:"progress_percent"`
	Milestones      MilestoneTally `json:"milestones"`
	KPIs            KPITally       `json:"kpis"`
	Policy          domain.Policy  `json:"policy"`
}

// ReportRef points at a report.
type ReportRef struct {
	ID     int64         `json:"id"`
	Period domain.Period `json:"period"`
	Agency string        `json:"agency"`
}

// MilestoneTally counts a project's milestones.
type MilestoneTally struct {
	Total   int `json:"total"`
	Done    int `json:"done"`
	Overdue int `json:"overdue"` // planned date passed, not done
}

// KPITally counts a project's indicators by whether their latest accepted
// value meets the target.
type KPITally struct {
	Total   int `json:"total"`
	Met     int `json:"met"`
	NotMet  int `json:"not_met"`
	Unknown int `json:"unknown"` // no accepted value yet
}

// ProjectHealth returns one project's health as of a day (nil: today).
func (s *Service) ProjectHealth(ctx context.Context, a Actor, slug string, asOf *domain.Date) (*HealthView, error) {
	var v HealthView
	err := s.db.View(ctx, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", slug)
		if err != nil {
			return err
		}
		v.AsOf = txDay(tx)
		if asOf != nil {
			v.AsOf = *asOf
		}
		states, err := tx.FollowUpStates([]string{slug})
		if err != nil {
			return err
		}
		st := states[slug]
		j := s.judge(slug, st, v.AsOf, owesReports(p.Status))
		v.Health, v.Variance, v.NextReportDue, v.Policy = j.Health, j.Variance, j.NextReportDue, s.policy
		if st != nil && st.ReportID > 0 {
			period, agency, err := tx.ReportHead(st.ReportID)
			if err != nil {
				return err
			}
			v.LastReport = &ReportRef{ID: st.ReportID, Period: period, Agency: agency}
		}
		bs, err := tx.Baselines(slug)
		if err != nil {
			return err
		}
		if len(bs) > 0 {
			v.Baseline = bs[0]
			anonBaselines(a, v.Baseline)
		}
		ms, err := tx.Milestones(slug)
		if err != nil {
			return err
		}
		weights, done := 0, 0
		for _, m := range ms {
			v.Milestones.Total++
			pct := m.Percent
			if m.Actual != nil {
				v.Milestones.Done++
				pct = 100
			} else if m.Planned != nil && m.Planned.Before(v.AsOf) {
				v.Milestones.Overdue++
			}
			weights += m.Weight
			done += m.Weight * pct
		}
		if weights > 0 {
			p := float64(done*10/weights) / 10
			v.ProgressPercent = &p
		}
		ks, err := tx.KPIs(slug)
		if err != nil {
			return err
		}
		for _, k := range ks {
			v.KPIs.Total++
			switch {
			case k.Met == nil:
				v.KPIs.Unknown++
			case *k.Met:
				v.KPIs.Met++
			default:
				v.KPIs.NotMet++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// BoardRow is one project's line on the status board.
type BoardRow struct {
	domain.Health
	Title     domain.Text      `json:"title"`
	Lifecycle domain.Lifecycle `json:"lifecycle"`
}

// StatusBoard lists the health of the projects the actor may see, by slug,
// one page at a time: all of them, a program's active members, or those an
// agency is on.
func (s *Service) StatusBoard(ctx context.Context, a Actor, program, agency string, p domain.Page, asOf *domain.Date) (out []BoardRow, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if program != "" {
			if _, err := tx.Program(program, a.Viewer()); err != nil {
				return err
			}
		}
		heads, err := tx.ProjectHeads(program, agency, a.Viewer(), p)
		if err != nil {
			return err
		}
		day := txDay(tx)
		if asOf != nil {
			day = *asOf
		}
		slugs := make([]string, len(heads))
		for i, h := range heads {
			slugs[i] = h.Slug
		}
		hs, err := s.health(tx, slugs, day)
		if err != nil {
			return err
		}
		out = make([]BoardRow, len(heads))
		for i, h := range heads {
			out[i] = BoardRow{Health: hs[h.Slug], Title: h.Title, Lifecycle: h.Lifecycle}
		}
		return nil
	})
	return out, err
}

// HealthFor returns the computed health, as of today, of those of the
// given projects the actor may see, read in one transaction: what the
// public portal shows beside each project. A project the actor may not
// see, or that does not exist, is left out.
func (s *Service) HealthFor(ctx context.Context, a Actor, slugs []string) (out map[string]domain.Health, err error) {
	out = map[string]domain.Health{}
	if len(slugs) == 0 {
		return out, nil
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		seen := make([]string, 0, len(slugs))
		for _, slug := range slugs {
			if _, err := tx.Project(slug, a.Viewer()); err != nil {
				if domain.IsKind(err, domain.KindNotFound) {
					continue
				}
				return err
			}
			seen = append(seen, slug)
		}
		if len(seen) == 0 {
			return nil
		}
		out, err = s.health(tx, seen, txDay(tx))
		return err
	})
	return out, err
}
