package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// A public page is kept as rendered and served again with its ETag (304
// to a visitor who holds it), until a write anywhere moves the data
// version: the next visitor then sees the change.
func TestPageCacheFollowsWrites(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			ctx := context.Background()
			for _, path := range []string{"/?lang=en", "/projects/smart-health?lang=en"} {
				first, again := env.Page("", path, ""), env.Page("", path, "")
				tag := first.Header.Get("ETag")
				if first.Status != http.StatusOK || tag == "" || again.Header.Get("ETag") != tag || again.Text() != first.Text() {
					t.Fatalf("%s: %d, ETag %q then %q", path, first.Status, tag, again.Header.Get("ETag"))
				}
				if cc := first.Header.Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("%s: Cache-Control %q: a kept page must be revalidated", path, cc)
				}
				if r := env.Do(scenario.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": tag}}); r.Status != http.StatusNotModified || len(r.Body) != 0 {
					t.Errorf("%s with its ETag: %d, %d bytes", path, r.Status, len(r.Body))
				}
				if r := env.Do(scenario.Request{Method: http.MethodGet, Path: path, Header: map[string]string{"If-None-Match": `"other"`}}); r.Status != http.StatusOK {
					t.Errorf("%s with another ETag: %d", path, r.Status)
				}
				// The other language is another page.
				if fa := env.Page("", strings.Replace(path, "lang=en", "lang=fa", 1), ""); fa.Header.Get("ETag") == tag {
					t.Errorf("%s: the Persian page has the English page's ETag", path)
				}
			}
			before := env.Page("", "/projects/smart-health?lang=en", "")
			home := env.Page("", "/?lang=en", "")

			v, err := env.svc.Project(ctx, service.System, "smart-health")
			if err != nil {
				t.Fatal(err)
			}
			p := *v.Project
			p.Title.EN = "Smart health, renamed by the test"
			if err := env.svc.UpdateProject(ctx, service.System, &p); err != nil {
				t.Fatal(err)
			}
			after := env.Page("", "/projects/smart-health?lang=en", "")
			if !strings.Contains(after.Text(), "renamed by the test") || after.Header.Get("ETag") == before.Header.Get("ETag") {
				t.Errorf("the project page after a rename still shows the old page (ETag %q)", after.Header.Get("ETag"))
			}
			if r := env.Do(scenario.Request{Method: http.MethodGet, Path: "/projects/smart-health?lang=en", Header: map[string]string{"If-None-Match": before.Header.Get("ETag")}}); r.Status != http.StatusOK {
				t.Errorf("a visitor holding the old page was told it is current: %d", r.Status)
			}
			newHome := env.Page("", "/?lang=en", "")
			if strings.Contains(home.Text(), "Smart health") && !strings.Contains(newHome.Text(), "renamed by the test") {
				t.Error("the home page after a rename still shows the old title")
			}
		})
	}
}
