package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/pishran/pishran/domain"
)

// ReportMonths is how many monthly reports each synthetic project has: at
// national scale (10,000 projects) that is 200,000 reports.
const ReportMonths = 20

// ProgressAsOf is the day the synthetic follow-up is current to: every
// project's reports run to the month before it, except the stale tenth,
// whose reports stopped three months earlier.
var ProgressAsOf = domain.NewDate(2025, 5, 10)

// Progress builds the follow-up records of the projects of Registry(c):
// for each project an approved baseline, two milestones, ReportMonths
// accepted monthly reports by its lead agency, and three self and three
// council ratings. Projections drift month by month, so the projects end up
// spread over green, amber and red; about one in ten is stale and one in
// eight has diverging ratings. The same Config always gives the same
// records.
func Progress(c Config) *domain.FollowUp { return ProgressOf(Registry(c), c.Seed) }

// ProgressOf is Progress over an already built registry document.
func ProgressOf(doc *domain.Document, seed uint64) *domain.FollowUp {
	r := rand.New(rand.NewPCG(seed^0xf011, seed^0x0b5e))
	f := &domain.FollowUp{
		Baselines:  make([]domain.Baseline, 0, len(doc.Projects)),
		Milestones: make([]domain.Milestone, 0, 2*len(doc.Projects)),
		Reports:    make([]domain.Report, 0, ReportMonths*len(doc.Projects)),
		Ratings:    make([]domain.Rating, 0, 6*len(doc.Projects)),
	}
	last := domain.PeriodOf(ProgressAsOf).Add(-1)
	approved := domain.NewDate(2022, 12, 20)
	for i := range doc.Projects {
		p := &doc.Projects[i]
		lead := p.Lead()
		if lead == "" {
			continue
		}
		start := domain.PeriodOf(domain.NewDate(2023, 1, 1)).Add(i % 12).Start()
		months := 24 + r.IntN(25)
		end := start.Time().AddDate(0, months, -1)
		endDate := domain.DateOf(end)
		cost := int64(1+r.IntN(100)) * 10_000_000_000
		f.Baselines = append(f.Baselines, domain.Baseline{Project: p.Slug, Start: &start, End: &endDate, Cost: cost,
			Currency: domain.Currency, Reporting: domain.Monthly, Approved: &approved, Reference: fmt.Sprintf("synth-%05d", i),
			ApprovedBy: domain.T("شورای اجرایی فناوری اطلاعات (ساختگی)", "IT Executive Council (synthetic)")})
		duration := start.DaysUntil(endDate)
		for k, share := range []int{3, 6} {
			planned := start.AddDays(duration * share / 10)
			m := domain.Milestone{Project: p.Slug, Title: domain.T(fmt.Sprintf("مرحله %d", k+1), fmt.Sprintf("Phase %d", k+1)),
				Planned: &planned, Weight: 1 + k}
			if planned.Before(ProgressAsOf) && r.IntN(10) < 7 {
				done := planned.AddDays(r.IntN(30))
				if done.Before(ProgressAsOf) {
					m.Actual, m.Percent = &done, 100
				}
			}
			f.Milestones = append(f.Milestones, m)
		}
		final := last
		if i%10 == 9 {
			final = last.Add(-3) // the stale tenth
		}
		slip, overrun := 0, int64(0)
		drift := r.IntN(5) // days of slip added per month, on average
		for k := ReportMonths - 1; k >= 0; k-- {
			period := final.Add(-k)
			slip += r.IntN(2*drift+1) - drift/2
			overrun += int64(r.IntN(3)-1) * cost / 200
			pe := endDate.AddDays(slip)
			pc := cost + overrun
			elapsed := max(1, start.DaysUntil(period.End()))
			ac := cost * int64(min(elapsed, duration)) / int64(duration) * 9 / 10
			rep := domain.Report{Project: p.Slug, Agency: lead, Period: period, State: domain.ReportAccepted,
				Narrative:    domain.T("گزارش ساختگی", "synthetic report"),
				ProjectedEnd: &pe, ProjectedCost: &pc, ActualCost: &ac}
			if slip > 30 {
				rep.Risks = []domain.Risk{{Text: domain.T("تأخیر در تبادل داده میان دستگاه‌ها", "delays in data exchange between agencies"),
					Severity: domain.RiskHigh}}
			}
			f.Reports = append(f.Reports, rep)
		}
		council := 2 + r.IntN(4)
		self := council
		if i%8 == 0 {
			self = min(5, council+2)
			council = max(1, self-2)
		}
		for k := range 3 {
			on := domain.PeriodOf(ProgressAsOf).Add(-3 * (3 - k)).Start().AddDays(r.IntN(20))
			cs := max(1, min(5, council+r.IntN(3)-1))
			if k == 2 {
				cs = council
			}
			f.Ratings = append(f.Ratings,
				domain.Rating{Project: p.Slug, Kind: domain.SelfRating, Agency: lead, Score: self, Date: &on,
					Comment: domain.T("خودارزیابی ساختگی", "synthetic self rating")},
				domain.Rating{Project: p.Slug, Kind: domain.CouncilRating, Score: cs, Date: &on,
					Comment: domain.T("ارزیابی ساختگی شورا", "synthetic council rating")})
		}
	}
	return f
}
