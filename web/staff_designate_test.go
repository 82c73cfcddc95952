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
			page := se.as(t, "sec", base+"?project=solo-rx", "en")
			checkPage(t, page, http.StatusOK, "en")
			if got := fmt.Sprint(rules(page.text())); got != want {
				t.Errorf("page verdicts: broken %s, want %s", got, want)
			}
			if n := strings.Count(page.text(), `class="verdict verdict-pass"`); n != 6 {
				t.Errorf("%d rules pass on the page, want the other 6", n)
			}
			// With htmx: the fragment alone.
			h := http.Header{"Cookie": {"pishran_session=" + se.SignIn("sec")}, "Hx-Request": {"true"}}
			frag := se.do(http.MethodGet, base+"/check?project=solo-rx&lang=fa", h)
			if frag.StatusCode != 200 || strings.Contains(frag.text(), "<html") || fmt.Sprint(rules(frag.text())) != want ||
				!strings.Contains(frag.text(), "پشتوانه قانونی") {
				t.Errorf("fragment: %d\n%s", frag.StatusCode, clip(frag.text()))
			}
			if frag.Header.Get("Content-Security-Policy") != wantCSP {
				t.Error("the fragment lacks the CSP")
			}
			// Without HX-Request the check address is the page.
			redirectTo(t, se.as(t, "sec", base+"/check?project=solo-rx", ""), base+"?project=solo-rx")
			// An unknown project: said in the panel, not a server error.
			if r := se.do(http.MethodGet, base+"/check?project=nope&lang=en", h); r.StatusCode != 200 || !strings.Contains(r.text(), "no project with this slug") {
				t.Errorf("unknown project fragment: %d %s", r.StatusCode, clip(r.text()))
			}

			// Submitting the broken one: refused, every broken rule named.
			r := se.post(t, "sec", base+"?lang=en", url.Values{"project": {"solo-rx"}, "stage": {"council"}}, nil)
			checkPage(t, r, http.StatusUnprocessableEntity, "en")
			body := r.text()
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
			r = se.post(t, "sec", base, url.Values{"project": {"e-rx"}, "main": {"on"}, "date": {se.Today.String()}, "note_en": {"by the council"}}, nil)
			redirectTo(t, r, base+"?done=e-rx")
			done := se.as(t, "sec", r.Header.Get("Location"), "en")
			if !strings.Contains(done.text(), "is designated into the list") {
				t.Errorf("no confirmation:\n%s", clip(done.text()))
			}
			m, ok := memberOf(t, se, "gov13-smart-driving", "e-rx")
			if !ok || !m.Active || !m.Main {
				t.Errorf("e-rx membership %+v", m)
			}
			// The project's staff page shows the event and the audit entry.
			sp := se.as(t, "sec", "/staff/projects/e-rx", "en").text()
			for _, want := range []string{"entered", "by the council", "<code>designate</code>"} {
				if !strings.Contains(sp, want) {
					t.Errorf("project page after designation lacks %q", want)
				}
			}
			// Only the secretariat designates.
			if r := se.post(t, "moh-focal", base, url.Values{"project": {"solo-rx"}}, nil); r.StatusCode != http.StatusForbidden {
				t.Errorf("an agency's designation: %d", r.StatusCode)
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
