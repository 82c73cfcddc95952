package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pishran/pishran/store"
)

// buildPishran builds the pishran binary into the test's temporary folder.
func buildPishran(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pishran")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a pishran serve process.
type server struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

var servingLine = regexp.MustCompile(`serving on (http://[0-9.:]+)/`)

// startServer starts `pishran serve` on a free port and waits until
// /healthz answers.
func startServer(t *testing.T, bin, dsn string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn)
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { cmd.Wait(); close(s.done) }()
	select {
	case s.url = <-found:
	case <-s.done:
		t.Fatalf("pishran serve exited before serving")
	case <-time.After(20 * time.Second):
		s.kill()
		t.Fatalf("pishran serve did not start in 20 s")
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(s.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			s.kill()
			t.Fatalf("/healthz did not answer: %v", err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// TestCrashSafety kills the server with SIGKILL 20 times at random moments
// while eight writers create agencies and laws through the API, restarting
// it each time. After each kill every write the API acknowledged (2xx) must
// be in the database, the database must pass PRAGMA integrity_check and
// `pishran audit verify` must find the chain intact.
func TestCrashSafety(t *testing.T) {
	bin := buildPishran(t)
	dsn := filepath.Join(t.TempDir(), "crash.db")
	code, out, errOut := pishran(t, "token", "create", "--role", "secretariat", "--name", "crash-writer", "--db", dsn)
	if code != 0 {
		t.Fatalf("token: %s", errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]

	const writers, kills = 8, 20
	var (
		base     atomic.Pointer[string] // the current server's URL; nil while it is down
		mu       sync.Mutex
		acked    = map[string]string{} // key → table, for every 2xx
		serverEr atomic.Int64          // 5xx answers: never expected
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: writers}}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				u := base.Load()
				if u == nil {
					time.Sleep(2 * time.Millisecond)
					continue
				}
				// Every attempt uses a new key: an attempt whose answer was lost
				// may or may not have landed, and is simply not counted.
				key := fmt.Sprintf("c%d-%d", w, i)
				path, table, body := "/api/v1/agencies", "agencies",
					map[string]any{"code": key, "name": map[string]string{"fa": "دستگاه " + key, "en": "Agency " + key}, "kind": "organization"}
				if i%3 == 2 {
					path, table, body = "/api/v1/laws", "laws",
						map[string]any{"slug": key, "title": map[string]string{"fa": "قانون " + key, "en": "Law " + key}}
				}
				b, _ := json.Marshal(body)
				req, _ := http.NewRequest("POST", *u+path, bytes.NewReader(b))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					time.Sleep(2 * time.Millisecond)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode/100 == 2:
					mu.Lock()
					acked[key] = table
					mu.Unlock()
				case resp.StatusCode >= 500:
					serverEr.Add(1)
				default:
					t.Errorf("POST %s %s: %d", path, key, resp.StatusCode)
				}
			}
		}()
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()

	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	start := time.Now()
	for k := range kills {
		s := startServer(t, bin, dsn)
		base.Store(&s.url)
		time.Sleep(time.Duration(50+r.IntN(450)) * time.Millisecond)
		base.Store(nil)
		s.kill()

		// What the writers were told is written, at the moment of the kill.
		mu.Lock()
		want := make(map[string]string, len(acked))
		for k, v := range acked {
			want[k] = v
		}
		mu.Unlock()
		checkAfterCrash(t, bin, dsn, want)
		if t.Failed() {
			t.Fatalf("after kill %d", k+1)
		}
		t.Logf("kill %2d: %5d acknowledged writes all present; integrity ok; audit chain intact", k+1, len(want))
	}
	// One last start: the acknowledged writes read back through the API.
	s := startServer(t, bin, dsn)
	defer s.kill()
	mu.Lock()
	n := 0
	for key, table := range acked {
		if n++; n > 50 {
			break
		}
		path := "/api/v1/agencies/"
		if table == "laws" {
			path = "/api/v1/laws/"
		}
		resp, err := http.Get(s.url + path + key)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s%s after the last restart: %d", path, key, resp.StatusCode)
		}
	}
	total := len(acked)
	mu.Unlock()
	if serverEr.Load() != 0 {
		t.Errorf("%d writes answered 5xx", serverEr.Load())
	}
	if total < 100 {
		t.Errorf("only %d writes acknowledged over %d runs: the writers hardly ran", total, kills)
	}
	t.Logf("%d kills in %s; %d acknowledged writes, none lost", kills, time.Since(start).Round(time.Millisecond), total)
}

// checkAfterCrash runs, with the server dead, the three checks: every
// acknowledged write present, integrity_check ok, audit chain intact.
func checkAfterCrash(t *testing.T, bin, dsn string, want map[string]string) {
	t.Helper()
	// The audit check opens the database as the server does, recovering
	// the WAL the killed server left.
	out, err := exec.Command(bin, "audit", "verify", "--db", dsn).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "audit chain intact") {
		t.Errorf("audit verify: %v\n%s", err, out)
	}
	if err := store.CheckFile(context.Background(), dsn); err != nil {
		t.Errorf("integrity: %v", err)
	}
	db := rawDB(t, dsn)
	defer db.Close()
	have := map[string]bool{}
	for _, q := range []string{"SELECT code FROM agencies", "SELECT slug FROM laws"} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			rows.Scan(&k)
			have[k] = true
		}
		rows.Close()
	}
	lost := 0
	for k := range want {
		if !have[k] {
			if lost++; lost <= 10 {
				t.Errorf("acknowledged write %s (%s) is missing", k, want[k])
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d acknowledged writes lost", lost)
	}
}
