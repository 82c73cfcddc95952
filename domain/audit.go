package domain

import (
	"encoding/json"
	"fmt"
	"time"
)

// StampLayout is how a moment is written in the database, as text, in UTC:
// to the microsecond, so the audit chain hashes an entry's time the same way
// when it is read back, from the database or from an export.
const StampLayout = "2006-01-02T15:04:05.000000Z"

// AuditEntry is one entry of the audit log. (The API's wire shape is
// api/wire.go's; an export line is AuditLine.)
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    string
	Origin   string
	Action   string          // create, update, delete, or a verb of the domain (designate, leave, …)
	Kind     string          // the record's type: project, program, agency, …
	Record   string          // the record's key
	Before   json.RawMessage // null when created
	After    json.RawMessage // null when deleted
	PrevHash string
	Hash     string
}

// ChainBreak describes where the audit chain stops holding.
type ChainBreak struct {
	ID     int64
	Reason string
}

// AuditLine is an audit entry as `pishran audit export` writes it, one JSON
// object a line: its time and before/after exactly as stored (text), so the
// entry hashes the same when it is read back offline.
type AuditLine struct {
	ID       int64   `json:"id"`
	At       string  `json:"at"` // 2006-01-02T15:04:05.000000Z
	Actor    string  `json:"actor"`
	Origin   string  `json:"origin"`
	Action   string  `json:"action"`
	Kind     string  `json:"kind"`
	Record   string  `json:"record"`
	Before   *string `json:"before"` // the stored JSON text; null when none
	After    *string `json:"after"`
	PrevHash string  `json:"prev_hash"`
	Hash     string  `json:"hash"`
}

// Line returns e as an export line.
func (e *AuditEntry) Line() AuditLine {
	l := AuditLine{ID: e.ID, At: e.At.UTC().Format(StampLayout), Actor: e.Actor, Origin: e.Origin, Action: e.Action, Kind: e.Kind,
		Record: e.Record, PrevHash: e.PrevHash, Hash: e.Hash}
	if e.Before != nil {
		s := string(e.Before)
		l.Before = &s
	}
	if e.After != nil {
		s := string(e.After)
		l.After = &s
	}
	return l
}

// Entry reads an export line back into an entry.
func (l *AuditLine) Entry() (*AuditEntry, error) {
	at, err := time.Parse(StampLayout, l.At)
	if err != nil {
		return nil, fmt.Errorf("entry %d: at: %w", l.ID, err)
	}
	e := &AuditEntry{ID: l.ID, At: at, Actor: l.Actor, Origin: l.Origin, Action: l.Action, Kind: l.Kind, Record: l.Record,
		PrevHash: l.PrevHash, Hash: l.Hash}
	if l.Before != nil {
		e.Before = json.RawMessage(*l.Before)
	}
	if l.After != nil {
		e.After = json.RawMessage(*l.After)
	}
	return e, nil
}
