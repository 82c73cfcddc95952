package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type server struct {
	cmd   *exec.Cmd
	base  string
	boot  time.Duration
	done  chan struct{}
	logMu sync.Mutex
	log   *bytes.Buffer
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// start starts `pishran serve` and measures the time from exec to the
// first 200 from /healthz.
func start(bin, db string, env ...string) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &server{base: "http://" + addr, done: make(chan struct{}), log: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", db)
	s.cmd.Env = append(os.Environ(), env...)
	if *flagEnv != "" {
		s.cmd.Env = append(s.cmd.Env, strings.Split(*flagEnv, ",")...)
	}
	s.cmd.Stdout, s.cmd.Stderr = io.Discard, &syncWriter{mu: &s.logMu, w: s.log}
	client := &http.Client{Timeout: time.Second}
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
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

func (s *server) stop() {
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
	help, _ := exec.Command(bin, "serve", "--help").CombinedOutput()
	if !bytes.Contains(help, []byte("-jobs")) {
		return 0, nil // a build without background jobs
	}
	s, err := start(bin, db)
	if err != nil {
		return 0, err
	}
	defer s.stop()
	t0 := time.Now()
	for time.Since(t0) < 3*time.Minute {
		s.logMu.Lock()
		l := s.log.String()
		s.logMu.Unlock()
		if strings.Contains(l, `msg="background jobs ran"`) {
			logf("first start: first answer after %s; background jobs done before measuring", s.boot.Round(time.Millisecond))
			return s.boot, nil
		}
		if strings.Contains(l, `msg="background jobs"`) { // the jobs failed: say so, measure anyway
			logf("background jobs failed before measuring: %s", strings.TrimSpace(l[strings.LastIndex(l, `msg="background jobs"`):]))
			return s.boot, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return 0, errors.New("the server's background jobs did not finish in 3 minutes")
}

// resetPeak clears the kernel's high-water mark of the server's resident
// set, so the next reading is the peak of what follows (Linux ≥ 4.0).
func (s *server) resetPeak() bool {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0) == nil
}

// peakRSS reads VmHWM, the server's peak resident set, in bytes.
func (s *server) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// memory says what the server's resident memory is made of now: anonymous
// (the Go heap and SQLite's caches), file-backed (the binary), and of the
// anonymous part, the Go heap the runtime holds from the OS.
func (s *server) memory() string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return "?"
	}
	kb := map[string]int64{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.HasPrefix(k, "Rss") {
			kb[k], _ = strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	heap := int64(0)
	if resp, err := http.Get(s.base + "/metrics"); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var sys, released float64
		for _, line := range strings.Split(string(body), "\n") {
			if v, ok := strings.CutPrefix(line, "go_memstats_heap_sys_bytes "); ok {
				sys, _ = strconv.ParseFloat(v, 64)
			}
			if v, ok := strings.CutPrefix(line, "go_memstats_heap_released_bytes "); ok {
				released, _ = strconv.ParseFloat(v, 64)
			}
		}
		heap = int64(sys - released)
	}
	return fmt.Sprintf("anon %s, of it Go heap %s; file %s", mib(kb["RssAnon"]*1024), mib(heap), mib(kb["RssFile"]*1024))
}

type syncWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
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
