package signing

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/pishran/pishran/domain"
)

// A checkpoint anchors the audit log: it says "the log's entry N had hash
// H at time T", signed with the instance's key. The log's hash chain alone
// shows an entry edited in place, but not a history rewritten with every
// hash after it recomputed, nor its newest entries cut off: a checkpoint
// kept outside the log, and published, shows both. Pishran takes one every
// day and one inside every document it signs (Envelope.Checkpoint).

// Checkpoint is the audit chain's head at a moment.
type Checkpoint struct {
	Entry int64  `json:"entry"` // the audit entry's number
	Hash  string `json:"hash"`  // that entry's hash: 64 lower-case hex digits
	At    string `json:"at"`    // when it was taken: RFC 3339, UTC, to the second
}

// Validate checks the checkpoint's fields.
func (c *Checkpoint) Validate() error {
	if c.Entry < 1 || c.Entry > MaxSafeInteger {
		return domain.Invalid("entry", "شماره مدخل نقطه وارسی نامعتبر است", "the checkpoint's entry number is invalid")
	}
	if !isHexDigest(c.Hash) {
		return domain.Invalid("hash", "چکیده نقطه وارسی باید ۶۴ رقم شانزده‌شانزدهی باشد", "the checkpoint's hash must be 64 lower-case hex digits")
	}
	if t, err := time.Parse(TimeLayout, c.At); err != nil || Stamp(t) != c.At {
		return domain.Invalid("at", "زمان نقطه وارسی باید RFC 3339 به وقت جهانی و تا ثانیه باشد", "the checkpoint's time must be RFC 3339 in UTC, to the second")
	}
	return nil
}

// Time is when the checkpoint was taken (the zero time if At is invalid).
func (c *Checkpoint) Time() time.Time {
	t, _ := time.Parse(TimeLayout, c.At)
	return t
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// SignedCheckpoint is a checkpoint on its own, as GET
// /api/v1/audit/checkpoints and the open data list it: the checkpoint, the
// key that signed it and the signature. Source says why it was taken
// ("daily", "manual", or "document" with the document's code); it is
// information, not signed.
type SignedCheckpoint struct {
	ID int64 `json:"id"`
	Checkpoint
	Source    string `json:"source"`
	Document  string `json:"document,omitempty"` // the verification code, for a document's checkpoint
	KeyID     string `json:"key_id"`
	Signature string `json:"signature"` // base64 (standard, padded) Ed25519 signature over CheckpointCanonical
}

// checkpointType separates what a checkpoint signature covers from what a
// document signature covers: the same key signs both.
const checkpointType = "pishran-audit-checkpoint"

// CheckpointCanonical returns the canonical bytes a checkpoint's signature
// covers: the checkpoint, the signing key's id and a type name, as RFC 8785
// JSON.
func CheckpointCanonical(c Checkpoint, keyID string) ([]byte, error) {
	b, err := json.Marshal(map[string]any{"type": checkpointType, "entry": c.Entry, "hash": c.Hash, "at": c.At, "key_id": keyID})
	if err != nil {
		return nil, err
	}
	return Canonicalize(b)
}

// SignCheckpoint signs c with priv and returns it with its signature.
func SignCheckpoint(priv ed25519.PrivateKey, c Checkpoint) (*SignedCheckpoint, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	id := KeyID(priv.Public().(ed25519.PublicKey))
	canonical, err := CheckpointCanonical(c, id)
	if err != nil {
		return nil, err
	}
	return &SignedCheckpoint{Checkpoint: c, KeyID: id, Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(priv, canonical))}, nil
}

// VerifyCheckpoint checks a signed checkpoint against the published keys.
// It returns nil when the signature holds under the key it names, found
// among keys; otherwise why not, in both languages.
func VerifyCheckpoint(c *SignedCheckpoint, keys []PublicKey) *domain.Text {
	bad := func(fa, en string) *domain.Text { t := domain.T(fa, en); return &t }
	if err := c.Validate(); err != nil {
		e, _ := domain.AsError(err)
		return bad("نقطه وارسی نامعتبر است: "+e.Message.FA, "the checkpoint is invalid: "+e.Message.EN)
	}
	var key *PublicKey
	for i := range keys {
		if keys[i].KeyID == c.KeyID {
			key = &keys[i]
		}
	}
	if key == nil {
		return bad("کلید امضاکننده نقطه وارسی ("+c.KeyID+") در کلیدهای منتشرشده نیست",
			"the checkpoint's signing key ("+c.KeyID+") is not among the published keys")
	}
	pub, err := key.Decode()
	if err != nil {
		return bad("کلید منتشرشده "+c.KeyID+" خوانا نیست", fmt.Sprintf("published key %s is unreadable: %v", c.KeyID, err))
	}
	sig, ok := DecodeSignature(c.Signature)
	canonical, cerr := CheckpointCanonical(c.Checkpoint, c.KeyID)
	if !ok || cerr != nil || !ed25519.Verify(pub, canonical, sig) {
		return bad("امضای نقطه وارسی با آن نمی‌خواند: نقطه وارسی تغییر کرده یا امضا جعلی است",
			"the checkpoint's signature does not match it: the checkpoint was changed, or the signature is forged")
	}
	return nil
}

// ParseCheckpoints reads a checkpoints file: a JSON array of
// SignedCheckpoint, or the API's answer ({"items": [...]}).
func ParseCheckpoints(data []byte) ([]SignedCheckpoint, error) {
	var list []SignedCheckpoint
	if err := json.Unmarshal(data, &list); err != nil {
		var page struct {
			Items []SignedCheckpoint `json:"items"`
		}
		if err2 := json.Unmarshal(data, &page); err2 != nil || page.Items == nil {
			return nil, fmt.Errorf("not a checkpoints file: %w", err)
		}
		list = page.Items
	}
	if list == nil {
		return nil, fmt.Errorf("not a checkpoints file: expected a JSON array of checkpoints")
	}
	return list, nil
}
