package store

import (
	"database/sql"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
)

// A project's timeline (issue 14): everything dated that happened to it —
// its entries into and departures from lists, its baselines, milestones,
// reports accepted or returned, ratings, the council's decisions and
// actions — read in the caller's one transaction.

// ReportStep is one step of a report's review: accepted or returned. The
// secretariat's comment is not carried: a returned report is not public,
// only the fact that it was returned.
type ReportStep struct {
	Report int64
	Period domain.Period
	Agency string
	Type   string // domain.ReviewAccepted or domain.ReviewReturned
	At     time.Time
}

// TimelineRecords are the records a project's timeline is made of, as the
// viewer may see them.
type TimelineRecords struct {
	Project *domain.Project
	// Events are its membership events in the programs the viewer may
	// see, oldest first; ProgramTitles name those programs.
	Events        []*domain.MembershipEvent
	ProgramTitles map[string]domain.Text
	// FollowUp says whether the viewer may see the project's follow-up;
	// when not, the lists below are empty.
	FollowUp   bool
	Baselines  []*domain.Baseline
	Milestones []*domain.Milestone
	Reports    []ReportStep
	Ratings    []*domain.Rating
	Decisions  []*domain.Decision
	Actions    []*domain.Action
}

// maxTimelineRows bounds each kind of record a timeline reads: far above
// what a project accumulates in a term.
const maxTimelineRows = 2000

// ProjectTimelineOf reads a project's timeline records; a project the
// viewer may not see is not found.
func (t *Tx) ProjectTimelineOf(slug string, v domain.Viewer, day domain.Date) (*TimelineRecords, error) {
	p, err := t.Project(slug, v)
	if err != nil {
		return nil, err
	}
	out := &TimelineRecords{Project: p, ProgramTitles: map[string]domain.Text{}}
	if out.Events, err = t.eventList("SELECT "+eventCols+eventFrom+" WHERE p.slug = ? AND "+programVisible(v)+" ORDER BY e.id", slug); err != nil {
		return nil, err
	}
	var programs []string
	for _, e := range out.Events {
		programs = append(programs, e.Program)
	}
	if len(programs) > 0 {
		if out.ProgramTitles, err = t.textsByKey("programs", "slug", "title", programs); err != nil {
			return nil, err
		}
	}
	entry := domain.ProjectEntry{Slug: p.Slug, Confidentiality: p.Confidentiality}
	for _, a := range p.Agencies {
		entry.Agencies = append(entry.Agencies, a.Agency)
	}
	if out.FollowUp = v.SeesFollowUp(&entry); !out.FollowUp {
		return out, nil
	}
	if out.Baselines, err = t.Baselines(slug); err != nil {
		return nil, err
	}
	if out.Milestones, err = t.Milestones(slug); err != nil {
		return nil, err
	}
	if out.Reports, err = t.reportSteps(slug); err != nil {
		return nil, err
	}
	if out.Ratings, err = t.Ratings(slug); err != nil {
		return nil, err
	}
	if out.Decisions, err = t.DecisionsAbout(slug, v, domain.Page{Limit: maxTimelineRows}); err != nil {
		return nil, err
	}
	if !v.All && !v.Staff && v.Agency == "" {
		out.Actions, _, err = t.PublicActions(PublicActionFilter{Project: slug}, day, 0, maxTimelineRows)
	} else {
		var pg actionPage
		pg, err = t.actionList(`EXISTS (SELECT 1 FROM action_projects fp JOIN projects fpp ON fpp.id = fp.project_id
			WHERE fp.action_id = a.id AND fpp.slug = ?) ORDER BY a.id LIMIT `+strconv.Itoa(maxTimelineRows), []any{slug}, v, true)
		out.Actions = pg.visible
	}
	return out, err
}

// reportSteps lists the acceptances and returns of a project's reports,
// oldest first.
func (t *Tx) reportSteps(slug string) ([]ReportStep, error) {
	return orEmpty(list(t, func(sc scanner) (ReportStep, error) {
		var s ReportStep
		var period, at string
		err := sc.Scan(&s.Report, &period, &s.Agency, &s.Type, &at)
		s.Period, s.At = domain.Period(period), parseStamp(at)
		return s, err
	}, `SELECT r.id, r.period, a.code, e.type, e.at FROM report_events e JOIN reports r ON r.id = e.report_id
		JOIN agencies a ON a.id = r.agency_id JOIN projects p ON p.id = r.project_id
		WHERE p.slug = ? AND e.type IN ('accepted', 'returned') ORDER BY e.id LIMIT `+strconv.Itoa(maxTimelineRows), slug))
}

