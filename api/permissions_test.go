package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestPermissionMatrix walks every route × every role and checks the
// answer against the one permission table: a role the table leaves out is
// refused (401 for the public, 403 "role-forbidden" for a signed-in role)
// before anything else happens, and a role it lets in is never refused for
// its role. A route with no decision in the table fails here (New panics).
func TestPermissionMatrix(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		tokens := map[service.Role]string{service.RoleAnonymous: ""}
		for _, r := range service.Roles {
			agency := ""
			if r == service.RoleAgency {
				agency = "ito"
			}
			tokens[r] = env.Env.Token(r, agency)
		}
		params := strings.NewReplacer("{number}", "12", "{code}", "ito", "{slug}", "setad", "{id}", "gov12-egov-priority",
			"{project}", "setad", "{event}", "1", "{username}", "root", "{n}", "1")
		routes := env.API.Routes()
		served := map[string]bool{}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			served[key] = true
			access, ok := api.Permissions[key]
			if !ok {
				t.Errorf("%s has no entry in the permission table", key)
				continue
			}
			for role, tok := range tokens {
				var body any
				if rt.Method != "GET" && rt.Method != "DELETE" {
					body = map[string]any{}
				}
				h := map[string]string{}
				if rt.Method == "PUT" || rt.Method == "DELETE" {
					h["If-Match"] = `"v1-0"`
				}
				r := env.Do(scenario.Request{Method: rt.Method, Path: params.Replace(rt.Pattern), Token: tok, Body: body, Header: h})
				var p struct{ Type string }
				json.Unmarshal(r.Body, &p)
				roleRefused := r.Status == http.StatusForbidden && strings.HasSuffix(p.Type, "/role-forbidden")
				switch {
				case !access.Allows(role) && role == service.RoleAnonymous:
					if r.Status != http.StatusUnauthorized {
						t.Errorf("%s as the public: %d, want 401", key, r.Status)
					}
				case !access.Allows(role):
					if !roleRefused {
						t.Errorf("%s as %s: %d %s, want 403 role-forbidden", key, role, r.Status, p.Type)
					}
				default:
					if roleRefused || r.Status == http.StatusUnauthorized {
						t.Errorf("%s as %q: refused (%d %s) though the table lets the role in", key, role, r.Status, p.Type)
					}
				}
				if r.Status >= 500 {
					t.Errorf("%s as %q: %d", key, role, r.Status)
				}
			}
		}
		for key := range api.Permissions {
			if !served[key] {
				t.Errorf("the permission table names %s, which no route serves", key)
			}
		}
	})
}
