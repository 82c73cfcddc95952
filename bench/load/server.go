package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

type server struct {
	cmd     *exec.Cmd
	base    string
	host    string // 127.0.0.1:port
	boot    time.Duration
	started time.Time
	done    chan struct{}
	logMu   sync.Mutex
	log     *bytes.Buffer
	jobsEnd time.Time // when the log said the background jobs ended (ran or failed); under logMu
	jobsErr string    // the failure, if they failed
	rss     *rssSampler
	mem     memRun // once stopped
	label   string
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// serverOpts are how a server is started.
type serverOpts struct {
	label string   // what it is for, in the memory table
	env   []string // extra environment
	args  []string // extra flags of pishran serve
}

// start starts `pishran serve` and measures the time from exec to the
// first 200 from /healthz. Its resident set is sampled from then on.
func start(bin, db string, o serverOpts) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, host: addr, done: make(chan struct{}), log: &bytes.Buffer{}, label: o.label}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--db", db}, o.args...)...)
	s.cmd.Env = append(os.Environ(), o.env...)
	if *flagEnv != "" {
		s.cmd.Env = append(s.cmd.Env, strings.Split(*flagEnv, ",")...)
	}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, &syncWriter{mu: &s.logMu, w: s.log, s: s}
	client := &http.Client{Timeout: time.Second}
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.started = t0
	s.rss = sampleRSS(s.cmd.Process.Pid, 250*time.Millisecond)
	go func() { s.cmd.Wait(); close(s.done) }()
	for {
		resp, err := client.Get(s.base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				s.boot = time.Since(t0)
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("pishran serve exited: %s", s.log)
		default:
		}
		if time.Since(t0) > 30*time.Second {
			s.stop()
			return nil, fmt.Errorf("pishran serve did not answer /healthz in 30 s: %s", s.log)
		}
		time.Sleep(time.Millisecond)
	}
}

// stop ends the server (once; later calls do nothing) and records its
// memory over its life in the run's table.
func (s *server) stop() {
	select {
	case <-s.done:
		return
	default:
	}
	s.mem = s.rss.end()
	s.mem.Label = s.label
	if s.label != "" {
		memRuns = append(memRuns, s.mem)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// settle starts the server once and lets its background jobs (the daily
// reminders) finish before anything is measured: on the first start of a
// day the job writes a reminder for every overdue action, which at
// national scale holds the writer for seconds and would be counted against
// whichever route ran first.
//
// It returns the boot time of that first start (0 for a build without
// background jobs, which needs no settling).
func settle(bin, db string) (time.Duration, error) {
	if !hasJobs(bin) {
		return 0, nil // a build without background jobs
	}
	s, err := start(bin, db, serverOpts{})
	if err != nil {
		return 0, err
	}
	defer s.stop()
	logf("first start: waiting for the day's background jobs to end (at most %s)", *flagSettleMax)
	end, failed := s.waitJobs(*flagSettleMax)
	switch {
	case end.IsZero():
		return 0, fmt.Errorf("the server's background jobs did not finish in %s (-settle-max)", *flagSettleMax)
	case failed != "": // say so, measure anyway
		logf("background jobs failed before measuring: %s", failed)
	default:
		logf("first start: first answer after %s; background jobs done %s after start, before measuring",
			s.boot.Round(time.Millisecond), end.Sub(s.started).Round(time.Millisecond))
	}
	return s.boot, nil
}

func hasJobs(bin string) bool {
	help, _ := exec.Command(bin, "serve", "--help").CombinedOutput()
	return bytes.Contains(help, []byte("-jobs"))
}

// jobsEnded is when the log said the first run of background jobs ended
// (zero: not yet), and the failure if it failed.
func (s *server) jobsEnded() (time.Time, string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return s.jobsEnd, s.jobsErr
}

// waitJobs waits up to d for the first run of background jobs to end.
func (s *server) waitJobs(d time.Duration) (time.Time, string) {
	for t0 := time.Now(); time.Since(t0) < d; time.Sleep(50 * time.Millisecond) {
		if end, failed := s.jobsEnded(); !end.IsZero() {
			return end, failed
		}
	}
	return time.Time{}, ""
}

// syncWriter keeps the server's log and notes the moment the first run
// of background jobs ends: "background jobs ran", or "background jobs"
// with the error.
type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
	s  *server
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.s.jobsEnd.IsZero() {
		for _, line := range strings.Split(string(p), "\n") {
			switch {
			case strings.Contains(line, `msg="background jobs ran"`):
				w.s.jobsEnd = time.Now()
			case strings.Contains(line, `msg="background jobs"`):
				w.s.jobsEnd, w.s.jobsErr = time.Now(), strings.TrimSpace(line)
			}
		}
	}
	if w.w.Len() > 1<<20 { // keep the start and the recent end of a chatty log
		w.w.Truncate(64 << 10)
	}
	return w.w.Write(p)
}

// token makes an API token with the binary, as an operator would.
func token(bin, db string, args ...string) (string, error) {
	out, err := exec.Command(bin, append([]string{"token", "create", "--db", db}, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("token create: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1], nil
}
