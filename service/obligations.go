package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Obligations is what one agency owes, as of a day: the answer to the
// parliamentary review's finding that agencies did not know their tasks.
type Obligations struct {
	Agency   *domain.Agency   `json:"agency"`
	AsOf     domain.Date      `json:"as_of"`
	Projects []ObligedProject `json:"projects"`
	Actions  []*domain.Action `json:"actions"` // open actions the agency owns, earliest due first
	Reports  []OwedReport     `json:"reports"` // reports the agency owes, earliest due first
	Counts   ObligationCounts `json:"counts"`
	Note     domain.Text      `json:"note"`
}

// ObligedProject is a project the agency leads or takes part in.
type ObligedProject struct {
	Project string           `json:"project"`
	Title   domain.Text      `json:"title"`
	Role    domain.Role      `json:"role"`
	Status  domain.Lifecycle `json:"lifecycle"`
	Health  domain.Health    `json:"health"`
}

// OwedReport is one progress report the agency owes, or one it started and
// must finish.
type OwedReport struct {
	Project string        `json:"project"`
	Title   domain.Text   `json:"title"`
	Period  domain.Period `json:"period"`
	Due     domain.Date   `json:"due"` // the period's end plus the grace
	Overdue bool          `json:"overdue"`
	// State: "missing" (not started), "draft", "returned" (fix and
	// resubmit), or "submitted" (with the secretariat; nothing owed now).
	State  string `json:"state"`
	Report int64  `json:"report,omitempty"`
}

// ObligationCounts sums up an agency's obligations.
type ObligationCounts struct {
	Projects       int `json:"projects"`
	Leads          int `json:"leads"`
	OpenActions    int `json:"open_actions"`
	OverdueActions int `json:"overdue_actions"`
	ReportsOwed    int `json:"reports_owed"`
	ReportsOverdue int `json:"reports_overdue"`
}

// maxOwedPeriods bounds the missing periods listed per project; a project
// further behind shows its oldest ones, which are what must come first.
const maxOwedPeriods = 24

// Obligations lists what an agency owes. An agency's focal point sees only
// its own agency's (another agency's is "not found", so nothing leaks);
// staff see any agency's.
func (s *Service) Obligations(ctx context.Context, a Actor, agency string, asOf *domain.Date) (out *Obligations, err error) {
	switch a.Role {
	case RoleAnonymous:
		return nil, domain.Unauthorized()
	case RoleAgency:
		if a.Agency != agency {
			return nil, domain.NotFound("agency", "agency")
		}
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ag, err := tx.Agency(agency)
		if err != nil {
			return err
		}
		day := domain.DateOf(tx.Now())
		if asOf != nil {
			day = *asOf
		}
		out, err = s.obligationsIn(tx, a, ag, day)
		return err
	})
	return out, err
}

