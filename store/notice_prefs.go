package store

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Notification preferences, the unsubscribe secret and the inbox notices
// (migrations 00026, 00027).

// Notice modes: how a person's notices reach them by e-mail.
const (
	NoticeImmediate = "immediate" // each notice as it happens (the default)
	NoticeDaily     = "daily"     // one digest a day
	NoticeOff       = "off"       // none (the workspace inbox keeps them)
)

// NoticePrefs is a person's choice.
type NoticePrefs struct {
	Mode      string
	Address   string // "" = the account's e-mail
	Version   int64  // 0 when the person has chosen nothing yet
	UpdatedAt time.Time
}

// NoticePrefsOf returns the choice of the account with the id: the default
// (immediately, to the account's address; version 0) when it made none.
func (t *Tx) NoticePrefsOf(userID int64) (NoticePrefs, error) {
	var p NoticePrefs
	var upd string
	err := t.row("SELECT mode, address, version, updated_at FROM notice_prefs WHERE user_id = ?", userID).
		Scan(&p.Mode, &p.Address, &p.Version, &upd)
	if isNoRows(err) {
		return NoticePrefs{Mode: NoticeImmediate}, nil
	}
	p.UpdatedAt = parseStamp(upd)
	return p, err
}

// SetNoticePrefs records a choice if the stored one's version is
// p.Version (0: none stored yet); a stale version is refused.
func (t *Tx) SetNoticePrefs(userID int64, p *NoticePrefs) error {
	if p.Version == 0 {
		res, err := t.exec(`INSERT INTO notice_prefs (user_id, mode, address, version, updated_at) VALUES (?, ?, ?, 1, ?)
			ON CONFLICT (user_id) DO NOTHING`, userID, p.Mode, p.Address, stamp(t.now))
		if err != nil {
			return err
		}
		if err := t.checkVersion(res, "notice_prefs", "user_id", userID, "notification preferences"); err != nil {
			return err
		}
	} else {
		res, err := t.exec(`UPDATE notice_prefs SET mode = ?, address = ?, version = version + 1, updated_at = ?
			WHERE user_id = ? AND version = ?`, p.Mode, p.Address, stamp(t.now), userID, p.Version)
		if err != nil {
			return err
		}
		if err := t.checkVersion(res, "notice_prefs", "user_id", userID, "notification preferences"); err != nil {
			return err
		}
	}
	p.Version++
	p.UpdatedAt = t.now
	return nil
}

// TurnNoticesOff sets a person's e-mail notices off whatever the stored
// version (the unsubscribe link), keeping the address.
func (t *Tx) TurnNoticesOff(userID int64) error {
	_, err := t.exec(`INSERT INTO notice_prefs (user_id, mode, address, version, updated_at) VALUES (?, ?, '', 1, ?)
		ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, version = notice_prefs.version + 1, updated_at = excluded.updated_at`,
		userID, NoticeOff, stamp(t.now))
	return err
}

// NoticeSecret returns the secret unsubscribe links are signed with, or
// nil when none has been made yet (MakeNoticeSecret).
func (t *Tx) NoticeSecret() ([]byte, error) {
	var s string
	err := t.row("SELECT secret FROM notice_secret WHERE id = 1").Scan(&s)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(s)
}

// MakeNoticeSecret makes the secret unless another instance did first, and
// returns the one stored: every instance on the database reads the same.
func (t *Tx) MakeNoticeSecret() ([]byte, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	if _, err := t.exec("INSERT INTO notice_secret (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	return t.NoticeSecret()
}

// Recipient is an account a notice may go to.
type Recipient struct {
	ID       int64
	Username string
	Name     [2]string // display name, fa and en
	Email    string
	Role     string
	Agency   string
}

// FocalPoints lists the active agency-role accounts of an agency, by
// username.
func (t *Tx) FocalPoints(agency string) ([]Recipient, error) {
	return list(t, scanRecipient, "SELECT "+recipientCols+recipientFrom+` WHERE u.active = ? AND u.role = 'agency' AND a.code = ?
		ORDER BY u.username`, true, agency)
}

// Secretariat lists the active secretariat accounts, by username.
func (t *Tx) Secretariat() ([]Recipient, error) {
	return list(t, scanRecipient, "SELECT "+recipientCols+recipientFrom+` WHERE u.active = ? AND u.role = 'secretariat'
		ORDER BY u.username`, true)
}

// RecipientByName returns the account with the username, or nil.
func (t *Tx) RecipientByName(username string) (*Recipient, error) {
	r, err := scanRecipient(t.row("SELECT "+recipientCols+recipientFrom+" WHERE u.username = ?", username))
	if isNoRows(err) {
		return nil, nil
	}
	return &r, err
}

const recipientCols = "u.id, u.username, u.display_fa, u.display_en, u.email, u.role, COALESCE(a.code, '')"
const recipientFrom = " FROM users u LEFT JOIN agencies a ON a.id = u.agency_id"

func scanRecipient(sc scanner) (Recipient, error) {
	var r Recipient
	err := sc.Scan(&r.ID, &r.Username, &r.Name[0], &r.Name[1], &r.Email, &r.Role, &r.Agency)
	return r, err
}

// InboxNotice is one notice in a person's workspace inbox.
type InboxNotice struct {
	ID        int64
	Key       string
	Kind      string
	Body      []byte
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// AddInboxNotice puts a notice in the person's inbox, once per key; it
// reports whether it added it.
func (t *Tx) AddInboxNotice(userID int64, n *InboxNotice) (bool, error) {
	k, err := t.execChanged(`INSERT INTO inbox_notices (user_id, notice_key, kind, body, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, notice_key) DO NOTHING`, userID, n.Key, n.Kind, string(n.Body), stamp(t.now))
	return k == 1, err
}

// InboxNotices lists a person's inbox notices, newest first.
func (t *Tx) InboxNotices(userID int64, limit int) ([]InboxNotice, error) {
	return list(t, func(sc scanner) (InboxNotice, error) {
		var n InboxNotice
		var body, made string
		var read nullStamp
		if err := sc.Scan(&n.ID, &n.Key, &n.Kind, &body, &made, &read); err != nil {
			return n, err
		}
		n.Body, n.CreatedAt, n.ReadAt = []byte(body), parseStamp(made), read.t
		return n, nil
	}, `SELECT id, notice_key, kind, body, created_at, read_at FROM inbox_notices WHERE user_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
}

// UnreadNotices counts a person's unread inbox notices.
func (t *Tx) UnreadNotices(userID int64) (n int, err error) {
	err = t.row("SELECT COUNT(*) FROM inbox_notices WHERE user_id = ? AND read_at IS NULL", userID).Scan(&n)
	return n, err
}

// MarkNoticesRead marks a person's notice id read (every unread one when
// id is 0) and returns how many it marked.
func (t *Tx) MarkNoticesRead(userID, id int64) (int64, error) {
	q := "UPDATE inbox_notices SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
	args := []any{stamp(t.now), userID}
	if id != 0 {
		q += " AND id = ?"
		args = append(args, id)
	}
	return t.execChanged(q, args...)
}

type nullStamp struct{ t time.Time }

func (n *nullStamp) Scan(v any) error {
	switch s := v.(type) {
	case string:
		n.t = parseStamp(s)
	case []byte:
		n.t = parseStamp(string(s))
	}
	return nil
}
