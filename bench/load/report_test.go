package main

import (
	"strings"
	"testing"
	"time"
)

func row(name string, keys int, miss bool, reqs int, p50, p99 time.Duration, cpu time.Duration, bareReqs int) readRow {
	return readRow{
		routeResult: routeResult{Name: name, Path: "/" + name, Keys: keys, Miss: miss, Driver: "wrk", Requests: reqs, Elapsed: time.Second,
			P50: p50, P99: p99, CPU: cpu, Bytes: 8000},
		Bare: routeResult{Requests: bareReqs, Elapsed: time.Second, Bytes: 8000},
	}
}

// fixture is a run whose figures sit on both sides of the goals.
func fixture() *results {
	ms := time.Millisecond
	r := &results{Started: time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC), Duration: 10 * time.Second, Conns: 8, Driver: "wrk",
		Dataset: dataset{Scale: scaleFor(10000)}, Boot: 60 * ms, Verify: true}
	r.Finished = r.Started.Add(9 * time.Minute)
	r.Reads = []readRow{
		row("public home", 1, false, 15000, ms/3, 3*ms, 900*ms, 14000),                 // 107% of the limit: met
		row("project page", 10000, false, 3100, 2*ms, 19*ms, 1500*ms, 15000),           // met
		row("API project read", 10000, false, 7999, ms, 5*ms, 1000*ms, 20000),          // 1 req/s short: missed
		row("API list of 100, any page", 100, false, 2500, 3*ms, 25*ms, 1000*ms, 6000), // p99 over: missed
		row("project page (miss)", 10000, true, 2000, 4*ms, 20*ms, 1000*ms, 15000),     // 0.5 ms/req: met (at most)
		row("API project read (miss)", 10000, true, 3000, 2*ms, 9*ms, 1500*ms, 20000),  // 0.5 ms/req: missed
	}
	r.Writes = []routeResult{
		{Name: "designation (write)", Requests: 1500, Elapsed: time.Second, P99: 60 * ms}, // p99 over 50 ms: missed
		{Name: "report submission (write)", Requests: 1200, Elapsed: time.Second, P99: 9 * ms},
	}
	r.Scaling = []scaleRun{{Projects: 100, Routes: []routeResult{
		{Name: "project page", Keys: 100, Requests: 9000, Elapsed: time.Second, P50: ms},                // ×2.00: met
		{Name: "API project read", Keys: 100, Requests: 9000, Elapsed: time.Second, P50: ms / 4},        // ×4: missed
		{Name: "API list of 100, any page", Keys: 1, Requests: 9000, Elapsed: time.Second, P50: ms / 4}, // one page: no growth from here
	}}, {Projects: 1000, Routes: []routeResult{
		{Name: "API list of 100, any page", Keys: 10, Requests: 5000, Elapsed: time.Second, P50: 1500 * time.Microsecond}, // ×2 from 1,000: met
	}}}
	dur, wo := &window{}, &window{}
	dur.add(routeResult{Requests: 790, Elapsed: time.Second, P50: ms, P99: 30 * ms})
	wo.add(routeResult{Requests: 1000, Elapsed: time.Second, P50: ms, P99: 5 * ms})
	hd, hw := &window{}, &window{}
	hd.add(routeResult{Requests: 9000, Elapsed: time.Second, P50: ms, P99: 4 * ms})
	hw.add(routeResult{Requests: 10000, Elapsed: time.Second, P50: ms, P99: 4 * ms})
	r.Job = &jobRun{Took: 30 * time.Second, Ended: true, Slice: 2 * time.Second, Routes: []string{"public home", "project page"},
		During: map[string]*window{"public home": hd, "project page": dur}, Without: map[string]*window{"public home": hw, "project page": wo}}
	r.Mem = []memRun{{Label: "main", Samples: 100, Steady: 80e6, Peak: 99e6, SteadyAnon: 60e6, PeakAnon: 70e6},
		{Label: "job window", Samples: 50, Steady: 95e6, Peak: 120e6, SteadyAnon: 101e6, PeakAnon: 110e6}}
	return r
}

