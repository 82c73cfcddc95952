package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

type periodChoice struct {
	Period domain.Period
	Label  string
}

type msField struct {
	ID      int64
	Title   domain.Text
	Planned *domain.Date
	Percent string
	Done    string
}

type kpiField struct {
	ID     int64
	Name   domain.Text
	Unit   string
	Target float64
	Value  string
}

type riskField struct {
	N        int
	Text     domain.Text
	Severity string
}

type reportForm struct {
	ID            int64
	Project       string
	ProjectTitle  domain.Text
	Period        string
	Periods       []periodChoice
	Narrative     domain.Text
	ProjectedEnd  string
	ProjectedCost string
	ActualCost    string
	Milestones    []msField
	KPIs          []kpiField
	Risks         []riskField
	Levels        []domain.RiskLevel
	Action        string
	Error         *formError
	Choices       []projectChoice // step one: the agency's projects, when no project is chosen yet
	PreviousURL   string          // the form again, filled from the previous period's report (inbox_report.go)
	StartedFrom   domain.Period   // the period of the report the form was filled from
}

// periodChoices offers the months from this one back, labelled in the
// page's calendar.
func (s *Site) periodChoices(q *req) []periodChoice {
	now := domain.PeriodAt(s.opt.Now())
	out := make([]periodChoice, 0, reportPeriods)
	for i := range reportPeriods {
		out = append(out, s.periodChoice(q, now.Add(-i)))
	}
	return out
}

func (s *Site) periodChoice(q *req, p domain.Period) periodChoice {
	return periodChoice{Period: p, Label: q.lang.period(p)}
}

// reportFields lays out a report (nil: a new one) for project as the form
// shows it.
func (s *Site) reportFields(q *req, project string, r *domain.Report) (*reportForm, error) {
	ctx := q.Context()
	pv, err := s.svc.Project(ctx, q.actor, project)
	if err != nil {
		return nil, err
	}
	if !pv.HasAgency(q.who.Agency) {
		// Only an agency on the project reports on it.
		return nil, forbidden()
	}
	f := &reportForm{Project: project, ProjectTitle: pv.Title, Periods: s.periodChoices(q), Levels: domain.RiskLevels}
	ms, err := s.svc.Milestones(ctx, q.actor, project)
	if err != nil {
		return nil, err
	}
	ks, err := s.svc.KPIs(ctx, q.actor, project)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = &domain.Report{}
	}
	f.ID, f.Period, f.Narrative = r.ID, string(r.Period), r.Narrative
	if r.ProjectedEnd != nil {
		f.ProjectedEnd = r.ProjectedEnd.String()
	}
	if r.ProjectedCost != nil {
		f.ProjectedCost = strconv.FormatInt(*r.ProjectedCost, 10)
	}
	if r.ActualCost != nil {
		f.ActualCost = strconv.FormatInt(*r.ActualCost, 10)
	}
	for _, m := range ms {
		fm := msField{ID: m.ID, Title: m.Title, Planned: m.Planned}
		for _, x := range r.Milestones {
			if x.Milestone == m.ID {
				fm.Percent = strconv.Itoa(x.Percent)
				if x.Done != nil {
					fm.Done = x.Done.String()
				}
			}
		}
		f.Milestones = append(f.Milestones, fm)
	}
	for _, k := range ks {
		fk := kpiField{ID: k.ID, Name: k.Name, Unit: k.Unit, Target: k.Target}
		for _, x := range r.KPIs {
			if x.KPI == k.ID {
				fk.Value = strconv.FormatFloat(x.Value, 'f', -1, 64)
			}
		}
		f.KPIs = append(f.KPIs, fk)
	}
	for i, rk := range r.Risks {
		f.Risks = append(f.Risks, riskField{N: i + 1, Text: rk.Text, Severity: string(rk.Severity)})
	}
	for len(f.Risks) < len(r.Risks)+maxRiskRows {
		f.Risks = append(f.Risks, riskField{N: len(f.Risks) + 1, Severity: string(domain.RiskMedium)})
	}
	return f, nil
}

