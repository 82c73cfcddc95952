package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/keep"
	"github.com/pishran/pishran/service"
)

// The portfolio dashboard: how the projects under follow-up stand — their
// computed status, the council's ratings and how those moved, the overdue
// actions, the stale reports and each list's adoption funnel. Every chart
// is drawn by the vendored Chart.js from JSON in its canvas's data-chart
// attribute (no inline script) and has a table with the same figures, so
// without JavaScript, in print or with a screen reader nothing is lost.

// dashboardMax bounds the projects one dashboard reads (one status board
// page at a time); a larger registry is filtered by list.
const dashboardMax = 20000

// dashboardRows is how many overdue actions and stale projects the
// dashboard lists (the most overdue first); the totals are always shown.
const dashboardRows = 100

// ratingMonths is how many months the ratings-over-time chart covers.
const ratingMonths = 24

// chartSpec is what charts.js draws, as JSON in a canvas's data-chart.
type chartSpec struct {
	Type     string         `json:"type"` // bar, line
	Title    string         `json:"title"`
	Labels   []string       `json:"labels"`
	Datasets []chartDataset `json:"datasets"`
	Locale   string         `json:"locale"`
	RTL      bool           `json:"rtl"`
	YMin     *float64       `json:"y_min,omitempty"`
	YMax     *float64       `json:"y_max,omitempty"`
	Legend   bool           `json:"legend"`
}

type chartDataset struct {
	Label  string     `json:"label"`
	Data   []*float64 `json:"data"` // null: no value (a gap in a line)
	Colors []string   `json:"colors,omitempty"`
	Color  string     `json:"color"`
}

func (l Lang) chart(typ, title string) chartSpec {
	return chartSpec{Type: typ, Title: title, Locale: map[Lang]string{FA: "fa-IR", EN: "en-GB"}[l], RTL: l == FA}
}

func fptr(f float64) *float64 { return &f }

// Chart colours: each meets 3:1 against the white page (WCAG 1.4.11);
// TestStaffPalette checks them.
var (
	ragColors = map[domain.RAG]string{domain.Green: "#1e6b2f", domain.Amber: "#9a5b00", domain.Red: "#a4161a", domain.Unknown: "#5f6368",
		domain.Silent: "#6a3d9a", domain.NoReport: "#3c4043", domain.NoBaseline: "#5f6368"}
	// seriesColors colour a chart's datasets in turn.
	seriesColors = []string{"#0b57a4", "#6a3d9a", "#1e6b2f", "#a4161a", "#9a5b00", "#5f6368"}
)

// countRow is one line of a distribution table.
type countRow struct {
	Label string
	Class string // a badge class, when the row has one
	N     int
	Pct   int
}

// monthRow is one month of the ratings-over-time table.
type monthRow struct {
	Period   domain.Period
	Council  string // average, one decimal, in the page's digits; "" none
	CouncilN int
	Self     string
	SelfN    int
}

// actionRow is an overdue action.
type actionRow struct {
	*domain.Action
	OwnerName domain.Text
	Projects  []linkView
	DaysLate  int
}

// staleRow is a project whose report is overdue.
type staleRow struct {
	service.BoardRow
}

type dashboardView struct {
	Programs     []programView
	Program      string // the list the dashboard is narrowed to; "" all projects
	AsOf         domain.Date
	Total        int
	Truncated    bool
	Status       []countRow
	StatusChart  chartSpec
	Ratings      []countRow
	RatingsChart chartSpec
	Months       []monthRow
	MonthsChart  chartSpec
	Overdue      []actionRow // the most overdue, up to dashboardRows
	OverdueTotal int
	Stale        []staleRow // up to dashboardRows
	StaleTotal   int
	Funnels      []programView
	FunnelChart  chartSpec
	FunnelLabels []string
	// Audit is what the latest daily audit check found wrong (admins and
	// the secretariat only); nil when it found nothing.
	Audit *auditAlarmView
}

// auditAlarmView is the daily audit check's alarm.
type auditAlarmView struct {
	Day      domain.Date
	Count    int
	Problems []service.AuditProblem
}

