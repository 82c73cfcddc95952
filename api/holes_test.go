package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// Tests of issue 10's smaller holes: characters that reorder or hide text,
// duplicate JSON keys, one lead agency, dependencies on infrastructure only,
// the role check before preconditions.

// TestAPITextControlCharacters checks that a bidirectional override or
// another control character in a name or title is refused with 422 naming
// the field and language, on every kind of record, and that nothing is
// written; Persian's zero-width non-joiner is kept.
func TestAPITextControlCharacters(t *testing.T) {
	const rlo = "\u202e"
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		env.Create("/api/v1/agencies", agencyRecord("ag-one"))
		env.Create("/api/v1/agencies", agencyRecord("ag-two"))
		env.Create("/api/v1/laws", lawRecord("law-x"))
		env.Create("/api/v1/terms", termRecord(21))
		admin := env.Env.Token(service.RoleAdmin, "")

		with := func(body map[string]any, key string, v any) map[string]any {
			out := map[string]any{}
			for k, x := range body {
				out[k] = x
			}
			out[key] = v
			return out
		}
		cases := []struct {
			path, field string
			token       string
			body        map[string]any
		}{
			{"/api/v1/agencies", "name.fa", env.Secretariat(), with(agencyRecord("ag-x"), "name", scenario.Text("دستگاه"+rlo+"ناپیدا", "Agency"))},
			{"/api/v1/laws", "title.en", env.Secretariat(), with(lawRecord("law-y"), "title", scenario.Text("قانون", "Law\u2066"))},
			{"/api/v1/laws", "number", env.Secretariat(), with(lawRecord("law-y"), "number", "42"+rlo)},
			{"/api/v1/terms", "name.fa", env.Secretariat(), with(termRecord(22), "name", scenario.Text("دولت\x1b[31m", ""))},
			{"/api/v1/programs", "title.fa", env.Secretariat(), with(programRecord("prog-x", 21, "public"), "title", scenario.Text("فهرست\ufeff", "List"))},
			{"/api/v1/projects", "title.fa", env.Secretariat(), with(projectRecord("proj-x"), "title", scenario.Text("نسخه"+rlo+"کینورتکلا", "E-prescription"))},
			{"/api/v1/projects", "title.en", env.Secretariat(), with(projectRecord("proj-x"), "title", scenario.Text("نسخه", "E-prescription\nsecond line"))},
			{"/api/v1/series", "name.en", env.Secretariat(), map[string]any{"code": "itec", "name": scenario.Text("شورا", "Council\u2067"), "kind": "council"}},
			{"/api/v1/meetings", "title.fa", env.Secretariat(), map[string]any{"series": "itec", "number": 1, "date": "2024-01-01", "title": scenario.Text("جلسه"+rlo, "")}},
			{"/api/v1/users", "display_name.fa", admin, map[string]any{"username": "ali", "display_name": scenario.Text("علی"+rlo, "Ali"), "role": "reader", "password": "a long enough password"}},
		}
		for _, c := range cases {
			env.Post(c.path, c.token, c.body).Field(t, http.StatusUnprocessableEntity, c.field)
		}
		// Nothing was written by the refused requests.
		env.Get("/api/v1/projects/proj-x", env.Secretariat()).Problem(t, http.StatusNotFound)
		env.Get("/api/v1/agencies/ag-x", env.Secretariat()).Problem(t, http.StatusNotFound)

		// An update is held to the same rule.
		env.Create("/api/v1/projects", projectRecord("proj-a"))
		etag := env.ETagOf("/api/v1/projects/proj-a")
		env.Put("/api/v1/projects/proj-a", env.Secretariat(), etag, with(projectRecord("proj-a"), "scope", scenario.Text("دامنه\u202d", ""))).Field(t, http.StatusUnprocessableEntity, "scope.fa")

		// What Persian needs stays: ZWNJ (نیم‌فاصله), and line breaks in a
		// long text.
		ok := with(projectRecord("proj-b"), "title", scenario.Text("سامانه‌های پرداخت", "Payment systems"))
		ok["scope"] = scenario.Text("بند یک\r\nبند دو", "one\ntwo")
		got := env.Create("/api/v1/projects", ok)
		if scenario.Path(t, got, "title", "fa") != "سامانه‌های پرداخت" {
			t.Errorf("ZWNJ not kept: %v", got["title"])
		}
	})
}