// readReport reads the form into f (as posted, to show again) and r.
func readReport(q *req, f *reportForm, r *domain.Report) error {
	f.Period = q.PostFormValue("period")
	f.Narrative = formText(q, "narrative")
	f.ProjectedEnd = strings.TrimSpace(q.PostFormValue("projected_end"))
	f.ProjectedCost = strings.TrimSpace(q.PostFormValue("projected_cost"))
	f.ActualCost = strings.TrimSpace(q.PostFormValue("actual_cost"))
	r.Project, r.Period, r.Narrative = f.Project, domain.Period(f.Period), f.Narrative
	var errs []error
	var err error
	r.ProjectedEnd, err = formDate(q, "projected_end")
	errs = append(errs, err)
	r.ProjectedCost, err = formInt(q, "projected_cost")
	errs = append(errs, err)
	r.ActualCost, err = formInt(q, "actual_cost")
	errs = append(errs, err)
	r.Milestones, r.KPIs, r.Risks = []domain.MilestoneProgress{}, []domain.KPIValue{}, []domain.Risk{}
	for i := range f.Milestones {
		m := &f.Milestones[i]
		id := strconv.FormatInt(m.ID, 10)
		m.Percent = strings.TrimSpace(q.PostFormValue("ms." + id))
		m.Done = strings.TrimSpace(q.PostFormValue("msdone." + id))
		if m.Percent == "" && m.Done == "" {
			continue
		}
		mp := domain.MilestoneProgress{Milestone: m.ID}
		if m.Percent != "" {
			n, err := atoi(m.Percent)
			if err != nil {
				errs = append(errs, domain.Invalid("ms."+id, "درصد پیشرفت را به عدد بنویسید", "write the percent complete as a number"))
			}
			mp.Percent = n
		}
		d, err := formDate(q, "msdone."+id)
		errs = append(errs, err)
		if d != nil && m.Percent == "" {
			mp.Percent = 100
		}
		mp.Done = d
		r.Milestones = append(r.Milestones, mp)
	}
	for i := range f.KPIs {
		k := &f.KPIs[i]
		id := strconv.FormatInt(k.ID, 10)
		k.Value = strings.TrimSpace(q.PostFormValue("kpi." + id))
		if k.Value == "" {
			continue
		}
		v, err := strconv.ParseFloat(strings.NewReplacer("٫", ".", ",", "", "٬", "").Replace(digitsASCII(k.Value)), 64)
		if err != nil {
			errs = append(errs, domain.Invalid("kpi."+id, "مقدار شاخص را به عدد بنویسید", "write the indicator's value as a number"))
		}
		r.KPIs = append(r.KPIs, domain.KPIValue{KPI: k.ID, Value: v})
	}
	for i := range f.Risks {
		rk := &f.Risks[i]
		n := strconv.Itoa(rk.N)
		rk.Text, rk.Severity = formText(q, "risk."+n), q.PostFormValue("risksev."+n)
		if rk.Text.IsZero() {
			continue
		}
		r.Risks = append(r.Risks, domain.Risk{Text: rk.Text, Severity: domain.RiskLevel(rk.Severity)})
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// reportNew is the form for a new report: first the project (one of the
// agency's), then the report itself.
func (s *Site) reportNew(q *req) error {
	if !q.isAgency() {
		return forbidden()
	}
	project := q.URL.Query().Get("project")
	if project == "" {
		f := &reportForm{Action: "/staff/reports/new"}
		for p, err := range s.allProjects(q.Context(), q.actor, domain.ProjectFilter{Agency: q.who.Agency}) {
			if err != nil {
				return err
			}
			f.Choices = append(f.Choices, projectChoice{Slug: p.Slug, Title: p.Title})
		}
		return s.renderReportForm(q, http.StatusOK, q.lang.T("reports.new"), f)
	}
	f, err := s.reportFields(q, project, nil)
	if err != nil {
		return err
	}
	f.Period = q.URL.Query().Get("period")
	if f.Period == "" {
		p, err := s.nextReportPeriod(q, project)
		if err != nil {
			return err
		}
		f.Period = string(p)
	}

	if f, err = s.startFromPrevious(q, project, f); err != nil {
		return err
	}
	f.Action = "/staff/reports?" + url.Values{"project": {project}}.Encode()
	return s.renderReportForm(q, http.StatusOK, q.lang.T("reports.new"), f)
}

// reportCreate records the draft (service.CreateReport).
func (s *Site) reportCreate(q *req) error {
	if !q.isAgency() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	project := q.URL.Query().Get("project")
	f, err := s.reportFields(q, project, nil)
	if err != nil {
		return err
	}
	f.Action = "/staff/reports?" + url.Values{"project": {project}}.Encode()
	r := &domain.Report{}
	if err = readReport(q, f, r); err == nil {
		err = s.svc.CreateReport(q.Context(), q.actor, r)
	}
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.renderReportForm(q, status, q.lang.T("reports.new"), f)
	}
	return redirect(q, "/staff/reports/"+itoa(r.ID)+"?done=created")
}

// reportID reads the report's id from the path.
func reportID(q *req) (int64, error) {
	id, err := strconv.ParseInt(q.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound()
	}
	return id, nil
}

// reportEdit is the form for a draft or returned report of the person's
// agency.
func (s *Site) reportEdit(q *req) error {
	id, err := reportID(q)
	if err != nil {
		return err
	}
	r, err := s.svc.Report(q.Context(), q.actor, id)
	if err != nil {
		return err
	}
	if !q.isAgency() || r.Agency != q.who.Agency {
		return forbidden()
	}
	if !r.State.Editable() {
		return redirect(q, "/staff/reports/"+itoa(id))
	}
	f, err := s.reportFields(q, r.Project, r)
	if err != nil {
		return err
	}
	f.Action = "/staff/reports/" + itoa(id) + "?v=" + itoa(r.Version)
	return s.renderReportForm(q, http.StatusOK, q.lang.T("reports.edit"), f)
}

// reportUpdate saves the edited report (service.UpdateReport).
func (s *Site) reportUpdate(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	id, err := reportID(q)
	if err != nil {
		return err
	}
	old, err := s.svc.Report(q.Context(), q.actor, id)
	if err != nil {
		return err
	}
	if !q.isAgency() || old.Agency != q.who.Agency {
		return forbidden()
	}
	f, err := s.reportFields(q, old.Project, old)
	if err != nil {
		return err
	}
	f.Action = "/staff/reports/" + itoa(id) + "?v=" + strconv.FormatInt(version(q), 10)
	r := &domain.Report{ID: id, Agency: old.Agency}
	r.Version = version(q)
	if err = readReport(q, f, r); err == nil {
		err = s.svc.UpdateReport(q.Context(), q.actor, r)
	}
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.renderReportForm(q, status, q.lang.T("reports.edit"), f)
	}
	return redirect(q, "/staff/reports/"+itoa(id)+"?done=saved")
}

// renderReportForm renders the report form; a period further back than
// the choice reaches (an old report owed, or being edited) is offered too.
func (s *Site) renderReportForm(q *req, status int, title string, f *reportForm) error {
	if p, err := domain.ParsePeriod(f.Period); err == nil && f.Project != "" &&
		!slices.ContainsFunc(f.Periods, func(c periodChoice) bool { return c.Period == p }) {
		f.Periods = append(f.Periods, s.periodChoice(q, p))
	}
	return s.renderStaff(q, status, "staff/report_form", title, "reports", f)
}
