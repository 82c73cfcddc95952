package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// A read-only instance (serve --read-only) on a replica serves the portal
// and the API's reads, follows what the primary writes, and answers every
// write and the staff pages 503 without touching the database. On
// PostgreSQL the replica is a connection whose transactions are all
// read-only, as a hot standby's are.
func TestReadOnlyReplica(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.DSN(t)
			primaryDB, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { primaryDB.Close() })
			primary := service.New(primaryDB, slog.New(slog.DiscardHandler))
			doc, err := reference.Document()
			if err != nil {
				t.Fatal(err)
			}
			if err := primary.Import(ctx, service.System, doc); err != nil {
				t.Fatal(err)
			}
			replicaDSN := dsn
			if store.IsPostgres(dsn) {
				replicaDSN += "&default_transaction_read_only=on"
			}
			replicaDB, err := store.OpenReplica(ctx, replicaDSN)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { replicaDB.Close() })
			env := serve(t, scenario.Over(t, replicaDB))

			for _, path := range []string{"/?lang=en", "/projects/smart-health?lang=en", "/compare", "/api/v1/projects?limit=5", "/data/projects.csv"} {
				if r := env.Page("", path, ""); r.Status != http.StatusOK {
					t.Errorf("replica GET %s: %d", path, r.Status)
				}
			}
			r := env.Do(scenario.Request{Method: http.MethodPost, Path: "/api/v1/agencies", Header: map[string]string{"Content-Type": "application/json"},
				ServerError: true})
			if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") ||
				!strings.Contains(r.Text(), "read-only") {
				t.Errorf("a write to the replica: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			for _, path := range []string{"/login?lang=en", "/staff"} {
				if r := env.Do(scenario.Request{Method: http.MethodGet, Path: path, ServerError: true}); r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Text(), "<html") {
					t.Errorf("replica %s: %d", path, r.Status)
				}
			}
			if err := replicaDB.Update(ctx, func(*store.Tx) error { return nil }); err == nil {
				t.Error("the replica's store took a write transaction")
			}

			// The primary renames a project; the replica's next page shows it.
			v, err := primary.Project(ctx, service.System, "smart-health")
			if err != nil {
				t.Fatal(err)
			}
			p := *v.Project
			p.Title.EN = "Smart health, renamed on the primary"
			if err := primary.UpdateProject(ctx, service.System, &p); err != nil {
				t.Fatal(err)
			}
			if r := env.Page("", "/projects/smart-health?lang=en", ""); !strings.Contains(r.Text(), "renamed on the primary") {
				t.Error("the replica still shows the old title")
			}

			// A database with no Pishran schema is refused, not migrated.
			if db, err := store.OpenReplica(ctx, e.DSN(t)); err == nil {
				db.Close()
				t.Error("a replica opened a database with no schema")
			}
		})
	}
}
