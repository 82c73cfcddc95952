package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
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
	f := store.ReportFilter{State: domain.ReportState(state)}
	if q.isAgency() {
		f.Agency = q.who.Agency
	}
	v := reportsView{State: state, States: domain.ReportStates, Writer: q.isAgency(), Agency: q.who.Agency}
	look := s.lookups(q)
	for after := ""; ; {
		page, err := s.svc.Reports(q.Context(), q.actor, f, store.Page{After: after, Limit: 1000})
		if err != nil {
			return err
		}
		for _, r := range page {
			row := reportRow{Report: r, Title: domain.T(r.Project, r.Project)}
			if lv := look.project(r.Project); lv != nil {
				row.Title = lv.Title
			}
			v.Reports = append(v.Reports, row)
		}
		if len(page) < 1000 {
			break
		}
		after = itoa(page[len(page)-1].ID)
	}
	if err := look.err; err != nil {
		return err
	}
	slices.SortStableFunc(v.Reports, func(a, b reportRow) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return s.renderStaff(q, http.StatusOK, "staff/reports", q.lang.T("reports.title"), "reports", v)
}

// ---- the report form ----

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
}

// periodChoices offers the months from this one back, labelled in the
// page's calendar.
func (s *Site) periodChoices(q *req) []periodChoice {
	now := domain.PeriodOf(domain.DateOf(s.opt.Now()))
	out := make([]periodChoice, 0, reportPeriods)
	for i := range reportPeriods {
		out = append(out, s.periodChoice(q, now.Add(-i)))
	}
	return out
}

func (s *Site) periodChoice(q *req, p domain.Period) periodChoice {
	label := string(p)
	if q.lang == FA {
		label = persianDigits(string(p)) + " (" + q.lang.T("period.jalali", q.lang.Date(p.Start()), q.lang.Date(p.End())) + ")"
	}
	return periodChoice{Period: p, Label: label}
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
		for after := ""; ; {
			ps, err := s.svc.Projects(q.Context(), q.actor, store.ProjectFilter{Agency: q.who.Agency}, store.Page{After: after, Limit: 1000})
			if err != nil {
				return err
			}
			for _, p := range ps {
				f.Choices = append(f.Choices, projectChoice{Slug: p.Slug, Title: p.Title})
			}
			if len(ps) < 1000 {
				break
			}
			after = ps[len(ps)-1].Slug
		}
		return s.renderReportForm(q, http.StatusOK, q.lang.T("reports.new"), f)
	}
	f, err := s.reportFields(q, project, nil)
	if err != nil {
		return err
	}
	f.Period = q.URL.Query().Get("period")
	if f.Period == "" {
		f.Period = string(domain.PeriodOf(domain.DateOf(s.opt.Now())).Add(-1))
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

// ---- one report ----

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
	MaxMiB     string // the evidence file limit, in MiB
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

// evidencePost adds evidence (service.AddEvidence): a link, or a file sent
// with the form as multipart/form-data. A file is read whole within the
// evidence limit; the service checks its type against what its content
// is. A refusal (too large, a type not accepted, content that is not what
// it claims) comes back as the form, naming the file field, and nothing
// is written.
func (s *Site) evidencePost(q *req) error {
	if !q.isAgency() {
		return forbidden() // before a file is read
	}
	id, err := reportID(q)
	if err != nil {
		return err
	}
	var f evidenceForm
	var up service.EvidenceUpload
	status := 0
	if mt, _, _ := mime.ParseMediaType(q.Header.Get("Content-Type")); mt == "multipart/form-data" {
		status, err = s.readEvidenceFile(q, &up)
		if q.MultipartForm != nil {
			defer q.MultipartForm.RemoveAll()
		}
	} else {
		err = parseForm(q)
		if err != nil {
			return err
		}
	}
	f.URL, f.Title = strings.TrimSpace(q.PostFormValue("url")), formText(q, "title")
	up.URL, up.Title = f.URL, f.Title
	switch {
	case err != nil:
	case f.URL == "" && up.Content == nil:
		err = domain.Invalid("url", "پیوندی بنویسید یا پرونده‌ای برگزینید", "give a link or choose a file")
	default:
		_, err = s.svc.AddEvidence(q.Context(), q.actor, id, version(q), up)
		if e, ok := domain.AsError(err); ok && up.Content != nil && (e.Field == "content_type" || e.Field == "name") {
			// The form's file input is where the type and the name came from.
			e2 := *e
			e2.Field = "file"
			err = &e2
		}
	}
	if err != nil {
		st, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		if status == 0 {
			status = st
		}
		f.Error = fe
		return s.reportRender(q, status, func(rv *reportView) {
			rv.Evidence = f
			if !rv.Editable {
				rv.Error = fe // no form to show it on (the report was submitted meanwhile)
			}
		})
	}
	return redirect(q, "/staff/reports/"+itoa(id)+"?done=evidence#evidence")
}

// readEvidenceFile reads a multipart evidence form: its text inputs into
// the request's form, its "file" input (if a file was chosen) into up. The
// body is bounded by the evidence limit and a form's size; a file over the
// limit is refused with 413 before it reaches the service.
func (s *Site) readEvidenceFile(q *req, up *service.EvidenceUpload) (int, error) {
	limit := s.svc.EvidenceLimit()
	tooLarge := func() (int, error) {
		mib := strconv.FormatFloat(float64(limit)/(1<<20), 'f', -1, 64)
		return http.StatusRequestEntityTooLarge, domain.Invalid("file",
			"پرونده از سقف مجاز مدرک ("+persianDigits(mib)+" مگابایت) بزرگ‌تر است؛ پرونده کوچک‌تری برگزینید",
			"the file is larger than the evidence limit of "+mib+" MiB; choose a smaller file")
	}
	q.Body = http.MaxBytesReader(q.w, q.Body, limit+maxForm)
	if err := q.ParseMultipartForm(maxForm); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return 0, badRequest("فرم خوانا نیست", "the form cannot be read")
	}
	fhs := q.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return 0, nil
	}
	if len(fhs) > 1 {
		return 0, domain.Invalid("file", "در هر بار یک پرونده بفرستید", "send one file at a time")
	}
	fh := fhs[0]
	if fh.Size > limit {
		return tooLarge()
	}
	file, err := fh.Open()
	if err != nil {
		return 0, err
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return 0, err
	}
	if int64(len(b)) > limit {
		return tooLarge()
	}
	up.Name, up.Declared, up.Content = fh.Filename, fh.Header.Get("Content-Type"), b
	return 0, nil
}

// evidenceFile serves an evidence file of a report the person may see, as
// a download: its recorded type, never sniffed, never shown in the page.
func (s *Site) evidenceFile(q *req) error {
	id, err := reportID(q)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(q.PathValue("n"))
	if err != nil || n <= 0 {
		return notFound()
	}
	e, content, err := s.svc.Evidence(q.Context(), q.actor, id, n)
	if err != nil {
		return err
	}
	if e.Kind != domain.EvidenceFile {
		return notFound()
	}
	h := q.w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	q.w.WriteHeader(http.StatusOK)
	if q.Method == http.MethodHead {
		return nil
	}
	_, err = q.w.Write(content)
	return err
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