// The dashboard reads the whole portfolio (the status of every project,
// every rating of the last months, the overdue actions) — a tenth of a
// second at national scale — and is the page staff open first and come
// back to. Its figures are kept per viewer, list and language under the
// data version (service.DataVersion), so they are read again only after
// something is written.
type dashKey struct {
	viewer  domain.Viewer
	program string
	lang    Lang
	day     domain.Date // the day the page's clock says (s.opt.Now)
}

// dashKept bounds the dashboards kept: a few viewers' and lists'.
const dashKept = 32

func newDashCache() *keep.Cache[service.DataVersion, dashKey, *dashboardView] {
	return keep.New[service.DataVersion, dashKey](dashKept, func(*dashboardView) int { return 1 })
}

func (s *Site) dashboard(q *req) error {
	key := dashKey{viewer: q.actor.Viewer(), program: q.URL.Query().Get("program"), lang: q.lang, day: domain.DateOf(s.opt.Now())}
	ver, verr := s.svc.DataVersion(q.Context())
	keep := verr == nil && s.opt.PageCache >= 0
	if keep {
		if v, ok := s.dash.Get(ver, key); ok {
			return s.renderStaff(q, http.StatusOK, "staff/dashboard", q.lang.T("dashboard.title"), "dashboard", *v, "chart", "js/charts.js")
		}
	}
	v, err := s.dashboardData(q)
	if err != nil {
		return err
	}
	if keep {
		s.dash.Put(ver, key, v)
	}
	return s.renderStaff(q, http.StatusOK, "staff/dashboard", q.lang.T("dashboard.title"), "dashboard", *v, "chart", "js/charts.js")
}

// dashboardData reads the dashboard's figures as the person may see them.
func (s *Site) dashboardData(q *req) (*dashboardView, error) {
	ctx := q.Context()
	progs, err := s.programs(ctx, q.actor)
	if err != nil {
		return nil, err
	}
	v := dashboardView{Programs: progs, Program: q.URL.Query().Get("program"), AsOf: domain.DateOf(s.opt.Now())}
	if v.Program != "" && !slices.ContainsFunc(progs, func(g programView) bool { return g.Slug == v.Program }) {
		return nil, notFound()
	}
	rows, truncated, err := s.board(ctx, q.actor, v.Program)
	if err != nil {
		return nil, err
	}
	v.Total, v.Truncated = len(rows), truncated

	// Computed status.
	statusN := map[domain.RAG]int{}
	ratingN := map[int]int{}
	var rated []string
	for _, r := range rows {
		statusN[r.Status]++
		if r.CouncilRating != nil {
			ratingN[*r.CouncilRating]++
		} else {
			ratingN[0]++
		}
		if r.CouncilRating != nil || r.SelfRating != nil {
			rated = append(rated, r.Project)
		}
		if r.Stale {
			v.Stale = append(v.Stale, staleRow{r})
		}
	}
	l := q.lang
	v.StatusChart = l.chart("bar", l.T("dashboard.status_chart"))
	ds := chartDataset{Label: l.T("dashboard.projects")}
	for _, st := range domain.RAGs {
		n := statusN[st]
		v.Status = append(v.Status, countRow{Label: l.label("rag", st), Class: "rag-" + string(st), N: n, Pct: pctOf(n, len(rows))})
		v.StatusChart.Labels = append(v.StatusChart.Labels, l.label("rag", st))
		ds.Data = append(ds.Data, fptr(float64(n)))
		ds.Colors = append(ds.Colors, ragColors[st])
	}
	v.StatusChart.Datasets = []chartDataset{ds}

	// Council ratings, 5 (best) to 1, and not yet rated.
	v.RatingsChart = l.chart("bar", l.T("dashboard.ratings_chart"))
	ds = chartDataset{Label: l.T("dashboard.projects"), Color: seriesColors[0]}
	for score := len(domain.RatingScale); score >= 0; score-- {
		label := l.T("dashboard.not_rated")
		if score > 0 {
			label = l.T("dashboard.score", score, domain.RatingScale[len(domain.RatingScale)-score].Label)
		}
		n := ratingN[score]
		v.Ratings = append(v.Ratings, countRow{Label: label, N: n, Pct: pctOf(n, len(rows))})
		v.RatingsChart.Labels = append(v.RatingsChart.Labels, label)
		ds.Data = append(ds.Data, fptr(float64(n)))
	}
	v.RatingsChart.Datasets = []chartDataset{ds}

	// Ratings over time.
	if err := s.ratingsOverTime(ctx, q, rated, &v); err != nil {
		return nil, err
	}

	// Overdue actions.
	if v.Overdue, v.OverdueTotal, err = s.overdueActions(q); err != nil {
		return nil, err
	}
	v.StaleTotal = len(v.Stale)
	if len(v.Stale) > dashboardRows {
		v.Stale = v.Stale[:dashboardRows]
	}

	// Adoption funnels of the lists.
	s.funnels(q, progs, &v)

	// The daily audit check's alarm.
	al, err := s.svc.AuditAlarm(ctx, q.actor)
	if err != nil {
		return nil, err
	}
	if al != nil {
		day, _ := domain.ParseDate(al.Day)
		v.Audit = &auditAlarmView{Day: day, Count: al.Count, Problems: al.Problems}
	}
	return &v, nil
}

