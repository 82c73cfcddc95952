package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestAPIReadModifyWrite: what a GET returns can be sent back with a PUT —
// the computed fields it carries are ignored, not refused.
func TestAPIReadModifyWrite(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		tok := env.Env.Token(service.RoleSecretariat, "")
		for _, path := range []string{"/api/v1/programs/gov12-egov-priority", "/api/v1/projects/setad"} {
			r := env.Must(env.Get(path, tok), http.StatusOK)
			body := strings.Replace(string(r.Body), `"en":"`, `"en":"(edited) `, 1)
			w := env.Must(env.Put(path, tok, r.Header.Get("ETag"), body), http.StatusOK)
			if !strings.Contains(string(w.Body), "(edited) ") {
				t.Errorf("%s: the edit did not land: %s", path, w.Body)
			}
			// Unknown fields are still refused.
			r = env.Must(env.Get(path, tok), http.StatusOK)
			bad := strings.Replace(string(r.Body), `{`, `{"colour":"red",`, 1)
			env.Put(path, tok, r.Header.Get("ETag"), bad).Field(t, http.StatusBadRequest, "colour")
		}
	})
}

// TestAPIMethodAndPreconditions: a wrong method is 405 with Allow, and
// If-Match: * is refused so no write overwrites another unseen.
func TestAPIMethodAndPreconditions(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		tok := env.Env.Token(service.RoleSecretariat, "")
		r := env.Do(scenario.Request{Method: "PATCH", Path: "/api/v1/agencies/ito", Token: tok, Body: "{}"})
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, PUT, DELETE" {
			t.Errorf("PATCH: %d, Allow %q", r.Status, r.Header.Get("Allow"))
		}
		if r := env.Get("/api/v1/nothing-here", ""); r.Status != http.StatusNotFound {
			t.Errorf("unknown route: %d", r.Status)
		}
		cur := env.Must(env.Get("/api/v1/agencies/ito", ""), http.StatusOK)
		env.Put("/api/v1/agencies/ito", tok, "*", string(cur.Body)).Field(t, http.StatusPreconditionRequired, "If-Match")
		env.Get("/api/v1/terms?cursor=eA", "").Field(t, http.StatusBadRequest, "cursor")
	})
}

// TestAPIClosedProgramStages: a closed list's adoption record is history.
func TestAPIClosedProgramStages(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		tok := env.Env.Token(service.RoleSecretariat, "")
		path := "/api/v1/programs/gov12-egov-priority"
		r := env.Must(env.Get(path, tok), http.StatusOK)
		body := strings.Replace(string(r.Body), `"sourced_count":15`, `"sourced_count":16`, 1)
		if body == string(r.Body) {
			t.Fatal("fixture: no sourced_count 15 in the program")
		}
		env.Put(path, tok, r.Header.Get("ETag"), body).Field(t, http.StatusConflict, "stages")
	})
}

// TestAPIConfidentialNeverPublic reads every public list and view of the
// reference data as the public and looks for the confidential project.
func TestAPIConfidentialNeverPublic(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		markers := []string{"anti-smuggling", "سامانه مبارزه با قاچاق", "nti-smuggling", "nti-trafficking"}
		paths := []string{
			"/api/v1/programs", "/api/v1/programs/gov12-egov-priority", "/api/v1/programs/gov13-smart-driving",
			"/api/v1/programs/gov12-egov-priority/projects?limit=1000", "/api/v1/programs/gov13-smart-driving/projects",
			"/api/v1/projects?limit=1000", "/api/v1/agencies", "/api/v1/laws", "/api/v1/terms", "/api/v1/rules",
			"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving",
			"/api/v1/compare?from=gov13-smart-driving&to=gov12-egov-priority",
		}
		for _, p := range paths {
			r := env.Must(env.Get(p, ""), http.StatusOK)
			for _, m := range markers {
				if strings.Contains(string(r.Body), m) {
					t.Errorf("%s shows the public %q", p, m)
				}
			}
		}
	})
}

// TestAPILargestPage: the largest page the API allows is served whole, with
// a cursor when more follow.
func TestAPILargestPage(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		sec := env.Env.Token(service.RoleSecretariat, "")
		for i := range 1005 {
			env.Must(env.Post("/api/v1/agencies", sec, map[string]any{"code": fmt.Sprintf("a%04d", i),
				"name": scenario.Text("دستگاه", "agency"), "kind": "other"}), http.StatusCreated)
		}
		l := env.Must(env.Get("/api/v1/agencies?limit=1000", ""), http.StatusOK).Obj(t)
		if n := len(scenario.Items(t, l)); n != 1000 || l["next_cursor"] == nil {
			t.Fatalf("limit=1000 gave %d items, next %v", n, l["next_cursor"])
		}
		l = env.Must(env.Get("/api/v1/agencies?limit=1000&cursor="+l["next_cursor"].(string), ""), http.StatusOK).Obj(t)
		if n := len(scenario.Items(t, l)); n != 5 || l["next_cursor"] != nil {
			t.Fatalf("second page: %d items, next %v", n, l["next_cursor"])
		}
	})
}
