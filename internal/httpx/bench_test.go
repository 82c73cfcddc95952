package httpx_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pishran/pishran/internal/httpx"
)

// The benchmark's bare route exists only when PISHRAN_BENCH_BARE is set,
// and answers exactly that many bytes.
func TestBenchBareRoute(t *testing.T) {
	get := func() *httptest.ResponseRecorder {
		root, err := httpx.NewRoot(httpx.Config{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		root.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_bench/bare", nil))
		return rec
	}
	if rec := get(); rec.Code == http.StatusOK {
		t.Fatalf("without %s the bare route answers 200", httpx.BenchBareEnv)
	}
	t.Setenv(httpx.BenchBareEnv, "12345")
	rec := get()
	if rec.Code != http.StatusOK || rec.Body.Len() != 12345 || rec.Header().Get("Content-Length") != "12345" {
		t.Fatalf("bare route: %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	t.Setenv(httpx.BenchBareEnv, "lots")
	if rec := get(); rec.Code == http.StatusOK {
		t.Fatal("a malformed size enabled the bare route")
	}
}
