package web

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The agencies' index, ranked by their scorecards, each agency's page,
// and the scorecards as CSV and JSON (issue 14, points 3 and 4). Every
// figure is of public projects only (service/scorecard.go).

// agencySorts are the orders the index offers; "rank" is the scorecard's.
var agencySorts = []string{"rank", "name", "missed", "overdue"}

type agenciesView struct {
	Cards []service.Scorecard
	Sort  string
	Sorts []string
}

func (s *Site) agencies(q *req) error {
	sort := q.URL.Query().Get("sort")
	if sort == "" {
		sort = "rank"
	}
	if !slices.Contains(agencySorts, sort) {
		return badRequest("ترتیب نامعتبر است؛ یکی از: "+strings.Join(agencySorts, "، "), "the sort is not valid; one of: "+strings.Join(agencySorts, ", "))
	}
	cards, err := s.svc.Scorecards(q.Context())
	if err != nil {
		return err
	}
	cards = slices.Clone(cards)
	switch sort {
	case "name":
		slices.SortStableFunc(cards, func(a, b service.Scorecard) int { return strings.Compare(q.lang.Text(a.Name), q.lang.Text(b.Name)) })
	case "missed":
		slices.SortStableFunc(cards, func(a, b service.Scorecard) int { return b.Reports.Missed - a.Reports.Missed })
	case "overdue":
		slices.SortStableFunc(cards, func(a, b service.Scorecard) int { return b.OverdueActions - a.OverdueActions })
	}
	return s.render(q, http.StatusOK, "agencies", q.lang.T("agencies.title"), "agencies", agenciesView{Cards: cards, Sort: sort, Sorts: agencySorts})
}

type agencyPageView struct {
	*service.AgencyRecord
	// The exchange's evidence on the integrations with the agency at one
	// end (issue 15), each linking to its project's public page.
	HasExchange, AgencyLead, PublicLinks bool
	Integrations                         []integrationView
}

func (s *Site) agency(q *req) error {
	code := q.PathValue("code")
	if !domain.ValidSlug(code) {
		return notFound()
	}
	rec, err := s.svc.AgencyPage(q.Context(), code)
	if err != nil {
		return err
	}
	v := agencyPageView{AgencyRecord: rec, HasExchange: true, AgencyLead: true, PublicLinks: true}
	v.Integrations, _ = integrationsOf(q.lang, rec.Integrations)
	nameEnds(q.lang, v.Integrations, rec.ExchangeAgencies)
	return s.render(q, http.StatusOK, "agency", q.lang.Text(rec.Agency.Name), "agencies", v)
}

// scorecardColumns describe the scorecards download, in both languages.
var scorecardColumns = []Column{
	{"rank", "integer", domain.T("رتبه به روش صفحه کارنامه‌ها (۱ بهترین)", "rank by the scorecards page's method (1 is best)")},
	{"agency", "text", domain.T("کد دستگاه", "the agency's code")},
	{"name_fa", "text", domain.T("نام فارسی دستگاه", "the agency's Persian name")},
	{"name_en", "text", domain.T("نام انگلیسی دستگاه", "the agency's English name")},
	{"projects", "integer", domain.T("پروژه‌های عمومی که دستگاه راهبر یا همکار آن است", "public projects the agency leads or takes part in")},
	{"leads", "integer", domain.T("پروژه‌های عمومی که دستگاه راهبر آن است و گزارششان را بدهکار است", "public projects the agency leads, whose reports it owes")},
	{"reports_due", "integer", domain.T("دوره‌های گزارش که مهلتشان از آغاز نخستین خط مبنا گذشته است", "reporting periods past their deadline since the first baseline's start")},
	{"reports_on_time", "integer", domain.T("گزارش‌های پذیرفته‌شده‌ای که تا مهلت رسیدند", "accepted reports received by the deadline")},
	{"reports_late", "integer", domain.T("گزارش‌های پذیرفته‌شده‌ای که پس از مهلت رسیدند", "accepted reports received after the deadline")},
	{"reports_missed", "integer", domain.T("دوره‌هایی که گزارش پذیرفته‌شده‌ای ندارند", "periods with no accepted report")},
	{"reports_undated", "integer", domain.T("گزارش‌های پذیرفته‌شده‌ای که روز رسیدنشان ثبت نشده است", "accepted reports whose day of receipt is not recorded")},
	{"on_time_percent", "decimal", domain.T("درصد گزارش‌های به‌موقع از دوره‌های سررسیده؛ خالی یعنی هنوز دوره‌ای سررسید نشده", "on-time reports as a percentage of periods due; empty when none is due yet")},
	{"open_actions", "integer", domain.T("اقدام‌های باز دستگاه درباره پروژه‌های عمومی", "the agency's open actions on public projects")},
	{"overdue_actions", "integer", domain.T("اقدام‌های باز که مهلتشان گذشته است", "open actions past their due day")},
	{"oldest_overdue_days", "integer", domain.T("عمر قدیمی‌ترین اقدام معوق، به روز", "age of the oldest overdue action, in days")},
	{"rated_projects", "integer", domain.T("پروژه‌های راهبری‌شده با هر دو ارزیابی خود دستگاه و شورا", "led projects with both a self and a council rating")},
	{"divergent_projects", "integer", domain.T("پروژه‌هایی که دو ارزیابی‌شان به اندازه آستانه یا بیشتر فاصله دارند", "projects whose two ratings differ by the threshold or more")},
	{"mean_rating_gap", "decimal", domain.T("میانگین ارزیابی خود دستگاه منهای ارزیابی شورا", "mean of the self rating minus the council rating")},
	{"last_accepted_project", "text", domain.T("پروژه آخرین گزارش پذیرفته‌شده", "project of the latest accepted report")},
	{"last_accepted_period", "text", domain.T("دوره آخرین گزارش پذیرفته‌شده (ماه جلالی، YYYY-MM)", "period of the latest accepted report (Jalali month, YYYY-MM)")},
}

