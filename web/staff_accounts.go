package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// Accounts, for admins: the list of accounts; a new account, which gets a
// one-time link (good for 24 hours) with which its holder sets their own
// password — Pishran sends no email, so the page shows the link once for
// the admin to hand over; an account's name, email, role, agency and
// whether it is enabled (service.UpdateUser, refused if the account
// changed since the form was shown); and a password reset, which stops the
// old password, ends the account's sessions and gives a new link
// (service.ResetLink). Disabling an account ends its sessions at once.
// Nobody but an admin reaches these pages.

type accountsView struct {
	Users    []accountRow
	Form     accountForm
	Roles    []string
	Agencies []agencyChoice
	Mail     bool // e-mail is configured: the form offers to send the link
}

type accountRow struct {
	*domain.User
	AgencyName domain.Text
}

// accountForm is an account as the create and edit forms show it.
type accountForm struct {
	Username    string
	DisplayName domain.Text
	Email       string
	Role        string
	Agency      string
	Active      bool
	Error       *formError
}

type accountView struct {
	U          *domain.User
	AgencyName domain.Text
	Form       accountForm
	Roles      []string
	Agencies   []agencyChoice
	Link       *oneTimeLink // a link just issued, shown this once
	Done       string
	ResetErr   *formError
	Self       bool // the admin's own account
	Mail       bool // e-mail is configured: the form offers to send the link
}

// oneTimeLink is a set-password link for the admin to hand over.
type oneTimeLink struct {
	URL     string
	Expires time.Time
	Kind    string // "created" or "reset"
	Mailed  bool   // the admin chose to have it e-mailed (notify.go)
}

// mustAdmin refuses anyone but an admin, as the service does.
func mustAdmin(q *req) error {
	if q.who.Role != service.RoleAdmin {
		return domain.Forbidden("مدیریت حساب‌ها با مدیر سامانه است", "only an admin may manage accounts")
	}
	return nil
}

func roleChoices() []string {
	out := make([]string, 0, len(service.Roles))
	for _, r := range service.Roles {
		if r != service.RoleExchange { // a token's role, never an account's
			out = append(out, string(r))
		}
	}
	return out
}

// agencyChoices lists every agency, for the agency field.
func (s *Site) agencyChoices(q *req) ([]agencyChoice, error) {
	var out []agencyChoice
	for a, err := range domain.Walk(func(p domain.Page) ([]*domain.Agency, error) { return s.svc.Agencies(q.Context(), p) },
		func(a *domain.Agency) string { return a.Code }) {
		if err != nil {
			return nil, err
		}
		out = append(out, agencyChoice{Code: a.Code, Name: a.Name})
	}
	return out, nil
}

// readAccount reads the account form's inputs (not the username).
func readAccount(q *req, f *accountForm) {
	f.DisplayName = formText(q, "display_name")
	f.Email = strings.TrimSpace(q.PostFormValue("email"))
	f.Role = q.PostFormValue("role")
	f.Agency = q.PostFormValue("agency")
	f.Active = q.PostFormValue("active") == "on"
	if f.Role != string(service.RoleAgency) {
		// The agency list is only for an agency's account: a choice left
		// in it when the role changed is not meant.
		f.Agency = ""
	}
}

func (f *accountForm) user() *domain.User {
	return &domain.User{Username: f.Username, DisplayName: f.DisplayName, Email: f.Email, Role: f.Role, Agency: f.Agency, Active: f.Active}
}

// linkURL is the address of the page that spends a set-password link
// (/reset/TOKEN, links.go), on this site.
func (s *Site) linkURL(q *req, token string) string {
	return httpx.LinkURL(s.publicURL(), q.Request, s.secure(q.Request), "reset", url.PathEscape(token))
}

// ---- the list ----

func (s *Site) accountsPage(q *req) error {
	return s.accountsRender(q, http.StatusOK, accountForm{Role: string(service.RoleReader), Active: true})
}

