package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// TestAgencyPageIntegrations: an agency's public page shows the exchange's
// own judgement of the declared integrations with the agency at one end
// (issue 15 §5), each linked to its project's public page, in both
// languages, at either end; a confidential project's integration is left
// out. It is read in the page's one read transaction
// (TestPortalReadBudgets).
func TestAgencyPageIntegrations(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv := readBudgetEnv(t, e)
		env := srv.Env
		c, _ := exchange.ParseSubsystem("IR/GOV/MOH/rx")
		sv, err := exchange.ParseService("IR/GOV/ITO/gsb/secret-feed")
		testkit.Must(t, err)
		testkit.Must(t, env.Svc.Declare(env.Ctx, service.System, &exchange.Declared{Project: "p4", Integration: exchange.Integration{Client: c, Service: sv}}))
		for _, c := range []struct{ agency, lang, title string }{
			{"moh", "en", "exchange"}, {"moh", "fa", "مرکز ملی تبادل اطلاعات"}, {"ito", "en", "exchange"},
		} {
			r := srv.Page("", "/agencies/"+c.agency, c.lang)
			r.CheckPage(t, http.StatusOK, c.lang)
			page := r.Text()
			i := strings.Index(page, `id="exchange-title"`)
			if i < 0 {
				t.Fatalf("/agencies/%s (%s) has no section of the exchange's evidence", c.agency, c.lang)
			}
			section := page[i:]
			if !strings.Contains(strings.ToLower(section[:200]), strings.ToLower(c.title)) {
				t.Errorf("/agencies/%s (%s): the section's title lacks %q", c.agency, c.lang, c.title)
			}
			for _, want := range []string{"IR/GOV/MOH/rx → IR/GOV/ITO/gsb/inquiry", "IR/GOV/MOH/rx → IR/GOV/ITO/gsb/registry/v2", `href="/projects/p3"`} {
				if !strings.Contains(section, want) {
					t.Errorf("/agencies/%s (%s) does not show %q", c.agency, c.lang, want)
				}
			}
			if n := strings.Count(section, `class="badge state-`); n != 2 {
				t.Errorf("/agencies/%s (%s) shows %d integration states, want 2", c.agency, c.lang, n)
			}
			if strings.Contains(page, "secret-feed") || strings.Contains(page, `href="/projects/p4"`) {
				t.Errorf("/agencies/%s (%s) shows the confidential project's integration", c.agency, c.lang)
			}
		}
	})
}
