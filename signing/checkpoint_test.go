package signing

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sampleCheckpoint() Checkpoint {
	return Checkpoint{Entry: 42, Hash: strings.Repeat("ab", 32), At: Stamp(time.Date(2024, 5, 1, 0, 5, 0, 0, time.UTC))}
}

// TestCheckpointSignVerify: a signed checkpoint verifies under the
// published key, and any change to it, or another key, fails.
func TestCheckpointSignVerify(t *testing.T) {
	sc, keys := signedSample(t)
	if why := VerifyCheckpoint(sc, keys); why != nil {
		t.Fatalf("a fresh checkpoint does not verify: %v", why)
	}
	for name, change := range map[string]func(c *SignedCheckpoint){
		"entry": func(c *SignedCheckpoint) { c.Entry++ },
		"hash":  func(c *SignedCheckpoint) { c.Hash = strings.Repeat("ac", 32) },
		"at":    func(c *SignedCheckpoint) { c.At = Stamp(time.Date(2024, 5, 2, 0, 5, 0, 0, time.UTC)) },
		"key":   func(c *SignedCheckpoint) { c.KeyID = "0000000000000000" },
		"signature": func(c *SignedCheckpoint) {
			b, _ := base64.StdEncoding.DecodeString(c.Signature)
			b[0] ^= 1
			c.Signature = base64.StdEncoding.EncodeToString(b)
		},
	} {
		c := *sc
		change(&c)
		if VerifyCheckpoint(&c, keys) == nil {
			t.Errorf("changing %s kept the checkpoint valid", name)
		}
	}
	// The source and id are information, not signed.
	c := *sc
	c.Source, c.ID = "daily", 7
	if why := VerifyCheckpoint(&c, keys); why != nil {
		t.Errorf("source and id are not part of the signature: %v", why)
	}
	// Another key's checkpoint is refused.
	otherPub, otherPriv := newKey(t)
	oc, _ := SignCheckpoint(otherPriv, sampleCheckpoint())
	if why := VerifyCheckpoint(oc, keys); why == nil || !strings.Contains(why.EN, "not among the published keys") {
		t.Errorf("an unpublished key's checkpoint: %v", why)
	}
	// A key published but not the one named cannot be passed off.
	oc.KeyID = keys[0].KeyID
	if VerifyCheckpoint(oc, append(keys, NewPublicKey(otherPub, time.Now(), nil))) == nil {
		t.Error("a checkpoint verified under a key that did not sign it")
	}
}

// TestCheckpointNotADocument: a checkpoint's signature cannot be passed off
// as a document's (its canonical bytes name their type and do not read as
// an envelope).
func TestCheckpointNotADocument(t *testing.T) {
	pub, priv := newKey(t)
	sc, _ := SignCheckpoint(priv, sampleCheckpoint())
	canonical, _ := CheckpointCanonical(sc.Checkpoint, sc.KeyID)
	if !bytes.Contains(canonical, []byte(`"type":"pishran-audit-checkpoint"`)) {
		t.Fatalf("canonical: %s", canonical)
	}
	file, _ := json.Marshal(map[string]any{"envelope": json.RawMessage(canonical), "signature": sc.Signature, "key_id": sc.KeyID})
	r, err := VerifyFile(file, []PublicKey{NewPublicKey(pub, time.Now(), nil)})
	if err == nil && r.Intact {
		t.Fatal("a checkpoint verified as a signed document")
	}
}

