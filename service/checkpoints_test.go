package service_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// problemsOf renders a report's problems, one a line, in English.
func problemsOf(r service.AuditReport) string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(p.What + ": " + p.Message.EN + "\n")
	}
	return b.String()
}

// mustVerify runs VerifyAudit and fails on an error.
func mustVerify(t *testing.T, svc *service.Service) service.AuditReport {
	t.Helper()
	r, err := svc.VerifyAudit(context.Background(), service.System)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// renameProject is one more audited write.
func renameProject(t *testing.T, svc *service.Service, slug, title string) {
	t.Helper()
	ctx := context.Background()
	p, err := svc.Project(ctx, service.System, slug)
	if err != nil {
		t.Fatal(err)
	}
	p.Title.EN = title
	if err := svc.UpdateProject(ctx, service.System, p.Project); err != nil {
		t.Fatal(err)
	}
}

// TestAuditTailDeletionNamed: the newest entries deleted leave a chain
// whose every link holds; the checkpoint taken before names what is gone.
func TestAuditTailDeletionNamed(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		cut, err := svc.DB().Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		renameProject(t, svc, "p0", "Renamed once")
		renameProject(t, svc, "p1", "Renamed too")
		cp, err := svc.TakeCheckpoint(ctx, service.System)
		if err != nil || cp == nil {
			t.Fatalf("checkpoint: %v %v", cp, err)
		}
		r := mustVerify(t, svc)
		if !r.Intact || r.Checkpoints != 1 || r.Head == nil || r.Head.Entry != cp.Entry+1 {
			t.Fatalf("before: %+v\n%s", r, problemsOf(r))
		}

		testkit.Exec(t, svc.DB(), "DELETE FROM audit_log WHERE id > ?", cut)
		r = mustVerify(t, svc)
		if r.Intact || r.Broken != nil || r.Head.Entry != cut {
			t.Fatalf("after the cut: intact %v, broken %+v, head %+v", r.Intact, r.Broken, r.Head)
		}
		want := "entries after " + strconv.FormatInt(cut, 10) + " missing"
		if got := problemsOf(r); !strings.Contains(got, want) || !strings.Contains(got, cp.At) {
			t.Fatalf("the cut is not named (%q):\n%s", want, got)
		}
		fa := "مدخل‌های پس از " + jalali.PersianDigits(strconv.FormatInt(cut, 10)) + " نیستند"
		found := false
		for _, p := range r.Problems {
			found = found || strings.Contains(p.Message.FA, fa)
		}
		if !found {
			t.Errorf("no Persian message naming the cut: %+v", r.Problems)
		}
	})
}

// TestAuditRewriteNamed: an entry edited and every hash after it
// recomputed is a chain whose links all hold; the checkpoint names the
// entry that no longer matches it.
func TestAuditRewriteNamed(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		renameProject(t, svc, "p0", "Renamed once")
		cp, err := svc.TakeCheckpoint(ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		renameProject(t, svc, "p1", "Renamed after")

		// Rewrite: entry 3 says someone else did it, and every hash
		// from there on is recomputed.
		var entries []*domain.AuditEntry
		if err := svc.ExportAudit(ctx, service.System, func(e *domain.AuditEntry) error { entries = append(entries, e); return nil }); err != nil {
			t.Fatal(err)
		}
		prev := entries[1].Hash
		for _, x := range entries[2:] {
			if x.ID == 3 {
				x.Actor = "user:nobody"
			}
			x.PrevHash = prev
			x.Hash = store.HashEntry(prev, x)
			testkit.Exec(t, svc.DB(), "UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", x.Actor, x.PrevHash, x.Hash, x.ID)
			prev = x.Hash
		}
		r := mustVerify(t, svc)
		if r.Intact || r.Broken != nil {
			t.Fatalf("rewritten: intact %v, broken %+v\n%s", r.Intact, r.Broken, problemsOf(r))
		}
		want := "entry " + strconv.FormatInt(cp.Entry, 10) + " differs from the checkpoint of " + cp.At
		if got := problemsOf(r); !strings.Contains(got, want) {
			t.Fatalf("the rewrite is not named (%q):\n%s", want, got)
		}
	})
}

// TestAuditForgedCheckpoint: a checkpoint whose signature does not hold
// is named, not trusted.
func TestAuditForgedCheckpoint(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc, ctx := env.Svc, env.Ctx
		cp, err := svc.TakeCheckpoint(ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		// A forger moves the checkpoint to a later entry of their own.
		testkit.Exec(t, svc.DB(), "UPDATE audit_checkpoints SET entry = entry + 100 WHERE id = ?", cp.ID)
		r := mustVerify(t, svc)
		if r.Intact || !strings.Contains(problemsOf(r), "signature does not match") || r.Checkpoints != 0 {
			t.Fatalf("forged checkpoint: %+v\n%s", r, problemsOf(r))
		}
		if strings.Contains(problemsOf(r), "missing") {
			t.Errorf("a forged checkpoint was trusted:\n%s", problemsOf(r))
		}
	})
}

