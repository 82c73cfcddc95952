package exchange

import (
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
)

// dayAgg is a day aggregate of client->svc with the given client-log and
// producer-log counts, its marks at noon Tehran.
func dayAgg(day domain.Date, client Subsystem, svc Service, cs, cf, ps, pf uint64) Aggregate {
	noon := DayStart(day).Add(12 * time.Hour).UnixMilli()
	mk := func(s, f uint64) Stats {
		st := Stats{Successes: s, Failures: f}
		if s+f > 0 {
			st.FirstSeen, st.LastSeen = noon, noon
			st.Durations.Add(100)
		}
		if s > 0 {
			st.FirstSuccess, st.LastSuccess = noon, noon
		}
		return st
	}
	return Aggregate{Span: SpanDay, Start: DayStart(day), Client: client, Service: svc, ClientLog: mk(cs, cf), ProducerLog: mk(ps, pf)}
}

func TestEvaluate(t *testing.T) {
	asOf := time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC) // 13:30 Tehran, 1402/12/20
	today := DayOf(asOf)
	ago := func(n int) domain.Date { return DayOf(asOf.AddDate(0, 0, -n)) }
	in := Integration{Client: subA, Service: Service{Provider: svc1.Provider, Code: svc1.Code}} // any version
	other := Integration{Client: subB, Service: svc1}

	for _, tc := range []struct {
		name  string
		aggs  []Aggregate
		state State
		days  int
		s, f  uint64
	}{
		{"never seen", []Aggregate{dayAgg(today, subB, svc1, 50, 0, 50, 0)}, StateNeverSeen, 14, 0, 0},
		{"live", []Aggregate{dayAgg(today, subA, svc1, 98, 2, 98, 0)}, StateLive, 7, 98, 2},
		// The producer's log alone is fuller here: 60 messages, none failed.
		{"producer fuller", []Aggregate{dayAgg(ago(1), subA, svc1, 10, 5, 60, 0)}, StateLive, 7, 60, 0},
		{"failing", []Aggregate{dayAgg(ago(2), subA, svc1, 70, 30, 70, 0), dayAgg(ago(3), subA, svc1, 10, 0, 10, 0)}, StateFailing, 7, 80, 30},
		{"no success at all", []Aggregate{dayAgg(ago(1), subA, svc1, 0, 3, 0, 0)}, StateFailing, 7, 0, 3},
		{"few failures", []Aggregate{dayAgg(ago(1), subA, svc1, 3, 2, 0, 0)}, StateLive, 7, 3, 2},
		{"quiet week", []Aggregate{dayAgg(ago(10), subA, svc1, 50, 0, 0, 0)}, StateLive, 14, 50, 0},
		{"silent", []Aggregate{dayAgg(ago(20), subA, svc1, 50, 0, 0, 0)}, StateSilent, 14, 0, 0},
		{"other version counts", []Aggregate{dayAgg(today, subA, Service{svc1.Provider, svc1.Code, "v2"}, 5, 0, 0, 0)}, StateLive, 7, 5, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := Evaluate(in, tc.aggs, asOf, Policy{})
			if st.State != tc.state || st.WindowDays != tc.days || st.Successes != tc.s || st.Failures != tc.f || st.Label.FA == "" {
				t.Errorf("state %s window %d %d/%d; want %s %d %d/%d", st.State, st.WindowDays, st.Successes, st.Failures, tc.state, tc.days, tc.s, tc.f)
			}
			if len(st.Series) != 90 || st.Series[89].Day != today || st.Series[0].Day != ago(89) {
				t.Errorf("series %d days, %v .. %v", len(st.Series), st.Series[0].Day, st.Series[len(st.Series)-1].Day)
			}
		})
	}

	// Series, marks and a lifetime summary.
	old := Aggregate{Span: SpanTotal, Client: subA, Service: svc1, ClientLog: Stats{Successes: 1, FirstSeen: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli(), LastSeen: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}}
	old.ClientLog.FirstSuccess, old.ClientLog.LastSuccess = old.ClientLog.FirstSeen, old.ClientLog.LastSeen
	aggs := []Aggregate{old, dayAgg(today, subA, svc1, 7, 1, 7, 0), dayAgg(ago(5), subA, svc1, 0, 0, 4, 0), dayAgg(ago(100), subA, svc1, 9, 0, 0, 0)}
	st := Evaluate(in, aggs, asOf, Policy{})
	if st.Series[89] != (DayCount{today, 7, 1}) || st.Series[84] != (DayCount{ago(5), 4, 0}) {
		t.Errorf("series %+v %+v", st.Series[89], st.Series[84])
	}
	if !st.FirstSeen.Equal(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) || !st.LastSuccess.Equal(DayStart(today).Add(12*time.Hour)) {
		t.Errorf("marks %v %v", st.FirstSeen, st.LastSuccess)
	}
	if st.P50 == nil || *st.P50 != 100 {
		t.Errorf("p50 %v", st.P50)
	}
	// Evaluated a week back, today's traffic is not there yet.
	if st := Evaluate(in, aggs, asOf.AddDate(0, 0, -7), Policy{}); st.LastSeen == nil || !st.LastSeen.Before(asOf.AddDate(0, 0, -4)) || st.Series[89].Successes != 0 {
		t.Errorf("a week back: last seen %v, %+v", st.LastSeen, st.Series[89])
	}
	if st := Evaluate(other, aggs, asOf, Policy{}); st.State != StateNeverSeen || st.FirstSeen != nil {
		t.Errorf("other integration %+v", st)
	}
	// A stricter policy.
	if st := Evaluate(in, aggs, asOf, Policy{MaxFailureRate: 0.05, MinMessages: 5}); st.State != StateFailing {
		t.Errorf("strict policy: %s (rate %.2f)", st.State, st.FailureRate)
	}
	if err := (Policy{MaxFailureRate: 1.5}).Validate(); err == nil {
		t.Error("bad policy accepted")
	}
}

