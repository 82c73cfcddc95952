package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// A project's follow-up plan, kept from its staff page by the secretariat:
// the approved baseline (re-baselining records a new one, with a reason,
// and keeps the old), the milestones and the indicators. Each form posts
// to the same service acts the API uses (CreateBaseline, CreateMilestone,
// CreateKPI); a refusal shows the page again with the form as posted and
// the message naming the field, and nothing is written. A milestone is
// marked done only by an accepted progress report (service.CreateMilestone
// refuses an actual date), so the page offers no way to mark one done.

// baselineForm is the baseline approval form.
type baselineForm struct {
	Start, End, Cost, Approved string
	Reporting                  string
	Reportings                 []domain.Frequency
	ApprovedBy                 domain.Text
	Reference                  string
	Reason                     domain.Text
	Current                    int // the current baseline's number; 0: none, so no reason is asked
	Action                     string
	Error                      *formError
}

// milestoneForm adds a milestone.
type milestoneForm struct {
	Title   domain.Text
	Planned string
	Weight  string
	Action  string
	Error   *formError
}

// kpiForm adds an indicator.
type kpiForm struct {
	Name        domain.Text
	Unit        string
	Target      string
	Direction   string
	Directions  []domain.Direction
	Frequency   string
	Frequencies []domain.Frequency
	Action      string
	Error       *formError
}

// planForms are the plan's forms, for the secretariat.
type planForms struct {
	Baseline  *baselineForm
	Milestone *milestoneForm
	KPI       *kpiForm
}

// milestoneRow is a milestone as the page lists it.
type milestoneRow struct {
	*domain.Milestone
	Overdue bool // planned date passed, not done (as the health tally counts)
}

// kpiRow is an indicator as the page lists it. (A template's "if" on the
// record's *bool Met would test the pointer, not the value.)
type kpiRow struct {
	*domain.KPI
	Met   bool // the latest accepted value meets the target
	Known bool // there is an accepted value
}

// baselineReportings are the reporting frequencies a baseline may set.
var baselineReportings = []domain.Frequency{domain.Monthly, domain.Quarterly}

// newPlanForms lays out empty forms.
func newPlanForms() *planForms {
	return &planForms{
		Baseline:  &baselineForm{Reporting: string(domain.Monthly)},
		Milestone: &milestoneForm{},
		KPI:       &kpiForm{Direction: string(domain.Up), Frequency: string(domain.Monthly)},
	}
}

// finish sets what the forms show whatever was posted: the choices and the
// actions. The baseline form's action carries the current baseline's
// number, so re-baselining from a stale page is refused.
func (f *planForms) finish(slug string, current int) {
	base := "/staff/projects/" + url.PathEscape(slug)
	f.Baseline.Current = current
	f.Baseline.Reportings = baselineReportings
	f.Baseline.Action = base + "/baselines?v=" + strconv.Itoa(current)
	f.Milestone.Action = base + "/milestones"
	f.KPI.Directions, f.KPI.Frequencies = domain.Directions, domain.Frequencies
	f.KPI.Action = base + "/kpis"
}

// planPost runs one of the plan's acts for the secretariat: act reads the
// form into the posted forms and writes; on a refusal the page is shown
// again with the form as posted.
func (s *Site) planPost(q *req, done string, act func(slug string, f *planForms) error) error {
	if err := parseForm(q); err != nil {
		return err
	}
	slug := q.PathValue("slug")
	if _, err := s.svc.Project(q.Context(), q.actor, slug); err != nil {
		return err // a project the person may not see is not found
	}
	if !q.isSecretariat() {
		return forbidden()
	}
	f := newPlanForms()
	if err := act(slug, f); err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		switch done {
		case "baseline":
			f.Baseline.Error = fe
		case "milestone":
			f.Milestone.Error = fe
		case "kpi":
			f.KPI.Error = fe
		}
		return s.staffProjectPage(q, status, func(v *staffProjectView) { v.Plan = f })
	}
	anchor := map[string]string{"baseline": "#baselines", "milestone": "#sp-milestones", "kpi": "#sp-kpis"}[done]
	return redirect(q, "/staff/projects/"+url.PathEscape(slug)+"?done="+done+anchor)
}

