package status_test

import (
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/status"
)

func d(s string) domain.Date { return domain.MustDate(s) }

func dp(s string) *domain.Date { x := domain.MustDate(s); return &x }

func cost(n int64) *int64 { return &n }

// The baseline runs 2024-01-01 → 2024-12-31: 365 days. 5% is 18.25 days,
// 15% is 54.75 days.
var base = &status.Baseline{Start: d("2024-01-01"), End: d("2024-12-31"), Cost: 1_000_000_000}

func TestComputeScheduleSlip(t *testing.T) {
	p := domain.DefaultPolicy
	cases := []struct {
		name      string
		end       string
		want      domain.RAG
		slipDays  int
		reasonHas string
	}{
		{"early", "2024-12-01", domain.Green, -30, "within the baseline"},
		{"on time", "2024-12-31", domain.Green, 0, "within the baseline"},
		{"18 days late: 4.9%", "2025-01-18", domain.Green, 18, "within the baseline"},
		{"19 days late: 5.2% — amber", "2025-01-19", domain.Amber, 19, "amber threshold of 5%"},
		{"54 days late: 14.8% — still amber", "2025-02-23", domain.Amber, 54, "amber threshold"},
		{"55 days late: 15.1% — red", "2025-02-24", domain.Red, 55, "red threshold of 15%"},
		{"a year late", "2025-12-31", domain.Red, 365, "red threshold"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: base,
				Report: &status.Figures{Period: "1403-02", ProjectedEnd: dp(c.end)}}, p)
			if r.Status != c.want {
				t.Fatalf("status %s, want %s (%v)", r.Status, c.want, r.Reasons)
			}
			if r.Variance.SlipDays == nil || *r.Variance.SlipDays != c.slipDays {
				t.Fatalf("slip days %v, want %d", r.Variance.SlipDays, c.slipDays)
			}
			if len(r.Reasons) != 1 || !strings.Contains(r.Reasons[0].EN, c.reasonHas) || r.Reasons[0].FA == "" {
				t.Fatalf("reasons %v, want one containing %q", r.Reasons, c.reasonHas)
			}
			if r.Variance.CostVariance != nil {
				t.Errorf("cost variance computed without cost figures: %v", *r.Variance.CostVariance)
			}
		})
	}
}

func TestComputeSlipPercent(t *testing.T) {
	r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: base,
		Report: &status.Figures{ProjectedEnd: dp("2025-02-24")}}, domain.DefaultPolicy)
	if r.Variance.SlipPercent == nil || *r.Variance.SlipPercent != 15.1 {
		t.Fatalf("slip percent %v, want 15.1", r.Variance.SlipPercent)
	}
	if r.Variance.BaselineDuration == nil || *r.Variance.BaselineDuration != 365 {
		t.Fatalf("duration %v, want 365", r.Variance.BaselineDuration)
	}
}

func TestComputeCost(t *testing.T) {
	p := domain.DefaultPolicy
	cases := []struct {
		name              string
		projected, actual *int64
		want              domain.RAG
		variance          int64
		pct               float64
	}{
		{"under", cost(900_000_000), nil, domain.Green, -100_000_000, -10},
		{"exactly 5% over stays green", cost(1_050_000_000), nil, domain.Green, 50_000_000, 5},
		{"just over 5%", cost(1_050_000_001), nil, domain.Amber, 50_000_001, 5},
		{"exactly 15% over is amber", cost(1_150_000_000), nil, domain.Amber, 150_000_000, 15},
		{"16% over", cost(1_160_000_000), nil, domain.Red, 160_000_000, 16},
		{"actual spend beyond the projection counts", cost(1_000_000_000), cost(1_200_000_000), domain.Red, 200_000_000, 20},
		{"actual alone", nil, cost(1_100_000_000), domain.Amber, 100_000_000, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: base,
				Report: &status.Figures{ProjectedCost: c.projected, ActualCost: c.actual}}, p)
			if r.Status != c.want {
				t.Fatalf("status %s, want %s (%v)", r.Status, c.want, r.Reasons)
			}
			if *r.Variance.CostVariance != c.variance || *r.Variance.CostPercent != c.pct {
				t.Fatalf("variance %d (%v%%), want %d (%v%%)", *r.Variance.CostVariance, *r.Variance.CostPercent, c.variance, c.pct)
			}
		})
	}
}

// Huge costs must not overflow the threshold arithmetic.
func TestComputeHugeCost(t *testing.T) {
	b := &status.Baseline{Start: d("2024-01-01"), End: d("2024-12-31"), Cost: domain.MaxCost / 2}
	r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: b,
		Report: &status.Figures{ProjectedCost: cost(domain.MaxCost)}}, domain.DefaultPolicy)
	if r.Status != domain.Red || *r.Variance.CostPercent != 100 {
		t.Fatalf("status %s, %v%%", r.Status, *r.Variance.CostPercent)
	}
}