// TestDecodeDuplicateKeys checks that a body naming one key twice in an
// object is refused naming the key's path — also when the two spellings
// differ only in case, which encoding/json would take as the same field —
// while the same key in sibling objects is fine.
func TestDecodeDuplicateKeys(t *testing.T) {
	cases := map[string]string{
		`{"slug":"a","slug":"b"}`:                           "slug",
		`{"slug":"a","Slug":"b"}`:                           "Slug",
		`{"slug":"a","\u017flug":"b"}`:                      "\u017flug", // long s: encoding/json folds it to s
		`{"slug":"a","title":{"fa":"x","en":"y","fa":"z"}}`: "title.fa",
		`{"agencies":[{"agency":"a","role":"lead"},{"agency":"b","role":"participant","ROLE":"lead"}]}`: "agencies[1].ROLE",
		`{"deliverables":[{"title":{"fa":"x"}}],"deliverables":[]}`:                                     "deliverables",
	}
	for body, path := range cases {
		var p domain.Project
		err := api.DecodeJSON([]byte(body), &p)
		if err == nil || !strings.Contains(err.Error(), "duplicate key") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want a duplicate key naming %s", body, err, path)
		}
	}
	var p domain.Project
	ok := `{"slug":"a","title":{"fa":"x","en":"y"},"scope":{"fa":"x","en":"y"},
		"agencies":[{"agency":"a","role":"lead"},{"agency":"b","role":"participant"}]}`
	if err := api.DecodeJSON([]byte(ok), &p); err != nil {
		t.Errorf("the same keys in sibling objects: %v", err)
	}
	var doc domain.Document
	if err := api.DecodeJSON([]byte(`{"format":"pishran-registry","version":1,"projects":[{"slug":"a"},{"slug":"b","slug":"c"}]}`), &doc); err == nil ||
		!strings.Contains(err.Error(), "projects[1].slug") {
		t.Errorf("an import document: %v, want projects[1].slug named", err)
	}
}

// TestAPIDuplicateKeys checks the refusal on the wire, on create and on an
// update whose read-only fields are stripped before decoding (that
// stripping must not fold the two keys into one first).
func TestAPIDuplicateKeys(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		env.Create("/api/v1/agencies", agencyRecord("ag-one"))
		env.Create("/api/v1/agencies", agencyRecord("ag-two"))
		env.Create("/api/v1/laws", lawRecord("law-x"))
		body := `{"code":"ag-dup","name":{"fa":"دستگاه","en":"Agency","en":"Hidden"},"kind":"organization"}`
		env.Post("/api/v1/agencies", env.Secretariat(), body).Field(t, http.StatusBadRequest, "name.en")
		env.Get("/api/v1/agencies/ag-dup", env.Secretariat()).Problem(t, http.StatusNotFound)

		env.Create("/api/v1/projects", projectRecord("proj-a"))
		etag := env.ETagOf("/api/v1/projects/proj-a")
		b, _ := json.Marshal(projectRecord("proj-a"))
		dup := strings.Replace(string(b), `"confidentiality":"public"`, `"confidentiality":"public","confidentiality":"confidential"`, 1)
		if dup == string(b) {
			t.Fatal("test body not built")
		}
		env.Put("/api/v1/projects/proj-a", env.Secretariat(), etag, dup).Field(t, http.StatusBadRequest, "confidentiality")
		dup = strings.Replace(string(b), `"slug":"proj-a"`, `"slug":"proj-a","memberships":[],"Memberships":[]`, 1)
		env.Put("/api/v1/projects/proj-a", env.Secretariat(), etag, dup).Field(t, http.StatusBadRequest, "Memberships")
		if env.ETagOf("/api/v1/projects/proj-a") != etag {
			t.Error("a refused update changed the project")
		}
	})
}

