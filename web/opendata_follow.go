package web

import (
	"context"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/seal"
	"github.com/pishran/pishran/service"
)

// The open data's follow-up files (issue 14): every public project's
// computed status on any day (?as_of=), the accepted reports, the council's
// actions with their re-dating, and the baselines. They join the datasets
// when the package loads; like the others, each is CSV, JSON and XLSX with
// its columns in the dictionary. Only public projects are in them, whoever
// downloads.

func init() { datasets = append(datasets, followDatasets...) }

var followDatasets = []Dataset{
	{Name: "status", Title: "dataset.status", Load: loadStatus, Columns: []Column{
		{"slug", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"title_fa", "text", domain.T("عنوان فارسی پروژه", "the project's Persian title")},
		{"title_en", "text", domain.T("عنوان انگلیسی پروژه", "the project's English title")},
		{"lead_agency", "text", domain.T("کد دستگاه راهبر؛ خالی یعنی ثبت نشده", "code of the lead agency; empty when not recorded")},
		{"lifecycle", "text", domain.T("وضعیت ثبت‌شده چرخه عمر امروز (چرخه عمر تاریخچه تاریخ‌دار ندارد)", "the recorded lifecycle status today (the lifecycle keeps no dated history)")},
		{"status_date", "date", domain.T("روزی که وضعیت برای آن محاسبه شده است (ISO): پارامتر as_of، یا امروز", "the day the status is computed for (ISO): the as_of parameter, or today")},
		{"status_date_jalali", "jalali", domain.T("همان روز به تقویم جلالی", "the same day in the Jalali calendar")},
		{"status", "text", domain.T("وضعیت محاسبه‌شده در آن روز: green، amber، red، silent (گزارش‌های بدهکار نرسیده)، no-baseline، no-report یا unknown، فقط از سوابقی که تا آن روز تاریخ خورده‌اند (خط مبنای مصوب، گزارش پذیرفته، نقاط عطف انجام‌نشده)", "the computed status on that day: green, amber, red, silent (owed reports not received), no-baseline, no-report or unknown, from the records dated up to that day only (approved baseline, accepted reports, milestones not done)")},
		{"reasons_fa", "list", domain.T("چرایی وضعیت، به فارسی", "why the status is what it is, in Persian")},
		{"reasons_en", "list", domain.T("چرایی وضعیت، به انگلیسی", "why the status is what it is, in English")},
		{"stale", "boolean", domain.T("آیا در آن روز گزارشی معوق بود (آخرین گزارش پذیرفته کهنه‌تر از دوره گزارش و مهلت آن)", "whether a report was overdue on that day (the last accepted report older than the reporting period and its grace)")},
		{"last_accepted", "date", domain.T("پایان دوره آخرین گزارشی که تا آن روز پذیرفته شده بود؛ خالی یعنی هیچ", "end of the period of the last report accepted by that day; empty when none")},
		{"baseline", "integer", domain.T("شماره خط مبنایی که تا آن روز تصویب شده بود؛ خالی یعنی خط مبنا نداشت", "number of the baseline approved by that day; empty when it had none")},
		{"next_report_due", "date", domain.T("موعد گزارش بعدی در آن روز؛ خالی یعنی گزارشی بدهکار نبود", "when the next report was due on that day; empty when none was owed")},
		{"milestone_due", "date", domain.T("تاریخ برنامه‌ریزی‌شده زودترین نقطه عطفی که تا آن روز انجام نشده بود", "planned date of the earliest milestone not done by that day")},
		{"self_rating", "integer", domain.T("آخرین خودارزیابی دستگاه تا آن روز (۱ تا ۵)", "the agency's latest self rating by that day (1 to 5)")},
		{"council_rating", "integer", domain.T("آخرین ارزیابی شورا تا آن روز (۱ تا ۵)", "the council's latest rating by that day (1 to 5)")},
	}},
	{Name: "reports", Title: "dataset.reports", Load: loadAcceptedReports, Columns: []Column{
		{"id", "integer", domain.T("شناسه گزارش", "the report's identifier")},
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"agency", "text", domain.T("کد دستگاه گزارش‌دهنده", "code of the reporting agency")},
		{"period", "text", domain.T("ماه گزارش (YYYY-MM، ماه جلالی با شماره سال و ماه جلالی)", "the reporting month (YYYY-MM, the Jalali year and month)")},
		{"period_name", "text", domain.T("نام ماه گزارش به فارسی", "the reporting month's name in Persian")},
		{"accepted_at", "datetime", domain.T("زمان پذیرش گزارش به دست دبیرخانه (UTC)", "when the secretariat accepted the report (UTC)")},
		{"accepted", "date", domain.T("روز پذیرش به وقت تهران (ISO)", "the day it was accepted, Tehran time (ISO)")},
		{"accepted_jalali", "jalali", domain.T("روز پذیرش به تقویم جلالی", "the day it was accepted, in the Jalali calendar")},
		{"projected_end", "date", domain.T("پایان پیش‌بینی‌شده در گزارش؛ خالی یعنی نگفته", "the projected end the report gives; empty when it gives none")},
		{"projected_cost", "integer", domain.T("هزینه پیش‌بینی‌شده (ریال)", "the projected cost (rials)")},
		{"actual_cost", "integer", domain.T("هزینه تا کنون (ریال)", "the cost to date (rials)")},
		{"narrative_fa", "text", domain.T("شرح فارسی پیشرفت", "Persian narrative of progress")},
		{"narrative_en", "text", domain.T("شرح انگلیسی پیشرفت", "English narrative of progress")},
		{"verification_code", "text", domain.T("کد تصدیق سند امضاشده گزارش", "verification code of the report's signed document")},
		{"verify_url", "text", domain.T("نشانی صفحه تصدیق گزارش", "address of the report's verification page")},
	}},
	{Name: "actions", Title: "dataset.actions", Load: loadActions, Columns: []Column{
		{"id", "integer", domain.T("شناسه اقدام؛ سرگذشت کامل در /actions", "the action's identifier; its whole history is on /actions")},
		{"meeting", "text", domain.T("شناسه جلسه‌ای که اقدام را تعیین کرد", "the meeting that set the action")},
		{"series", "text", domain.T("کد مجموعه جلسات", "code of the meeting series")},
		{"owner", "text", domain.T("کد دستگاه مسئول", "code of the owner agency")},
		{"projects", "list", domain.T("شناسه پروژه‌هایی که اقدام درباره آن‌هاست (فقط اقدام‌هایی که همه پروژه‌هایشان عمومی است)", "slugs of the projects the action is about (only actions all of whose projects are public)")},
		{"description_fa", "text", domain.T("شرح فارسی اقدام", "Persian description of the action")},
		{"description_en", "text", domain.T("شرح انگلیسی اقدام", "English description of the action")},
		{"decided", "date", domain.T("تاریخ جلسه تعیین‌کننده (ISO)", "date of the meeting that set it (ISO)")},
		{"decided_jalali", "jalali", domain.T("همان تاریخ به تقویم جلالی", "the same date in the Jalali calendar")},
		{"original_due", "date", domain.T("مهلت نخست (ISO)", "the first due date (ISO)")},
		{"due", "date", domain.T("مهلت کنونی (ISO)", "the current due date (ISO)")},
		{"due_jalali", "jalali", domain.T("مهلت کنونی به تقویم جلالی", "the current due date in the Jalali calendar")},
		{"status", "text", domain.T("وضعیت: open (باز)، overdue (باز و گذشته از مهلت) یا closed (بسته)", "status: open, overdue (open and past its due date) or closed")},
		{"overdue_days", "integer", domain.T("روزهای گذشته از مهلت، برای اقدام معوق", "days past the due date, for an overdue action")},
		{"closed", "date", domain.T("تاریخ بسته شدن (ISO)؛ خالی یعنی باز", "date it was closed (ISO); empty when open")},
		{"redates", "integer", domain.T("چند بار مهلت تمدید شد", "how many times the due date was moved")},
		{"redate_history", "list", domain.T("هر تمدید: تاریخ: مهلت پیشین>مهلت تازه (دلیل)", "each re-dating: date: old due>new due (reason)")},
	}},
	{Name: "baselines", Title: "dataset.baselines", Load: loadBaselines, Columns: []Column{
		{"project", "text", domain.T("شناسه پروژه", "the project's identifier")},
		{"number", "integer", domain.T("شماره خط مبنا (۱، ۲، …)؛ هر بازتعیین یکی می‌افزاید", "the baseline's number (1, 2, …); each re-baselining adds one")},
		{"current", "boolean", domain.T("آیا خط مبنای کنونی پروژه است", "whether it is the project's current baseline")},
		{"supersedes", "integer", domain.T("شماره خط مبنایی که جایگزینش شد", "number of the baseline it replaced")},
		{"planned_start", "date", domain.T("آغاز برنامه‌ریزی‌شده (ISO)", "planned start (ISO)")},
		{"planned_end", "date", domain.T("پایان برنامه‌ریزی‌شده (ISO)", "planned end (ISO)")},
		{"planned_cost", "integer", domain.T("هزینه برنامه‌ریزی‌شده", "planned cost")},
		{"currency", "text", domain.T("واحد پول (IRR، ریال)", "currency (IRR, rials)")},
		{"reporting", "text", domain.T("آهنگ گزارش: monthly یا quarterly", "reporting rhythm: monthly or quarterly")},
		{"approved_by_fa", "text", domain.T("مرجع تصویب، به فارسی", "the approving body, in Persian")},
		{"approved_by_en", "text", domain.T("مرجع تصویب، به انگلیسی", "the approving body, in English")},
		{"approved", "date", domain.T("تاریخ تصویب (ISO)", "date of approval (ISO)")},
		{"approved_jalali", "jalali", domain.T("تاریخ تصویب به تقویم جلالی", "date of approval, in the Jalali calendar")},
		{"reference", "text", domain.T("شماره مصوبه یا نامه تصویب", "the approving resolution's or letter's reference")},
		{"reason_fa", "text", domain.T("دلیل بازتعیین، به فارسی", "why it was re-baselined, in Persian")},
		{"reason_en", "text", domain.T("دلیل بازتعیین، به انگلیسی", "why it was re-baselined, in English")},
	}},
}

