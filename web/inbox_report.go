package web

import (
	"net/url"

	"github.com/pishran/pishran/domain"
)

// lastReturn is a returned report's last return, whose comment the report
// page shows first; nil when the report is not returned.
func lastReturn(r *domain.Report) *domain.ReviewEvent {
	if r.State != domain.ReportReturned {
		return nil
	}
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].Type == domain.ReviewReturned {
			ev := r.Events[i]
			return &ev
		}
	}
	return nil
}

// previousReport is the agency's latest report on project for a period
// before period, which a new report may start from ("start from last
// period's report"); nil when there is none.
func (s *Site) previousReport(q *req, project string, period domain.Period) (*domain.Report, error) {
	var best *domain.Report
	reports := func(p domain.Page) ([]*domain.Report, error) {
		return s.svc.Reports(q.Context(), q.actor, domain.ReportFilter{Project: project, Agency: q.who.Agency}, p)
	}
	for r, err := range domain.Walk(reports, func(r *domain.Report) string { return itoa(r.ID) }) {
		if err != nil {
			return nil, err
		}
		if string(r.Period) < string(period) && (best == nil || string(r.Period) > string(best.Period)) {
			best = r
		}
	}
	return best, nil
}

// startFromPrevious offers a new report's form a start from the previous
// period's report: with ?from=previous it is filled from it (narrative,
// milestones, indicators, risks, projections), for the period chosen;
// otherwise it links to that.
func (s *Site) startFromPrevious(q *req, project string, f *reportForm) (*reportForm, error) {
	prev, err := s.previousReport(q, project, domain.Period(f.Period))
	if err != nil || prev == nil {
		return f, err
	}
	if q.URL.Query().Get("from") != "previous" {
		f.PreviousURL = "/staff/reports/new?" + url.Values{"project": {project}, "period": {f.Period}, "from": {"previous"}}.Encode()
		return f, nil
	}
	full, err := s.svc.Report(q.Context(), q.actor, prev.ID)
	if err != nil {
		return nil, err
	}
	nf, err := s.reportFields(q, project, full)
	if err != nil {
		return nil, err
	}
	nf.ID, nf.Period, nf.StartedFrom = 0, f.Period, prev.Period
	return nf, nil
}

// nextReportPeriod is the month a new report on project is most likely
// for: the one after the agency's latest report, up to this month; last
// month when the agency has not reported on it yet.
func (s *Site) nextReportPeriod(q *req, project string) (domain.Period, error) {
	now := domain.PeriodAt(s.opt.Now())
	latest, err := s.previousReport(q, project, domain.Period("9999-99"))
	if err != nil || latest == nil {
		return now.Add(-1), err
	}
	if next := latest.Period.Next(); string(next) < string(now) {
		return next, nil
	}
	return now, nil
}
