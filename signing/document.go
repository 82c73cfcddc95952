package signing

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// Kinds of document Pishran publishes.
const (
	KindDecision = "decision" // a council resolution
	KindMinutes  = "minutes"  // a meeting's minutes
	KindReport   = "report"   // a public progress report
)

// Kinds lists the kinds of document that can be published.
var Kinds = []string{KindDecision, KindMinutes, KindReport}

// Envelope is what is signed: the document with what identifies it. The
// verification code is inside, so a code cannot be moved onto another
// document, and so is the key's id, so a signature cannot be passed off as
// another key's.
type Envelope struct {
	Code     string          `json:"code"`      // XXXXX-XXXXX
	Kind     string          `json:"kind"`      // decision | minutes | report
	Ref      string          `json:"ref"`       // the document's own reference, e.g. the meeting and decision number
	Title    domain.Text     `json:"title"`     // {fa, en}
	IssuedAt string          `json:"issued_at"` // RFC 3339, UTC, to the second
	Content  json.RawMessage `json:"content"`   // the document itself, as JSON
	KeyID    string          `json:"key_id"`    // the signing key
	// Checkpoint is the audit chain's head when the document was signed:
	// every document anchors the log (see Checkpoint). Documents signed
	// before checkpoints existed have none, and their canonical form is as
	// it was.
	Checkpoint *Checkpoint `json:"checkpoint,omitempty"`
}

// TimeLayout is how issued_at is written.
const TimeLayout = time.RFC3339

// Stamp writes an instant the way an envelope carries it.
func Stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(TimeLayout) }

// Validate checks the envelope's fields, each in both languages' terms.
func (e *Envelope) Validate() error {
	if c, err := ParseCode(e.Code); err != nil || c != e.Code {
		return domain.Invalid("code", "کد تصدیق نامعتبر است", "invalid verification code")
	}
	if !slices.Contains(Kinds, e.Kind) {
		return domain.Invalid("kind", "نوع سند باید decision، minutes یا report باشد", "the document kind must be decision, minutes or report")
	}
	if !validLine(e.Ref, 200) || e.Ref == "" {
		return domain.Invalid("ref", "شناسه سند لازم است (حداکثر ۲۰۰ نویسه، بی نویسه کنترلی)", "the document reference is required (at most 200 characters, no control characters)")
	}
	if e.Title.IsZero() || !validLine(e.Title.FA, 500) || !validLine(e.Title.EN, 500) {
		return domain.Invalid("title", "عنوان سند لازم است (حداکثر ۵۰۰ نویسه به هر زبان)", "the document title is required (at most 500 characters in each language)")
	}
	if t, err := time.Parse(TimeLayout, e.IssuedAt); err != nil || Stamp(t) != e.IssuedAt {
		return domain.Invalid("issued_at", "زمان صدور باید RFC 3339 به وقت جهانی و تا ثانیه باشد", "issued_at must be RFC 3339 in UTC, to the second")
	}
	if len(bytes.TrimSpace(e.Content)) == 0 || !json.Valid(e.Content) {
		return domain.Invalid("content", "محتوای سند باید JSON باشد", "the document content must be JSON")
	}
	if !validLine(e.KeyID, 64) || e.KeyID == "" {
		return domain.Invalid("key_id", "شناسه کلید لازم است", "the key id is required")
	}
	if e.Checkpoint != nil {
		if err := e.Checkpoint.Validate(); err != nil {
			d, _ := domain.AsError(err)
			return domain.Invalid("checkpoint."+d.Field, d.Message.FA, d.Message.EN)
		}
	}
	return nil
}

func validLine(s string, max int) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// Canonical returns the envelope's canonical bytes: what is signed.
func (e *Envelope) Canonical() ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return Canonicalize(b)
}

// Digest is the hex SHA-256 of canonical bytes.
func Digest(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return hex.EncodeToString(sum[:])
}

