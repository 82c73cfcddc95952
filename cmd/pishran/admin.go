package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

func openService(ctx context.Context, dsn string, stderr io.Writer) (*service.Service, func(), error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	return service.New(db, newLogger(stderr)), func() { db.Close() }, nil
}

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(stderr, "Usage: pishran token create --role ROLE --name NAME [--agency CODE] [--db DB]")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return fmt.Errorf("token: the only subcommand is create")
	}
	fs := newFlags("token create", "token create --role ROLE --name NAME [--agency CODE] [--db DB]", stderr)
	role := fs.String("role", "", "admin, secretariat, agency or reader")
	name := fs.String("name", "", "who or what the token is for")
	agency := fs.String("agency", "", "the agency's code (role agency only)")
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("token create takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	secret, err := svc.CreateToken(ctx, service.Role(*role), *name, *agency)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Token for %q (role %s) created. It is shown only once; keep it safe.\n", *name, *role)
	fmt.Fprintln(stdout, secret)
	return nil
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "check PROGRAM [--db DB]", stderr)
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("check needs exactly one program id")
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	verdicts, err := svc.CheckProgram(ctx, service.System, rest[0])
	if err != nil {
		return err
	}
	blocked := 0
	for _, v := range verdicts {
		mark := "ok     "
		if !v.Allowed {
			mark = "BLOCKED"
			blocked++
		} else if slices.ContainsFunc(v.Violations, func(x domain.Violation) bool { return x.Severity == domain.Warning }) {
			mark = "warning" // a note (what the exchange shows) is no warning
		}
		fmt.Fprintf(stdout, "%s  %s — %s / %s\n", mark, v.Project, v.Title.FA, v.Title.EN)
		for _, x := range v.Violations {
			fmt.Fprintf(stdout, "         [%s %s] %s\n", x.Severity, x.Rule, x.Message.EN)
			fmt.Fprintf(stdout, "           %s\n", x.Message.FA)
			if !x.Fix.IsZero() {
				fmt.Fprintf(stdout, "           fix: %s\n", x.Fix.EN)
			}
		}
	}
	fmt.Fprintf(stdout, "\n%d active projects checked: %d blocked, %d pass.\n", len(verdicts), blocked, len(verdicts)-blocked)
	if blocked > 0 {
		return errFound{blocked}
	}
	return nil
}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", "export [--db DB] [--out FILE]", stderr)
	dsn := dbFlag(fs)
	out := fs.String("out", "-", "file to write, - for standard output")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("export takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	doc, err := svc.Export(ctx, service.System)
	if err != nil {
		return err
	}
	b, err := EncodeDocument(doc)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return writeFileAtomic(*out, b)
}

// EncodeDocument renders a registry document the one way export writes it.
func EncodeDocument(doc *domain.Document) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "import FILE [--db DB]", stderr)
	dsn := dbFlag(fs)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("import needs exactly one file (- for standard input)")
	}
	var b []byte
	if rest[0] == "-" {
		b, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<30))
	} else {
		b, err = os.ReadFile(rest[0])
	}
	if err != nil {
		return err
	}
	var doc domain.Document
	if err := api.DecodeJSON(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.Import(ctx, service.System, &doc); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Imported %d terms, %d agencies, %d laws, %d projects, %d programs, %d membership events.\n",
		len(doc.Terms), len(doc.Agencies), len(doc.Laws), len(doc.Projects), len(doc.Programs), len(doc.Events))
	return nil
}
