package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
)

// Sign-in state: browser sessions, and single sign-on logins between the
// redirect to the provider and the callback.

// Session is a signed-in browser. Hash is the SHA-256 of the cookie's
// secret.
type Session struct {
	ID        int64
	Hash      string
	UserID    int64
	Via       string // password, oidc, setup, reset
	Address   string
	UserAgent string
	Created   time.Time
	LastSeen  time.Time
	Expires   time.Time // the absolute limit
}

// InsertSession stores a new session and clears away expired ones.
func (t *Tx) InsertSession(s *Session) error {
	if _, err := t.exec("DELETE FROM sessions WHERE expires_at <= ?", stamp(t.now)); err != nil {
		return err
	}
	s.Created, s.LastSeen = t.now, t.now
	var err error
	s.ID, err = t.insert(`INSERT INTO sessions (hash, user_id, via, address, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Hash, s.UserID, s.Via, s.Address, s.UserAgent, stamp(t.now), stamp(t.now), stamp(s.Expires))
	return err
}

// DeleteSession ends one session; it reports whether there was one.
func (t *Tx) DeleteSession(hash string) (bool, error) {
	res, err := t.exec("DELETE FROM sessions WHERE hash = ?", hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteSessions ends every session of an account but the one whose hash is
// keep ("" keeps none), and returns how many it ended.
func (t *Tx) DeleteSessions(userID int64, keep string) (int64, error) {
	res, err := t.exec("DELETE FROM sessions WHERE user_id = ? AND hash <> ?", userID, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SessionUser is what a request's session cookie stands for: the session's
// times and its account's role. It is read on every request that carries a
// cookie, in one indexed lookup.
type SessionUser struct {
	SessionID  int64
	UserID     int64
	Created    time.Time
	LastSeen   time.Time
	Expires    time.Time
	Via        string
	Username   string
	Display    domain.Text // the person's display name
	Role       string
	Agency     string
	Active     bool
	MustChange bool
}

// SessionByHash finds a session by the hash of its secret, with its
// account. It reads outside any transaction: one statement, one round trip.
// It returns nil when there is no such session.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*SessionUser, error) {
	var (
		s                 SessionUser
		created, seen, ex string
	)
	q := (&Tx{db: db}).q(`SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.via, u.username, u.display_fa, u.display_en,
		u.role, COALESCE(a.code, ''), u.active, u.must_change
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN agencies a ON a.id = u.agency_id WHERE s.hash = ?`)
	db.counts.statements.Add(1)
	err := db.read.QueryRowContext(ctx, q, hash).Scan(&s.SessionID, &s.UserID, &created, &seen, &ex, &s.Via, &s.Username,
		&s.Display.FA, &s.Display.EN, &s.Role, &s.Agency, &s.Active, &s.MustChange)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.Created, s.LastSeen, s.Expires = parseStamp(created), parseStamp(seen), parseStamp(ex)
	return &s, nil
}

// TouchSession moves a session's last-seen time to now, if it is older than
// before (so concurrent requests write it once).
func (db *DB) TouchSession(ctx context.Context, id int64, now, before time.Time) error {
	if db.readOnly {
		return nil // a replica reads sessions the primary keeps
	}
	q := (&Tx{db: db}).q("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?")
	_, err := db.write.ExecContext(ctx, q, stamp(now), id, stamp(before))
	return err
}

// EndSession removes a session outside any transaction (an expired one found
// on reading).
func (db *DB) EndSession(ctx context.Context, id int64) error {
	if db.readOnly {
		return nil
	}
	_, err := db.write.ExecContext(ctx, (&Tx{db: db}).q("DELETE FROM sessions WHERE id = ?"), id)
	return err
}

// OIDCLogin is a single sign-on login between the redirect to the provider
// and the callback.
type OIDCLogin struct {
	Hash     string // SHA-256 of the state; the state itself is in the browser's cookie
	Nonce    string
	Verifier string // PKCE
	Next     string // where to send the browser afterwards
	Expires  time.Time
}

// InsertOIDCLogin stores a login under way and clears away stale ones.
func (t *Tx) InsertOIDCLogin(l *OIDCLogin) error {
	if _, err := t.exec("DELETE FROM oidc_logins WHERE expires_at <= ?", stamp(t.now)); err != nil {
		return err
	}
	_, err := t.exec("INSERT INTO oidc_logins (hash, nonce, verifier, next, expires_at) VALUES (?, ?, ?, ?, ?)",
		l.Hash, l.Nonce, l.Verifier, l.Next, stamp(l.Expires))
	return err
}

// TakeOIDCLogin removes and returns the login under way with the state's
// hash; nil when there is none or it expired. Each state is good once.
func (t *Tx) TakeOIDCLogin(hash string) (*OIDCLogin, error) {
	l := OIDCLogin{Hash: hash}
	var ex string
	err := t.row("DELETE FROM oidc_logins WHERE hash = ? RETURNING nonce, verifier, next, expires_at", hash).
		Scan(&l.Nonce, &l.Verifier, &l.Next, &ex)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.Expires = parseStamp(ex)
	if !t.now.Before(l.Expires) {
		return nil, nil
	}
	return &l, nil
}
