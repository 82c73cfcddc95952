package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestVerifyKeysEmpty: before anything is published the keys file is an
// empty list, not null.
func TestVerifyKeysEmpty(t *testing.T) {
	srv := newAPI(scenario.New(t, testkit.Engines()[0]))
	r := srv.Get("/api/v1/signing/keys", "")
	if code, body := r.Status, r.Text(); code != http.StatusOK || strings.TrimSpace(body) != "[]" {
		t.Fatalf("%d %q", code, body)
	}
}
