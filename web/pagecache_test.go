package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
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
				first, again := env.do(http.MethodGet, path, nil), env.do(http.MethodGet, path, nil)
				tag := first.Header.Get("ETag")
				if first.StatusCode != http.StatusOK || tag == "" || again.Header.Get("ETag") != tag || again.text() != first.text() {
					t.Fatalf("%s: %d, ETag %q then %q", path, first.StatusCode, tag, again.Header.Get("ETag"))
				}
				if cc := first.Header.Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("%s: Cache-Control %q: a kept page must be revalidated", path, cc)
				}
				if r := env.do(http.MethodGet, path, http.Header{"If-None-Match": {tag}}); r.StatusCode != http.StatusNotModified || len(r.body) != 0 {
					t.Errorf("%s with its ETag: %d, %d bytes", path, r.StatusCode, len(r.body))
				}
				if r := env.do(http.MethodGet, path, http.Header{"If-None-Match": {`"other"`}}); r.StatusCode != http.StatusOK {
					t.Errorf("%s with another ETag: %d", path, r.StatusCode)
				}
				// The other language is another page.
				if fa := env.do(http.MethodGet, strings.Replace(path, "lang=en", "lang=fa", 1), nil); fa.Header.Get("ETag") == tag {
					t.Errorf("%s: the Persian page has the English page's ETag", path)
				}
			}
			before := env.do(http.MethodGet, "/projects/smart-health?lang=en", nil)
			home := env.do(http.MethodGet, "/?lang=en", nil)

			v, err := env.svc.Project(ctx, service.System, "smart-health")
			if err != nil {
				t.Fatal(err)
			}
			p := *v.Project
			p.Title.EN = "Smart health, renamed by the test"
			if err := env.svc.UpdateProject(ctx, service.System, &p); err != nil {
				t.Fatal(err)
			}
			after := env.do(http.MethodGet, "/projects/smart-health?lang=en", nil)
			if !strings.Contains(after.text(), "renamed by the test") || after.Header.Get("ETag") == before.Header.Get("ETag") {
				t.Errorf("the project page after a rename still shows the old page (ETag %q)", after.Header.Get("ETag"))
			}
			if r := env.do(http.MethodGet, "/projects/smart-health?lang=en", http.Header{"If-None-Match": {before.Header.Get("ETag")}}); r.StatusCode != http.StatusOK {
				t.Errorf("a visitor holding the old page was told it is current: %d", r.StatusCode)
			}
			newHome := env.do(http.MethodGet, "/?lang=en", nil)
			if strings.Contains(home.text(), "Smart health") && !strings.Contains(newHome.text(), "renamed by the test") {
				t.Error("the home page after a rename still shows the old title")
			}
		})
	}
}