type asOfKey struct{}

// withAsOf carries the day a status file is computed for.
func withAsOf(ctx context.Context, d domain.Date) context.Context {
	return context.WithValue(ctx, asOfKey{}, d)
}

// asOfParam reads ?as_of= (ISO or Jalali); absent, today in Tehran.
func (s *Site) asOfParam(q *req) (domain.Date, error) {
	x := q.URL.Query().Get("as_of")
	if x == "" {
		return domain.TehranDate(s.opt.Now()), nil
	}
	d, err := domain.ParseDate(x)
	if err != nil || len(x) > 20 {
		return d, badRequest(catalog["data.bad_as_of"].FA, catalog["data.bad_as_of"].EN)
	}
	return d, nil
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func optInt64(n *int64) *int {
	if n == nil {
		return nil
	}
	v := int(*n)
	return &v
}

func loadStatus(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	day, ok := ctx.Value(asOfKey{}).(domain.Date)
	if !ok {
		day = domain.TehranDate(s.opt.Now())
	}
	rows, err := s.svc.PublicStatusAsOf(ctx, day)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, r := range rows {
		h := r.Health
		var fa, en []string
		for _, x := range h.StatusReasons {
			fa, en = append(fa, x.FA), append(en, x.EN)
		}
		d := day
		t.Rows = append(t.Rows, []any{r.Slug, r.Title.FA, r.Title.EN, r.Lead, string(r.Lifecycle), &d, d.Jalali(), string(h.Status),
			join(fa), join(en), h.Stale, h.LastAccepted, optInt(r.Baseline), r.NextReportDue, r.MilestoneDue, h.SelfRating, h.CouncilRating})
	}
	t.Hidden, err = hiddenOnLists(ctx, s, a)
	return t, err
}

func loadAcceptedReports(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	rs, err := s.svc.PublicAcceptedReports(ctx)
	if err != nil {
		return nil, err
	}
	base := baseFrom(ctx)
	t := &Table{}
	for _, r := range rs {
		day := domain.TehranDate(r.Accepted)
		var verify string
		if r.Code != "" {
			verify = seal.URL(base, r.Code)
		}
		t.Rows = append(t.Rows, []any{int(r.ID), r.Project, r.Agency, string(r.Period), r.Period.Name("fa"),
			r.Accepted.UTC().Format(time.RFC3339), &day, day.Jalali(), r.ProjectedEnd, optInt64(r.ProjectedCost), optInt64(r.ActualCost),
			r.Narrative.FA, r.Narrative.EN, r.Code, verify})
	}
	return t, nil
}

func loadActions(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	acts, day, err := s.svc.AllPublicActions(ctx)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, x := range acts {
		status, overdue := string(x.Status), (*int)(nil)
		if x.Status == domain.ActionOpen && x.Due.Before(day) {
			n := x.Due.DaysUntil(day)
			status, overdue = "overdue", &n
		}
		first, due, created := x.Due, x.Due, x.Created
		var history []string
		for _, ev := range x.Events {
			if ev.Type != domain.ActionRedated || ev.OldDue == nil || ev.NewDue == nil {
				continue
			}
			if len(history) == 0 {
				first = *ev.OldDue
			}
			h := ev.Date.String() + ": " + ev.OldDue.String() + ">" + ev.NewDue.String()
			var reason []string
			for _, r := range []string{ev.Note.FA, ev.Note.EN} {
				if r = strings.TrimSpace(r); r != "" {
					reason = append(reason, r)
				}
			}
			if len(reason) > 0 {
				h += " (" + strings.Join(reason, " / ") + ")"
			}
			history = append(history, h)
		}
		t.Rows = append(t.Rows, []any{int(x.ID), x.Meeting, x.Series, x.Owner, join(x.Projects), x.Description.FA, x.Description.EN,
			&created, created.Jalali(), &first, &due, due.Jalali(), status, overdue, x.Closed, len(history), join(history)})
	}
	return t, nil
}

func loadBaselines(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	bs, err := s.svc.PublicBaselines(ctx)
	if err != nil {
		return nil, err
	}
	t := &Table{}
	for _, b := range bs {
		t.Rows = append(t.Rows, []any{b.Project, b.Number, b.Current, optInt(b.Supersedes), b.Start, b.End, int(b.Cost), b.Currency,
			string(b.Reporting), b.ApprovedBy.FA, b.ApprovedBy.EN, b.Approved, jalaliOf(b.Approved), b.Reference, b.Reason.FA, b.Reason.EN})
	}
	return t, nil
}
