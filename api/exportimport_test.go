package api_test

// Export of the registry and its import into an empty database.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

func TestAPIExportImport(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		recordRegistry(env)
		env.Create("/api/v1/projects", projectRecord("exported"))
		env.Create("/api/v1/projects", projectRecord("exported-heir", func(p map[string]any) {
			p["depends_on"] = []any{"nix"}
			p["capabilities"] = []any{"inquiry"}
			p["predecessors"] = []any{map[string]any{"project": "exported", "kind": "evolved", "note": scenario.Text("", "")}}
			p["sources"] = []any{map[string]any{"ref": "https://example.org/x", "confidence": "low"}}
		}))
		const prog = "/api/v1/programs/prog-pub"
		env.Must(env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": "exported", "date": "2024-01-01", "main": true}), http.StatusCreated)
		left := env.Must(env.Post(prog+"/members/exported/leave", env.Secretariat(), map[string]any{"reason": "evolved", "successor": "exported-heir", "date": "2024-02-01"}), http.StatusCreated).Obj(t)
		env.Must(env.Post(prog+"/members/exported/events/"+ftoa(scenario.Path(t, left, "event", "id").(float64))+"/void", env.Secretariat(), map[string]any{"note": scenario.Text("اشتباه", "mistake")}), http.StatusCreated)
		env.Must(env.Post(prog+"/members/exported/leave", env.Secretariat(), map[string]any{"reason": "completed", "date": "2024-03-01"}), http.StatusCreated)

		// Only an admin exports or imports.
		if _, err := env.Env.Svc.Export(env.Env.Ctx, service.Actor{Name: "s", Role: service.RoleSecretariat}); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("secretariat export: %v, want forbidden", err)
		}
		doc1, err := env.Env.Svc.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		b1, err := json.Marshal(doc1)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(doc1.Events); n != 29+4 {
			t.Errorf("%d events exported, want 33", n)
		}
		var voided *domain.MembershipEvent
		for i := range doc1.Events {
			if doc1.Events[i].Type == domain.EventVoided {
				voided = &doc1.Events[i]
			}
		}
		if voided == nil || voided.Voids != voided.ID-1 || doc1.Events[voided.Voids-1].Type != domain.EventLeft {
			t.Errorf("the voided event was not exported with its renumbered target: %+v", voided)
		}

		fresh := service.New(testkit.Open(t, e), nil)
		var doc2 domain.Document
		if err := json.Unmarshal(b1, &doc2); err != nil {
			t.Fatal(err)
		}
		if err := fresh.Import(env.Env.Ctx, service.System, &doc2); err != nil {
			t.Fatalf("import into an empty database: %v", err)
		}
		doc3, err := fresh.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		b3, err := json.Marshal(doc3)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b3) {
			t.Errorf("export → import → export differs:\nfirst:  %s\nsecond: %s", diffWindow(b1, b3), diffWindow(b3, b1))
		}

		// The imported registry answers the same through the API.
		env2 := newAPI(scenario.Over(t, fresh.DB()))
		for _, p := range []string{"/api/v1/projects/exported", "/api/v1/programs/prog-pub", prog + "/members/exported/events",
			"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving"} {
			a := env.Must(env.Get(p, env.Secretariat()), http.StatusOK).Obj(t)
			b := env2.Must(env2.Get(p, env2.Secretariat()), http.StatusOK).Obj(t)
			stripVolatile(a)
			stripVolatile(b)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s differs after import:\n before %v\n after  %v", p, a, b)
			}
		}

		// Import only loads an empty registry, and then writes nothing.
		var doc4 domain.Document
		json.Unmarshal(b1, &doc4)
		if err := fresh.Import(env.Env.Ctx, service.System, &doc4); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("import into a non-empty database: %v, want a conflict", err)
		}
		doc5, err := fresh.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		if b5, _ := json.Marshal(doc5); !bytes.Equal(b1, b5) {
			t.Errorf("a refused import changed the registry")
		}
	})
}

// stripVolatile removes what legitimately differs between two databases
// holding the same registry: stored versions, timestamps and event ids.
func stripVolatile(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"version", "created_at", "updated_at", "id", "voids"} {
			if _, ok := x[k]; ok {
				if _, isNum := x[k].(float64); isNum || k != "id" {
					delete(x, k)
				}
			}
		}
		for _, val := range x {
			stripVolatile(val)
		}
	case []any:
		for _, val := range x {
			stripVolatile(val)
		}
	}
}

// diffWindow returns a window of a around its first difference from b.
func diffWindow(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-200), min(len(a), i+200)
	return string(a[lo:hi])
}
