package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

const auditSynopsis = `Usage:
  pishran audit verify [--db DB]           check the log: its chain, its checkpoints, the published documents,
                                           and every audited record against the state the log last recorded
  pishran audit verify --daily [--db DB]   the daily job's check: the chain from the last checkpoint the previous
                                           daily check verified, the log after it, every record (the first is full)
  pishran audit verify --log FILE --checkpoints FILE --keys FILE
                                           check an exported log offline (no database)
  pishran audit export [--db DB] [--out FILE]        the log, one entry a line (JSON Lines)
  pishran audit checkpoints [--db DB] [--out FILE]   the signed checkpoints (as GET /api/v1/audit/checkpoints)
  pishran audit checkpoint [--db DB]                 sign the chain's head now`

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "verify":
		return auditVerify(ctx, args[1:], stdout, stderr)
	case "export":
		return auditExport(ctx, args[1:], stdout, stderr)
	case "checkpoints":
		return auditCheckpoints(ctx, args[1:], stdout, stderr)
	case "checkpoint":
		return auditCheckpoint(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, auditSynopsis)
	if sub == "--help" || sub == "-h" {
		return nil
	}
	return fmt.Errorf("audit: the subcommands are verify, export, checkpoints and checkpoint")
}

func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit verify", "audit verify [--db DB] | audit verify --log FILE --checkpoints FILE --keys FILE", stderr)
	dsn := dbFlag(fs)
	logPath := fs.String("log", "", "offline: an exported log (pishran audit export)")
	cpPath := fs.String("checkpoints", "", "offline: the published checkpoints (pishran audit checkpoints, or GET /api/v1/audit/checkpoints)")
	keysPath := fs.String("keys", "", "offline: the published public keys (pishran keys export, or GET /api/v1/signing/keys)")
	daily := fs.Bool("daily", false, "check as the daily job does: from the last checkpoint the previous daily check verified, folding what the next one starts from")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("audit verify takes no arguments, got %q", rest)
	}
	var (
		rep service.AuditReport
		err error
	)
	if *logPath != "" || *cpPath != "" || *keysPath != "" {
		if *logPath == "" || *cpPath == "" || *keysPath == "" {
			return domain.Invalid("log", "بررسی بی‌پایگاه به هر سه پرونده نیاز دارد: --log، --checkpoints و --keys",
				"an offline check needs all three files: --log, --checkpoints and --keys")
		}
		rep, err = verifyOffline(*logPath, *cpPath, *keysPath)
	} else {
		svc, done, oerr := openService(ctx, *dsn, stderr)
		if oerr != nil {
			return oerr
		}
		defer done()
		if *daily {
			rep, err = svc.VerifyAuditDaily(ctx, service.System)
		} else {
			rep, err = svc.VerifyAudit(ctx, service.System)
		}
	}
	if err != nil {
		return err
	}
	printAudit(stdout, rep)
	if !rep.Intact {
		return errFound{len(rep.Problems)}
	}
	return nil
}

// verifyOffline reads the three files and checks the log against them.
func verifyOffline(logPath, cpPath, keysPath string) (service.AuditReport, error) {
	kb, err := os.ReadFile(keysPath)
	if err != nil {
		return service.AuditReport{}, err
	}
	keys, err := signing.ParseKeys(kb)
	if err != nil {
		return service.AuditReport{}, fmt.Errorf("%s: %w", keysPath, err)
	}
	cb, err := os.ReadFile(cpPath)
	if err != nil {
		return service.AuditReport{}, err
	}
	cps, err := signing.ParseCheckpoints(cb)
	if err != nil {
		return service.AuditReport{}, fmt.Errorf("%s: %w", cpPath, err)
	}
	f, err := os.Open(logPath)
	if err != nil {
		return service.AuditReport{}, err
	}
	defer f.Close()
	rep, err := service.VerifyAuditExport(f, cps, keys)
	if err != nil {
		return rep, fmt.Errorf("%s: %w", logPath, err)
	}
	return rep, nil
}

func printAudit(w io.Writer, r service.AuditReport) {
	if h := r.Head; h != nil {
		at := h.At.UTC().Format("2006-01-02 15:04:05") + " UTC"
		fmt.Fprintf(w, "head: entry %d, hash %s, at %s — سر زنجیره: مدخل %s\n", h.Entry, h.Hash, at,
			jalali.PersianDigits(fmt.Sprint(h.Entry)))
	} else {
		fmt.Fprintln(w, "head: the log is empty — سیاهه ممیزی خالی است")
	}
	if r.Offline {
		fmt.Fprintf(w, "checked offline: %d entries against %d checkpoints (records and documents need the database)\n",
			r.Checked, r.Checkpoints)
	} else {
		fmt.Fprintf(w, "checked: %d entries against %d checkpoints; %d published documents; %d records against their last audited state\n",
			r.Checked, r.Checkpoints, r.Documents, r.Records)
	}
	if r.Intact {
		fmt.Fprintf(w, "audit chain intact: %d entries checked — زنجیره ممیزی سالم است", r.Checked)
		if !r.Offline {
			fmt.Fprint(w, "، و رکوردها با آن می‌خوانند")
		}
		fmt.Fprintln(w)
		return
	}
	fmt.Fprintf(w, "NOT INTACT ✗ — سیاهه ممیزی سالم نیست: %d problems (%s مورد)\n", len(r.Problems),
		jalali.PersianDigits(fmt.Sprint(len(r.Problems))))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "  [%s] %s\n         %s\n", p.What, p.Message.EN, p.Message.FA)
	}
}

func auditExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit export", "audit export [--db DB] [--out FILE]", stderr)
	dsn := dbFlag(fs)
	out := fs.String("out", "-", "file to write, - for standard output")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("audit export takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	return writeStream(*out, stdout, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return svc.ExportAudit(ctx, service.System, func(e *domain.AuditEntry) error { return enc.Encode(e.Line()) })
	})
}

func auditCheckpoints(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit checkpoints", "audit checkpoints [--db DB] [--out FILE]", stderr)
	dsn := dbFlag(fs)
	out := fs.String("out", "-", "file to write, - for standard output")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("audit checkpoints takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	cps, err := svc.AllCheckpoints(ctx)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cps); err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(b.Bytes())
		return err
	}
	return writeFileAtomic(*out, b.Bytes())
}

func auditCheckpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit checkpoint", "audit checkpoint [--db DB]", stderr)
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("audit checkpoint takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	sc, err := svc.TakeCheckpoint(ctx, service.System)
	if err != nil {
		return err
	}
	if sc == nil {
		return errors.New("the audit log is empty: there is nothing to anchor")
	}
	fmt.Fprintf(stdout, "checkpoint %d: entry %d, hash %s, signed by key %s at %s — نقطه وارسی ثبت شد\n",
		sc.ID, sc.Entry, sc.Hash, sc.KeyID, sc.At)
	return nil
}

// writeStream writes what fill writes to path ("-": stdout), through a
// temporary file renamed into place, so a reader never finds half a file.
func writeStream(path string, stdout io.Writer, fill func(io.Writer) error) error {
	if path == "-" {
		bw := bufio.NewWriterSize(stdout, 1<<16)
		if err := fill(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := fill(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
