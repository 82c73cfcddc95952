package service

import (
	"context"
	"time"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/store"
)

// The exchange as evidence (issue 15): each declared integration judged
// from the aggregates (exchange.Evaluate), and the divergences between what
// reports claim and what the exchange shows.

// judge reads what Evaluate needs of a declaration and judges it as of
// asOf, naming the agencies its two ends are mapped to.
func judge(tx *store.Tx, d *exchange.Declared, asOf time.Time) (exchange.Judged, error) {
	p := d.Policy
	aggs, err := tx.TrafficOf(d.Integration, asOf.AddDate(0, 0, -judgeSpan(p)))
	if err != nil {
		return exchange.Judged{}, err
	}
	j := exchange.Judged{Declared: *d, Status: exchange.Evaluate(d.Integration, aggs, asOf, p)}
	if m, err := tx.Mapping(d.Integration.Client); err == nil {
		j.ClientAgency = m.Agency
	}
	if m, err := tx.Mapping(d.Integration.Service.Provider); err == nil {
		j.ProviderAgency = m.Agency
	}
	return j, nil
}

// judgeSpan is how many days of traffic judging a declaration reads.
func judgeSpan(p exchange.Policy) int {
	return max(p.Window, p.SilentDays, p.SeriesDays, exchange.DefaultPolicy.Window, exchange.DefaultPolicy.SilentDays,
		exchange.DefaultPolicy.SeriesDays)
}

// Integrations judges a project's declared integrations as of now, as the
// actor may see the project (a hidden one is not found).
func (s *Service) Integrations(ctx context.Context, a Actor, slug string) (out []exchange.Judged, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Project(slug, a.Viewer()); err != nil {
			return err
		}
		out, err = judgeAll(tx, slug)
		return err
	})
	return out, err
}

func judgeAll(tx *store.Tx, slug string) ([]exchange.Judged, error) {
	ds, err := tx.DeclaredOf(slug)
	if err != nil {
		return nil, err
	}
	out := make([]exchange.Judged, 0, len(ds))
	for _, d := range ds {
		j, err := judge(tx, d, tx.Now())
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// Divergence is a milestone said to be done while the exchange shows no
// successful traffic of the integration that evidences it.
type Divergence struct {
	Project     string               `json:"project"`
	Milestone   int64                `json:"milestone"`
	Title       domain.Text          `json:"milestone_title"`
	Done        *domain.Date         `json:"done,omitempty"` // the day it was said to be done
	Report      int64                `json:"report,omitempty"`
	Integration exchange.Integration `json:"integration"`
	State       exchange.State       `json:"state"`
	LastSuccess *time.Time           `json:"last_success,omitempty"`
	Message     domain.Text          `json:"message"`
}

// diverges reports whether a judged integration shows no successful
// traffic lately: none ever, or none in the last SilentDays (by policy).
func diverges(j *exchange.Judged, asOf time.Time) bool {
	silent := j.Policy.SilentDays
	if silent <= 0 {
		silent = exchange.DefaultPolicy.SilentDays
	}
	return j.Status.LastSuccess == nil || j.Status.LastSuccess.Before(asOf.AddDate(0, 0, -silent))
}

func divergence(j *exchange.Judged, ms *domain.Milestone, done *domain.Date, report int64) Divergence {
	d := Divergence{Project: j.Project, Milestone: ms.ID, Title: ms.Title, Done: done, Report: report,
		Integration: j.Integration, State: j.Status.State, LastSuccess: j.Status.LastSuccess}
	it := j.Integration.String()
	if j.Status.LastSuccess == nil {
		d.Message = domain.T("مرحله «"+ms.Title.FA+"» انجام‌شده اعلام شده، اما مرکز تبادل هیچ تبادل موفقی برای "+it+" نشان نمی‌دهد",
			"the milestone “"+ms.Title.EN+"” is reported done, but the exchange shows no successful exchange for "+it)
	} else {
		d.Message = domain.T("مرحله «"+ms.Title.FA+"» انجام‌شده اعلام شده، اما مرکز تبادل از "+j.Status.LastSuccess.Format("2006-01-02")+" به این سو تبادل موفقی برای "+it+" نشان نمی‌دهد",
			"the milestone “"+ms.Title.EN+"” is reported done, but the exchange shows no successful exchange for "+it+" since "+j.Status.LastSuccess.Format("2006-01-02"))
	}
	return d
}

// ReportDivergences lists the divergences of a report: each milestone it
// marks done (a done date or 100%) that a declared integration evidences,
// while the exchange shows no successful traffic of it.
func (s *Service) ReportDivergences(ctx context.Context, a Actor, id int64) (out []Divergence, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r, err := tx.Report(id, a.Viewer())
		if err != nil {
			return err
		}
		out, err = reportDivergences(tx, r)
		return err
	})
	return out, err
}

func reportDivergences(tx *store.Tx, r *domain.Report) ([]Divergence, error) {
	done := map[int64]*domain.Date{}
	for _, mp := range r.Milestones {
		if mp.Done != nil || mp.Percent >= 100 {
			done[mp.Milestone] = mp.Done
		}
	}
	if len(done) == 0 {
		return nil, nil
	}
	ds, err := tx.DeclaredOf(r.Project)
	if err != nil {
		return nil, err
	}
	return projectDivergences(tx, r.Project, ds, func(ms *domain.Milestone) (*domain.Date, bool) {
		d, ok := done[ms.ID]
		return d, ok
	}, r.ID)
}

