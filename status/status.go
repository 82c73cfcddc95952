// Package status computes a project's delivery status — green, amber, red or
// unknown — from its numbers: the approved baseline, the latest ACCEPTED
// progress report and its milestones. Nobody types a status in; this package
// is the only place it comes from, so the rule is the same on every screen.
// It also decides staleness and the rating flags. It is pure: no storage, no
// HTTP.
//
// # The rule
//
// Without an approved baseline the status is "no-baseline": nothing to
// judge against, nothing owed. With one, each signal below is graded; a red
// signal makes the status red. Otherwise a project that missed an owed
// report (see Staleness: every period past its grace since the last
// accepted report counts) is "silent" — what it last reported is no longer
// current — whatever its older figures said. Otherwise the status is the
// worst grade; with no accepted report and nothing graded it is
// "no-report" (none owed yet), and with an accepted report that gives no
// projection and no milestone overdue it is "unknown". A project that stops
// reporting while its milestones fall due is therefore red or silent,
// never unknown. The signals:
//
//   - Schedule slip: projected end (latest accepted report) minus baselined
//     end, in days, as a percentage of the baselined duration (end − start).
//     More than Policy.AmberSlipPercent (default 5%) is amber; more than
//     Policy.RedSlipPercent (default 15%) is red. A project finishing early
//     or on time is green.
//   - Cost variance: the estimate at completion — the larger of the reported
//     projected cost and the actual cost to date, since money spent cannot
//     be unspent — minus the baselined cost, as a percentage of the
//     baselined cost. More than Policy.AmberCostPercent (default 5%) is
//     amber; more than Policy.RedCostPercent (default 15%) is red.
//   - Overdue milestones: a milestone whose planned date has passed (as of
//     the day asked about) without an accepted report marking it done makes
//     the status at least amber; when the oldest such milestone is overdue
//     by more than Policy.RedSlipPercent of the baselined duration, red.
//
// "More than" is strict: a slip of exactly 5% is still green.
//
// # Staleness
//
// A project owes a report for every reporting period (monthly unless its
// baseline says quarterly). It is stale when, as of a day, the report for
// the period after its last accepted one is more than Policy.StaleGraceDays
// (default 15) past that period's end. A project with a baseline but no
// accepted report owes its first report for the period its planned start
// falls in. A project with no baseline owes nothing yet; nor does one that
// is implemented, suspended or withdrawn.
//
// # Ratings
//
// Divergent: the latest self and council ratings differ by
// Policy.DivergencePoints (default 2) or more. RatingDrop: the latest council
// rating is Policy.RatingDropPoints (default 1) or more below the previous
// council rating.
package status

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

// Baseline is the approved plan the numbers are judged against.
type Baseline struct {
	Start, End domain.Date
	Cost       int64 // IRR
}

// Figures are what the latest accepted report says.
type Figures struct {
	Period        domain.Period
	ProjectedEnd  *domain.Date
	ProjectedCost *int64
	ActualCost    *int64
}

// Input is everything the status is computed from.
type Input struct {
	AsOf     domain.Date
	Baseline *Baseline // nil: no approved baseline
	Report   *Figures  // nil: no accepted report
	// OverdueSince is the planned date of the earliest milestone not yet
	// done (nil: none); it counts only when it is before AsOf.
	OverdueSince *domain.Date
	// Missed is how many owed reports are past their grace (Missed).
	Missed int
}

// Variance holds the computed variances; a nil field could not be computed.
type Variance struct {
	SlipDays         *int     `json:"schedule_slip_days"`
	SlipPercent      *float64 `json:"schedule_slip_percent"`
	CostVariance     *int64   `json:"cost_variance"` // IRR; positive is an overrun
	CostPercent      *float64 `json:"cost_variance_percent"`
	OverdueDays      *int     `json:"milestone_overdue_days"`
	BaselineDuration *int     `json:"baseline_duration_days"`
}

// Result is the computed status with the reasons for it, in both languages.
type Result struct {
	Status   domain.RAG    `json:"status"`
	Reasons  []domain.Text `json:"reasons"`
	Variance Variance      `json:"variance"`
}

var rank = map[domain.RAG]int{domain.Green: 0, domain.Amber: 1, domain.Red: 2}

// grade returns red, amber or green for a value against two thresholds,
// comparing num/den*100 with each threshold exactly.
func grade(num, den int64, amber, red int) domain.RAG {
	switch {
	case exceeds(num, den, red):
		return domain.Red
	case exceeds(num, den, amber):
		return domain.Amber
	}
	return domain.Green
}