// Sign signs the envelope with priv, whose id must be the envelope's key_id.
// It returns the signature and the canonical bytes it covers.
func Sign(priv ed25519.PrivateKey, e *Envelope) (sig, canonical []byte, err error) {
	if err := e.Validate(); err != nil {
		return nil, nil, err
	}
	if id := KeyID(priv.Public().(ed25519.PublicKey)); id != e.KeyID {
		return nil, nil, fmt.Errorf("signing: the envelope names key %s but the key is %s", e.KeyID, id)
	}
	canonical, err = e.Canonical()
	if err != nil {
		return nil, nil, err
	}
	return ed25519.Sign(priv, canonical), canonical, nil
}

// Verify reports whether sig is pub's signature over the envelope's
// canonical form.
func Verify(pub ed25519.PublicKey, e *Envelope, sig []byte) bool {
	canonical, err := e.Canonical()
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return ed25519.Verify(pub, canonical, sig)
}

// KeyID names a public key: the first 16 hex digits of its SHA-256. Being
// derived from the key, it cannot be reused for another one.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:8])
}

// ---- the signed-document file ----

// File is the signed-document file: what GET /verify/{code} answers as
// JSON and what `pishran verify FILE` checks offline. The public key is
// given for convenience; trust comes from finding it, under the same id, in
// the operator's published keys.
type File struct {
	Envelope  Envelope `json:"envelope"`
	Signature string   `json:"signature"`  // base64 (standard, padded) Ed25519 signature over the canonical envelope
	KeyID     string   `json:"key_id"`     // the same as envelope.key_id
	PublicKey string   `json:"public_key"` // base64 of the 32-byte Ed25519 public key
}

// Result is the outcome of checking a signed-document file.
type Result struct {
	Envelope Envelope
	KeyID    string
	// Intact is true when the signature holds over the file's envelope
	// under the key, and the key is the operator's (or, with no published
	// keys given, the file's own — see Trusted).
	Intact bool
	// Trusted is true when the key was found among the published keys;
	// false when only the key embedded in the file was available.
	Trusted bool
	// Key is the published key that checked the signature, when found.
	Key *PublicKey
	// Reason says, in both languages, why the file is not intact.
	Reason domain.Text
}

// VerifyFile checks a signed-document file offline. keys are the
// operator's published public keys; with none, the key embedded in the
// file is used and the result is not Trusted. A file that cannot be read
// at all (not JSON, wrong shape) is an error; one that reads but does not
// verify is a Result that is not Intact.
func VerifyFile(data []byte, keys []PublicKey) (*Result, error) {
	var f struct {
		Envelope  json.RawMessage `json:"envelope"`
		Signature string          `json:"signature"`
		KeyID     string          `json:"key_id"`
		PublicKey string          `json:"public_key"`
	}
	if err := strictDecode(data, &f); err != nil {
		return nil, fmt.Errorf("not a signed-document file: %w", err)
	}
	if len(f.Envelope) == 0 {
		return nil, errors.New("not a signed-document file: no envelope")
	}
	// The signature covers the canonical form of the envelope exactly as
	// the file holds it, read strictly: nothing a lenient decoder would
	// quietly repair can slip through.
	canonical, err := Canonicalize(f.Envelope)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	r := &Result{}
	if err := strictDecode(f.Envelope, &r.Envelope); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	r.KeyID = r.Envelope.KeyID
	notIntact := func(fa, en string) (*Result, error) {
		r.Reason = domain.T(fa, en)
		return r, nil
	}
	if err := r.Envelope.Validate(); err != nil {
		e, _ := domain.AsError(err)
		return notIntact("پوشه سند نامعتبر است: "+e.Message.FA, "the envelope is invalid: "+e.Message.EN)
	}
	if f.KeyID != "" && f.KeyID != r.Envelope.KeyID {
		return notIntact("شناسه کلید پرونده با شناسه کلید امضاشده یکی نیست", "the file's key_id differs from the signed one")
	}
	sig, ok := DecodeSignature(f.Signature)
	if !ok {
		return notIntact("امضا خوانا نیست", "the signature is not a base64 Ed25519 signature")
	}
	var pub ed25519.PublicKey
	if f.PublicKey != "" {
		b, ok := DecodeExact(f.PublicKey, ed25519.PublicKeySize)
		if !ok {
			return notIntact("کلید عمومی پرونده خوانا نیست", "the file's public key is not a base64 Ed25519 key")
		}
		pub = b
	}
	if keys != nil {
		for i := range keys {
			if keys[i].KeyID == r.KeyID {
				r.Key = &keys[i]
			}
		}
		if r.Key == nil {
			return notIntact("کلید امضاکننده ("+r.KeyID+") در کلیدهای منتشرشده نیست", "the signing key ("+r.KeyID+") is not among the published keys")
		}
		published, err := r.Key.Decode()
		if err != nil {
			return nil, err
		}
		if pub != nil && !pub.Equal(published) {
			return notIntact("کلید عمومی پرونده با کلید منتشرشده یکی نیست", "the file's public key differs from the published one")
		}
		pub, r.Trusted = published, true
	} else {
		if pub == nil {
			return nil, errors.New("the file carries no public key and no published keys were given")
		}
		if KeyID(pub) != r.KeyID {
			return notIntact("کلید عمومی پرونده با شناسه کلید نمی‌خواند", "the file's public key does not match its key id")
		}
	}
	if !ed25519.Verify(pub, canonical, sig) {
		return notIntact("امضا با محتوای سند نمی‌خواند: سند پس از امضا تغییر کرده یا امضا جعلی است",
			"the signature does not match the document: it was changed after signing, or the signature is forged")
	}
	r.Intact = true
	return r, nil
}