func TestComputeOverdueMilestone(t *testing.T) {
	p := domain.DefaultPolicy
	on := &status.Figures{Period: "2024-05", ProjectedEnd: dp("2024-12-31")}
	cases := []struct {
		name, due, asOf string
		want            domain.RAG
	}{
		{"not yet due", "2024-07-01", "2024-06-01", domain.Green},
		{"due today is not overdue", "2024-06-01", "2024-06-01", domain.Green},
		{"a day overdue", "2024-05-31", "2024-06-01", domain.Amber},
		{"54 days overdue", "2024-04-08", "2024-06-01", domain.Amber},
		{"55 days overdue: more than 15% of 365", "2024-04-07", "2024-06-01", domain.Red},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := status.Compute(status.Input{AsOf: d(c.asOf), Baseline: base, Report: on, OverdueSince: dp(c.due)}, p)
			if r.Status != c.want {
				t.Fatalf("status %s, want %s (%v)", r.Status, c.want, r.Reasons)
			}
		})
	}
}

func TestComputeWorstWins(t *testing.T) {
	r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: base,
		Report: &status.Figures{ProjectedEnd: dp("2025-01-19"), ProjectedCost: cost(1_200_000_000)}}, domain.DefaultPolicy)
	if r.Status != domain.Red || len(r.Reasons) != 2 {
		t.Fatalf("status %s, reasons %v: want red with two reasons", r.Status, r.Reasons)
	}
}

// Point 6 of issue 14: no baseline, no report, silent and red are
// distinct, and "no baseline" is never "no accepted report".
func TestComputeNothingToJudge(t *testing.T) {
	p := domain.DefaultPolicy
	for name, c := range map[string]struct {
		in     status.Input
		want   domain.RAG
		reason string
	}{
		"no baseline":       {status.Input{AsOf: d("2024-06-01"), Report: &status.Figures{ProjectedEnd: dp("2030-01-01")}}, domain.NoBaseline, "no approved baseline"},
		"no report":         {status.Input{AsOf: d("2024-06-01"), Baseline: base}, domain.NoReport, "no accepted progress report"},
		"report, no figure": {status.Input{AsOf: d("2024-06-01"), Baseline: base, Report: &status.Figures{Period: "1403-02"}}, domain.Unknown, "no projected end or cost"},
	} {
		t.Run(name, func(t *testing.T) {
			r := status.Compute(c.in, p)
			if r.Status != c.want || len(r.Reasons) != 1 || !strings.Contains(r.Reasons[0].EN, c.reason) || r.Reasons[0].FA == "" {
				t.Fatalf("got %s %v, want %s with one reason saying %q", r.Status, r.Reasons, c.want, c.reason)
			}
		})
	}
}

// A project that stops reporting while its milestones fall due is red or
// silent, never unknown; a silent project with an old green report is not
// green.
func TestComputeSilentAndRed(t *testing.T) {
	p := domain.DefaultPolicy
	green := &status.Figures{Period: "1403-02", ProjectedEnd: dp("2024-12-31")}
	cases := []struct {
		name string
		in   status.Input
		want domain.RAG
	}{
		{"never reported, milestone 55 days overdue: red", status.Input{AsOf: d("2024-06-01"), Baseline: base, OverdueSince: dp("2024-04-07"), Missed: 2}, domain.Red},
		{"never reported, milestone a day overdue, reports missed: silent", status.Input{AsOf: d("2024-06-01"), Baseline: base, OverdueSince: dp("2024-05-31"), Missed: 2}, domain.Silent},
		{"never reported, milestone a day overdue, nothing owed yet: amber", status.Input{AsOf: d("2024-06-01"), Baseline: base, OverdueSince: dp("2024-05-31")}, domain.Amber},
		{"never reported, reports missed: silent", status.Input{AsOf: d("2024-06-01"), Baseline: base, Missed: 1}, domain.Silent},
		{"green report, then silence: silent", status.Input{AsOf: d("2024-09-01"), Baseline: base, Report: green, Missed: 2}, domain.Silent},
		{"green report, nothing missed: green", status.Input{AsOf: d("2024-06-01"), Baseline: base, Report: green}, domain.Green},
		{"red report, then silence: red", status.Input{AsOf: d("2024-09-01"), Baseline: base, Report: &status.Figures{ProjectedEnd: dp("2025-12-31")}, Missed: 3}, domain.Red},
		{"no baseline, whatever is missed: no-baseline", status.Input{AsOf: d("2024-09-01"), Missed: 3}, domain.NoBaseline},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := status.Compute(c.in, p)
			if r.Status != c.want {
				t.Fatalf("status %s, want %s (%v)", r.Status, c.want, r.Reasons)
			}
			if c.in.Missed > 0 && c.want != domain.NoBaseline && !slicesHas(r.Reasons, "owed periodic report") {
				t.Fatalf("reasons %v do not say reports were missed", r.Reasons)
			}
		})
	}
}

func slicesHas(ts []domain.Text, sub string) bool {
	for _, x := range ts {
		if strings.Contains(x.EN, sub) {
			return true
		}
	}
	return false
}

