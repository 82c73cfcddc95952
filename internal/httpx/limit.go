package httpx

import (
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/ratelimit"
)

// The per-address limit on failed sign-ins, shared by every door a
// password or a one-time link goes through (the API's session and link
// routes, the sign-in page, the link pages): one count covers them all.

// Throttle checks the per-address limit before a sign-in attempt: a
// *domain.LockedOut when the address must wait.
func Throttle(l *ratelimit.Limiter, r *http.Request) error {
	if d := l.Wait(ClientAddress(r)); d > 0 {
		return &domain.LockedOut{RetryAfter: d}
	}
	return nil
}

// Charge takes an attempt's outcome and charges the address for a failure
// (bad credentials, a bad link, a locked account); it returns err.
func Charge(l *ratelimit.Limiter, r *http.Request, err error) error {
	var lo *domain.LockedOut
	if domain.IsKind(err, domain.KindUnauthorized) || errors.As(err, &lo) {
		l.Fail(ClientAddress(r))
	} else if e, ok := domain.AsError(err); ok && e.Field == "token" {
		l.Fail(ClientAddress(r))
	}
	return err
}

// RetryAfter sets the Retry-After header of a lock or a throttle (whole
// seconds, at least one) and returns the wait in whole seconds.
func RetryAfter(h http.Header, lo *domain.LockedOut) int {
	secs := int(math.Ceil(lo.RetryAfter.Seconds()))
	h.Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return secs
}
