package web

import (
	"context"
	"math"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The exchange's daily aggregates as open data (issue 15): one row per day
// and declared integration of a public project, over the last 90 days. No
// record, message or person is in it: counts, sizes and duration
// quantiles, and the two ends' exchange identities and agencies. It joins
// the datasets when the package loads, so the data page, the three formats
// and the dictionary follow.

// exchangeOpenDays is how many days the file covers.
const exchangeOpenDays = 90

func init() {
	datasets = append(datasets, Dataset{Name: "exchange-daily", Title: "dataset.exchange_daily", Load: loadExchangeDaily, Columns: []Column{
		{"day", "date", domain.T("روز (به وقت تهران، ISO)", "the day (Tehran time, ISO)")},
		{"day_jalali", "jalali", domain.T("همان روز به تقویم جلالی", "the same day in the Jalali calendar")},
		{"project", "text", domain.T("شناسه پروژه‌ای که این تبادل را اعلام کرده است", "slug of the project that declares the integration")},
		{"client", "text", domain.T("زیرسامانه مصرف‌کننده در مرکز تبادل: INSTANCE/CLASS/CODE/SUBSYSTEM", "the client subsystem at the exchange: INSTANCE/CLASS/CODE/SUBSYSTEM")},
		{"service", "text", domain.T("خدمت: INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE[/VERSION]", "the service: INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE[/VERSION]")},
		{"client_agency", "text", domain.T("کد دستگاه مصرف‌کننده؛ خالی یعنی نگاشته نشده", "code of the client's agency; empty when not mapped")},
		{"provider_agency", "text", domain.T("کد دستگاه ارائه‌دهنده؛ خالی یعنی نگاشته نشده", "code of the provider's agency; empty when not mapped")},
		{"successes", "integer", domain.T("تبادل‌های موفق (هر پیام یک بار شمرده می‌شود)", "successful exchanges (each message counted once)")},
		{"failures", "integer", domain.T("تبادل‌های ناموفق", "failed exchanges")},
		{"request_bytes", "integer", domain.T("جمع اندازه درخواست‌ها (بایت)", "total request size (bytes)")},
		{"response_bytes", "integer", domain.T("جمع اندازه پاسخ‌ها (بایت)", "total response size (bytes)")},
		{"p50_ms", "integer", domain.T("میانه زمان تبادل (میلی‌ثانیه، ±۶٪)", "median exchange time (ms, ±6%)")},
		{"p95_ms", "integer", domain.T("صدک ۹۵ زمان تبادل (میلی‌ثانیه، ±۶٪)", "95th percentile exchange time (ms, ±6%)")},
	}})
}

func loadExchangeDaily(ctx context.Context, s *Site, a service.Actor) (*Table, error) {
	rows, err := s.svc.ExchangeDaily(ctx, a, exchangeOpenDays)
	if err != nil {
		return nil, err
	}
	ms := func(v *float64) *int {
		if v == nil {
			return nil
		}
		n := int(math.Round(*v))
		return &n
	}
	big := func(v uint64) int { return int(min(v, math.MaxInt64)) }
	t := &Table{}
	for _, r := range rows {
		day := r.Day
		t.Rows = append(t.Rows, []any{&day, jalaliOf(&day), r.Project, r.Client, r.Service, r.ClientAgency, r.ProviderAgency,
			big(r.Successes), big(r.Failures), big(r.RequestBytes), big(r.ResponseBytes), ms(r.P50), ms(r.P95)})
	}
	hidden, err := hiddenOnLists(ctx, s, a)
	t.Hidden = hidden
	return t, err
}
