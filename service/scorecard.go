package service

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/status"
	"github.com/pishran/pishran/store"
)

// An agency's scorecard (issue 14): its delivery record on the public
// projects it leads or takes part in, computed from the follow-up records,
// the same for every reader. Confidential and restricted projects are
// left out entirely: their follow-up is not the public's.
//
// The method, which the scorecard page states in both languages:
//   - Reports: the lead agency owes one report per reporting period (the
//     current baseline's: monthly or quarterly) from the period its first
//     baseline's planned start falls in, each due at the period's end plus
//     the grace days (Policy.StaleGraceDays). Every period whose due day has
//     passed counts — not only the next one owed: on time (an accepted
//     report for it reached the secretariat by the due day), late (later),
//     or missed (none accepted). A project no longer under way
//     (implemented, suspended, withdrawn) is counted up to its last
//     accepted report.
//   - Actions: the open council actions it owns that concern no project
//     but public ones; overdue when due before today, aged in days.
//   - Ratings: for each project with both, the gap between the latest self
//     rating and the latest council rating; divergent at
//     Policy.DivergencePoints or more.
//   - Ranking: the share of due reports on time (highest first; agencies
//     with nothing due last), then fewer missed reports, then fewer
//     overdue actions, then the agency's code.

// Scorecard is one agency's record.
type Scorecard struct {
	Agency string      `json:"agency"`
	Name   domain.Text `json:"name"`
	AsOf   domain.Date `json:"as_of"`
	Rank   int         `json:"rank,omitempty"` // 1 is the best; 0 when read alone
	// Projects are the public projects it leads or takes part in; Leads
	// those it leads (and owes the reports of).
	Projects int         `json:"projects"`
	Leads    int         `json:"leads"`
	Reports  ReportTally `json:"reports"`
	// OnTimePercent is on-time reports as a share of those due, one
	// decimal; null when none is due yet.
	OnTimePercent     *float64 `json:"on_time_percent"`
	OpenActions       int      `json:"open_actions"`
	OverdueActions    int      `json:"overdue_actions"`
	OldestOverdueDays *int     `json:"oldest_overdue_days"` // null: none overdue
	// Rated is how many of its led projects have both a self and a council
	// rating; Divergent how many of those differ by the policy's points or
	// more; MeanGap the mean of self − council, one decimal (null: none).
	Rated        int           `json:"rated_projects"`
	Divergent    int           `json:"divergent_projects"`
	MeanGap      *float64      `json:"mean_rating_gap"`
	LastAccepted *LastAccepted `json:"last_accepted"` // null: none accepted
	// Statuses counts the computed statuses of the projects it leads.
	Statuses map[domain.RAG]int `json:"statuses"`
}

// ReportTally counts owed reporting periods whose due day has passed.
type ReportTally struct {
	Due     int `json:"due"`
	OnTime  int `json:"on_time"`
	Late    int `json:"late"`
	Missed  int `json:"missed"`
	Undated int `json:"undated"` // accepted, but the record holds no day it was received
}

func (t *ReportTally) add(o ReportTally) {
	t.Due, t.OnTime, t.Late, t.Missed, t.Undated = t.Due+o.Due, t.OnTime+o.OnTime, t.Late+o.Late, t.Missed+o.Missed, t.Undated+o.Undated
}

// LastAccepted is the latest accepted report of the projects an agency
// leads.
type LastAccepted struct {
	Project string        `json:"project"`
	Title   domain.Text   `json:"title"`
	Period  domain.Period `json:"period"`
}

// PeriodTally is one reporting period's reports across an agency's
// projects.
type PeriodTally struct {
	Period domain.Period `json:"period"`
	ReportTally
}

// PeriodRecord is one owed period of one project.
type PeriodRecord struct {
	Project  string        `json:"project"`
	Title    domain.Text   `json:"title"`
	Period   domain.Period `json:"period"`
	Due      domain.Date   `json:"due"`
	Outcome  string        `json:"outcome"`            // on-time | late | missed | undated
	Received *domain.Date  `json:"received,omitempty"` // when the accepted report reached the secretariat
}

