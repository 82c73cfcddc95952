package main

import (
	"fmt"
	"time"
)

// target is one goal of issue 12 (or of the benchmark's earlier targets)
// and what the run measured against it.
type target struct {
	What, Goal, Measured string
	Met                  bool
	NA                   string // not measured in this run, and why
}

func (t target) verdict() string {
	if t.NA != "" {
		return "n/a"
	}
	return verdict(t.Met)
}

// rowGoal is a read route's goal, if it has one: req/s and p99 for the
// random routes at national scale, CPU per request for the misses, the
// share of the limit for the home, and the earlier hot-route floors.
type rowGoal struct {
	rps     float64       // at least, 0: none
	p99     time.Duration // under, 0: none
	cpu     time.Duration // CPU per request at most, 0: none
	ofLimit float64       // share of the bare route at the same size, at least
	source  string
}

var rowGoals = map[string]rowGoal{
	"project page":                {rps: 3000, p99: 20 * time.Millisecond, source: "issue 12 §2"},
	"API project read":            {rps: 8000, p99: 20 * time.Millisecond, source: "issue 12 §2"},
	"API list of 100, any page":   {rps: 2000, p99: 20 * time.Millisecond, source: "issue 12 §2"},
	"project page (miss)":         {cpu: 500 * time.Microsecond, source: "issue 12 §1"},
	"API project read (miss)":     {cpu: 250 * time.Microsecond, source: "issue 12 §1"},
	"public home":                 {ofLimit: 0.5, source: "earlier target"},
	"API list of 100, first page": {rps: 4000, p99: 20 * time.Millisecond, source: "earlier target"},
	"API project read, hot":       {rps: 5000, source: "earlier target"},
}

func (g rowGoal) String() string {
	s := ""
	add := func(x string) {
		if s != "" {
			s += ", "
		}
		s += x
	}
	if g.rps > 0 {
		add("≥ " + rps(g.rps) + " req/s")
	}
	if g.p99 > 0 {
		add("p99 < " + ms(g.p99))
	}
	if g.cpu > 0 {
		add("CPU/req ≤ " + ms(g.cpu))
	}
	if g.ofLimit > 0 {
		add("≥ " + pct(g.ofLimit) + " of the limit")
	}
	return s
}

func (g rowGoal) met(r readRow) bool {
	ok := r.Requests > 0 && r.Errors == 0
	if g.rps > 0 {
		ok = ok && r.RPS() >= g.rps
	}
	if g.p99 > 0 {
		ok = ok && r.P99 < g.p99
	}
	if g.cpu > 0 {
		ok = ok && r.CPU > 0 && r.CPUPerReq() <= g.cpu
	}
	if g.ofLimit > 0 {
		ok = ok && ratio(r.RPS(), r.Bare.RPS()) >= g.ofLimit
	}
	return ok
}

// jobGoal: the pages keep this share of their throughput while the jobs run.
const jobGoal = 0.8

// growthGoal: p50 at the largest registry over p50 at the smallest.
const growthGoal = 2.0

// pgGoal: PostgreSQL's throughput over SQLite's, at least (within ×2).
const pgGoal = 0.5

// memGoal: resident memory, steady and peak.
const memGoal = 100e6

