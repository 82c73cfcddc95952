package testkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/pishran/pishran/store"
)

// NationalSource is the national database the national benchmarks read,
// as PISHRAN_MISS_DB names it: a file `pishran generate` wrote (bench/load's
// p10000-*.db) or a PostgreSQL DSN holding the same data (`pishran copy`).
// When it is unset, the benchmark is skipped with why.
func NationalSource(tb testing.TB, why string) string {
	src := os.Getenv("PISHRAN_MISS_DB")
	if src == "" {
		tb.Skip("PISHRAN_MISS_DB is unset: name a national database (bench/load's p10000-*.db) " + why)
	}
	return src
}

// OpenNational opens a copy of the SQLite database src in dir (a new
// temporary folder when dir is empty, left behind for the benchmarks that
// share the database across runs), migrating the copy: the file src names
// is never written. A PostgreSQL DSN is opened as it is, and an empty src
// opens an empty database in dir, for the benchmark to fill.
func OpenNational(ctx context.Context, src, dir string) (*store.DB, error) {
	if store.IsPostgres(src) {
		return store.Open(ctx, src)
	}
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "pishran-national-"); err != nil {
			return nil, err
		}
	}
	dst := filepath.Join(dir, "national.db")
	if src != "" {
		if err := copyFile(src, dst); err != nil {
			return nil, err
		}
	}
	return store.Open(ctx, dst)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchRequests GETs path(n) from h once per iteration (n counts from 1:
// a key no one asked for before, so no response cache holds the answer),
// fails on an answer other than 200, and reports the process's CPU per
// request (cpu-µs/op: on a shared machine the wall clock measures the
// queue for the cores), and the statements and read transactions of db
// per request.
func BenchRequests(b *testing.B, h http.Handler, db *store.DB, path func(n int) string) {
	b.ReportAllocs()
	dsn := os.Getenv("PISHRAN_MISS_DB") // on PostgreSQL its backends' CPU counts too
	before, cpu := db.Stats(), CPU(dsn)
	n := 0
	for b.Loop() {
		n++
		p := path(n)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", p, w.Code, w.Body.Bytes())
		}
	}
	b.ReportMetric(float64(CPU(dsn)-cpu)/float64(n)/1e3, "cpu-µs/op")
	d := db.Stats().Sub(before)
	b.ReportMetric(float64(d.Statements)/float64(n), "stmts/op")
	b.ReportMetric(float64(d.Views)/float64(n), "views/op")
}