// projectDivergences judges the project's integrations tied to milestones
// that isDone says are done.
func projectDivergences(tx *store.Tx, slug string, ds []*exchange.Declared, isDone func(*domain.Milestone) (*domain.Date, bool), report int64) ([]Divergence, error) {
	var tied []*exchange.Declared
	for _, d := range ds {
		if d.Milestone != nil {
			tied = append(tied, d)
		}
	}
	if len(tied) == 0 {
		return nil, nil
	}
	mss, err := tx.Milestones(slug)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Milestone{}
	for _, m := range mss {
		byID[m.ID] = m
	}
	var out []Divergence
	for _, d := range tied {
		ms := byID[*d.Milestone]
		if ms == nil {
			continue
		}
		day, ok := isDone(ms)
		if !ok {
			continue
		}
		j, err := judge(tx, d, tx.Now())
		if err != nil {
			return nil, err
		}
		if diverges(&j, tx.Now()) {
			out = append(out, divergence(&j, ms, day, report))
		}
	}
	return out, nil
}

// acceptedDivergences lists, per project, the divergences of milestones
// accepted reports marked done (Milestone.Actual): what the agenda
// proposal raises as its own reason.
func acceptedDivergences(tx *store.Tx, slugs []string) (map[string][]Divergence, error) {
	all, err := tx.DeclaredOf()
	if err != nil {
		return nil, err
	}
	bySlug := map[string][]*exchange.Declared{}
	for _, d := range all {
		if d.Milestone != nil {
			bySlug[d.Project] = append(bySlug[d.Project], d)
		}
	}
	out := map[string][]Divergence{}
	for _, slug := range slugs {
		if len(bySlug[slug]) == 0 {
			continue
		}
		ds, err := projectDivergences(tx, slug, bySlug[slug], func(ms *domain.Milestone) (*domain.Date, bool) {
			return ms.Actual, ms.Actual != nil
		}, 0)
		if err != nil {
			return nil, err
		}
		if len(ds) > 0 {
			out[slug] = ds
		}
	}
	return out, nil
}

// exchangeEvidence is what the multi-agency rule is told of the exchange:
// nil when the project declares no integration; else whether any
// telemetry has been imported at all, the agencies seen at one end of a
// declared integration with recent successful traffic whose other end is
// another agency, and each such pair since its first success.
func exchangeEvidence(tx *store.Tx, p *domain.Project) (*designation.ExchangeEvidence, error) {
	ds, err := tx.DeclaredOf(p.Slug)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	imported, err := tx.AnyImport()
	if err != nil {
		return nil, err
	}
	ev := &designation.ExchangeEvidence{Imported: imported, Exchanging: map[string]bool{}}
	if !ev.Imported {
		return ev, nil
	}
	for _, d := range ds {
		j, err := judge(tx, d, tx.Now())
		if err != nil {
			return nil, err
		}
		if diverges(&j, tx.Now()) || j.ClientAgency == "" || j.ProviderAgency == "" || j.ClientAgency == j.ProviderAgency {
			continue
		}
		ev.Exchanging[j.ClientAgency], ev.Exchanging[j.ProviderAgency] = true, true
		if j.Status.FirstSuccess != nil {
			ev.Links = append(ev.Links, designation.ExchangeLink{Client: j.ClientAgency, Provider: j.ProviderAgency, Since: *j.Status.FirstSuccess})
		}
	}
	return ev, nil
}

// AgencyIntegrations judges the declared integrations, of the projects
// the actor may see, that have the agency at one end (by the identity
// mappings): what the agency's page shows.
func (s *Service) AgencyIntegrations(ctx context.Context, a Actor, agency string) (out []exchange.Judged, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ds, err := tx.DeclaredOf()
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, d := range ds {
			ok, known := seen[d.Project]
			if !known {
				_, perr := tx.Project(d.Project, a.Viewer())
				ok = perr == nil
				seen[d.Project] = ok
			}
			if !ok {
				continue
			}
			j, err := judge(tx, d, tx.Now())
			if err != nil {
				return err
			}
			if j.ClientAgency == agency || j.ProviderAgency == agency {
				out = append(out, j)
			}
		}
		return nil
	})
	return out, err
}

// agencyDeclaredIn judges, in tx, the declared integrations of the
// projects a may see that have the agency at one end: what the agency's
// public page shows beside its scorecard, in the page's one read. Its
// statements do not grow with the number of integrations: the declared
// ones in one, then their traffic and their ends' agencies in one each
// (judgeDeclared); the names of those agencies come with them.
func (s *Service) agencyDeclaredIn(tx *store.Tx, a Actor, agency string) ([]exchange.Judged, map[string]domain.Text, error) {
	ds, err := tx.DeclaredOf()
	if err != nil {
		return nil, nil, err
	}
	r := s.refsFor(tx, a)
	visible := make([]*exchange.Declared, 0, len(ds))
	for _, d := range ds {
		if r.sees(d.Project) {
			visible = append(visible, d)
		}
	}
	if err := r.Err(); err != nil {
		return nil, nil, err
	}
	js, names, err := judgeDeclared(tx, visible)
	if err != nil {
		return nil, nil, err
	}
	out := make([]exchange.Judged, 0, len(js))
	for _, j := range js {
		if j.ClientAgency == agency || j.ProviderAgency == agency {
			out = append(out, j)
		}
	}
	return out, names, nil
}
