package web_test

// A meeting's agenda built from the proposal, the meeting held and closed.

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// agendaForm reads the agenda editor's fields off the page: every item's
// key (pos.KEY), kept or not.
func agendaForm(t *testing.T, page string) (url.Values, []string) {
	t.Helper()
	form := url.Values{}
	var keys []string
	for _, m := range regexp.MustCompile(`name="pos\.([^"]+)" value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		key := html.UnescapeString(m[1])
		keys = append(keys, key)
		form.Set("pos."+key, m[2])
		form.Set("keep."+key, "on")
	}
	if len(keys) == 0 {
		t.Fatalf("no agenda rows on the page:\n%s", scenario.Clip(page))
	}
	return form, keys
}

// TestStaffMeeting builds a session's agenda from the proposal (reorder,
// drop with a reason, add), holds it, records outcomes, follows up the
// carried action, and closes it.
func TestStaffMeeting(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const base = "/staff/meetings/itec-30"
			page := se.Page(se.SignIn("sec"), base, "en")
			page.CheckPage(t, http.StatusOK, "en")
			for _, want := range []string{"Pishran&#39;s proposed agenda", "Connect the pharmacies", "open action carried over",
				`href="/api/v1/meetings/itec-30/minutes?format=html&amp;lang=fa"`, "Record the session as held"} {
				if !strings.Contains(page.Text(), want) {
					t.Errorf("meeting page lacks %q", want)
				}
			}
			form, keys := agendaForm(t, page.Text())
			action := "action:" + strconv.FormatInt(se.Action, 10)
			if !slices.Contains(keys, action) {
				t.Fatalf("the carried action %s is not proposed: %v", action, keys)
			}
			// Dropping without a reason is refused, in the page's language.
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			bad.Del("keep." + keys[0])
			r := se.Form(se.SignIn("sec"), base+"/agenda?lang=fa&v=1", bad, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "fa")
			if !strings.Contains(r.Text(), `id="form-error"`) {
				t.Errorf("no refusal shown:\n%s", scenario.Clip(r.Text()))
			}
			// The action last → first; the first item dropped, with a
			// reason; solo-rx and another subject added.
			form.Set("pos."+action, "0")
			first := keys[0]
			if first == action {
				first = keys[1]
			}
			form.Del("keep." + first)
			form.Set("drop."+first, "discussed last week")
			form.Set("add_project", "solo-rx")
			form.Set("add_title_en", "Budget for next year")
			se.Form(se.SignIn("sec"), base+"/agenda?lang=en&v=1", form, nil).RedirectsTo(t, base+"?done=agenda")
			m, err := se.svc.Meeting(se.Ctx, service.System, "itec-30")
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Agenda) != len(keys)+2 || m.Agenda[0].Key() != action {
				t.Fatalf("saved agenda %+v", m.Agenda)
			}
			var dropped, added int
			for _, it := range m.Agenda {
				if it.Dropped && it.Key() == first && it.DropReason.EN == "discussed last week" {
					dropped++
				}
				if (it.Project == "solo-rx" || it.Title.EN == "Budget for next year") && slices.Contains(it.Reasons, "added") {
					added++
				}
			}
			if dropped != 1 || added != 2 {
				t.Errorf("dropped %d, added %d in %+v", dropped, added, m.Agenda)
			}
			// A stale page's write is refused, not applied.
			r = se.Form(se.SignIn("sec"), base+"/hold?lang=en&v=1", nil, nil)
			if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Text(), "The record changed after this page was opened") {
				t.Errorf("stale hold: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			// Hold, with the version the page shows.
			page = se.Page(se.SignIn("sec"), base, "en")
			hold := regexp.MustCompile(`action="(/staff/meetings/itec-30/hold\?v=\d+)"`).FindStringSubmatch(page.Text())
			if hold == nil {
				t.Fatal("no hold form")
			}
			se.Form(se.SignIn("sec"), html.UnescapeString(hold[1]), nil, nil).RedirectsTo(t, base+"?done=held")

			// Outcomes: a decision, an action, information.
			for _, f := range []url.Values{
				{"kind": {"decision"}, "resolution": {"30/1"}, "text_en": {"Adopt the e-prescription roll-out"}, "projects": {"e-rx"}},
				{"kind": {"action"}, "text_en": {"Report on pharmacies"}, "owner": {"moh"}, "due": {se.Today.AddDays(30).String()}, "more_projects": {"e-rx"}},
				{"kind": {"information"}, "text_fa": {"گزارش پیشرفت ارائه شد"}},
			} {
				se.Form(se.SignIn("sec"), base+"/outcomes", f, nil).RedirectsTo(t, base+"?done=outcome")
			}
			// A decision without its number is refused, naming the field.
			r = se.Form(se.SignIn("sec"), base+"/outcomes?lang=en", url.Values{"kind": {"decision"}, "text_en": {"x"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), "the resolution number is required") ||
				!strings.Contains(r.Text(), `value="decision" checked`) {
				t.Errorf("decision without number: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			// The carried action, discussed at this session.
			page = se.Page(se.SignIn("sec"), base, "en")
			disc := regexp.MustCompile(`action="(/staff/meetings/itec-30/actions/` + strconv.FormatInt(se.Action, 10) + `/discuss\?v=\d+)"`).FindStringSubmatch(page.Text())
			if disc == nil {
				t.Fatalf("no follow-up form for the carried action:\n%s", scenario.Clip(page.Text()))
			}
			se.Form(se.SignIn("sec"), html.UnescapeString(disc[1]), url.Values{"note_en": {"pharmacies in two provinces connected"}}, nil).RedirectsTo(t, base+"?done=action")
			act, err := se.svc.Action(se.Ctx, service.System, se.Action)
			if err != nil || act.Events[len(act.Events)-1].Type != "discussed" || act.Events[len(act.Events)-1].Meeting != "itec-30" {
				t.Errorf("action after discussion: %+v %v", act, err)
			}
			// Close, after the confirmation page.
			page = se.Page(se.SignIn("sec"), base+"/close", "en")
			cl := regexp.MustCompile(`action="(/staff/meetings/itec-30/close\?v=\d+)"`).FindStringSubmatch(page.Text())
			if cl == nil {
				t.Fatal("no close form")
			}
			se.Form(se.SignIn("sec"), html.UnescapeString(cl[1]), url.Values{"confirm": {"on"}}, nil).RedirectsTo(t, base+"?done=closed")
			page = se.Page(se.SignIn("sec"), base, "fa")
			page.CheckPage(t, http.StatusOK, "fa")
			if !strings.Contains(page.Text(), "این جلسه بسته است") || strings.Contains(page.Text(), `name="pos.`) {
				t.Error("a closed session still offers its editor")
			}
			// The printable minutes, as a signed-in person reads them.
			min := se.Page(se.SignIn("sec"), "/api/v1/meetings/itec-30/minutes?lang=en&format=html", "")
			if min.Status != 200 || !strings.Contains(min.Text(), "Adopt the e-prescription roll-out") {
				t.Errorf("minutes: %d", min.Status)
			}
			// Only the secretariat runs meetings.
			if r := se.Form(se.SignIn("moh-focal"), base+"/outcomes", url.Values{"kind": {"information"}, "text_en": {"x"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency recorded an outcome: %d", r.Status)
			}
		})
	}
}
