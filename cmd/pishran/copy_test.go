package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

// TestCopyCommand copies a SQLite database into each engine with `pishran
// copy`, which reports every table, checks the copy and refuses to copy
// into a database that holds data.
func TestCopyCommand(t *testing.T) {
	ctx := context.Background()
	src := filepath.Join(t.TempDir(), "src.db")
	db, err := store.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, slog.New(slog.DiscardHandler))
	if err := svc.Import(ctx, service.System, synth.Registry(synth.Small)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateUser(ctx, service.System, &domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"), Role: "reader", Active: true}, "a good long password"); err != nil {
		t.Fatal(err)
	}
	want, err := db.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	if code, _, errOut := pishran(t, "copy", "--from", src); code != 2 || !strings.Contains(errOut, "--to") {
		t.Errorf("copy without --to: %d %q", code, errOut)
	}
	if code, _, errOut := pishran(t, "copy", "--from", filepath.Join(t.TempDir(), "missing.db"), "--to", filepath.Join(t.TempDir(), "x.db")); code != 2 || !strings.Contains(errOut, "source") {
		t.Errorf("copy from a missing file: %d %q", code, errOut)
	}
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dst := e.DSN(t)
		code, out, errOut := pishran(t, "copy", "--from", src, "--to", dst)
		if code != 0 {
			t.Fatalf("copy: %d\n%s\n%s", code, out, errOut)
		}
		for _, table := range []string{"projects", "audit_log", "users", "registry_state"} {
			if !strings.Contains(out, "  "+table+" ") {
				t.Errorf("no progress line for %s:\n%s", table, out)
			}
		}
		if !strings.Contains(out, "audit chain intact") || !strings.Contains(out, "every table's rows match") {
			t.Errorf("the copy was not reported checked:\n%s", out)
		}
		copied, err := store.Open(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		got, err := copied.TableCounts(ctx)
		copied.Close()
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range want {
			if got[table] != n {
				t.Errorf("%s: %d rows, want %d", table, got[table], n)
			}
		}
		// Again into the same database: refused, nothing written.
		code, out, errOut = pishran(t, "copy", "--from", src, "--to", dst)
		if code != 2 || !strings.Contains(errOut, "not empty") {
			t.Fatalf("copy into a database holding data: %d\n%s\n%s", code, out, errOut)
		}
		copied, err = store.Open(ctx, dst)
		if err != nil {
			t.Fatal(err)
		}
		again, err := copied.TableCounts(ctx)
		copied.Close()
		if err != nil {
			t.Fatal(err)
		}
		for table, n := range want {
			if again[table] != n {
				t.Errorf("after the refused copy %s has %d rows, want %d", table, again[table], n)
			}
		}
	})
}
