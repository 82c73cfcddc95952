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
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/synth"
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

// ---- datasets ----

// dataset is a generated database and the scale it was made at.
type dataset struct {
	Scale     genScale
	Path      string
	Generated time.Duration // 0: reused from the cache
	Size      int64
}

type genScale struct {
	Projects, Agencies, Meetings, Actions, Audit int
}

// scaleFor keeps the national proportions at any number of projects: an
// agency per ten projects, a meeting per five, five actions and a hundred
// audit entries per project (and, from the generator, 20 reports each).
func scaleFor(projects int) genScale {
	return genScale{Projects: projects, Agencies: max(2, projects/10), Meetings: max(4, projects/5),
		Actions: projects * 5, Audit: projects * 100}
}

func (g genScale) args() []string {
	return []string{"--projects", strconv.Itoa(g.Projects), "--agencies", strconv.Itoa(g.Agencies),
		"--meetings", strconv.Itoa(g.Meetings), "--actions", strconv.Itoa(g.Actions), "--audit", strconv.Itoa(g.Audit)}
}

// config is the synth configuration `pishran generate` uses for g.
func (g genScale) config() synth.Config {
	c := synth.National
	c.Projects, c.Agencies = g.Projects, g.Agencies
	c.Programs = min(c.Programs, c.Projects)
	return c
}

// generatorPrint is a digest of everything that decides what a generated
// database holds, so a cached one is reused only while it still matches.
func generatorPrint() (string, error) {
	h := sha256.New()
	var files []string
	for _, pattern := range []string{"synth/*.go", "store/migrations/sqlite/*.sql", "cmd/pishran/generate.go", "store/bulk.go",
		"store/progress.go", "service/document.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			return "", err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		h.Write([]byte(f))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:10], nil
}

// ensureDB returns the cached database of scale g, generating it first if
// it is missing or was made by another version of the generator.
func ensureDB(bin string, g genScale) (dataset, error) {
	fp, err := generatorPrint()
	if err != nil {
		return dataset{}, err
	}
	label := fmt.Sprintf("p%d", g.Projects)
	path := filepath.Join(*flagCache, label+"-"+fp+".db")
	d := dataset{Scale: g, Path: path}
	if st, err := os.Stat(path); err == nil {
		d.Size = st.Size()
		logf("reusing %s", path)
		return d, nil
	}
	stale, _ := filepath.Glob(filepath.Join(*flagCache, label+"-*.db*"))
	for _, f := range stale {
		os.Remove(f)
	}
	part := path + ".part"
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(part + s)
	}
	logf("generating %s (%d projects)", path, g.Projects)
	start := time.Now()
	cmd := exec.Command(bin, append([]string{"generate", "--db", part}, g.args()...)...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return d, fmt.Errorf("generate: %w", err)
	}
	d.Generated = time.Since(start)
	if err := os.Rename(part, path); err != nil {
		return d, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return d, err
	}
	d.Size = st.Size()
	return d, nil
}

// workingCopy copies a cached database, so the run's writes never reach
// the cache and every run starts from the same data.
func workingCopy(d dataset, dir string) (string, error) {
	dst := filepath.Join(dir, "work.db")
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(dst + s)
	}
	in, err := os.Open(d.Path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return dst, out.Close()
}

// ---- the server ----

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

// ---- the load ----

// worker is one connection's driver: its client, its random source and
// what it measured.
type worker struct {
	id     int
	base   string // the server's URL
	client *http.Client
	rng    *rand.Rand
	lats   []time.Duration
	bytes  int // body size of the last answer
	errs   int
	sample []string // the first few errors, to show
}

