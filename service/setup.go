package service

import (
	"context"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// ResetPassword spends a one-time reset link: it sets the account's new
// password, ends its other sessions, and signs it in.
func (s *Service) ResetPassword(ctx context.Context, token, password string, cl Client, pol SessionPolicy) (*Session, error) {
	if !plausibleSecret(token) {
		return nil, linkInvalid()
	}
	if err := domain.CheckPassword("password", "", password); err != nil {
		return nil, err
	}
	h, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var sess *Session
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		id, err := tx.UseLink("token", store.LinkReset, hashToken(token))
		if err != nil {
			return err
		}
		c, err := tx.AccountByID(id)
		if err != nil {
			return err
		}
		if !c.User.Active {
			return linkInvalid()
		}
		if err := domain.CheckPassword("password", c.User.Username, password); err != nil {
			return err
		}
		if err := tx.SetPassword(c.ID, h, false); err != nil {
			return err
		}
		if _, err := tx.DeleteSessions(c.ID, ""); err != nil {
			return err
		}
		if err := tx.LoginSucceeded(c.ID); err != nil {
			return err
		}
		c.PasswordHash, c.User.MustChange, c.User.HasPassword = h, false, true
		if sess, err = startSession(tx, c, "reset", cl, pol); err != nil {
			return err
		}
		return auditState(tx, "set-password", "user", c.User.Username, nil)
	})
	return sess, err
}

func linkInvalid() error {
	return domain.Invalid("token", "این پیوند نامعتبر است، منقضی شده یا پیش‌تر به کار رفته است",
		"this link is invalid, expired or already used")
}

// SetupLink makes a one-time link for creating the first admin, good for 24
// hours, when there is no active admin; otherwise it returns nil. Each call
// makes a new link; any of them works until one is used.
func (s *Service) SetupLink(ctx context.Context) (*Link, error) {
	var link *Link
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		n, err := tx.ActiveAdmins()
		if err != nil || n > 0 {
			return err
		}
		link, err = issueLink(tx, store.LinkSetup, 0, setupTTL)
		return err
	})
	return link, err
}

// Setup spends a setup link: it creates the first admin and signs them in.
// It works once: then every setup link stops working.
func (s *Service) Setup(ctx context.Context, token string, u *domain.User, password string, cl Client, pol SessionPolicy) (*Session, error) {
	if !plausibleSecret(token) {
		return nil, linkInvalid()
	}
	u.Username = strings.TrimSpace(u.Username)
	u.Role, u.Agency, u.Active, u.MustChange = string(RoleAdmin), "", true, false
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := domain.CheckPassword("password", u.Username, password); err != nil {
		return nil, err
	}
	h, err := hashPassword(password)
	if err != nil {
		return nil, err
	}
	var sess *Session
	err = s.update(ctx, Actor{Name: "user:" + u.Username}, func(tx *store.Tx) error {
		if err := tx.LockAccounts(); err != nil {
			return err
		}
		if _, err := tx.UseLink("token", store.LinkSetup, hashToken(token)); err != nil {
			return err
		}
		if n, err := tx.ActiveAdmins(); err != nil {
			return err
		} else if n > 0 {
			return linkInvalid()
		}
		if err := tx.RetireLinks(store.LinkSetup, 0); err != nil {
			return err
		}
		c := &store.Account{User: *u, PasswordHash: h}
		if err := tx.InsertUser(c); err != nil {
			return err
		}
		if err := tx.LoginSucceeded(c.ID); err != nil {
			return err
		}
		*u = c.User
		if sess, err = startSession(tx, c, "setup", cl, pol); err != nil {
			return err
		}
		return auditState(tx, "create", "user", u.Username, nil)
	})
	return sess, err
}
