package exchange

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
	"time"
)

func genTest(t testing.TB, cfg GenConfig) ([]byte, *Truth) {
	t.Helper()
	var b bytes.Buffer
	truth, err := Generate(&b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), truth
}

// TestGenerateImport generates a month of traffic, imports it and checks
// the import and the statuses against what the generator says it wrote.
func TestGenerateImport(t *testing.T) {
	clients, services := SyntheticCatalogue(30, 7)
	cfg := GenConfig{Seed: 42, PerDay: 1000, Messages: 30_000, Clients: clients, Services: services, Gzip: true,
		MalformedRate: 0.002, DuplicateRate: 0.003, UnknownRate: 0.002}
	data, truth := genTest(t, cfg)
	if truth.Records < 50_000 || truth.Malformed == 0 || truth.Duplicates == 0 || truth.UnknownMessages == 0 ||
		len(truth.Failing) == 0 || len(truth.Silent) == 0 || len(truth.Never) == 0 {
		t.Fatalf("truth %+v", truth)
	}
	known := map[Subsystem]bool{}
	for _, c := range clients {
		known[c] = true
	}
	for _, s := range services {
		known[s.Provider] = true
	}
	m, rep := aggregate(t, data, Options{Known: func(s Subsystem) bool { return known[s] }})
	if !rep.Compressed || rep.Records != truth.Records || rep.Bad != truth.Malformed || rep.Duplicates != truth.Duplicates ||
		rep.Accepted != truth.Records-truth.Malformed-truth.Duplicates {
		t.Errorf("report records %d bad %d dup %d accepted %d; truth %d %d %d", rep.Records, rep.Bad, rep.Duplicates, rep.Accepted, truth.Records, truth.Malformed, truth.Duplicates)
	}
	if len(rep.BadBy) != 6 {
		t.Errorf("bad kinds %v", rep.BadBy)
	}
	for _, u := range rep.Unknown {
		if !strings.Contains(u.Subsystem.Member.Code, "SYN-UNKNOWN") {
			t.Errorf("unknown %+v", u)
		}
	}
	if rep.UnknownRecords == 0 || len(rep.Unknown) == 0 {
		t.Error("no unknown identities reported")
	}

	// Messages per pair, each counted once by the side rule, against the
	// truth. A message whose two records fall in different hours can be
	// counted in both (see Aggregate.Side); allow one such in a thousand.
	days := Rollup(Sorted(m))
	var got, want, gotF, wantF int64
	asOf := truth.Until.Add(-time.Minute)
	for _, p := range truth.Pairs {
		st := Evaluate(p.Integration, days, asOf, Policy{SeriesDays: 40})
		var n, f int64
		for _, d := range st.Series {
			n += int64(d.Successes + d.Failures)
			f += int64(d.Failures)
		}
		got, want, gotF, wantF = got+n, want+p.Messages, gotF+f, wantF+p.Failures
		if diff := n - p.Messages; diff < 0 || diff > p.Messages/1000+1 {
			t.Errorf("%v: %d messages, truth %d", p.Integration, n, p.Messages)
		}
		switch {
		case slicesContains(truth.Never, p.Integration):
			if st.State != StateNeverSeen {
				t.Errorf("%v never: %s", p.Integration, st.State)
			}
		case slicesContains(truth.Silent, p.Integration):
			if st.State != StateSilent && p.Messages > 0 {
				t.Errorf("%v silent: %s", p.Integration, st.State)
			}
		case st.Successes+st.Failures >= 200:
			want := StateLive
			if slicesContains(truth.Failing, p.Integration.Service) {
				want = StateFailing
			}
			if st.State != want {
				t.Errorf("%v: %s, want %s (rate %.3f)", p.Integration, st.State, want, st.FailureRate)
			}
		}
	}
	t.Logf("messages %d (truth %d), failures %d (truth %d), records %d", got, want, gotF, wantF, truth.Records)
}

func slicesContains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestGenerateDeterministic: the same config gives the same records,
// compressed or not, open data or full.
func TestGenerateDeterministic(t *testing.T) {
	clients, services := SyntheticCatalogue(10, 1)
	cfg := GenConfig{Seed: 9, PerDay: 5000, Messages: 9000, Clients: clients, Services: services}
	a, ta := genTest(t, cfg)
	b, _ := genTest(t, cfg)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	cfg.Gzip = true
	z, tz := genTest(t, cfg)
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	unz, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unz, a) || tz.Records != ta.Records {
		t.Fatalf("gzip content differs: %v", err)
	}
	cfg.Gzip, cfg.Form = false, FormOpenData
	o, to := genTest(t, cfg)
	for _, f := range []string{"monitoringDataTs", "securityServerInternalIp", "messageUserId", "messageIssue"} {
		if bytes.Contains(o, []byte(f)) {
			t.Errorf("open data carries %s", f)
		}
	}
	m, rep := aggregate(t, o, Options{})
	if rep.OpenData != rep.Accepted || rep.Accepted != to.Records-to.Malformed-to.Duplicates {
		t.Errorf("open data report %+v", rep)
	}
	var n int64
	for _, a := range Rollup(Sorted(m)) {
		n += int64(a.Messages().Messages())
	}
	if n < to.Messages-to.Messages/500 || n > to.Messages {
		t.Errorf("open data messages %d, truth %d", n, to.Messages)
	}
	if _, err := Generate(io.Discard, GenConfig{}); err == nil {
		t.Error("no catalogue accepted")
	}
}