// obligationsIn computes an agency's obligations inside tx.
func (s *Service) obligationsIn(tx *store.Tx, a Actor, ag *domain.Agency, day domain.Date) (out *Obligations, err error) {
	agency := ag.Code
	out = &Obligations{Agency: ag, AsOf: day, Projects: []ObligedProject{}, Actions: []*domain.Action{}, Reports: []OwedReport{},
		Note: domain.T("گزارش دوره‌ای را دستگاه راهبر هر پروژه می‌دهد؛ مهلت هر گزارش پایان دوره به‌اضافه مهلت تنفس است.",
			"The lead agency of each project owes its periodic report; each is due at the period's end plus the grace days.")}
	var projects []*domain.Project
	agencyProjects := func(p domain.Page) ([]*domain.Project, error) {
		return tx.Projects(domain.ProjectFilter{Agency: agency}, a.Viewer(), p)
	}
	for p, err := range domain.Walk(agencyProjects, projectKey) {
		if err != nil {
			return nil, err
		}
		projects = append(projects, p)
	}
	slugs := make([]string, len(projects))
	for i, p := range projects {
		slugs[i] = p.Slug
	}
	states, err := tx.FollowUpStates(slugs)
	if err != nil {
		return nil, err
	}
	// Reports this agency has started and not yet had accepted.
	pending := map[string]map[domain.Period]*domain.Report{}
	for _, st := range []domain.ReportState{domain.ReportDraft, domain.ReportReturned, domain.ReportSubmitted} {
		reports := func(p domain.Page) ([]*domain.Report, error) {
			return tx.Reports(domain.ReportFilter{Agency: agency, State: st}, a.Viewer(), p)
		}
		for r, err := range domain.Walk(reports, reportKey) {
			if err != nil {
				return nil, err
			}
			if pending[r.Project] == nil {
				pending[r.Project] = map[domain.Period]*domain.Report{}
			}
			pending[r.Project][r.Period] = r
		}
	}
	for _, p := range projects {
		role := domain.RoleParticipant
		if p.Lead() == agency {
			role = domain.RoleLead
			out.Counts.Leads++
		}
		active := owesReports(p.Status)
		j := s.judge(p.Slug, states[p.Slug], day, active)
		out.Projects = append(out.Projects, ObligedProject{Project: p.Slug, Title: p.Title, Role: role, Status: p.Status, Health: j.Health})
		if role != domain.RoleLead || !active {
			continue
		}
		out.Reports = append(out.Reports, owedReports(p, states[p.Slug], pending[p.Slug], day, s.policy)...)
	}
	out.Counts.Projects = len(out.Projects)
	owned := func(p domain.Page) ([]*domain.Action, error) {
		return tx.Actions(domain.ActionFilter{Owner: agency, OpenOnly: true}, a.Viewer(), p)
	}
	for act, err := range domain.Walk(owned, actionKey) {
		if err != nil {
			return nil, err
		}
		out.Actions = append(out.Actions, act)
	}
	// An action the agency owns may concern a project it may not see:
	// the agency reads the action, not that project's name.
	r := s.refsFor(tx, a)
	out.Actions = r.actions(out.Actions)
	if err := r.Err(); err != nil {
		return nil, err
	}
	for _, act := range out.Actions {
		act.Overdue = act.Due.Before(day)
		if act.Overdue {
			out.Counts.OverdueActions++
		}
	}
	sortBy(out.Actions, func(x *domain.Action) string { return x.Due.String() + itoa64(x.ID) })
	sortBy(out.Reports, func(x OwedReport) string { return x.Due.String() + x.Project })
	out.Counts.OpenActions = len(out.Actions)
	for _, r := range out.Reports {
		if r.State != "submitted" {
			out.Counts.ReportsOwed++
			if r.Overdue {
				out.Counts.ReportsOverdue++
			}
		}
	}
	return out, nil
}

// owedReports lists the periods a project's lead owes reports for: every
// period after the last accepted one whose due day has come, plus the next
// one, so the agency sees what is coming.
func owedReports(p *domain.Project, st *store.FollowUpState, pending map[domain.Period]*domain.Report, day domain.Date, pol domain.Policy) []OwedReport {
	if st == nil || st.Baseline == 0 || st.PlannedStart == nil {
		return nil // no approved baseline: no reporting schedule yet
	}
	every := max(st.ReportEvery, 1)
	next := domain.PeriodOf(*st.PlannedStart).Add(every - 1)
	if st.ReportID > 0 {
		next = st.Period.Add(every)
	}
	var out []OwedReport
	for range maxOwedPeriods {
		due := next.End().AddDays(pol.StaleGraceDays)
		o := OwedReport{Project: p.Slug, Title: p.Title, Period: next, Due: due, Overdue: due.Before(day), State: "missing"}
		if r := pending[next]; r != nil {
			o.State, o.Report = string(r.State), r.ID
			o.Overdue = o.Overdue && r.State != domain.ReportSubmitted
		}
		out = append(out, o)
		// Past the first period not yet ended: it is the upcoming one.
		if !next.End().Before(day) {
			break
		}
		next = next.Add(every)
	}
	return out
}
