package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTick is the unit of /proc/PID/stat's CPU times: USER_HZ, 100 on
// every Linux architecture Go builds for (the kernel fixes it for user
// space whatever its internal HZ).
const clockTick = 10 * time.Millisecond

// parseStatCPU reads utime + stime, the process's CPU time in user and
// kernel mode, from the text of /proc/PID/stat. The command name (field 2)
// is in parentheses and may hold spaces, so fields are counted after its
// closing parenthesis: utime and stime are fields 14 and 15.
func parseStatCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc stat: no command name")
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state); field k is f[k-3]
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields", len(f)+2)
	}
	utime, err1 := strconv.ParseInt(f[14-3], 10, 64)
	stime, err2 := strconv.ParseInt(f[15-3], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc stat: utime %q, stime %q", f[11], f[12])
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// processCPU is the CPU time the process has used so far.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStatCPU(string(b))
}

// statusKB reads a "Name:   123 kB" line of /proc/PID/status, in bytes.
func statusKB(pid int, name string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return parseStatusKB(string(b), name)
}

func parseStatusKB(status, name string) int64 {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// rssSampler reads the server's resident set every interval while it runs,
// so the run reports its peak and its steady level (the median of the
// samples), and each route the peak over its own time.
type rssSampler struct {
	pid  int
	mu   sync.Mutex
	at   []time.Time
	rss  []int64
	anon []int64 // RssAnon at the same samples: the process's own pages, without the file-backed ones
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			s.take()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *rssSampler) take() {
	if v := statusKB(s.pid, "VmRSS"); v > 0 {
		a := statusKB(s.pid, "RssAnon")
		s.mu.Lock()
		s.at, s.rss, s.anon = append(s.at, time.Now()), append(s.rss, v), append(s.anon, a)
		s.mu.Unlock()
	}
}

// end stops sampling; the process's own high-water mark (VmHWM), read
// before it exits, catches a peak between two samples.
func (s *rssSampler) end() memRun {
	s.take()
	hwm := statusKB(s.pid, "VmHWM")
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	m := memRun{Samples: len(s.rss), Steady: median(s.rss), Peak: hwm, SteadyAnon: median(s.anon)}
	for i, v := range s.rss {
		m.Peak, m.PeakAnon = max(m.Peak, v), max(m.PeakAnon, s.anon[i])
	}
	return m
}

// peakSince is the largest sample since t.
func (s *rssSampler) peakSince(t time.Time) int64 {
	s.take()
	s.mu.Lock()
	defer s.mu.Unlock()
	var p int64
	for i := range s.rss {
		if !s.at[i].Before(t) {
			p = max(p, s.rss[i])
		}
	}
	return p
}

// memRun is one server process's memory over its life.
type memRun struct {
	Label   string
	Samples int
	Peak    int64 // VmHWM or the largest sample
	Steady  int64 // median of the samples
	// SteadyAnon and PeakAnon are the same of RssAnon: the process's own
	// memory (Go heap, SQLite's caches) without the file-backed pages —
	// the binary's code (and, in builds before the readers stopped mapping
	// the database, store/store.go, the database pages they mapped: the
	// operating system's file cache, counted in RSS because mapped).
	SteadyAnon, PeakAnon int64
}

// memory says what the server's resident memory is made of now: anonymous
// (the Go heap and SQLite's caches), file-backed (the binary), and of the
// anonymous part, the Go heap the runtime holds from the OS.
func (s *server) memory() string {
	pid := s.cmd.Process.Pid
	anon, file := statusKB(pid, "RssAnon"), statusKB(pid, "RssFile")
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
	return fmt.Sprintf("anon %s, of it Go heap %s; file %s", mib(anon), mib(heap), mib(file))
}

func wantProfile(name string) bool {
	if *flagProfile == "" {
		return false
	}
	for _, p := range strings.Split(*flagProfile, ",") {
		if p == "all" || p == name {
			return true
		}
	}
	return false
}

// takeProfile fetches a CPU profile of the server over a route's run.
func takeProfile(s *server, name string, d time.Duration) error {
	secs := max(1, int(d.Seconds())-1)
	resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.base, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("profile: %s", resp.Status)
	}
	path := filepath.Join(*flagCache, "cpu-"+strings.NewReplacer(" ", "-", "(", "", ")", "", ",", "").Replace(name)+".pprof")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		return err
	}
	logf("CPU profile of %s: go tool pprof -top %s", name, path)
	return nil
}