// do sends req, reads the whole answer and records its latency; a status
// other than want, or a transport error, counts as an error.
func (w *worker) do(req *http.Request, want int) (*http.Response, []byte, bool) {
	t0 := time.Now()
	resp, err := w.client.Do(req)
	if err != nil {
		w.fail(req, err.Error())
		return nil, nil, false
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	w.lats = append(w.lats, time.Since(t0))
	w.bytes = len(body)
	if err != nil {
		w.fail(req, err.Error())
		return resp, nil, false
	}
	if resp.StatusCode != want {
		w.fail(req, fmt.Sprintf("%d %s", resp.StatusCode, bytes.TrimSpace(body[:min(len(body), 300)])))
		return resp, body, false
	}
	return resp, body, true
}

func (w *worker) fail(req *http.Request, msg string) {
	w.errs++
	if len(w.sample) < 3 {
		w.sample = append(w.sample, req.Method+" "+req.URL.RequestURI()+": "+msg)
	}
}

func (w *worker) get(path string) bool {
	req, _ := http.NewRequest("GET", w.base+path, nil)
	_, _, ok := w.do(req, 200)
	return ok
}

// routeResult is what one route measured.
type routeResult struct {
	Name, Path string
	Requests   int
	Errors     int
	Elapsed    time.Duration
	P50, P99   time.Duration
	PeakRSS    int64
	Note       string
	Samples    []string
	Bytes      int // size of an answer (the last one seen)
}

func (r routeResult) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// drive runs op on n connections for d (or until op reports there is no
// more work) and gathers the measurements.
func drive(s *server, name, path string, d time.Duration, n int, op func(w *worker) bool) routeResult {
	tr := &http.Transport{MaxIdleConns: n, MaxIdleConnsPerHost: n, MaxConnsPerHost: n, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	workers := make([]*worker, n)
	for i := range workers {
		workers[i] = &worker{id: i, base: s.base, client: client, rng: rand.New(rand.NewPCG(uint64(i+1), 42)), lats: make([]time.Duration, 0, 1<<15)}
	}
	// warm up: one request per connection, not measured
	for _, w := range workers {
		op(w)
		w.lats, w.errs, w.sample = w.lats[:0], 0, nil
	}
	peakOK := s.resetPeak()
	var profile chan error
	if wantProfile(name) {
		profile = make(chan error, 1)
		go func() { profile <- takeProfile(s, name, d) }()
	}
	t0 := time.Now()
	deadline := t0.Add(d)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if !op(w) {
					return
				}
			}
		}()
	}
	wg.Wait()
	r := routeResult{Name: name, Path: path, Elapsed: time.Since(t0), PeakRSS: s.peakRSS()}
	if !peakOK {
		r.Note = "peak RSS since start (clear_refs unavailable)"
	}
	var all []time.Duration
	for _, w := range workers {
		r.Bytes = max(r.Bytes, w.bytes)
		all = append(all, w.lats...)
		r.Errors += w.errs
		r.Samples = append(r.Samples, w.sample...)
	}
	r.Requests = len(all)
	slices.Sort(all)
	if len(all) > 0 {
		r.P50 = all[len(all)*50/100]
		r.P99 = all[min(len(all)-1, len(all)*99/100)]
	}
	if profile != nil {
		if err := <-profile; err != nil {
			logf("profile of %s: %v", name, err)
		}
	}
	logf("%-22s %8.0f req/s  p50 %-8s p99 %-8s errors %d  peak RSS %s  (now: %s)", name, r.RPS(), ms(r.P50), ms(r.P99), r.Errors,
		mib(r.PeakRSS), s.memory())
	for _, s := range r.Samples {
		logf("  error: %s", s)
	}
	return r
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

// takeProfile fetches a CPU profile of the server over the route's run.
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
	path := filepath.Join(*flagCache, "cpu-"+strings.ReplaceAll(name, " ", "-")+".pprof")
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

// readRoute is a read route and how to pick each request's URL.
type readRoute struct {
	name, path string
	url        func(w *worker) string
}

// readRoutes are the read routes over a registry of the given scale; the
// portal's pages are used when it is mounted, else their API equivalents.
func readRoutes(s *server, g genScale) ([]readRoute, error) {
	doc := synth.Registry(g.config())
	var public []string
	for i := range doc.Projects {
		if doc.Projects[i].Confidentiality == domain.Public {
			public = append(public, doc.Projects[i].Slug)
		}
	}
	cursors := []string{""}
	for k := 100; k < len(doc.Projects); k += 100 {
		cursors = append(cursors, "&cursor="+base64.RawURLEncoding.EncodeToString([]byte(doc.Projects[k-1].Slug)))
	}
	pick := func(w *worker, xs []string) string { return xs[w.rng.IntN(len(xs))] }
	home, page := "/", "/projects/{slug}"
	if code, _ := status(s.base + "/"); code != 200 {
		home = "/api/v1/programs"
	}
	if code, _ := status(s.base + "/projects/" + public[0]); code != 200 {
		page = "/api/v1/projects/{slug}"
	}
	progs := doc.Programs
	from, to := progs[max(0, len(progs)-2)].Slug, progs[len(progs)-1].Slug
	return []readRoute{
		{"public home", home, func(*worker) string { return home }},
		{"project page", page, func(w *worker) string { return strings.Replace(page, "{slug}", pick(w, public), 1) }},
		{"API list of 100", "/api/v1/projects?limit=100", func(w *worker) string { return "/api/v1/projects?limit=100" }},
		{"API list of 100, any page", "/api/v1/projects?limit=100&cursor=…", func(w *worker) string { return "/api/v1/projects?limit=100" + pick(w, cursors) }},
		{"API program list", "/api/v1/programs", func(*worker) string { return "/api/v1/programs" }},
		{"API project read", "/api/v1/projects/{slug}", func(w *worker) string { return "/api/v1/projects/" + pick(w, public) }},
		{"comparison", "/api/v1/compare?from=" + from + "&to=" + to, func(*worker) string { return "/api/v1/compare?from=" + from + "&to=" + to }},
	}, nil
}

