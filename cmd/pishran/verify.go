package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// cmdVerify checks a signed-document file offline: no database, only the
// file and the operator's published public keys. Exit 0: intact; 1: not
// intact; 2: the file or the keys cannot be read, or no published keys
// were given to confirm who signed.
func cmdVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("verify", "verify FILE [--keys KEYSFILE]", stderr)
	keysPath := fs.String("keys", "", "the published public keys file (GET /api/v1/signing/keys, or pishran keys export)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("verify takes one FILE, got %d arguments", len(rest))
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	var keys []signing.PublicKey
	if *keysPath != "" {
		kb, err := os.ReadFile(*keysPath)
		if err != nil {
			return err
		}
		if keys, err = signing.ParseKeys(kb); err != nil {
			return fmt.Errorf("%s: %w", *keysPath, err)
		}
	}
	r, err := signing.VerifyFile(data, keys)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	if !r.Intact {
		fmt.Fprintf(stdout, "NOT INTACT ✗ — سند سالم نیست\n  %s\n  %s\n", r.Reason.EN, r.Reason.FA)
		printEnvelope(stdout, r)
		return errFound{1}
	}
	if !r.Trusted {
		printEnvelope(stdout, r)
		return domain.Invalid("keys",
			"امضا با کلید درون پرونده می‌خواند، اما آن کلید با کلیدهای منتشرشده سنجیده نشد؛ پرونده کلیدها را با --keys بدهید",
			"the signature matches the key inside the file, but that key was not checked against the published keys; give the keys file with --keys")
	}
	fmt.Fprintln(stdout, "INTACT ✓ — سند سالم است")
	fmt.Fprintln(stdout, "  The signature is valid under a published key and the document has not changed since it was signed.")
	fmt.Fprintln(stdout, "  امضا با یکی از کلیدهای منتشرشده معتبر است و سند از هنگام امضا تغییر نکرده است.")
	printEnvelope(stdout, r)
	return nil
}

// printEnvelope prints what the file says it is.
func printEnvelope(w io.Writer, r *signing.Result) {
	e := r.Envelope
	if e.Code == "" {
		return
	}
	fmt.Fprintf(w, "  code:   %s\n  kind:   %s\n  ref:    %s\n", e.Code, e.Kind, e.Ref)
	if e.Title.FA != "" {
		fmt.Fprintf(w, "  title:  %s\n", e.Title.FA)
	}
	if e.Title.EN != "" {
		fmt.Fprintf(w, "  title:  %s\n", e.Title.EN)
	}
	if t, err := time.Parse(signing.TimeLayout, e.IssuedAt); err == nil {
		fmt.Fprintf(w, "  issued: %s (%s)\n", e.IssuedAt, jalali.PersianDigits(domain.DateOf(t).Jalali()))
	}
	key := e.KeyID
	switch {
	case r.Key != nil && r.Key.RetiredAt != nil:
		key += " (retired " + r.Key.RetiredAt.Format(time.DateOnly) + ")"
	case r.Key != nil:
		key += " (current)"
	}
	fmt.Fprintf(w, "  key:    %s\n", key)
}

// cmdKeys manages the signing keys: rotate makes a new current key and
// retires the old one; export prints the public keys file to publish.
func cmdKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const synopsis = "Usage: pishran keys rotate [--db DB] | keys export [--db DB] [--out FILE]"
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "export") {
		fmt.Fprintln(stderr, synopsis)
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return fmt.Errorf("keys: the subcommands are rotate and export")
	}
	sub := args[0]
	fs := newFlags("keys "+sub, "keys "+sub+" [--db DB]", stderr)
	dsn := dbFlag(fs)
	out := fs.String("out", "-", "export: file to write, - for standard output")
	if rest, err := parse(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("keys %s takes no arguments, got %q", sub, rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	if sub == "rotate" {
		key, retired, err := svc.RotateSigningKey(ctx, service.System)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new signing key %s — کلید امضای تازه\n", key.KeyID)
		if retired != "" {
			fmt.Fprintf(stdout, "retired %s; documents it signed still verify — کلید پیشین بازنشسته شد و اسناد آن همچنان تصدیق می‌شوند\n", retired)
		}
		fmt.Fprintln(stdout, "publish the keys again: pishran keys export — کلیدها را دوباره منتشر کنید")
		return nil
	}
	keys, err := svc.PublicKeys(ctx)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(keys); err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(b.Bytes())
		return err
	}
	return writeFileAtomic(*out, b.Bytes())
}
