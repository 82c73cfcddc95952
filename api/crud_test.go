package api_test

// Create, read, update and delete of every record type, stale updates
// refused, and what an agency's token may write.

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// crudResource is one record type for the CRUD table.
type crudResource struct {
	name, path, key string
	keyField        string // the body's member holding the key
	body            map[string]any
	text            string // a {fa, en} field the update changes
}

func TestAPICRUD(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		resources := []crudResource{
			{"term", "/api/v1/terms", "21", "number", termRecord(21), "name"},
			{"agency", "/api/v1/agencies", "ag-one", "code", agencyRecord("ag-one"), "name"},
			{"agency2", "/api/v1/agencies", "ag-two", "code", agencyRecord("ag-two"), "name"},
			{"law", "/api/v1/laws", "law-x", "slug", lawRecord("law-x"), "title"},
			{"project", "/api/v1/projects", "proj-a", "slug", projectRecord("proj-a"), "title"},
			{"program", "/api/v1/programs", "prog-a", "id", programRecord("prog-a", 21, "restricted"), "title"},
		}
		for _, res := range resources {
			t.Run(res.name, func(t *testing.T) {
				one := res.path + "/" + res.key
				env.Get(one, env.Secretariat()).Problem(t, http.StatusNotFound)
				r := env.Must(env.Post(res.path, env.Secretariat(), res.body), http.StatusCreated)
				if loc := r.Header.Get("Location"); loc != one {
					t.Errorf("Location %q, want %q", loc, one)
				}
				created := r.Obj(t)
				if created["version"] != 1.0 || created["created_at"] == nil || created["created_at"] != created["updated_at"] {
					t.Errorf("created %v", created)
				}
				etag1 := r.Header.Get("ETag")
				if m := etagPattern.FindStringSubmatch(etag1); m == nil || m[1] != "1" {
					t.Fatalf("ETag %q after create", etag1)
				}
				r = env.Must(env.Get(one, env.Secretariat()), http.StatusOK)
				if r.Header.Get("ETag") != etag1 || !bytes.Equal(r.Body, env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Body) {
					t.Errorf("GET ETag %q differs from the create's %q", r.Header.Get("ETag"), etag1)
				}
				// Conditional GET.
				r = env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": etag1}})
				if r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != etag1 {
					t.Errorf("If-None-Match current: %s", r)
				}
				r = env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": `"v1-0000000000000000", ` + etag1}})
				if r.Status != http.StatusNotModified {
					t.Errorf("If-None-Match list: %s", r)
				}
				env.Must(env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": `"v1-0000000000000000"`}}), http.StatusOK)

				edit := func(label string) map[string]any {
					b := map[string]any{}
					for k, v := range res.body {
						b[k] = v
					}
					b[res.text] = scenario.Text("ویرایش "+label, "edited "+label)
					return b
				}
				// Preconditions.
				env.Put(one, env.Secretariat(), "", edit("x")).Field(t, http.StatusPreconditionRequired, "If-Match")
				env.Put(one, env.Secretariat(), `"garbage"`, edit("x")).Field(t, http.StatusPreconditionFailed, "If-Match")
				env.Put(one, "", etag1, edit("x")).Problem(t, http.StatusUnauthorized)
				env.Put(one, env.Env.Token(service.RoleReader, ""), etag1, edit("x")).Problem(t, http.StatusForbidden)

				// Two writers with the same ETag: the first wins, the second is stale.
				r = env.Must(env.Put(one, env.Secretariat(), etag1, edit("first")), http.StatusOK)
				etag2 := r.Header.Get("ETag")
				if m := etagPattern.FindStringSubmatch(etag2); m == nil || m[1] != "2" {
					t.Errorf("ETag %q after the first update", etag2)
				}
				if got := r.Obj(t); got["version"] != 2.0 || scenario.Path(t, got, res.text, "en") != "edited first" {
					t.Errorf("after the first update: %v", got)
				}
				p := env.Put(one, env.Secretariat(), etag1, edit("second")).Problem(t, http.StatusPreconditionFailed)
				if !strings.HasSuffix(p.Type, "/stale") {
					t.Errorf("stale write: type %q", p.Type)
				}
				got := env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Obj(t)
				if got["version"] != 2.0 || scenario.Path(t, got, res.text, "en") != "edited first" {
					t.Errorf("the stale write changed the record: %v", got)
				}
				// The key in the body must agree with the URL.
				b := edit("third")
				if res.keyField == "number" {
					b[res.keyField] = 99
				} else {
					b[res.keyField] = "other-key"
				}
				env.Put(one, env.Secretariat(), etag2, b).Field(t, http.StatusBadRequest, res.keyField)
				// Racing writers: exactly one of several wins. (They leave the key
				// out of the body, which is fine: the URL names the record.)
				var wg sync.WaitGroup
				codes := make([]int, 6)
				for i := range codes {
					wg.Add(1)
					go func() {
						defer wg.Done()
						b := edit("race " + strconv.Itoa(i))
						delete(b, res.keyField)
						codes[i] = env.Put(one, env.Secretariat(), etag2, b).Status
					}()
				}
				wg.Wait()
				won := 0
				for _, c := range codes {
					switch c {
					case http.StatusOK:
						won++
					case http.StatusPreconditionFailed:
					default:
						t.Errorf("racing PUT answered %d", c)
					}
				}
				if won != 1 {
					t.Errorf("%d racing writers won (%v), want exactly 1", won, codes)
				}
				if got := env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Obj(t); got["version"] != 3.0 {
					t.Errorf("version %v after the race, want 3", got["version"])
				}
			})
		}
		// Listing shows what was made.
		for _, res := range resources {
			if res.name == "agency2" {
				continue
			}
			items := scenario.Items(t, env.Must(env.Get(res.path, env.Secretariat()), http.StatusOK).Obj(t))
			if res.name == "agency" && len(items) != 2 || res.name != "agency" && len(items) != 1 {
				t.Errorf("GET %s: %d items", res.path, len(items))
			}
		}

		t.Run("delete", func(t *testing.T) {
			// Referenced records cannot go.
			for _, p := range []string{"/api/v1/agencies/ag-one", "/api/v1/agencies/ag-two", "/api/v1/laws/law-x", "/api/v1/terms/21"} {
				env.Del(p, env.Secretariat(), env.ETagOf(p)).Problem(t, http.StatusConflict)
				env.Must(env.Get(p, env.Secretariat()), http.StatusOK)
			}
			// Deleting needs a token, the secretariat and the current version.
			for i := len(resources) - 1; i >= 0; i-- {
				one := resources[i].path + "/" + resources[i].key
				etag := env.ETagOf(one)
				env.Del(one, env.Secretariat(), "").Field(t, http.StatusPreconditionRequired, "If-Match")
				env.Del(one, env.Secretariat(), `"v1-0000000000000000"`).Problem(t, http.StatusPreconditionFailed)
				env.Del(one, "", etag).Problem(t, http.StatusUnauthorized)
				env.Del(one, env.Env.Token(service.RoleReader, ""), etag).Problem(t, http.StatusForbidden)
				r := env.Del(one, env.Secretariat(), etag)
				if r.Status != http.StatusNoContent || len(r.Body) != 0 {
					t.Fatalf("delete %s: %s", one, r)
				}
				env.Get(one, env.Secretariat()).Problem(t, http.StatusNotFound)
				env.Del(one, env.Secretariat(), etag).Problem(t, http.StatusNotFound)
				env.Put(one, env.Secretariat(), etag, resources[i].body).Problem(t, http.StatusNotFound)
			}
		})
	})
}

