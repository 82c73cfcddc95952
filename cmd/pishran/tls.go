package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// tlsFlags are serve's --tls-cert and --tls-key: the operator's
// certificate (PEM, the chain after the leaf) and its private key.
type tlsFlags struct{ cert, key *string }

func addTLSFlags(fs interface {
	String(name, value, usage string) *string
}) tlsFlags {
	return tlsFlags{
		cert: fs.String("tls-cert", os.Getenv("PISHRAN_TLS_CERT"),
			"serve https with this PEM certificate file, leaf first then its chain (env PISHRAN_TLS_CERT; needs --tls-key)"),
		key: fs.String("tls-key", os.Getenv("PISHRAN_TLS_KEY"),
			"the PEM private key of --tls-cert (env PISHRAN_TLS_KEY)"),
	}
}

// config loads the certificate and returns the server's TLS configuration,
// or nil when neither flag is set (plain http: TLS ends at a proxy, or
// nowhere). The files are read once, at start: a renewed certificate is
// taken up by a restart (SIGTERM shuts down gracefully).
func (f tlsFlags) config(log *slog.Logger) (*tls.Config, error) {
	certFile, keyFile := *f.cert, *f.key
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("--tls-cert and --tls-key go together: give both files, or neither")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	if leaf := cert.Leaf; leaf != nil {
		log.Info("tls certificate", "subject", leaf.Subject.String(), "names", leaf.DNSNames, "not_after", leaf.NotAfter)
		if time.Now().After(leaf.NotAfter) {
			log.Warn("the TLS certificate has expired: browsers will refuse it", "not_after", leaf.NotAfter)
		}
	}
	return serverTLS(cert), nil
}

// serverTLS is a modern configuration: TLS 1.2 at least, and for TLS 1.2
// only forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305;
// TLS 1.3's suites are all of that kind and not configurable). Curves are
// Go's defaults, which include the post-quantum hybrid key exchange.
func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
		},
	}
}
