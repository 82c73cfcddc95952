package store

import (
	"database/sql"
	"time"
)

// The notice outbox (migration 00025): e-mails waiting to go, claimed by
// a worker with a lease as the jobs' runs are (jobs.go), so that with any
// number of instances on one database a notice is sent by one of them at a
// time. The body is the notice as JSON; the service composes it at send
// time.

// Outbox states.
const (
	OutboxPending = "pending" // to send from NextAttempt
	OutboxDigest  = "digest"  // waiting for the person's daily digest
	OutboxBundled = "bundled" // sent inside a digest (DigestKey)
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // given up: shown to admins
)

// OutboxNotice is one row of the outbox.
type OutboxNotice struct {
	ID          int64
	Key         string
	Username    string
	Address     string
	Kind        string
	Body        []byte
	State       string
	Attempts    int
	NextAttempt time.Time
	ClaimedBy   string
	LeaseUntil  time.Time // zero when not claimed
	LastError   string
	DigestKey   string
	CreatedAt   time.Time
	SentAt      time.Time // zero until sent
}

const outboxCols = `id, notice_key, username, address, kind, body, state, attempts, next_attempt_at, claimed_by,
	lease_until, last_error, digest_key, created_at, sent_at`

func scanOutbox(sc scanner) (*OutboxNotice, error) {
	var (
		n                OutboxNotice
		body, next, made string
		lease, sent      sql.NullString
	)
	if err := sc.Scan(&n.ID, &n.Key, &n.Username, &n.Address, &n.Kind, &body, &n.State, &n.Attempts, &next, &n.ClaimedBy,
		&lease, &n.LastError, &n.DigestKey, &made, &sent); err != nil {
		return nil, err
	}
	n.Body = []byte(body)
	n.NextAttempt, n.CreatedAt = parseStamp(next), parseStamp(made)
	if lease.Valid {
		n.LeaseUntil = parseStamp(lease.String)
	}
	if sent.Valid {
		n.SentAt = parseStamp(sent.String)
	}
	return &n, nil
}

// EnqueueNotice inserts n (State pending or digest; NextAttempt now when
// zero) unless a notice with its key is there already, and reports
// whether it inserted it: raising the same event twice keeps one row.
func (t *Tx) EnqueueNotice(n *OutboxNotice) (bool, error) {
	next := n.NextAttempt
	if next.IsZero() {
		next = t.now
	}
	k, err := t.execChanged(`INSERT INTO notice_outbox (notice_key, username, address, kind, body, state, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notice_key) DO NOTHING`,
		n.Key, n.Username, n.Address, n.Kind, string(n.Body), n.State, stamp(next), stamp(t.now))
	return k == 1, err
}