// exceeds reports whether num/den is more than pct percent, exactly
// (num·100 > pct·den, in big integers so large costs cannot overflow).
func exceeds(num, den int64, pct int) bool {
	const small = 1 << 50 // products stay far inside int64
	if num > -small && num < small && den > -small && den < small && pct > -1000 && pct < 1000 {
		return num*100 > int64(pct)*den
	}
	l := new(big.Int).Mul(big.NewInt(num), big.NewInt(100))
	r := new(big.Int).Mul(big.NewInt(int64(pct)), big.NewInt(den))
	return l.Cmp(r) > 0
}

func percent(num, den int64) float64 {
	v := float64(num) * 100 / float64(den)
	return math.Round(v*10) / 10
}

// Compute returns the status of one project.
func Compute(in Input, p domain.Policy) Result {
	res := Result{Status: domain.Unknown, Reasons: []domain.Text{}}
	if in.Baseline == nil {
		res.Status = domain.NoBaseline
		res.Reasons = append(res.Reasons, domain.T("خط مبنای مصوبی ثبت نشده است", "no approved baseline"))
		return res
	}
	b := *in.Baseline
	dur := b.Start.DaysUntil(b.End)
	res.Variance.BaselineDuration = &dur
	worst, judged := domain.Green, false
	raise := func(g domain.RAG, why domain.Text) {
		judged = true
		if rank[g] > rank[worst] {
			worst = g
		}
		res.Reasons = append(res.Reasons, why)
	}
	if in.Report != nil {
		r := *in.Report
		if r.ProjectedEnd != nil {
			slip := b.End.DaysUntil(*r.ProjectedEnd)
			pct := percent(int64(slip), int64(dur))
			res.Variance.SlipDays, res.Variance.SlipPercent = &slip, &pct
			g := grade(int64(slip), int64(dur), p.AmberSlipPercent, p.RedSlipPercent)
			raise(g, slipText(g, slip, pct, p))
		}
		if r.ProjectedCost != nil || r.ActualCost != nil {
			eac := int64(0)
			for _, c := range []*int64{r.ProjectedCost, r.ActualCost} {
				if c != nil && *c > eac {
					eac = *c
				}
			}
			v := eac - b.Cost
			pct := percent(v, b.Cost)
			res.Variance.CostVariance, res.Variance.CostPercent = &v, &pct
			g := grade(v, b.Cost, p.AmberCostPercent, p.RedCostPercent)
			raise(g, costText(g, pct, p))
		}
	}
	// A milestone falls due whether or not anyone reports: it is judged
	// with no accepted report too.
	if in.OverdueSince != nil && earlier(*in.OverdueSince, in.AsOf) {
		days := in.OverdueSince.DaysUntil(in.AsOf)
		res.Variance.OverdueDays = &days
		g := domain.Amber
		if exceeds(int64(days), int64(dur), p.RedSlipPercent) {
			g = domain.Red
		}
		d := strconv.Itoa(days)
		raise(g, domain.T(
			"نقطه عطفی "+jalali.PersianDigits(d)+" روز از موعدش گذشته و انجام نشده است",
			"a milestone is "+d+" days past its planned date and not done"))
	}
	if in.Missed > 0 {
		n := strconv.Itoa(in.Missed)
		res.Reasons = append(res.Reasons, domain.T(
			jalali.PersianDigits(n)+" گزارش دوره‌ای بدهکار از مهلتش گذشته و نرسیده است",
			n+" owed periodic report(s) past their deadline and not received"))
	}
	switch {
	case judged && worst == domain.Red:
		res.Status = domain.Red
	case in.Missed > 0:
		res.Status = domain.Silent
	case judged:
		res.Status = worst
	case in.Report == nil:
		res.Status = domain.NoReport
		res.Reasons = append(res.Reasons, domain.T("هنوز گزارش پذیرفته‌شده‌ای نیست و گزارشی هم از مهلت نگذشته است",
			"no accepted progress report yet, and none past its deadline"))
	default:
		res.Reasons = append(res.Reasons, domain.T("گزارش پذیرفته‌شده پیش‌بینی پایان یا هزینه ندارد",
			"the accepted report gives no projected end or cost"))
	}
	return res
}