// OverdueAction is an open action past its due day.
type OverdueAction struct {
	ID          int64       `json:"id"`
	Description domain.Text `json:"description"`
	Due         domain.Date `json:"due"`
	AgeDays     int         `json:"age_days"`
}

// AgencyProject is a public project on an agency's page.
type AgencyProject struct {
	Project   string             `json:"project"`
	Title     domain.Text        `json:"title"`
	Role      domain.Role        `json:"role"`
	Kind      domain.ProjectKind `json:"kind"`
	Lifecycle domain.Lifecycle   `json:"lifecycle"`
	Health    domain.Health      `json:"health"`
}

// AgencyRecord is an agency's page: the agency, its public projects with
// their statuses, its scorecard, and the detail behind it.
type AgencyRecord struct {
	Agency    *domain.Agency  `json:"agency"`
	Scorecard Scorecard       `json:"scorecard"`
	Projects  []AgencyProject `json:"projects"`
	ByPeriod  []PeriodTally   `json:"by_period"` // latest first
	Missed    []PeriodRecord  `json:"missed"`    // every missed period, latest first
	Overdue   []OverdueAction `json:"overdue_actions"`
	// Integrations are the declared integrations of public projects that
	// have the agency at one end, as the exchange's own telemetry judges
	// them (issue 15), and ExchangeAgencies names their ends' agencies:
	// AgencyPage reads them for the agency's page; AgencyRecord leaves them
	// empty (the API reads them per project).
	Integrations     []exchange.Judged      `json:"-"`
	ExchangeAgencies map[string]domain.Text `json:"-"`
}

// Scorecards returns every agency's scorecard, ranked, as of today, read
// in one transaction.
func (s *Service) Scorecards(ctx context.Context) (out []Scorecard, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		var ags []*domain.Agency
		for ag, err := range domain.Walk(func(p domain.Page) ([]*domain.Agency, error) { return tx.Agencies(p) },
			func(a *domain.Agency) string { return a.Code }) {
			if err != nil {
				return err
			}
			ags = append(ags, ag)
		}
		day := txDay(tx)
		sc, err := s.scoreIn(tx, "", day)
		if err != nil {
			return err
		}
		out = make([]Scorecard, 0, len(ags))
		for _, ag := range ags {
			c := sc.card(ag, day)
			out = append(out, c)
		}
		rank(out)
		return nil
	})
	return out, err
}

// AgencyRecord reads an agency's page in one transaction: its record, its
// public projects with their computed statuses and its scorecard. Its rank
// is left 0: ranking reads every agency's records (Scorecards).
func (s *Service) AgencyRecord(ctx context.Context, code string) (*AgencyRecord, error) {
	return s.agencyRecord(ctx, code, false)
}

// AgencyPage is AgencyRecord with the exchange's evidence on the agency's
// integrations (Integrations, ExchangeAgencies), read in the same
// transaction: what the agency's public page shows.
func (s *Service) AgencyPage(ctx context.Context, code string) (*AgencyRecord, error) {
	return s.agencyRecord(ctx, code, true)
}

func (s *Service) agencyRecord(ctx context.Context, code string, withExchange bool) (out *AgencyRecord, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ag, err := tx.Agency(code)
		if err != nil {
			return err
		}
		day := txDay(tx)
		sc, err := s.scoreIn(tx, code, day)
		if err != nil {
			return err
		}
		out = &AgencyRecord{Agency: ag, Scorecard: sc.card(ag, day), Projects: []AgencyProject{},
			ByPeriod: []PeriodTally{}, Missed: []PeriodRecord{}, Overdue: []OverdueAction{}}
		for _, p := range sc.projects[code] {
			out.Projects = append(out.Projects, AgencyProject{Project: p.Slug, Title: p.Title, Role: p.Role, Kind: p.Kind,
				Lifecycle: p.Lifecycle, Health: sc.health[p.Slug]})
		}
		byPeriod := map[domain.Period]*PeriodTally{}
		for _, r := range sc.periods[code] {
			pt := byPeriod[r.Period]
			if pt == nil {
				pt = &PeriodTally{Period: r.Period}
				byPeriod[r.Period] = pt
			}
			pt.add(outcomeTally(r.Outcome))
			if r.Outcome == "missed" {
				out.Missed = append(out.Missed, r)
			}
		}
		for _, pt := range byPeriod {
			out.ByPeriod = append(out.ByPeriod, *pt)
		}
		slices.SortFunc(out.ByPeriod, func(a, b PeriodTally) int { return cmp.Compare(b.Period, a.Period) })
		slices.SortStableFunc(out.Missed, func(a, b PeriodRecord) int { return cmp.Compare(b.Period, a.Period) })
		out.Overdue = sc.overdue[code]
		if out.Overdue == nil {
			out.Overdue = []OverdueAction{}
		}
		if !withExchange {
			return nil
		}
		out.Integrations, out.ExchangeAgencies, err = s.agencyDeclaredIn(tx, Anonymous, code)
		return err
	})
	return out, err
}

