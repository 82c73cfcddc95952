package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// TestSheetCommands runs "pishran sheet": the registry template is
// written; a CSV of agencies with a bad kind exits 1 with the issue at its
// row and column and records nothing; fixed, it prints its preview (exit
// 0), --apply applies it, and applying it again is refused (exit 2). An
// agency's figures template, and an import --as that agency's account.
func TestSheetCommands(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn, dir := e.DSN(t), t.TempDir()
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		testkit.Must(t, err)
		svc := service.New(db, nil)
		testkit.Must(t, svc.CreateAgency(ctx, service.System, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
		_, err = svc.CreateUser(ctx, service.System, &domain.User{Username: "reader", DisplayName: domain.T("خواننده", "Reader"), Role: string(service.RoleReader), Active: true}, "a long enough password")
		testkit.Must(t, err)
		db.Close()

		tpl := filepath.Join(dir, "registry.xlsx")
		if code, out, errOut := pishran(t, "sheet", "template", "registry", "-o", tpl, "--db", dsn); code != 0 || !strings.Contains(out, "wrote") {
			t.Fatalf("template: %d %s%s", code, out, errOut)
		}
		if code, _, errOut := pishran(t, "sheet", "template", "figures", "--agency", "moh", "-o", filepath.Join(dir, "f.xlsx"), "--db", dsn); code != 0 {
			t.Fatalf("figures template: %d %s", code, errOut)
		}
		file := filepath.Join(dir, "agencies.csv")
		testkit.Must(t, os.WriteFile(file, []byte("Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,spaceship\n"), 0o600))
		code, out, errOut := pishran(t, "sheet", "import", file, "--apply", "--db", dsn)
		if code != 1 || !strings.Contains(out, "row 3, column D") || !strings.Contains(out, "nothing was applied") {
			t.Fatalf("bad file: %d\n%s%s", code, out, errOut)
		}
		if code, out, _ := pishran(t, "sheet", "import", file, "--lang", "fa", "--db", dsn); code != 1 || !strings.Contains(out, "سطر ۳، ستون D") {
			t.Fatalf("bad file in Persian: %d\n%s", code, out)
		}
		testkit.Must(t, os.WriteFile(file, []byte("Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,organization\n"), 0o600))
		if code, out, _ := pishran(t, "sheet", "import", file, "--db", dsn); code != 0 || !strings.Contains(out, "create agency") || !strings.Contains(out, "--apply") {
			t.Fatalf("preview: %d\n%s", code, out)
		}
		if code, out, errOut := pishran(t, "sheet", "import", file, "--apply", "--db", dsn); code != 0 || !strings.Contains(out, "applied in one transaction: 2 records") {
			t.Fatalf("apply: %d\n%s%s", code, out, errOut)
		}
		if code, _, errOut := pishran(t, "sheet", "import", file, "--apply", "--db", dsn); code != 2 || !strings.Contains(errOut, "not applied again") {
			t.Fatalf("apply twice: %d %s", code, errOut)
		}
		if code, _, errOut := pishran(t, "sheet", "import", file, "--as", "reader", "--db", dsn); code != 2 || !strings.Contains(errOut, "reader") {
			t.Fatalf("as a reader: %d %s", code, errOut)
		}
	})
}