// TestEvaluateFromHours: hourly aggregates from the protocol fixture give
// the same status as their day rollup.
func TestEvaluateFromHours(t *testing.T) {
	m, _ := aggregate(t, fixture(t, "opmon-protocol.json"), Options{})
	hours := Sorted(m)
	asOf := time.Date(2024, 3, 11, 8, 0, 0, 0, time.UTC)
	in := Integration{Client: subA, Service: svc1}
	a, b := Evaluate(in, hours, asOf, Policy{}), Evaluate(in, Rollup(hours), asOf, Policy{})
	if a.State != StateLive || a.Successes != 3 || a.Failures != 1 || a.Series[88] != (DayCount{domain.NewDate(2024, 3, 10), 3, 1}) {
		t.Errorf("from hours %s %d/%d %+v", a.State, a.Successes, a.Failures, a.Series[88])
	}
	if a.State != b.State || a.Successes != b.Successes || a.Failures != b.Failures || *a.P95 != *b.P95 {
		t.Errorf("hours and days differ: %+v / %+v", a, b)
	}
	if !a.FirstSuccess.Equal(time.UnixMilli(1710049500000)) {
		t.Errorf("first success %v", a.FirstSuccess)
	}
	if st := Evaluate(Integration{Client: subB, Service: svc2}, hours, asOf, Policy{}); st.State != StateLive || st.Failures != 1 {
		t.Errorf("B->S2 %s %d/%d", st.State, st.Successes, st.Failures)
	}
}

func TestIdentities(t *testing.T) {
	for _, s := range []string{"IR/GOV/1001/sabt", "IR/GOV/1001", "SUBSYSTEM:IR/GOV/1001/sabt", "IR/GOV/1001/ثبت‌احوال"} {
		sub, err := ParseSubsystem(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if back, _ := ParseSubsystem(sub.String()); back != sub {
			t.Errorf("%s: round trip %v", s, back)
		}
	}
	for _, s := range []string{"IR/GOV", "IR/GOV/1001/", "IR/GOV/10 01/x", "IR/GOV//x", "IR/GOV/1001/a/b", "IR/GOV/1001/a\u202eb"} {
		if _, err := ParseSubsystem(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	svc, err := ParseService("SERVICE:IR/GOV/2001/estelam/getPerson/v1")
	if err != nil || svc != svc1 || svc.String() != "IR/GOV/2001/estelam/getPerson/v1" {
		t.Errorf("%v %v", svc, err)
	}
	if s, err := ParseService("IR/GOV/2001//getPerson"); err != nil || s.Provider.Code != "" || s.String() != "IR/GOV/2001//getPerson" {
		t.Errorf("member-level service %v %v", s, err)
	}
	for _, s := range []string{"IR/GOV/2001/estelam", "IR/GOV/2001/estelam//v1", "IR/GOV/2001/estelam/get/v1/", "IR/GOV/2001/estelam/get;x"} {
		if _, err := ParseService(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if m, err := ParseMember("MEMBER:IR/GOV/1001"); err != nil || m != subA.Member {
		t.Errorf("%v %v", m, err)
	}
	in := Integration{subA, Service{svc1.Provider, "getPerson", ""}}
	if !in.Covers(subA, svc1) || in.Covers(subB, svc1) || (Integration{subA, svc1}).Covers(subA, Service{svc1.Provider, "getPerson", "v2"}) {
		t.Error("Covers")
	}
	if err := (Integration{}).Validate(); err == nil {
		t.Error("empty integration valid")
	}
}
