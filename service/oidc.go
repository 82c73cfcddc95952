package service

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// OIDCConfig configures single sign-on through an OpenID Connect provider
// (the government's "smart identity"). It is read from a small JSON file
// (see LoadOIDCConfig); the client secret may come from the environment.
type OIDCConfig struct {
	Issuer       string   `json:"issuer"`        // the provider's issuer URL; discovery is read from it
	ClientID     string   `json:"client_id"`     // Pishran's client id at the provider; ID tokens must be for it
	ClientSecret string   `json:"client_secret"` // or PISHRAN_OIDC_CLIENT_SECRET
	RedirectURL  string   `json:"redirect_url"`  // https://HOST/auth/oidc/callback, registered at the provider
	Scopes       []string `json:"scopes"`        // default: openid profile email

	// Which claims give the account's fields.
	UsernameClaim    string `json:"username_claim"`     // default preferred_username
	DisplayNameClaim string `json:"display_name_claim"` // default name
	EmailClaim       string `json:"email_claim"`        // default email
	AgencyClaim      string `json:"agency_claim"`       // default agency: the agency code of an agency-role account

	// Roles maps claims to Pishran roles: the first rule whose claim holds
	// the value (equal to a string claim, or one of a list claim such as
	// "groups") gives the role. List the most powerful rules first.
	Roles []OIDCRoleRule `json:"roles"`
	// DefaultRole is the role of a person no rule matches; empty refuses
	// them.
	DefaultRole string `json:"default_role"`
}

// OIDCRoleRule maps one claim value to a role (and, optionally, a fixed
// agency; else an agency-role account takes the agency claim).
type OIDCRoleRule struct {
	Claim  string `json:"claim"`
	Value  string `json:"value"`
	Role   string `json:"role"`
	Agency string `json:"agency,omitempty"`
}

// LoadOIDCConfig reads the JSON configuration file; unknown fields are
// refused, so a misspelt setting is not silently ignored. The environment
// variable PISHRAN_OIDC_CLIENT_SECRET, when set, replaces client_secret.
func LoadOIDCConfig(path string) (OIDCConfig, error) {
	var c OIDCConfig
	b, err := os.ReadFile(path)
	if err != nil {
		return c, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	if s := os.Getenv("PISHRAN_OIDC_CLIENT_SECRET"); s != "" {
		c.ClientSecret = s
	}
	return c, nil
}

func (c *OIDCConfig) check() error {
	bad := func(field, msg string) error {
		return domain.Invalid(field, "پیکربندی ورود یکپارچه: "+msg, "single sign-on configuration: "+msg)
	}
	if u, err := url.Parse(c.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bad("issuer", "issuer must be an http(s) URL")
	}
	if c.ClientID == "" {
		return bad("client_id", "client_id is required")
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bad("redirect_url", "redirect_url must be the absolute URL of /auth/oidc/callback")
	}
	if len(c.Scopes) == 0 {
		c.Scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	if !slices.Contains(c.Scopes, oidc.ScopeOpenID) {
		c.Scopes = append([]string{oidc.ScopeOpenID}, c.Scopes...)
	}
	if c.UsernameClaim == "" {
		c.UsernameClaim = "preferred_username"
	}
	if c.DisplayNameClaim == "" {
		c.DisplayNameClaim = "name"
	}
	if c.EmailClaim == "" {
		c.EmailClaim = "email"
	}
	if c.AgencyClaim == "" {
		c.AgencyClaim = "agency"
	}
	for i, r := range c.Roles {
		f := fmt.Sprintf("roles[%d]", i)
		if r.Claim == "" || r.Value == "" {
			return bad(f, "each role rule needs a claim and a value")
		}
		if !ValidRole(Role(r.Role)) {
			return bad(f+".role", "invalid role "+r.Role)
		}
		if r.Agency != "" && r.Role != string(RoleAgency) {
			return bad(f+".agency", "only an agency-role rule may name an agency")
		}
	}
	if c.DefaultRole != "" && (!ValidRole(Role(c.DefaultRole)) || c.DefaultRole == string(RoleAgency)) {
		return bad("default_role", "default_role must be secretariat, council, reader or admin (an agency needs a rule)")
	}
	return nil
}

// MapClaims turns an ID token's claims into an account, by the
// configuration's rules. It refuses a person with no usable username or no
// role.
func (c *OIDCConfig) MapClaims(claims map[string]any) (*domain.User, error) {
	refuse := func(fa, en string) error {
		return domain.Forbidden("ورود یکپارچه: "+fa, "single sign-on: "+en)
	}
	str := func(name string) string { s, _ := claims[name].(string); return strings.TrimSpace(s) }
	u := &domain.User{Username: strings.ToLower(str(c.UsernameClaim)), Email: str(c.EmailClaim), Active: true}
	if !domain.ValidUsername(u.Username) {
		return nil, refuse("شناسه کاربری در ادعای "+c.UsernameClaim+" نیست یا نامعتبر است",
			"the "+c.UsernameClaim+" claim is missing or is not a valid username")
	}
	// The provider's name is shown on pages and in the audit log: what
	// could reorder or hide it is taken out rather than refusing sign-in.
	name := domain.CleanLine(str(c.DisplayNameClaim))
	if name == "" {
		name = u.Username
	}
	u.DisplayName = domain.T(name, name)
	if ev, ok := claims["email_verified"].(bool); ok && !ev {
		u.Email = "" // an unverified address is not recorded
	}
	for _, r := range c.Roles {
		if claimHas(claims[r.Claim], r.Value) {
			u.Role, u.Agency = r.Role, r.Agency
			break
		}
	}
	if u.Role == "" {
		u.Role = c.DefaultRole
	}
	if u.Role == "" {
		return nil, refuse("هیچ قاعده‌ای به این شخص نقشی در پیشران نمی‌دهد", "no rule gives this person a role in Pishran")
	}
	if u.Role == string(RoleAgency) && u.Agency == "" {
		u.Agency = strings.ToLower(str(c.AgencyClaim))
		if u.Agency == "" {
			return nil, refuse("ادعای "+c.AgencyClaim+" کد دستگاه را ندارد", "the "+c.AgencyClaim+" claim gives no agency code")
		}
	}
	if err := u.Validate(); err != nil {
		return nil, refuse("داده‌های هویتی نامعتبرند: "+err.Error(), "the identity's claims are not valid: "+err.Error())
	}
	return u, nil
}

// claimHas reports whether a claim holds a value: equal to a string claim,
// or an element of a list claim.
func claimHas(claim any, value string) bool {
	switch v := claim.(type) {
	case string:
		return v == value
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok && s == value {
				return true
			}
		}
	}
	return false
}

// OIDC is single sign-on through one OpenID Connect provider. Accounts are
// provisioned just in time: the first sign-in of a person the rules give a
// role creates their account, linked to the provider's (issuer, subject);
// each later sign-in brings its role, agency, name and email up to date from
// the claims. A username already held by a local account is refused rather
// than taken over, and an account an admin deactivated stays deactivated.
type OIDC struct {
	svc    *Service
	cfg    OIDCConfig
	client *http.Client

	mu       sync.Mutex
	provider *oidc.Provider // discovered on first use, so a provider that is down at start delays nothing else
	verifier *oidc.IDTokenVerifier
}

// NewOIDC checks the configuration; the provider is contacted on the first
// sign-in.
func (s *Service) NewOIDC(cfg OIDCConfig) (*OIDC, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &OIDC{svc: s, cfg: cfg, client: &http.Client{Timeout: 15 * time.Second}}, nil
}

// ErrProviderUnavailable reports that the provider could not be reached or
// answered nonsense: not the caller's fault.
var ErrProviderUnavailable = errors.New("single sign-on provider unavailable")

func (o *OIDC) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, o.client) }

