package exchange

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// Member is a party of the exchange: an agency or company, named the way
// X-Road names it, by the exchange instance, its member class and its member
// code (GOV, COM, NGO… with a registry number).
type Member struct {
	Instance string `json:"instance"` // X-Road instance, e.g. "IR"
	Class    string `json:"class"`    // member class, e.g. "GOV"
	Code     string `json:"code"`     // member code, e.g. a national id of the agency
}

// Subsystem is one information system of a member: the unit that calls
// services (as a client) and offers them (as a provider). A client with no
// subsystem code is the member itself, which X-Road allows for clients.
type Subsystem struct {
	Member
	Code string `json:"subsystem,omitempty"`
}

// Service is one service a provider subsystem offers. Version is optional;
// an integration declared without a version matches every version.
type Service struct {
	Provider Subsystem `json:"provider"`
	Code     string    `json:"code"`
	Version  string    `json:"version,omitempty"`
}

// maxIdent bounds each part of an identifier. X-Road's own database columns
// hold 255 characters; longer is not an identifier but a stray blob.
const maxIdent = 255

// String is the X-Road path form INSTANCE/CLASS/CODE.
func (m Member) String() string { return m.Instance + "/" + m.Class + "/" + m.Code }

// String is the X-Road path form INSTANCE/CLASS/CODE/SUBSYSTEM, or
// INSTANCE/CLASS/CODE for a member acting without a subsystem.
func (s Subsystem) String() string {
	if s.Code == "" {
		return s.Member.String()
	}
	return s.Member.String() + "/" + s.Code
}

// String is INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE, with /VERSION when the
// service has one. A provider with no subsystem leaves its segment empty
// (INSTANCE/CLASS/CODE//SERVICE) so that the parts stay where they belong.
func (s Service) String() string {
	out := s.Provider.Member.String() + "/" + s.Provider.Code + "/" + s.Code
	if s.Version != "" {
		out += "/" + s.Version
	}
	return out
}

// Validate checks every part of the member: present, at most 255
// characters of valid UTF-8, and none of the characters that separate
// X-Road's string forms (/ : ; % \) or any control or space character, so
// that String and ParseMember round-trip. field prefixes the names of the
// parts in the error.
func (m Member) Validate(field string) error {
	if err := checkIdent(field+"instance", m.Instance, true); err != nil {
		return err
	}
	if err := checkIdent(field+"class", m.Class, true); err != nil {
		return err
	}
	return checkIdent(field+"code", m.Code, true)
}

// Validate checks the member and the subsystem code (which may be empty).
func (s Subsystem) Validate(field string) error {
	if err := s.Member.Validate(field); err != nil {
		return err
	}
	return checkIdent(field+"subsystem", s.Code, false)
}

// Validate checks the provider, the service code (required) and the version
// (optional).
func (s Service) Validate(field string) error {
	if err := s.Provider.Validate(field + "provider."); err != nil {
		return err
	}
	if err := checkIdent(field+"code", s.Code, true); err != nil {
		return err
	}
	return checkIdent(field+"version", s.Version, false)
}

// checkIdent is the rule of Validate for one part.
func checkIdent(field, s string, required bool) error {
	if s == "" {
		if required {
			return domain.Invalid(field, "این جزء شناسه تبادل الزامی است", "this part of the exchange identifier is required")
		}
		return nil
	}
	if reason := identProblem(s); reason != nil {
		return &domain.Error{Kind: domain.KindInvalid, Field: field, Message: *reason}
	}
	return nil
}

