package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pishran/pishran/synth"
)

// memRuns are the labelled servers' memory, in the order they stopped.
var memRuns []memRun

// readRow is a read route's figures beside the bare route's at its size.
type readRow struct {
	routeResult
	Bare routeResult
}

// runMain is the national run: boot, every read route with the bare
// limit at its size, the writes and their check.
func runMain(bin, tmp string, d dataset, drv readDriver, res *results) (*keys, error) {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return nil, err
	}
	sec, err := token(bin, db, "--role", "secretariat", "--name", "bench-secretariat")
	if err != nil {
		return nil, err
	}
	doc := synth.Registry(d.Scale.config())
	agencies := busiestAgencies(doc, *flagConns)
	agencyTokens := make([]string, len(agencies))
	for i, a := range agencies {
		if agencyTokens[i], err = token(bin, db, "--role", "agency", "--agency", a.code, "--name", "bench-"+a.code); err != nil {
			return nil, err
		}
	}
	if res.BootFirst, err = settle(bin, db); err != nil {
		return nil, err
	}
	env := []string{"PISHRAN_BENCH_BARE=" + strconv.Itoa(bareMax)}
	if *flagProfile != "" {
		env = append(env, "PISHRAN_BENCH_PPROF=1")
	}
	s, err := start(bin, db, serverOpts{label: fmt.Sprintf("main run: reads and writes at %s projects", thousands(d.Scale.Projects)), env: env})
	if err != nil {
		return nil, err
	}
	defer s.stop()
	res.Boot = s.boot
	logf("server up in %s (boot to first answer)", s.boot.Round(time.Microsecond))
	if code, n := status(s.base + "/_bench/bare?bytes=100"); code != 200 || n != 100 {
		return nil, fmt.Errorf("the bare route answers %d with %d bytes for ?bytes=100: a binary without internal/httpx/bench.go's sizes?", code, n)
	}
	k, err := discover(s.base)
	if err != nil {
		return nil, err
	}
	logf("registry: %d public projects, %d list pages, %d programs (%d portal pages), %d agencies, %d meetings, %d decisions",
		len(k.projects), len(k.listCursors)+1, len(k.programs), len(k.programPages), len(k.agencies), len(k.meetings), len(k.decisions))
	routes, leftOut := usable(s.base, readRoutes(s.base, k, *flagMiss))
	res.LeftOut = leftOut
	bare := &bareLimits{s: s, drv: drv, dur: *flagBareDur, max: bareMax, done: map[int]routeResult{}}
	logf("read routes at %d projects, %s each, driver %s", d.Scale.Projects, *flagDuration, drv.Name())
	for i, rt := range routes {
		if !routeChosen.MatchString(rt.Name) {
			continue
		}
		r := measureRead(s, drv, rt, *flagDuration, uint64(i+1))
		res.Reads = append(res.Reads, readRow{routeResult: r, Bare: bare.at(r.Bytes)})
	}
	if !*flagWrites {
		return k, nil
	}
	desig, err := designationLoad(s, sec, doc)
	if err != nil {
		return nil, err
	}
	r := drive(s, "designation (write)", "POST /api/v1/programs/{id}/members", *flagDuration, *flagConns, desig.op)
	r.Note, res.Verify = desig.verify(s, sec)
	res.Writes = append(res.Writes, r)
	reps := reportLoad(s, agencies, agencyTokens)
	r = drive(s, "report submission (write)", "POST /api/v1/reports + /submit", *flagDuration, *flagConns, reps.op)
	note, ok := reps.verify(s)
	r.Note = note
	res.Verify = res.Verify && ok
	res.Writes = append(res.Writes, r)
	return k, nil
}

// jobRun is the job window: the home and project pages driven in turns
// while the day's first run of background jobs (the reminders) writes,
// then the same once it is done.
type jobRun struct {
	Took    time.Duration // from the server's start to the jobs' end
	Ended   bool
	Failed  string
	Note    string
	Slice   time.Duration
	Routes  []string
	During  map[string]*window
	Without map[string]*window
}

