package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit"
)

// startServeMetrics runs "pishran serve" until ctx ends and returns the
// main address and, when wantMetrics, the metrics address it printed.
func startServeMetrics(t *testing.T, ctx context.Context, wantMetrics bool, args ...string) (main, metrics string) {
	t.Helper()
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Add(1)
	var code int
	var errOut bytes.Buffer
	go func() {
		defer wg.Done()
		code = run(ctx, append([]string{"serve"}, args...), pw, &errOut)
		pw.Close()
	}()
	t.Cleanup(func() {
		wg.Wait()
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, errOut.String())
		}
	})
	serving := regexp.MustCompile(`serving on http://([0-9.:]+)/`)
	metricsRE := regexp.MustCompile(`Metrics are served on http://([0-9.:]+)/metrics`)
	found := make(chan [2]string, 1)
	go func() {
		var got [2]string
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				got[0] = m[1]
			}
			if m := metricsRE.FindStringSubmatch(sc.Text()); m != nil {
				got[1] = m[1]
			}
			if !sent && got[0] != "" && (got[1] != "" || !wantMetrics) {
				found <- got
				sent = true
			}
		}
		if !sent {
			found <- got
		}
	}()
	select {
	case got := <-found:
		if got[0] == "" {
			t.Fatalf("serve did not start: %s", errOut.String())
		}
		return got[0], got[1]
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start: %s", errOut.String())
	}
	return "", ""
}

// TestServeMetricsAddr checks --metrics-addr and PISHRAN_METRICS_ADDR:
// /metrics is served on that address only, the main address answers 404
// for it, and the metrics address serves nothing else; without either,
// /metrics stays beside the API.
func TestServeMetricsAddr(t *testing.T) {
	get := func(t *testing.T, url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	check := func(t *testing.T, mainAddr, metricsAddr string) {
		t.Helper()
		if metricsAddr == "" || metricsAddr == mainAddr {
			t.Fatalf("metrics address %q (main %q)", metricsAddr, mainAddr)
		}
		if code, _ := get(t, "http://"+mainAddr+"/healthz"); code != http.StatusOK {
			t.Errorf("main /healthz: %d", code)
		}
		if code, body := get(t, "http://"+mainAddr+"/metrics"); code != http.StatusNotFound || strings.Contains(body, "pishran_http_requests_total") {
			t.Errorf("main /metrics: %d %.200s, want 404", code, body)
		}
		code, body := get(t, "http://"+metricsAddr+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("metrics address /metrics: %d %.200s", code, body)
		}
		// The requests to the main address are counted there.
		for _, want := range []string{`pishran_http_requests_total{code="200",method="GET",route="GET /healthz"}`, "go_goroutines", "go_sql_"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
		for _, p := range []string{"/healthz", "/api/v1/programs", "/"} {
			if code, _ := get(t, "http://"+metricsAddr+p); code != http.StatusNotFound {
				t.Errorf("metrics address %s: %d, want 404", p, code)
			}
		}
	}
	t.Run("flag", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, metricsAddr := startServeMetrics(t, ctx, true, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
		check(t, mainAddr, metricsAddr)
	})
	t.Run("env", func(t *testing.T) {
		t.Setenv("PISHRAN_METRICS_ADDR", "127.0.0.1:0")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, metricsAddr := startServeMetrics(t, ctx, true, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		check(t, mainAddr, metricsAddr)
	})
	t.Run("default", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, _ := startServeMetrics(t, ctx, false, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		if code, body := get(t, "http://"+mainAddr+"/metrics"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Errorf("main /metrics without --metrics-addr: %d", code)
		}
	})
	t.Run("taken address", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, _ := startServeMetrics(t, ctx, false, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		code, _, errOut := pishran(t, "serve", "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0", "--metrics-addr", mainAddr)
		if code == 0 || !strings.Contains(errOut, "--metrics-addr") {
			t.Errorf("a metrics address in use: exit %d, %q", code, errOut)
		}
	})
}
