package testkit

import (
	"testing"

	"github.com/pishran/pishran/domain"
)

// Must stops the test on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// WantKind stops the test unless err is a domain error of kind k naming
// field; what says which act it was.
func WantKind(t testing.TB, what string, err error, k domain.Kind, field string) {
	t.Helper()
	if !isKind(err, k, field) {
		t.Fatalf("%s: got %v, want %s naming %q", what, err, k, field)
	}
}

// CheckKind is WantKind that lets the test go on: it reports the mismatch
// and the test carries on with its next check.
func CheckKind(t testing.TB, what string, err error, k domain.Kind, field string) {
	t.Helper()
	if !isKind(err, k, field) {
		t.Errorf("%s: got %v, want %s naming %q", what, err, k, field)
	}
}

// WantBilingual stops the test unless err is a domain error whose message
// is in both languages.
func WantBilingual(t testing.TB, err error) {
	t.Helper()
	e, ok := domain.AsError(err)
	if !ok {
		t.Fatalf("got %v, want a domain error", err)
	}
	if e.Message.FA == "" || e.Message.EN == "" {
		t.Fatalf("message not in both languages: %+v", e.Message)
	}
}

// WantError is WantKind and WantBilingual at once: err is the domain error
// a caller sees, of kind k, naming field, in both languages.
func WantError(t testing.TB, err error, k domain.Kind, field string) {
	t.Helper()
	e, ok := domain.AsError(err)
	if !ok || e.Kind != k || e.Field != field {
		t.Fatalf("got %v, want %s naming %q", err, k, field)
	}
	WantBilingual(t, err)
}

func isKind(err error, k domain.Kind, field string) bool {
	e, ok := domain.AsError(err)
	return ok && e.Kind == k && e.Field == field
}