func pctString(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// faNumber writes a number in Persian digits with the Persian decimal
// separator.
func faNumber(s string) string { return strings.ReplaceAll(jalali.PersianDigits(s), ".", "٫") }

func slipText(g domain.RAG, slip int, pct float64, p domain.Policy) domain.Text {
	d, ps := strconv.Itoa(slip), pctString(pct)
	fd, fp := faNumber(d), faNumber(ps)
	switch g {
	case domain.Red:
		return domain.T("پایان پیش‌بینی‌شده "+fd+" روز ("+fp+"٪ مدت) دیرتر از خط مبناست؛ بیش از آستانه قرمز "+jalali.PersianDigits(strconv.Itoa(p.RedSlipPercent))+"٪",
			"projected end is "+d+" days ("+ps+"% of the baselined duration) late: more than the red threshold of "+strconv.Itoa(p.RedSlipPercent)+"%")
	case domain.Amber:
		return domain.T("پایان پیش‌بینی‌شده "+fd+" روز ("+fp+"٪ مدت) دیرتر از خط مبناست؛ بیش از آستانه زرد "+jalali.PersianDigits(strconv.Itoa(p.AmberSlipPercent))+"٪",
			"projected end is "+d+" days ("+ps+"% of the baselined duration) late: more than the amber threshold of "+strconv.Itoa(p.AmberSlipPercent)+"%")
	}
	return domain.T("پایان پیش‌بینی‌شده در محدوده خط مبناست (لغزش "+fd+" روز، "+fp+"٪)",
		"projected end within the baseline (slip "+d+" days, "+ps+"%)")
}

func costText(g domain.RAG, pct float64, p domain.Policy) domain.Text {
	ps := pctString(pct)
	fp := faNumber(ps)
	switch g {
	case domain.Red:
		return domain.T("هزینه پیش‌بینی‌شده "+fp+"٪ بیش از خط مبناست؛ بیش از آستانه قرمز "+jalali.PersianDigits(strconv.Itoa(p.RedCostPercent))+"٪",
			"estimated cost is "+ps+"% over the baseline: more than the red threshold of "+strconv.Itoa(p.RedCostPercent)+"%")
	case domain.Amber:
		return domain.T("هزینه پیش‌بینی‌شده "+fp+"٪ بیش از خط مبناست؛ بیش از آستانه زرد "+jalali.PersianDigits(strconv.Itoa(p.AmberCostPercent))+"٪",
			"estimated cost is "+ps+"% over the baseline: more than the amber threshold of "+strconv.Itoa(p.AmberCostPercent)+"%")
	}
	return domain.T("هزینه پیش‌بینی‌شده در محدوده خط مبناست ("+fp+"٪)", "estimated cost within the baseline ("+ps+"%)")
}

// earlier reports whether a is before b. (domain.Date.Before compares the
// formatted days; health judges thousands of projects at a time.)
func earlier(a, b domain.Date) bool {
	if a.Y != b.Y {
		return a.Y < b.Y
	}
	if a.M != b.M {
		return a.M < b.M
	}
	return a.D < b.D
}

// Owed says what a project owes in reports.
type Owed struct {
	Owes         bool           // under follow-up: has a baseline and is not implemented, suspended or withdrawn
	Every        int            // reporting period in months: 1 or 3
	Start        domain.Date    // the baseline's planned start
	LastAccepted *domain.Period // the period of the latest accepted report
}

// Stale reports whether a project is stale as of a day, and when its next
// report is (or was) due — that is, the end of the owed period plus the
// grace. due is nil when nothing is owed.
func Stale(o Owed, asOf domain.Date, p domain.Policy) (stale bool, due *domain.Date) {
	if !o.Owes {
		return false, nil
	}
	d := firstOwed(o).End().AddDays(p.StaleGraceDays)
	return earlier(d, asOf), &d
}

// firstOwed is the first period whose report a project owes: the one
// after its last accepted report, or, with none, the one its planned start
// falls in (the end of its first reporting period).
func firstOwed(o Owed) domain.Period {
	every := max(o.Every, 1)
	if o.LastAccepted != nil {
		return o.LastAccepted.Add(every)
	}
	return domain.PeriodOf(o.Start).Add(every - 1)
}

// maxMissed bounds the count: a century of monthly reports.
const maxMissed = 1200

// Missed counts the reporting periods a project owes, as of a day, whose
// report is more than the grace past the period's end: every one since its
// last accepted report (or its baseline's start), not only the next.
func Missed(o Owed, asOf domain.Date, p domain.Policy) int {
	if !o.Owes {
		return 0
	}
	every := max(o.Every, 1)
	n := 0
	for owed := firstOwed(o); n < maxMissed && earlier(owed.End().AddDays(p.StaleGraceDays), asOf); owed = owed.Add(every) {
		n++
	}
	return n
}

// Ratings returns the rating flags from the latest self rating, the latest
// council rating and the council rating before it (nil: none).
func Ratings(self, council, prevCouncil *int, p domain.Policy) (divergent, drop bool) {
	if self != nil && council != nil {
		gap := *self - *council
		if gap < 0 {
			gap = -gap
		}
		divergent = gap >= p.DivergencePoints
	}
	if council != nil && prevCouncil != nil {
		drop = *prevCouncil-*council >= max(p.RatingDropPoints, 1)
	}
	return divergent, drop
}