func status(u string) (int, int) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, len(b)
}

// runReads starts the server over a copy of d and drives the read routes.
func runReads(bin, tmp string, d dataset, dur time.Duration) ([]routeResult, error) {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return nil, err
	}
	if _, err := settle(bin, db); err != nil {
		return nil, err
	}
	s, err := start(bin, db)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	routes, err := readRoutes(s, d.Scale)
	if err != nil {
		return nil, err
	}
	logf("read routes at %d projects, %s each", d.Scale.Projects, dur)
	var out []routeResult
	for _, rt := range routes {
		out = append(out, drive(s, rt.name, rt.path, dur, *flagConns, func(w *worker) bool { return w.get(rt.url(w)) }))
	}
	return out, nil
}

// runMain is the national run: boot, every route, the writes and their
// check, then the bare route on a second start of the same binary.
func runMain(bin, tmp string, d dataset, res *results) error {
	db, err := workingCopy(d, tmp)
	if err != nil {
		return err
	}
	sec, err := token(bin, db, "--role", "secretariat", "--name", "bench-secretariat")
	if err != nil {
		return err
	}
	doc := synth.Registry(d.Scale.config())
	agencies := busiestAgencies(doc, *flagConns)
	agencyTokens := make([]string, len(agencies))
	for i, a := range agencies {
		if agencyTokens[i], err = token(bin, db, "--role", "agency", "--agency", a.code, "--name", "bench-"+a.code); err != nil {
			return err
		}
	}
	if res.BootFirst, err = settle(bin, db); err != nil {
		return err
	}
	var env []string
	if *flagProfile != "" {
		env = append(env, "PISHRAN_BENCH_PPROF=1")
	}
	s, err := start(bin, db, env...)
	if err != nil {
		return err
	}
	defer s.stop()
	res.Boot = s.boot
	logf("server up in %s (boot to first answer)", s.boot.Round(time.Microsecond))

	routes, err := readRoutes(s, d.Scale)
	if err != nil {
		return err
	}
	_, homeSize := status(s.base + routes[0].path)
	res.HomeSize = homeSize
	res.HomePath = routes[0].path
	res.PagePath = routes[1].path
	logf("read routes at %d projects, %s each; public home %s is %d bytes", d.Scale.Projects, *flagDuration, routes[0].path, homeSize)
	for _, rt := range routes {
		res.Routes = append(res.Routes, drive(s, rt.name, rt.path, *flagDuration, *flagConns,
			func(w *worker) bool { return w.get(rt.url(w)) }))
	}

	// designation: fresh draft programs, distinct projects
	desig, err := designationLoad(s, sec, doc)
	if err != nil {
		return err
	}
	r := drive(s, "designation (write)", "POST /api/v1/programs/{id}/members", *flagDuration, *flagConns, desig.op)
	r.Note, res.Verify = desig.verify(s, sec)
	res.Routes = append(res.Routes, r)

	// report submission: each writer an agency, distinct projects and periods
	reps := reportLoad(s, agencies, agencyTokens)
	r = drive(s, "report submission (write)", "POST /api/v1/reports + /submit", *flagDuration, *flagConns, reps.op)
	note, ok := reps.verify(s)
	r.Note = note
	res.Verify = res.Verify && ok
	res.Routes = append(res.Routes, r)
	res.PeakAll = s.peakRSS()
	s.stop()

	// the machine's limit: the same binary, a fixed body of the home's size
	bare, err := start(bin, db, fmt.Sprintf("PISHRAN_BENCH_BARE=%d", max(1, homeSize)))
	if err != nil {
		return err
	}
	defer bare.stop()
	res.Bare = drive(bare, "bare limit", "/_bench/bare", *flagDuration, *flagConns, func(w *worker) bool { return w.get("/_bench/bare") })
	bare.stop()

	// and, for the list, the limit at its own (larger) size
	listSize := 0
	for _, r := range res.Routes {
		if r.Name == "API list of 100" && r.Requests > 0 {
			listSize = r.Bytes
		}
	}
	if listSize > 0 {
		bare2, err := start(bin, db, fmt.Sprintf("PISHRAN_BENCH_BARE=%d", listSize))
		if err != nil {
			return err
		}
		defer bare2.stop()
		res.BareList = drive(bare2, "bare limit, list size", "/_bench/bare", *flagDuration, *flagConns, func(w *worker) bool { return w.get("/_bench/bare") })
		res.ListSize = listSize
	}
	return nil
}

