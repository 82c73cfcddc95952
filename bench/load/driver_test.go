package main

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

const wrkReport = `Running 10s test @ http://127.0.0.1:8080/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   635.91us    0.89ms  12.92ms   93.69%
    Req/Sec     8.35k     1.03k    10.54k    72.50%
  Latency Distribution
     50%  280.00us
     75%  578.00us
     90%    1.43ms
     99%    4.26ms
  166313 requests in 10.01s, 24.55MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:  16614.06
Transfer/sec:      2.45MB
`

func TestParseWrkReport(t *testing.T) {
	r, err := parseWrk([]byte(wrkReport))
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 166313 || r.Elapsed != 10010*time.Millisecond || r.Errors != 15 {
		t.Errorf("requests %d in %v, errors %d; want 166313 in 10.01 s, 15 errors", r.Requests, r.Elapsed, r.Errors)
	}
	if r.P50 != 280*time.Microsecond || r.P90 != 1430*time.Microsecond || r.P99 != 4260*time.Microsecond {
		t.Errorf("p50 %v p90 %v p99 %v", r.P50, r.P90, r.P99)
	}
	if rps := r.RPS(); rps < 16614 || rps > 16616 {
		t.Errorf("req/s %v, want wrk's 16614", rps)
	}
	if _, err := parseWrk([]byte(strings.Replace(wrkReport, "Latency Distribution", "", 1)[:strings.Index(wrkReport, "50%")])); err == nil {
		t.Error("a report without its totals was read")
	}
	noDist := strings.NewReplacer("     50%  280.00us\n", "", "     75%  578.00us\n", "", "     90%    1.43ms\n", "", "     99%    4.26ms\n", "").Replace(wrkReport)
	if _, err := parseWrk([]byte(noDist)); err == nil {
		t.Error("a report without --latency's distribution was read")
	}
}

func TestParseWrkScriptLine(t *testing.T) {
	out := wrkReport + "PISHRAN_RESULT requests=166313 duration_us=10010432 bytes=25742000 status=12 connect=0 read=2 write=0 timeout=1 p50_us=281 p90_us=1433 p99_us=4262\n"
	r, err := parseWrk([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 166313 || r.Elapsed != 10010432*time.Microsecond || r.Errors != 15 ||
		r.P50 != 281*time.Microsecond || r.P90 != 1433*time.Microsecond || r.P99 != 4262*time.Microsecond {
		t.Errorf("%+v", r)
	}
	if _, err := parseWrk([]byte("PISHRAN_RESULT requests=x\n")); err == nil {
		t.Error("a malformed result line was read")
	}
}

func TestWrkDuration(t *testing.T) {
	for s, want := range map[string]time.Duration{"280.00us": 280 * time.Microsecond, "1.43ms": 1430 * time.Microsecond,
		"10.01s": 10010 * time.Millisecond, "1.50m": 90 * time.Second, "1.00h": time.Hour} {
		if got, err := wrkDuration(s); err != nil || got != want {
			t.Errorf("%s: %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"12", "1.2ns", "xms"} {
		if _, err := wrkDuration(s); err == nil {
			t.Errorf("%q was read as a time", s)
		}
	}
}

func TestScriptAndBust(t *testing.T) {
	if got := bustPrefix("/projects/a"); got != "/projects/a?_bench=" {
		t.Error(got)
	}
	if got := bustPrefix("/api/v1/projects?limit=100"); got != "/api/v1/projects?limit=100&_bench=" {
		t.Error(got)
	}
	if got := luaString(`/a"b\c` + "\n"); got != `"/a\"b\\c\010"` {
		t.Error(got)
	}
	s := wrkScript([]string{"/x", "/y?z=1"}, true, 3)
	for _, want := range []string{`"/x?_bench=",`, `"/y?z=1&_bench=",`, "local bust = true", "PISHRAN_RESULT", "latency:percentile(99)"} {
		if !strings.Contains(s, want) {
			t.Errorf("script lacks %q", want)
		}
	}
}

func TestReadResponse(t *testing.T) {
	cases := []struct {
		name, wire   string
		status       int
		keep, failed bool
	}{
		{"length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, true, false},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\na\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\n", 200, true, false},
		{"close", "HTTP/1.1 404 Not Found\r\nConnection: close\r\ncontent-length: 2\r\n\r\nno", 404, false, false},
		{"http/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, false, false},
		{"to the end", "HTTP/1.1 200 OK\r\n\r\nall of it", 200, false, false},
		{"not modified", "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", 304, true, false},
		{"garbage", "SSH-2.0-OpenSSH\r\n\r\n", 0, false, true},
		{"short body", "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", 200, false, true},
	}
	for _, c := range cases {
		next := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
		br := bufio.NewReader(strings.NewReader(c.wire + next))
		status, keep, err := readResponse(br)
		if status != c.status || (err != nil) != c.failed || (!c.failed && keep != c.keep) {
			t.Errorf("%s: status %d keep %v err %v", c.name, status, keep, err)
			continue
		}
		if keep && !c.failed { // the next answer on the connection reads whole
			if s, _, err := readResponse(br); s != 200 || err != nil {
				t.Errorf("%s: the answer after it: %d %v", c.name, s, err)
			}
		}
	}
}

// Both read drivers against a local server: every request answered, the
// paths picked at random among all given, and a miss run's addresses each
// unique.
func TestDriversAgainstServer(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.RequestURI()]++
		mu.Unlock()
		if r.URL.Path == "/big" { // chunked: no Content-Length
			w.Write([]byte(strings.Repeat("x", 10000)))
			w.(http.Flusher).Flush()
			w.Write([]byte(strings.Repeat("y", 10000)))
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	drivers := []readDriver{goDriver{}}
	if p, err := exec.LookPath("wrk"); err == nil {
		drivers = append(drivers, &wrkDriver{bin: p})
	} else {
		t.Log("wrk is not installed: only the Go driver is tested")
	}
	for _, d := range drivers {
		for _, bust := range []bool{false, true} {
			clear(seen)
			r, err := d.Run(load{Host: host, Paths: []string{"/a", "/b", "/c?x=1", "/big"}, Bust: bust, Conns: 4, Dur: time.Second, Seed: 9})
			if err != nil {
				t.Fatalf("%s: %v", d.Name(), err)
			}
			mu.Lock()
			total, distinct := 0, len(seen)
			for _, n := range seen {
				total += n
			}
			mu.Unlock()
			if r.Requests < 100 || r.Errors != 0 || r.P50 <= 0 || r.P99 < r.P50 || r.Elapsed < 900*time.Millisecond {
				t.Errorf("%s bust=%v: %d requests, %d errors, p50 %v p99 %v in %v", d.Name(), bust, r.Requests, r.Errors, r.P50, r.P99, r.Elapsed)
			}
			if total < r.Requests {
				t.Errorf("%s: measured %d requests, the server saw %d", d.Name(), r.Requests, total)
			}
			if !bust && distinct != 4 {
				t.Errorf("%s: %d distinct addresses asked, want all 4: %v", d.Name(), distinct, seen)
			}
			if bust && distinct < total*99/100 {
				t.Errorf("%s miss run: %d distinct addresses for %d requests", d.Name(), distinct, total)
			}
		}
	}
}

// A server that drops connections shows as errors, not as a hang.
func TestGoDriverCountsErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Write([]byte("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		}
	}()
	r, err := goDriver{}.Run(load{Host: ln.Addr().String(), Paths: []string{"/"}, Conns: 2, Dur: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors == 0 || len(r.Samples) == 0 {
		t.Errorf("%d errors, samples %v", r.Errors, r.Samples)
	}
}
