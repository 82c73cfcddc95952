package main

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// auditWorld writes, through Pishran, a meeting with a decision, closes it
// (publishing it, with a checkpoint inside) and takes a checkpoint. It
// returns the decision's outcome id and the checkpoint's entry.
func auditWorld(t *testing.T, dsn string) (outcome, checkpoint int64) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db, slog.New(slog.DiscardHandler))
	sys := service.System
	testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
	testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
	d := domain.MustDate("2024-03-01")
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 26, Date: &d})
	testkit.Must(t, err)
	_, err = svc.HoldMeeting(ctx, sys, "itec-26", 0)
	testkit.Must(t, err)
	o, _, err := svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "26/1",
		Text: domain.T("سامانه تا پایان سال سراسری شود", "Roll it out nationwide by year end")})
	testkit.Must(t, err)
	_, err = svc.CloseMeeting(ctx, sys, "itec-26", 0)
	testkit.Must(t, err)
	cp, err := svc.TakeCheckpoint(ctx, sys)
	testkit.Must(t, err)
	// One more write after the checkpoint.
	testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "ito", Name: domain.T("سازمان فناوری اطلاعات", "ITO"), Kind: domain.AgencyOrganization}))
	return o.ID, cp.Entry
}

// tamper runs a statement on the database behind Pishran's back.
func tamper(t *testing.T, dsn, q string, args ...any) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testkit.Exec(t, db, q, args...)
}

// TestAuditVerifyNamesTampering: `pishran audit verify` names a dropped
// tail, a history rewritten with its hashes recomputed, and a decision's
// text edited in the database, each with exit 1; an untouched log is
// intact, with exit 0 and its head printed.
func TestAuditVerifyNamesTampering(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		outcome, cp := auditWorld(t, dsn)
		code, out, errOut := pishran(t, "audit", "verify", "--db", dsn)
		if code != 0 || !strings.Contains(out, "head: entry "+strconv.FormatInt(cp+2, 10)+", hash ") || !strings.Contains(out, "audit chain intact") {
			t.Fatalf("untouched: exit %d\n%s%s", code, out, errOut)
		}

		t.Run("tail", func(t *testing.T) {
			dsn := e.DSN(t)
			_, cp := auditWorld(t, dsn)
			tamper(t, dsn, "DELETE FROM audit_log WHERE id > ?", cp-3)
			code, out, _ := pishran(t, "audit", "verify", "--db", dsn)
			want := "entries after " + strconv.FormatInt(cp-3, 10) + " missing"
			if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "NOT INTACT") {
				t.Fatalf("exit %d, want 1 and %q:\n%s", code, want, out)
			}
		})
		t.Run("rewrite", func(t *testing.T) {
			dsn := e.DSN(t)
			auditWorld(t, dsn)
			rewriteFrom(t, dsn, 2)
			code, out, _ := pishran(t, "audit", "verify", "--db", dsn)
			// The first checkpoint past the rewritten entry is named (one
			// inside the published minutes, here).
			want := "differs from the checkpoint of "
			if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "up to it was rewritten") || strings.Contains(out, "chain breaks") {
				t.Fatalf("exit %d, want 1 and %q:\n%s", code, want, out)
			}
		})
		t.Run("decision", func(t *testing.T) {
			dsn := e.DSN(t)
			outcome, _ := auditWorld(t, dsn)
			tamper(t, dsn, "UPDATE outcomes SET text_en = 'Cancel the project' WHERE id = ?", outcome)
			code, out, _ := pishran(t, "audit", "verify", "--db", dsn)
			want := "decision 26/1 of meeting itec-26 (outcome itec-26/" + strconv.FormatInt(outcome, 10) + ") differs"
			if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "text.en") || !strings.Contains(out, "مصوبه 26/1") {
				t.Fatalf("exit %d, want 1 and %q:\n%s", code, want, out)
			}
		})
		_ = outcome
	})
}