// TestEnvelopeCheckpointCompatible: an envelope without a checkpoint
// canonicalizes exactly as before checkpoints existed, so documents signed
// then still verify; one with a checkpoint covers it.
func TestEnvelopeCheckpointCompatible(t *testing.T) {
	pub, priv := newKey(t)
	e := sampleEnvelope(pub)
	canonical, err := e.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(canonical, []byte("checkpoint")) {
		t.Fatalf("an envelope without a checkpoint names one: %s", canonical)
	}
	// The envelope of a document signed before checkpoints, as its file
	// holds it (fields in the order of the old struct), still verifies.
	old := map[string]any{"code": e.Code, "kind": e.Kind, "ref": e.Ref, "title": e.Title, "issued_at": e.IssuedAt,
		"content": e.Content, "key_id": e.KeyID}
	ob, _ := json.Marshal(old)
	oc, _ := Canonicalize(ob)
	if !bytes.Equal(oc, canonical) {
		t.Fatalf("canonical form changed:\n%s\n%s", oc, canonical)
	}
	file := signedFile(t, pub, priv, e)
	if r, err := VerifyFile(file, []PublicKey{NewPublicKey(pub, time.Now(), nil)}); err != nil || !r.Intact {
		t.Fatalf("a document without a checkpoint: %v %+v", err, r)
	}

	cp := sampleCheckpoint()
	e.Checkpoint = &cp
	file = signedFile(t, pub, priv, e)
	r, err := VerifyFile(file, []PublicKey{NewPublicKey(pub, time.Now(), nil)})
	if err != nil || !r.Intact || r.Envelope.Checkpoint == nil || r.Envelope.Checkpoint.Entry != 42 {
		t.Fatalf("a document with a checkpoint: %v %+v", err, r)
	}
	bad := bytes.Replace(file, []byte(`"entry": 42`), []byte(`"entry": 41`), 1)
	if bytes.Equal(bad, file) {
		t.Fatal("the checkpoint's entry is not in the file")
	}
	if r, err := VerifyFile(bad, []PublicKey{NewPublicKey(pub, time.Now(), nil)}); err != nil || r.Intact {
		t.Fatalf("a changed checkpoint kept the document intact: %v %+v", err, r)
	}
	e.Checkpoint = &Checkpoint{Entry: 0, Hash: "x", At: "now"}
	if _, _, err := Sign(priv, &e); err == nil || !strings.Contains(err.Error(), "checkpoint") {
		t.Errorf("an invalid checkpoint was signed: %v", err)
	}
}

func TestParseCheckpoints(t *testing.T) {
	_, priv := newKey(t)
	sc, _ := SignCheckpoint(priv, sampleCheckpoint())
	arr, _ := json.Marshal([]SignedCheckpoint{*sc})
	page, _ := json.Marshal(map[string]any{"items": []SignedCheckpoint{*sc}, "next_cursor": nil})
	for _, b := range [][]byte{arr, page} {
		got, err := ParseCheckpoints(b)
		if err != nil || len(got) != 1 || got[0].Hash != sc.Hash {
			t.Errorf("%s: %v %+v", b, err, got)
		}
	}
	for _, b := range []string{`{}`, `null`, `"x"`, `{"items": 3}`} {
		if _, err := ParseCheckpoints([]byte(b)); err == nil {
			t.Errorf("%s: read as checkpoints", b)
		}
	}
}

// TestSignatureOneSpelling: a signature's text has one valid spelling. A
// lenient base64 decoder ignores the unused low bits of the character
// before the padding, so the signature with one of them set read as the
// same bytes and verified.
func TestSignatureOneSpelling(t *testing.T) {
	sc, keys := signedSample(t)
	s := sc.Signature
	respelled := respell(t, s)
	if _, ok := DecodeSignature(s); !ok {
		t.Fatal("the signature as written does not decode")
	}
	if _, ok := DecodeSignature(respelled); ok {
		t.Error("a respelled signature decoded")
	}
	c := *sc
	c.Signature = respelled
	if VerifyCheckpoint(&c, keys) == nil {
		t.Error("a checkpoint with a respelled signature verified")
	}
}

// A published key has one spelling too: the same key with an unused bit
// set is refused.
func TestPublicKeyOneSpelling(t *testing.T) {
	_, keys := signedSample(t)
	k := keys[0]
	if _, err := k.Decode(); err != nil {
		t.Fatal(err)
	}
	k.PublicKey = respell(t, k.PublicKey)
	if _, err := k.Decode(); err == nil {
		t.Error("a respelled public key decoded")
	}
}

// signedSample is sampleCheckpoint signed by a new key, with that key as
// published.
func signedSample(t *testing.T) (*SignedCheckpoint, []PublicKey) {
	t.Helper()
	pub, priv := newKey(t)
	sc, err := SignCheckpoint(priv, sampleCheckpoint())
	if err != nil {
		t.Fatal(err)
	}
	return sc, []PublicKey{NewPublicKey(pub, time.Now(), nil)}
}

// respell flips one of the unused low bits of the last character before
// the padding of padded base64 text: a lenient decoder reads the same
// bytes.
func respell(t *testing.T, s string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	last := len(strings.TrimRight(s, "=")) - 1
	out := s[:last] + string(alphabet[strings.IndexByte(alphabet, s[last])^1]) + s[last+1:]
	if b, err := base64.StdEncoding.DecodeString(out); err != nil || base64.StdEncoding.EncodeToString(b) != s {
		t.Fatalf("the respelling of %q is not the same bytes to a lenient decoder: %v", s, err)
	}
	return out
}
