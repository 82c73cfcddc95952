package exchange

import (
	"time"

	"github.com/pishran/pishran/domain"
)

// Policy sets when a declared integration counts as live, failing or
// silent. The zero value means the defaults below; the council may set its
// own, and a project's integration may carry stricter ones.
type Policy struct {
	// Window is how many days (ending today, Tehran time) the failure rate
	// is judged over. Default 7: a working week and its weekend, so a
	// service used only on working days is judged on a full cycle.
	Window int `json:"window"`
	// MaxFailureRate is the share of failed messages in the window above
	// which the integration is failing. Default 0.10: one exchange in ten
	// failing is past what passing network faults explain.
	MaxFailureRate float64 `json:"max_failure_rate"`
	// MinMessages is the fewest messages in the window for the rate to be
	// judged, so that two failures out of three do not condemn a rarely
	// used service. Default 20. (A window with traffic and no success at
	// all is failing whatever its size.)
	MinMessages uint64 `json:"min_messages"`
	// SilentDays is how many days without any traffic make a seen
	// integration silent. Default 14: longer than a holiday break such as
	// Nowruz's first week plus a weekend.
	SilentDays int `json:"silent_days"`
	// SeriesDays is the length of the daily series for the sparkline.
	// Default 90.
	SeriesDays int `json:"series_days"`
}

// DefaultPolicy is the policy of the zero value, spelled out.
var DefaultPolicy = Policy{Window: 7, MaxFailureRate: 0.10, MinMessages: 20, SilentDays: 14, SeriesDays: 90}

func (p Policy) withDefaults() Policy {
	d := DefaultPolicy
	if p.Window > 0 {
		d.Window = p.Window
	}
	if p.MaxFailureRate > 0 {
		d.MaxFailureRate = p.MaxFailureRate
	}
	if p.MinMessages > 0 {
		d.MinMessages = p.MinMessages
	}
	if p.SilentDays > 0 {
		d.SilentDays = p.SilentDays
	}
	if p.SeriesDays > 0 {
		d.SeriesDays = p.SeriesDays
	}
	return d
}

// Validate refuses a policy no one could mean.
func (p Policy) Validate() error {
	switch {
	case p.Window < 0 || p.Window > 366:
		return domain.Invalid("policy.window", "پنجره داوری باید میان ۱ تا ۳۶۶ روز باشد", "the window must be 1 to 366 days")
	case p.MaxFailureRate < 0 || p.MaxFailureRate >= 1:
		return domain.Invalid("policy.max_failure_rate", "سقف نرخ خطا باید میان ۰ و ۱ باشد", "the failure-rate threshold must be between 0 and 1")
	case p.SilentDays < 0 || p.SilentDays > 366:
		return domain.Invalid("policy.silent_days", "روزهای خاموشی باید میان ۱ تا ۳۶۶ باشد", "silent days must be 1 to 366")
	case p.SeriesDays < 0 || p.SeriesDays > 366:
		return domain.Invalid("policy.series_days", "طول سری روزانه باید میان ۱ تا ۳۶۶ روز باشد", "the series must be 1 to 366 days")
	}
	return nil
}

// State is what the exchange says of a declared integration.
type State string

const (
	StateLive      State = "live"       // traffic, mostly successful
	StateFailing   State = "failing"    // traffic, but failing past the policy
	StateSilent    State = "silent"     // seen before, no traffic for SilentDays
	StateNeverSeen State = "never-seen" // no traffic ever
)

// Label is the state in both languages.
func (s State) Label() domain.Text {
	switch s {
	case StateLive:
		return domain.T("برقرار", "live")
	case StateFailing:
		return domain.T("ناموفق", "failing")
	case StateSilent:
		return domain.T("خاموش", "silent")
	case StateNeverSeen:
		return domain.T("هرگز دیده نشده", "never seen")
	}
	return domain.T("نامعلوم", "unknown")
}

// DayCount is one day of the series.
type DayCount struct {
	Day       domain.Date `json:"day"` // Tehran calendar day
	Successes uint64      `json:"successes"`
	Failures  uint64      `json:"failures"`
}

// Status is the exchange's evidence about one declared integration.
type Status struct {
	Integration Integration `json:"integration"`
	State       State       `json:"state"`
	Label       domain.Text `json:"label"`
	AsOf        time.Time   `json:"as_of"`

	// Time marks over all the aggregates given, from either server's log
	// (a message either logged happened); nil when none.
	FirstSeen    *time.Time `json:"first_seen,omitempty"`
	LastSeen     *time.Time `json:"last_seen,omitempty"`
	FirstSuccess *time.Time `json:"first_success,omitempty"` // "evidenced by the exchange since"
	LastSuccess  *time.Time `json:"last_success,omitempty"`

	// The window the state was judged on: Window days, or SilentDays when
	// the window itself had no traffic.
	WindowDays  int      `json:"window_days"`
	Successes   uint64   `json:"successes"`
	Failures    uint64   `json:"failures"`
	FailureRate float64  `json:"failure_rate"`
	P50         *float64 `json:"p50_ms,omitempty"` // duration quantiles in the window, ms
	P95         *float64 `json:"p95_ms,omitempty"`

	// Series holds SeriesDays days ending on AsOf's day, oldest first,
	// each message counted once (Aggregate.Messages per day).
	Series []DayCount `json:"series"`
}

