package store

import "context"

// MigrateTo moves db's schema to version v, down or up: the migration
// tests plant rows as an older binary kept them, then migrate.
func (db *DB) MigrateTo(ctx context.Context, v int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return err
	}
	if v < cur {
		_, err = p.DownTo(ctx, v)
	} else {
		_, err = p.UpTo(ctx, v)
	}
	return err
}
