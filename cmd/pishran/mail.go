package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/service"
)

// E-mail notices: serve's --smtp-* flags, each defaulting to its
// PISHRAN_SMTP_* environment variable (notice.ConfigFromLookup). E-mail is
// off unless a host is given: then nothing is queued and no connection is
// ever made. The password is read from the environment or, better, from
// the file --smtp-password-file names; it is never a flag (a flag shows in
// the process list).

type mailFlags struct {
	vals map[string]*string
}

// addMailFlags adds serve's SMTP flags.
func addMailFlags(fs *flag.FlagSet) *mailFlags {
	m := &mailFlags{vals: map[string]*string{}}
	for _, f := range []struct{ name, env, usage string }{
		{"smtp-host", notice.EnvHost, "send e-mail notices through this SMTP server (off when empty)"},
		{"smtp-port", notice.EnvPort, "the SMTP server's port (587 for starttls, 465 for tls)"},
		{"smtp-tls", notice.EnvTLS, "starttls (the default), tls (implicit, port 465), or none (a relay on this machine only)"},
		{"smtp-username", notice.EnvUsername, "the SMTP account (no authentication when empty)"},
		{"smtp-password-file", notice.EnvPasswordFile, "a file holding the SMTP password (or set " + notice.EnvPassword + ")"},
		{"smtp-auth", notice.EnvAuth, "plain (the default), login or scram-sha-256"},
		{"smtp-from", notice.EnvFrom, "the From address of notices, such as no-reply@pishran.example.ir"},
		{"smtp-from-name", notice.EnvFromName, "the From name (default: " + notice.DefaultFromName + ")"},
		{"smtp-helo", notice.EnvHELO, "the name given in EHLO (default: the host's name)"},
		{"smtp-timeout", notice.EnvTimeout, "timeout for connecting and for each SMTP command (default 30s)"},
	} {
		m.vals[f.env] = fs.String(f.name, os.Getenv(f.env), f.usage+" (env "+f.env+")")
	}
	return m
}

// configure sets the service's notifications from the flags; publicURL is
// the address every link in an e-mail starts with.
func (m *mailFlags) configure(svc *service.Service, publicURL string, log *slog.Logger) error {
	cfg, err := notice.ConfigFromLookup(func(k string) (string, bool) {
		if v, ok := m.vals[k]; ok {
			return *v, *v != ""
		}
		return os.LookupEnv(k)
	})
	if err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	if !cfg.Enabled() {
		return nil
	}
	if !strings.HasPrefix(publicURL, "https://") && !strings.HasPrefix(publicURL, "http://") {
		return fmt.Errorf("e-mail: --public-url (or PISHRAN_PUBLIC_URL) must be set, as the links in e-mails start with it")
	}
	sender, err := notice.NewSMTPSender(cfg)
	if err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	svc.SetNotify(service.Notify{Sender: sender, BaseURL: publicURL, From: cfg.From})
	log.Info("e-mail notices on", "smtp", fmt.Sprintf("%s:%d", cfg.Host, cfg.Port), "tls", string(cfg.TLS), "from", cfg.From.Address)
	return nil
}