// ---- open data: follow-up records of public projects ----

// PublicHead is a public project as the open data's follow-up files name
// it.
type PublicHead struct {
	Slug      string
	Title     domain.Text
	Lifecycle domain.Lifecycle
	Lead      string // the lead agency's code; "" when not recorded
}

// PublicHeads lists the public projects by slug.
func (t *Tx) PublicHeads() ([]PublicHead, error) {
	return orEmpty(list(t, func(sc scanner) (PublicHead, error) {
		var h PublicHead
		err := sc.Scan(&h.Slug, &h.Title.FA, &h.Title.EN, &h.Lifecycle, &h.Lead)
		return h, err
	}, `SELECT p.slug, p.title_fa, p.title_en, p.status, COALESCE((SELECT g.code FROM project_agencies la
		JOIN agencies g ON g.id = la.agency_id WHERE la.project_id = p.id AND la.role = 'lead' ORDER BY la.seq LIMIT 1), '')
		FROM projects p WHERE p.confidentiality = 'public' ORDER BY p.slug`))
}

// PublicBaselines lists the baselines of the public projects, by project
// and number.
func (t *Tx) PublicBaselines() ([]*domain.Baseline, error) {
	return orEmpty(list(t, scanBaseline, `SELECT p.slug, b.number, b.planned_start, b.planned_end, b.planned_cost, b.currency,
		b.reporting, b.approved_by_fa, b.approved_by_en, b.approved_on, b.reference, b.reason_fa, b.reason_en, b.recorded_at, b.recorded_by
		FROM baselines b JOIN projects p ON p.id = b.project_id WHERE p.confidentiality = 'public' ORDER BY p.slug, b.number`))
}

// AcceptedReport is an accepted progress report as the open data lists it.
type AcceptedReport struct {
	ID            int64
	Project       string
	Agency        string
	Period        domain.Period
	Accepted      time.Time // when the secretariat accepted it
	ProjectedEnd  *domain.Date
	ProjectedCost *int64
	ActualCost    *int64
	Narrative     domain.Text
}

// PublicAcceptedReports lists the accepted reports on public projects, by
// project, period and acceptance.
func (t *Tx) PublicAcceptedReports() ([]AcceptedReport, error) {
	return orEmpty(list(t, func(sc scanner) (AcceptedReport, error) {
		var (
			r           AcceptedReport
			period, at  string
			end         sql.NullString
			pcost, cost sql.NullInt64
		)
		err := sc.Scan(&r.ID, &r.Project, &r.Agency, &period, &at, &end, &pcost, &cost, &r.Narrative.FA, &r.Narrative.EN)
		r.Period, r.Accepted, r.ProjectedEnd = domain.Period(period), parseStamp(at), scanDate(end)
		if pcost.Valid {
			r.ProjectedCost = &pcost.Int64
		}
		if cost.Valid {
			r.ActualCost = &cost.Int64
		}
		return r, err
	}, `SELECT r.id, p.slug, a.code, r.period,
		COALESCE((SELECT MAX(e.at) FROM report_events e WHERE e.report_id = r.id AND e.type = 'accepted'), r.updated_at),
		r.projected_end, r.projected_cost, r.actual_cost, r.narrative_fa, r.narrative_en
		FROM reports r JOIN projects p ON p.id = r.project_id JOIN agencies a ON a.id = r.agency_id
		WHERE r.state = 'accepted' AND p.confidentiality = 'public' ORDER BY p.slug, r.period, r.accepted_seq, r.id`))
}

// PublicRatings lists the ratings of the public projects, by project and
// date.
func (t *Tx) PublicRatings() ([]*domain.Rating, error) {
	return orEmpty(list(t, scanRating, `SELECT g.id, p.slug, g.kind, g.score, COALESCE(a.code, ''), g.rated_on, g.comment_fa, g.comment_en,
		g.recorded_at, g.recorded_by FROM ratings g JOIN projects p ON p.id = g.project_id LEFT JOIN agencies a ON a.id = g.agency_id
		WHERE p.confidentiality = 'public' ORDER BY p.slug, g.rated_on, g.id`))
}

// PublicMilestones lists the milestones of the public projects, by project
// and planned date.
func (t *Tx) PublicMilestones() ([]*domain.Milestone, error) {
	return orEmpty(list(t, scanMilestone, `SELECT m.id, p.slug, m.title_fa, m.title_en, m.planned_on, m.weight, m.actual_on, m.percent,
		m.version, m.created_at, m.updated_at FROM milestones m JOIN projects p ON p.id = m.project_id
		WHERE p.confidentiality = 'public' ORDER BY p.slug, m.planned_on, m.id`))
}
