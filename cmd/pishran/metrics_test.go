package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

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
		mainAddr, metricsAddr := startServe(t, ctx, true, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
		check(t, mainAddr, metricsAddr)
	})
	t.Run("env", func(t *testing.T) {
		t.Setenv("PISHRAN_METRICS_ADDR", "127.0.0.1:0")
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, metricsAddr := startServe(t, ctx, true, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		check(t, mainAddr, metricsAddr)
	})
	t.Run("default", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, _ := startServe(t, ctx, false, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		if code, body := get(t, "http://"+mainAddr+"/metrics"); code != http.StatusOK || !strings.Contains(body, "go_goroutines") {
			t.Errorf("main /metrics without --metrics-addr: %d", code)
		}
	})
	t.Run("taken address", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		mainAddr, _ := startServe(t, ctx, false, "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0")
		code, _, errOut := pishran(t, "serve", "--db", testkit.SQLiteDSN(t), "--addr", "127.0.0.1:0", "--metrics-addr", mainAddr)
		if code == 0 || !strings.Contains(errOut, "--metrics-addr") {
			t.Errorf("a metrics address in use: exit %d, %q", code, errOut)
		}
	})
}