// scores is what the scorecards are computed from, by agency code.
type scores struct {
	projects map[string][]store.ScoreProject
	periods  map[string][]PeriodRecord
	open     map[string]int
	overdue  map[string][]OverdueAction
	states   map[string]*store.FollowUpState
	health   map[string]domain.Health
	policy   domain.Policy
}

// scoreIn reads and judges the records of one agency ("" every agency).
func (s *Service) scoreIn(tx *store.Tx, agency string, day domain.Date) (*scores, error) {
	sc := &scores{projects: map[string][]store.ScoreProject{}, periods: map[string][]PeriodRecord{},
		open: map[string]int{}, overdue: map[string][]OverdueAction{}, policy: s.policy}
	ps, err := tx.ScoreProjects(agency)
	if err != nil {
		return nil, err
	}
	var slugs []string
	seen := map[string]bool{}
	for _, p := range ps {
		sc.projects[p.Agency] = append(sc.projects[p.Agency], p)
		if !seen[p.Slug] {
			seen[p.Slug] = true
			slugs = append(slugs, p.Slug)
		}
	}
	if sc.states, err = tx.FollowUpStates(slugs); err != nil {
		return nil, err
	}
	sc.health = make(map[string]domain.Health, len(slugs))
	life := map[string]domain.Lifecycle{}
	for _, p := range ps {
		life[p.Slug] = p.Lifecycle
	}
	for _, slug := range slugs {
		sc.health[slug] = s.judge(slug, sc.states[slug], day, owesReports(life[slug])).Health
	}
	reports, err := tx.AcceptedReports(agency)
	if err != nil {
		return nil, err
	}
	accepted := map[string][]store.ReportReceipt{}
	for _, r := range reports {
		accepted[r.Project] = append(accepted[r.Project], r)
	}
	for code, list := range sc.projects {
		for _, p := range list {
			if p.Role == domain.RoleLead {
				sc.periods[code] = append(sc.periods[code], owedPeriods(p, sc.states[p.Slug], accepted[p.Slug], day, s.policy)...)
			}
		}
	}
	acts, err := tx.OpenPublicActions(agency)
	if err != nil {
		return nil, err
	}
	for _, a := range acts {
		sc.open[a.Agency]++
		if a.Due.Before(day) {
			sc.overdue[a.Agency] = append(sc.overdue[a.Agency], OverdueAction{ID: a.ID, Description: a.Description, Due: a.Due, AgeDays: a.Due.DaysUntil(day)})
		}
	}
	return sc, nil
}

// maxPeriods bounds one project's owed periods: a century of months.
const maxPeriods = 1200