// identProblem says what is wrong with a non-empty identifier part, or nil.
func identProblem(s string) *domain.Text {
	if len(s) > maxIdent {
		return &reasonIdentLong
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7F || strings.IndexByte(`/:;%\`, c) >= 0 {
				return &reasonIdentChar
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return &reasonIdentUTF8
		}
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) && r != 0x200C && r != 0x200D {
			return &reasonIdentChar
		}
		i += size
	}
	return nil
}

var (
	reasonIdentLong = domain.T("جزء شناسه تبادل بیش از ۲۵۵ نویسه است", "an exchange identifier part is longer than 255 characters")
	reasonIdentChar = domain.T("جزء شناسه تبادل نویسه ناروا دارد (/ : ; % \\ یا فاصله یا نویسه کنترلی)",
		"an exchange identifier part holds a character that is not allowed (/ : ; % \\, a space or a control character)")
	reasonIdentUTF8 = domain.T("جزء شناسه تبادل UTF-8 معتبر نیست", "an exchange identifier part is not valid UTF-8")
)

// trimKind drops X-Road's object-type prefix ("SUBSYSTEM:", "SERVICE:"…)
// that its own tools print before an identifier.
func trimKind(s string, kinds ...string) string {
	for _, k := range kinds {
		if len(s) > len(k) && strings.EqualFold(s[:len(k)], k) && s[len(k)] == ':' {
			return s[len(k)+1:]
		}
	}
	return s
}

// ParseMember reads INSTANCE/CLASS/CODE (optionally prefixed "MEMBER:").
func ParseMember(s string) (Member, error) {
	parts := strings.Split(trimKind(strings.TrimSpace(s), "MEMBER"), "/")
	if len(parts) != 3 {
		return Member{}, domain.Invalid("member", "شناسه عضو باید به شکل INSTANCE/CLASS/CODE باشد", "a member identifier has the form INSTANCE/CLASS/CODE")
	}
	m := Member{parts[0], parts[1], parts[2]}
	return m, m.Validate("member.")
}

// ParseSubsystem reads INSTANCE/CLASS/CODE/SUBSYSTEM, or INSTANCE/CLASS/CODE
// for a member acting without a subsystem (optionally prefixed
// "SUBSYSTEM:" or "MEMBER:").
func ParseSubsystem(s string) (Subsystem, error) {
	parts := strings.Split(trimKind(strings.TrimSpace(s), "SUBSYSTEM", "MEMBER"), "/")
	if len(parts) != 3 && len(parts) != 4 {
		return Subsystem{}, domain.Invalid("subsystem", "شناسه زیرسامانه باید به شکل INSTANCE/CLASS/CODE/SUBSYSTEM باشد", "a subsystem identifier has the form INSTANCE/CLASS/CODE/SUBSYSTEM")
	}
	sub := Subsystem{Member: Member{parts[0], parts[1], parts[2]}}
	if len(parts) == 4 {
		if parts[3] == "" {
			return Subsystem{}, domain.Invalid("subsystem.subsystem", "کد زیرسامانه خالی است", "the subsystem code is empty")
		}
		sub.Code = parts[3]
	}
	return sub, sub.Validate("subsystem.")
}

// ParseService reads INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE[/VERSION]
// (optionally prefixed "SERVICE:"); an empty SUBSYSTEM segment names a
// service of the member itself.
func ParseService(s string) (Service, error) {
	parts := strings.Split(trimKind(strings.TrimSpace(s), "SERVICE"), "/")
	if len(parts) != 5 && len(parts) != 6 {
		return Service{}, domain.Invalid("service", "شناسه خدمت باید به شکل INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE یا …/SERVICE/VERSION باشد",
			"a service identifier has the form INSTANCE/CLASS/CODE/SUBSYSTEM/SERVICE or …/SERVICE/VERSION")
	}
	svc := Service{Provider: Subsystem{Member{parts[0], parts[1], parts[2]}, parts[3]}, Code: parts[4]}
	if len(parts) == 6 {
		if parts[5] == "" {
			return Service{}, domain.Invalid("service.version", "نسخه خدمت خالی است", "the service version is empty")
		}
		svc.Version = parts[5]
	}
	return svc, svc.Validate("service.")
}

// Integration is a declared exchange: the client subsystem consumes the
// service. It is what a project says will happen, and what the status of
// this package checks against the exchange's own logs.
type Integration struct {
	Client  Subsystem `json:"client"`
	Service Service   `json:"service"`
}

// String is CLIENT -> SERVICE in the path forms.
func (in Integration) String() string { return in.Client.String() + " -> " + in.Service.String() }

// Validate checks both ends.
func (in Integration) Validate() error {
	if err := in.Client.Validate("client."); err != nil {
		return err
	}
	return in.Service.Validate("service.")
}

// Covers reports whether traffic of client to svc is traffic of the
// integration: the same client and provider and service code, and the same
// version unless the integration names none.
func (in Integration) Covers(client Subsystem, svc Service) bool {
	return client == in.Client && svc.Provider == in.Service.Provider && svc.Code == in.Service.Code &&
		(in.Service.Version == "" || svc.Version == in.Service.Version)
}