// Every owed period past its grace counts, not only the next one.
func TestMissed(t *testing.T) {
	p := domain.DefaultPolicy       // grace 15 days
	may := domain.Period("1403-02") // Ordibehesht 1403: ends 2024-05-20
	cases := []struct {
		name string
		owed status.Owed
		asOf string
		want int
	}{
		{"nothing owed", status.Owed{}, "2030-01-01", 0},
		{"next report not yet late", status.Owed{Owes: true, Every: 1, LastAccepted: &may}, "2024-07-05", 0},
		{"one period late", status.Owed{Owes: true, Every: 1, LastAccepted: &may}, "2024-07-06", 1},
		// Khordad (ends 06-20, due 07-05), Tir (ends 07-22, due 08-06), Mordad (ends 08-22, due 09-06).
		{"three periods late", status.Owed{Owes: true, Every: 1, LastAccepted: &may}, "2024-09-07", 3},
		{"a year of silence", status.Owed{Owes: true, Every: 1, LastAccepted: &may}, "2025-06-06", 12},
		{"quarterly: one late", status.Owed{Owes: true, Every: 3, LastAccepted: &may}, "2024-09-06", 1},
		// Never reported: from the baseline's start (Esfand 1402, ends 2024-03-19).
		{"never reported, from the baseline", status.Owed{Owes: true, Every: 1, Start: d("2024-03-10")}, "2024-06-06", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := status.Missed(c.owed, d(c.asOf), p); got != c.want {
				t.Fatalf("missed %d, want %d", got, c.want)
			}
			if stale, _ := status.Stale(c.owed, d(c.asOf), p); stale != (c.want > 0) {
				t.Fatalf("stale %v while %d periods are missed", stale, c.want)
			}
		})
	}
}

// Thresholds come from the policy, not from constants.
func TestComputePolicy(t *testing.T) {
	p := domain.DefaultPolicy
	p.AmberSlipPercent, p.RedSlipPercent = 1, 2
	r := status.Compute(status.Input{AsOf: d("2024-06-01"), Baseline: base,
		Report: &status.Figures{ProjectedEnd: dp("2025-01-09")}}, p) // 9 days: 2.5%
	if r.Status != domain.Red {
		t.Fatalf("status %s, want red under a 2%% red threshold", r.Status)
	}
}

func TestStale(t *testing.T) {
	p := domain.DefaultPolicy       // grace 15 days
	may := domain.Period("1403-02") // Ordibehesht 1403: 2024-04-20 to 2024-05-20
	cases := []struct {
		name  string
		owed  status.Owed
		asOf  string
		stale bool
		due   string
	}{
		{"nothing owed", status.Owed{}, "2030-01-01", false, ""},
		// Khordad 1403 ends on 2024-06-20; its report is due 15 days on.
		{"Khordad report due by 5 July", status.Owed{Owes: true, Every: 1, Start: d("2024-01-01"), LastAccepted: &may}, "2024-07-05", false, "2024-07-05"},
		{"a day past the grace", status.Owed{Owes: true, Every: 1, Start: d("2024-01-01"), LastAccepted: &may}, "2024-07-06", true, "2024-07-05"},
		// Quarterly: three Jalali months on, Mordad 1403, which ends on 2024-08-21.
		{"quarterly: next due after Mordad", status.Owed{Owes: true, Every: 3, Start: d("2024-01-01"), LastAccepted: &may}, "2024-09-05", false, "2024-09-05"},
		// 2024-03-10 is in Esfand 1402, which ends on 2024-03-19.
		{"never reported, first month not over", status.Owed{Owes: true, Every: 1, Start: d("2024-03-10")}, "2024-04-03", false, "2024-04-03"},
		{"never reported, first report late", status.Owed{Owes: true, Every: 1, Start: d("2024-03-10")}, "2024-04-04", true, "2024-04-03"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stale, due := status.Stale(c.owed, d(c.asOf), p)
			if stale != c.stale {
				t.Fatalf("stale %v, want %v", stale, c.stale)
			}
			if c.due == "" && due != nil || c.due != "" && (due == nil || due.String() != c.due) {
				t.Fatalf("due %v, want %q", due, c.due)
			}
		})
	}
}

func TestRatings(t *testing.T) {
	p := domain.DefaultPolicy
	n := func(v int) *int { return &v }
	cases := []struct {
		name                string
		self, council, prev *int
		divergent, dropped  bool
	}{
		{"none", nil, nil, nil, false, false},
		{"self 5, council 2", n(5), n(2), nil, true, false},
		{"self 2, council 4", n(2), n(4), nil, true, false},
		{"one apart", n(4), n(3), nil, false, false},
		{"council fell 4 → 3", nil, n(3), n(4), false, true},
		{"council rose", nil, n(4), n(3), false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			div, drop := status.Ratings(c.self, c.council, c.prev, p)
			if div != c.divergent || drop != c.dropped {
				t.Fatalf("divergent %v drop %v, want %v %v", div, drop, c.divergent, c.dropped)
			}
		})
	}
}