type agencyWork struct {
	code     string
	projects []string
}

// busiestAgencies are the n agencies on the most projects (lead or
// participant): the report writers, each with enough distinct work.
func busiestAgencies(doc *domain.Document, n int) []agencyWork {
	on := map[string][]string{}
	for i := range doc.Projects {
		for _, pa := range doc.Projects[i].Agencies {
			on[pa.Agency] = append(on[pa.Agency], doc.Projects[i].Slug)
		}
	}
	var out []agencyWork
	for code, ps := range on {
		out = append(out, agencyWork{code, ps})
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].projects) != len(out[j].projects) {
			return len(out[i].projects) > len(out[j].projects)
		}
		return out[i].code < out[j].code
	})
	return out[:min(n, len(out))]
}

// ---- writes ----

type designations struct {
	programs []string
	jobs     []string // "program/project", each designated at most once
	next     atomic.Int64
	mu       sync.Mutex
	acked    []string
	token    string
}

// designationLoad makes enough fresh draft programs that every
// designation of the run is a real one: a project that passes every rule,
// into a program it is not yet on.
func designationLoad(s *server, token string, doc *domain.Document) (*designations, error) {
	var eligible []string
	for i := range doc.Projects {
		p := &doc.Projects[i]
		if p.Confidentiality == domain.Public && p.Kind == domain.KindService && p.Status == domain.InProgress && len(p.Agencies) >= 2 {
			eligible = append(eligible, p.Slug)
		}
	}
	if len(eligible) == 0 {
		return nil, errors.New("no project can be designated")
	}
	need := max(2, int(flagDuration.Seconds()*4000)/len(eligible)+1)
	d := &designations{token: token}
	stamp := time.Now().Format("150405")
	term := len(doc.Terms)
	for k := range need {
		slug := fmt.Sprintf("bench-%s-%d", stamp, k)
		body := fmt.Sprintf(`{"id":%q,"title":{"fa":"فهرست سنجش %d","en":"Benchmark list %d"},"term":%d,"kind":"smart-government-driving","visibility":"public","status":"draft"}`,
			slug, k, k, term)
		if err := post(s.base+"/api/v1/programs", token, body, 201); err != nil {
			return nil, fmt.Errorf("create program: %w", err)
		}
		d.programs = append(d.programs, slug)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for _, g := range d.programs {
		perm := r.Perm(len(eligible))
		for _, i := range perm {
			d.jobs = append(d.jobs, g+"/"+eligible[i])
		}
	}
	return d, nil
}

func (d *designations) op(w *worker) bool {
	i := d.next.Add(1) - 1
	if int(i) >= len(d.jobs) {
		return false
	}
	prog, proj, _ := strings.Cut(d.jobs[i], "/")
	req, _ := http.NewRequest("POST", w.base+"/api/v1/programs/"+prog+"/members", strings.NewReader(`{"project":"`+proj+`"}`))
	req.Header.Set("Authorization", "Bearer "+d.token)
	req.Header.Set("Content-Type", "application/json")
	if _, _, ok := w.do(req, 201); ok {
		d.mu.Lock()
		d.acked = append(d.acked, d.jobs[i])
		d.mu.Unlock()
	}
	return true
}

// verify reads every benchmark program's members back through the API:
// each acknowledged designation must be there, and active.
func (d *designations) verify(s *server, token string) (string, bool) {
	present := map[string]bool{}
	for _, g := range d.programs {
		cursor := ""
		for {
			var page struct {
				Items []struct {
					Project string `json:"project"`
					Active  bool   `json:"active"`
				} `json:"items"`
				Next *string `json:"next_cursor"`
			}
			u := s.base + "/api/v1/programs/" + g + "/projects?limit=1000"
			if cursor != "" {
				u += "&cursor=" + cursor
			}
			if err := getJSON(u, token, &page); err != nil {
				return "verification failed: " + err.Error(), false
			}
			for _, m := range page.Items {
				if m.Active {
					present[g+"/"+m.Project] = true
				}
			}
			if page.Next == nil {
				break
			}
			cursor = *page.Next
		}
	}
	missing := 0
	for _, k := range d.acked {
		if !present[k] {
			missing++
		}
	}
	note := fmt.Sprintf("%s designations acknowledged; %d missing afterwards", thousands(len(d.acked)), missing)
	logf("designation check: %s", note)
	return note, missing == 0
}

type reports struct {
	tokens []string
	jobs   [][]string // per writer: "project|period"
	pos    []int
	mu     sync.Mutex
	acked  map[int][]int64 // writer → report ids
}

// reportLoad gives each writer an agency and its own (project, period)
// pairs — periods 2000-01 to 2022-12, before any generated report — so every
// report is new.
func reportLoad(s *server, agencies []agencyWork, tokens []string) *reports {
	r := &reports{tokens: tokens, jobs: make([][]string, len(agencies)), pos: make([]int, len(agencies)), acked: map[int][]int64{}}
	for i, a := range agencies {
		for y := 2022; y >= 2000; y-- {
			for m := 12; m >= 1; m-- {
				for _, p := range a.projects {
					r.jobs[i] = append(r.jobs[i], fmt.Sprintf("%s|%04d-%02d", p, y, m))
				}
			}
		}
	}
	return r
}

func (r *reports) op(w *worker) bool {
	if w.id >= len(r.jobs) || r.pos[w.id] >= len(r.jobs[w.id]) {
		return false
	}
	project, period, _ := strings.Cut(r.jobs[w.id][r.pos[w.id]], "|")
	r.pos[w.id]++
	tok := r.tokens[w.id]
	body := `{"project":"` + project + `","period":"` + period + `","narrative":{"fa":"گزارش آزمون بار","en":"load test report"}}`
	req, _ := http.NewRequest("POST", w.base+"/api/v1/reports", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, b, ok := w.do(req, 201)
	if !ok {
		return true
	}
	var created struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &created) != nil || created.ID == 0 {
		w.fail(req, "no report id in the answer")
		return true
	}
	req, _ = http.NewRequest("POST", w.base+"/api/v1/reports/"+strconv.FormatInt(created.ID, 10)+"/submit", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("If-Match", resp.Header.Get("ETag"))
	if _, _, ok := w.do(req, 200); ok {
		r.mu.Lock()
		r.acked[w.id] = append(r.acked[w.id], created.ID)
		r.mu.Unlock()
	}
	return true
}

// verify reads every acknowledged report back, as its agency: it must be
// there and submitted.
func (r *reports) verify(s *server) (string, bool) {
	var (
		missing, total atomic.Int64
		wg             sync.WaitGroup
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 30 * time.Second}
	for wid, ids := range r.acked {
		total.Add(int64(len(ids)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, id := range ids {
				req, _ := http.NewRequest("GET", s.base+"/api/v1/reports/"+strconv.FormatInt(id, 10), nil)
				req.Header.Set("Authorization", "Bearer "+r.tokens[wid])
				resp, err := client.Do(req)
				if err != nil {
					missing.Add(1)
					continue
				}
				var rep struct {
					State string `json:"state"`
				}
				err = json.NewDecoder(resp.Body).Decode(&rep)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || rep.State != "submitted" {
					missing.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	note := fmt.Sprintf("%s reports created and submitted (2 writes each); %d missing afterwards", thousands(int(total.Load())), missing.Load())
	logf("report check: %s", note)
	return note, missing.Load() == 0
}

func post(u, token, body string, want int) error {
	req, _ := http.NewRequest("POST", u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("POST %s: %d %s", u, resp.StatusCode, b)
	}
	return nil
}

func getJSON(u, token string, v any) error {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// ---- the machine ----

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(b, []byte("module github.com/pishran/pishran\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the pishran repository (go run ./bench/load)")
		}
		dir = parent
	}
}

type machineInfo struct {
	CPUs   int
	Model  string
	Memory string
	Kernel string
	Go     string
}

func describeMachine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), Go: runtime.Version(), Model: "unknown", Memory: "unknown", Kernel: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// ---- formatting ----

func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d >= time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mib(b int64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/1e6)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
