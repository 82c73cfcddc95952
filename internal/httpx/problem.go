package httpx

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// Problem is an RFC 9457 problem detail. Besides the standard members it
// carries the message in both languages, the offending field, and, for a
// refused designation, one entry per broken rule.
type Problem struct {
	Type     string        `json:"type"`
	Title    string        `json:"title"`
	Status   int           `json:"status"`
	Detail   string        `json:"detail,omitempty"`
	Instance string        `json:"instance,omitempty"`
	Field    string        `json:"field,omitempty"`
	Message  domain.Text   `json:"message"`
	Errors   []ProblemItem `json:"errors,omitempty"`
}

// ProblemItem is one entry of a problem's errors list: a broken rule or a
// bad field.
type ProblemItem struct {
	Rule     string          `json:"rule,omitempty"`
	Severity domain.Severity `json:"severity,omitempty"`
	Field    string          `json:"field,omitempty"`
	Message  domain.Text     `json:"message"`
	Fix      *domain.Text    `json:"fix,omitempty"`
}

// ProblemBase is where the problem types are named.
const ProblemBase = "https://pishran.example/problems/"

// StatusOf is the HTTP status of an error kind.
func StatusOf(k domain.Kind) int {
	switch k {
	case domain.KindInvalid, domain.KindRuleViolation:
		return http.StatusUnprocessableEntity
	case domain.KindNotFound:
		return http.StatusNotFound
	case domain.KindConflict:
		return http.StatusConflict
	case domain.KindStale:
		return http.StatusPreconditionFailed
	case domain.KindUnauthorized:
		return http.StatusUnauthorized
	case domain.KindForbidden:
		return http.StatusForbidden
	case domain.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Error is an error that already knows its status: a malformed request
// that never reaches the service.
type Error struct {
	Status  int
	Field   string
	Message domain.Text
	// Type is the problem type's last part; "" derives it from the status.
	Type string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message.EN
	}
	return e.Message.EN
}

// BadRequest is a 400 naming the field at fault ("" for none).
func BadRequest(field, fa, en string) error {
	return &Error{Status: http.StatusBadRequest, Field: field, Message: domain.T(fa, en)}
}

// StatusError is an error answered with status.
func StatusError(status int, field, fa, en string) error {
	return &Error{Status: status, Field: field, Message: domain.T(fa, en)}
}

// WriteProblem answers err as problem+json. Errors the caller cannot fix
// are logged and answered with a generic 500 that leaks nothing.
func WriteProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	// The path as valid UTF-8: a request for /verify/%FF is answered with
	// U+FFFD in its place, the same bytes whichever JSON encoder writes it.
	p := Problem{Instance: strings.ToValidUTF8(r.URL.Path, "\uFFFD")}
	var he *Error
	if e, ok := domain.AsError(err); ok {
		p.Status = StatusOf(e.Kind)
		p.Type = ProblemBase + string(e.Kind)
		p.Field = e.Field
		p.Message = e.Message
		for _, v := range e.Violations {
			fix := v.Fix
			p.Errors = append(p.Errors, ProblemItem{Rule: v.Rule, Severity: v.Severity, Field: v.Field, Message: v.Message, Fix: &fix})
		}
		if e.Field != "" && len(p.Errors) == 0 {
			p.Errors = []ProblemItem{{Field: e.Field, Message: e.Message}}
		}
		if e.Kind == domain.KindUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="pishran"`)
		}
	} else if errors.As(err, &he) {
		p.Status, p.Field, p.Message = he.Status, he.Field, he.Message
		p.Type = ProblemBase + strings.ToLower(strings.ReplaceAll(http.StatusText(he.Status), " ", "-"))
		if he.Type != "" {
			p.Type = ProblemBase + he.Type
		}
		if he.Field != "" {
			p.Errors = []ProblemItem{{Field: he.Field, Message: he.Message}}
		}
	} else {
		log.Error("internal error", "path", r.URL.Path, "method", r.Method, "err", err)
		p.Status = http.StatusInternalServerError
		p.Type = ProblemBase + "internal"
		p.Message = domain.T("خطای داخلی؛ به راهبر سامانه خبر دهید", "internal error; tell the system's operator")
	}
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	p.Title = http.StatusText(p.Status)
	p.Detail = p.Message.EN
	if PrefersPersian(r) {
		p.Detail = p.Message.FA
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
}

// CheckURL refuses a path or query value that is not valid UTF-8 or holds
// a NUL byte: no record has such a key, and PostgreSQL cannot even compare
// one, so it must be the caller's error (400), not the server's.
func CheckURL(r *http.Request) error {
	bad := func(s string) bool { return !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 }
	if bad(r.URL.Path) {
		return BadRequest("", "نشانی UTF-8 معتبر نیست یا نویسه NUL دارد", "the URL path is not valid UTF-8 or holds a NUL byte")
	}
	for k, vs := range r.URL.Query() {
		if bad(k) {
			return BadRequest("", "نام پارامتر UTF-8 معتبر نیست یا نویسه NUL دارد", "a query parameter name is not valid UTF-8 or holds a NUL byte")
		}
		for _, v := range vs {
			if bad(v) {
				return BadRequest(k, "پارامتر UTF-8 معتبر نیست یا نویسه NUL دارد", "the query parameter is not valid UTF-8 or holds a NUL byte")
			}
		}
	}
	return nil
}

// PrefersPersian reports whether the request's Accept-Language ranks
// Persian above English: its problem's detail is then the Persian message
// (the message member always carries both).
func PrefersPersian(r *http.Request) bool {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		lang, _, _ := strings.Cut(tag, "-")
		if lang != "fa" && lang != "en" && lang != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = lang, q
		}
	}
	return best == "fa" && bestQ > 0
}
