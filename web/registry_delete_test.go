package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestRegistryDelete: an agency's and a law's page offer a delete button.
// Deleting one still referenced (moh leads e-rx; e-rx's mandate is plan7)
// is refused beside the button, in the page's language, and the record
// stays; a stale version is refused the same way; a record nothing names
// (a reference agency and law) is deleted, audited, and the registry says
// so. Roles that do not keep the registry are refused.
func TestRegistryDelete(t *testing.T) {
	versionRE := regexp.MustCompile(`(?s)<section class="delete-record[^>]*>.*?<form method="post" action="([^"]+)">\s*<input type="hidden" name="version" value="(\d+)">`)
	errorRE := regexp.MustCompile(`(?s)id="delete-error"><p>(.*?)</p>`)
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			open := func(path, lang string) (action, version string) {
				t.Helper()
				r := se.Page(se.SignIn("sec"), path, lang)
				r.CheckPage(t, http.StatusOK, lang)
				m := versionRE.FindStringSubmatch(r.Text())
				if m == nil {
					t.Fatalf("%s: no delete form\n%s", path, scenario.Clip(r.Text()))
				}
				return html.UnescapeString(m[1]), m[2]
			}
			refused := func(r *scenario.Response, status int, lang, want string) {
				t.Helper()
				r.CheckPage(t, status, lang)
				m := errorRE.FindStringSubmatch(r.Text())
				if m == nil || !strings.Contains(html.UnescapeString(m[1]), want) {
					t.Errorf("%s: beside the delete button %q, want %q", r.URL, m, want)
				}
			}
			for _, c := range []struct {
				kind, used, free string
				exists           func(string) error
			}{
				{"agency", "moh", "azad-university", func(code string) error { _, err := se.svc.Agency(se.Ctx, code); return err }},
				{"law", "plan7", "constitution", func(slug string) error { _, err := se.svc.Law(se.Ctx, slug); return err }},
			} {
				base := map[string]string{"agency": "/staff/agencies/", "law": "/staff/laws/"}[c.kind]
				// Still referenced: refused beside the button, in both languages.
				action, v := open(base+c.used+"/edit", "fa")
				r := se.Form(se.SignIn("sec"), action+"?lang=fa", url.Values{"version": {v}}, nil)
				refused(r, http.StatusConflict, "fa", "به کار رفته و حذف‌شدنی نیست")
				r = se.Form(se.SignIn("sec"), action+"?lang=en", url.Values{"version": {v}}, nil)
				refused(r, http.StatusConflict, "en", "is referenced by other records and cannot be deleted")
				testkit.Must(t, c.exists(c.used))
				// A stale version: refused, nothing deleted.
				action, v = open(base+c.free+"/edit", "en")
				r = se.Form(se.SignIn("sec"), action+"?lang=en", url.Values{"version": {v + "9"}}, nil)
				refused(r, http.StatusConflict, "en", "The record changed after this page was opened")
				testkit.Must(t, c.exists(c.free))
				wantRefused(t, se, strings.TrimSuffix(action, "/delete")+"/edit", url.Values{})
				for _, who := range []string{"moh-focal", "reader1"} {
					if r := se.Form(se.SignIn(who), action, url.Values{"version": {v}}, nil); r.Status != http.StatusForbidden {
						t.Errorf("%s deleting as %s: %d", c.free, who, r.Status)
					}
				}
				// Deleted, audited, said on the registry's index.
				r = se.Form(se.SignIn("sec"), action+"?lang=fa", url.Values{"version": {v}}, nil)
				r.RedirectsTo(t, "/staff/registry?deleted="+c.free)
				if err := c.exists(c.free); err == nil {
					t.Errorf("%s %s is still there", c.kind, c.free)
				}
				audit, err := se.svc.AuditHistory(se.Ctx, service.System, c.kind, c.free)
				testkit.Must(t, err)
				if n := len(audit); n == 0 || audit[n-1].Action != "delete" || audit[n-1].Actor != "user:sec" {
					t.Errorf("%s %s: audit %+v", c.kind, c.free, audit)
				}
				if idx := se.Page(se.SignIn("sec"), r.Header.Get("Location"), "fa"); !strings.Contains(idx.Text(), "حذف شد:") || !strings.Contains(idx.Text(), c.free) {
					t.Errorf("the registry does not say %s was deleted", c.free)
				}
			}
		})
	}
}
