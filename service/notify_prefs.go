package service

import (
	"context"
	"encoding/json"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// Each person's notification preferences, the unsubscribe link, and the
// notices of the workspace inbox.

// NoticeModes lists the choices, in the order a form offers them.
var NoticeModes = []string{store.NoticeImmediate, store.NoticeDaily, store.NoticeOff}

// NoticePrefs is a person's choice, as the preferences page shows it.
type NoticePrefs struct {
	Mode         string // store.NoticeImmediate, NoticeDaily or NoticeOff
	Address      string // "" = the account's e-mail
	AccountEmail string
	Version      int64 // 0 until the person first chooses
	MailEnabled  bool  // e-mail is configured on this server
}

// signedIn returns the account of a person signed in, or refuses.
func signedIn(tx *store.Tx, a Actor) (*store.Recipient, error) {
	name, ok := a.username()
	if !ok || a.Role == RoleAnonymous {
		return nil, domain.Unauthorized()
	}
	r, err := tx.RecipientByName(name)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, domain.NotFound("username", "user")
	}
	return r, nil
}

// MyNoticePrefs returns the signed-in person's choice.
func (s *Service) MyNoticePrefs(ctx context.Context, a Actor) (out NoticePrefs, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r, err := signedIn(tx, a)
		if err != nil {
			return err
		}
		p, err := tx.NoticePrefsOf(r.ID)
		if err != nil {
			return err
		}
		out = NoticePrefs{Mode: p.Mode, Address: p.Address, AccountEmail: r.Email, Version: p.Version, MailEnabled: s.MailEnabled()}
		return nil
	})
	return out, err
}

// SetMyNoticePrefs records the signed-in person's choice; p.Version is the
// version the form was read at (a stale one is refused).
func (s *Service) SetMyNoticePrefs(ctx context.Context, a Actor, p NoticePrefs) error {
	switch p.Mode {
	case store.NoticeImmediate, store.NoticeDaily, store.NoticeOff:
	default:
		return domain.Invalid("mode", "یکی از «بی‌درنگ»، «خلاصه روزانه» یا «خاموش» را برگزینید", "choose immediately, daily digest or off")
	}
	p.Address = strings.TrimSpace(p.Address)
	if p.Address != "" {
		if ad, err := mail.ParseAddress(p.Address); err != nil || ad.Address != p.Address || len(p.Address) > 254 {
			return domain.Invalid("address", "نشانی رایانامه درست نیست (نمونه: name@example.ir)", "not an e-mail address (such as name@example.ir)")
		}
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		r, err := signedIn(tx, a)
		if err != nil {
			return err
		}
		old, err := tx.NoticePrefsOf(r.ID)
		if err != nil {
			return err
		}
		np := store.NoticePrefs{Mode: p.Mode, Address: p.Address, Version: p.Version}
		if err := tx.SetNoticePrefs(r.ID, &np); err != nil {
			return err
		}
		return tx.Audit("prefs", "notice", r.Username, map[string]string{"mode": old.Mode, "address": old.Address},
			map[string]string{"mode": np.Mode, "address": np.Address})
	})
}

// noticeSecret returns the secret unsubscribe links are signed with,
// making it (once, audited) when no instance has yet.
func (s *Service) noticeSecret(ctx context.Context) (secret []byte, err error) {
	if err = s.db.View(ctx, func(tx *store.Tx) error {
		secret, err = tx.NoticeSecret()
		return err
	}); err != nil || secret != nil {
		return secret, err
	}
	err = s.update(ctx, System, func(tx *store.Tx) error {
		if secret, err = tx.MakeNoticeSecret(); err != nil {
			return err
		}
		return tx.Audit("make-secret", "notice", "unsubscribe", nil, nil)
	})
	return secret, err
}

// UnsubscribeFor checks an unsubscribe link's token and returns whom it is
// for, without changing anything (the page that asks to confirm). A token
// that is not genuine, or names no account, is "not found".
func (s *Service) UnsubscribeFor(ctx context.Context, token string) (username string, off bool, err error) {
	secret, err := s.noticeSecret(ctx)
	if err != nil {
		return "", false, err
	}
	name, ok := notice.VerifyUnsubscribe(secret, token)
	if !ok {
		return "", false, domain.NotFound("token", "unsubscribe link")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r, err := tx.RecipientByName(name)
		if err != nil {
			return err
		}
		if r == nil {
			return domain.NotFound("token", "unsubscribe link")
		}
		p, err := tx.NoticePrefsOf(r.ID)
		off = p.Mode == store.NoticeOff
		return err
	})
	return name, off, err
}

// Unsubscribe turns e-mail notices off for the account a genuine token
// names: the unsubscribe link, which works without signing in (and the
// RFC 8058 one-click POST). Doing it twice changes nothing more.
func (s *Service) Unsubscribe(ctx context.Context, token string) (string, error) {
	name, off, err := s.UnsubscribeFor(ctx, token)
	if err != nil || off {
		return name, err
	}
	a := Actor{Name: "unsubscribe:" + name}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		r, err := tx.RecipientByName(name)
		if err != nil {
			return err
		}
		if r == nil {
			return domain.NotFound("token", "unsubscribe link")
		}
		if err := tx.TurnNoticesOff(r.ID); err != nil {
			return err
		}
		return tx.Audit("unsubscribe", "notice", name, nil, map[string]string{"mode": store.NoticeOff})
	})
	return name, err
}

// InboxNotice is one notice of the workspace inbox.
type InboxNotice struct {
	ID     int64
	Notice notice.Notice
	At     time.Time
	Read   bool
}

// MyNotices lists the signed-in person's inbox notices, newest first, and
// how many are unread.
func (s *Service) MyNotices(ctx context.Context, a Actor, limit int) (out []InboxNotice, unread int, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r, err := signedIn(tx, a)
		if err != nil {
			return err
		}
		rows, err := tx.InboxNotices(r.ID, limit)
		if err != nil {
			return err
		}
		for _, row := range rows {
			var n notice.Notice
			if err := json.Unmarshal(row.Body, &n); err != nil {
				return err
			}
			out = append(out, InboxNotice{ID: row.ID, Notice: n, At: row.CreatedAt, Read: !row.ReadAt.IsZero()})
		}
		unread, err = tx.UnreadNotices(r.ID)
		return err
	})
	return out, unread, err
}

// UnreadNotices counts the signed-in person's unread inbox notices (0 for
// a credential that is not a person's).
func (s *Service) UnreadNotices(ctx context.Context, a Actor) (n int, err error) {
	if _, ok := a.username(); !ok {
		return 0, nil
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r, err := signedIn(tx, a)
		if err != nil {
			return err
		}
		n, err = tx.UnreadNotices(r.ID)
		return err
	})
	return n, err
}

// MarkNoticesRead marks one of the signed-in person's notices read (all of
// them when id is 0).
func (s *Service) MarkNoticesRead(ctx context.Context, a Actor, id int64) error {
	return s.update(ctx, a, func(tx *store.Tx) error {
		r, err := signedIn(tx, a)
		if err != nil {
			return err
		}
		n, err := tx.MarkNoticesRead(r.ID, id)
		if err != nil || n == 0 {
			return err
		}
		return tx.Audit("read", "notice", r.Username, nil, map[string]string{"id": strconv.FormatInt(id, 10), "marked": strconv.FormatInt(n, 10)})
	})
}
