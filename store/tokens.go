package store

import (
	"database/sql"
	"errors"

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
