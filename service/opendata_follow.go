package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// The open data's follow-up files (issue 14): each project's computed
// status on any day, the accepted reports, the baselines and the actions —
// of public projects only, whoever asks, each read in one transaction.

// StatusRow is one public project's computed status on a day.
type StatusRow struct {
	Slug          string
	Title         domain.Text
	Lifecycle     domain.Lifecycle // today's: the lifecycle keeps no dated history
	Lead          string
	Health        domain.Health
	Baseline      int          // the baseline in force that day; 0: none
	NextReportDue *domain.Date // nil: no report owed
	MilestoneDue  *domain.Date // the earliest milestone not done by that day
}

// PublicStatusAsOf computes every public project's status as it stood at
// the end of day, from the records dated up to then: the baselines
// approved, the reports accepted, the ratings given and the milestones done
// by that day (stateAsOf), judged by today's rule and policy.
func (s *Service) PublicStatusAsOf(ctx context.Context, day domain.Date) (out []StatusRow, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		heads, err := tx.PublicHeads()
		if err != nil {
			return err
		}
		bs, err := tx.PublicBaselines()
		if err != nil {
			return err
		}
		rs, err := tx.PublicAcceptedReports()
		if err != nil {
			return err
		}
		gs, err := tx.PublicRatings()
		if err != nil {
			return err
		}
		ms, err := tx.PublicMilestones()
		if err != nil {
			return err
		}
		byB, byR, byG, byM := groupBy(bs, func(b *domain.Baseline) string { return b.Project }),
			groupBy(rs, func(r store.AcceptedReport) string { return r.Project }),
			groupBy(gs, func(g *domain.Rating) string { return g.Project }),
			groupBy(ms, func(m *domain.Milestone) string { return m.Project })
		out = make([]StatusRow, 0, len(heads))
		for _, h := range heads {
			st := stateAsOf(h.Slug, day, byB[h.Slug], byR[h.Slug], byG[h.Slug], byM[h.Slug])
			j := s.judge(h.Slug, st, day, owesReports(h.Lifecycle))
			row := StatusRow{Slug: h.Slug, Title: h.Title, Lifecycle: h.Lifecycle, Lead: h.Lead, Health: j.Health,
				NextReportDue: j.NextReportDue}
			if st != nil {
				row.Baseline, row.MilestoneDue = st.Baseline, st.MilestoneDue
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}

func groupBy[T any](xs []T, key func(T) string) map[string][]T {
	out := map[string][]T{}
	for _, x := range xs {
		out[key(x)] = append(out[key(x)], x)
	}
	return out
}

// AcceptedReport is an accepted report on a public project, with the
// verification code of its signed document.
type AcceptedReport struct {
	store.AcceptedReport
	Code string
}

// PublicAcceptedReports lists the accepted reports on public projects.
func (s *Service) PublicAcceptedReports(ctx context.Context) (out []AcceptedReport, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		rs, err := tx.PublicAcceptedReports()
		if err != nil {
			return err
		}
		refs := make([]string, len(rs))
		for i, r := range rs {
			refs[i] = reportRef(r.ID)
		}
		codes, err := tx.SignedCodes(signing.KindReport, refs)
		if err != nil {
			return err
		}
		out = make([]AcceptedReport, len(rs))
		for i, r := range rs {
			out[i] = AcceptedReport{AcceptedReport: r, Code: codes[refs[i]]}
		}
		return nil
	})
	return out, err
}

// PublicBaselines lists the baselines of public projects, by project and
// number, each saying whether it is the project's current one.
func (s *Service) PublicBaselines(ctx context.Context) (out []*domain.Baseline, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.PublicBaselines(); err != nil {
			return err
		}
		for i, b := range out {
			b.Current = i+1 == len(out) || out[i+1].Project != b.Project
			if i > 0 && out[i-1].Project == b.Project {
				b.Supersedes = out[i-1].Number
			}
			b.RecordedBy = "" // an account: the public reads who approved it, not who typed it
		}
		return nil
	})
	return out, err
}

// AllPublicActions lists every one of the public's actions with its
// history, newest decision first, in one read transaction.
func (s *Service) AllPublicActions(ctx context.Context) (out []*domain.Action, day domain.Date, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		day = txDay(tx)
		acts, _, err := tx.PublicActions(store.PublicActionFilter{}, day, 0, 1<<30)
		for _, a := range acts {
			out = append(out, publicAction(a))
		}
		return err
	})
	return out, day, err
}
