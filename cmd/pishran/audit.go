package main

import (
	"context"
	"fmt"
	"io"

	"github.com/pishran/pishran/service"
)

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "Usage: pishran audit verify [--db DB]")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return fmt.Errorf("audit: the only subcommand is verify")
	}
	fs := newFlags("audit verify", "audit verify [--db DB]", stderr)
	dsn := dbFlag(fs)
	if rest, err := parse(fs, args[1:]); err != nil {
		return err
	} else if len(rest) > 0 {
		return fmt.Errorf("audit verify takes no arguments, got %q", rest)
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	rep, err := svc.VerifyAudit(ctx, service.System)
	if err != nil {
		return err
	}
	if rep.Intact {
		fmt.Fprintf(stdout, "audit chain intact: %d entries checked — زنجیره ممیزی سالم است\n", rep.Checked)
		return nil
	}
	fmt.Fprintf(stdout, "audit chain BROKEN at entry %d: %s — زنجیره ممیزی در مدخل %d شکسته است\n",
		rep.Broken.ID, rep.Broken.Reason, rep.Broken.ID)
	return errFound{1}
}
