package service

import (
	"context"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// ActorName is how the workspace names who did something: the records keep
// an actor's id ("user:moh-focal", "token:import", "system"), which means
// nothing to a reader. A person is named by the display name of their
// account, a token by the name it was given, the system as such. Only
// signed-in staff read it (the public never sees who recorded what); an id
// that names no account is given back as it is.
func (s *Service) ActorName(ctx context.Context, a Actor, id string) (domain.Text, error) {
	if a.Role == RoleAnonymous {
		return domain.Text{}, domain.Unauthorized()
	}
	switch kind, name, _ := strings.Cut(id, ":"); {
	case id == System.Name:
		return domain.T("سامانه پیشران", "Pishran (the system)"), nil
	case kind == "token" && name != "":
		return domain.T(name, name), nil
	case kind == "user" && name != "":
		var c *store.Account
		err := s.db.View(ctx, func(tx *store.Tx) (err error) { c, err = tx.Account(name); return err })
		if domain.IsKind(err, domain.KindNotFound) {
			return domain.T(name, name), nil
		}
		if err != nil {
			return domain.Text{}, err
		}
		t := c.User.DisplayName
		if t.FA == "" {
			t.FA = t.EN
		}
		if t.EN == "" {
			t.EN = t.FA
		}
		if t.IsZero() {
			t = domain.T(name, name)
		}
		return t, nil
	}
	return domain.T(id, id), nil
}