func pctOf(n, of int) int {
	if of <= 0 {
		return 0
	}
	return (n*1000/of + 5) / 10
}

// board reads the status board as the person may see it: every project, or
// a list's active members.
func (s *Site) board(ctx context.Context, a service.Actor, program string) ([]service.BoardRow, bool, error) {
	var out []service.BoardRow
	more := false
	rows := func(p domain.Page) ([]service.BoardRow, error) {
		// Asked for the page after dashboardMax rows, the board stops
		// there (an empty page ends the walk) and says it stopped short.
		if len(out) >= dashboardMax {
			more = true
			return nil, nil
		}
		page, err := s.svc.StatusBoard(ctx, a, program, "", p, nil)
		out = append(out, page...) // a page at a time: the rows are large
		return page, err
	}
	for _, err := range domain.Walk(rows, func(r service.BoardRow) string { return r.Project }) {
		if err != nil {
			return nil, false, err
		}
	}
	return out, more, nil
}

// ratingsOverTime averages each month's ratings, council and self, over the
// last ratingMonths months.
func (s *Site) ratingsOverTime(ctx context.Context, q *req, rated []string, v *dashboardView) error {
	l := q.lang
	v.MonthsChart = l.chart("line", l.T("dashboard.over_time_chart"))
	v.MonthsChart.YMin, v.MonthsChart.YMax, v.MonthsChart.Legend = fptr(1), fptr(5), true
	if len(rated) == 0 {
		return nil
	}
	type sum struct{ council, self, cn, sn int }
	by := map[domain.Period]*sum{}
	first := domain.PeriodOf(v.AsOf).Add(-(ratingMonths - 1))
	months, err := s.svc.RatingMonths(ctx, q.actor, v.Program, first)
	if err != nil {
		return err
	}
	for _, m := range months {
		if m.Period > domain.PeriodOf(v.AsOf) {
			continue // dated after the day the board is as of
		}
		x := by[m.Period]
		if x == nil {
			x = &sum{}
			by[m.Period] = x
		}
		if m.Kind == domain.CouncilRating {
			x.council += m.Sum
			x.cn += m.N
		} else {
			x.self += m.Sum
			x.sn += m.N
		}
	}
	if len(by) == 0 {
		return nil
	}
	// From the first month with a rating to this month.
	start := domain.PeriodOf(v.AsOf)
	for p := range by {
		start = min(start, p)
	}
	council := chartDataset{Label: l.T("dashboard.council_avg"), Color: seriesColors[0]}
	self := chartDataset{Label: l.T("dashboard.self_avg"), Color: seriesColors[1]}
	for p := start; p <= domain.PeriodOf(v.AsOf); p = p.Add(1) {
		row := monthRow{Period: p}
		var c, sf *float64
		if x := by[p]; x != nil {
			if x.cn > 0 {
				c = fptr(float64(x.council) / float64(x.cn))
				row.Council, row.CouncilN = l.Digits(fmt.Sprintf("%.1f", *c)), x.cn
			}
			if x.sn > 0 {
				sf = fptr(float64(x.self) / float64(x.sn))
				row.Self, row.SelfN = l.Digits(fmt.Sprintf("%.1f", *sf)), x.sn
			}
		}
		v.Months = append(v.Months, row)
		v.MonthsChart.Labels = append(v.MonthsChart.Labels, l.period(p))
		council.Data = append(council.Data, c)
		self.Data = append(self.Data, sf)
	}
	v.MonthsChart.Datasets = []chartDataset{council, self}
	return nil
}

