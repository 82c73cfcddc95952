package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// TestAPIReadModifyWrite: what a GET returns can be sent back with a PUT —
// the computed fields it carries are ignored, not refused.
func TestAPIReadModifyWrite(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := atNewRef(t, e)
		tok := env.token(service.RoleSecretariat, "")
		for _, path := range []string{"/api/v1/programs/gov12-egov-priority", "/api/v1/projects/setad"} {
			r := env.must(env.get(path, tok), http.StatusOK)
			body := strings.Replace(string(r.Body), `"en":"`, `"en":"(edited) `, 1)
			w := env.must(env.put(path, tok, r.Header.Get("ETag"), body), http.StatusOK)
			if !strings.Contains(string(w.Body), "(edited) ") {
				t.Errorf("%s: the edit did not land: %s", path, w.Body)
			}
			// Unknown fields are still refused.
			r = env.must(env.get(path, tok), http.StatusOK)
			bad := strings.Replace(string(r.Body), `{`, `{"colour":"red",`, 1)
			atField(t, env.put(path, tok, r.Header.Get("ETag"), bad), http.StatusBadRequest, "colour")
		}
	})
}

// TestAPIMethodAndPreconditions: a wrong method is 405 with Allow, and
// If-Match: * is refused so no write overwrites another unseen.
func TestAPIMethodAndPreconditions(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := atNewRef(t, e)
		tok := env.token(service.RoleSecretariat, "")
		r := env.send(atReq{Method: "PATCH", Path: "/api/v1/agencies/ito", Token: tok, Body: "{}"})
		if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET, PUT, DELETE" {
			t.Errorf("PATCH: %d, Allow %q", r.Status, r.Header.Get("Allow"))
		}
		if r := env.get("/api/v1/nothing-here", ""); r.Status != http.StatusNotFound {
			t.Errorf("unknown route: %d", r.Status)
		}
		cur := env.must(env.get("/api/v1/agencies/ito", ""), http.StatusOK)
		atField(t, env.put("/api/v1/agencies/ito", tok, "*", string(cur.Body)), http.StatusPreconditionRequired, "If-Match")
		atField(t, env.get("/api/v1/terms?cursor=eA", ""), http.StatusBadRequest, "cursor")
	})
}

// TestAPIClosedProgramStages: a closed list's adoption record is history.
func TestAPIClosedProgramStages(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := atNewRef(t, e)
		tok := env.token(service.RoleSecretariat, "")
		path := "/api/v1/programs/gov12-egov-priority"
		r := env.must(env.get(path, tok), http.StatusOK)
		body := strings.Replace(string(r.Body), `"sourced_count":15`, `"sourced_count":16`, 1)
		if body == string(r.Body) {
			t.Fatal("fixture: no sourced_count 15 in the program")
		}
		atField(t, env.put(path, tok, r.Header.Get("ETag"), body), http.StatusConflict, "stages")
	})
}

// TestAPIConfidentialNeverPublic reads every public list and view of the
// reference data as the public and looks for the confidential project.
func TestAPIConfidentialNeverPublic(t *testing.T) {
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := atNewRef(t, e)
		markers := []string{"anti-smuggling", "سامانه مبارزه با قاچاق", "nti-smuggling", "nti-trafficking"}
		paths := []string{
			"/api/v1/programs", "/api/v1/programs/gov12-egov-priority", "/api/v1/programs/gov13-smart-driving",
			"/api/v1/programs/gov12-egov-priority/projects?limit=1000", "/api/v1/programs/gov13-smart-driving/projects",
			"/api/v1/projects?limit=1000", "/api/v1/agencies", "/api/v1/laws", "/api/v1/terms", "/api/v1/rules",
			"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving",
			"/api/v1/compare?from=gov13-smart-driving&to=gov12-egov-priority",
		}
		for _, p := range paths {
			r := env.must(env.get(p, ""), http.StatusOK)
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
	atEngines(t, func(t *testing.T, e testkit.Engine) {
		env := atNew(t, e)
		sec := env.token(service.RoleSecretariat, "")
		for i := range 1005 {
			env.must(env.post("/api/v1/agencies", sec, map[string]any{"code": fmt.Sprintf("a%04d", i),
				"name": atText("دستگاه", "agency"), "kind": "other"}), http.StatusCreated)
		}
		l := atObj(t, env.must(env.get("/api/v1/agencies?limit=1000", ""), http.StatusOK))
		if n := len(atItems(t, l)); n != 1000 || l["next_cursor"] == nil {
			t.Fatalf("limit=1000 gave %d items, next %v", n, l["next_cursor"])
		}
		l = atObj(t, env.must(env.get("/api/v1/agencies?limit=1000&cursor="+l["next_cursor"].(string), ""), http.StatusOK))
		if n := len(atItems(t, l)); n != 5 || l["next_cursor"] != nil {
			t.Fatalf("second page: %d items, next %v", n, l["next_cursor"])
		}
	})
}
