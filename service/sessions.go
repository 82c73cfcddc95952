package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// SessionPolicy says how long a session lives: it ends after Idle without a
// request, and after Absolute whatever happens.
type SessionPolicy struct {
	Idle     time.Duration
	Absolute time.Duration
}

// DefaultSessionPolicy is 30 minutes idle, 12 hours at most.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

func (p SessionPolicy) orDefault() SessionPolicy {
	if p.Idle <= 0 {
		p.Idle = DefaultSessionPolicy.Idle
	}
	if p.Absolute <= 0 {
		p.Absolute = DefaultSessionPolicy.Absolute
	}
	return p
}

// Lockout: LockThreshold failed sign-ins within LockWindow lock an account
// for LockFor. The count is kept in the database, so it holds across
// instances.
const (
	LockThreshold = 10
	LockWindow    = 15 * time.Minute
	LockFor       = 15 * time.Minute
)

const (
	touchEvery = time.Minute    // a session's last-seen time is written at most this often
	setupTTL   = 24 * time.Hour // the first admin's setup link
	resetTTL   = 24 * time.Hour // a password-reset link
)

// Client is where a sign-in comes from, kept with the session.
type Client struct {
	Address   string
	UserAgent string
}

// Session is a signed-in browser. Secret is set only when the session has
// just started: it goes into the cookie once and is stored only as a hash.
type Session struct {
	Secret     string       `json:"-"`
	User       *domain.User `json:"user"`
	Via        string       `json:"via"` // password, oidc, setup, reset
	Created    time.Time    `json:"created_at"`
	Expires    time.Time    `json:"expires_at"`   // the absolute end
	IdleExpiry time.Time    `json:"idle_expires"` // the end if no request comes before it
}

// Link is a one-time link's secret and end.
type Link struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires_at"`
}

// newSecret returns 256 random bits, URL-safe: session ids and link tokens.
// Like API tokens they are stored as a plain SHA-256: there is nothing to
// guess.
func newSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// plausibleSecret refuses, without a database look-up, what cannot be one
// of newSecret's values.
func plausibleSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// Login checks a username and password and starts a session. Every refusal
// looks the same and costs the same time — an unknown username, a wrong
// password, a disabled account, one without a password — except a locked
// account, which says when to try again, whatever the password.
func (s *Service) Login(ctx context.Context, username, password string, cl Client, pol SessionPolicy) (*Session, error) {
	if username == "" {
		return nil, domain.Invalid("username", "نام کاربری لازم است", "the username is required")
	}
	if password == "" {
		return nil, domain.Invalid("password", "گذرواژه لازم است", "the password is required")
	}
	if len(password) > domain.MaxPassword || len(username) > 200 {
		checkPassword("", password[:min(len(password), domain.MaxPassword)])
		return nil, domain.BadCredentials()
	}
	var c *store.Account
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Account(username); return err })
	if domain.IsKind(err, domain.KindNotFound) {
		checkPassword("", password)
		return nil, domain.BadCredentials()
	}
	if err != nil {
		return nil, err
	}
	hash := c.PasswordHash
	if !c.User.Active {
		hash = ""
	}
	ok := checkPassword(hash, password)
	now := s.db.Now()
	if now.Before(c.LockedUntil) {
		return nil, &domain.LockedOut{RetryAfter: c.LockedUntil.Sub(now), Account: true}
	}
	if !ok {
		return nil, s.loginFailed(ctx, c)
	}
	var sess *Session
	err = s.update(ctx, Actor{Name: "user:" + c.User.Username}, func(tx *store.Tx) error {
		// Read again: a lock or a reset may have landed while hashing.
		cur, err := tx.AccountByID(c.ID)
		if err != nil {
			return err
		}
		if tx.Now().Before(cur.LockedUntil) {
			return &domain.LockedOut{RetryAfter: cur.LockedUntil.Sub(tx.Now()), Account: true}
		}
		if cur.PasswordHash != c.PasswordHash || !cur.User.Active {
			return domain.BadCredentials()
		}
		if err := tx.LoginSucceeded(c.ID); err != nil {
			return err
		}
		sess, err = startSession(tx, cur, "password", cl, pol)
		return err
	})
	return sess, err
}

// loginFailed counts a failed sign-in against the account and locks it at
// the threshold.
func (s *Service) loginFailed(ctx context.Context, c *store.Account) error {
	var lockedFor time.Duration
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		n, err := tx.RecordLoginFailure(c.ID, LockWindow)
		if err != nil || n < LockThreshold {
			return err
		}
		if err := tx.LockAccount(c.ID, tx.Now().Add(LockFor)); err != nil {
			return err
		}
		lockedFor = LockFor
		return tx.Audit("lock", "user", c.User.Username, nil, map[string]any{"until": tx.Now().Add(LockFor), "failures": n})
	})
	if err != nil {
		return err
	}
	if lockedFor > 0 {
		s.log.Warn("account locked after failed sign-ins", "user", c.User.Username, "for", lockedFor)
		return &domain.LockedOut{RetryAfter: lockedFor, Account: true}
	}
	return domain.BadCredentials()
}

