package notice

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLSMode is how the connection to the SMTP server is protected.
type TLSMode string

const (
	// STARTTLS upgrades a plain connection (port 587) and refuses a server
	// that does not offer it.
	STARTTLS TLSMode = "starttls"
	// ImplicitTLS speaks TLS from the first byte (port 465).
	ImplicitTLS TLSMode = "tls"
	// NoTLS sends in the clear; allowed only towards a loopback address,
	// for tests and a relay on the same machine.
	NoTLS TLSMode = "none"
)

// Config is the SMTP configuration. E-mail is off when Host is empty.
type Config struct {
	Host     string
	Port     int     // 587 for STARTTLS, 465 for implicit TLS, 25 for none, when 0
	TLS      TLSMode // STARTTLS when empty
	Username string  // no authentication when empty
	Password string
	// Auth is the SASL mechanism: "plain" (the default), "login" or
	// "scram-sha-256".
	Auth    string
	From    Address
	HELO    string        // the name given in EHLO; the host's name when empty
	Timeout time.Duration // for connecting and for each command; 30s when 0
	// TLSConfig, when set, replaces the default TLS settings (tests give
	// their own root certificates here). It is not read from the
	// environment.
	TLSConfig *tls.Config
}

// Enabled reports whether e-mail is configured.
func (c *Config) Enabled() bool { return c.Host != "" }

// Environment variables ConfigFromLookup reads.
const (
	EnvHost         = "PISHRAN_SMTP_HOST"
	EnvPort         = "PISHRAN_SMTP_PORT"
	EnvTLS          = "PISHRAN_SMTP_TLS"
	EnvUsername     = "PISHRAN_SMTP_USERNAME"
	EnvPassword     = "PISHRAN_SMTP_PASSWORD"
	EnvPasswordFile = "PISHRAN_SMTP_PASSWORD_FILE"
	EnvAuth         = "PISHRAN_SMTP_AUTH"
	EnvFrom         = "PISHRAN_SMTP_FROM"
	EnvFromName     = "PISHRAN_SMTP_FROM_NAME"
	EnvHELO         = "PISHRAN_SMTP_HELO"
	EnvTimeout      = "PISHRAN_SMTP_TIMEOUT"
)

// DefaultFromName is the sender's name when none is configured.
const DefaultFromName = "پیشران — Pishran"

// ConfigFromLookup reads the configuration through lookup (os.LookupEnv, or
// a function that prefers a flag's value and falls back to the environment).
// The password is read from PISHRAN_SMTP_PASSWORD or, better, from the file
// PISHRAN_SMTP_PASSWORD_FILE names, so it shows in no process listing. The
// result is validated; with no host set it is the zero, disabled Config.
func ConfigFromLookup(lookup func(string) (string, bool)) (Config, error) {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	var c Config
	if c.Host = get(EnvHost); c.Host == "" {
		return Config{}, nil
	}
	if p := get(EnvPort); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return Config{}, fmt.Errorf("%s=%q: not a port number", EnvPort, p)
		}
		c.Port = n
	}
	c.TLS = TLSMode(strings.ToLower(get(EnvTLS)))
	c.Username = get(EnvUsername)
	c.Password, _ = lookup(EnvPassword)
	if f := get(EnvPasswordFile); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return Config{}, fmt.Errorf("%s: %v", EnvPasswordFile, err)
		}
		c.Password = strings.TrimRight(string(b), "\r\n")
	}
	c.Auth = strings.ToLower(get(EnvAuth))
	c.From = Address{Name: get(EnvFromName), Address: get(EnvFrom)}
	c.HELO = get(EnvHELO)
	if t := get(EnvTimeout); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil {
			return Config{}, fmt.Errorf("%s=%q: a duration such as 30s", EnvTimeout, t)
		}
		c.Timeout = d
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate fills the defaults and checks the configuration.
func (c *Config) Validate() error {
	if c.Host == "" {
		return fmt.Errorf("smtp: no host")
	}
	switch c.TLS {
	case "":
		c.TLS = STARTTLS
	case STARTTLS, ImplicitTLS:
	case NoTLS:
		if !loopback(c.Host) {
			return fmt.Errorf("smtp: TLS %q is allowed only towards a loopback address, not %q: use starttls or tls", NoTLS, c.Host)
		}
	default:
		return fmt.Errorf("smtp: TLS mode %q: one of starttls, tls, none", c.TLS)
	}
	if c.Port == 0 {
		c.Port = map[TLSMode]int{STARTTLS: 587, ImplicitTLS: 465, NoTLS: 25}[c.TLS]
	}
	if c.Port < 1 || c.Port > 65535 {
		return fmt.Errorf("smtp: port %d out of range", c.Port)
	}
	switch c.Auth {
	case "":
		c.Auth = "plain"
	case "plain", "login", "scram-sha-256":
	default:
		return fmt.Errorf("smtp: auth %q: one of plain, login, scram-sha-256", c.Auth)
	}
	if c.Username == "" && c.Password != "" {
		return fmt.Errorf("smtp: a password without a username")
	}
	if c.From.Address == "" {
		return fmt.Errorf("smtp: no from address (%s)", EnvFrom)
	}
	if _, err := mail.ParseAddress(c.From.Address); err != nil {
		return fmt.Errorf("smtp: from address %q: %v", c.From.Address, err)
	}
	if c.From.Name == "" {
		c.From.Name = DefaultFromName
	}
	if c.Timeout == 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Timeout < 0 {
		return fmt.Errorf("smtp: negative timeout")
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
