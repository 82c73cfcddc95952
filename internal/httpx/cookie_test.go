package httpx_test

import (
	"testing"

	"github.com/pishran/pishran/internal/httpx"
)

func TestSessionCookieName(t *testing.T) {
	// The API and the site set and read this one cookie: one session for
	// both. Its name is part of the interface (clients keep it).
	if httpx.SessionCookie != "pishran_session" {
		t.Fatalf("httpx.SessionCookie is %q, want pishran_session", httpx.SessionCookie)
	}
}
