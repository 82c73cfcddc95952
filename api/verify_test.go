package api_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// serveGet sends a GET with optional Accept and returns status, headers, body.
func serveGet(t *testing.T, srv http.Handler, path, accept string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, rec.Header(), string(body)
}

// TestVerifyKeysEmpty: before anything is published the keys file is an
// empty list, not null.
func TestVerifyKeysEmpty(t *testing.T) {
	db := testkit.Open(t, testkit.Engines()[0])
	srv := api.New(service.New(db, slog.New(slog.DiscardHandler)), slog.New(slog.DiscardHandler))
	code, _, body := serveGet(t, srv, "/api/v1/signing/keys", "")
	if code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Fatalf("%d %q", code, body)
	}
}
