package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The registry's read routes keep their answers, but never past a write:
// not one made through another instance on the same database (which has
// caches of its own), and a viewer never gets an answer kept for another
// (a confidential project stays with those who may see it).
func TestResponseCacheFollowsWrites(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		a := newAPI(scenario.New(t, e))
		recordRegistry(a)
		b := newAPI(scenario.Over(t, a.Env.DB)) // a second instance: its own service, caches and server
		a.Create("/api/v1/projects", projectRecord("p-open"))
		a.Create("/api/v1/projects", projectRecord("p-secret", confidentialProject, ledBy("ag-one", "ag-two")))
		one := a.Env.Token(service.RoleAgency, "ag-one")

		list := "/api/v1/projects?limit=100"
		first := b.Must(b.Get(list, ""), http.StatusOK)
		again := b.Must(b.Get(list, ""), http.StatusOK)
		if string(first.Body) != string(again.Body) || first.Header.Get("ETag") == "" || again.Header.Get("ETag") != first.Header.Get("ETag") {
			t.Fatalf("the same list twice differs: %q %q", first.Header.Get("ETag"), again.Header.Get("ETag"))
		}
		if strings.Contains(string(first.Body), "p-secret") {
			t.Fatal("the public list shows the confidential project")
		}
		if r := b.Do(scenario.Request{Method: "GET", Path: list, Header: map[string]string{"If-None-Match": first.Header.Get("ETag")}}); r.Status != http.StatusNotModified {
			t.Errorf("the kept list with its ETag: %d", r.Status)
		}
		// The agency on the confidential project asks the same address.
		if r := b.Must(b.Get(list, one), http.StatusOK); !strings.Contains(string(r.Body), "p-secret") {
			t.Error("ag-one was served the public's kept list, without its confidential project")
		}
		if r := b.Must(b.Get(list, ""), http.StatusOK); strings.Contains(string(r.Body), "p-secret") {
			t.Error("the public was served ag-one's kept list")
		}
		b.Must(b.Get("/api/v1/projects/p-open", ""), http.StatusOK)

		// A write through the other instance is seen at once.
		a.Create("/api/v1/projects", projectRecord("p-new"))
		if r := b.Must(b.Get(list, ""), http.StatusOK); !strings.Contains(string(r.Body), "p-new") || r.Header.Get("ETag") == first.Header.Get("ETag") {
			t.Error("a project created on another instance is missing from the list")
		}
		etag := a.ETagOf("/api/v1/projects/p-open")
		p := projectRecord("p-open")
		p["title"] = scenario.Text("عنوان تازه", "a new title")
		a.Must(a.Put("/api/v1/projects/p-open", a.Secretariat(), etag, p), http.StatusOK)
		if r := b.Must(b.Get("/api/v1/projects/p-open", ""), http.StatusOK); !strings.Contains(string(r.Body), "a new title") {
			t.Errorf("the project read after an update on another instance: %s", r.Body)
		}
		a.Must(a.Del("/api/v1/projects/p-new", a.Secretariat(), a.ETagOf("/api/v1/projects/p-new")), http.StatusNoContent)
		if r := b.Must(b.Get(list, ""), http.StatusOK); strings.Contains(string(r.Body), "p-new") {
			t.Error("a project deleted on another instance is still listed")
		}
	})
}
