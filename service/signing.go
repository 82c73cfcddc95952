package service

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// SignedDocument is a published document: its verification code and the
// signed-document file (package signing) anyone can check offline. Its JSON
// is the file.
type SignedDocument struct {
	Code string `json:"-"` // XXXXX-XXXXX, also in the envelope
	signing.File
	PublishedBy string `json:"-"`
}

// VerifyPath is where a document's verification page is served.
func VerifyPath(code string) string { return "/verify/" + code }

// maxDocument bounds a published document's canonical content.
const maxDocument = 1 << 20

// Publish signs a document and stores it under a fresh verification code.
// kind is decision, minutes or report; ref is the document's own reference
// (a meeting and decision number, a report id); content is the document as
// the public may read it — JSON-encodable, with integers only (see
// signing.Canonicalize). Publishing is the secretariat's.
//
// A document is published once and never edited: a correction is published
// anew, under a new code, with the same kind and ref.
func (s *Service) Publish(ctx context.Context, a Actor, kind, ref string, title domain.Text, content any) (doc *SignedDocument, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	// The first key is made in a transaction of its own, so a publication
	// never races another to create it.
	if err := s.ensureSigningKey(ctx, a); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		doc, err = s.publishTx(tx, a, kind, ref, title, content)
		return err
	})
	return doc, err
}

// publishTx is Publish inside a transaction the caller already runs (the
// meeting that closes with its minutes, the report that is accepted): the
// document lands if and only if the caller's write does. The caller has
// checked who may publish.
func (s *Service) publishTx(tx *store.Tx, a Actor, kind, ref string, title domain.Text, content any) (*SignedDocument, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, domain.Invalid("content", "محتوای سند به JSON درنمی‌آید", "the document content cannot be encoded as JSON")
	}
	canonContent, err := signing.Canonicalize(raw)
	if err != nil {
		return nil, domain.Invalid("content", "محتوای سند در قاعده JSON متعارف نمی‌گنجد: "+err.Error(),
			"the document content does not fit canonical JSON: "+err.Error())
	}
	if len(canonContent) > maxDocument {
		return nil, domain.Invalid("content", "محتوای سند بیش از یک مگابایت است", "the document content is larger than 1 MiB")
	}
	env := signing.Envelope{Code: signing.NewCode(), Kind: kind, Ref: ref, Title: title, IssuedAt: signing.Stamp(tx.Now()),
		Content: canonContent, KeyID: "pending"}
	if err := env.Validate(); err != nil { // before any key or code is drawn
		return nil, err
	}
	key, err := tx.CurrentSigningKey()
	if err != nil {
		return nil, err
	}
	if key == nil {
		if key, err = newSigningKey(tx); err != nil {
			return nil, err
		}
	}
	code, err := freshCode(tx)
	if err != nil {
		return nil, err
	}
	env.Code, env.KeyID = code, key.KeyID
	// The document carries the audit chain's head as this transaction
	// sees it (the act that publishes it included): whoever holds the
	// document holds a signed anchor of the log. The same checkpoint is
	// kept, signed on its own, with the others.
	cp, err := takeCheckpoint(tx, CheckpointDocument, code)
	if err != nil {
		return nil, err
	}
	if cp != nil {
		env.Checkpoint = &cp.Checkpoint
	}
	sig, canonical, err := signing.Sign(key.Private, &env)
	if err != nil {
		return nil, err
	}
	row := &store.SignedDocument{Code: code, Kind: kind, Ref: ref, Title: title, IssuedAt: tx.Now().Truncate(time.Second),
		Content: string(canonContent), KeyID: key.KeyID, Signature: base64.StdEncoding.EncodeToString(sig),
		Digest: signing.Digest(canonical), PublishedBy: a.Name, Checkpoint: env.Checkpoint}
	if err := tx.InsertSignedDocument(row); err != nil {
		return nil, err
	}
	if err := tx.Audit("publish", "document", code, nil, map[string]string{
		"kind": kind, "ref": ref, "key_id": key.KeyID, "digest": row.Digest,
	}); err != nil {
		return nil, err
	}
	return &SignedDocument{Code: code, PublishedBy: a.Name, File: signing.File{Envelope: env, Signature: row.Signature,
		KeyID: key.KeyID, PublicKey: base64.StdEncoding.EncodeToString(key.Public)}}, nil
}