// execChanged runs a statement that may change nothing (an insert that
// finds its key taken, an update that matches no row) and returns how many
// rows it changed; when none, the transaction counts as not having written,
// so a write that raised nothing new needs no audit entry.
func (t *Tx) execChanged(query string, args ...any) (int64, error) {
	wrote := t.wrote
	res, err := t.exec(query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err == nil && n == 0 {
		t.wrote = wrote
	}
	return n, err
}

// NextNoticeDue is when the earliest pending notice may be claimed (its
// next attempt, or its lease's end if later), zero when none is pending: a
// read the worker makes before it writes anything.
func (t *Tx) NextNoticeDue() (time.Time, error) {
	var s sql.NullString
	err := t.row(`SELECT MIN(CASE WHEN lease_until IS NOT NULL AND lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END)
		FROM notice_outbox WHERE state = ?`, OutboxPending).Scan(&s)
	if err != nil || !s.Valid {
		return time.Time{}, err
	}
	return parseStamp(s.String), nil
}

// ClaimNotices claims up to limit pending notices due now whose lease, if
// any, has run out, for instance until now+lease: one statement sets the
// claimant, the lease's end and the attempt count, so two workers never
// hold the same notice at once (PostgreSQL skips the rows another
// claimant has locked; SQLite's write transactions are exclusive).
func (t *Tx) ClaimNotices(instance string, lease time.Duration, limit int) ([]*OutboxNotice, error) {
	now := stamp(t.now)
	lock := ""
	if t.db.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	rows, err := t.query(`UPDATE notice_outbox SET claimed_by = ?, lease_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM notice_outbox WHERE state = ? AND next_attempt_at <= ?
			AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, id LIMIT ?`+lock+`)
		RETURNING `+outboxCols, instance, stamp(t.now.Add(lease)), OutboxPending, now, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*OutboxNotice
	for rows.Next() {
		n, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) > 0 {
		t.wrote = true
	}
	return out, nil
}

// MarkNoticeSent records that notice id was accepted by the mail server.
// body, when not nil, replaces the stored notice (a password link's token
// is scrubbed once sent). It reports false when the notice was no longer
// pending (another worker sent it after this one's lease ran out).
func (t *Tx) MarkNoticeSent(id int64, body []byte) (bool, error) {
	return t.endNotice(id, OutboxSent, "", body)
}

// FailNotice gives notice id up with the error: shown to admins.
func (t *Tx) FailNotice(id int64, lastErr string, body []byte) (bool, error) {
	return t.endNotice(id, OutboxFailed, lastErr, body)
}

func (t *Tx) endNotice(id int64, state, lastErr string, body []byte) (bool, error) {
	q := `UPDATE notice_outbox SET state = ?, last_error = ?, claimed_by = '', lease_until = NULL`
	args := []any{state, lastErr}
	if state == OutboxSent {
		q += ", sent_at = ?"
		args = append(args, stamp(t.now))
	}
	if body != nil {
		q += ", body = ?"
		args = append(args, string(body))
	}
	res, err := t.exec(q+" WHERE id = ? AND state = ?", append(args, id, OutboxPending)...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RetryNoticeAt gives notice id's claim back, to be tried again at next.
func (t *Tx) RetryNoticeAt(id int64, next time.Time, lastErr string) error {
	_, err := t.exec(`UPDATE notice_outbox SET next_attempt_at = ?, last_error = ?, claimed_by = '', lease_until = NULL
		WHERE id = ? AND state = ?`, stamp(next), lastErr, id, OutboxPending)
	return err
}

// RequeueNotice puts a failed notice back in the queue, due now, with its
// attempts counted afresh (an admin's retry). It reports false when the
// notice is not a failed one.
func (t *Tx) RequeueNotice(id int64) (bool, error) {
	res, err := t.exec(`UPDATE notice_outbox SET state = ?, attempts = 0, next_attempt_at = ?, claimed_by = '', lease_until = NULL
		WHERE id = ? AND state = ?`, OutboxPending, stamp(t.now), id, OutboxFailed)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// OutboxNoticeByID returns one row of the outbox, or nil.
func (t *Tx) OutboxNoticeByID(id int64) (*OutboxNotice, error) {
	n, err := scanOutbox(t.row("SELECT "+outboxCols+" FROM notice_outbox WHERE id = ?", id))
	if isNoRows(err) {
		return nil, nil
	}
	return n, err
}

// TroubledNotices lists, newest first, the notices an admin should see:
// those given up, and those pending whose last attempt failed.
func (t *Tx) TroubledNotices(limit int) ([]*OutboxNotice, error) {
	return list(t, scanOutbox, "SELECT "+outboxCols+` FROM notice_outbox
		WHERE state = ? OR (state = ? AND last_error <> '') ORDER BY created_at DESC, id DESC LIMIT ?`,
		OutboxFailed, OutboxPending, limit)
}

// OutboxByState lists the notices in a state, oldest first (tests, digests).
func (t *Tx) OutboxByState(state string, limit int) ([]*OutboxNotice, error) {
	return list(t, scanOutbox, "SELECT "+outboxCols+" FROM notice_outbox WHERE state = ? ORDER BY id LIMIT ?", state, limit)
}

// OutboxCounts counts the outbox's rows by state.
func (t *Tx) OutboxCounts() (map[string]int, error) {
	rows, err := t.query("SELECT state, COUNT(*) FROM notice_outbox GROUP BY state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// DigestWaiting lists the usernames with notices waiting for a digest made
// before until.
func (t *Tx) DigestWaiting(until time.Time) ([]string, error) {
	return list(t, scanString, `SELECT DISTINCT username FROM notice_outbox WHERE state = ? AND created_at < ? ORDER BY username`,
		OutboxDigest, stamp(until))
}

// DigestItems lists a person's notices waiting for a digest made before
// until, oldest first.
func (t *Tx) DigestItems(username string, until time.Time) ([]*OutboxNotice, error) {
	return list(t, scanOutbox, "SELECT "+outboxCols+` FROM notice_outbox WHERE username = ? AND state = ? AND created_at < ?
		ORDER BY created_at, id`, username, OutboxDigest, stamp(until))
}

// BundleNotices marks notices as sent inside the digest digestKey.
func (t *Tx) BundleNotices(ids []int64, digestKey string) error {
	for _, id := range ids {
		if _, err := t.exec(`UPDATE notice_outbox SET state = ?, digest_key = ? WHERE id = ? AND state = ?`,
			OutboxBundled, digestKey, id, OutboxDigest); err != nil {
			return err
		}
	}
	return nil
}