// owedPeriods lists every period a lead owes a report for whose due day
// has passed, from its first baseline's start, with what came of it.
func owedPeriods(p store.ScoreProject, st *store.FollowUpState, accepted []store.ReportReceipt, day domain.Date, pol domain.Policy) []PeriodRecord {
	if p.FirstStart == nil || st == nil || st.Baseline == 0 {
		return nil
	}
	every := max(st.ReportEvery, 1)
	var last *domain.Period
	if !owesReports(p.Lifecycle) {
		if st.ReportID == 0 {
			return nil // no longer under way, never reported: nothing to count from
		}
		last = &st.Period
	}
	var out []PeriodRecord
	prev := domain.PeriodOf(*p.FirstStart).Add(-1)
	for owed := prev.Add(every); len(out) < maxPeriods; prev, owed = owed, owed.Add(every) {
		if last != nil && prev >= *last {
			break
		}
		due := owed.End().AddDays(pol.StaleGraceDays)
		if !due.Before(day) {
			break
		}
		r := PeriodRecord{Project: p.Slug, Title: p.Title, Period: owed, Due: due, Outcome: "missed"}
		// An accepted report for any month of the period counts for it.
		for _, a := range accepted {
			if a.Period <= prev || a.Period > owed {
				continue
			}
			switch {
			case a.Received == nil:
				if r.Outcome == "missed" {
					r.Outcome = "undated"
				}
			case r.Received == nil || a.Received.Before(*r.Received):
				r.Received = a.Received
				r.Outcome = "late"
				if !due.Before(*a.Received) {
					r.Outcome = "on-time"
				}
			}
		}
		out = append(out, r)
	}
	return out
}

func outcomeTally(o string) ReportTally {
	t := ReportTally{Due: 1}
	switch o {
	case "on-time":
		t.OnTime = 1
	case "late":
		t.Late = 1
	case "undated":
		t.Undated = 1
	default:
		t.Missed = 1
	}
	return t
}

// card sums one agency's scores.
func (sc *scores) card(ag *domain.Agency, day domain.Date) Scorecard {
	c := Scorecard{Agency: ag.Code, Name: ag.Name, AsOf: day, Statuses: map[domain.RAG]int{}}
	gaps, gapSum := 0, 0
	for _, p := range sc.projects[ag.Code] {
		c.Projects++
		if p.Role != domain.RoleLead {
			continue
		}
		c.Leads++
		h := sc.health[p.Slug]
		c.Statuses[h.Status]++
		st := sc.states[p.Slug]
		if st == nil {
			continue
		}
		if st.Self != nil && st.Council != nil {
			c.Rated++
			gaps++
			gapSum += *st.Self - *st.Council
			if div, _ := status.Ratings(st.Self, st.Council, nil, sc.policy); div {
				c.Divergent++
			}
		}
		if st.ReportID > 0 && (c.LastAccepted == nil || st.Period > c.LastAccepted.Period) {
			c.LastAccepted = &LastAccepted{Project: p.Slug, Title: p.Title, Period: st.Period}
		}
	}
	if gaps > 0 {
		m := math.Round(float64(gapSum)*10/float64(gaps)) / 10
		c.MeanGap = &m
	}
	for _, r := range sc.periods[ag.Code] {
		c.Reports.add(outcomeTally(r.Outcome))
	}
	if c.Reports.Due > 0 {
		pct := math.Round(float64(c.Reports.OnTime)*1000/float64(c.Reports.Due)) / 10
		c.OnTimePercent = &pct
	}
	c.OpenActions = sc.open[ag.Code]
	for _, a := range sc.overdue[ag.Code] {
		c.OverdueActions++
		if c.OldestOverdueDays == nil || a.AgeDays > *c.OldestOverdueDays {
			age := a.AgeDays
			c.OldestOverdueDays = &age
		}
	}
	return c
}

// rank orders the cards by the method above and numbers them from 1.
func rank(cs []Scorecard) {
	slices.SortStableFunc(cs, func(a, b Scorecard) int {
		switch {
		case a.OnTimePercent == nil && b.OnTimePercent != nil:
			return 1
		case a.OnTimePercent != nil && b.OnTimePercent == nil:
			return -1
		case a.OnTimePercent != nil && *a.OnTimePercent != *b.OnTimePercent:
			return cmp.Compare(*b.OnTimePercent, *a.OnTimePercent)
		}
		if d := cmp.Compare(a.Reports.Missed, b.Reports.Missed); d != 0 {
			return d
		}
		if d := cmp.Compare(a.OverdueActions, b.OverdueActions); d != 0 {
			return d
		}
		return cmp.Compare(a.Agency, b.Agency)
	})
	for i := range cs {
		cs[i].Rank = i + 1
	}
}