func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider == nil {
		// The key set fetches keys with the context given here, so it must
		// outlive this request.
		p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), o.client), o.cfg.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", ErrProviderUnavailable, err)
		}
		o.provider = p
		o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID})
	}
	return o.provider, o.verifier, nil
}

func (o *OIDC) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: o.cfg.RedirectURL, Scopes: o.cfg.Scopes}
}

const oidcLoginTTL = 10 * time.Minute

// Begin starts a sign-in: it returns the state, which the caller keeps in a
// short-lived cookie bound to the browser, and the provider's URL to send the
// browser to (with the nonce and the PKCE challenge). next is where to go
// afterwards: a local path only.
func (o *OIDC) Begin(ctx context.Context, next string) (state, authURL string, err error) {
	p, _, err := o.discover(ctx)
	if err != nil {
		return "", "", err
	}
	if state, err = newSecret(); err != nil {
		return "", "", err
	}
	nonce, err := newSecret()
	if err != nil {
		return "", "", err
	}
	verifier := oauth2.GenerateVerifier()
	err = o.svc.db.Update(ctx, func(tx *store.Tx) error {
		return tx.InsertOIDCLogin(&store.OIDCLogin{Hash: hashToken(state), Nonce: nonce, Verifier: verifier,
			Next: LocalPath(next), Expires: tx.Now().Add(oidcLoginTTL)})
	})
	if err != nil {
		return "", "", err
	}
	return state, o.oauth(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// LocalPath keeps a redirect target on this site: a path starting with one
// slash, else "/".
func LocalPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\x00") {
		return "/"
	}
	return next
}

func ssoRefused(en string) error {
	return &domain.Error{Kind: domain.KindUnauthorized,
		Message: domain.T("ورود یکپارچه پذیرفته نشد: "+en, "single sign-on refused: "+en)}
}

