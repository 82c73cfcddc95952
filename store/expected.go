package store

import (
	"strings"
)

// What the audit log last recorded of each audited record, folded from the
// log through one entry (audit_expected, audit_expected_head): the daily
// audit check (service/reconcile_daily.go) holds the records against it
// and the log after that entry, instead of reading the whole log again.

// Expected is what the log last recorded of one record.
type Expected struct {
	Kind, Record string
	Entry        int64  // the entry that recorded it
	Digest       string // hex SHA-256 of the state; "" when deleted or unreadable
	Flags        int    // ExpectDeleted, ExpectSealed, ExpectInvalid
}

// Expected flags.
const (
	ExpectDeleted = 1 << iota // the entry deleted the record
	ExpectSealed              // known by a seal's digest only
	ExpectInvalid             // the entry's state is unreadable
)

// ExpectedHead returns the entry through which the expectations are folded
// and its hash; ok is false when they are not (yet, or any more).
func (t *Tx) ExpectedHead() (entry int64, hash string, ok bool, err error) {
	err = t.row("SELECT entry, hash FROM audit_expected_head WHERE id = 1").Scan(&entry, &hash)
	if isNoRows(err) {
		return 0, "", false, nil
	}
	return entry, hash, err == nil, err
}

// SetExpectedHead records that the expectations are folded through entry.
func (t *Tx) SetExpectedHead(entry int64, hash string) error {
	_, err := t.exec(`INSERT INTO audit_expected_head (id, entry, hash) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET entry = excluded.entry, hash = excluded.hash`, entry, hash)
	return err
}

// DropExpectedHead forgets the head: the expectations are not to be used
// until folded again.
func (t *Tx) DropExpectedHead() error {
	_, err := t.exec("DELETE FROM audit_expected_head")
	return err
}

// ReplaceExpected replaces every expectation of one kind with rows.
func (t *Tx) ReplaceExpected(kind string, rows []Expected) error {
	if _, err := t.exec("DELETE FROM audit_expected WHERE kind = ?", kind); err != nil {
		return err
	}
	vals := make([][]any, len(rows))
	for i, e := range rows {
		vals[i] = []any{kind, e.Record, e.Entry, e.Digest, e.Flags}
	}
	return t.insertRows("audit_expected", []string{"kind", "record", "entry", "digest", "flags"}, vals)
}

// PutExpected records e unless an entry newer than e's already recorded
// the record: folding a stretch of the log twice changes nothing.
func (t *Tx) PutExpected(e Expected) error {
	_, err := t.exec(`INSERT INTO audit_expected (kind, record, entry, digest, flags) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, record) DO UPDATE SET entry = excluded.entry, digest = excluded.digest, flags = excluded.flags
		WHERE audit_expected.entry < excluded.entry`, e.Kind, e.Record, e.Entry, e.Digest, e.Flags)
	return err
}

// DropExpectedBefore forgets the expectations of a kind recorded before
// entry: a complete seal at entry vouches for every record of the kind.
func (t *Tx) DropExpectedBefore(kind string, entry int64) error {
	_, err := t.exec("DELETE FROM audit_expected WHERE kind = ? AND entry < ?", kind, entry)
	return err
}

// ExpectedOf returns the expectations of the given records of one kind.
func (t *Tx) ExpectedOf(kind string, records []string) (map[string]Expected, error) {
	out := make(map[string]Expected, len(records))
	for len(records) > 0 {
		part := records[:min(len(records), 1000)]
		records = records[len(part):]
		args := make([]any, 0, len(part)+1)
		args = append(args, kind)
		for _, r := range part {
			args = append(args, r)
		}
		err := t.eachExpected("WHERE kind = ? AND record IN (?"+strings.Repeat(", ?", len(part)-1)+")", args, func(e Expected) error {
			out[e.Record] = e
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EachExpected calls fn with every expectation of one kind.
func (t *Tx) EachExpected(kind string, fn func(Expected) error) error {
	return t.eachExpected("WHERE kind = ?", []any{kind}, fn)
}

func (t *Tx) eachExpected(where string, args []any, fn func(Expected) error) error {
	rows, err := t.query("SELECT kind, record, entry, digest, flags FROM audit_expected "+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e Expected
		if err := rows.Scan(&e.Kind, &e.Record, &e.Entry, &e.Digest, &e.Flags); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}
