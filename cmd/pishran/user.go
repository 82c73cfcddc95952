package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// stdin is where --password-stdin reads from; tests replace it.
var stdin io.Reader = os.Stdin

const userUsage = `Usage:
  pishran user create --role ROLE --username NAME [--agency CODE] [--name-fa TEXT] [--name-en TEXT]
                      [--email ADDR] [--password-stdin [--must-change]] [--public-url URL] [--db DB]
  pishran user reset USERNAME [--public-url URL] [--db DB]

Without --password-stdin, create prints a one-time link (good for 24 hours)
with which the person sets their own password; reset does the same for an
existing account, whose old password stops working at once. Pishran sends
no email: hand the link over yourself.`

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "reset") {
		fmt.Fprintln(stderr, userUsage)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return fmt.Errorf("user: the subcommands are create and reset")
	}
	if args[0] == "reset" {
		return cmdUserReset(ctx, args[1:], stdout, stderr)
	}
	fs := newFlags("user create", "user create --role ROLE --username NAME [--agency CODE] [--password-stdin] [--db DB]", stderr)
	role := fs.String("role", "", "admin, secretariat, council, agency or reader")
	username := fs.String("username", "", "the sign-in name: 2–64 lower-case letters, digits, '.', '_' or '-'")
	agency := fs.String("agency", "", "the agency's code (role agency only)")
	nameFA := fs.String("name-fa", "", "display name in Persian")
	nameEN := fs.String("name-en", "", "display name in English (default: the username)")
	email := fs.String("email", "", "email address (optional; Pishran sends no mail)")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	mustChange := fs.Bool("must-change", false, "with --password-stdin: the person must change the password at the first sign-in")
	public := publicURLFlag(fs)
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("user create takes no arguments, got %q", rest)
	}
	password := ""
	if *pwStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("read the password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return domain.Invalid("password", "گذرواژه‌ای از ورودی استاندارد خوانده نشد", "no password on standard input")
		}
	} else if *mustChange {
		return fmt.Errorf("--must-change goes with --password-stdin")
	}
	if *nameFA == "" && *nameEN == "" {
		*nameEN = *username
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	u := &domain.User{Username: *username, DisplayName: domain.T(*nameFA, *nameEN), Email: *email, Role: *role,
		Agency: *agency, Active: true, MustChange: *mustChange}
	link, err := svc.CreateUser(ctx, service.System, u, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Account %q (role %s) created — حساب ساخته شد.\n", u.Username, u.Role)
	if link != nil {
		fmt.Fprintf(stdout, "Hand this one-time link to its holder to set a password (valid until %s):\n",
			link.Expires.Format("2006-01-02 15:04 MST"))
		fmt.Fprintln(stdout, linkFor(*public, "reset", link.Token))
	}
	return nil
}

func cmdUserReset(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user reset", "user reset USERNAME [--public-url URL] [--db DB]", stderr)
	public := publicURLFlag(fs)
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("user reset needs exactly one username")
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	link, err := svc.ResetLink(ctx, service.System, rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The password of %q no longer works and its sessions have ended. Hand this one-time link to its holder (valid until %s):\n",
		rest[0], link.Expires.Format("2006-01-02 15:04 MST"))
	fmt.Fprintln(stdout, linkFor(*public, "reset", link.Token))
	return nil
}

// publicURLFlag adds --public-url, defaulting to $PISHRAN_PUBLIC_URL.
func publicURLFlag(fs interface {
	String(name, value, usage string) *string
}) *string {
	return fs.String("public-url", os.Getenv("PISHRAN_PUBLIC_URL"),
		"the address people use, e.g. https://pishran.example.ir (env PISHRAN_PUBLIC_URL); links are built on it")
}

// linkFor builds a one-time link on the public URL, else on the address
// the server listens on ($PISHRAN_ADDR, or the default).
func linkFor(public, kind, token string) string {
	if public == "" {
		addr := os.Getenv("PISHRAN_ADDR")
		if addr == "" {
			addr = "127.0.0.1:8080"
		}
		public = "http://" + addr
	}
	return strings.TrimSuffix(public, "/") + "/" + kind + "/" + token
}

// serveAuth holds serve's sign-in flags.
type serveAuth struct {
	public     *string
	origins    []string
	idle, max  *time.Duration
	oidcConfig *string
}

// authFlags adds serve's sign-in flags: --public-url, --trusted-origin
// (repeatable; env PISHRAN_TRUSTED_ORIGINS, comma-separated), the session
// lifetimes and the single sign-on configuration file.
func authFlags(fs *flag.FlagSet) *serveAuth {
	a := &serveAuth{public: publicURLFlag(fs)}
	for _, o := range strings.FieldsFunc(os.Getenv("PISHRAN_TRUSTED_ORIGINS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		a.origins = append(a.origins, o)
	}
	fs.Func("trusted-origin", "an origin (https://host[:port]) allowed to send state-changing requests with a session cookie; repeatable (env PISHRAN_TRUSTED_ORIGINS, comma-separated)",
		func(v string) error { a.origins = append(a.origins, v); return nil })
	a.idle = fs.Duration("session-idle", envDuration("PISHRAN_SESSION_IDLE", service.DefaultSessionPolicy.Idle),
		"a session ends after this long without a request (env PISHRAN_SESSION_IDLE)")
	a.max = fs.Duration("session-max", envDuration("PISHRAN_SESSION_MAX", service.DefaultSessionPolicy.Absolute),
		"a session ends this long after sign-in, whatever happens (env PISHRAN_SESSION_MAX)")
	a.oidcConfig = fs.String("oidc-config", os.Getenv("PISHRAN_OIDC_CONFIG"),
		"single sign-on: a JSON file with the OpenID Connect provider and the claim rules (env PISHRAN_OIDC_CONFIG)")
	return a
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

// configure reads the sign-in flags: the configuration both faces share,
// and single sign-on when --oidc-config is given.
func (a *serveAuth) configure(svc *service.Service) (httpx.Config, *service.OIDC, error) {
	cfg := httpx.Config{PublicURL: *a.public, TrustedOrigins: a.origins,
		Session: service.SessionPolicy{Idle: *a.idle, Absolute: *a.max}}
	if *a.oidcConfig == "" {
		return cfg, nil, nil
	}
	oc, err := service.LoadOIDCConfig(*a.oidcConfig)
	if err != nil {
		return cfg, nil, fmt.Errorf("single sign-on: %w", err)
	}
	if oc.RedirectURL == "" && *a.public != "" {
		oc.RedirectURL = strings.TrimSuffix(*a.public, "/") + "/auth/oidc/callback"
	}
	oidc, err := svc.NewOIDC(oc)
	return cfg, oidc, err
}

// setupLink makes, when there is no admin yet, the one-time link that
// creates the first one — there is never a default password — and returns
// what prints it (after the "serving" line).
func setupLink(ctx context.Context, svc *service.Service, public, addr string) (func(io.Writer), error) {
	link, err := svc.SetupLink(ctx)
	if err != nil || link == nil {
		return func(io.Writer) {}, err
	}
	if public == "" {
		public = "http://" + addr
	}
	public = strings.TrimSuffix(public, "/")
	return func(stdout io.Writer) {
		fmt.Fprintf(stdout, `
No admin account yet — هنوز مدیری تعریف نشده است.
Create the first admin with this one-time link (valid until %s; it works once):

  %s/setup/%s

e.g. curl -X POST %s/api/v1/setup -H 'Content-Type: application/json' \
       -d '{"token":"%s","username":"NAME","password":"AT LEAST 12 CHARACTERS","display_name":{"fa":"…","en":"…"}}'

`, link.Expires.Format("2006-01-02 15:04 MST"), public, link.Token, public, link.Token)
	}, nil
}