// startSession stores a new session for the account.
func startSession(tx *store.Tx, c *store.Account, via string, cl Client, pol SessionPolicy) (*Session, error) {
	pol = pol.orDefault()
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	ua := cl.UserAgent
	if len(ua) > 300 {
		ua = ua[:300]
	}
	row := &store.Session{Hash: hashToken(secret), UserID: c.ID, Via: via, Address: cl.Address, UserAgent: ua,
		Expires: tx.Now().Add(pol.Absolute)}
	if err := tx.InsertSession(row); err != nil {
		return nil, err
	}
	// Every sign-in is on the record: who, how, from where.
	if err := tx.Audit("sign-in", "user", c.User.Username, nil, map[string]any{"via": via, "address": cl.Address}); err != nil {
		return nil, err
	}
	u := c.User
	return &Session{Secret: secret, User: &u, Via: via, Created: row.Created, Expires: row.Expires,
		IdleExpiry: earlier(row.Created.Add(pol.Idle), row.Expires)}, nil
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// SessionActor returns who a session cookie's secret stands for. It is on
// every cookie-carrying request's path, so it is one indexed look-up; the
// last-seen time is written at most once a minute. A missing, ended, expired
// or disabled session is Unauthorized.
func (s *Service) SessionActor(ctx context.Context, secret string, pol SessionPolicy) (Actor, *SessionState, error) {
	if !plausibleSecret(secret) {
		return Anonymous, nil, domain.Unauthorized()
	}
	su, err := s.db.SessionByHash(ctx, hashToken(secret))
	if err != nil {
		return Anonymous, nil, err
	}
	if su == nil {
		return Anonymous, nil, domain.Unauthorized()
	}
	pol = pol.orDefault()
	now := s.db.Now()
	end := earlier(su.Expires, su.Created.Add(pol.Absolute)) // a shortened policy holds for older sessions too
	if !now.Before(end) || !now.Before(su.LastSeen.Add(pol.Idle)) || !su.Active {
		if err := s.db.EndSession(ctx, su.SessionID); err != nil {
			s.log.Warn("end expired session", "err", err)
		}
		return Anonymous, nil, domain.Unauthorized()
	}
	if now.Sub(su.LastSeen) >= touchEvery {
		if err := s.db.TouchSession(ctx, su.SessionID, now, now.Add(-touchEvery)); err != nil {
			return Anonymous, nil, err
		}
		su.LastSeen = now
	}
	st := &SessionState{Username: su.Username, Via: su.Via, Created: su.Created, Expires: end,
		IdleExpiry: earlier(su.LastSeen.Add(pol.Idle), end), MustChange: su.MustChange, Display: su.Display}
	return Actor{Name: "user:" + su.Username, Role: Role(su.Role), Agency: su.Agency}, st, nil
}

// SessionState is what a request's session says beside its actor.
type SessionState struct {
	Username   string    `json:"username"`
	Via        string    `json:"via"`
	Created    time.Time `json:"created_at"`
	Expires    time.Time `json:"expires_at"`
	IdleExpiry time.Time `json:"idle_expires"`
	MustChange bool      `json:"must_change_password"`
	// Display is the person's display name, for the staff header.
	Display domain.Text `json:"-"`
}

// Logout ends the session whose secret is given. Ending one that no longer
// exists is not an error.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if !plausibleSecret(secret) {
		return nil
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.DeleteSession(hashToken(secret))
		return err
	})
}

// RevokeSessions ends every session of the signed-in person ("log out
// everywhere"), this one included, and returns how many it ended.
func (s *Service) RevokeSessions(ctx context.Context, a Actor) (n int64, err error) {
	name, ok := a.username()
	if !ok {
		if a.Role == RoleAnonymous {
			return 0, domain.Unauthorized()
		}
		return 0, domain.Invalid("", "این کار برای حساب‌های کاربری است، نه توکن‌ها", "this is for people's accounts, not API tokens")
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		c, err := tx.Account(name)
		if err != nil {
			return err
		}
		if n, err = tx.DeleteSessions(c.ID, ""); err != nil {
			return err
		}
		return tx.Audit("revoke-sessions", "user", name, nil, map[string]any{"sessions": n})
	})
	return n, err
}

// ChangePassword sets a new password for the signed-in person, who must give
// the current one. Every other session of theirs ends; the one whose secret
// is keep stays. A wrong current password counts towards the lock.
func (s *Service) ChangePassword(ctx context.Context, a Actor, current, next, keep string) error {
	name, ok := a.username()
	if !ok {
		if a.Role == RoleAnonymous {
			return domain.Unauthorized()
		}
		return domain.Invalid("", "این کار برای حساب‌های کاربری است، نه توکن‌ها", "this is for people's accounts, not API tokens")
	}
	if current == "" {
		return domain.Invalid("current_password", "گذرواژه کنونی لازم است", "the current password is required")
	}
	if err := domain.CheckPassword("new_password", name, next); err != nil {
		return err
	}
	if next == current {
		return domain.Invalid("new_password", "گذرواژه تازه باید با گذرواژه کنونی فرق کند", "the new password must differ from the current one")
	}
	var c *store.Account
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Account(name); return err })
	if err != nil {
		return err
	}
	ok = checkPassword(c.PasswordHash, current)
	if now := s.db.Now(); now.Before(c.LockedUntil) {
		return &domain.LockedOut{RetryAfter: c.LockedUntil.Sub(now), Account: true}
	}
	if !ok {
		err := s.loginFailed(ctx, c)
		if domain.IsKind(err, domain.KindUnauthorized) {
			return domain.Invalid("current_password", "گذرواژه کنونی نادرست است", "the current password is wrong")
		}
		return err
	}
	h, err := hashPassword(next)
	if err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		cur, err := tx.AccountByID(c.ID)
		if err != nil {
			return err
		}
		if cur.PasswordHash != c.PasswordHash {
			return domain.Stale("password")
		}
		if err := tx.SetPassword(c.ID, h, false); err != nil {
			return err
		}
		keepHash := ""
		if keep != "" {
			keepHash = hashToken(keep)
		}
		n, err := tx.DeleteSessions(c.ID, keepHash)
		if err != nil {
			return err
		}
		if err := auditState(tx, "change-password", "user", name, nil); err != nil {
			return err
		}
		return tx.Audit("revoke-sessions", "user", name, nil, map[string]any{"sessions": n, "because": "password changed"})
	})
}
