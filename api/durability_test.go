package api_test

// An acknowledged write is still there after the server stops and the
// database is opened again.

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/store"
)

func TestAPIDurability(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		env := newAPI(scenario.Over(t, db))
		recordRegistry(env)
		env.Create("/api/v1/projects", projectRecord("kept"))
		env.Must(env.Post("/api/v1/programs/prog-pub/members", env.Secretariat(), map[string]any{"project": "kept", "date": "2024-01-02"}), http.StatusCreated)
		a := agencyRecord("ag-one")
		a["name"] = scenario.Text("نام دوم", "second name")
		env.Must(env.Put("/api/v1/agencies/ag-one", env.Secretariat(), env.ETagOf("/api/v1/agencies/ag-one"), a), http.StatusOK)
		before := map[string][]byte{}
		paths := []string{"/api/v1/agencies/ag-one", "/api/v1/projects/kept", "/api/v1/programs/prog-pub", "/api/v1/laws/law-x",
			"/api/v1/terms/20", "/api/v1/programs/prog-pub/members/kept/events"}
		for _, p := range paths {
			before[p] = env.Must(env.Get(p, env.Secretariat()), http.StatusOK).Body
		}
		secret := env.Secretariat()
		env.Close()
		if err := db.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}

		db2, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		t.Cleanup(func() { db2.Close() })
		env2 := newAPI(scenario.Over(t, db2))
		for _, p := range paths {
			// The old token still works: it was stored, too.
			if got := env2.Must(env2.Get(p, secret), http.StatusOK).Body; !bytes.Equal(got, before[p]) {
				t.Errorf("%s after restart:\n got %s\nwant %s", p, got, before[p])
			}
		}
		got := env2.Must(env2.Get("/api/v1/agencies/ag-one", ""), http.StatusOK).Obj(t)
		if got["version"] != 2.0 || scenario.Path(t, got, "name", "en") != "second name" {
			t.Errorf("agency after restart: %v", got)
		}
		// And it takes writes again.
		env2.Must(env2.Post("/api/v1/agencies", secret, agencyRecord("after")), http.StatusCreated)
	})
}
