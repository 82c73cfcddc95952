package sheet

import (
	"fmt"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Figures is what a periodic figures workbook holds: one Figure per
// project and Jalali month. Figures of rows with issues are left out; read
// the Report first.
type Figures struct {
	Figures []Figure
}

// Figure is an agency's figures for one project and Jalali month: the
// makings of one progress report (a draft, once applied).
type Figure struct {
	Loc           // the reports sheet's row, or the first row naming this project and month
	Project       string
	Period        Month
	Narrative     domain.Text
	ProjectedEnd  *domain.Date
	ProjectedCost *int64
	ActualCost    *int64
	Milestones    []MilestoneFigure
	KPIs          []KPIFigure
	Risks         []RiskFigure
}

// MilestoneFigure is a milestone's progress, by the milestone's title: the
// integration finds its id, and reports an unknown title at Loc's
// "milestone" cell.
type MilestoneFigure struct {
	Loc
	Milestone string
	Percent   int
	Done      *domain.Date
}

// KPIFigure is an indicator's value, by the indicator's name ("kpi" cell).
type KPIFigure struct {
	Loc
	KPI   string
	Value float64
}

// RiskFigure is a reported risk.
type RiskFigure struct {
	Loc
	domain.Risk
}

// ReadFigures reads a periodic figures workbook. known.Projects must hold
// the projects the importing person may report on: a row naming another is
// an issue, so an agency can import only its own figures. Each figure is
// checked by domain.Report's Validate, its errors reported at the cell of
// the field at fault.
func ReadFigures(b *Book, known Known) (*Figures, *Report) {
	rep := &Report{}
	bs := match(b, FiguresSheets, rep)
	out := &Figures{}
	if len(bs) == 0 && rep.OK() {
		name := ""
		if len(b.Tables) > 0 {
			name = b.Tables[0].Name
		}
		rep.add(Issue{Sheet: name, Row: 1, Message: domain.T(
			"هیچ برگه‌ای از الگوی گزارش ماهانه (گزارش‌ها، پیشرفت نقاط عطف، مقادیر شاخص‌ها، ریسک‌ها) در این پرونده نیست",
			"the file has none of the figures template's sheets (reports, milestone progress, indicator values, risks)")})
		return out, rep
	}
	projects := newRefs(known.Projects)
	type group = figureGroup
	var order []*group
	groups := map[string]*group{}
	// key reads a row's project and month and finds its figure.
	key := func(r *row) *group {
		slug := r.ref("project", projects, domain.T("پروژه‌ای که گزارشش با شما باشد", "project you report on"))
		m, ok := r.month("period")
		if slug == "" || !ok {
			return nil
		}
		k := slug + "\x00" + m.String()
		g := groups[k]
		if g == nil {
			g = &group{f: &Figure{Loc: r.loc(), Project: slug, Period: m}}
			groups[k] = g
			order = append(order, g)
		}
		return g
	}
	if bd := bs["reports"]; bd != nil {
		bd.rows(rep, func(r *row) {
			narrative := domain.T(r.text("narrative_fa"), r.text("narrative_en"))
			end, pc, ac := r.date("projected_end"), r.integer("projected_cost"), r.integer("actual_cost")
			g := key(r)
			if g == nil {
				return
			}
			if g.report != nil {
				r.fail("period", domain.T(fmt.Sprintf("گزارش همین پروژه و ماه در سطر %s هم آمده است", jalali.PersianDigits(fmt.Sprint(g.report.n))),
					fmt.Sprintf("the same project and month are on row %d too", g.report.n)))
				g.bad = true
				return
			}
			g.report = r
			g.f.Loc = r.loc()
			g.f.Narrative, g.f.ProjectedEnd, g.f.ProjectedCost, g.f.ActualCost = narrative, end, pc, ac
		})
	}
	if bd := bs["milestones"]; bd != nil {
		bd.rows(rep, func(r *row) {
			name, pct, done := r.text("milestone"), r.percent("percent"), r.date("done")
			g := key(r)
			if g == nil {
				return
			}
			for i, m := range g.f.Milestones {
				if name != "" && Key(m.Milestone) == Key(name) {
					r.fail("milestone", domain.T(fmt.Sprintf("این نقطه عطف برای همین ماه در سطر %s هم آمده است", jalali.PersianDigits(fmt.Sprint(g.milestones[i].n))),
						fmt.Sprintf("this milestone is on row %d too, for the same month", g.milestones[i].n)))
					g.bad = true
				}
			}
			if name == "" || pct == nil || r.bad {
				g.bad = true
				return
			}
			g.f.Milestones = append(g.f.Milestones, MilestoneFigure{Loc: r.loc(), Milestone: name, Percent: *pct, Done: done})
			g.milestones = append(g.milestones, r)
		})
	}
	if bd := bs["kpis"]; bd != nil {
		bd.rows(rep, func(r *row) {
			name, v := r.text("kpi"), r.number("value")
			g := key(r)
			if g == nil {
				return
			}
			for i, k := range g.f.KPIs {
				if name != "" && Key(k.KPI) == Key(name) {
					r.fail("kpi", domain.T(fmt.Sprintf("این شاخص برای همین ماه در سطر %s هم آمده است", jalali.PersianDigits(fmt.Sprint(g.kpis[i].n))),
						fmt.Sprintf("this indicator is on row %d too, for the same month", g.kpis[i].n)))
					g.bad = true
				}
			}
			if name == "" || v == nil || r.bad {
				g.bad = true
				return
			}
			g.f.KPIs = append(g.f.KPIs, KPIFigure{Loc: r.loc(), KPI: name, Value: *v})
			g.kpis = append(g.kpis, r)
		})
	}
	if bd := bs["risks"]; bd != nil {
		bd.rows(rep, func(r *row) {
			risk := domain.Risk{Severity: domain.RiskLevel(r.enum("severity")), Text: domain.T(r.text("text_fa"), r.text("text_en"))}
			g := key(r)
			if g == nil {
				return
			}
			g.f.Risks = append(g.f.Risks, RiskFigure{Loc: r.loc(), Risk: risk})
			g.risks = append(g.risks, r)
		})
	}
	for _, g := range order {
		if !g.validate() || g.bad {
			continue
		}
		if g.report != nil && g.report.bad {
			continue
		}
		if anyBad(g.milestones) || anyBad(g.kpis) || anyBad(g.risks) {
			continue
		}
		out.Figures = append(out.Figures, *g.f)
	}
	rep.Sort()
	return out, rep
}

func anyBad(rs []*row) bool {
	for _, r := range rs {
		if r.bad {
			return true
		}
	}
	return false
}

// figureGroup gathers the rows of one project and month.
type figureGroup struct {
	f          *Figure
	report     *row
	milestones []*row
	kpis       []*row
	risks      []*row
	bad        bool
}

// validate checks the figure through domain.Report's Validate, reporting
// its error at the row and cell of the field at fault. It returns whether
// the figure passed.
//
// Milestones and indicators are named by title here and get their ids when
// the integration resolves them, so they stand in as 1, 2, … in file order
// (duplicates are found by title while reading).
// domain.Period is a Gregorian month until issue 13 makes it Jalali, so the
// Gregorian month the Jalali one starts in stands in for it; the Jalali
// month was already checked by ParseMonth.
func (g *figureGroup) validate() bool {
	f := g.f
	base := func() domain.Report {
		return domain.Report{Project: f.Project, Period: domain.PeriodOf(f.Period.Start())}
	}
	ok := true
	// check runs Validate on rp and reports its error on r; Validate stops
	// at the first fault, so each row is checked in a report of its own
	// and every faulty row is reported.
	check := func(rp domain.Report, r *row, s *Schema, prefix string) {
		err := rp.Validate()
		if err == nil {
			return
		}
		ok = false
		if r == nil {
			r = g.first()
		}
		r.validate(err, func(field string) string {
			if _, rest, found := index(field, prefix); found && prefix != "" {
				field = rest
			}
			return fieldKey(s, field)
		})
	}
	whole := base()
	whole.Narrative, whole.ProjectedEnd, whole.ProjectedCost, whole.ActualCost = f.Narrative, f.ProjectedEnd, f.ProjectedCost, f.ActualCost
	check(whole, g.report, ReportsSheet, "")
	for i, m := range f.Milestones {
		rp := base()
		rp.Milestones = []domain.MilestoneProgress{{Milestone: int64(i + 1), Percent: m.Percent, Done: m.Done}}
		check(rp, g.milestones[i], MilestonesSheet, "milestones")
	}
	for i, k := range f.KPIs {
		rp := base()
		rp.KPIs = []domain.KPIValue{{KPI: int64(i + 1), Value: k.Value}}
		check(rp, g.kpis[i], KPIsSheet, "kpis")
	}
	for i, k := range f.Risks {
		rp := base()
		rp.Risks = []domain.Risk{k.Risk}
		check(rp, g.risks[i], RisksSheet, "risks")
	}
	return ok
}

// first is the first row read for the figure.
func (g *figureGroup) first() *row {
	for _, rs := range [][]*row{{g.report}, g.milestones, g.kpis, g.risks} {
		if len(rs) > 0 && rs[0] != nil {
			return rs[0]
		}
	}
	return nil
}
