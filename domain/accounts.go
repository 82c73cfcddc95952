package domain

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishran/pishran/jalali"
)

// User is a person's account: who they are, what role they hold and, for an
// agency's focal point, which agency. Passwords, sessions and sign-in
// bookkeeping are not part of it: they never leave the store.
type User struct {
	Username    string     `json:"username"`
	DisplayName Text       `json:"display_name"`
	Email       string     `json:"email,omitempty"`
	Role        string     `json:"role"`
	Agency      string     `json:"agency,omitempty"`
	Active      bool       `json:"active"`
	MustChange  bool       `json:"must_change_password"` // the next sign-in must set a new password
	HasPassword bool       `json:"has_password"`         // false: signs in only through single sign-on or a reset link
	SSO         bool       `json:"sso"`                  // provisioned and kept up to date by single sign-on
	LastLogin   *time.Time `json:"last_login_at,omitempty"`
	Meta
}

var usernameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// ValidUsername reports whether s can name an account: 2–64 lower-case latin
// letters, digits, dots, underscores or hyphens, starting with a letter or
// digit. Usernames appear in audit entries ("user:NAME"), so they are kept
// plain.
func ValidUsername(s string) bool { return usernameRe.MatchString(s) }

// Validate checks an account's own fields (not whether its role or agency
// exist: the service knows the roles, the store the agencies).
func (u *User) Validate() error {
	if !ValidUsername(u.Username) {
		return Invalid("username", "نام کاربری باید ۲ تا ۶۴ نویسه از حروف کوچک لاتین، رقم، نقطه، زیرخط یا خط تیره باشد و با حرف یا رقم آغاز شود",
			"the username must be 2–64 lower-case latin letters, digits, dots, underscores or hyphens, starting with a letter or digit")
	}
	if err := validText("display_name", u.DisplayName, true, maxTitle); err != nil {
		return err
	}
	if u.Email != "" {
		at := strings.IndexByte(u.Email, '@')
		if len(u.Email) > 254 || !utf8.ValidString(u.Email) || at < 1 || at != strings.LastIndexByte(u.Email, '@') ||
			at == len(u.Email)-1 || strings.ContainsAny(u.Email, " \t\r\n<>,;\"") {
			return Invalid("email", "نشانی رایانامه نامعتبر است", "invalid email address")
		}
	}
	if u.Agency != "" {
		if err := checkSlug("agency", u.Agency); err != nil {
			return err
		}
	}
	return nil
}

// Password policy: long enough to resist guessing, and not the username.
const (
	MinPassword = 12   // characters
	MaxPassword = 1024 // bytes: bounds the work of hashing
)

// CheckPassword applies the password policy to a new password for username.
// field names the input it came from.
func CheckPassword(field, username, password string) error {
	switch {
	case !utf8.ValidString(password):
		return Invalid(field, "گذرواژه باید UTF-8 معتبر باشد", "the password must be valid UTF-8")
	case utf8.RuneCountInString(password) < MinPassword:
		return Invalid(field, "گذرواژه دست‌کم "+jalali.PersianDigits(strconv.Itoa(MinPassword))+" نویسه باشد",
			fmt.Sprintf("the password must be at least %d characters long", MinPassword))
	case len(password) > MaxPassword:
		return Invalid(field, "گذرواژه بیش از حد طولانی است", fmt.Sprintf("the password must be at most %d bytes long", MaxPassword))
	case strings.TrimSpace(password) == "":
		return Invalid(field, "گذرواژه نمی‌تواند فقط فاصله باشد", "the password cannot be only spaces")
	case username != "" && strings.EqualFold(strings.TrimSpace(password), username):
		return Invalid(field, "گذرواژه نباید همان نام کاربری باشد", "the password must not be the username")
	}
	return nil
}

// LockedOut answers a sign-in refused for a while: the account is locked
// after too many failed attempts, or the client has tried too often. It
// carries when to try again; the HTTP layer answers it as 429 with
// Retry-After.
type LockedOut struct {
	RetryAfter time.Duration
	Account    bool // the account is locked (else the client address is throttled)
}

func (e *LockedOut) Error() string {
	if e.Account {
		return fmt.Sprintf("account locked after too many failed sign-ins; try again in %s", e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("too many sign-in attempts from this address; try again in %s", e.RetryAfter.Round(time.Second))
}

// BadCredentials is the one answer to a wrong username, a wrong password, a
// disabled account or one with no password: telling them apart would tell
// an attacker which accounts exist.
func BadCredentials() *Error {
	return &Error{Kind: KindUnauthorized, Message: T("نام کاربری یا گذرواژه نادرست است", "wrong username or password")}
}
