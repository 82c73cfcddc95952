// Package mailsend configures the real e-mail sender (notice.SMTPSender)
// for a mailtest server: the tests of what sends e-mail (service, web,
// api) send through it. It is apart from mailtest so that mailtest knows
// nothing of notice, and notice's own tests can use mailtest.
package mailsend

import (
	"crypto/tls"
	"testing"
	"time"

	"github.com/pishran/pishran/internal/testkit/mailtest"
	"github.com/pishran/pishran/notice"
)

// Config is what a sender needs to reach s: its TLS mode, its account and
// trust in its certificate.
func Config(s *mailtest.Server) notice.Config {
	mode := map[mailtest.Mode]notice.TLSMode{mailtest.STARTTLS: notice.STARTTLS, mailtest.Implicit: notice.ImplicitTLS,
		mailtest.Plain: notice.NoTLS}[s.Mode]
	c := notice.Config{Host: s.Host, Port: s.Port, TLS: mode, Username: s.Username, Password: s.Password,
		From: notice.Address{Address: mailtest.From}, Timeout: 10 * time.Second}
	if s.Pool != nil {
		c.TLSConfig = &tls.Config{RootCAs: s.Pool, ServerName: s.Host}
	}
	return c
}

// Sender is a real SMTP sender configured for s.
func Sender(t testing.TB, s *mailtest.Server) *notice.SMTPSender {
	t.Helper()
	snd, err := notice.NewSMTPSender(Config(s))
	if err != nil {
		t.Fatal(err)
	}
	return snd
}