// baselinePost records an approved baseline (service.CreateBaseline). The
// form's action names the baseline current when the page was rendered; a
// baseline recorded since makes the page stale, and the act is refused.
func (s *Site) baselinePost(q *req) error {
	return s.planPost(q, "baseline", func(slug string, f *planForms) error {
		bf := f.Baseline
		bf.Start = strings.TrimSpace(q.PostFormValue("start"))
		bf.End = strings.TrimSpace(q.PostFormValue("end"))
		bf.Cost = strings.TrimSpace(q.PostFormValue("cost"))
		bf.Approved = strings.TrimSpace(q.PostFormValue("approved"))
		bf.Reporting = q.PostFormValue("reporting")
		bf.ApprovedBy = formText(q, "approved_by")
		bf.Reference = strings.TrimSpace(q.PostFormValue("reference"))
		bf.Reason = formText(q, "reason")
		b := &domain.Baseline{Project: slug, Reporting: domain.Frequency(bf.Reporting), ApprovedBy: bf.ApprovedBy,
			Reference: bf.Reference, Reason: bf.Reason, Supersedes: int(min(version(q), 1<<30))}
		var errs []error
		var err error
		b.Start, err = formDate(q, "start")
		errs = append(errs, err)
		b.End, err = formDate(q, "end")
		errs = append(errs, err)
		cost, err := formInt(q, "cost")
		errs = append(errs, err)
		if cost != nil {
			b.Cost = *cost
		}
		b.Approved, err = formDate(q, "approved")
		errs = append(errs, err)
		for _, e := range errs {
			if e != nil {
				return e
			}
		}
		err = s.svc.CreateBaseline(q.Context(), q.actor, b)
		if e, ok := domain.AsError(err); ok && e.Kind == domain.KindInvalid && e.Field == "supersedes" {
			// The form never asks for the number it supersedes: it is the
			// page's, so a wrong one means the page is stale (a baseline
			// was recorded, by someone else, since it was shown).
			return domain.Stale("baseline")
		}
		return err
	})
}

// milestonePost adds a milestone (service.CreateMilestone).
func (s *Site) milestonePost(q *req) error {
	return s.planPost(q, "milestone", func(slug string, f *planForms) error {
		mf := f.Milestone
		mf.Title = formText(q, "title")
		mf.Planned = strings.TrimSpace(q.PostFormValue("planned"))
		mf.Weight = strings.TrimSpace(q.PostFormValue("weight"))
		m := &domain.Milestone{Project: slug, Title: mf.Title}
		var err error
		if m.Planned, err = formDate(q, "planned"); err != nil {
			return err
		}
		w, err := formInt(q, "weight")
		if err != nil {
			return err
		}
		if w != nil {
			if *w < 1 || *w > 1000 {
				return domain.Invalid("weight", "وزن باید بین ۱ و ۱۰۰۰ باشد", "weight must be between 1 and 1000")
			}
			m.Weight = int(*w)
		}
		return s.svc.CreateMilestone(q.Context(), q.actor, m)
	})
}

// kpiPost adds an indicator (service.CreateKPI).
func (s *Site) kpiPost(q *req) error {
	return s.planPost(q, "kpi", func(slug string, f *planForms) error {
		kf := f.KPI
		kf.Name = formText(q, "name")
		kf.Unit = strings.TrimSpace(q.PostFormValue("unit"))
		kf.Target = strings.TrimSpace(q.PostFormValue("target"))
		kf.Direction = q.PostFormValue("direction")
		kf.Frequency = q.PostFormValue("frequency")
		k := &domain.KPI{Project: slug, Name: kf.Name, Unit: kf.Unit, Direction: domain.Direction(kf.Direction),
			Frequency: domain.Frequency(kf.Frequency)}
		if kf.Target == "" {
			return domain.Invalid("target", "هدف لازم است", "the target is required")
		}
		t, err := formFloat(kf.Target)
		if err != nil {
			return domain.Invalid("target", "هدف را به عدد بنویسید", "write the target as a number")
		}
		k.Target = t
		return s.svc.CreateKPI(q.Context(), q.actor, k)
	})
}

// formFloat reads a decimal number typed with any digits, with "." or the
// Persian "٫" as the decimal point and any thousands separators.
func formFloat(s string) (float64, error) {
	s = strings.NewReplacer("٫", ".", ",", "", "٬", "", " ", "").Replace(digitsASCII(strings.TrimSpace(s)))
	return strconv.ParseFloat(s, 64)
}
