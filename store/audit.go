package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
)

// The audit log: one hash-chained entry for every write, appended in the
// write's own transaction (Audit) or in bulk (AppendAudit: generated
// databases, and the seals of bulk loads); read back per record, streamed
// in order for verification, and kind by kind for reconciliation.

// hashEntry is the chain's hash: SHA-256 over the previous hash and the
// entry's fields, each length-prefixed so no two entries hash alike.
func hashEntry(prev string, e *domain.AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(e.ID, 10), e.At.UTC().Format(stampLayout), e.Actor, e.Origin,
		e.Action, e.Kind, e.Record, string(e.Before), string(e.After)} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Audit appends an entry recording that the transaction's actor did action
// to the record (kind, key), changing it from before to after (either may be
// nil). It is called by every write of the service layer, in the same
// transaction as the write: the entry lands if and only if the write does.
func (t *Tx) Audit(action, kind, key string, before, after any) error {
	o := domain.OriginOf(t.ctx)
	e := &domain.AuditEntry{At: t.now, Actor: o.Actor, Action: action, Kind: kind, Record: key}
	if o.Address != "" || o.Via != "" {
		e.Origin = strings.TrimSpace(o.Via + " " + o.Address)
	}
	var err error
	if e.Before, err = auditJSON(before); err != nil {
		return err
	}
	if e.After, err = auditJSON(after); err != nil {
		return err
	}
	// The chain is one sequence: its head is read and extended under a
	// lock, so concurrent writers (PostgreSQL) take turns.
	if err := t.lockAuditHead(); err != nil {
		return err
	}
	var prevID int64
	var prev string
	err = t.row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&prevID, &prev)
	if errors.Is(err, sql.ErrNoRows) {
		prev, err = "", nil
	}
	if err != nil {
		return err
	}
	e.ID = prevID + 1
	e.PrevHash = prev
	e.Hash = hashEntry(prev, e)
	_, err = t.exec(`INSERT INTO audit_log (id, at, actor, origin, action, kind, record, before, after, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, stamp(e.At), e.Actor, e.Origin, e.Action, e.Kind, e.Record,
		nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash)
	if err == nil {
		t.audited = true
		t.moveArea(AreaOf(kind), e.ID)
		t.noteSearch(kind, key)
	}
	return err
}

// AppendAudit appends entries to the audit log in order, numbering and
// chaining them exactly as Audit does one at a time (same hashEntry, same
// stored forms): each entry's At, Actor, Origin, Action, Kind, Record,
// Before and After are taken as given, and its ID, PrevHash and Hash are
// set. The chain's head is read once, under the same lock Audit takes.
func (t *Tx) AppendAudit(entries []*domain.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if err := t.lockAuditHead(); err != nil {
		return err
	}
	var prevID int64
	var prev string
	err := t.row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").Scan(&prevID, &prev)
	if err != nil && !isNoRows(err) {
		return err
	}
	rows := make([][]any, 0, len(entries))
	for _, e := range entries {
		e.At = e.At.UTC().Truncate(time.Microsecond) // the stored stamp's precision, so the entry hashes as it reads back
		e.ID, e.PrevHash = prevID+1, prev
		e.Hash = hashEntry(prev, e)
		rows = append(rows, []any{e.ID, stamp(e.At), e.Actor, e.Origin, e.Action, e.Kind, e.Record,
			nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash})
		prevID, prev = e.ID, e.Hash
	}
	err = t.insertRows("audit_log", []string{"id", "at", "actor", "origin", "action", "kind", "record", "before", "after",
		"prev_hash", "hash"}, rows)
	if err == nil {
		t.audited = true
		for _, e := range entries {
			t.moveArea(AreaOf(e.Kind), e.ID)
		}
	}
	return err
}

func (t *Tx) lockAuditHead() error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.exec("SELECT pg_advisory_xact_lock(7340001)")
	return err
}

func auditJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.(json.RawMessage); ok {
		return b, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return nil, nil
	}
	return b, nil
}

func nullJSON(b json.RawMessage) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func scanAudit(sc scanner) (*domain.AuditEntry, error) {
	var (
		e             domain.AuditEntry
		at            string
		before, after sql.NullString
	)
	if err := sc.Scan(&e.ID, &at, &e.Actor, &e.Origin, &e.Action, &e.Kind, &e.Record, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = parseStamp(at)
	if before.Valid {
		e.Before = json.RawMessage(before.String)
	}
	if after.Valid {
		e.After = json.RawMessage(after.String)
	}
	return &e, nil
}

const auditCols = "id, at, actor, origin, action, kind, record, before, after, prev_hash, hash"

// History returns the audit entries of one record, oldest first.
func (t *Tx) History(kind, key string) ([]*domain.AuditEntry, error) {
	return list(t, scanAudit, "SELECT "+auditCols+" FROM audit_log WHERE kind = ? AND record = ? ORDER BY id", kind, key)
}

// HistoryUnder returns the audit entries of every record of one kind whose
// key begins with prefix (a project's milestones: "slug/"), oldest first.
func (t *Tx) HistoryUnder(kind, prefix string) ([]*domain.AuditEntry, error) {
	return list(t, scanAudit, "SELECT "+auditCols+" FROM audit_log WHERE kind = ? AND substr(record, 1, ?) = ? ORDER BY id",
		kind, len([]rune(prefix)), prefix)
}

// ChainCheck follows the hash chain one entry at a time, in order: what
// VerifyAudit does over the table, and what an offline check does over an
// exported log. After the first break it checks no more.
type ChainCheck struct {
	Checked int64              // entries seen
	Broken  *domain.ChainBreak // the first entry that does not hold; nil while the chain holds
	prev    string
	prevID  int64
}

// After starts the check after entry id, whose hash is taken to be prev
// (vouched for by a checkpoint): the next entry given must be id+1.
func (c *ChainCheck) After(id int64, prev string) { c.prevID, c.prev = id, prev }

// Next checks the entry after the last one given, and reports whether the
// chain still holds.
func (c *ChainCheck) Next(e *domain.AuditEntry) bool {
	if c.Broken != nil {
		return false
	}
	c.Checked++
	switch {
	case e.ID != c.prevID+1:
		c.Broken = &domain.ChainBreak{ID: c.prevID + 1, Reason: "entry missing: ids jump from " + strconv.FormatInt(c.prevID, 10) + " to " + strconv.FormatInt(e.ID, 10)}
	case e.PrevHash != c.prev:
		c.Broken = &domain.ChainBreak{ID: e.ID, Reason: "link broken: prev_hash does not match the previous entry's hash"}
	case HashEntry(c.prev, e) != e.Hash:
		c.Broken = &domain.ChainBreak{ID: e.ID, Reason: "entry altered: its hash does not match its content"}
	default:
		c.prev, c.prevID = e.Hash, e.ID
		return true
	}
	return false
}

// HashEntry is the chain's hash of e after an entry whose hash is prev.
func HashEntry(prev string, e *domain.AuditEntry) string { return hashEntry(prev, e) }

// VerifyAudit walks the whole chain and returns the first broken entry, or
// nil when every entry's hash and link hold. checked counts the entries.
func (t *Tx) VerifyAudit() (checked int64, broken *domain.ChainBreak, err error) {
	var c ChainCheck
	err = t.EachAudit(0, func(e *domain.AuditEntry) error {
		c.Next(e)
		return nil
	})
	return c.Checked, c.Broken, err
}

// EachAudit calls fn with every audit entry after the entry numbered after,
// in order, reading them as one stream.
func (t *Tx) EachAudit(after int64, fn func(*domain.AuditEntry) error) error {
	rows, err := t.query("SELECT "+auditCols+" FROM audit_log WHERE id > ? ORDER BY id", after)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditHead returns the chain's newest entry (nil when the log is empty).
func (t *Tx) AuditHead() (*domain.AuditEntry, error) {
	e, err := scanAudit(t.row("SELECT " + auditCols + " FROM audit_log ORDER BY id DESC LIMIT 1"))
	if isNoRows(err) {
		return nil, nil
	}
	return e, err
}

// AuditStep is what reconciliation reads of one audit entry.
type AuditStep struct {
	ID     int64
	Action string
	Record string
	After  json.RawMessage // nil when the entry has none
}

// EachAuditOf calls fn with every audit entry of one kind, oldest first.
func (t *Tx) EachAuditOf(kind string, fn func(AuditStep) error) error {
	rows, err := t.query("SELECT id, action, record, after FROM audit_log WHERE kind = ? ORDER BY id", kind)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s AuditStep
		var after sql.NullString
		if err := rows.Scan(&s.ID, &s.Action, &s.Record, &after); err != nil {
			return err
		}
		if after.Valid {
			s.After = json.RawMessage(after.String)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// AuditEntry returns one entry of the log; NotFound-like nil when there is none.
func (t *Tx) AuditEntry(id int64) (*domain.AuditEntry, error) {
	e, err := scanAudit(t.row("SELECT "+auditCols+" FROM audit_log WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// HasAudit reports whether the log holds an entry of the kind and record.
func (t *Tx) HasAudit(kind, record string) (bool, error) {
	var one int
	err := t.row("SELECT 1 FROM audit_log WHERE kind = ? AND record = ? LIMIT 1", kind, record).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
