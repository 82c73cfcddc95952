package store

import (
	"database/sql"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
)

// Account is a user with what only the service may see: the password hash,
// the single sign-on link and the lock.
type Account struct {
	ID           int64
	User         domain.User
	PasswordHash string // argon2id in PHC form; "" when the account has no password
	OIDCIssuer   string
	OIDCSubject  string
	LockedUntil  time.Time // zero when not locked
}

const accountCols = `u.id, u.username, u.display_fa, u.display_en, u.email, u.role, COALESCE(a.code, ''), u.active,
	u.must_change, u.password_hash, u.oidc_issuer, u.oidc_subject, u.locked_until, u.last_login_at, u.version,
	u.created_at, u.updated_at`
const accountFrom = " FROM users u LEFT JOIN agencies a ON a.id = u.agency_id"

func scanAccount(sc scanner) (*Account, error) {
	var (
		c            Account
		locked, last sql.NullString
		created, upd string
	)
	u := &c.User
	if err := sc.Scan(&c.ID, &u.Username, &u.DisplayName.FA, &u.DisplayName.EN, &u.Email, &u.Role, &u.Agency, &u.Active,
		&u.MustChange, &c.PasswordHash, &c.OIDCIssuer, &c.OIDCSubject, &locked, &last, &u.Version, &created, &upd); err != nil {
		return nil, err
	}
	if locked.Valid {
		c.LockedUntil = parseStamp(locked.String)
	}
	if last.Valid {
		t := parseStamp(last.String)
		u.LastLogin = &t
	}
	u.CreatedAt, u.UpdatedAt = parseStamp(created), parseStamp(upd)
	u.HasPassword = c.PasswordHash != ""
	u.SSO = c.OIDCSubject != ""
	return &c, nil
}

func (t *Tx) optionalAgency(code string) (any, error) {
	if code == "" {
		return nil, nil
	}
	return t.agencyID("agency", code)
}

// InsertUser adds an account and returns its id.
func (t *Tx) InsertUser(c *Account) error {
	agency, err := t.optionalAgency(c.User.Agency)
	if err != nil {
		return err
	}
	u := &c.User
	c.ID, err = t.insert(`INSERT INTO users (username, display_fa, display_en, email, role, agency_id, active, password_hash,
		must_change, oidc_issuer, oidc_subject, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		u.Username, u.DisplayName.FA, u.DisplayName.EN, u.Email, u.Role, agency, u.Active, c.PasswordHash,
		u.MustChange, c.OIDCIssuer, c.OIDCSubject, stamp(t.now), stamp(t.now))
	if err != nil {
		if domain.IsKind(mapErr(err), domain.KindConflict) {
			return domain.Conflict("username", "این نام کاربری گرفته شده است", "this username is taken")
		}
		return err
	}
	u.Version, u.CreatedAt, u.UpdatedAt = 1, t.now, t.now
	u.HasPassword, u.SSO = c.PasswordHash != "", c.OIDCSubject != ""
	return nil
}

// UpdateUser replaces an account's profile (display name, email, role,
// agency, active) if its stored version is u.Version.
func (t *Tx) UpdateUser(u *domain.User) error {
	agency, err := t.optionalAgency(u.Agency)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE users SET display_fa = ?, display_en = ?, email = ?, role = ?, agency_id = ?, active = ?,
		version = version + 1, updated_at = ? WHERE username = ? AND version = ?`,
		u.DisplayName.FA, u.DisplayName.EN, u.Email, u.Role, agency, u.Active, stamp(t.now), u.Username, u.Version)
	if err != nil {
		return err
	}
	if err := t.checkVersion(res, "users", "username", u.Username, "user"); err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = t.now
	return nil
}