// Finish completes a sign-in at the callback: the state must be the one the
// browser's cookie holds and still waiting (each is good once); the code is
// exchanged with the PKCE verifier; the ID token's signature, issuer,
// audience and expiry are checked by go-oidc's verifier and its nonce here.
// Then the claims are mapped, the account provisioned and a session
// started. It returns the session and where to send the browser.
func (o *OIDC) Finish(ctx context.Context, cookieState, state, code string, cl Client, pol SessionPolicy) (*Session, string, error) {
	if state == "" || cookieState == "" || subtle.ConstantTimeCompare([]byte(state), []byte(cookieState)) != 1 {
		return nil, "", ssoRefused("the sign-in's state does not match this browser; start again")
	}
	if code == "" {
		return nil, "", ssoRefused("the provider returned no code")
	}
	var login *store.OIDCLogin
	err := o.svc.db.Update(ctx, func(tx *store.Tx) (err error) { login, err = tx.TakeOIDCLogin(hashToken(state)); return err })
	if err != nil {
		return nil, "", err
	}
	if login == nil {
		return nil, "", ssoRefused("the sign-in expired or was already completed; start again")
	}
	p, verifier, err := o.discover(ctx)
	if err != nil {
		return nil, "", err
	}
	tok, err := o.oauth(p).Exchange(o.ctx(ctx), code, oauth2.VerifierOption(login.Verifier))
	if err != nil {
		o.svc.log.Warn("oidc code exchange failed", "err", err)
		return nil, "", ssoRefused("the provider did not accept the code")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, "", ssoRefused("the provider returned no ID token")
	}
	idt, err := verifier.Verify(o.ctx(ctx), raw)
	if err != nil {
		o.svc.log.Warn("oidc id token refused", "err", err)
		return nil, "", ssoRefused("the ID token is not valid (signature, issuer, audience or expiry)")
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(login.Nonce)) != 1 {
		o.svc.log.Warn("oidc id token nonce mismatch")
		return nil, "", ssoRefused("the ID token's nonce does not match the sign-in")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return nil, "", ssoRefused("the ID token's claims cannot be read")
	}
	u, err := o.cfg.MapClaims(claims)
	if err != nil {
		return nil, "", err
	}
	sess, err := o.svc.provision(ctx, idt.Issuer, idt.Subject, u, cl, pol)
	return sess, login.Next, err
}

// provision creates or brings up to date the account of a verified single
// sign-on identity and starts its session.
func (s *Service) provision(ctx context.Context, issuer, subject string, u *domain.User, cl Client, pol SessionPolicy) (*Session, error) {
	var sess *Session
	err := s.update(ctx, Actor{Name: "user:" + u.Username}, func(tx *store.Tx) error {
		c, err := tx.AccountByOIDC(issuer, subject)
		if err != nil {
			return err
		}
		if c == nil {
			if _, err := tx.Account(u.Username); err == nil {
				return domain.Conflict("username", "حسابی با این نام کاربری هست و به این هویت پیوند ندارد؛ مدیر باید آن را سامان دهد",
					"an account with this username exists and is not linked to this identity; an admin must sort it out")
			} else if !domain.IsKind(err, domain.KindNotFound) {
				return err
			}
			c = &store.Account{User: *u, OIDCIssuer: issuer, OIDCSubject: subject}
			if err := tx.InsertUser(c); err != nil {
				if domain.IsKind(err, domain.KindInvalid) { // the agency claim names no recorded agency
					return domain.Forbidden("ورود یکپارچه: دستگاه "+u.Agency+" در پیشران ثبت نشده است",
						"single sign-on: agency "+u.Agency+" is not recorded in Pishran")
				}
				return err
			}
			if err := auditState(tx, "create", "user", u.Username, nil); err != nil {
				return err
			}
		} else {
			if !c.User.Active {
				return domain.Forbidden("این حساب غیرفعال است", "this account is disabled")
			}
			nu := c.User
			nu.DisplayName, nu.Email, nu.Role, nu.Agency = u.DisplayName, u.Email, u.Role, u.Agency
			if nu.DisplayName != c.User.DisplayName || nu.Email != c.User.Email || nu.Role != c.User.Role || nu.Agency != c.User.Agency {
				if err := tx.UpdateUser(&nu); err != nil {
					if domain.IsKind(err, domain.KindInvalid) {
						return domain.Forbidden("ورود یکپارچه: دستگاه "+u.Agency+" در پیشران ثبت نشده است",
							"single sign-on: agency "+u.Agency+" is not recorded in Pishran")
					}
					return err
				}
				if err := auditState(tx, "update", "user", nu.Username, userView(&c.User)); err != nil {
					return err
				}
				c.User = nu
			}
		}
		if err := tx.LoginSucceeded(c.ID); err != nil {
			return err
		}
		sess, err = startSession(tx, c, "oidc", cl, pol)
		return err
	})
	return sess, err
}
