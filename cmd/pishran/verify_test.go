package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// publishOne publishes a decision into the database at dsn and returns its
// signed-document file.
func publishOne(t *testing.T, dsn, ref string) (*service.SignedDocument, []byte) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := service.New(db, slog.New(slog.DiscardHandler))
	doc, err := svc.Publish(ctx, service.System, signing.KindDecision, ref, domain.T("مصوبه نسخه الکترونیک", "E-prescription decision"),
		map[string]any{"resolution": domain.T("سامانه تا پایان سال سراسری شود", "Roll it out nationwide by year end"), "votes": 12})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return doc, b
}

func TestVerifyOffline(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		dir := t.TempDir()
		doc, file := publishOne(t, dsn, "council-14/3#1")
		docPath := filepath.Join(dir, "decision.json")
		keysPath := filepath.Join(dir, "keys.json")
		if err := os.WriteFile(docPath, file, 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := pishran(t, "keys", "export", "--db", dsn, "--out", keysPath)
		if code != 0 {
			t.Fatalf("keys export: %d %s", code, errOut)
		}
		// The exported keys are the public keys file, and stdout gives the same.
		_, stdoutKeys, _ := pishran(t, "keys", "export", "--db", dsn)
		onDisk, _ := os.ReadFile(keysPath)
		if stdoutKeys != string(onDisk) || !strings.Contains(stdoutKeys, doc.KeyID) || strings.Contains(stdoutKeys, "seed") {
			t.Fatalf("keys export: %s", stdoutKeys)
		}

		// Offline: no --db, and the database is not needed.
		code, out, errOut = pishran(t, "verify", docPath, "--keys", keysPath)
		if code != 0 || !strings.Contains(out, "INTACT ✓") || !strings.Contains(out, "سند سالم است") || !strings.Contains(out, doc.Code) {
			t.Fatalf("verify: %d\n%s\n%s", code, out, errOut)
		}

		// One byte of the content flipped: not intact.
		i := bytes.Index(file, []byte("nationwide"))
		bad := bytes.Clone(file)
		bad[i] = 'N'
		badPath := filepath.Join(dir, "tampered.json")
		os.WriteFile(badPath, bad, 0o644)
		code, out, _ = pishran(t, "verify", badPath, "--keys", keysPath)
		if code != 1 || !strings.Contains(out, "NOT INTACT ✗") || !strings.Contains(out, "سند سالم نیست") {
			t.Fatalf("tampered: %d\n%s", code, out)
		}
		// A number in the content changed: not intact either.
		bad = bytes.Replace(file, []byte(`"votes": 12`), []byte(`"votes": 13`), 1)
		os.WriteFile(badPath, bad, 0o644)
		if code, out, _ = pishran(t, "verify", badPath, "--keys", keysPath); code != 1 {
			t.Fatalf("votes changed: %d\n%s", code, out)
		}

		// Rotation: the old document still verifies with the new export,
		// and a new document is signed with the new key.
		code, out, errOut = pishran(t, "keys", "rotate", "--db", dsn)
		if code != 0 || !strings.Contains(out, "retired "+doc.KeyID) {
			t.Fatalf("keys rotate: %d %s %s", code, out, errOut)
		}
		newDoc, newFile := publishOne(t, dsn, "council-14/3#2")
		if newDoc.KeyID == doc.KeyID {
			t.Fatal("the new document was signed with the retired key")
		}
		newPath := filepath.Join(dir, "new.json")
		os.WriteFile(newPath, newFile, 0o644)
		// The old keys file does not know the new key.
		if code, out, _ = pishran(t, "verify", newPath, "--keys", keysPath); code != 1 || !strings.Contains(out, "not among the published keys") {
			t.Fatalf("new document with the old keys: %d\n%s", code, out)
		}
		if code, _, errOut = pishran(t, "keys", "export", "--db", dsn, "--out", keysPath); code != 0 {
			t.Fatal(errOut)
		}
		for _, p := range []string{docPath, newPath} {
			if code, out, _ := pishran(t, "verify", p, "--keys", keysPath); code != 0 {
				t.Errorf("%s after rotation: %d\n%s", filepath.Base(p), code, out)
			}
		}
		if _, out, _ := pishran(t, "verify", docPath, "--keys", keysPath); !strings.Contains(out, "(retired ") {
			t.Errorf("the old document should name its key as retired:\n%s", out)
		}

		// Without --keys the signer cannot be confirmed: exit 2, saying so.
		code, _, errOut = pishran(t, "verify", docPath)
		if code != 2 || !strings.Contains(errOut, "--keys") {
			t.Errorf("without keys: %d %s", code, errOut)
		}
		// Errors: exit 2.
		for _, args := range [][]string{
			{"verify"},
			{"verify", filepath.Join(dir, "missing.json"), "--keys", keysPath},
			{"verify", keysPath, "--keys", keysPath}, // a keys file is not a document
			{"verify", docPath, "--keys", docPath},   // nor the reverse
			{"keys"},
			{"keys", "burn", "--db", dsn},
		} {
			if code, _, _ := pishran(t, args...); code != 2 {
				t.Errorf("%v: exit %d, want 2", args, code)
			}
		}
	})
}