// Account returns the account with the username.
func (t *Tx) Account(username string) (*Account, error) {
	c, err := scanAccount(t.row("SELECT "+accountCols+accountFrom+" WHERE u.username = ?", username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("username", "user")
	}
	return c, err
}

// AccountByID returns the account with the id.
func (t *Tx) AccountByID(id int64) (*Account, error) {
	c, err := scanAccount(t.row("SELECT "+accountCols+accountFrom+" WHERE u.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("username", "user")
	}
	return c, err
}

// AccountByOIDC returns the account linked to a single sign-on identity, or
// nil when there is none.
func (t *Tx) AccountByOIDC(issuer, subject string) (*Account, error) {
	c, err := scanAccount(t.row("SELECT "+accountCols+accountFrom+" WHERE u.oidc_issuer = ? AND u.oidc_subject = ?", issuer, subject))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// Users lists accounts by username, one page at a time.
func (t *Tx) Users(p domain.Page) ([]*domain.User, error) {
	return orEmpty(list(t, func(sc scanner) (*domain.User, error) {
		c, err := scanAccount(sc)
		if err != nil {
			return nil, err
		}
		return &c.User, nil
	}, "SELECT "+accountCols+accountFrom+" WHERE u.username > ? ORDER BY u.username LIMIT ?", p.After, pageLimit(p)))
}

// ActiveAdmins counts the active admin accounts.
func (t *Tx) ActiveAdmins() (int, error) {
	var n int
	err := t.row("SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = ?", true).Scan(&n)
	return n, err
}

// LockAccounts serializes the transactions that must see the accounts as a
// whole (the first admin's setup, the last admin's demotion) until the
// transaction ends. SQLite's write transactions are exclusive already.
func (t *Tx) LockAccounts() error {
	if t.db.engine != Postgres {
		return nil
	}
	_, err := t.exec("SELECT pg_advisory_xact_lock(7340004)")
	return err
}

// SetPassword replaces an account's password hash ("" removes it) and
// whether it must be changed at the next sign-in. It also lifts a lock.
func (t *Tx) SetPassword(id int64, hash string, mustChange bool) error {
	_, err := t.exec(`UPDATE users SET password_hash = ?, must_change = ?, locked_until = NULL, version = version + 1,
		updated_at = ? WHERE id = ?`, hash, mustChange, stamp(t.now), id)
	if err != nil {
		return err
	}
	_, err = t.exec("DELETE FROM login_failures WHERE user_id = ?", id)
	return err
}

// RecordLoginFailure notes a failed sign-in and returns how many failures
// the account has had within the window, this one included. Older ones are
// forgotten.
func (t *Tx) RecordLoginFailure(id int64, window time.Duration) (int, error) {
	since := stamp(t.now.Add(-window))
	if _, err := t.exec("DELETE FROM login_failures WHERE user_id = ? AND at <= ?", id, since); err != nil {
		return 0, err
	}
	if _, err := t.exec("INSERT INTO login_failures (user_id, at) VALUES (?, ?)", id, stamp(t.now)); err != nil {
		return 0, err
	}
	var n int
	err := t.row("SELECT COUNT(*) FROM login_failures WHERE user_id = ? AND at > ?", id, since).Scan(&n)
	return n, err
}

// LockAccount locks an account until the time and forgets its failures.
func (t *Tx) LockAccount(id int64, until time.Time) error {
	if _, err := t.exec("UPDATE users SET locked_until = ? WHERE id = ?", stamp(until), id); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM login_failures WHERE user_id = ?", id)
	return err
}

// LoginSucceeded forgets an account's failures and lock and notes when it
// signed in.
func (t *Tx) LoginSucceeded(id int64) error {
	if _, err := t.exec("UPDATE users SET locked_until = NULL, last_login_at = ? WHERE id = ?", stamp(t.now), id); err != nil {
		return err
	}
	_, err := t.exec("DELETE FROM login_failures WHERE user_id = ?", id)
	return err
}

// ---- one-time links ----

// Link purposes.
const (
	LinkSetup = "setup" // creates the first admin
	LinkReset = "reset" // sets a new password for an account
)

// InsertLink stores a one-time link's hash; userID is 0 for a setup link.
func (t *Tx) InsertLink(purpose, hash string, userID int64, expires time.Time) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := t.insert("INSERT INTO account_links (purpose, hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		purpose, hash, uid, stamp(t.now), stamp(expires))
	return err
}

// UseLink spends a one-time link: it must be of the purpose, unused and
// unexpired. It returns the link's account id (0 for a setup link). A link
// that does not qualify is reported against field, whatever the reason, so
// the answer says nothing about which links exist.
func (t *Tx) UseLink(field, purpose, hash string) (int64, error) {
	var uid sql.NullInt64
	err := t.row(`UPDATE account_links SET used_at = ? WHERE hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id`, stamp(t.now), hash, purpose, stamp(t.now)).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Invalid(field, "این پیوند نامعتبر است، منقضی شده یا پیش‌تر به کار رفته است",
			"this link is invalid, expired or already used")
	}
	return uid.Int64, err
}

// RetireLinks spends every unused link of the purpose (for an account, or
// all of them when userID is 0).
func (t *Tx) RetireLinks(purpose string, userID int64) error {
	if userID == 0 {
		_, err := t.exec("UPDATE account_links SET used_at = ? WHERE purpose = ? AND used_at IS NULL", stamp(t.now), purpose)
		return err
	}
	_, err := t.exec("UPDATE account_links SET used_at = ? WHERE purpose = ? AND user_id = ? AND used_at IS NULL", stamp(t.now), purpose, userID)
	return err
}