// TestAPIOneLeadAgency checks that a project names exactly one lead agency
// once it names any agency, on create and on update, and that a project with
// no agencies recorded yet (a draft: unknown, as in the reference data) is
// still taken.
func TestAPIOneLeadAgency(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		for _, c := range []string{"ag-one", "ag-two", "ag-three"} {
			env.Create("/api/v1/agencies", agencyRecord(c))
		}
		env.Create("/api/v1/laws", lawRecord("law-x"))
		agencies := func(list ...any) func(map[string]any) {
			return func(p map[string]any) { p["agencies"] = list }
		}
		for _, bad := range [][]any{
			{leadBy("ag-one"), leadBy("ag-two")},
			{takingPart("ag-one"), takingPart("ag-two")},
			{takingPart("ag-one")},
			{leadBy("ag-one"), takingPart("ag-two"), leadBy("ag-three")},
		} {
			env.Post("/api/v1/projects", env.Secretariat(), projectRecord("proj-x", agencies(bad...))).Field(t, http.StatusUnprocessableEntity, "agencies")
		}
		env.Get("/api/v1/projects/proj-x", env.Secretariat()).Problem(t, http.StatusNotFound)

		// A draft with its agencies not known yet is taken.
		env.Create("/api/v1/projects", projectRecord("proj-draft", agencies()))
		// One lead, with or without participants, is taken; an update is held
		// to the same rule.
		env.Create("/api/v1/projects", projectRecord("proj-a", agencies(leadBy("ag-one"))))
		etag := env.ETagOf("/api/v1/projects/proj-a")
		env.Put("/api/v1/projects/proj-a", env.Secretariat(), etag, projectRecord("proj-a", agencies(leadBy("ag-one"), leadBy("ag-two")))).Field(t, http.StatusUnprocessableEntity, "agencies")
		env.Put("/api/v1/projects/proj-draft", env.Secretariat(), env.ETagOf("/api/v1/projects/proj-draft"),
			projectRecord("proj-draft", agencies(takingPart("ag-two")))).Field(t, http.StatusUnprocessableEntity, "agencies")
		env.Must(env.Put("/api/v1/projects/proj-a", env.Secretariat(), etag, projectRecord("proj-a", agencies(takingPart("ag-two"), leadBy("ag-three")))), http.StatusOK)
	})
}

// TestAPIDependsOnInfrastructure checks that a project depends on
// infrastructure projects only, on create and update, and that a project
// others depend on cannot stop being infrastructure.
func TestAPIDependsOnInfrastructure(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		env.Create("/api/v1/agencies", agencyRecord("ag-one"))
		env.Create("/api/v1/agencies", agencyRecord("ag-two"))
		env.Create("/api/v1/laws", lawRecord("law-x"))
		kind := func(k string) func(map[string]any) { return func(p map[string]any) { p["kind"] = k } }
		deps := func(d ...any) func(map[string]any) { return func(p map[string]any) { p["depends_on"] = d } }
		env.Create("/api/v1/projects", projectRecord("infra", kind("infrastructure")))
		env.Create("/api/v1/projects", projectRecord("svc"))

		env.Post("/api/v1/projects", env.Secretariat(), projectRecord("p", deps("svc"))).Field(t, http.StatusUnprocessableEntity, "depends_on[0]")
		env.Post("/api/v1/projects", env.Secretariat(), projectRecord("p", deps("infra", "svc"))).Field(t, http.StatusUnprocessableEntity, "depends_on[1]")
		env.Get("/api/v1/projects/p", env.Secretariat()).Problem(t, http.StatusNotFound)
		env.Create("/api/v1/projects", projectRecord("p", deps("infra")))
		// An infrastructure project may itself depend on infrastructure.
		env.Create("/api/v1/projects", projectRecord("infra2", kind("infrastructure"), deps("infra")))

		etag := env.ETagOf("/api/v1/projects/p")
		env.Put("/api/v1/projects/p", env.Secretariat(), etag, projectRecord("p", deps("infra", "svc"))).Field(t, http.StatusUnprocessableEntity, "depends_on[1]")
		// The other way round: what others depend on stays infrastructure.
		env.Put("/api/v1/projects/infra", env.Secretariat(), env.ETagOf("/api/v1/projects/infra"), projectRecord("infra", kind("service"))).Field(t, http.StatusUnprocessableEntity, "kind")
		if got := env.Must(env.Get("/api/v1/projects/p", env.Secretariat()), http.StatusOK).Obj(t); env.ETagOf("/api/v1/projects/p") != etag ||
			len(got["depends_on"].([]any)) != 1 {
			t.Errorf("a refused update changed the project: %v", got)
		}
		// Once nothing depends on it, it may change.
		env.Must(env.Put("/api/v1/projects/p", env.Secretariat(), etag, projectRecord("p")), http.StatusOK)
		env.Must(env.Put("/api/v1/projects/infra2", env.Secretariat(), env.ETagOf("/api/v1/projects/infra2"), projectRecord("infra2", kind("infrastructure"))), http.StatusOK)
		env.Must(env.Put("/api/v1/projects/infra", env.Secretariat(), env.ETagOf("/api/v1/projects/infra"), projectRecord("infra", kind("service"))), http.StatusOK)
	})
}