// runJobWindow starts the server on a fresh copy of the database, on
// which the day's jobs are due: they start with it. It drives the job
// routes in turns of one slice each; a slice that ended before the jobs
// did counts as during them, one that began after as without, one across
// the end as neither. After the jobs, as many slices without them.
func runJobWindow(bin, tmp string, d dataset, k *keys, drv readDriver) (*jobRun, error) {
	if !hasJobs(bin) {
		return &jobRun{Note: "this build has no background jobs"}, nil
	}
	db, err := workingCopy(d, tmp)
	if err != nil {
		return nil, err
	}
	s, err := start(bin, db, serverOpts{label: "job window: the day's first jobs run, with readers"})
	if err != nil {
		return nil, err
	}
	defer s.stop()
	var routes []readRoute
	for _, r := range readRoutes(s.base, k, false) {
		if r.Job {
			routes = append(routes, r)
		}
	}
	j := &jobRun{Slice: *flagJobSlice, During: map[string]*window{}, Without: map[string]*window{}}
	for _, r := range routes {
		j.Routes = append(j.Routes, r.Name)
		j.During[r.Name], j.Without[r.Name] = &window{}, &window{}
	}
	logf("job window: %s driven in turns of %s while the jobs run (at most %s), then as long without", j.Routes, j.Slice, *flagJobMax)
	seed := uint64(100)
	for t0 := time.Now(); time.Since(t0) < *flagJobMax; {
		for _, r := range routes {
			seed++
			begin := time.Now()
			res := measureRead(s, drv, r, j.Slice, seed)
			if end, _ := s.jobsEnded(); end.IsZero() || end.After(time.Now()) {
				j.During[r.Name].add(res)
			} else if end.Before(begin) {
				j.Without[r.Name].add(res)
			}
		}
		if end, _ := s.jobsEnded(); !end.IsZero() {
			break
		}
	}
	end, failed := s.jobsEnded()
	j.Ended, j.Failed = !end.IsZero(), failed
	turns := 2
	for _, r := range routes {
		turns = max(turns, j.During[r.Name].Slices)
	}
	base := s
	if j.Ended {
		j.Took = end.Sub(s.started)
		logf("job window: the jobs ended %s after start; now %d turns without them", j.Took.Round(time.Millisecond), turns)
	} else {
		// The jobs outlast the window: the figures without them come from
		// the same database served with --jobs=false (stopping this server
		// cancels its run).
		j.Took = time.Since(s.started)
		s.stop()
		if base, err = start(bin, db, serverOpts{label: "job window: the same database, --jobs=false", args: []string{"--jobs=false"}}); err != nil {
			return nil, err
		}
		defer base.stop()
		j.Note = fmt.Sprintf("the jobs were still running after %s, when the window closed (-job-max); the figures without them are the same database served with --jobs=false", j.Took.Round(time.Second))
		logf("job window: %s; %d turns on it", j.Note, turns)
	}
	for range turns {
		for _, r := range routes {
			if j.Without[r.Name].Slices >= turns {
				continue
			}
			seed++
			j.Without[r.Name].add(measureRead(base, drv, r, j.Slice, seed))
		}
	}
	return j, nil
}

// scaleRun is the random read routes at one registry size.
type scaleRun struct {
	Projects int
	Routes   []routeResult
}

// runScale drives the random routes over a registry of n projects.
func runScale(bin, tmp string, d dataset, drv readDriver, dur time.Duration) (scaleRun, error) {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return scaleRun{}, err
	}
	if _, err := settle(bin, db); err != nil {
		return scaleRun{}, err
	}
	return runRandomOn(bin, db, d, drv, dur, fmt.Sprintf("growth: %s projects", thousands(d.Scale.Projects)))
}

// runRandomOn serves db and drives the random read routes (and the home,
// as the reference hot route).
func runRandomOn(bin, db string, d dataset, drv readDriver, dur time.Duration, label string) (scaleRun, error) {
	s, err := start(bin, db, serverOpts{label: label})
	if err != nil {
		return scaleRun{}, err
	}
	defer s.stop()
	k, err := discover(s.base)
	if err != nil {
		return scaleRun{}, err
	}
	all, _ := usable(s.base, readRoutes(s.base, k, false))
	routes := append([]readRoute{all[0]}, randomRoutes(all)...)
	logf("%s: %d routes, %s each", label, len(routes), dur)
	run := scaleRun{Projects: d.Scale.Projects}
	for i, rt := range routes {
		run.Routes = append(run.Routes, measureRead(s, drv, rt, dur, uint64(i+1)))
	}
	return run, nil
}
