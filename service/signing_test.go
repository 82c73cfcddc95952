package service_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// decisionContent is a decision as the meetings code might publish it.
type decisionContent struct {
	Meeting    string      `json:"meeting"`
	Number     int         `json:"number"`
	Resolution domain.Text `json:"resolution"`
	Due        string      `json:"due"`
	Projects   []string    `json:"projects"`
}

func sampleDecision() decisionContent {
	return decisionContent{Meeting: "council-14/3", Number: 2,
		Resolution: domain.T("سامانه نسخه الکترونیک تا پایان سال سراسری شود", "Roll electronic prescriptions out nationwide by year end"),
		Due:        "2025-03-20", Projects: []string{"p0"}}
}

func TestPublishVerify(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		title := domain.T("مصوبه ۲ جلسه ۳", "Decision 2 of meeting 3")

		doc, err := svc.Publish(ctx, sec, signing.KindDecision, "council-14/3#2", title, sampleDecision())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := signing.ParseCode(doc.Code); err != nil || doc.Envelope.Code != doc.Code {
			t.Fatalf("code %q / envelope code %q", doc.Code, doc.Envelope.Code)
		}
		keys, err := svc.PublicKeys(ctx)
		if err != nil || len(keys) != 1 || keys[0].KeyID != doc.KeyID || keys[0].RetiredAt != nil {
			t.Fatalf("keys after the first publication: %+v %v", keys, err)
		}

		v, err := svc.Verify(ctx, strings.ToLower(doc.Code)) // as a reader may type it
		if err != nil {
			t.Fatal(err)
		}
		if !v.Intact || !v.SignatureValid || !v.ContentMatches || len(v.Problems) != 0 || v.Key == nil || v.Key.KeyID != doc.KeyID {
			t.Fatalf("fresh document: %+v", v)
		}
		var got decisionContent
		if err := json.Unmarshal(v.Document.Envelope.Content, &got); err != nil || got.Resolution != sampleDecision().Resolution || got.Number != 2 {
			t.Fatalf("content read back: %+v %v", got, err)
		}
		if v.Document.Envelope.Title != title || v.Document.Envelope.Kind != "decision" || v.Document.Envelope.IssuedAt != doc.Envelope.IssuedAt {
			t.Fatalf("envelope read back: %+v, published %+v", v.Document.Envelope, doc.Envelope)
		}
		// The file Verify answers verifies offline, byte for byte the same
		// verdict, with the published keys.
		file, _ := json.Marshal(v.Document)
		if r, err := signing.VerifyFile(file, keys); err != nil || !r.Intact || !r.Trusted {
			t.Fatalf("offline check of the served file: %+v %v", r, err)
		}
		// So does the one Publish returned.
		file, _ = json.Marshal(doc)
		if r, err := signing.VerifyFile(file, keys); err != nil || !r.Intact {
			t.Fatalf("offline check of the published file: %+v %v", r, err)
		}

		// Published again: a new code, the same ref.
		doc2, err := svc.Publish(ctx, sec, signing.KindDecision, "council-14/3#2", title, sampleDecision())
		if err != nil || doc2.Code == doc.Code {
			t.Fatalf("republication: %v, codes %s %s", err, doc.Code, doc2.Code)
		}
		if codes, err := svc.PublishedCodes(ctx, "decision", "council-14/3#2"); err != nil || len(codes) != 2 || codes[0] != doc.Code || codes[1] != doc2.Code {
			t.Fatalf("PublishedCodes = %v %v", codes, err)
		}
		// The publication is in the audit log.
		hist, err := svc.AuditHistory(ctx, sec, "document", doc.Code)
		if err != nil || len(hist) != 1 || hist[0].Action != "publish" || hist[0].Actor != "user:sara" {
			t.Fatalf("audit: %+v %v", hist, err)
		}

		// Unknown and malformed codes are NotFound.
		for _, code := range []string{signing.NewCode(), "hello", "", "00000-00000x"} {
			if _, err := svc.Verify(ctx, code); !domain.IsKind(err, domain.KindNotFound) {
				t.Errorf("Verify(%q): %v, want not found", code, err)
			}
		}
	})
}

