package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/service"
)

// cmdExchange runs "exchange import FILE…" and "exchange generate …".
func cmdExchange(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "Usage: pishran exchange import FILE… [--db DB] [--json] | exchange generate --out FILE [flags]")
		return fmt.Errorf("exchange: name a subcommand: import or generate")
	}
	switch args[0] {
	case "import":
		return cmdExchangeImport(ctx, args[1:], stdout, stderr)
	case "generate":
		return cmdGenerateTelemetry(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("exchange: unknown subcommand %q (import or generate)", args[0])
}

// importMemoryLimit is the import's soft memory limit when GOMEMLIMIT is
// not set: the 10-million-record benchmark peaks at 73 MB of RSS under it
// (docs/exchange.md), at some 10% more CPU than without.
const importMemoryLimit = 48 << 20

// cmdExchangeImport imports X-Road operational-monitoring files (plain or
// gzip JSON, full or open-data form), each in its own transaction, and
// prints each file's import report. A file the same records were imported
// from before changes nothing and says so.
func cmdExchangeImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("exchange import", "exchange import FILE… [--db DB] [--json]", stderr)
	dsn := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print each import report as JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return fmt.Errorf("exchange import needs at least one file")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The import's own memory is fixed (exchange.Reader, the open
		// buckets); a soft limit keeps the collector from letting garbage
		// double it, as serve's --memory-limit does.
		debug.SetMemoryLimit(importMemoryLimit)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		start := time.Now()
		res, err := svc.ImportExchange(ctx, service.System, bufio.NewReaderSize(f, 1<<20), name)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(map[string]any{"file": name, "repeat": res.Repeat, "importedAt": res.ImportedAt,
				"hours": res.Hours, "days": res.Days, "report": res.Report}); err != nil {
				return err
			}
			continue
		}
		writeImportReport(stdout, name, res, time.Since(start))
	}
	return nil
}

func writeImportReport(w io.Writer, name string, res *service.ImportResult, took time.Duration) {
	r := res.Report
	form := string(r.Format)
	if r.Compressed {
		form += ", gzip"
	}
	fmt.Fprintf(w, "%s (%s, %d bytes of JSON)\n", name, form, r.Bytes)
	if res.Repeat {
		fmt.Fprintf(w, "  these records were imported already on %s: nothing changed\n", res.ImportedAt.Format(time.RFC3339))
	}
	fmt.Fprintf(w, "  records %d: accepted %d (client logs %d, provider logs %d, open data %d), duplicates %d, bad %d\n",
		r.Records, r.Accepted, r.ClientRecords, r.ProducerRecords, r.OpenData, r.Duplicates, r.Bad)
	if !res.Repeat {
		secs := took.Seconds()
		fmt.Fprintf(w, "  aggregates: %d hour rows, %d day rows written; %d hours past retention rolled up; %.1f s, %.0f records/s\n",
			res.Hours, res.Days, res.DroppedHours, secs, float64(r.Records)/max(secs, 1e-9))
	}
	if len(r.BadBy) > 0 {
		codes := make([]string, 0, len(r.BadBy))
		for c, n := range r.BadBy {
			codes = append(codes, fmt.Sprintf("%s %d", c, n))
		}
		sort.Strings(codes)
		fmt.Fprintf(w, "  bad by kind: %s\n", strings.Join(codes, ", "))
	}
	for _, p := range r.Problems {
		field := ""
		if p.Field != "" {
			field = " " + p.Field + ":"
		}
		fmt.Fprintf(w, "  bad record %d (byte %d):%s %s\n", p.Number, p.Offset, field, p.Reason.EN)
	}
	if r.ProblemsOmitted > 0 {
		fmt.Fprintf(w, "  … and %d more bad records (counted above)\n", r.ProblemsOmitted)
	}
	if r.UnknownRecords > 0 {
		fmt.Fprintf(w, "  %d records name identities no agency is mapped to (kept; they count once mapped):\n", r.UnknownRecords)
		for _, u := range r.Unknown {
			fmt.Fprintf(w, "    %s as %s, %d records (first: record %d)\n", u.Subsystem, u.Role, u.Records, u.FirstRecord)
		}
	}
	fmt.Fprintf(w, "  digest %s\n", r.Digest)
}

// cmdGenerateTelemetry writes synthetic X-Road operational-monitoring
// records (exchange.Generate): national daily volume by default, gzip when
// the file name ends in .gz. With --db, the traffic runs on the
// integrations the registry declares, and the registry's mapped identities
// and services fill the rest of the catalogue.
func cmdGenerateTelemetry(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("generate telemetry", "generate telemetry --out FILE [--messages N] [--per-day N] [--seed N] [--open-data] [--members N] [--db DB]", stderr)
	out := fs.String("out", "", "the file to write (gzip when it ends in .gz; - for standard output)")
	messages := fs.Int64("messages", 0, "messages to write (0: one day at --per-day)")
	perDay := fs.Int64("per-day", 0, "messages a day (0: the national volume, 23.6 million)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same records")
	open := fs.Bool("open-data", false, "write the anonymised open-data form")
	members := fs.Int("members", 150, "synthetic exchange members when no --db is given (151 agencies were connected in 1396)")
	start := fs.String("start", "", "the first day of the traffic (ISO or Jalali; default 2024-03-10)")
	dsn := fs.String("db", "", "a database whose declared integrations the traffic runs on (optional)")
	if rest, err := parse(fs, args); err != nil {
		return err
	} else if len(rest) > 0 || *out == "" {
		fs.Usage()
		return fmt.Errorf("generate telemetry needs --out FILE and no arguments")
	}
	cfg := exchange.GenConfig{Seed: *seed, PerDay: *perDay, Messages: *messages, Gzip: strings.HasSuffix(*out, ".gz")}
	if *open {
		cfg.Form = exchange.FormOpenData
	}
	if *start != "" {
		d, err := domain.ParseDate(*start)
		if err != nil {
			return domain.Invalid("start", "تاریخ نامعتبر: "+err.Error(), "invalid date: "+err.Error())
		}
		cfg.Start = exchange.DayStart(d)
	}
	if *dsn != "" {
		svc, done, err := openService(ctx, *dsn, stderr)
		if err != nil {
			return err
		}
		ds, err := svc.AllDeclared(ctx, service.System)
		done()
		if err != nil {
			return err
		}
		for _, d := range ds {
			cfg.Pairs = append(cfg.Pairs, d.Integration)
		}
	}
	if len(cfg.Pairs) == 0 {
		cfg.Clients, cfg.Services = exchange.SyntheticCatalogue(max(*members, 2), *seed)
	}
	var w io.Writer = stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriterSize(f, 1<<20)
		defer bw.Flush()
		w = bw
	}
	truth, err := exchange.Generate(w, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d records (%d messages, %d failed; %d malformed, %d duplicate deliveries, %d naming unknown identities) from %s to %s\n",
		truth.Records, truth.Messages, truth.Failures, truth.Malformed, truth.Duplicates, truth.UnknownMessages,
		truth.From.Format(time.RFC3339), truth.Until.Format(time.RFC3339))
	return nil
}
