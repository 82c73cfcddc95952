// Command load is Pishran's load benchmark. It builds the pishran binary,
// generates (or reuses, from bench/out/) a national-scale SQLite database,
// starts the server on 127.0.0.1 over a copy of it, and drives each key
// route for a fixed time with concurrent keep-alive connections: the public
// home, a project page, the API's 100-item list, the program list, a
// project read, the term comparison, designation and report submission. It
// prints requests/s, p50, p99, errors and the server's peak RSS per route;
// measures, in the same run, the machine's limit (the same binary serving a
// fixed body of the home page's size on a bare route) and each route's
// share of it; checks every acknowledged write is there afterwards; and
// repeats the read routes at 100 and 1,000 projects for a scaling table. The
// tables are printed and written to bench/RESULTS.md.
//
//	go run ./bench/load
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

var (
	flagDuration = flag.Duration("duration", 10*time.Second, "how long each route is driven at national scale")
	flagScaleDur = flag.Duration("scale-duration", 5*time.Second, "how long each read route is driven at 100 and 1,000 projects")
	flagConns    = flag.Int("conns", 8, "concurrent connections (and writers)")
	flagProjects = flag.Int("projects", 10000, "projects in the main run (10,000: national scale)")
	flagScaling  = flag.Bool("scaling", true, "also run the read routes at 100 and 1,000 projects")
	flagOut      = flag.String("out", "bench/RESULTS.md", "where to write the results (empty: only print them)")
	flagCache    = flag.String("cache", "bench/out", "folder for the generated databases, kept between runs")
	flagEnv      = flag.String("server-env", "", "extra environment for the server, KEY=VALUE[,KEY=VALUE…] (experiments: GOMEMLIMIT=…, GOGC=…)")
	flagProfile  = flag.String("profile", "", "take a CPU profile of the server during these routes (comma-separated names, or all) into the cache folder")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "· "+format+"\n", args...) }

func run() error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	machine := describeMachine()
	loadBefore := loadAvg()
	tmp, err := os.MkdirTemp("", "pishran-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "pishran")
	logf("building the pishran binary")
	if out, err := exec.Command("go", "build", "-o", bin, "./cmd/pishran").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	if err := os.MkdirAll(*flagCache, 0o750); err != nil {
		return err
	}

	res := &results{Machine: machine, LoadBefore: loadBefore, Started: time.Now(), Duration: *flagDuration,
		ScaleDuration: *flagScaleDur, Conns: *flagConns}
	main, err := ensureDB(bin, scaleFor(*flagProjects))
	if err != nil {
		return err
	}
	res.Dataset = main
	if err := runMain(bin, tmp, main, res); err != nil {
		return err
	}
	if *flagScaling {
		for _, n := range []int{100, 1000} {
			if n >= *flagProjects {
				continue
			}
			d, err := ensureDB(bin, scaleFor(n))
			if err != nil {
				return err
			}
			rows, err := runReads(bin, tmp, d, *flagScaleDur)
			if err != nil {
				return err
			}
			res.Scaling = append(res.Scaling, scaleRun{Projects: n, Routes: rows})
		}
		res.Scaling = append(res.Scaling, scaleRun{Projects: *flagProjects, Routes: res.readRows()})
	}
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
