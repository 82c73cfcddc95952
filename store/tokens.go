package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
)

// Token is an API credential. Only a hash of its secret is stored.
type Token struct {
	ID     int64
	Name   string
	Role   string
	Agency string
	Hash   string
}

// InsertToken stores a token.
func (t *Tx) InsertToken(k *Token) error {
	var agency any
	if k.Agency != "" {
		id, err := t.agencyID("agency", k.Agency)
		if err != nil {
			return err
		}
		agency = id
	}
	id, err := t.insert("INSERT INTO tokens (name, role, agency_id, hash, created_at) VALUES (?, ?, ?, ?, ?)",
		k.Name, k.Role, agency, k.Hash, stamp(t.now))
	k.ID = id
	return err
}

// TokenByHash finds an unrevoked token by the hash of its secret.
func (t *Tx) TokenByHash(hash string) (*Token, error) {
	var k Token
	err := t.row(`SELECT k.id, k.name, k.role, COALESCE(a.code, ''), k.hash FROM tokens k
		LEFT JOIN agencies a ON a.id = k.agency_id WHERE k.hash = ? AND k.revoked_at IS NULL`, hash).
		Scan(&k.ID, &k.Name, &k.Role, &k.Agency, &k.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Unauthorized()
	}
	return &k, err
}

// TokenRecord is a token's row as reconciliation reads it.
type TokenRecord struct {
	Token
	CreatedAt time.Time
	RevokedAt *time.Time
}

// TokenRecord returns a token by id, revoked or not; nil when there is none.
func (t *Tx) TokenRecord(id int64) (*TokenRecord, error) {
	var k TokenRecord
	var created string
	var revoked sql.NullString
	err := t.row(`SELECT k.id, k.name, k.role, COALESCE(a.code, ''), k.hash, k.created_at, k.revoked_at FROM tokens k
		LEFT JOIN agencies a ON a.id = k.agency_id WHERE k.id = ?`, id).
		Scan(&k.ID, &k.Name, &k.Role, &k.Agency, &k.Hash, &created, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	k.CreatedAt = parseStamp(created)
	if revoked.Valid {
		r := parseStamp(revoked.String)
		k.RevokedAt = &r
	}
	return &k, nil
}