func TestPublishRefuses(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		title := domain.T("مصوبه", "Decision")
		for _, a := range []service.Actor{service.Anonymous, {Name: "r", Role: service.RoleReader},
			{Name: "moh", Role: service.RoleAgency, Agency: "moh"}} {
			if _, err := svc.Publish(ctx, a, "decision", "d1", title, sampleDecision()); err == nil {
				t.Errorf("%s published", a.Role)
			}
		}
		for name, c := range map[string]struct {
			kind, ref string
			title     domain.Text
			content   any
			field     string
		}{
			"kind":     {"memo", "d1", title, sampleDecision(), "kind"},
			"ref":      {"decision", "", title, sampleDecision(), "ref"},
			"title":    {"decision", "d1", domain.Text{}, sampleDecision(), "title"},
			"fraction": {"decision", "d1", title, map[string]any{"share": 0.5}, "content"},
			"encoding": {"decision", "d1", title, make(chan int), "content"},
		} {
			_, err := svc.Publish(ctx, sec, c.kind, c.ref, c.title, c.content)
			if de, ok := domain.AsError(err); !ok || de.Kind != domain.KindInvalid || de.Field != c.field {
				t.Errorf("%s: %v, want invalid %s", name, err, c.field)
			}
		}
		// Nothing was published by the refusals.
		if codes, _ := svc.PublishedCodes(ctx, "decision", "d1"); len(codes) != 0 {
			t.Errorf("refused publications left %v", codes)
		}
	})
}

// TestVerifyTamper: rows edited behind Pishran's back are caught.
func TestVerifyTamper(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		write, _ := svc.DB().Pools()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := write.ExecContext(ctx, testkit.SQL(svc.DB(), q), args...); err != nil {
				t.Fatal(err)
			}
		}
		publish := func() *service.SignedDocument {
			t.Helper()
			doc, err := svc.Publish(ctx, sec, signing.KindMinutes, "council-14/3", domain.T("صورت‌جلسه", "Minutes"), sampleDecision())
			if err != nil {
				t.Fatal(err)
			}
			return doc
		}
		verify := func(code string) *service.Verification {
			t.Helper()
			v, err := svc.Verify(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}

		// The content edited: neither the signature nor the digest holds.
		doc := publish()
		var stored string
		if err := write.QueryRowContext(ctx, testkit.SQL(svc.DB(), "SELECT content FROM signed_documents WHERE code = ?"), doc.Code).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		exec("UPDATE signed_documents SET content = ? WHERE code = ?", strings.Replace(stored, `"number":2`, `"number":3`, 1), doc.Code)
		v := verify(doc.Code)
		if v.Intact || v.SignatureValid || v.ContentMatches || len(v.Problems) != 2 {
			t.Fatalf("edited content: %+v", v)
		}
		if !strings.Contains(string(v.Document.Envelope.Content), `"number":3`) {
			t.Errorf("the page must show what is stored now: %s", v.Document.Envelope.Content)
		}
		// The served file fails offline too.
		keys, _ := svc.PublicKeys(ctx)
		file, _ := json.Marshal(v.Document)
		if r, err := signing.VerifyFile(file, keys); err != nil || r.Intact {
			t.Fatalf("offline check of a tampered document: %+v %v", r, err)
		}

		// The content edited and the digest recomputed: the signature
		// still catches it.
		doc = publish()
		exec("UPDATE signed_documents SET title_en = 'Forged minutes' WHERE code = ?", doc.Code)
		v = verify(doc.Code)
		envelope := v.Document.Envelope
		canonical, _ := envelope.Canonical()
		exec("UPDATE signed_documents SET digest = ? WHERE code = ?", signing.Digest(canonical), doc.Code)
		v = verify(doc.Code)
		if v.Intact || v.SignatureValid || !v.ContentMatches {
			t.Fatalf("edited title, digest recomputed: %+v", v)
		}

		// Not JSON any more.
		doc = publish()
		exec("UPDATE signed_documents SET content = 'gone' WHERE code = ?", doc.Code)
		if v := verify(doc.Code); v.Intact || v.SignatureValid || string(v.Document.Envelope.Content) != `"gone"` {
			t.Fatalf("content replaced by text: %+v", v)
		}

		// A forged signature: the content changed and re-signed with
		// another key, under the real key's id.
		doc = publish()
		_, forger, _ := ed25519.GenerateKey(rand.Reader)
		exec("UPDATE signed_documents SET ref = 'council-14/4' WHERE code = ?", doc.Code)
		forged := verify(doc.Code).Document.Envelope
		canonical, _ = forged.Canonical()
		exec("UPDATE signed_documents SET signature = ?, digest = ? WHERE code = ?",
			base64.StdEncoding.EncodeToString(ed25519.Sign(forger, canonical)), signing.Digest(canonical), doc.Code)
		v = verify(doc.Code)
		if v.Intact || v.SignatureValid || !v.ContentMatches {
			t.Fatalf("forged signature: %+v", v)
		}
		// A signature that is not even base64.
		doc = publish()
		exec("UPDATE signed_documents SET signature = 'not base64!' WHERE code = ?", doc.Code)
		if v := verify(doc.Code); v.Intact || v.SignatureValid {
			t.Fatalf("garbled signature: %+v", v)
		}

		// Codes swapped between two documents: the code is signed, so
		// both stop verifying.
		a, b := publish(), publish()
		exec("UPDATE signed_documents SET code = 'SWAP' WHERE code = ?", a.Code)
		exec("UPDATE signed_documents SET code = ? WHERE code = ?", a.Code, b.Code)
		exec("UPDATE signed_documents SET code = ? WHERE code = 'SWAP'", b.Code)
		if va, vb := verify(a.Code), verify(b.Code); va.Intact || vb.Intact {
			t.Fatalf("swapped codes still verify: %+v %+v", va, vb)
		}

		// An untouched document is still intact among them.
		doc = publish()
		if v := verify(doc.Code); !v.Intact {
			t.Fatalf("untouched document: %+v", v)
		}
	})
}

