// Command load is Pishran's load benchmark. It builds the pishran binary,
// generates (or reuses, from bench/out/) a national-scale SQLite database,
// starts the server on 127.0.0.1 over a copy of it and drives every read
// route — hot, with a random key per request, and with the caches
// defeated — with wrk when it is installed (else a lean Go client), the
// writes, and the home and project pages during the day's background jobs.
// Beside each figure it prints the server's CPU time per request (from
// /proc), the bare route's limit at the same answer size in the same
// process, the resident memory sampled through the whole run, the growth
// from 100 to 10,000 projects, optionally PostgreSQL beside SQLite, and the
// targets of issue 12 with met or missed. The tables are printed and
// written to bench/RESULTS.md.
//
//	go run ./bench/load            # the full run (about 10 minutes)
//	go run ./bench/load -quick     # a smoke run, under 3 minutes
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	flagDuration  = flag.Duration("duration", 10*time.Second, "how long each route is driven at national scale")
	flagScaleDur  = flag.Duration("scale-duration", 5*time.Second, "how long each random route is driven at the smaller registries (and on PostgreSQL)")
	flagBareDur   = flag.Duration("bare-duration", 5*time.Second, "how long the bare route is driven at each answer size")
	flagConns     = flag.Int("conns", 8, "concurrent connections (and writers)")
	flagThreads   = flag.Int("threads", 0, "wrk threads (0: one per CPU, at most one per connection)")
	flagDriver    = flag.String("driver", "auto", "read client: auto (wrk if installed, else go), wrk, go")
	flagProjects  = flag.Int("projects", 10000, "projects in the main run (10,000: national scale)")
	flagSizes     = flag.String("scale-sizes", "100,1000", "the smaller registries of the growth table (projects, comma-separated; empty: none)")
	flagMiss      = flag.Bool("miss", true, "also run the cache-miss variants (a unique parameter per request)")
	flagWrites    = flag.Bool("writes", true, "run the write routes")
	flagJob       = flag.Bool("job", true, "measure the home and project pages during the day's background jobs")
	flagJobSlice  = flag.Duration("job-slice", 2*time.Second, "length of one measuring turn in the job window")
	flagJobMax    = flag.Duration("job-max", 5*time.Minute, "how long to wait for the jobs to end in the job window")
	flagSettleMax = flag.Duration("settle-max", 30*time.Minute, "how long to wait for the day's first background jobs before measuring")
	flagDB        = flag.String("db", "", "also run the random reads on PostgreSQL: a postgres:// URL to a server where the benchmark may drop and create the database "+benchDatabase)
	flagQuick     = flag.Bool("quick", false, "smoke run: 1,000 projects, 1 s per route, growth from 100; results to bench/out/RESULTS-quick.md (under 3 minutes)")
	flagOut       = flag.String("out", "bench/RESULTS.md", "where to write the results (empty: only print them)")
	flagCache     = flag.String("cache", "bench/out", "folder for the generated databases, kept between runs")
	flagEnv       = flag.String("server-env", "", "extra environment for the server, KEY=VALUE[,KEY=VALUE…] (experiments: GOMEMLIMIT=…, GOGC=…)")
	flagRoutes    = flag.String("routes", "", "measure only the read routes of the main run whose name matches this regular expression (empty: all; '^$': none, for a writes-only run)")
	flagProfile   = flag.String("profile", "", "take a CPU profile of the server during these routes (comma-separated names, or all) into the cache folder")
)

// routeChosen matches the names of the read routes the main run measures (-routes).
var routeChosen *regexp.Regexp

func main() {
	flag.Parse()
	if *flagQuick {
		quick()
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// quick sets the smoke run's figures, for the flags not given.
func quick() {
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	def := func(name, v string) {
		if !set[name] {
			flag.Set(name, v)
		}
	}
	def("projects", "1000")
	def("duration", "1s")
	def("scale-duration", "1s")
	def("bare-duration", "1s")
	def("scale-sizes", "100")
	def("job-slice", "1s")
	def("job-max", "20s")
	def("out", filepath.Join(*flagCache, "RESULTS-quick.md"))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "· "+time.Now().Format("15:04:05")+" "+format+"\n", args...)
}

func run() error {
	var err error
	if routeChosen, err = regexp.Compile(*flagRoutes); err != nil {
		return fmt.Errorf("-routes: %w", err)
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	drv, err := pickDriver(*flagDriver, *flagThreads)
	if err != nil {
		return err
	}
	sizes, err := scaleSizes(*flagSizes, *flagProjects)
	if err != nil {
		return err
	}
	res := &results{Machine: describeMachine(), LoadBefore: loadAvg(), Started: time.Now(), Duration: *flagDuration,
		ScaleDuration: *flagScaleDur, BareDuration: *flagBareDur, Conns: *flagConns, Driver: drv.Name(), Quick: *flagQuick}
	tmp, err := os.MkdirTemp("", "pishran-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "pishran")
	logf("building the pishran binary; reads driven by %s", drv.Name())
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/pishran").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if err := os.MkdirAll(*flagCache, 0o750); err != nil {
		return err
	}
	main, err := ensureDB(bin, scaleFor(*flagProjects))
	if err != nil {
		return err
	}
	res.Dataset = main
	k, err := runMain(bin, tmp, main, drv, res)
	if err != nil {
		return err
	}
	if *flagJob {
		if res.Job, err = runJobWindow(bin, tmp, main, k, drv); err != nil {
			return err
		}
	}
	for _, n := range sizes {
		d, err := ensureDB(bin, scaleFor(n))
		if err != nil {
			return err
		}
		run, err := runScale(bin, tmp, d, drv, *flagScaleDur)
		if err != nil {
			return err
		}
		res.Scaling = append(res.Scaling, run)
	}
	if *flagDB != "" {
		if res.PG, err = runPostgres(bin, tmp, main, drv, *flagScaleDur); err != nil {
			return err
		}
	}
	res.Mem = memRuns
	res.LoadAfter = loadAvg()
	res.Finished = time.Now()
	md := res.markdown()
	fmt.Print(md)
	if *flagOut != "" {
		if err := os.WriteFile(*flagOut, []byte(md), 0o644); err != nil {
			return err
		}
		logf("written to %s", *flagOut)
	}
	return nil
}

// scaleSizes parses -scale-sizes: the registries below the main one.
func scaleSizes(s string, main int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 10 {
			return nil, fmt.Errorf("-scale-sizes: %q is not a number of projects (10 or more)", f)
		}
		if n < main {
			out = append(out, n)
		}
	}
	return out, nil
}
