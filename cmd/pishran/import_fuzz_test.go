package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// FuzzImportFile feeds arbitrary files to what `pishran import FILE` does
// with them — decode the registry document strictly (api.DecodeJSON), then
// load it into an empty database in one transaction (service.Import) — on
// SQLite. A file is either imported or refused with an error that names
// the fault (a domain error, a 4xx had it come over HTTP); it never panics
// and never fails inside the database, and a refused file leaves the
// database empty. The seed corpus is in testdata/fuzz/FuzzImportFile.
func FuzzImportFile(f *testing.F) {
	ref, err := os.ReadFile("../../reference/registry.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref)
	dir := f.TempDir()
	ctx := context.Background()
	var (
		db  *store.DB
		svc *service.Service
		n   int
	)
	fresh := func(t testing.TB) {
		if db != nil {
			db.Close()
		}
		n++
		var err error
		if db, err = store.Open(ctx, filepath.Join(dir, "import-"+strconv.Itoa(n)+".db")); err != nil {
			t.Fatal(err)
		}
		svc = service.New(db, slog.New(slog.DiscardHandler))
	}
	fresh(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc domain.Document
		if err := api.DecodeJSON(data, &doc); err != nil {
			if err.Error() == "" {
				t.Fatalf("DecodeJSON(%q) failed with an empty message", data)
			}
			return
		}
		err := svc.Import(ctx, service.System, &doc)
		if err == nil {
			// Imported: the next file needs an empty database again.
			fresh(t)
			return
		}
		if _, ok := domain.AsError(err); !ok {
			t.Fatalf("importing %q failed inside the database, not as a refusal of the file: %v", data, err)
		}
		empty, err := svc.IsBlank(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !empty {
			t.Fatalf("a refused import of %q left records behind", data)
		}
	})
}