func TestAPIAgencyRole(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		recordRegistry(env)
		env.Create("/api/v1/projects", projectRecord("mine"))                                                           // ag-one leads, ag-two takes part
		env.Create("/api/v1/projects", projectRecord("theirs", ledBy("ag-two", "ag-one")))                              // ag-two leads, ag-one takes part
		env.Create("/api/v1/projects", projectRecord("their-secret", confidentialProject, ledBy("ag-two", "ag-three"))) // ag-one not on it
		env.Create("/api/v1/projects", projectRecord("shared-secret", confidentialProject, ledBy("ag-two", "ag-one")))  // ag-one takes part
		ag := env.Env.Token(service.RoleAgency, "ag-one")

		// Its own project: may edit, but must keep leading it.
		etag := env.ETagOf("/api/v1/projects/mine")
		upd := projectRecord("mine", func(p map[string]any) { p["summary"] = scenario.Text("به‌روز", "updated by the agency") })
		r := env.Must(env.Put("/api/v1/projects/mine", ag, etag, upd), http.StatusOK)
		if got := r.Obj(t); scenario.Path(t, got, "summary", "en") != "updated by the agency" || got["version"] != 2.0 {
			t.Errorf("agency update: %v", got)
		}
		giveAway := projectRecord("mine", ledBy("ag-two", "ag-one"))
		env.Put("/api/v1/projects/mine", ag, r.Header.Get("ETag"), giveAway).Problem(t, http.StatusForbidden)

		// Another agency's project, even one it takes part in: forbidden.
		etag = env.ETagOf("/api/v1/projects/theirs")
		env.Put("/api/v1/projects/theirs", ag, etag, projectRecord("theirs", ledBy("ag-two", "ag-one"))).Problem(t, http.StatusForbidden)
		env.Put("/api/v1/projects/theirs", ag, etag, projectRecord("theirs", ledBy("ag-one", "ag-two"))).Problem(t, http.StatusForbidden)
		env.Del("/api/v1/projects/mine", ag, env.ETagOf("/api/v1/projects/mine")).Problem(t, http.StatusForbidden)
		if got := env.Must(env.Get("/api/v1/projects/theirs", ag), http.StatusOK).Obj(t); got["version"] != 1.0 {
			t.Errorf("a refused agency edit changed the project: %v", got)
		}

		// A confidential project of another agency does not exist for it.
		env.Get("/api/v1/projects/their-secret", ag).Problem(t, http.StatusNotFound)
		env.Get("/api/v1/projects/their-secret", "").Problem(t, http.StatusNotFound)
		env.Put("/api/v1/projects/their-secret", ag, env.ETagOf("/api/v1/projects/their-secret"),
			projectRecord("their-secret", confidentialProject, ledBy("ag-two", "ag-three"))).Problem(t, http.StatusNotFound)
		env.Must(env.Get("/api/v1/projects/their-secret", env.Secretariat()), http.StatusOK)
		// One it takes part in is visible to it, not to the public.
		env.Must(env.Get("/api/v1/projects/shared-secret", ag), http.StatusOK)
		env.Get("/api/v1/projects/shared-secret", "").Problem(t, http.StatusNotFound)
		slugsOf := func(token string) []string {
			var out []string
			for _, p := range scenario.Items(t, env.Must(env.Get("/api/v1/projects", token), http.StatusOK).Obj(t)) {
				out = append(out, p["slug"].(string))
			}
			return out
		}
		if got := slugsOf(ag); !slices.Equal(got, []string{"mine", "shared-secret", "theirs"}) {
			t.Errorf("agency sees %v", got)
		}
		if got := slugsOf(""); !slices.Equal(got, []string{"mine", "theirs"}) {
			t.Errorf("public sees %v", got)
		}
		if got := slugsOf(env.Secretariat()); len(got) != 4 {
			t.Errorf("secretariat sees %v", got)
		}

		// It may record a project it leads, not one another agency leads.
		env.Must(env.Post("/api/v1/projects", ag, projectRecord("new-mine")), http.StatusCreated)
		env.Post("/api/v1/projects", ag, projectRecord("new-theirs", ledBy("ag-two", "ag-one"))).Problem(t, http.StatusForbidden)
		env.Get("/api/v1/projects/new-theirs", env.Secretariat()).Problem(t, http.StatusNotFound)
		// It may edit its own agency record only, and none of the secretariat's records.
		a := agencyRecord("ag-one")
		a["name"] = scenario.Text("نام تازه", "New name")
		env.Must(env.Put("/api/v1/agencies/ag-one", ag, env.ETagOf("/api/v1/agencies/ag-one"), a), http.StatusOK)
		env.Put("/api/v1/agencies/ag-two", ag, env.ETagOf("/api/v1/agencies/ag-two"), agencyRecord("ag-two")).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/laws", ag, lawRecord("law-y")).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/programs", ag, programRecord("prog-y", 20, "public")).Problem(t, http.StatusForbidden)
	})
}
