package httpx_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/pishran/pishran/internal/httpx"
)

// The benchmark's bare route exists only when PISHRAN_BENCH_BARE is set,
// and answers exactly that many bytes, or the first N of them when asked
// for ?bytes=N.
func TestBenchBareRoute(t *testing.T) {
	get := func(target ...string) *httptest.ResponseRecorder {
		root, err := httpx.NewRoot(httpx.Config{Log: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		root.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, append(target, "/_bench/bare")[0], nil))
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
	for target, want := range map[string]int{"/_bench/bare?bytes=100": 100, "/_bench/bare?bytes=12344": 12344,
		"/_bench/bare?bytes=99999": 12345, "/_bench/bare?bytes=0": 12345, "/_bench/bare?bytes=x": 12345} {
		rec := get(target)
		if rec.Code != http.StatusOK || rec.Body.Len() != want || rec.Header().Get("Content-Length") != strconv.Itoa(want) {
			t.Errorf("%s: %d, %d bytes, Content-Length %q; want %d bytes", target, rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"), want)
		}
	}
	t.Setenv(httpx.BenchBareEnv, "lots")
	if rec := get(); rec.Code == http.StatusOK {
		t.Fatal("a malformed size enabled the bare route")
	}
}
