package main

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/testcert"
	"github.com/pishran/pishran/web"
)

// TestServeTLS: serve --tls-cert/--tls-key answers over https with TLS 1.2
// at least, HSTS on every answer (the API's and the web pages'), and
// refuses a client that offers only TLS 1.1; the flags go in pairs.
func TestServeTLS(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		certFile, keyFile, pool := testcert.Files(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addr, _ := startServe(t, ctx, false, "--db", e.DSN(t), "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile)
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		defer client.CloseIdleConnections()
		for _, c := range []struct{ path, csp string }{
			{"/healthz", api.DefaultCSP},
			{"/api/v1/programs", api.DefaultCSP},
			{"/", web.CSP},
		} {
			res, err := client.Get("https://" + addr + c.path)
			if err != nil {
				t.Fatalf("GET %s over https: %v", c.path, err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
				t.Fatalf("GET %s: %d %v %s", c.path, res.StatusCode, res.TLS, body)
			}
			if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
				t.Errorf("GET %s: Strict-Transport-Security = %q", c.path, got)
			}
			if got := res.Header.Get("Content-Security-Policy"); got != c.csp {
				t.Errorf("GET %s: CSP = %q, want %q", c.path, got, c.csp)
			}
			if c.path == "/healthz" && !strings.Contains(string(body), `"status":"ok"`) {
				t.Errorf("healthz: %s", body)
			}
		}
		// Plain http to the https port gets no page.
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				t.Error("plain http on the TLS port answered 200")
			}
		}
		// A client that speaks at most TLS 1.1 is refused.
		old := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}}}
		if res, err := old.Get("https://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			t.Errorf("a TLS 1.1 client was served: %v", res.TLS.Version)
		}
	})

	certFile, _, _ := testcert.Files(t)
	if code, _, errOut := pishran(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--tls-cert", certFile); code != 2 || !strings.Contains(errOut, "--tls-key") {
		t.Errorf("--tls-cert alone: %d %q", code, errOut)
	}
	if code, _, errOut := pishran(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--tls-cert", certFile, "--tls-key", certFile); code != 2 || !strings.Contains(errOut, "TLS certificate") {
		t.Errorf("a certificate as its own key: %d %q", code, errOut)
	}
}
