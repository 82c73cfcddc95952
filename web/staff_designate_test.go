package web_test

// The workspace's designation page: each rule's verdict, a refusal, a
// designation.

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestStaffDesignate: each rule's verdict before submitting (the page and
// the htmx fragment), a refusal naming every broken rule, a designation.
func TestStaffDesignate(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const base = "/staff/programs/gov13-smart-driving/designate"
			broken := regexp.MustCompile(`<li class="verdict verdict-fail" data-rule="([a-z-]+)">`)
			rules := func(body string) []string {
				var out []string
				for _, m := range broken.FindAllStringSubmatch(body, -1) {
					out = append(out, m[1])
				}
				return out
			}
			want := "[legal-mandate multi-agency]"
			// Without JavaScript: the "check" button reloads the page.
			page := se.Page(se.SignIn("sec"), base+"?project=solo-rx", "en")
			page.CheckPage(t, http.StatusOK, "en")
			if got := fmt.Sprint(rules(page.Text())); got != want {
				t.Errorf("page verdicts: broken %s, want %s", got, want)
			}
			if n := strings.Count(page.Text(), `class="verdict verdict-pass"`); n != 6 {
				t.Errorf("%d rules pass on the page, want the other 6", n)
			}
			// With htmx: the fragment alone.
			h := map[string]string{"Cookie": "pishran_session=" + se.SignIn("sec"), "Hx-Request": "true"}
			frag := se.Do(scenario.Request{Method: http.MethodGet, Path: base + "/check?project=solo-rx&lang=fa", Header: h})
			if frag.Status != 200 || strings.Contains(frag.Text(), "<html") || fmt.Sprint(rules(frag.Text())) != want ||
				!strings.Contains(frag.Text(), "پشتوانه قانونی") {
				t.Errorf("fragment: %d\n%s", frag.Status, scenario.Clip(frag.Text()))
			}
			if frag.Header.Get("Content-Security-Policy") != scenario.CSP {
				t.Error("the fragment lacks the CSP")
			}
			// Without HX-Request the check address is the page.
			se.Page(se.SignIn("sec"), base+"/check?project=solo-rx", "").RedirectsTo(t, base+"?project=solo-rx")
			// An unknown project: said in the panel, not a server error.
			if r := se.Do(scenario.Request{Method: http.MethodGet, Path: base + "/check?project=nope&lang=en", Header: h}); r.Status != 200 || !strings.Contains(r.Text(), "no project with this slug") {
				t.Errorf("unknown project fragment: %d %s", r.Status, scenario.Clip(r.Text()))
			}

			// Submitting the broken one: refused, every broken rule named.
			r := se.Form(se.SignIn("sec"), base+"?lang=en", url.Values{"project": {"solo-rx"}, "stage": {"council"}}, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			body := r.Text()
			alert := body[strings.Index(body, `id="form-error"`):]
			alert = alert[:strings.Index(alert, "</div>")]
			for _, rule := range []string{"legal-mandate", "multi-agency"} {
				if !strings.Contains(alert, "<code>"+rule+"</code>") {
					t.Errorf("the refusal does not name %s:\n%s", rule, alert)
				}
			}
			if !strings.Contains(body, `<option value="solo-rx" selected>`) || !strings.Contains(body, `<option value="council" selected>`) {
				t.Error("the refused form lost its values")
			}
			if ms, _, err := se.svc.Members(se.Ctx, service.System, "gov13-smart-driving", domain.MemberFilter{}, domain.Page{}); err != nil || slices.ContainsFunc(ms, func(m *domain.Member) bool { return m.Project == "solo-rx" }) {
				t.Errorf("the refused designation was recorded (%v)", err)
			}

			// The good one: designated, the page says so.
			r = se.Form(se.SignIn("sec"), base, url.Values{"project": {"e-rx"}, "main": {"on"}, "date": {se.Today.String()}, "note_en": {"by the council"}}, nil)
			r.RedirectsTo(t, base+"?done=e-rx")
			done := se.Page(se.SignIn("sec"), r.Header.Get("Location"), "en")
			if !strings.Contains(done.Text(), "is designated into the list") {
				t.Errorf("no confirmation:\n%s", scenario.Clip(done.Text()))
			}
			m, ok := memberOf(t, se, "gov13-smart-driving", "e-rx")
			if !ok || !m.Active || !m.Main {
				t.Errorf("e-rx membership %+v", m)
			}
			// The project's staff page shows the event and the audit entry.
			sp := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			for _, want := range []string{"entered", "by the council", "<code>designate</code>"} {
				if !strings.Contains(sp, want) {
					t.Errorf("project page after designation lacks %q", want)
				}
			}
			// Only the secretariat designates.
			if r := se.Form(se.SignIn("moh-focal"), base, url.Values{"project": {"solo-rx"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency's designation: %d", r.Status)
			}
		})
	}
}

func memberOf(t *testing.T, se *staffEnv, program, project string) (*domain.Member, bool) {
	t.Helper()
	ms, _, err := se.svc.Members(se.Ctx, service.System, program, domain.MemberFilter{}, domain.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Project == project {
			return m, true
		}
	}
	return nil, false
}