func TestTargetsVerdicts(t *testing.T) {
	want := map[string]string{
		"public home (earlier target)":                                 "**met**",
		"project page (issue 12 §2)":                                   "**met**",
		"API project read (issue 12 §2)":                               "**missed**",
		"API list of 100, any page (issue 12 §2)":                      "**missed**",
		"project page (miss) (issue 12 §1)":                            "**met**",
		"API project read (miss) (issue 12 §1)":                        "**missed**",
		"project page: growth 100 → 10,000 projects":                   "**met**",
		"API project read: growth 100 → 10,000 projects":               "**missed**",
		"API list of 100, any page: growth 1,000 → 10,000 projects":    "**met**",
		"PostgreSQL within ×2 of SQLite":                               "n/a",
		"public home during the reminders job (issue 12 §3)":           "**met**",
		"project page during the reminders job (issue 12 §3)":          "**missed**",
		"designation (write)":                                          "**missed**",
		"report submission (write)":                                    "**met**",
		"steady RSS, every server of the run (issue 12 §5)":            "**met**",
		"steady anonymous RSS (without the mapped file), every server": "**missed**",
		"peak RSS, every server of the run":                            "**missed**",
		"boot to first answer":                                         "**met**",
	}
	got := map[string]string{}
	for _, tg := range fixture().targets() {
		got[tg.What] = tg.verdict()
	}
	for what, v := range want {
		if got[what] != v {
			t.Errorf("%s: %q, want %q", what, got[what], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d targets, want %d: %v", len(got), len(want), got)
	}
}

func TestReportTables(t *testing.T) {
	r := fixture()
	md := r.markdown()
	for _, want := range []string{
		"Reads driven by **wrk**",
		"| project page | `/project page` | 10,000 | 8.0 KB | 3,100 | 2.0 ms | 19 ms | 0 | 0.48 ms | – | 15,000 | 21% | ≥ 3,000 req/s, p99 < 20 ms | **met** |",
		"| public home | `/public home` | hot |",
		"| project page (miss) | `/project page (miss)` | 10,000, miss |",
		"| designation (write) | `` | 1,500 | – | 60 ms | 0 | – |",
		"| project page | 1 | 790 | 1.0 ms · 30 ms | 1,000 | 1.0 ms · 5.0 ms | 79% | ≥ 80% | **missed** |",
		"| public home | 1 | 9,000 | 1.0 ms · 4.0 ms | 10,000 | 1.0 ms · 4.0 ms | 90% | ≥ 80% | **met** |",
		"## Growth: random keys at 100 → 1,000 → 10,000 projects",
		"| project page | 9,000 · 1.0 ms | – | 3,100 · 2.0 ms | ×2.00 | ×0.34 | **met** |",
		"| API project read | 9,000 · 0.25 ms | – | 7,999 · 1.0 ms | ×4.00 | ×0.89 | **missed** |",
		"| API list of 100, any page | 9,000 · 0.25 ms | 5,000 · 1.5 ms | 2,500 · 3.0 ms | ×2.00 (from 1,000) | ×0.50 | **met** |",
		"| job window | 50 | 95 MB | 120 MB | 101 MB | 110 MB | **missed** |",
		"The jobs ended 30.0 s after the start.",
		"Run took 9m0s.",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(md, "Quick run") {
		t.Error("a full run called quick")
	}
	r.Quick = true
	if !strings.Contains(r.markdown(), "**Quick run**") {
		t.Error("a quick run not said to be one")
	}
	if t.Failed() {
		t.Log(md)
	}
}

func TestScaleSizes(t *testing.T) {
	got, err := scaleSizes(" 100, 1000,20000", 10000)
	if err != nil || len(got) != 2 || got[0] != 100 || got[1] != 1000 {
		t.Errorf("%v %v", got, err)
	}
	if got, err := scaleSizes("", 10000); err != nil || len(got) != 0 {
		t.Errorf("%v %v", got, err)
	}
	if _, err := scaleSizes("5", 10000); err == nil {
		t.Error("5 projects accepted")
	}
}

// Jobs that outlast the window are compared with the same database served
// with --jobs=false, and the report says so.
func TestJobsOutlastTheWindow(t *testing.T) {
	r := fixture()
	r.Job.Ended, r.Job.Note = false, "the jobs were still running after 5m0s, when the window closed (-job-max); the figures without them are the same database served with --jobs=false"
	var home target
	for _, tg := range r.jobTargets() {
		if strings.HasPrefix(tg.What, "public home") {
			home = tg
		}
	}
	if home.verdict() != "**met**" || !strings.Contains(home.Measured, "from --jobs=false") {
		t.Errorf("%+v", home)
	}
	if md := r.markdown(); !strings.Contains(md, "served with --jobs=false.") || strings.Contains(md, "The jobs ended") {
		t.Error("the job table does not say where the figures without the jobs come from")
	}
}
