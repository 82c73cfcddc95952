package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// What a copy is checked by: every table's row count and a digest of its
// values that does not depend on the engine.

// TableCounts returns the number of rows of every table of the database
// (goose's version table aside), read in one snapshot.
func (db *DB) TableCounts(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	err := db.View(ctx, func(t *Tx) error {
		names, err := t.tableNames()
		if err != nil {
			return err
		}
		for _, name := range names {
			var n int64
			if err := t.row("SELECT COUNT(*) FROM " + quoteIdent(name)).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", name, err)
			}
			counts[name] = n
		}
		return nil
	})
	return counts, err
}

// TableDigests returns, for every table of the database (goose's version
// table aside), a SHA-256 over its rows' values, read in one snapshot. The
// values are taken as what they mean (a SQLite 1 in a BOOLEAN column is
// true, as PostgreSQL's true is) and the rows in no particular order, so
// two databases of different engines holding the same data have the same
// digests: after a copy, equal digests say every value arrived.
func (db *DB) TableDigests(ctx context.Context) (map[string]string, error) {
	digests := map[string]string{}
	err := db.View(ctx, func(t *Tx) error {
		schema, err := t.copySchema()
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(schema) {
			d, err := t.tableDigest(schema[name])
			if err != nil {
				return fmt.Errorf("digest %s: %w", name, err)
			}
			digests[name] = d
		}
		return nil
	})
	return digests, err
}

func (t *Tx) tableDigest(tab *copyTable) (string, error) {
	cols := append([]copyColumn(nil), tab.cols...)
	sort.Slice(cols, func(i, j int) bool { return cols[i].name < cols[j].name }) // the engines may order columns apart
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
	}
	rows, err := t.query("SELECT " + strings.Join(names, ", ") + " FROM " + quoteIdent(tab.name))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var sums [][sha256.Size]byte
	var b []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		b = b[:0]
		for i, c := range cols {
			v, err := convertValue(vals[i], c.kind, Postgres)
			if err != nil {
				return "", fmt.Errorf("column %s: %w", c.name, err)
			}
			var s string
			switch x := v.(type) {
			case nil:
				s = "\x00null"
			case []byte:
				s = "b:" + hex.EncodeToString(x)
			case float64:
				s = "f:" + strconv.FormatFloat(x, 'g', -1, 64)
			default:
				s = fmt.Sprintf("%T:%v", v, v)
			}
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			b = append(b, s...)
		}
		sums = append(sums, sha256.Sum256(b))
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	sort.Slice(sums, func(i, j int) bool { return string(sums[i][:]) < string(sums[j][:]) })
	h := sha256.New()
	for _, s := range sums {
		h.Write(s[:])
	}
	return strconv.Itoa(len(sums)) + ":" + hex.EncodeToString(h.Sum(nil)), nil
}
