package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an Error so that each surface (HTTP, CLI) can answer it the
// way its users expect: a status code, an exit code, a message.
type Kind string

const (
	KindInvalid       Kind = "invalid"        // the input breaks a rule of shape or value
	KindNotFound      Kind = "not-found"      // no such record, or the caller may not know it exists
	KindConflict      Kind = "conflict"       // the record clashes with another (duplicate slug, …)
	KindStale         Kind = "stale"          // the caller's version is older than the stored one
	KindUnauthorized  Kind = "unauthorized"   // no or bad credentials
	KindForbidden     Kind = "forbidden"      // credentials fine, act not allowed
	KindRuleViolation Kind = "rule-violation" // designation rules refused the act
	KindUnavailable   Kind = "unavailable"    // this instance cannot do it (a read-only replica asked to write)
)

// Error is the error every layer of Pishran returns for a problem the caller
// can fix. Field names the offending input, in the wire (JSON) spelling.
type Error struct {
	Kind    Kind
	Field   string
	Message Text
	// Violations holds every broken designation rule when Kind is
	// KindRuleViolation.
	Violations []Violation
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Kind, e.Field, e.Message.EN)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message.EN)
}

// Invalid reports bad input in field.
func Invalid(field, fa, en string) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: T(fa, en)}
}

// NotFound reports a missing record.
func NotFound(field, what string) *Error {
	return &Error{Kind: KindNotFound, Field: field, Message: T("یافت نشد: "+what, "not found: "+what)}
}

// Conflict reports a clash with an existing record.
func Conflict(field, fa, en string) *Error {
	return &Error{Kind: KindConflict, Field: field, Message: T(fa, en)}
}

// Stale reports a write based on an outdated version.
func Stale(what string) *Error {
	return &Error{Kind: KindStale, Message: T(
		"این رکورد پس از خواندن شما تغییر کرده است؛ دوباره بخوانید و سپس ویرایش کنید: "+what,
		"the record changed since you read it; read it again, then edit: "+what)}
}

// Forbidden reports an act the caller's role does not allow.
func Forbidden(fa, en string) *Error {
	return &Error{Kind: KindForbidden, Message: T(fa, en)}
}

// Unavailable reports an act this instance cannot do, though another can.
func Unavailable(fa, en string) *Error {
	return &Error{Kind: KindUnavailable, Message: T(fa, en)}
}

// ReadOnly is the answer of a read-only instance (a public replica) to a
// write.
func ReadOnly() *Error {
	return Unavailable("این نمونه پیشران فقط‌خواندنی است (رونوشت درگاه عمومی)؛ نوشتن و ورود کارکنان در نمونه اصلی انجام می‌شود",
		"this Pishran instance is read-only (the public portal's replica); writes and staff sign-in go to the primary instance")
}

// Unauthorized reports missing or bad credentials.
func Unauthorized() *Error {
	return &Error{Kind: KindUnauthorized, Message: T("نیاز به توکن معتبر", "a valid bearer token is required")}
}

// IsKind reports whether err is a domain Error of kind k.
func IsKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// AsError returns err as a domain Error, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