func (s *Site) accountsRender(q *req, status int, f accountForm) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	v := accountsView{Form: f, Roles: roleChoices(), Mail: s.svc.MailEnabled()}
	look := s.lookups(q)
	for u, err := range domain.Walk(func(p domain.Page) ([]*domain.User, error) { return s.svc.Users(q.Context(), q.actor, p) },
		func(u *domain.User) string { return u.Username }) {
		if err != nil {
			return err
		}
		row := accountRow{User: u}
		if u.Agency != "" {
			row.AgencyName = look.agency(u.Agency)
		}
		v.Users = append(v.Users, row)
	}
	if err := look.err; err != nil {
		return err
	}
	var err error
	if v.Agencies, err = s.agencyChoices(q); err != nil {
		return err
	}
	return s.renderStaff(q, status, "staff/accounts", q.lang.T("accounts.title"), "accounts", v)
}

// accountCreate adds an account (service.CreateUser) without a password:
// the page answers with the account and its one-time link. It is not
// redirected, so the link is never in an address or the history.
func (s *Site) accountCreate(q *req) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	if err := parseForm(q); err != nil {
		return err
	}
	f := accountForm{Username: strings.TrimSpace(q.PostFormValue("username"))}
	readAccount(q, &f)
	u := f.user()
	link, err := s.svc.CreateUser(q.Context(), q.actor, u, "", linkDelivery(q)...)
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.accountsRender(q, status, f)
	}
	return s.accountRender(q, http.StatusCreated, u.Username, func(v *accountView) {
		if link != nil {
			v.Link = &oneTimeLink{URL: s.linkURL(q, link.Token), Expires: link.Expires, Kind: "created", Mailed: len(linkDelivery(q)) > 0}
		}
	})
}

// ---- one account ----

func (s *Site) accountPage(q *req) error {
	return s.accountRender(q, http.StatusOK, q.PathValue("username"), nil)
}

func (s *Site) accountRender(q *req, status int, username string, fill func(*accountView)) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	u, err := s.svc.User(q.Context(), q.actor, username)
	if err != nil {
		return err
	}
	v := accountView{Mail: s.svc.MailEnabled(), U: u, Roles: roleChoices(), Self: q.who.Name == "user:"+u.Username,
		Form: accountForm{Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Role: u.Role, Agency: u.Agency, Active: u.Active}}
	if u.Agency != "" {
		look := s.lookups(q)
		v.AgencyName = look.agency(u.Agency)
		if err := look.err; err != nil {
			return err
		}
	}
	if v.Agencies, err = s.agencyChoices(q); err != nil {
		return err
	}
	if d := q.URL.Query().Get("done"); d == "saved" {
		v.Done = d
	}
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/account", q.lang.T("account.title", u.Username), "accounts", v)
}

// accountUpdate saves the edited account (service.UpdateUser); the form
// carries the version it was rendered from.
func (s *Site) accountUpdate(q *req) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	if err := parseForm(q); err != nil {
		return err
	}
	f := accountForm{Username: q.PathValue("username")}
	readAccount(q, &f)
	u := f.user()
	u.Version = version(q)
	if err := s.svc.UpdateUser(q.Context(), q.actor, u); err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		f.Error = fe
		return s.accountRender(q, status, f.Username, func(v *accountView) { v.Form = f })
	}
	return redirect(q, "/staff/accounts/"+url.PathEscape(u.Username)+"?done=saved")
}

// accountReset stops the account's password, ends its sessions and issues
// a new one-time link (service.ResetLink), shown on the page answered.
func (s *Site) accountReset(q *req) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	username := q.PathValue("username")
	if err := parseForm(q); err != nil {
		return err
	}
	link, err := s.svc.ResetLink(q.Context(), q.actor, username, linkDelivery(q)...)
	if err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		return s.accountRender(q, status, username, func(v *accountView) { v.ResetErr = fe })
	}
	return s.accountRender(q, http.StatusOK, username, func(v *accountView) {
		v.Link = &oneTimeLink{URL: s.linkURL(q, link.Token), Expires: link.Expires, Kind: "reset", Mailed: len(linkDelivery(q)) > 0}
	})
}

// linkDelivery reads the account forms' "send by e-mail" box.
func linkDelivery(q *req) []service.LinkDelivery {
	if q.PostFormValue("send") == "email" {
		return []service.LinkDelivery{service.LinkByEmail}
	}
	return nil
}
