package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestSearchAPI: GET /api/v1/search finds a project typed with Arabic
// letter forms, marks the words in escaped HTML, counts every kind; a
// confidential project is not the public's even by its exact title, but a
// signed-in secretariat finds it; a bad query is problem+json naming q (or
// the parameter at fault); a new project repeating a title is recorded
// with the Pishran-Similar warning.
func TestSearchAPI(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		recordRegistry(env)
		env.Create("/api/v1/projects", projectRecord("kiosk", func(p map[string]any) {
			p["title"] = scenario.Text("پیشخوان یکپارچه خدمات <i>کشوری</i>", "National service kiosk")
		}))
		env.Create("/api/v1/projects", projectRecord("hidden", confidentialProject, func(p map[string]any) {
			p["title"] = scenario.Text("سامانه پنهان شورا", "Hidden council system")
		}))
		q := func(s string) string { return "/api/v1/search?q=" + url.QueryEscape(s) }

		r := env.Must(env.Get(q("پيشخوان يكپارچه"), ""), http.StatusOK)
		if r.At(t, "scope") != "public" || r.At(t, "items", 0, "ref") != "kiosk" || r.At(t, "counts", "project") != float64(1) {
			t.Fatalf("public search: %s", r)
		}
		html := r.At(t, "items", 0, "title_html", "fa").(string)
		if !strings.Contains(html, "<mark>پیشخوان</mark>") || !strings.Contains(html, "&lt;i&gt;") || strings.Contains(html, "<i>") {
			t.Errorf("title_html %q", html)
		}
		if u, _ := r.At(t, "items", 0, "url").(string); !strings.HasSuffix(u, "/projects/kiosk") {
			t.Errorf("url %q", u)
		}
		for _, k := range service.PublicSearchKinds {
			if _, ok := r.At(t, "counts").(map[string]any)[k]; !ok {
				t.Errorf("counts lack %s: %s", k, r)
			}
		}
		if _, ok := r.At(t, "counts").(map[string]any)["report"]; ok {
			t.Errorf("the public's counts name staff kinds: %s", r)
		}

		for _, s := range []string{"سامانه پنهان شورا", "Hidden council system", "hidden"} {
			if items := env.Must(env.Get(q(s), ""), http.StatusOK).Items(t); len(items) != 0 {
				t.Errorf("the public finds %q: %v", s, items)
			}
			if items := env.Must(env.Get(q(s)+"&scope=public", env.Secretariat()), http.StatusOK).Items(t); len(items) != 0 {
				t.Errorf("the public scope finds %q for the secretariat: %v", s, items)
			}
		}
		if items := env.Must(env.Get(q("سامانه پنهان شورا"), env.Secretariat()), http.StatusOK).Items(t); len(items) != 1 || items[0]["ref"] != "hidden" {
			t.Errorf("the secretariat's search: %v", items)
		}

		env.Get(q("x"), "").Field(t, http.StatusUnprocessableEntity, "q")
		env.Get("/api/v1/search", "").Field(t, http.StatusUnprocessableEntity, "q")
		env.Get(q("پیشخوان")+"&kind=report", "").Field(t, http.StatusUnprocessableEntity, "kind")
		env.Get(q("پیشخوان")+"&limit=0", "").Field(t, http.StatusBadRequest, "limit")
		env.Get(q("پیشخوان")+"&scope=all", "").Field(t, http.StatusBadRequest, "scope")
		env.Get(q("پیشخوان")+"&scope=staff", "").Problem(t, http.StatusUnauthorized)

		// A title repeated but for its letter forms: recorded, with a warning.
		res := env.Must(env.Post("/api/v1/projects", env.Secretariat(), projectRecord("kiosk-2", func(p map[string]any) {
			p["title"] = scenario.Text("پيشخوان  يكپارچه‌خدمات <i>كشوري</i>", "")
		})), http.StatusCreated)
		if got := res.Header.Get("Pishran-Similar"); got != "kiosk" {
			t.Errorf("Pishran-Similar %q, want kiosk", got)
		}
		res = env.Must(env.Post("/api/v1/projects", env.Secretariat(), projectRecord("other")), http.StatusCreated)
		if got := res.Header.Get("Pishran-Similar"); got != "" {
			t.Errorf("a new title warned of %q", got)
		}
	})
}
