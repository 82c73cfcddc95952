package store

import (
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
)

// Audit checkpoints live in their own table, outside audit_log: a rewrite
// of the log does not reach them (see signing.Checkpoint).

// InsertCheckpoint stores a signed checkpoint and sets its id.
func (t *Tx) InsertCheckpoint(c *signing.SignedCheckpoint) error {
	id, err := t.insert(`INSERT INTO audit_checkpoints (entry, hash, at, source, document, key_id, signature)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Entry, c.Hash, c.At, c.Source, c.Document, c.KeyID, c.Signature)
	c.ID = id
	return err
}

const checkpointCols = "id, entry, hash, at, source, document, key_id, signature"

// Checkpoints lists checkpoints oldest first, one page at a time (Page.After
// is the previous page's last id).
func (t *Tx) Checkpoints(p domain.Page) ([]signing.SignedCheckpoint, error) {
	after, _ := strconv.ParseInt(p.After, 10, 64)
	limit := p.Limit
	if limit <= 0 {
		limit = 1000
	}
	return orEmpty(list(t, scanCheckpoint, "SELECT "+checkpointCols+" FROM audit_checkpoints WHERE id > ? ORDER BY id LIMIT ?", after, limit))
}

// EachCheckpoint calls fn with every checkpoint, oldest first.
func (t *Tx) EachCheckpoint(fn func(signing.SignedCheckpoint) error) error {
	return t.eachCheckpoint("ORDER BY id", nil, fn)
}

func (t *Tx) eachCheckpoint(tail string, args []any, fn func(signing.SignedCheckpoint) error) error {
	rows, err := t.query("SELECT "+checkpointCols+" FROM audit_checkpoints "+tail, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanCheckpoint(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LatestCheckpoint returns the newest checkpoint; nil when there is none.
func (t *Tx) LatestCheckpoint() (*signing.SignedCheckpoint, error) {
	var out *signing.SignedCheckpoint
	err := t.eachCheckpoint("ORDER BY id DESC LIMIT 1", nil, func(c signing.SignedCheckpoint) error {
		out = &c
		return nil
	})
	return out, err
}

func scanCheckpoint(sc scanner) (signing.SignedCheckpoint, error) {
	var c signing.SignedCheckpoint
	err := sc.Scan(&c.ID, &c.Entry, &c.Hash, &c.At, &c.Source, &c.Document, &c.KeyID, &c.Signature)
	return c, err
}