// freshCode draws verification codes until one is free. With 45 random
// bits a second draw is already rare; the column's UNIQUE constraint is the
// last guard.
func freshCode(tx *store.Tx) (string, error) {
	for range 8 {
		code := signing.NewCode()
		taken, err := tx.SignedDocumentExists(code)
		if err != nil {
			return "", err
		}
		if !taken {
			return code, nil
		}
	}
	return "", domain.Conflict("code", "کد تصدیق آزادی پیدا نشد؛ دوباره بکوشید", "no free verification code was found; try again")
}

// newSigningKey makes a key pair and stores it as the current key.
func newSigningKey(tx *store.Tx) (*store.SigningKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	id := signing.KeyID(pub)
	// The entry comes first, so the transaction takes the audit chain's
	// lock before the key row's; its after is the key as the store will
	// read it back (times to the microsecond).
	if err := tx.Audit("create", "signing_key", id, nil, signing.NewPublicKey(pub, storedTime(tx.Now()), nil)); err != nil {
		return nil, err
	}
	if err := tx.InsertSigningKey(id, priv); err != nil {
		return nil, err
	}
	return &store.SigningKey{KeyID: id, Public: pub, Private: priv, CreatedAt: tx.Now()}, nil
}

// ensureSigningKey makes the first key when there is none.
func (s *Service) ensureSigningKey(ctx context.Context, a Actor) error {
	var have bool
	if err := s.db.View(ctx, func(tx *store.Tx) error {
		k, err := tx.CurrentSigningKey()
		have = k != nil
		return err
	}); err != nil || have {
		return err
	}
	err := s.update(ctx, a, func(tx *store.Tx) error {
		if k, err := tx.CurrentSigningKey(); err != nil || k != nil {
			return err
		}
		_, err := newSigningKey(tx)
		return err
	})
	if domain.IsKind(err, domain.KindConflict) {
		return nil // another instance made it first
	}
	return err
}

// RotateSigningKey makes a new current key and retires the old one, whose
// private half is erased; documents it signed still verify with its public
// half. It returns the new key and the retired key's id ("" when there was
// none). Rotation is an admin's.
func (s *Service) RotateSigningKey(ctx context.Context, a Actor) (key signing.PublicKey, retired string, err error) {
	if a.Role != RoleAdmin {
		if a.Role == RoleAnonymous {
			return key, "", domain.Unauthorized()
		}
		return key, "", domain.Forbidden("چرخش کلید امضا با مدیر است", "only an admin may rotate the signing key")
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return key, "", err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		key = signing.NewPublicKey(pub, storedTime(tx.Now()), nil)
		old, err := tx.CurrentSigningKey()
		if err != nil {
			return err
		}
		var before any
		if old != nil {
			retired = old.KeyID
			before = map[string]string{"retired": old.KeyID}
		}
		// The audit entry is written first, so this transaction takes the
		// audit chain's lock before any key row's, as a publication inside
		// another write does.
		if err := tx.Audit("rotate", "signing_key", key.KeyID, before, key); err != nil {
			return err
		}
		if _, err := tx.RetireSigningKey(); err != nil {
			return err
		}
		if old != nil {
			if err := auditState(tx, "retire", "signing_key", old.KeyID, nil); err != nil {
				return err
			}
		}
		return tx.InsertSigningKey(key.KeyID, priv)
	})
	return key, retired, err
}

// PublicKeys returns the public keys file: every key, current and retired,
// oldest first. It is public: it is what lets anyone verify.
func (s *Service) PublicKeys(ctx context.Context) ([]signing.PublicKey, error) {
	out := []signing.PublicKey{}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		ks, err := tx.SigningKeys()
		for _, k := range ks {
			out = append(out, signing.NewPublicKey(k.Public, k.CreatedAt, k.RetiredAt))
		}
		return err
	})
	return out, err
}