// Evaluate judges a declared integration from the aggregates of its traffic
// as of asOf. aggs may mix hours, days and SpanTotal summaries and may hold
// other pairs' aggregates (those the integration does not cover are
// ignored), but no message may be in two of them: pass an hour or the day
// it was rolled into, not both. Windows and series need the aggregates of
// the last max(Window, SilentDays, SeriesDays) days; first seen and first
// success need the oldest too, or a SpanTotal summary of them.
//
// The rules, in order: no traffic ever is never-seen; no traffic in the
// last SilentDays (the aggregates of those days decide) is silent; traffic with no success at all in the window,
// or a failure rate over MaxFailureRate with at least MinMessages
// messages, is failing; anything else is live. When the window (the last
// Window days) has no traffic but the integration is not yet silent, the
// rule is applied to the last SilentDays instead.
func Evaluate(in Integration, aggs []Aggregate, asOf time.Time, p Policy) Status {
	p = p.withDefaults()
	st := Status{Integration: in, AsOf: asOf.UTC(), Series: make([]DayCount, p.SeriesDays)}
	todayStart := DayStart(DayOf(asOf))
	span := max(p.Window, p.SilentDays, p.SeriesDays)
	// days[i] is the day i days before today, per side.
	type sides struct{ c, p Stats }
	days := make([]sides, span)
	var marks Stats
	for i := range aggs {
		a := &aggs[i]
		if !in.Covers(a.Client, a.Service) || (a.Span != SpanTotal && a.Start.After(asOf)) {
			continue // not this integration's, or after asOf
		}
		for _, s := range [...]*Stats{&a.ClientLog, &a.ProducerLog} {
			marks.FirstSeen = minMark(marks.FirstSeen, s.FirstSeen)
			marks.LastSeen = max(marks.LastSeen, s.LastSeen)
			marks.FirstSuccess = minMark(marks.FirstSuccess, s.FirstSuccess)
			marks.LastSuccess = max(marks.LastSuccess, s.LastSuccess)
		}
		if a.Span == SpanTotal {
			continue
		}
		ago := daysBefore(DayOf(a.Start), todayStart)
		if ago < 0 || ago >= span {
			continue
		}
		days[ago].c.Merge(&a.ClientLog)
		days[ago].p.Merge(&a.ProducerLog)
	}
	st.FirstSeen, st.LastSeen = markTime(marks.FirstSeen), markTime(marks.LastSeen)
	st.FirstSuccess, st.LastSuccess = markTime(marks.FirstSuccess), markTime(marks.LastSuccess)

	view := func(d *sides) Stats {
		a := Aggregate{ClientLog: d.c, ProducerLog: d.p}
		return a.Messages()
	}
	for i := range p.SeriesDays {
		ago := p.SeriesDays - 1 - i
		v := view(&days[ago])
		st.Series[i] = DayCount{Day: DayOf(todayStart.AddDate(0, 0, -ago).Add(12 * time.Hour)), Successes: v.Successes, Failures: v.Failures}
	}
	sum := func(n int) Stats {
		var s Stats
		for ago := 0; ago < n; ago++ {
			v := view(&days[ago])
			s.Merge(&v)
		}
		return s
	}
	w := sum(p.Window)
	st.WindowDays = p.Window
	if w.Messages() == 0 {
		w = sum(p.SilentDays)
		st.WindowDays = p.SilentDays
	}
	st.Successes, st.Failures, st.FailureRate = w.Successes, w.Failures, w.FailureRate()
	if v, ok := w.P50(); ok {
		st.P50 = &v
	}
	if v, ok := w.P95(); ok {
		st.P95 = &v
	}

	switch {
	case w.Messages() == 0 && marks.LastSeen == 0:
		st.State = StateNeverSeen
	case w.Messages() == 0:
		st.State = StateSilent
	case w.Messages() > 0 && w.Successes == 0,
		w.Messages() >= p.MinMessages && w.FailureRate() > p.MaxFailureRate:
		st.State = StateFailing
	default:
		st.State = StateLive
	}
	st.Label = st.State.Label()
	return st
}

// daysBefore is how many Tehran days day d lies before the day starting at
// todayStart (negative after it). Days are 24 hours since Iran dropped
// daylight saving in 2022; before that one day a year had 23 hours and one
// 25, hence the rounding.
func daysBefore(d domain.Date, todayStart time.Time) int {
	h := todayStart.Sub(DayStart(d))
	if h < 0 {
		return -int((-h + 12*time.Hour) / (24 * time.Hour))
	}
	return int((h + 12*time.Hour) / (24 * time.Hour))
}

func markTime(ms int64) *time.Time {
	if ms == 0 {
		return nil
	}
	t := time.UnixMilli(ms).UTC()
	return &t
}