// scorecardsDataset is the scorecards as an open dataset: the index page
// links its files; the open-data page may list it too.
var scorecardsDataset = Dataset{Name: "scorecards", Title: "agencies.scorecards", Columns: scorecardColumns,
	Load: func(ctx context.Context, s *Site, _ service.Actor) (*Table, error) {
		cards, err := s.svc.Scorecards(ctx)
		if err != nil {
			return nil, err
		}
		return scorecardTable(cards), nil
	}}

// scorecardTable is every agency's scorecard as rows.
func scorecardTable(cards []service.Scorecard) *Table {
	t := &Table{}
	for _, c := range cards {
		var pct, gap, oldest any
		if c.OnTimePercent != nil {
			pct = *c.OnTimePercent
		}
		if c.MeanGap != nil {
			gap = *c.MeanGap
		}
		if c.OldestOverdueDays != nil {
			oldest = *c.OldestOverdueDays
		}
		lp, lper := "", ""
		if c.LastAccepted != nil {
			lp, lper = c.LastAccepted.Project, string(c.LastAccepted.Period)
		}
		t.Rows = append(t.Rows, []any{c.Rank, c.Agency, c.Name.FA, c.Name.EN, c.Projects, c.Leads,
			c.Reports.Due, c.Reports.OnTime, c.Reports.Late, c.Reports.Missed, c.Reports.Undated, pct,
			c.OpenActions, c.OverdueActions, oldest, c.Rated, c.Divergent, gap, lp, lper})
	}
	return t
}

// scorecards answers /scorecards.csv and /scorecards.json.
func (s *Site) scorecards(ext string) func(q *req) error {
	return func(q *req) error {
		asOf := s.opt.Now().UTC().Truncate(time.Second)
		t, err := scorecardsDataset.Load(q.Context(), s, q.actor)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		ctype := "text/csv; charset=utf-8"
		if ext == "json" {
			ctype = "application/json"
			err = writeJSON(&buf, &scorecardsDataset, t, asOf)
		} else {
			err = writeCSV(&buf, scorecardColumns, t, asOf)
		}
		if err != nil {
			return err
		}
		h := q.w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", `attachment; filename="pishran-scorecards.`+ext+`"`)
		h.Set("Last-Modified", asOf.Format(http.TimeFormat))
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		if q.Method == http.MethodHead {
			return nil
		}
		_, err = q.w.Write(buf.Bytes())
		return err
	}
}

// portalRoutes are the indexes and the agencies' pages.
func (s *Site) portalRoutes() []Route {
	return []Route{
		{Pattern: "GET /projects", Handler: s.public(s.projectIndex)},
		{Pattern: "GET /agencies", Handler: s.public(s.agencies)},
		{Pattern: "GET /agencies/{code}", Handler: s.public(s.agency)},
		{Pattern: "GET /scorecards.csv", Handler: s.page(s.scorecards("csv"))},
		{Pattern: "GET /scorecards.json", Handler: s.page(s.scorecards("json"))},
	}
}