// Verification is what Verify finds about a published document.
type Verification struct {
	// Document is the document as stored now, as a signed-document file:
	// checked offline, it reaches the same verdict.
	Document *SignedDocument
	// SignatureValid: the signature holds, under the key it names, over
	// the envelope rebuilt from the stored row.
	SignatureValid bool
	// ContentMatches: the stored row still hashes to the digest recorded
	// when it was published.
	ContentMatches bool
	// Intact is both.
	Intact bool
	// Key is the key that signed it (nil when the database no longer knows
	// it); its RetiredAt says whether it has been rotated out since.
	Key *signing.PublicKey
	// Problems says, in both languages, what does not hold.
	Problems []domain.Text
	// About says what the document is and who issued it.
	About *DocumentAbout
}

// Verify finds the document published under a verification code (as a
// person typed it) and checks it. An unknown or malformed code is NotFound.
// It is public: a code is what a document's reader holds.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	code, err := signing.ParseCode(code)
	if err != nil {
		return nil, domain.NotFound("code", "signed document")
	}
	var (
		row   *store.SignedDocument
		key   *store.SigningKey
		about *DocumentAbout
	)
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if row, err = tx.SignedDocument(code); err != nil {
			return err
		}
		if key, err = tx.SigningKey(row.KeyID); err != nil {
			return err
		}
		about, err = aboutDocument(tx, row)
		return err
	})
	if err != nil {
		return nil, err
	}
	v := verifyRow(row, key)
	v.About = about
	if !v.Intact {
		s.log.Warn("signed document not intact", "code", code, "signature_valid", v.SignatureValid,
			"content_matches", v.ContentMatches, "problems", len(v.Problems))
	}
	return v, nil
}

// verifyRow checks a stored document against its digest and its signature
// under key (nil: the key is not in the database).
func verifyRow(row *store.SignedDocument, key *store.SigningKey) *Verification {
	v := &Verification{}
	problem := func(fa, en string) { v.Problems = append(v.Problems, domain.T(fa, en)) }

	content := json.RawMessage(row.Content)
	if !json.Valid(content) {
		// Shown as the text it has become; it can no longer verify.
		b, _ := json.Marshal(row.Content)
		content = b
		problem("محتوای ذخیره‌شده دیگر JSON نیست", "the stored content is no longer JSON")
	}
	env := signing.Envelope{Code: row.Code, Kind: row.Kind, Ref: row.Ref, Title: row.Title,
		IssuedAt: signing.Stamp(row.IssuedAt), Content: content, KeyID: row.KeyID, Checkpoint: row.Checkpoint}
	file := signing.File{Envelope: env, Signature: row.Signature, KeyID: row.KeyID}
	if key != nil {
		pk := signing.NewPublicKey(key.Public, key.CreatedAt, key.RetiredAt)
		v.Key = &pk
		file.PublicKey = pk.PublicKey
	}
	v.Document = &SignedDocument{Code: row.Code, File: file, PublishedBy: row.PublishedBy}

	canonical, cerr := env.Canonical()
	if cerr == nil {
		v.ContentMatches = signing.Digest(canonical) == row.Digest
	}
	if !v.ContentMatches {
		problem("رکورد ذخیره‌شده با چکیده زمان انتشار نمی‌خواند: پس از انتشار تغییر کرده است",
			"the stored record does not match the digest taken when it was published: it was changed after publication")
	}
	sig, sigOK := signing.DecodeSignature(row.Signature)
	switch {
	case key == nil:
		problem("کلید امضاکننده ("+row.KeyID+") در سامانه نیست", "the signing key ("+row.KeyID+") is not in the system")
	case cerr != nil || !sigOK || !ed25519.Verify(key.Public, canonical, sig):
		problem("امضا با سند نمی‌خواند: سند یا امضای آن تغییر کرده است",
			"the signature does not match the document: the document or its signature was changed")
	default:
		v.SignatureValid = true
	}
	v.Intact = v.SignatureValid && v.ContentMatches
	return v
}

// PublishedCodes lists the verification codes a record has been published
// under (kind and ref, as given to Publish), oldest first.
func (s *Service) PublishedCodes(ctx context.Context, kind, ref string) ([]string, error) {
	out := []string{}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		ds, err := tx.SignedDocumentsOf(kind, ref)
		for _, d := range ds {
			out = append(out, d.Code)
		}
		return err
	})
	return out, err
}

// storedTime is t as the store keeps a timestamp: UTC, to the microsecond.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
