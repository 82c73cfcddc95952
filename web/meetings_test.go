package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
)

// The meetings work from the web: series set up and edited, a planned
// session re-dated or cancelled with a reason, closing after a
// confirmation, an action re-dated, the agenda's reasons kept. Each form:
// success, refusal with the message beside its field in the page's
// language, a stale version refused (412), and who may.

// fieldError returns the message shown beside the field whose error
// element has id, or "".
func besideField(page, id string) string {
	m := regexp.MustCompile(`<span class="field-error" id="` + regexp.QuoteMeta(id) + `">([^<]*)</span>`).FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// formAction finds a form's action (unescaped) matching the pattern.
func formAction(t *testing.T, page, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(`action="(` + pattern + `)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form with action %s in:\n%s", pattern, scenario.Clip(page))
	}
	return html.UnescapeString(m[1])
}

func TestMeetingSeries(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			// A fresh install: no series, the new-meeting form says so and
			// links to the series page.
			sc := scenario.New(t, e, scenario.Reference())
			bare := &staffEnv{env: serve(t, sc), Staff: &scenario.Staff{Env: sc}}
			if _, err := bare.svc.CreateUser(bare.Ctx, service.System, &domain.User{Username: "sec", DisplayName: domain.T("دبیرخانه", "Secretariat"),
				Role: string(service.RoleSecretariat), Active: true}, scenario.StaffPassword); err != nil {
				t.Fatal(err)
			}
			for lang, want := range map[string]string{"fa": "هنوز دوره‌ای ثبت نشده است؛ نخست دوره را ثبت کنید.", "en": "none is recorded yet: set one up first."} {
				r := bare.Page(bare.SignIn("sec"), "/staff/meetings", lang)
				r.CheckPage(t, http.StatusOK, lang)
				if !strings.Contains(r.Text(), want) || !strings.Contains(r.Text(), `href="/staff/series"`) || strings.Contains(r.Text(), `id="meeting-series"`) {
					t.Errorf("%s: the empty series list is not explained:\n%s", lang, scenario.Clip(r.Text()))
				}
			}
			// The reference series load as serve --reference loads them,
			// each with its sources, and the page lists them.
			series, err := reference.Series()
			if err != nil {
				t.Fatal(err)
			}
			for i := range series {
				if err := bare.svc.CreateSeries(bare.Ctx, service.System, &series[i]); err != nil {
					t.Fatal(err)
				}
			}
			page := bare.Page(bare.SignIn("sec"), "/staff/series", "fa").Text()
			for _, want := range []string{"شورای اجرایی فناوری اطلاعات", "panahemardomnews.ir", "itec-steering", "کمیسیون راهبردی"} {
				if !strings.Contains(page, want) {
					t.Errorf("the series page lacks %q", want)
				}
			}
			if r := bare.Page(bare.SignIn("sec"), "/staff/meetings", "en").Text(); !strings.Contains(r, `<option value="itec">IT Executive Council</option>`) {
				t.Errorf("the reference council is not offered:\n%s", scenario.Clip(r))
			}

			se := newStaffEnv(t, e)
			// Refused: a code with capitals, beside the code, in Persian.
			r := se.Form(se.SignIn("sec"), "/staff/series?lang=fa", url.Values{"code": {"Bad Code"}, "name_fa": {"کمیته"}, "kind": {"other"}}, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "fa")
			if msg := besideField(r.Text(), "series-code-error"); msg == "" || !strings.ContainsFunc(msg, func(c rune) bool { return c >= 'آ' && c <= 'ی' }) {
				t.Errorf("no Persian error beside the code: %q\n%s", msg, scenario.Clip(r.Text()))
			}
			// Refused: no name, beside the name; a taken code, beside the code.
			r = se.Form(se.SignIn("sec"), "/staff/series?lang=en", url.Values{"code": {"itec-board"}, "kind": {"other"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "series-name-error") == "" {
				t.Errorf("no name: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			r = se.Form(se.SignIn("sec"), "/staff/series?lang=en", url.Values{"code": {"itec"}, "name_en": {"Again"}, "kind": {"council"}}, nil)
			if r.Status != http.StatusConflict || !strings.Contains(besideField(r.Text(), "series-code-error"), "a series with this code exists") {
				t.Errorf("taken code: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			// Created, then offered by the new-meeting form.
			se.Form(se.SignIn("sec"), "/staff/series?back=meetings", url.Values{"code": {"itec-steering"}, "name_fa": {"کمیته راهبری"},
				"name_en": {"Steering committee"}, "kind": {"steering-committee"}}, nil).RedirectsTo(t, "/staff/meetings?series=itec-steering")
			if r := se.Page(se.SignIn("sec"), "/staff/meetings?series=itec-steering", "en").Text(); !strings.Contains(r, `<option value="itec-steering" selected>`) {
				t.Errorf("the new series is not chosen:\n%s", scenario.Clip(r))
			}
			// Edited with the version read; the same version again is stale.
			edit := se.Page(se.SignIn("sec"), "/staff/series/itec", "en")
			edit.CheckPage(t, http.StatusOK, "en")
			action := formAction(t, edit.Text(), `/staff/series/itec\?v=\d+`)
			form := url.Values{"name_fa": {"شورای اجرایی فناوری اطلاعات"}, "name_en": {"The IT Executive Council"}, "kind": {"council"}}
			se.Form(se.SignIn("sec"), action, form, nil).RedirectsTo(t, "/staff/series?done=updated")
			if x, err := se.svc.Series(se.Ctx, "itec"); err != nil || x.Name.EN != "The IT Executive Council" {
				t.Errorf("after the edit: %+v %v", x, err)
			}
			r = se.Form(se.SignIn("sec"), action+"&lang=en", url.Values{"name_en": {"Overwritten"}, "kind": {"other"}}, nil)
			if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Text(), "The IT Executive Council") {
				t.Errorf("stale edit: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			if x, _ := se.svc.Series(se.Ctx, "itec"); x.Name.EN != "The IT Executive Council" {
				t.Errorf("a stale edit was applied: %+v", x)
			}
			// Only the secretariat sets series up.
			for _, who := range []string{"moh-focal", "reader1", "council1"} {
				if r := se.Form(se.SignIn(who), "/staff/series", url.Values{"code": {"x"}, "name_en": {"x"}, "kind": {"other"}}, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s created a series: %d", who, r.Status)
				}
				if r := se.Form(se.SignIn(who), action, form, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s edited a series: %d", who, r.Status)
				}
			}
		})
	}
}

func TestMeetingRedateCancel(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			far := se.Today.AddDays(40)
			if _, err := se.svc.CreateMeeting(se.Ctx, sec, service.MeetingInput{Series: "itec", Number: 31, Date: &far}); err != nil {
				t.Fatal(err)
			}
			// Dated in the future: not held yet, and the page offers to move
			// or cancel it.
			if r := se.Form(se.SignIn("sec"), "/staff/meetings/itec-31/hold?lang=en&v=1", nil, nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("a session 40 days ahead was held: %d", r.Status)
			}
			if r := se.Page(se.SignIn("sec"), "/staff/meetings/itec-31", "fa"); !strings.Contains(r.Text(), `href="/staff/meetings/itec-31/change"`) {
				t.Errorf("the planned session does not offer re-dating or cancelling")
			}
			// The next session, sooner, is refused while 31 stands…
			soon := se.Today.AddDays(20).String()
			next := url.Values{"series": {"itec"}, "number": {"32"}, "date": {soon}}
			if r := se.Form(se.SignIn("sec"), "/staff/meetings?lang=en", next, nil); r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("session 32 before 31's date: %d", r.Status)
			}
			page := se.Page(se.SignIn("sec"), "/staff/meetings/itec-31/change", "fa")
			page.CheckPage(t, http.StatusOK, "fa")
			cancel := formAction(t, page.Text(), `/staff/meetings/itec-31/cancel\?v=\d+`)
			// Cancelling: without the confirmation, without a reason:
			// refused beside the field.
			r := se.Form(se.SignIn("sec"), cancel+"&lang=fa", url.Values{"reason_fa": {"وزیر در سفر است"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "cancel-confirm-error") == "" {
				t.Errorf("cancel without confirmation: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			r = se.Form(se.SignIn("sec"), cancel+"&lang=en", url.Values{"confirm": {"on"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "cancel-reason-error") == "" {
				t.Errorf("cancel without a reason: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			if r := se.Form(se.SignIn("moh-focal"), cancel, url.Values{"reason_en": {"x"}, "confirm": {"on"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency cancelled a session: %d", r.Status)
			}
			se.Form(se.SignIn("sec"), cancel, url.Values{"reason_fa": {"وزیر در سفر است"}, "confirm": {"on"}}, nil).RedirectsTo(t, "/staff/meetings/itec-31?done=cancelled")
			m, err := se.svc.Meeting(se.Ctx, sec, "itec-31")
			if err != nil || m.State != domain.MeetingCancelled {
				t.Fatalf("itec-31: %v %v", m.State, err)
			}
			if r := se.Page(se.SignIn("sec"), "/staff/meetings/itec-31", "fa").Text(); !strings.Contains(r, "وزیر در سفر است") || !strings.Contains(r, "لغوشده") {
				t.Errorf("the cancelled session's page lacks its reason or state")
			}
			// Stale: the same form again.
			if r := se.Form(se.SignIn("sec"), cancel+"&lang=en", url.Values{"reason_en": {"again"}, "confirm": {"on"}}, nil); r.Status != http.StatusPreconditionFailed ||
				!strings.Contains(r.Text(), "The record changed after this page was opened") {
				t.Errorf("a stale cancel: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			// …and once 31 is cancelled, session 32 is created.
			se.Form(se.SignIn("sec"), "/staff/meetings", next, nil).RedirectsTo(t, "/staff/meetings/itec-32")

			// Re-dating 32: no reason, a bad day, then done, then stale.
			page = se.Page(se.SignIn("sec"), "/staff/meetings/itec-32/change", "en")
			redate := formAction(t, page.Text(), `/staff/meetings/itec-32/redate\?v=\d+`)
			later := se.Today.AddDays(25).String()
			r = se.Form(se.SignIn("sec"), redate+"&lang=fa", url.Values{"date": {later}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "redate-reason-error") == "" {
				t.Errorf("re-date without a reason: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			r = se.Form(se.SignIn("sec"), redate+"&lang=en", url.Values{"date": {"31/31/2026"}, "reason_en": {"room taken"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "redate-date-error") == "" || !strings.Contains(r.Text(), "room taken") {
				t.Errorf("re-date to a bad day: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			se.Form(se.SignIn("sec"), redate, url.Values{"date": {later}, "reason_en": {"room taken"}}, nil).RedirectsTo(t, "/staff/meetings/itec-32?done=redated")
			if m, _ := se.svc.Meeting(se.Ctx, sec, "itec-32"); m.Date.String() != later || m.State != domain.MeetingPlanned {
				t.Errorf("itec-32 after re-dating: %v %v", m.Date, m.State)
			}
			if r := se.Form(se.SignIn("sec"), redate, url.Values{"date": {se.Today.AddDays(26).String()}, "reason_en": {"again"}}, nil); r.Status != http.StatusPreconditionFailed {
				t.Errorf("a stale re-date: %d", r.Status)
			}
			changes, err := se.svc.MeetingChanges(se.Ctx, sec, "itec-32")
			if err != nil || len(changes) != 1 || changes[0].Kind != domain.MeetingRedated || changes[0].OldDate.String() != soon || changes[0].Reason.EN != "room taken" {
				t.Errorf("itec-32's changes: %+v %v", changes, err)
			}
			if r := se.Page(se.SignIn("sec"), "/staff/meetings/itec-32", "en").Text(); !strings.Contains(r, "room taken") {
				t.Error("the meeting page does not show why it moved")
			}
			if r := se.Form(se.SignIn("reader1"), redate, url.Values{"date": {later}, "reason_en": {"x"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("a reader re-dated a session: %d", r.Status)
			}
		})
	}
}

func TestMeetingCloseConfirm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			// The meeting page's close button opens the confirmation.
			if r := se.Page(se.SignIn("sec"), "/staff/meetings/itec-29", "en").Text(); !strings.Contains(r, `<form method="get" action="/staff/meetings/itec-29/close">`) {
				t.Errorf("the held session offers no confirmation:\n%s", scenario.Clip(r))
			}
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), "/staff/meetings/itec-29/close", lang).CheckPage(t, http.StatusOK, lang)
			}
			page := se.Page(se.SignIn("sec"), "/staff/meetings/itec-29/close", "fa").Text()
			action := formAction(t, page, `/staff/meetings/itec-29/close\?v=\d+`)
			r := se.Form(se.SignIn("sec"), action+"&lang=fa", nil, nil)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(besideField(r.Text(), "close-confirm-error"), "برگشت‌ناپذیر") {
				t.Errorf("close without confirmation: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			if m, _ := se.svc.Meeting(se.Ctx, service.System, "itec-29"); m.State != domain.MeetingHeld {
				t.Fatalf("closed without confirmation: %v", m.State)
			}
			if r := se.Form(se.SignIn("moh-focal"), action, url.Values{"confirm": {"on"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency closed a session: %d", r.Status)
			}
			if r := se.Page(se.SignIn("moh-focal"), "/staff/meetings/itec-29/close", "en"); r.Status != http.StatusForbidden {
				t.Errorf("an agency read the close confirmation: %d", r.Status)
			}
			se.Form(se.SignIn("sec"), action, url.Values{"confirm": {"on"}}, nil).RedirectsTo(t, "/staff/meetings/itec-29?done=closed")
			if r := se.Form(se.SignIn("sec"), action+"&lang=en", url.Values{"confirm": {"on"}}, nil); r.Status != http.StatusConflict ||
				!strings.Contains(r.Text(), "is closed and read-only") {
				t.Errorf("closing twice: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
		})
	}
}

func TestActionRedate(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			id := strconv.FormatInt(se.Action, 10)
			// Offered from the session that carries it.
			if r := se.Page(se.SignIn("sec"), "/staff/meetings/itec-30", "en").Text(); !strings.Contains(r, `href="/staff/actions/`+id+`/redate?back=itec-30"`) {
				t.Errorf("the carried action offers no re-dating")
			}
			page := se.Page(se.SignIn("sec"), "/staff/actions/"+id+"/redate?back=itec-30", "fa")
			page.CheckPage(t, http.StatusOK, "fa")
			action := formAction(t, page.Text(), `/staff/actions/`+id+`/redate\?v=\d+&amp;back=itec-30`)
			due := se.Today.AddDays(30).String()
			r := se.Form(se.SignIn("sec"), action+"&lang=fa", url.Values{"date": {due}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "aredate-reason-error") == "" {
				t.Errorf("no reason: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			r = se.Form(se.SignIn("sec"), action+"&lang=en", url.Values{"date": {se.Today.AddDays(-900).String()}, "reason_en": {"pharmacies late"}}, nil)
			if r.Status != http.StatusUnprocessableEntity || besideField(r.Text(), "aredate-date-error") == "" {
				t.Errorf("a due date before the action: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
			if r := se.Form(se.SignIn("moh-focal"), action, url.Values{"date": {due}, "reason_en": {"x"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("the owner agency re-dated its action: %d", r.Status)
			}
			se.Form(se.SignIn("sec"), action, url.Values{"date": {due}, "reason_en": {"pharmacies late"}}, nil).RedirectsTo(t, "/staff/meetings/itec-30?done=redated_action")
			a, err := se.svc.Action(se.Ctx, service.System, se.Action)
			if err != nil || a.Due.String() != due || a.Events[len(a.Events)-1].Note.EN != "pharmacies late" {
				t.Fatalf("after re-dating: %+v %v", a, err)
			}
			r = se.Form(se.SignIn("sec"), action+"&lang=en", url.Values{"date": {se.Today.AddDays(40).String()}, "reason_en": {"again"}}, nil)
			if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Text(), "The record changed after this page was opened") {
				t.Errorf("a stale re-date: %d\n%s", r.Status, scenario.Clip(r.Text()))
			}
		})
	}
}

// TestAgendaKeepsReasons saves a proposal's items without their reasons,
// as a client that does not resend them would: each keeps the reasons it
// was proposed with, and a main project is not relabelled "added".
func TestAgendaKeepsReasons(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			_, proposed, err := se.svc.ProposeAgenda(se.Ctx, sec, "itec-30")
			if err != nil || len(proposed) == 0 {
				t.Fatalf("proposal: %d items (%v)", len(proposed), err)
			}
			want := map[string][]domain.AgendaReason{}
			var bare []domain.AgendaItem
			for _, it := range proposed {
				want[it.Key()] = it.Reasons
				bare = append(bare, domain.AgendaItem{Kind: it.Kind, Project: it.Project, Action: it.Action})
			}
			bare = append(bare, domain.AgendaItem{Kind: domain.AgendaOther, Title: domain.T("بودجه", "Budget")})
			m, err := se.svc.SaveAgenda(se.Ctx, sec, "itec-30", 1, bare)
			if err != nil {
				t.Fatal(err)
			}
			mains := 0
			for _, it := range m.Agenda {
				if it.Kind == domain.AgendaOther {
					if !slices.Equal(it.Reasons, []domain.AgendaReason{domain.ReasonAdded}) {
						t.Errorf("a new item's reasons: %v", it.Reasons)
					}
					continue
				}
				if !slices.Equal(it.Reasons, want[it.Key()]) {
					t.Errorf("%s saved with %v, proposed with %v", it.Key(), it.Reasons, want[it.Key()])
				}
				if it.IsMain() {
					mains++
				}
			}
			// Saved again without reasons: the saved ones stay.
			again := slices.Clone(bare)
			m2, err := se.svc.SaveAgenda(se.Ctx, sec, "itec-30", m.Version, again)
			if err != nil {
				t.Fatal(err)
			}
			for i := range m2.Agenda {
				if !slices.Equal(m2.Agenda[i].Reasons, m.Agenda[i].Reasons) {
					t.Errorf("second save changed %s's reasons: %v → %v", m2.Agenda[i].Key(), m.Agenda[i].Reasons, m2.Agenda[i].Reasons)
				}
			}
			t.Logf("%d items, %d main projects", len(m.Agenda), mains)
		})
	}
}
