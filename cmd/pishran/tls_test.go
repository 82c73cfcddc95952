package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/web"
)

// tlsTestCert writes a self-signed certificate for 127.0.0.1 and its key
// as PEM files and returns their paths and a pool that trusts it.
func tlsTestCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "pishran test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS: serve --tls-cert/--tls-key answers over https with TLS 1.2
// at least, HSTS on every answer (the API's and the web pages'), and
// refuses a client that offers only TLS 1.1; the flags go in pairs.
func TestServeTLS(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		certFile, keyFile, pool := tlsTestCert(t)
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

	certFile, _, _ := tlsTestCert(t)
	if code, _, errOut := pishran(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--tls-cert", certFile); code != 2 || !strings.Contains(errOut, "--tls-key") {
		t.Errorf("--tls-cert alone: %d %q", code, errOut)
	}
	if code, _, errOut := pishran(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--tls-cert", certFile, "--tls-key", certFile); code != 2 || !strings.Contains(errOut, "TLS certificate") {
		t.Errorf("a certificate as its own key: %d %q", code, errOut)
	}
}
