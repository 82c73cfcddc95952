package store

import "context"

// MigrateTo moves db's schema down or up to migration v: the migration
// tests start from an older schema with rows of its shape.
func MigrateTo(ctx context.Context, db *DB, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if cur > v {
		_, err = p.DownTo(ctx, v)
	} else {
		_, err = p.UpTo(ctx, v)
	}
	return err
}
