package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// openAPIServer is a server over a fresh SQLite database.
func openAPIServer(t testing.TB) *api.Server {
	t.Helper()
	db := testkit.Open(t, testkit.Engines()[0])
	svc := service.New(db, nil)
	return api.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// apiRoutes are the routes the OpenAPI document describes: the API's, and
// the site's that answer programs too (the verification page).
func apiRoutes(t *testing.T) []api.Route {
	t.Helper()
	srv := openAPIServer(t)
	site, err := web.New(service.New(testkit.Open(t, testkit.Engines()[0]), nil), slog.New(slog.DiscardHandler), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	routes := srv.Routes()
	for _, rt := range site.Routes() {
		if method, path, ok := strings.Cut(rt.Pattern, " "); ok && rt.OpenAPI {
			routes = append(routes, api.Route{Method: method, Pattern: path})
		}
	}
	return routes
}

// openAPIDoc parses the embedded OpenAPI document.
func openAPIDoc(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// openAPIPath turns a net/http pattern path into an OpenAPI path template. For
// plain {name} wildcards the two spellings are the same.
func openAPIPath(pattern string) string {
	p := strings.TrimSuffix(pattern, "{$}")
	return regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\.\.\.\}`).ReplaceAllString(p, "{$1}")
}

func TestOpenAPIDocument(t *testing.T) {
	doc := openAPIDoc(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf(`"openapi" = %q, want 3.1.x`, v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "Pishran API" || info["version"] != "1" {
		t.Errorf("info title/version = %v/%v, want Pishran API/1", info["title"], info["version"])
	}
	desc, _ := info["description"].(string)
	if !strings.Contains(desc, "پروژه") || !strings.Contains(desc, "driving projects") {
		t.Error("info.description should be bilingual (Persian and English)")
	}
	for _, role := range []string{"admin", "secretariat", "agency", "reader"} {
		if !strings.Contains(desc, role) {
			t.Errorf("info.description does not describe the %s role", role)
		}
	}
	comps, _ := doc["components"].(map[string]any)
	schemes, _ := comps["securitySchemes"].(map[string]any)
	bearer, _ := schemes["bearerAuth"].(map[string]any)
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" {
		t.Errorf("securitySchemes.bearerAuth = %v, want an http bearer scheme", bearer)
	}
	schemas, _ := comps["schemas"].(map[string]any)
	for _, name := range []string{"Text", "Date", "Source", "Agency", "Law", "Term", "Program", "ProgramView",
		"StageView", "Project", "ProjectView", "Membership", "Member", "MembershipEvent", "Violation", "Verdict",
		"ComparisonResult", "Problem", "ProblemItem", "Designation", "Departure"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	if _, ok := doc["paths"].(map[string]any)["/metrics"]; ok {
		t.Error("/metrics is not an API route and should not be in paths")
	}
}

// TestOpenAPIRoutes checks both directions: every served route is
// described, and everything described is served.
func TestOpenAPIRoutes(t *testing.T) {
	doc := openAPIDoc(t)
	paths, _ := doc["paths"].(map[string]any)
	served := map[string]bool{}
	for _, rt := range apiRoutes(t) {
		key := strings.ToLower(rt.Method) + " " + openAPIPath(rt.Pattern)
		if served[key] {
			t.Errorf("route %s %s is served twice", rt.Method, rt.Pattern)
		}
		served[key] = true
		item, ok := paths[openAPIPath(rt.Pattern)].(map[string]any)
		if !ok {
			t.Errorf("served route %s %s: path %s is not in the OpenAPI document", rt.Method, rt.Pattern, openAPIPath(rt.Pattern))
			continue
		}
		if _, ok := item[strings.ToLower(rt.Method)]; !ok {
			t.Errorf("served route %s %s: the document's path has no %s operation", rt.Method, rt.Pattern, strings.ToLower(rt.Method))
		}
	}
	if len(served) < 30 {
		t.Errorf("only %d routes served; Routes() looks wrong", len(served))
	}
	var described []string
	for p, v := range paths {
		item, _ := v.(map[string]any)
		for _, m := range httpMethods {
			if _, ok := item[m]; ok {
				described = append(described, m+" "+p)
			}
		}
	}
	sort.Strings(described)
	for _, d := range described {
		if !served[d] {
			t.Errorf("the document describes %s, which the server does not serve", d)
		}
	}
}

// TestOpenAPIOperations checks each operation's shape: a unique
// operationId, responses, every path template parameter declared (and no
// path parameter that is not in the template), writes secured by a token.
func TestOpenAPIOperations(t *testing.T) {
	doc := openAPIDoc(t)
	paths, _ := doc["paths"].(map[string]any)
	ids := map[string]string{}
	wildcard := regexp.MustCompile(`\{([^}]+)\}`)
	for p, v := range paths {
		item, _ := v.(map[string]any)
		var want []string
		for _, m := range wildcard.FindAllStringSubmatch(p, -1) {
			want = append(want, m[1])
		}
		for _, m := range httpMethods {
			o, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			where := m + " " + p
			id, _ := o["operationId"].(string)
			if id == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := ids[id]; dup {
				t.Errorf("operationId %q is used by %s and %s", id, other, where)
			}
			ids[id] = where
			if rs, _ := o["responses"].(map[string]any); len(rs) == 0 {
				t.Errorf("%s has no responses", where)
			}
			var got []string
			params, _ := o["parameters"].([]any)
			if common, ok := item["parameters"].([]any); ok {
				params = append(params, common...)
			}
			for _, pv := range params {
				par, _ := pv.(map[string]any)
				if r, ok := par["$ref"].(string); ok {
					par, _ = resolveRef(doc, r).(map[string]any)
				}
				if par["in"] == "path" {
					got = append(got, par["name"].(string))
					if par["required"] != true {
						t.Errorf("%s: path parameter %v is not required", where, par["name"])
					}
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s: path parameters %v, want %v", where, got, want)
			}
			if m != "get" && !slices.Contains(api.PublicWrites(), strings.ToUpper(m)+" "+p) {
				sec, _ := o["security"].([]any)
				if len(sec) == 0 {
					t.Errorf("%s is a write but has no security requirement", where)
				}
				for _, s := range sec {
					if req, _ := s.(map[string]any); len(req) == 0 {
						t.Errorf("%s is a write but allows anonymous access", where)
					}
				}
			}
		}
	}
}

// resolveRef follows a local JSON pointer such as #/components/schemas/Text;
// nil when it leads nowhere.
func resolveRef(doc any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	cur := doc
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}

func TestOpenAPIRefs(t *testing.T) {
	doc := openAPIDoc(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				n++
				if !strings.HasPrefix(r, "#/components/") {
					t.Errorf("%s: $ref %q is not a local component", at, r)
				} else if resolveRef(doc, r) == nil {
					t.Errorf("%s: $ref %q resolves to nothing", at, r)
				}
			}
			for k, val := range x {
				walk(val, at+"/"+k)
			}
		case []any:
			for _, val := range x {
				walk(val, at+"[]")
			}
		}
	}
	walk(doc, "#")
	if n == 0 {
		t.Error("the document has no $ref at all")
	}
}

func TestOpenAPIServed(t *testing.T) {
	srv := openAPIServer(t)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if !bytes.Equal(rec.Body.Bytes(), api.OpenAPI()) {
		t.Error("the served document differs from api.OpenAPI()")
	}
	onDisk, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(rec.Body.Bytes(), onDisk) {
		t.Error("the served document differs from api/openapi.json")
	}
}