// TestDailyCheckpointJob: the checkpoint job runs once a day across
// instances, signs the head, and the public listing's signatures verify
// against the public keys.
func TestDailyCheckpointJob(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc, ctx := env.Svc, env.Ctx
		now := time.Date(2030, 1, 1, 3, 0, 0, 0, time.UTC)
		for _, inst := range []string{"a", "b"} {
			if _, err := svc.RunDueJobs(ctx, inst, now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.RunDueJobs(ctx, "a", now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		cps, err := svc.Checkpoints(ctx, domain.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		keys, err := svc.PublicKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(cps) != 2 {
			t.Fatalf("%d checkpoints after two days on two instances, want 2: %+v", len(cps), cps)
		}
		for _, c := range cps {
			if c.Source != service.CheckpointDaily {
				t.Errorf("source %q", c.Source)
			}
			if why := signing.VerifyCheckpoint(&c, keys); why != nil {
				t.Errorf("checkpoint %d: %s", c.ID, why.EN)
			}
		}
		r := mustVerify(t, svc)
		if !r.Intact || r.Checkpoints != 2 {
			t.Fatalf("%+v\n%s", r, problemsOf(r))
		}
	})
}

// TestDocumentCarriesCheckpoint: a published document's envelope carries
// the chain's head at publication; a document signed before checkpoints
// existed (none in its envelope) still verifies, online and in audit
// verify.
func TestDocumentCarriesCheckpoint(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc, ctx := env.Svc, env.Ctx
		doc, err := svc.Publish(ctx, service.System, signing.KindDecision, "m-1/1", domain.T("مصوبه", "Decision"), map[string]any{"text": "x"})
		if err != nil {
			t.Fatal(err)
		}
		cp := doc.Envelope.Checkpoint
		if cp == nil {
			t.Fatal("no checkpoint in the envelope")
		}
		head, _ := svc.DB().Version(ctx)
		if cp.Entry != head-1 { // the publication's own entry follows it
			t.Errorf("checkpoint at entry %d, head %d", cp.Entry, head)
		}
		v, err := svc.Verify(ctx, doc.Code)
		if err != nil || !v.Intact || v.Document.Envelope.Checkpoint == nil || *v.Document.Envelope.Checkpoint != *cp {
			t.Fatalf("verify: %v %+v", err, v)
		}

		// An old document: signed without a checkpoint, stored as
		// rows were before.
		var old *store.SignedDocument
		err = svc.DB().Update(ctx, func(tx *store.Tx) error {
			key, err := tx.CurrentSigningKey()
			if err != nil {
				return err
			}
			env := signing.Envelope{Code: signing.NewCode(), Kind: signing.KindMinutes, Ref: "old-1", Title: domain.T("قدیمی", "Old"),
				IssuedAt: signing.Stamp(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)), Content: []byte(`{"a":1}`), KeyID: key.KeyID}
			sig, canonical, err := signing.Sign(key.Private, &env)
			if err != nil {
				return err
			}
			old = &store.SignedDocument{Code: env.Code, Kind: env.Kind, Ref: env.Ref, Title: env.Title,
				IssuedAt: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), Content: `{"a":1}`, KeyID: key.KeyID,
				Signature: base64.StdEncoding.EncodeToString(sig), Digest: signing.Digest(canonical), PublishedBy: "system"}
			if err := tx.InsertSignedDocument(old); err != nil {
				return err
			}
			return tx.Audit("publish", "document", env.Code, nil, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		v, err = svc.Verify(ctx, old.Code)
		if err != nil || !v.Intact || v.Document.Envelope.Checkpoint != nil {
			t.Fatalf("old document: %v %+v", err, v)
		}
		if !ed25519.Verify(mustKey(t, svc, v.Document.KeyID), mustCanonical(t, &v.Document.Envelope), mustSig(t, v.Document.Signature)) {
			t.Fatal("the old document's signature does not hold over its rebuilt envelope")
		}
		r := mustVerify(t, svc)
		if !r.Intact || r.Documents != 2 || r.Checkpoints != 2 { // the document's own, and its row in the list
			t.Fatalf("%+v\n%s", r, problemsOf(r))
		}
		// The checkpoint columns emptied behind Pishran's back: the
		// document is no longer intact.
		testkit.Exec(t, svc.DB(), "UPDATE signed_documents SET checkpoint_hash = NULL, checkpoint_entry = NULL, checkpoint_at = NULL WHERE code = ?", doc.Code)
		if v, err := svc.Verify(ctx, doc.Code); err != nil || v.Intact {
			t.Fatalf("checkpoint removed, still intact: %v %+v", err, v)
		}
		if r := mustVerify(t, svc); r.Intact || !strings.Contains(problemsOf(r), "document "+doc.Code) {
			t.Fatalf("audit verify missed the changed document:\n%s", problemsOf(r))
		}
	})
}

func mustKey(t *testing.T, svc *service.Service, id string) ed25519.PublicKey {
	t.Helper()
	keys, err := svc.PublicKeys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.KeyID == id {
			pub, err := k.Decode()
			if err != nil {
				t.Fatal(err)
			}
			return pub
		}
	}
	t.Fatalf("no key %s", id)
	return nil
}

func mustCanonical(t *testing.T, e *signing.Envelope) []byte {
	t.Helper()
	b, err := e.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustSig(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
