package exchange

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistogramBins(t *testing.T) {
	prev := 0
	for d := int64(0); d < HistogramMaxMillis+10; d++ {
		i := binOf(d)
		if i < prev || i > prev+1 {
			t.Fatalf("bin of %d is %d after %d", d, i, prev)
		}
		prev = i
		lo, hi := binBounds(i)
		if i < HistogramBins-1 && (float64(d) < lo || float64(d) >= hi) {
			t.Fatalf("%d in bin %d [%v,%v)", d, i, lo, hi)
		}
	}
	if prev != HistogramBins-1 || binOf(-5) != 0 || binOf(math.MaxInt64) != HistogramBins-1 {
		t.Errorf("last bin %d of %d", prev, HistogramBins)
	}
}

// TestHistogramQuantiles compares quantiles read from the histogram with the
// exact ones of log-normal samples, and checks that merging is adding.
func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ median, sigma float64 }{{3, 0.3}, {40, 0.8}, {350, 1.0}, {5000, 0.5}} {
		var h, a, b Histogram
		var xs []int64
		for i := range 20000 {
			d := int64(tc.median * math.Exp(tc.sigma*rng.NormFloat64()))
			xs = append(xs, d)
			h.Add(d)
			if i%3 == 0 {
				a.Add(d)
			} else {
				b.Add(d)
			}
		}
		a.Merge(&b)
		if a != h {
			t.Fatal("merged halves differ from the whole")
		}
		slices.Sort(xs)
		for _, q := range []float64{0.5, 0.95, 0.99} {
			exact := float64(xs[int(math.Ceil(q*float64(len(xs))))-1])
			got, ok := h.Quantile(q)
			if !ok || math.Abs(got-exact) > exact*HistogramError+0.5 {
				t.Errorf("median %v sigma %v q %v: %v, exact %v", tc.median, tc.sigma, q, got, exact)
			}
		}
	}
	var empty Histogram
	if _, ok := empty.Quantile(0.5); ok {
		t.Error("quantile of nothing")
	}
}

func TestHistogramBinary(t *testing.T) {
	var h Histogram
	for _, d := range []int64{0, 0, 7, 8, 100, 100, 100, 99999, HistogramMaxMillis * 3} {
		h.Add(d)
	}
	h[40] = math.MaxUint32
	b, _ := h.MarshalBinary()
	var back Histogram
	if err := back.UnmarshalBinary(b); err != nil || back != h {
		t.Fatalf("round trip: %v", err)
	}
	var empty Histogram
	if e, _ := empty.MarshalBinary(); len(e) != 1 {
		t.Errorf("empty form %d bytes", len(e))
	}
	for _, bad := range [][]byte{nil, {2}, {1, 0, 1}, {1, 1}, {1, 1, 0}, {1, 200, 1, 1}, {1, 145, 1}, append([]byte{1, 1}, bytes.Repeat([]byte{0xff}, 6)...)} {
		if err := back.UnmarshalBinary(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	// Saturation, not wrap-round.
	var s Histogram
	s[3] = math.MaxUint32
	s.Add(3)
	s.Merge(&s)
	if s[3] != math.MaxUint32 {
		t.Error("bin wrapped round")
	}
}

// TestAggregatorBounded: an Aggregator flushing after every two buckets
// gives, once its flushes are merged, what an unbounded one gives.
func TestAggregatorBounded(t *testing.T) {
	clients, services := SyntheticCatalogue(8, 5)
	data, _ := genTest(t, GenConfig{Seed: 5, PerDay: 20000, Messages: 3000, Clients: clients, Services: services})
	collect := func(maxOpen int) (map[AggregateKey]*Aggregate, int) {
		m := map[AggregateKey]*Aggregate{}
		flushes := 0
		coll := Collect(m)
		ag := NewAggregator(func(a *Aggregate) error { flushes++; return coll(a) }, maxOpen)
		r, _ := NewReader(bytes.NewReader(data), Options{})
		for r.Next() {
			if err := ag.Add(r.Record()); err != nil {
				t.Fatal(err)
			}
		}
		ag.Close()
		return m, flushes
	}
	all, n1 := collect(0)
	some, n2 := collect(2)
	if len(all) < 10 || n2 <= n1 || len(all) != len(some) {
		t.Fatalf("%d aggregates, %d and %d flushes, %d", len(all), n1, n2, len(some))
	}
	for k, a := range all {
		if b := some[k]; b == nil || *a != *b {
			t.Fatalf("%v differs", k)
		}
	}
	// Hours never straddle a Tehran day, and roll up exactly.
	for _, a := range all {
		if !a.Start.Equal(time.UnixMilli(HourStart(a.Start.UnixMilli()))) || DayOf(a.Start) != DayOf(a.Start.Add(59*time.Minute)) {
			t.Errorf("hour %v", a.Start)
		}
	}
}

func TestHourStart(t *testing.T) {
	for _, tc := range []struct{ at, want time.Time }{
		{time.Date(2024, 3, 10, 5, 45, 0, 0, time.UTC), time.Date(2024, 3, 10, 5, 30, 0, 0, time.UTC)},
		{time.Date(2024, 3, 10, 5, 30, 0, 0, time.UTC), time.Date(2024, 3, 10, 5, 30, 0, 0, time.UTC)},
		{time.Date(2024, 3, 10, 5, 29, 59, 999e6, time.UTC), time.Date(2024, 3, 10, 4, 30, 0, 0, time.UTC)},
		// Summer 2021, Tehran at +04:30: still half past.
		{time.Date(2021, 7, 1, 0, 10, 0, 0, time.UTC), time.Date(2021, 6, 30, 23, 30, 0, 0, time.UTC)},
	} {
		got := time.UnixMilli(HourStart(tc.at.UnixMilli())).UTC()
		if !got.Equal(tc.want) {
			t.Errorf("%v: %v, want %v", tc.at, got, tc.want)
		}
		if local := got.In(Tehran); local.Minute() != 0 {
			t.Errorf("%v starts at %v Tehran", tc.at, local)
		}
	}
	if d := DayOf(time.Date(2024, 3, 9, 20, 30, 0, 0, time.UTC)); d.String() != "2024-03-10" {
		t.Errorf("day %v", d)
	}
}
