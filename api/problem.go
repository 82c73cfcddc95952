package api

import (
	"log/slog"
	"net/http"

	"github.com/pishran/pishran/internal/httpx"
)

// Problem is an RFC 9457 problem detail, as every error is answered
// (httpx.Problem).
type Problem = httpx.Problem

// ProblemItem is one entry of a problem's errors list.
type ProblemItem = httpx.ProblemItem

// badRequest is a 400 naming the field at fault.
func badRequest(field, fa, en string) error { return httpx.BadRequest(field, fa, en) }

// statusError is an error answered with status.
func statusError(status int, field, fa, en string) error {
	return httpx.StatusError(status, field, fa, en)
}

// writeError answers err as problem+json (httpx.WriteProblem).
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	httpx.WriteProblem(w, r, log, err)
}
