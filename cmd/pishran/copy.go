package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// cmdCopy copies a whole database — every table, the audit log with its
// hash chain, evidence files, accounts, keys — into a fresh database of
// either engine: SQLite into PostgreSQL when one machine is outgrown, or
// back. The source is only read (it may go on serving); the destination
// receives all of it in one transaction or nothing. Afterwards the copy is
// checked: its audit chain, and every table's rows against the source's.
func cmdCopy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("copy", "copy --from SRC --to DST   (DST: a new SQLite file or an empty PostgreSQL database)", stderr)
	from := fs.String("from", "", "the database to copy: SQLite file path or postgres:// URL")
	to := fs.String("to", "", "the database to fill: a new SQLite file path or an empty postgres:// database")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 0 || *from == "" || *to == "" {
		fs.Usage()
		return domain.Invalid("from", "copy یک مبدأ (--from) و یک مقصد (--to) می‌خواهد", "copy needs a source (--from) and a destination (--to)")
	}
	if *from == *to {
		return domain.Invalid("to", "مبدأ و مقصد یکی‌اند", "the source and the destination are the same")
	}
	if !store.IsPostgres(*from) {
		if _, err := os.Stat(*from); err != nil {
			return fmt.Errorf("source %s: %w", *from, err)
		}
	}
	// The source is opened as a replica: nothing is written to it, and a
	// schema other than this binary's is refused.
	src, err := store.OpenReplica(ctx, *from)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	defer src.Close()
	created := false
	if !store.IsPostgres(*to) {
		if _, err := os.Stat(*to); errors.Is(err, os.ErrNotExist) {
			created = true
		}
	}
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	defer dst.Close()

	start := time.Now()
	fmt.Fprintf(stdout, "Copying %s (%s) into %s (%s):\n", redact(*from), src.Engine(), redact(*to), dst.Engine())
	var total int64
	copied := map[string]int64{}
	err = store.Copy(ctx, src, dst, func(table string, n int64) {
		total += n
		copied[table] = n
		fmt.Fprintf(stdout, "  %-28s %12s rows\n", table, thousands(int(n)))
	})
	if err != nil {
		if created {
			dst.Close()
			removeDB(*to) // the file this command made holds nothing
		}
		return err
	}
	fmt.Fprintf(stdout, "Copied %s rows in %s. Checking the copy…\n", thousands(int(total)), time.Since(start).Round(time.Millisecond))
	checked, err := checkCopy(ctx, src, dst, copied, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Copy checked: every table's rows match the source, audit chain intact (%s entries).\n", thousands(int(checked)))
	return nil
}

// checkCopy verifies the destination's audit chain and compares every
// table's row count with what the copy read and, count and content, with
// the source as it is now.
func checkCopy(ctx context.Context, src, dst *store.DB, copied map[string]int64, stderr io.Writer) (int64, error) {
	rep, err := service.New(dst, newLogger(stderr)).VerifyAudit(ctx, service.System)
	if err != nil {
		return 0, err
	}
	if !rep.Intact {
		return 0, domain.Invalid("to", fmt.Sprintf("زنجیره ممیزی رونوشت در مدخل %d شکسته است", rep.Broken.ID),
			fmt.Sprintf("the copy's audit chain is broken at entry %d: %s", rep.Broken.ID, rep.Broken.Reason))
	}
	want, err := src.TableCounts(ctx)
	if err != nil {
		return 0, err
	}
	got, err := dst.TableCounts(ctx)
	if err != nil {
		return 0, err
	}
	var problems []string
	for _, name := range unionKeys(copied, got) {
		if copied[name] != got[name] {
			problems = append(problems, fmt.Sprintf("%s: %d rows copied, %d in the copy", name, copied[name], got[name]))
		}
	}
	for _, name := range unionKeys(want, got) {
		if want[name] != got[name] {
			problems = append(problems, fmt.Sprintf("%s: %d rows in the source, %d in the copy", name, want[name], got[name]))
		}
	}
	if len(problems) == 0 {
		wantD, err := src.TableDigests(ctx)
		if err != nil {
			return 0, err
		}
		gotD, err := dst.TableDigests(ctx)
		if err != nil {
			return 0, err
		}
		for _, name := range unionKeys(wantD, gotD) {
			if wantD[name] != gotD[name] {
				problems = append(problems, name+": the rows' values differ from the source's")
			}
		}
	}
	if len(problems) > 0 {
		list := strings.Join(problems, "; ")
		return 0, domain.Invalid("to", "رونوشت با مبدأ یکی نیست (ممکن است مبدأ در حین رونوشت تغییر کرده باشد): "+list,
			"the copy does not match the source (the source may have changed during the copy): "+list)
	}
	return rep.Checked, nil
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
