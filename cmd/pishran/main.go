// Command pishran runs and administers Pishran, the registry of the IT
// Executive Council's driving projects. It only wires the packages together;
// every rule lives in them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/pishran/pishran/domain"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `pishran — the registry of the IT Executive Council's driving projects
پیشران — سامانه ثبت و پیگیری پروژه‌های پیشران شورای اجرایی فناوری اطلاعات

Usage:
  pishran serve   [--addr ADDR] [--db DB] [--reference]   run the server
  pishran token create --role ROLE --name NAME [--agency CODE]
                                                           make an API token
  pishran check   PROGRAM [--db DB]                        run the designation rules over a program
  pishran export  [--db DB] [--out FILE]                   write the whole registry as JSON
  pishran import  FILE [--db DB]                           load a registry JSON into an empty database
  pishran generate [--scale national|small] [--projects N …] [--db DB]   a synthetic registry, into an empty database
  pishran backup  FILE [--db DB] | restore FILE [--db DB] [--force]   online SQLite snapshot; restore (server stopped)
  pishran copy    --from SRC --to DST                      copy a whole database into a new one, SQLite ⇄ PostgreSQL
  pishran meeting list | agenda ID | minutes ID [--lang fa|en] [--format md|html]   meetings
  pishran audit verify [--db DB]                           check the audit log: chain, checkpoints, documents, records
  pishran audit verify --log FILE --checkpoints FILE --keys FILE   check an exported log offline (no database)
  pishran audit export | checkpoints | checkpoint [--db DB]   export the log or its checkpoints; sign the head now
  pishran verify  FILE [--keys KEYSFILE]                   check a signed document offline (no database)
  pishran keys    rotate | export [--db DB] [--out FILE]   rotate the signing key, print the public keys
  pishran user create --role ROLE --username NAME [--agency CODE] [--password-stdin] | user reset USERNAME
                                                           people's accounts (prints one-time links)
  pishran health  PROJECT [--as-of DATE] | reports [--project P] [--agency A] [--state S]   follow-up
  pishran sheet   import FILE [--apply] [--as USER] | template registry|figures [--agency CODE] -o FILE
                                                           spreadsheet import: report, preview, apply
  pishran exchange import FILE… [--db DB] [--json]        import exchange telemetry (X-Road op-monitoring JSON, plain or gzip)
  pishran generate telemetry --out FILE [--messages N]     synthetic exchange telemetry (also: exchange generate)
  pishran version                                          print the version

DB is a SQLite file path or a postgres:// URL (default: data/pishran.db, or
$PISHRAN_DB). Run "pishran COMMAND --help" for a command's flags.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code: 0 done, 1 the
// command ran and found problems (check), 2 bad usage or an error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "token":
		err = cmdToken(ctx, args[1:], stdout, stderr)
	case "check":
		err = cmdCheck(ctx, args[1:], stdout, stderr)
	case "export":
		err = cmdExport(ctx, args[1:], stdout, stderr)
	case "import":
		err = cmdImport(ctx, args[1:], stdout, stderr)
	case "generate":
		err = cmdGenerate(ctx, args[1:], stdout, stderr)
	case "backup", "restore":
		err = cmdBackupRestore(ctx, args, stdout, stderr)
	case "copy":
		err = cmdCopy(ctx, args[1:], stdout, stderr)
	case "audit":
		err = cmdAudit(ctx, args[1:], stdout, stderr)
	case "verify":
		err = cmdVerify(ctx, args[1:], stdout, stderr)
	case "keys":
		err = cmdKeys(ctx, args[1:], stdout, stderr)
	case "meeting":
		err = cmdMeeting(ctx, args[1:], stdout, stderr)
	case "user":
		err = cmdUser(ctx, args[1:], stdout, stderr)
	case "health", "reports":
		err = cmdFollowUp(ctx, args, stdout, stderr)
	case "sheet":
		err = cmdSheet(ctx, args[1:], stdout, stderr)
	case "exchange":
		err = cmdExchange(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "pishran", version)
		return 0
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "pishran: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var found errFound
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &found):
		return 1
	}
	fmt.Fprintln(stderr, "pishran:", describe(err))
	return 2
}

// errFound reports that a command ran and found problems.
type errFound struct{ n int }

func (e errFound) Error() string { return fmt.Sprintf("%d problems found", e.n) }

// describe renders an error for a person at a terminal: the field, then the
// message in both languages.
func describe(err error) string {
	if e, ok := domain.AsError(err); ok {
		var b strings.Builder
		if e.Field != "" {
			b.WriteString(e.Field + ": ")
		}
		b.WriteString(e.Message.EN)
		if e.Message.FA != "" {
			b.WriteString(" — " + e.Message.FA)
		}
		for _, v := range e.Violations {
			fmt.Fprintf(&b, "\n  [%s] %s", v.Rule, v.Message.EN)
		}
		return b.String()
	}
	return err.Error()
}

// dbFlag adds the --db flag, defaulting to $PISHRAN_DB or data/pishran.db.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("PISHRAN_DB")
	if def == "" {
		def = "data/pishran.db"
	}
	return fs.String("db", def, "SQLite file path or postgres:// URL (env PISHRAN_DB)")
}

func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: pishran %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before or after positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
