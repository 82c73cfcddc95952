package service

import (
	"context"
	"slices"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/store"
)

// ExchangeDay is one day of one declared integration's traffic, as open
// data: counts, sizes and duration quantiles, each message counted once.
// It names the project, the two ends' exchange identities and agencies,
// nothing of any message.
type ExchangeDay struct {
	Day                          domain.Date
	Project                      string
	Client, Service              string // X-Road path forms
	ClientAgency, ProviderAgency string
	Successes, Failures          uint64
	RequestBytes, ResponseBytes  uint64
	P50, P95                     *float64 // ms; nil when no message had a duration
}

// ExchangeDaily lists the daily traffic of the integrations declared by
// projects the actor may see, over the last days days (by Tehran day,
// oldest first, then by project and declaration). A pair no visible
// project declares is not listed: the open data says what the projects
// claim and what the exchange shows of it, not the whole of the exchange.
func (s *Service) ExchangeDaily(ctx context.Context, a Actor, days int) (out []ExchangeDay, err error) {
	days = max(1, min(days, 366))
	err = s.db.View(ctx, func(tx *store.Tx) error {
		ds, err := tx.DeclaredOf()
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		now := tx.Now()
		from := exchange.DayOf(now.AddDate(0, 0, -(days - 1)))
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
			aggs, err := tx.TrafficOf(d.Integration, exchange.DayStart(from))
			if err != nil {
				return err
			}
			j := exchange.Judged{Declared: *d}
			if m, err := tx.Mapping(d.Integration.Client); err == nil {
				j.ClientAgency = m.Agency
			}
			if m, err := tx.Mapping(d.Integration.Service.Provider); err == nil {
				j.ProviderAgency = m.Agency
			}
			out = append(out, dailyRows(&j, aggs, from)...)
		}
		slices.SortStableFunc(out, func(x, y ExchangeDay) int {
			switch {
			case x.Day.Before(y.Day):
				return -1
			case y.Day.Before(x.Day):
				return 1
			}
			return 0
		})
		return nil
	})
	return out, err
}

// dailyRows sums a declaration's day aggregates (of every version it
// covers) by day.
func dailyRows(j *exchange.Judged, aggs []exchange.Aggregate, from domain.Date) []ExchangeDay {
	byDay := map[time.Time]*exchange.Aggregate{}
	var order []time.Time
	for i := range aggs {
		a := &aggs[i]
		if a.Span != exchange.SpanDay || exchange.DayOf(a.Start).Before(from) {
			continue
		}
		have := byDay[a.Start]
		if have == nil {
			c := exchange.Aggregate{Span: exchange.SpanDay, Start: a.Start}
			have = &c
			byDay[a.Start] = have
			order = append(order, a.Start)
		}
		have.Merge(a)
	}
	slices.SortFunc(order, func(x, y time.Time) int { return x.Compare(y) })
	out := make([]ExchangeDay, 0, len(order))
	for _, t := range order {
		m := byDay[t].Messages()
		row := ExchangeDay{Day: exchange.DayOf(t), Project: j.Project, Client: j.Integration.Client.String(),
			Service: j.Integration.Service.String(), ClientAgency: j.ClientAgency, ProviderAgency: j.ProviderAgency,
			Successes: m.Successes, Failures: m.Failures, RequestBytes: m.RequestBytes, ResponseBytes: m.ResponseBytes}
		if v, ok := m.P50(); ok {
			row.P50 = &v
		}
		if v, ok := m.P95(); ok {
			row.P95 = &v
		}
		out = append(out, row)
	}
	return out
}
