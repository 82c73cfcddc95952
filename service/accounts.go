package service

import (
	"context"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// username returns the account an actor signed in as, if it is a person.
func (a Actor) username() (string, bool) {
	return strings.CutPrefix(a.Name, "user:")
}

func (a Actor) mustBeAdmin() error {
	switch a.Role {
	case RoleAnonymous:
		return domain.Unauthorized()
	case RoleAdmin:
		return nil
	}
	return domain.Forbidden("مدیریت حساب‌ها با مدیر سامانه است", "only an admin may manage accounts")
}

// checkRole checks a role and agency pair for an account.
func checkRole(role Role, agency string) error {
	if !ValidRole(role) || role == RoleExchange { // the exchange operator pushes with a token, never signs in
		return domain.Invalid("role", "نقش نامعتبر؛ یکی از admin، secretariat، council، agency، reader",
			"invalid role; one of admin, secretariat, council, agency, reader")
	}
	if role == RoleAgency && agency == "" {
		return domain.Invalid("agency", "حساب نقش agency به کد دستگاه نیاز دارد", "an agency account needs the agency's code")
	}
	if role != RoleAgency && agency != "" {
		return domain.Invalid("agency", "فقط حساب نقش agency به دستگاه بسته می‌شود", "only an agency-role account is tied to an agency")
	}
	return nil
}

// userView is what the audit log keeps of an account: never a hash.
func userView(u *domain.User) map[string]any {
	return map[string]any{"username": u.Username, "display_name": u.DisplayName, "email": u.Email, "role": u.Role,
		"agency": u.Agency, "active": u.Active, "must_change_password": u.MustChange}
}

// CreateUser adds an account; only an admin (or the console) may. With a
// password, the password must meet the policy, and u.MustChange says
// whether it must be changed at the first sign-in (an admin who chose it
// knows it). Without one, the account gets a one-time link to set it, which
// is returned.
func (s *Service) CreateUser(ctx context.Context, a Actor, u *domain.User, password string, send ...LinkDelivery) (*Link, error) {
	if err := a.mustBeAdmin(); err != nil {
		return nil, err
	}
	u.Username = strings.TrimSpace(u.Username)
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := checkRole(Role(u.Role), u.Agency); err != nil {
		return nil, err
	}
	c := &store.Account{User: *u}
	if password != "" {
		if err := domain.CheckPassword("password", u.Username, password); err != nil {
			return nil, err
		}
		h, err := hashPassword(password)
		if err != nil {
			return nil, err
		}
		c.PasswordHash = h
	} else {
		c.User.MustChange = false
	}
	var link *Link
	err := s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.InsertUser(c); err != nil {
			return err
		}
		if c.PasswordHash == "" {
			var err error
			if link, err = issueLink(tx, store.LinkReset, c.ID, resetTTL); err != nil {
				return err
			}
		}
		if err := auditState(tx, "create", "user", c.User.Username, nil); err != nil {
			return err
		}
		if link != nil && wantsMail(send) {
			return s.mailLink(tx, c.User.Username, notice.SetPassword, link)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	*u = c.User
	return link, nil
}

func issueLink(tx *store.Tx, purpose string, userID int64, ttl time.Duration) (*Link, error) {
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	l := &Link{Token: secret, Expires: tx.Now().Add(ttl)}
	return l, tx.InsertLink(purpose, hashToken(secret), userID, l.Expires)
}

// Users lists accounts by username; for admins.
func (s *Service) Users(ctx context.Context, a Actor, p domain.Page) (out []*domain.User, err error) {
	if err := a.mustBeAdmin(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Users(p); return err })
	return out, err
}

// User returns an account: to an admin, or to its own holder. Anyone else
// learns nothing, not even that it exists.
func (s *Service) User(ctx context.Context, a Actor, username string) (*domain.User, error) {
	if a.Role == RoleAnonymous {
		return nil, domain.Unauthorized()
	}
	if me, ok := a.username(); a.Role != RoleAdmin && (!ok || me != username) {
		return nil, domain.NotFound("username", "user")
	}
	var c *store.Account
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Account(username); return err })
	if err != nil {
		return nil, err
	}
	return &c.User, nil
}

// UpdateUser replaces an account's display name, email, role, agency and
// active flag; only an admin may. u.Version must be the version last read.
// A deactivated account's sessions end at once; a new role holds from the
// next request. The last active admin can be neither demoted nor
// deactivated, so the registry always has someone who can manage it.
func (s *Service) UpdateUser(ctx context.Context, a Actor, u *domain.User) error {
	if err := a.mustBeAdmin(); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkRole(Role(u.Role), u.Agency); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := tx.LockAccounts(); err != nil {
			return err
		}
		old, err := tx.Account(u.Username)
		if err != nil {
			return err
		}
		if old.User.Role == string(RoleAdmin) && old.User.Active && (u.Role != string(RoleAdmin) || !u.Active) {
			n, err := tx.ActiveAdmins()
			if err != nil {
				return err
			}
			if n <= 1 {
				return domain.Conflict("role", "این آخرین مدیر فعال است؛ نخست مدیر دیگری بسازید",
					"this is the last active admin; make another admin first")
			}
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		if !u.Active {
			if _, err := tx.DeleteSessions(old.ID, ""); err != nil {
				return err
			}
		}
		nu, err := tx.AccountByID(old.ID)
		if err != nil {
			return err
		}
		*u = nu.User
		return auditState(tx, "update", "user", u.Username, userView(&old.User))
	})
}

// ResetLink is an admin's password reset: the account's password stops
// working, its sessions end, and a one-time link (good for 24 hours) lets
// its holder set a new one. The admin hands it over or (send LinkByEmail)
// Pishran e-mails it to the account's address.
func (s *Service) ResetLink(ctx context.Context, a Actor, username string, send ...LinkDelivery) (*Link, error) {
	if err := a.mustBeAdmin(); err != nil {
		return nil, err
	}
	var link *Link
	err := s.update(ctx, a, func(tx *store.Tx) error {
		c, err := tx.Account(username)
		if err != nil {
			return err
		}
		if err := tx.SetPassword(c.ID, "", false); err != nil {
			return err
		}
		if _, err := tx.DeleteSessions(c.ID, ""); err != nil {
			return err
		}
		if err := tx.RetireLinks(store.LinkReset, c.ID); err != nil {
			return err
		}
		if link, err = issueLink(tx, store.LinkReset, c.ID, resetTTL); err != nil {
			return err
		}
		if err := auditState(tx, "reset-password", "user", username, nil); err != nil {
			return err
		}
		if err := tx.Audit("issue-link", "user", username, nil, map[string]any{"purpose": "reset", "link_expires_at": link.Expires}); err != nil {
			return err
		}
		if wantsMail(send) {
			return s.mailLink(tx, username, notice.ResetPassword, link)
		}
		return nil
	})
	return link, err
}