// TestRoleBeforePrecondition checks that the role check answers before the
// precondition. The routes and who may call them come from the permission
// table; the answers from probing. For every write route and every caller:
//   - a role the table leaves out is refused (401 for the public, 403 for a
//     signed-in role) though it sends no If-Match;
//   - a caller told 428 ("send If-Match") must be one the route would let
//     write: sending a well-formed but stale ETag instead, it hears 412 or
//     another complaint about the input, never 403 or 404;
//   - every route that asks for If-Match and that the table opens to
//     agencies refuses, without If-Match, an agency the record is not its
//     own (so the check above is not vacuous).
func TestRoleBeforePrecondition(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e) // agencies moh (lead of p0), ito (participant), tax (on nothing)
		admin := env.Env.Token(service.RoleAdmin, "")
		env.Create("/api/v1/terms", termRecord(21))
		env.Create("/api/v1/programs", programRecord("prog-a", 21, "public"))
		env.Create("/api/v1/series", map[string]any{"code": "itec", "name": scenario.Text("شورا", "Council"), "kind": "council"})
		env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 1, "date": "2024-06-01"})
		env.Must(env.Post("/api/v1/meetings/itec-1/hold", env.Secretariat(), nil), http.StatusOK)
		act := env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "moh", "due": "2024-07-01",
			"projects": []string{"p0"}, "description": scenario.Text("برنامه استقرار", "roll-out plan")})
		actionID := strconv.FormatInt(int64(scenario.Path(t, act, "action", "id").(float64)), 10)
		rep := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated).Obj(t)
		reportID := idOf(t, rep)
		env.Must(env.Post("/api/v1/users", admin, map[string]any{"username": "someone", "display_name": scenario.Text("کسی", "Someone"),
			"role": "reader", "password": "a long enough password"}), http.StatusCreated)

		env.Create("/api/v1/laws", lawRecord("law-x"))

		// The record each path parameter names; {id} and {slug} depend on
		// the collection.
		ids := map[string]string{"programs": "prog-a", "meetings": "itec-1", "reports": reportID, "actions": actionID,
			"laws": "law-x", "projects": "p0"}
		pathOf := func(pattern string) string {
			if _, rest, ok := strings.Cut(pattern, "/api/v1/"); ok {
				coll, _, _ := strings.Cut(rest, "/")
				pattern = strings.NewReplacer("{id}", ids[coll], "{slug}", ids[coll]).Replace(pattern)
			}
			return strings.NewReplacer("{number}", "21", "{code}", "moh", "{slug}", "p0", "{project}", "p0", "{event}", "1",
				"{username}", "someone", "{n}", "1").Replace(pattern)
		}
		type caller struct {
			name  string
			role  service.Role
			token string
		}
		callers := []caller{{"the public", service.RoleAnonymous, ""}, {"a reader", service.RoleReader, env.Env.Token(service.RoleReader, "")},
			{"a council member", service.RoleCouncil, env.Env.Token(service.RoleCouncil, "")},
			{"the owner agency", service.RoleAgency, env.moh}, {"a participant agency", service.RoleAgency, env.ito},
			{"another agency", service.RoleAgency, env.tax}, {"the secretariat", service.RoleSecretariat, env.Secretariat()},
			{"an admin", service.RoleAdmin, admin}}

		asksIfMatch := map[string]bool{} // routes that answered 428 to someone
		refused := map[string]bool{}     // routes that refused a caller the table lets in, without If-Match
		for _, rt := range env.API.Routes() {
			if rt.Method == "GET" {
				continue
			}
			key := rt.Method + " " + rt.Pattern
			access := api.Permissions[key]
			path := pathOf(rt.Pattern)
			var body any
			switch rt.Method {
			case "POST":
				body = map[string]any{}
			case "PUT": // what a GET shows is what a PUT takes back
				if r := env.Get(path, env.Secretariat()); r.Status == http.StatusOK {
					body = r.Body
				} else {
					body = map[string]any{}
				}
			}
			for _, c := range callers {
				r := env.Do(scenario.Request{Method: rt.Method, Path: path, Token: c.token, Body: body})
				if r.Status >= 500 {
					t.Errorf("%s as %s: %s", key, c.name, r)
					continue
				}
				if !access.Allows(c.role) {
					want := http.StatusForbidden
					if c.role == service.RoleAnonymous {
						want = http.StatusUnauthorized
					}
					if r.Status != want {
						t.Errorf("%s as %s with no If-Match: %d, want %d", key, c.name, r.Status, want)
					}
					continue
				}
				switch r.Status {
				case http.StatusForbidden, http.StatusNotFound:
					refused[key] = true
				case http.StatusPreconditionRequired:
					asksIfMatch[key] = true
					stale := env.Do(scenario.Request{Method: rt.Method, Path: path, Token: c.token, Body: body,
						Header: map[string]string{"If-Match": `"v999999-0000000000000000"`}})
					if stale.Status == http.StatusForbidden || stale.Status == http.StatusNotFound {
						t.Errorf("%s as %s: 428 without If-Match, but %d with one: the role check must answer first", key, c.name, stale.Status)
					}
				}
			}
		}
		if len(asksIfMatch) == 0 {
			t.Fatal("no route asked for If-Match: the probe is broken")
		}
		for key := range asksIfMatch {
			if api.Permissions[key].Allows(service.RoleAgency) && !refused[key] {
				t.Errorf("%s asks for If-Match and lets agencies in, but refused no agency whose record it is not: the fixture lacks a case", key)
			}
		}
	})
}

// TestEvidenceNameBidiOverride checks that an evidence file whose name
// holds a right-to-left override ("report‮fdp.exe", which shows as
// "reportexe.pdf") is refused naming the name, and a title with a line
// break naming the title.
func TestEvidenceNameBidiOverride(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e)
		r := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1403-02"}), http.StatusCreated).Obj(t)
		base := "/api/v1/reports/" + idOf(t, r) + "/evidence"
		pdf := []byte("%PDF-1.7\nstream of results\n")
		env.upload(base+"?name=report%E2%80%AEfdp.pdf", env.moh, "application/pdf", pdf).Field(t, http.StatusUnprocessableEntity, "name")
		env.upload(base+"?name=report.pdf&title_en=one%0Atwo", env.moh, "application/pdf", pdf).Field(t, http.StatusUnprocessableEntity, "title.en")
		env.Must(env.upload(base+"?name=report.pdf&title_fa=%DA%AF%D8%B2%D8%A7%D8%B1%D8%B4%E2%80%8C%D9%87%D8%A7", env.moh, "application/pdf", pdf), http.StatusCreated)
	})
}
