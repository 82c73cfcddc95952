package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

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

const problemBase = "https://pishran.example/problems/"

var kindStatus = map[domain.Kind]int{
	domain.KindInvalid:       http.StatusUnprocessableEntity,
	domain.KindNotFound:      http.StatusNotFound,
	domain.KindConflict:      http.StatusConflict,
	domain.KindStale:         http.StatusPreconditionFailed,
	domain.KindUnauthorized:  http.StatusUnauthorized,
	domain.KindForbidden:     http.StatusForbidden,
	domain.KindRuleViolation: http.StatusUnprocessableEntity,
	domain.KindUnavailable:   http.StatusServiceUnavailable,
}

// httpError is an error that already knows its status: malformed requests
// that never reach the service.
type httpError struct {
	status int
	field  string
	msg    domain.Text
	kind   string // the problem type's last part; "" derives it from the status
}

func (e *httpError) Error() string {
	if e.field != "" {
		return e.field + ": " + e.msg.EN
	}
	return e.msg.EN
}

func badRequest(field, fa, en string) error {
	return &httpError{status: http.StatusBadRequest, field: field, msg: domain.T(fa, en)}
}

func statusError(status int, field, fa, en string) error {
	return &httpError{status: status, field: field, msg: domain.T(fa, en)}
}

// writeError answers err as problem+json. Errors the caller cannot fix are
// logged and answered with a generic 500 that leaks nothing.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	p := Problem{Instance: r.URL.Path}
	var he *httpError
	if e, ok := domain.AsError(err); ok {
		p.Status = kindStatus[e.Kind]
		p.Type = problemBase + string(e.Kind)
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
		p.Status, p.Field, p.Message = he.status, he.field, he.msg
		p.Type = problemBase + strings.ToLower(strings.ReplaceAll(http.StatusText(he.status), " ", "-"))
		if he.kind != "" {
			p.Type = problemBase + he.kind
		}
		if he.field != "" {
			p.Errors = []ProblemItem{{Field: he.field, Message: he.msg}}
		}
	} else {
		log.Error("internal error", "path", r.URL.Path, "method", r.Method, "err", err)
		p.Status = http.StatusInternalServerError
		p.Type = problemBase + "internal"
		p.Message = domain.T("خطای داخلی؛ به راهبر سامانه خبر دهید", "internal error; tell the system's operator")
	}
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	p.Title = http.StatusText(p.Status)
	p.Detail = p.Message.EN
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
}