// strictDecode decodes one JSON value into v, refusing unknown fields and
// trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// ---- published keys ----

// PublicKey is one entry of the public keys file the operator publishes
// (GET /api/v1/signing/keys, `pishran keys export`). Retired keys stay in
// the file: documents they signed still verify.
type PublicKey struct {
	KeyID     string     `json:"key_id"`
	PublicKey string     `json:"public_key"` // base64 (standard, padded) of the 32-byte Ed25519 key
	CreatedAt time.Time  `json:"created_at"`
	RetiredAt *time.Time `json:"retired_at"` // null for the current key
}

// NewPublicKey describes pub.
func NewPublicKey(pub ed25519.PublicKey, created time.Time, retired *time.Time) PublicKey {
	k := PublicKey{KeyID: KeyID(pub), PublicKey: base64.StdEncoding.EncodeToString(pub), CreatedAt: created.UTC()}
	if retired != nil {
		r := retired.UTC()
		k.RetiredAt = &r
	}
	return k
}

// Decode returns the key, checking that its id is its own.
func (k PublicKey) Decode() (ed25519.PublicKey, error) {
	b, ok := DecodeExact(k.PublicKey, ed25519.PublicKeySize)
	if !ok {
		return nil, fmt.Errorf("key %s: public_key is not a base64 Ed25519 public key", k.KeyID)
	}
	if KeyID(b) != k.KeyID {
		return nil, fmt.Errorf("key %s: key_id does not match its public key (expected %s)", k.KeyID, KeyID(b))
	}
	return b, nil
}

// ParseKeys reads a public keys file: a JSON array of PublicKey.
func ParseKeys(data []byte) ([]PublicKey, error) {
	var keys []PublicKey
	if err := strictDecode(data, &keys); err != nil {
		return nil, fmt.Errorf("not a public keys file: %w", err)
	}
	if keys == nil {
		return nil, errors.New("not a public keys file: expected a JSON array of keys")
	}
	for _, k := range keys {
		if _, err := k.Decode(); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// DecodeSignature reads an Ed25519 signature as Pishran writes it (padded
// standard base64), strictly (DecodeExact).
func DecodeSignature(s string) ([]byte, bool) { return DecodeExact(s, ed25519.SignatureSize) }

// DecodeExact reads size bytes written as padded standard base64, strictly:
// a lenient decoder ignores the last character's unused bits, so four
// spellings of one signature or key would read as the same bytes, and a
// published document or key file would have more than one valid form.
// Every signature and public key in this package is read through it.
func DecodeExact(s string, size int) ([]byte, bool) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	return b, err == nil && len(b) == size
}
