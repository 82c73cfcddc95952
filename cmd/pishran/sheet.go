package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/pishran/pishran/service"
)

// cmdSheet runs "sheet import FILE [--apply] [--as USER]" and "sheet
// template registry|figures [--agency CODE] -o FILE": the spreadsheet
// import at the console, through the same service acts as the staff page.
func cmdSheet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return cmdSheetImport(ctx, args[1:], stdout, stderr)
		case "template":
			return cmdSheetTemplate(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "Usage: pishran sheet import FILE [--apply] [--as USER] [--lang fa|en] | sheet template registry|figures [--agency CODE] -o FILE")
	return fmt.Errorf("sheet needs import or template")
}

// consoleActor is the system, or the account named by --as.
func consoleActor(ctx context.Context, svc *service.Service, as string) (service.Actor, error) {
	if as == "" {
		return service.System, nil
	}
	return svc.ConsoleActor(ctx, as)
}

// cmdSheetImport checks a file and prints its report, or its preview;
// with --apply it applies the file when it has no issue. The exit code is
// 1 when the file has issues (nothing is applied), 0 otherwise.
func cmdSheetImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sheet import", "sheet import FILE [--apply] [--as USER] [--lang fa|en] [--db DB]", stderr)
	dsn := dbFlag(fs)
	apply := fs.Bool("apply", false, "apply the file when it has no issue (all or nothing, one transaction)")
	as := fs.String("as", "", "act as this account (an agency's focal point imports its figures); default: the system, which imports registry records")
	lang := fs.String("lang", "en", "the report's language: fa or en")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return fmt.Errorf("sheet import needs exactly one file")
	}
	content, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	a, err := consoleActor(ctx, svc, *as)
	if err != nil {
		return err
	}
	c, err := svc.CheckSheet(ctx, a, filepath.Base(rest[0]), content)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s import, sha256 %s\n", c.Name, c.Kind, c.Digest)
	if !c.Report.OK() {
		fmt.Fprintf(stdout, "%d issues; nothing was applied:\n", len(c.Report.Issues))
		fmt.Fprint(stdout, c.Report.Text(*lang))
		return errFound{len(c.Report.Issues)}
	}
	writePreview(stdout, c.Preview, *lang)
	if !*apply {
		fmt.Fprintln(stdout, "no issue; run again with --apply to apply it")
		return nil
	}
	res, err := svc.ApplySheet(ctx, a, c.Digest, c.Preview.Plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied in one transaction: %d records (sha256 %s)\n", len(res.Items), res.Digest)
	return nil
}

func writePreview(w io.Writer, p *service.SheetPreview, lang string) {
	keys := make([]string, 0, len(p.Counts))
	for k := range p.Counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-22s %d\n", k, p.Counts[k])
	}
	for _, i := range p.Items {
		line := fmt.Sprintf("%s %s %s", i.Op, i.Kind, i.Key)
		if t := i.Title.In(lang); t != "" && t != i.Key {
			line += " — " + t
		}
		if d := i.Detail.In(lang); d != "" {
			line += " (" + d + ")"
		}
		fmt.Fprintf(w, "    %s!%d  %s\n", i.Sheet, i.Row, line)
	}
}

// cmdSheetTemplate writes a template workbook.
func cmdSheetTemplate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sheet template", "sheet template registry|figures [--agency CODE] [--as USER] -o FILE [--db DB]", stderr)
	dsn := dbFlag(fs)
	agency := fs.String("agency", "", "figures: the agency whose template it is (its projects, milestones and indicators)")
	as := fs.String("as", "", "act as this account; default: the system")
	out := fs.String("o", "", "the file to write (XLSX)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != service.SheetRegistry && rest[0] != service.SheetFigures) || *out == "" {
		fs.Usage()
		return fmt.Errorf("sheet template needs registry or figures, and -o FILE")
	}
	svc, done, err := openService(ctx, *dsn, stderr)
	if err != nil {
		return err
	}
	defer done()
	a, err := consoleActor(ctx, svc, *as)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := svc.SheetTemplate(ctx, a, rest[0], *agency, &buf); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, buf.Len())
	return nil
}