// rewriteFrom changes who made entry from and recomputes every hash after
// it, in the database: a chain whose every link holds.
func rewriteFrom(t *testing.T, dsn string, from int64) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var entries []*domain.AuditEntry
	err = service.New(db, slog.New(slog.DiscardHandler)).ExportAudit(ctx, service.System, func(e *domain.AuditEntry) error {
		entries = append(entries, e)
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	prev := entries[from-2].Hash
	for _, x := range entries[from-1:] {
		if x.ID == from {
			x.Actor = "user:nobody"
		}
		x.PrevHash, x.Hash = prev, store.HashEntry(prev, x)
		tamper(t, dsn, "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", x.Actor, x.PrevHash, x.Hash, x.ID)
		prev = x.Hash
	}
}

// TestAuditVerifyOffline: an exported log checks against exported
// checkpoints and keys with no database; a file with its tail cut, or
// rewritten and rehashed, is named; an unreadable file is exit 2.
func TestAuditVerifyOffline(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		_, cp := auditWorld(t, dsn)
		dir := t.TempDir()
		logPath, cpPath, keysPath := filepath.Join(dir, "log.jsonl"), filepath.Join(dir, "checkpoints.json"), filepath.Join(dir, "keys.json")
		for _, args := range [][]string{{"audit", "export", "--out", logPath}, {"audit", "checkpoints", "--out", cpPath}, {"keys", "export", "--out", keysPath}} {
			if code, _, errOut := pishran(t, append(args, "--db", dsn)...); code != 0 {
				t.Fatalf("%v: exit %d %s", args, code, errOut)
			}
		}
		offline := func(log string) (int, string, string) {
			return pishran(t, "audit", "verify", "--log", log, "--checkpoints", cpPath, "--keys", keysPath)
		}
		code, out, errOut := offline(logPath)
		if code != 0 || !strings.Contains(out, "audit chain intact") || !strings.Contains(out, "checked offline") ||
			!strings.Contains(out, "against 3 checkpoints") { // the minutes', the decision's, and one on its own
			t.Fatalf("offline: exit %d\n%s%s", code, out, errOut)
		}
		// The API's answer reads as a checkpoints file too.
		_, stdoutCPs, _ := pishran(t, "audit", "checkpoints", "--db", dsn)
		if onDisk, _ := os.ReadFile(cpPath); stdoutCPs != string(onDisk) {
			t.Error("audit checkpoints: stdout and --out differ")
		}

		lines := readLines(t, logPath)
		cut := filepath.Join(dir, "cut.jsonl")
		writeLines(t, cut, lines[:cp-1])
		code, out, _ = offline(cut)
		if want := "entries after " + strconv.FormatInt(cp-1, 10) + " missing"; code != 1 || !strings.Contains(out, want) {
			t.Fatalf("cut: exit %d, want %q\n%s", code, want, out)
		}

		prev := ""
		var rewritten []string
		for i, l := range lines {
			var x domain.AuditLine
			if err := json.Unmarshal([]byte(l), &x); err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				x.Actor = "user:nobody"
			}
			if i >= 1 {
				en, err := x.Entry()
				if err != nil {
					t.Fatal(err)
				}
				x.PrevHash = prev
				x.Hash = store.HashEntry(prev, en)
			}
			prev = x.Hash
			b, _ := json.Marshal(x)
			rewritten = append(rewritten, string(b))
		}
		rw := filepath.Join(dir, "rewritten.jsonl")
		writeLines(t, rw, rewritten)
		code, out, _ = offline(rw)
		if want := "differs from the checkpoint of "; code != 1 || !strings.Contains(out, want) ||
			strings.Contains(out, "chain breaks") {
			t.Fatalf("rewritten: exit %d, want %q\n%s", code, want, out)
		}

		// An entry edited without rehashing: the chain breaks there.
		edited := append([]string(nil), lines...)
		edited[3] = strings.Replace(edited[3], `"actor":"`, `"actor":"x`, 1)
		ed := filepath.Join(dir, "edited.jsonl")
		writeLines(t, ed, edited)
		if code, out, _ = offline(ed); code != 1 || !strings.Contains(out, "the chain breaks at entry 4") {
			t.Fatalf("edited: exit %d\n%s", code, out)
		}

		bad := filepath.Join(dir, "bad.jsonl")
		os.WriteFile(bad, []byte("not json\n"), 0o644)
		if code, _, errOut = offline(bad); code != 2 || !strings.Contains(errOut, "line 1") {
			t.Fatalf("unreadable log: exit %d %q", code, errOut)
		}
		if code, _, errOut = pishran(t, "audit", "verify", "--log", logPath); code != 2 || !strings.Contains(errOut, "--checkpoints") {
			t.Fatalf("missing files: exit %d %q", code, errOut)
		}
	})
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