// overdueActions lists the open actions past their due date that the
// person may see, most overdue first.
//
// Only the dashboardRows most overdue are listed, with the total: a
// national council has thousands, and each agency's page lists its own.
func (s *Site) overdueActions(q *req) (rows []actionRow, total int, err error) {
	ctx := q.Context()
	today := domain.DateOf(s.opt.Now())
	acts, total, err := s.svc.OverdueActions(ctx, q.actor, today, dashboardRows)
	if err != nil {
		return nil, 0, err
	}
	// The projects the listed actions name, in one read.
	var slugs []string
	for _, a := range acts {
		slugs = append(slugs, a.Projects...)
	}
	titles, err := s.svc.ProjectTitles(ctx, q.actor, slugs)
	if err != nil {
		return nil, 0, err
	}
	look := s.lookups(q)
	for _, a := range acts {
		r := actionRow{Action: a, OwnerName: look.agency(a.Owner), DaysLate: a.Due.DaysUntil(today)}
		for _, p := range a.Projects {
			if t, ok := titles[p]; ok {
				r.Projects = append(r.Projects, linkView{Slug: p, Title: t})
			}
		}
		rows = append(rows, r)
	}
	return rows, total, look.err
}

// funnels charts each list's adoption stages side by side: one dataset a
// list, one group a stage.
func (s *Site) funnels(q *req, progs []programView, v *dashboardView) {
	l := q.lang
	v.FunnelChart = l.chart("bar", l.T("dashboard.funnel_chart"))
	v.FunnelChart.Legend = true
	bodies := []domain.Body{}
	for _, g := range progs {
		if len(g.Stages) == 0 {
			continue
		}
		v.Funnels = append(v.Funnels, g)
		for _, st := range g.Stages {
			if !slices.Contains(bodies, st.Body) {
				bodies = append(bodies, st.Body)
			}
		}
	}
	for _, b := range bodies {
		v.FunnelChart.Labels = append(v.FunnelChart.Labels, l.label("body", b))
	}
	for i, g := range v.Funnels {
		ds := chartDataset{Label: l.Text(g.Title), Color: seriesColors[i%len(seriesColors)]}
		for _, b := range bodies {
			var n *float64
			for _, st := range g.Stages {
				if st.Body == b && st.Basis != "unknown" {
					n = fptr(float64(st.Size))
				}
			}
			ds.Data = append(ds.Data, n)
		}
		v.FunnelChart.Datasets = append(v.FunnelChart.Datasets, ds)
	}
}

// period names a reporting month (a Jalali month) for people: آبان ۱۴۰۵,
// or Aban 1405.
func (l Lang) period(p domain.Period) string { return p.Name(string(l)) }

// periodHTML writes a reporting month for a page: its name, in a <time>
// element whose machine form is the stored one (1405-08) — a reader sees
// the name, a script or a test the month.
func (l Lang) periodHTML(p domain.Period) template.HTML {
	if !p.Valid() {
		return template.HTML(`<bdi>` + template.HTMLEscapeString(l.Digits(string(p))) + `</bdi>`)
	}
	return template.HTML(`<span class="period" data-period="` + string(p) + `">` + template.HTMLEscapeString(l.period(p)) + `</span>`)
}
