package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Progress reports: an agency's focal point writes a draft for one of its
// projects and one month, edits it, adds links or files as evidence and
// submits it; the secretariat accepts it (only then does it count) or
// returns it with a comment, and the agency edits and resubmits. Until
// accepted a report is seen only by its agency and the secretariat: anyone
// else asking for it — another agency included — is told it is not found.

// reportPeriods is how many months back the period choice offers.
const reportPeriods = 24

// maxRiskRows is how many risk rows the form offers beyond those recorded.
const maxRiskRows = 3

type reportsView struct {
	Reports []reportRow
	State   string
	States  []domain.ReportState
	Writer  bool // an agency: may write reports
	Agency  string
}

type reportRow struct {
	*domain.Report
	Title domain.Text
}

// reportsPage lists the reports the person may see: the secretariat's
// review queue (submitted reports) first, an agency its own.
func (s *Site) reportsPage(q *req) error {
	state := q.URL.Query().Get("state")
	if !q.URL.Query().Has("state") && q.isSecretariat() {
		state = string(domain.ReportSubmitted) // the review queue
	}
	if state != "" && !slices.Contains(domain.ReportStates, domain.ReportState(state)) {
		return badRequest("وضعیت نامعتبر است", "unknown state")
	}
	f := domain.ReportFilter{State: domain.ReportState(state)}
	if q.isAgency() {
		f.Agency = q.who.Agency
	}
	v := reportsView{State: state, States: domain.ReportStates, Writer: q.isAgency(), Agency: q.who.Agency}
	look := s.lookups(q)
	reports := func(p domain.Page) ([]*domain.Report, error) { return s.svc.Reports(q.Context(), q.actor, f, p) }
	for r, err := range domain.Walk(reports, reportKey) {
		if err != nil {
			return err
		}
		row := reportRow{Report: r, Title: domain.T(r.Project, r.Project)}
		if lv := look.project(r.Project); lv != nil {
			row.Title = lv.Title
		}
		v.Reports = append(v.Reports, row)
	}
	if err := look.err; err != nil {
		return err
	}
	slices.SortStableFunc(v.Reports, func(a, b reportRow) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return s.renderStaff(q, http.StatusOK, "staff/reports", q.lang.T("reports.title"), "reports", v)
}

type reportView struct {
	R          *domain.Report
	Title      domain.Text
	AgencyName domain.Text
	Milestones map[int64]*domain.Milestone
	KPIs       map[int64]*domain.KPI
	Owner      bool // the person's agency wrote it
	Editable   bool
	Reviewer   bool // the secretariat, and the report awaits review
	Done       string
	Error      *formError
	Comment    domain.Text
	Evidence   evidenceForm
	MaxMiB     string              // the evidence file limit, in MiB
	Returned   *domain.ReviewEvent // a returned report's last return: its comment leads the page
	// Divergences: milestones it marks done that the exchange does not
	// evidence (service.ReportDivergences, issue 15).
	Divergences []service.Divergence
}

type evidenceForm struct {
	URL   string
	Title domain.Text
	Error *formError
}

func (s *Site) reportPage(q *req) error { return s.reportRender(q, http.StatusOK, nil) }

func (s *Site) reportRender(q *req, status int, fill func(*reportView)) error {
	ctx := q.Context()
	id, err := reportID(q)
	if err != nil {
		return err
	}
	r, err := s.svc.Report(ctx, q.actor, id)
	if err != nil {
		return err
	}
	v := reportView{R: r, Title: domain.T(r.Project, r.Project), Milestones: map[int64]*domain.Milestone{}, KPIs: map[int64]*domain.KPI{}}
	look := s.lookups(q)
	if lv := look.project(r.Project); lv != nil {
		v.Title = lv.Title
	}
	v.AgencyName = look.agency(r.Agency)
	v.Returned = lastReturn(r)
	if err := look.err; err != nil {
		return err
	}
	ms, err := s.svc.Milestones(ctx, q.actor, r.Project)
	if err != nil {
		return err
	}
	for _, m := range ms {
		v.Milestones[m.ID] = m
	}
	ks, err := s.svc.KPIs(ctx, q.actor, r.Project)
	if err != nil {
		return err
	}
	for _, k := range ks {
		v.KPIs[k.ID] = k
	}
	if v.Divergences, err = s.svc.ReportDivergences(ctx, q.actor, id); err != nil {
		return err
	}
	v.Owner = q.isAgency() && q.who.Agency == r.Agency
	v.Editable = v.Owner && r.State.Editable()
	v.Reviewer = q.isSecretariat() && r.State == domain.ReportSubmitted
	v.MaxMiB = strconv.FormatFloat(float64(s.svc.EvidenceLimit())/(1<<20), 'f', -1, 64)
	switch d := q.URL.Query().Get("done"); d {
	case "created", "saved", "submitted", "accepted", "returned", "evidence":
		v.Done = d
	}
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/report", q.lang.T("report.title", q.lang.Text(v.Title), q.lang.period(r.Period)), "reports", v)
}

// reportAct submits (the agency), accepts or returns (the secretariat) a
// report; the form carries the version it was rendered from.
func (s *Site) reportAct(act string) pageFunc {
	return func(q *req) error {
		if err := parseForm(q); err != nil {
			return err
		}
		id, err := reportID(q)
		if err != nil {
			return err
		}
		comment := formText(q, "comment")
		ctx, v := q.Context(), version(q)
		switch act {
		case "submit":
			_, err = s.svc.SubmitReport(ctx, q.actor, id, v)
		case "accept":
			_, err = s.svc.AcceptReport(ctx, q.actor, id, v, comment)
		case "return":
			_, err = s.svc.ReturnReport(ctx, q.actor, id, v, comment)
		}
		if err != nil {
			status, fe, fatal := s.refusal(q, err)
			if fatal != nil {
				return fatal
			}
			return s.reportRender(q, status, func(rv *reportView) { rv.Error, rv.Comment = fe, comment })
		}
		done := map[string]string{"submit": "submitted", "accept": "accepted", "return": "returned"}[act]
		return redirect(q, "/staff/reports/"+itoa(id)+"?done="+done)
	}
}