// TestKeyRotation: after rotation, older documents verify with the retired
// key and new ones are signed with the new key.
func TestKeyRotation(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		title := domain.T("گزارش", "Report")

		if _, _, err := svc.RotateSigningKey(ctx, sec); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("the secretariat rotated the key: %v", err)
		}
		if _, _, err := svc.RotateSigningKey(ctx, service.Anonymous); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the public rotated the key: %v", err)
		}

		old, err := svc.Publish(ctx, sec, signing.KindReport, "report-1", title, sampleDecision())
		if err != nil {
			t.Fatal(err)
		}
		key, retired, err := svc.RotateSigningKey(ctx, service.System)
		if err != nil || retired != old.KeyID || key.KeyID == old.KeyID || key.RetiredAt != nil {
			t.Fatalf("rotate: %+v retired %q %v (old key %s)", key, retired, err, old.KeyID)
		}
		// The retired key's private half is gone.
		write, _ := svc.DB().Pools()
		var seed string
		if err := write.QueryRowContext(ctx, testkit.SQL(svc.DB(), "SELECT private_seed FROM signing_keys WHERE key_id = ?"), old.KeyID).Scan(&seed); err != nil || seed != "" {
			t.Errorf("retired key's private seed = %q, %v; want erased", seed, err)
		}

		fresh, err := svc.Publish(ctx, sec, signing.KindReport, "report-2", title, sampleDecision())
		if err != nil {
			t.Fatal(err)
		}
		if fresh.KeyID != key.KeyID || fresh.Envelope.KeyID != key.KeyID {
			t.Fatalf("new document signed with %s, want the new key %s", fresh.KeyID, key.KeyID)
		}
		v, err := svc.Verify(ctx, old.Code)
		if err != nil || !v.Intact || v.Key == nil || v.Key.KeyID != old.KeyID || v.Key.RetiredAt == nil {
			t.Fatalf("old document after rotation: %+v %v", v, err)
		}
		if v, err := svc.Verify(ctx, fresh.Code); err != nil || !v.Intact || v.Key.RetiredAt != nil {
			t.Fatalf("new document: %+v %v", v, err)
		}

		// The public keys file lists both, oldest first; both files
		// verify offline against it.
		keys, err := svc.PublicKeys(ctx)
		if err != nil || len(keys) != 2 || keys[0].KeyID != old.KeyID || keys[0].RetiredAt == nil || keys[1].KeyID != key.KeyID || keys[1].RetiredAt != nil {
			t.Fatalf("keys: %+v %v", keys, err)
		}
		for _, d := range []*service.SignedDocument{old, fresh} {
			b, _ := json.Marshal(d)
			if r, err := signing.VerifyFile(b, keys); err != nil || !r.Intact || r.Key.KeyID != d.KeyID {
				t.Errorf("offline check of %s: %+v %v", d.Code, r, err)
			}
		}
		// Rotating twice keeps one current key.
		if _, _, err := svc.RotateSigningKey(ctx, service.System); err != nil {
			t.Fatal(err)
		}
		keys, _ = svc.PublicKeys(ctx)
		current := 0
		for _, k := range keys {
			if k.RetiredAt == nil {
				current++
			}
		}
		if len(keys) != 3 || current != 1 {
			t.Fatalf("after a second rotation: %d keys, %d current", len(keys), current)
		}
		if v, err := svc.Verify(ctx, old.Code); err != nil || !v.Intact {
			t.Fatalf("oldest document after two rotations: %+v %v", v, err)
		}
		// Two current keys cannot exist, even written behind Pishran's back.
		if _, err := write.ExecContext(ctx, testkit.SQL(svc.DB(), "UPDATE signing_keys SET retired_at = NULL WHERE key_id = ?"), old.KeyID); err == nil {
			t.Error("the database let two keys be current")
		}
	})
}

// TestPublishFirstKeyRace: concurrent first publications make one key.
func TestPublishFirstKeyRace(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc := scenario.New(t, e).Svc
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		errs := make(chan error, 8)
		for i := range 8 {
			go func() {
				_, err := svc.Publish(ctx, sec, signing.KindDecision, fmt.Sprintf("d%d", i), domain.T("مصوبه", "Decision"), sampleDecision())
				errs <- err
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		if keys, _ := svc.PublicKeys(ctx); len(keys) != 1 {
			t.Errorf("concurrent first publications made %d keys, want 1", len(keys))
		}
	})
}
