package api_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testdb"
	"github.com/pishran/pishran/service"
)

// The benchmark's bare route exists only when PISHRAN_BENCH_BARE is set,
// and answers exactly that many bytes.
func TestBenchBareRoute(t *testing.T) {
	svc := service.New(testdb.Open(t, testdb.Engines()[0]), slog.New(slog.DiscardHandler))
	get := func(srv *api.Server) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_bench/bare", nil))
		return rec
	}
	if rec := get(api.New(svc, slog.New(slog.DiscardHandler))); rec.Code == http.StatusOK {
		t.Fatalf("without %s the bare route answers 200", api.BenchBareEnv)
	}
	t.Setenv(api.BenchBareEnv, "12345")
	rec := get(api.New(svc, slog.New(slog.DiscardHandler)))
	if rec.Code != http.StatusOK || rec.Body.Len() != 12345 || rec.Header().Get("Content-Length") != "12345" {
		t.Fatalf("bare route: %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	t.Setenv(api.BenchBareEnv, "lots")
	if rec := get(api.New(svc, slog.New(slog.DiscardHandler))); rec.Code == http.StatusOK {
		t.Fatal("a malformed size enabled the bare route")
	}
}