// targets are all the run's goals, in the order of the issue.
func (r *results) targets() []target {
	var ts []target
	for _, x := range r.Reads {
		if g, ok := rowGoals[x.Name]; ok {
			m := fmt.Sprintf("%s req/s, p99 %s, CPU/req %s, %s of the limit", rps(x.RPS()), ms(x.P99), ms(x.CPUPerReq()), pct(ratio(x.RPS(), x.Bare.RPS())))
			ts = append(ts, target{What: x.Name + " (" + g.source + ")", Goal: g.String(), Measured: m, Met: g.met(x)})
		}
	}
	if len(r.Scaling) > 0 {
		for _, x := range r.Reads {
			if _, ok := rowGoals[x.Name]; !ok || x.Keys <= 1 || x.Miss {
				continue
			}
			base, small, ok := r.growthBase(x.Name)
			if !ok {
				continue
			}
			g := ratio(float64(x.P50), float64(small.P50))
			ts = append(ts, target{What: fmt.Sprintf("%s: growth %s → %s projects", x.Name, thousands(base), thousands(r.Dataset.Scale.Projects)),
				Goal: fmt.Sprintf("p50 ≤ ×%.0f", growthGoal), Measured: fmt.Sprintf("p50 ×%.2f (%s → %s)", g, ms(small.P50), ms(x.P50)), Met: g > 0 && g <= growthGoal})
		}
	}
	if r.PG != nil {
		for _, name := range []string{"project page", "API project read", "API list of 100, any page"} {
			sq, ok1 := r.read(name)
			pg, ok2 := r.PG.Run.route(name)
			if ok1 && ok2 {
				q := ratio(pg.RPS(), sq.RPS())
				ts = append(ts, target{What: name + " on PostgreSQL", Goal: "within ×2 of SQLite", Measured: fmt.Sprintf("%s of SQLite's req/s", pct(q)), Met: q >= pgGoal})
			}
		}
	} else {
		ts = append(ts, target{What: "PostgreSQL within ×2 of SQLite", Goal: "within ×2", NA: "run with -db postgres://…"})
	}
	ts = append(ts, r.jobTargets()...)
	for _, w := range r.Writes {
		goal, ok := fmt.Sprintf("≥ 1,000/s, 0 errors, all durable"), w.RPS() >= 1000 && w.Errors == 0 && r.Verify
		if w.Name == "designation (write)" {
			goal += ", p99 < 50 ms"
			ok = ok && w.P99 < 50*time.Millisecond
		}
		ts = append(ts, target{What: w.Name, Goal: goal, Measured: fmt.Sprintf("%s/s, p99 %s, %d errors", rps(w.RPS()), ms(w.P99), w.Errors), Met: ok})
	}
	var steady, peak, steadyAnon int64
	for _, m := range r.Mem {
		steady, peak, steadyAnon = max(steady, m.Steady), max(peak, m.Peak), max(steadyAnon, m.SteadyAnon)
	}
	ts = append(ts,
		target{What: "steady RSS, every server of the run (issue 12 §5)", Goal: "< 100 MB", Measured: mib(steady) + " at most", Met: steady > 0 && steady < memGoal},
		target{What: "steady anonymous RSS (without the mapped file), every server", Goal: "< 100 MB", Measured: mib(steadyAnon) + " at most", Met: steadyAnon > 0 && steadyAnon < memGoal},
		target{What: "peak RSS, every server of the run", Goal: "< 100 MB", Measured: mib(peak), Met: peak > 0 && peak < memGoal},
		target{What: "boot to first answer", Goal: "< 0.5 s", Measured: ms(r.Boot), Met: r.Boot > 0 && r.Boot < 500*time.Millisecond})
	return ts
}

func (r *results) jobTargets() []target {
	j := r.Job
	if j == nil {
		return []target{{What: "pages during the reminders job (issue 12 §3)", Goal: "≥ 80% of their throughput", NA: "run without -job"}}
	}
	var ts []target
	for _, name := range j.Routes {
		t := target{What: name + " during the reminders job (issue 12 §3)", Goal: "≥ " + pct(jobGoal) + " of its throughput without"}
		d, w := j.During[name], j.Without[name]
		switch {
		case j.Note != "" && w.Slices == 0:
			t.NA = j.Note
		case d.Slices == 0:
			t.NA = fmt.Sprintf("the jobs ended %s after start, before a %s turn of this route ended", ms(j.Took), j.Slice)
		default:
			q := ratio(d.RPS(), w.RPS())
			t.Measured, t.Met = fmt.Sprintf("%s (%s of %s req/s; p99 %s, without %s)", pct(q), rps(d.RPS()), rps(w.RPS()), ms(d.P99), ms(w.P99)), q >= jobGoal
			if !j.Ended {
				t.Measured += fmt.Sprintf("; the jobs outlasted the %s window, the figures without them are from --jobs=false", ms(j.Took))
			}
		}
		if t.NA != "" {
			t.Measured = t.NA
		}
		ts = append(ts, t)
	}
	return ts
}

// growthBase is the smallest registry at which the route was driven with
// random keys (the 100-item list has one page at 100 projects: its growth
// starts where it has several).
func (r *results) growthBase(name string) (int, routeResult, bool) {
	for _, s := range r.Scaling {
		if y, ok := s.route(name); ok && y.Keys > 1 && y.P50 > 0 {
			return s.Projects, y, true
		}
	}
	return 0, routeResult{}, false
}

func (s scaleRun) route(name string) (routeResult, bool) {
	for _, x := range s.Routes {
		if x.Name == name {
			return x, true
		}
	}
	return routeResult{}, false
}

func (r *results) read(name string) (readRow, bool) {
	for _, x := range r.Reads {
		if x.Name == name {
			return x, true
		}
	}
	return readRow{}, false
}
