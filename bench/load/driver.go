package main

import (
	"fmt"
	"os/exec"
	"time"
)

// load is what a read driver is asked to do: GET the paths (one at
// random per request; a single path is a hot route) on conns keep-alive
// connections for dur.
type load struct {
	Host  string   // 127.0.0.1:port
	Paths []string // request targets, each starting with /
	// Bust appends a parameter unique to each request (_bench=…), so no
	// cache keyed by the address (the page and response caches) can
	// answer it: every request is a miss there.
	Bust  bool
	Conns int
	Dur   time.Duration
	Seed  uint64
}

// bustParam is the parameter a cache-miss run appends; the server
// ignores parameters it does not know.
const bustParam = "_bench"

// bustPrefix is what goes after a path before the unique value.
func bustPrefix(path string) string {
	for i := 0; i < len(path); i++ {
		if path[i] == '?' {
			return path + "&" + bustParam + "="
		}
	}
	return path + "?" + bustParam + "="
}

// readDriver drives a read load and measures it. It fills Requests,
// Errors, Elapsed, the percentiles and Samples; the caller the rest.
type readDriver interface {
	Name() string
	Run(l load) (routeResult, error)
}

// pickDriver chooses the client for the reads: wrk when it is installed
// (it out-runs the server on this machine; a Go client in one process
// with the server's rival for two cores does not always), else the lean Go
// client.
func pickDriver(want string, threads int) (readDriver, error) {
	switch want {
	case "go":
		return goDriver{}, nil
	case "wrk", "auto":
		path, err := exec.LookPath("wrk")
		if err == nil {
			return &wrkDriver{bin: path, threads: threads}, nil
		}
		if want == "wrk" {
			return nil, fmt.Errorf("-driver wrk: wrk is not installed (apt-get install wrk)")
		}
		return goDriver{}, nil
	}
	return nil, fmt.Errorf("-driver %q: give auto, wrk or go", want)
}
