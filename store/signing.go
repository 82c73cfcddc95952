package store

import (
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
)

// SigningKey is an Ed25519 key pair of the signing_keys table. Private is
// set only for the current key, and only when read with CurrentSigningKey.
type SigningKey struct {
	KeyID     string
	Public    ed25519.PublicKey
	Private   ed25519.PrivateKey
	CreatedAt time.Time
	RetiredAt *time.Time
}

// CurrentSigningKey returns the key that signs new documents, with its
// private half; nil when no key has been made yet.
func (t *Tx) CurrentSigningKey() (*SigningKey, error) {
	var (
		k             SigningKey
		pub, seed, at string
	)
	err := t.row("SELECT key_id, public_key, private_seed, created_at FROM signing_keys WHERE retired_at IS NULL").
		Scan(&k.KeyID, &pub, &seed, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k.CreatedAt = parseStamp(at)
	if k.Public, err = decodeKey(pub, ed25519.PublicKeySize); err != nil {
		return nil, fmt.Errorf("signing key %s: public key: %w", k.KeyID, err)
	}
	s, err := decodeKey(seed, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: private key: %w", k.KeyID, err)
	}
	k.Private = ed25519.NewKeyFromSeed(s)
	if !k.Public.Equal(k.Private.Public()) {
		return nil, fmt.Errorf("signing key %s: the stored private key does not match its public key", k.KeyID)
	}
	return &k, nil
}

func decodeKey(s string, size int) ([]byte, error) {
	b, ok := signing.DecodeExact(s, size)
	if !ok {
		return nil, fmt.Errorf("not %d bytes of base64", size)
	}
	return b, nil
}

// InsertSigningKey stores a new current key. There is at most one current
// key: retire the old one first.
func (t *Tx) InsertSigningKey(keyID string, priv ed25519.PrivateKey) error {
	pub := priv.Public().(ed25519.PublicKey)
	_, err := t.exec("INSERT INTO signing_keys (key_id, public_key, private_seed, created_at) VALUES (?, ?, ?, ?)",
		keyID, base64.StdEncoding.EncodeToString(pub), base64.StdEncoding.EncodeToString(priv.Seed()), stamp(t.now))
	return err
}

// RetireSigningKey retires the current key, if any, and erases its private
// half: a retired key only ever verifies. It returns the retired key's id
// ("" when there was none).
func (t *Tx) RetireSigningKey() (string, error) {
	var keyID string
	err := t.row("SELECT key_id FROM signing_keys WHERE retired_at IS NULL").Scan(&keyID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	res, err := t.exec("UPDATE signing_keys SET retired_at = ?, private_seed = '' WHERE key_id = ? AND retired_at IS NULL",
		stamp(t.now), keyID)
	if err != nil {
		return "", err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return "", domain.Stale("signing key " + keyID)
	}
	return keyID, nil
}

// SigningKeys returns every key's public half, oldest first.
func (t *Tx) SigningKeys() ([]*SigningKey, error) {
	return list(t, scanPublicKey, "SELECT key_id, public_key, created_at, retired_at FROM signing_keys ORDER BY id")
}

// SigningKey returns one key's public half; nil when there is no such key.
func (t *Tx) SigningKey(keyID string) (*SigningKey, error) {
	k, err := scanPublicKey(t.row("SELECT key_id, public_key, created_at, retired_at FROM signing_keys WHERE key_id = ?", keyID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return k, err
}

func scanPublicKey(sc scanner) (*SigningKey, error) {
	var (
		k           SigningKey
		pub, at     string
		retiredText sql.NullString
	)
	if err := sc.Scan(&k.KeyID, &pub, &at, &retiredText); err != nil {
		return nil, err
	}
	var err error
	if k.Public, err = decodeKey(pub, ed25519.PublicKeySize); err != nil {
		return nil, fmt.Errorf("signing key %s: public key: %w", k.KeyID, err)
	}
	k.CreatedAt = parseStamp(at)
	if retiredText.Valid {
		r := parseStamp(retiredText.String)
		k.RetiredAt = &r
	}
	return &k, nil
}

// SignedDocument is a row of signed_documents: a published document's
// envelope fields, its signature, and the digest of its canonical envelope
// at publication.
type SignedDocument struct {
	Code        string
	Kind        string
	Ref         string
	Title       domain.Text
	IssuedAt    time.Time
	Content     string // JSON
	KeyID       string
	Signature   string // base64
	Digest      string // hex SHA-256 of the canonical envelope
	PublishedBy string
	// Checkpoint is the audit chain's head the envelope carries; nil for
	// documents signed before checkpoints existed.
	Checkpoint *signing.Checkpoint
}

// InsertSignedDocument stores a published document.
func (t *Tx) InsertSignedDocument(d *SignedDocument) error {
	var entry, hash, at any
	if c := d.Checkpoint; c != nil {
		entry, hash, at = c.Entry, c.Hash, c.At
	}
	_, err := t.insert(`INSERT INTO signed_documents
		(code, kind, ref, title_fa, title_en, issued_at, content, key_id, signature, digest, published_by,
		checkpoint_entry, checkpoint_hash, checkpoint_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.Code, d.Kind, d.Ref, d.Title.FA, d.Title.EN, stamp(d.IssuedAt), d.Content, d.KeyID, d.Signature, d.Digest, d.PublishedBy,
		entry, hash, at)
	return err
}

// SignedDocumentExists reports whether a code is taken.
func (t *Tx) SignedDocumentExists(code string) (bool, error) {
	var one int
	err := t.row("SELECT 1 FROM signed_documents WHERE code = ?", code).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

const signedCols = "code, kind, ref, title_fa, title_en, issued_at, content, key_id, signature, digest, published_by, " +
	"checkpoint_entry, checkpoint_hash, checkpoint_at"

func scanSigned(sc scanner) (*SignedDocument, error) {
	var (
		d          SignedDocument
		at         string
		entry      sql.NullInt64
		hash, when sql.NullString
	)
	if err := sc.Scan(&d.Code, &d.Kind, &d.Ref, &d.Title.FA, &d.Title.EN, &at, &d.Content, &d.KeyID, &d.Signature,
		&d.Digest, &d.PublishedBy, &entry, &hash, &when); err != nil {
		return nil, err
	}
	d.IssuedAt = parseStamp(at)
	if entry.Valid || hash.Valid || when.Valid {
		// Any one set makes a checkpoint: a column emptied behind
		// Pishran's back then shows as a changed checkpoint, not as none.
		d.Checkpoint = &signing.Checkpoint{Entry: entry.Int64, Hash: hash.String, At: when.String}
	}
	return &d, nil
}

// SignedDocument returns the document published under code, or NotFound.
func (t *Tx) SignedDocument(code string) (*SignedDocument, error) {
	d, err := scanSigned(t.row("SELECT "+signedCols+" FROM signed_documents WHERE code = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("code", "signed document")
	}
	return d, err
}

// SignedDocumentsOf lists the documents published for one record (kind and
// ref), oldest first: a record republished after a correction has several.
func (t *Tx) SignedDocumentsOf(kind, ref string) ([]*SignedDocument, error) {
	return list(t, scanSigned, "SELECT "+signedCols+" FROM signed_documents WHERE kind = ? AND ref = ? ORDER BY id", kind, ref)
}

// SignedCodes returns, for each of refs (of one kind) that has been
// published, the verification code of its newest publication: the one a
// reader of the record should check.
func (t *Tx) SignedCodes(kind string, refs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(refs) == 0 {
		return out, nil
	}
	want := keySet(refs)
	err := inKeys(refs, func(in string, args []any) error {
		q := "SELECT ref, code FROM signed_documents WHERE kind = ?"
		if in != "" {
			q += " AND ref IN " + in
		}
		rows, err := t.query(q+" ORDER BY id", append([]any{kind}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var ref, code string
			if err := rows.Scan(&ref, &code); err != nil {
				return err
			}
			if want == nil || want[ref] { // nil: the IN list chose
				out[ref] = code // rows come oldest first: the newest wins
			}
		}
		return rows.Err()
	})
	return out, err
}

// EachSignedDocument calls fn with every published document, oldest first.
func (t *Tx) EachSignedDocument(fn func(*SignedDocument) error) error {
	rows, err := t.query("SELECT " + signedCols + " FROM signed_documents ORDER BY id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanSigned(rows)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}
