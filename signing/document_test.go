package signing

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
)

func newKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func sampleEnvelope(pub ed25519.PublicKey) Envelope {
	return Envelope{
		Code: NewCode(), Kind: KindDecision, Ref: "council-14/3-2",
		Title:    domain.T("مصوبه نسخه الکترونیک", "Electronic prescription resolution"),
		IssuedAt: Stamp(time.Date(2024, 5, 1, 10, 30, 0, 0, time.UTC)),
		Content:  json.RawMessage(`{"resolution":{"fa":"سامانه تا پایان سال سراسری شود","en":"Roll out nationwide by year end"},"votes":12,"unanimous":true,"due":"2025-03-20"}`),
		KeyID:    KeyID(pub),
	}
}

func signedFile(t *testing.T, pub ed25519.PublicKey, priv ed25519.PrivateKey, e Envelope) []byte {
	t.Helper()
	sig, _, err := Sign(priv, &e)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(File{Envelope: e, Signature: base64.StdEncoding.EncodeToString(sig), KeyID: e.KeyID,
		PublicKey: base64.StdEncoding.EncodeToString(pub)}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSignVerify(t *testing.T) {
	pub, priv := newKey(t)
	e := sampleEnvelope(pub)
	sig, canonical, err := Sign(priv, &e)
	if err != nil {
		t.Fatal(err)
	}
	if !Verify(pub, &e, sig) {
		t.Fatal("a fresh signature does not verify")
	}
	if !bytes.Contains(canonical, []byte(`"content":{"due":"2025-03-20","resolution":{"en":`)) {
		t.Errorf("canonical bytes are not sorted: %s", canonical)
	}
	// Any change to any field breaks it.
	for name, change := range map[string]func(e *Envelope){
		"code":      func(e *Envelope) { e.Code = NewCode() },
		"kind":      func(e *Envelope) { e.Kind = KindMinutes },
		"ref":       func(e *Envelope) { e.Ref += "x" },
		"title":     func(e *Envelope) { e.Title.FA = "مصوبه دیگر" },
		"issued_at": func(e *Envelope) { e.IssuedAt = Stamp(time.Date(2024, 5, 1, 10, 30, 1, 0, time.UTC)) },
		"content":   func(e *Envelope) { e.Content = json.RawMessage(strings.Replace(string(e.Content), "12", "13", 1)) },
		"key_id":    func(e *Envelope) { e.KeyID = "0000000000000000" },
	} {
		c := e
		change(&c)
		if Verify(pub, &c, sig) {
			t.Errorf("changing %s kept the signature valid", name)
		}
	}
	// The content's key order and whitespace do not matter.
	c := e
	c.Content = json.RawMessage(`{ "unanimous": true, "due": "2025-03-20", "votes": 12e0,
		"resolution": {"en": "Roll out nationwide by year end", "fa": "سامانه تا پایان سال سراسری شود"} }`)
	if !Verify(pub, &c, sig) {
		t.Error("reordering and re-spacing the content broke the signature")
	}
}

func TestSignRefusesOtherKeyAndBadEnvelope(t *testing.T) {
	pub, _ := newKey(t)
	_, other := newKey(t)
	e := sampleEnvelope(pub)
	if _, _, err := Sign(other, &e); err == nil {
		t.Error("signed with a key that is not the envelope's key_id")
	}
	bad := e
	bad.Kind = "memo"
	if _, _, err := Sign(other, &bad); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("kind memo: err = %v, want invalid", err)
	}
	bad = e
	bad.Content = json.RawMessage(`{"amount": 1.5}`)
	_, priv := newKey(t)
	bad.KeyID = KeyID(priv.Public().(ed25519.PublicKey))
	if _, _, err := Sign(priv, &bad); err == nil || !strings.Contains(err.Error(), "integers") {
		t.Errorf("a fractional number: err = %v, want the integer rule", err)
	}
}

func TestVerifyFile(t *testing.T) {
	pub, priv := newKey(t)
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	keys := []PublicKey{NewPublicKey(pub, created, nil)}
	e := sampleEnvelope(pub)
	file := signedFile(t, pub, priv, e)

	r, err := VerifyFile(file, keys)
	if err != nil || !r.Intact || !r.Trusted || r.KeyID != KeyID(pub) || r.Envelope.Code != e.Code {
		t.Fatalf("VerifyFile = %+v, %v; want intact and trusted", r, err)
	}
	// Without published keys it checks against the file's own key, untrusted.
	if r, err := VerifyFile(file, nil); err != nil || !r.Intact || r.Trusted {
		t.Fatalf("VerifyFile without keys = %+v, %v; want intact, untrusted", r, err)
	}

	// Any byte of the content changed: not intact.
	i := bytes.Index(file, []byte("nationwide"))
	for _, at := range []int{i, i + 3, bytes.Index(file, []byte(`"votes": 12`)) + len(`"votes": 1`)} {
		bad := bytes.Clone(file)
		bad[at]++
		r, err := VerifyFile(bad, keys)
		if err != nil || r.Intact {
			t.Errorf("byte %d flipped: %+v, %v; want not intact", at, r, err)
		}
		if r != nil && !strings.Contains(r.Reason.EN, "changed after signing") {
			t.Errorf("reason = %q", r.Reason.EN)
		}
	}

	// Re-indented: still intact (the canonical form is what is signed).
	var v any
	json.Unmarshal(file, &v)
	compact, _ := json.Marshal(v)
	if r, err := VerifyFile(compact, keys); err != nil || !r.Intact {
		t.Errorf("re-encoded file: %+v, %v; want intact", r, err)
	}

	// Forged: the content changed and re-signed with another key under the
	// same key id; with the published keys it is caught, whatever key the
	// file embeds.
	fpub, fpriv := newKey(t)
	forged := e
	forged.Content = json.RawMessage(`{"resolution":{"fa":"لغو شد","en":"Cancelled"}}`)
	canonical, _ := forged.Canonical()
	fsig := ed25519.Sign(fpriv, canonical)
	for _, embedded := range []ed25519.PublicKey{pub, fpub} {
		b, _ := json.Marshal(File{Envelope: forged, Signature: base64.StdEncoding.EncodeToString(fsig), KeyID: forged.KeyID,
			PublicKey: base64.StdEncoding.EncodeToString(embedded)})
		if r, err := VerifyFile(b, keys); err != nil || r.Intact {
			t.Errorf("forged signature (embedded key %s): %+v, %v; want not intact", KeyID(embedded), r, err)
		}
		if r, err := VerifyFile(b, nil); err != nil || r.Intact {
			t.Errorf("forged signature without keys (embedded key %s): %+v, %v; want not intact", KeyID(embedded), r, err)
		}
	}
	// Signed honestly by another key: intact only under its own key, and not
	// among the published keys.
	other := sampleEnvelope(fpub)
	ofile := signedFile(t, fpub, fpriv, other)
	if r, err := VerifyFile(ofile, keys); err != nil || r.Intact || !strings.Contains(r.Reason.EN, "not among the published keys") {
		t.Errorf("another key's file: %+v, %v; want not intact, unknown key", r, err)
	}

	// Not a file at all: an error, not a verdict.
	for _, junk := range [][]byte{[]byte("hello"), []byte(`{"envelope":{}, "extra":1}`), file[:len(file)/2], []byte(`{}`)} {
		if _, err := VerifyFile(junk, keys); err == nil {
			t.Errorf("junk %q read as a file", junk)
		}
	}
}

func TestKeysFile(t *testing.T) {
	pub1, _ := newKey(t)
	pub2, _ := newKey(t)
	t1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	b, _ := json.Marshal([]PublicKey{NewPublicKey(pub1, t1, &t2), NewPublicKey(pub2, t2, nil)})
	keys, err := ParseKeys(b)
	if err != nil || len(keys) != 2 || keys[0].RetiredAt == nil || !keys[0].RetiredAt.Equal(t2) || keys[1].RetiredAt != nil {
		t.Fatalf("ParseKeys = %+v, %v", keys, err)
	}
	if !strings.Contains(string(b), `"retired_at":null`) {
		t.Errorf("the current key should say retired_at null: %s", b)
	}
	// A key whose id is not its own is refused.
	wrong := NewPublicKey(pub1, t1, nil)
	wrong.KeyID = KeyID(pub2)
	b, _ = json.Marshal([]PublicKey{wrong})
	if _, err := ParseKeys(b); err == nil {
		t.Error("a key with another key's id was accepted")
	}
	for _, junk := range []string{`{}`, `null`, `[{"key_id":"x","public_key":"!!"}]`} {
		if _, err := ParseKeys([]byte(junk)); err == nil {
			t.Errorf("ParseKeys(%s) accepted", junk)
		}
	}
}
