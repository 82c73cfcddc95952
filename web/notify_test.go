package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/mailtest"
	"github.com/pishran/pishran/internal/testkit/mailtest/mailsend"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// TestNotifyPages: a returned report is a notice in the focal point's
// inbox, linked to the report's edit page and counted in the badge, until
// it is marked read; the preferences page saves a choice (a stale form and
// a bad mode refused next to their field); the unsubscribe link works
// without signing in (GET confirms, the mail program's one-click POST
// turns e-mail off; a forged token is 404); a refused delivery shows on the
// admins' page and is sent again from there; an admin can have a
// set-password link e-mailed, which carries no unsubscribe link.
func TestNotifyPages(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			mail := mailtest.Start(t)
			se.svc.SetNotify(service.Notify{Sender: mailsend.Sender(t, mail), BaseURL: "https://pishran.example.ir", From: mailsend.Config(mail).From})
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
			id := strconv.FormatInt(se.MohReport, 10)
			before, err := se.svc.InboxCount(se.Ctx, moh)
			testkit.Must(t, err)
			_, err = se.svc.SubmitReport(se.Ctx, moh, se.MohReport, 0)
			testkit.Must(t, err)
			_, err = se.svc.ReturnReport(se.Ctx, sec, se.MohReport, 0, domain.T("هزینه را بنویسید", "Write the cost"))
			testkit.Must(t, err)

			// The inbox: the notice, linked, unread, counted.
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("moh-focal"), "/staff/inbox", lang).CheckPage(t, http.StatusOK, lang)
			}
			in := se.Page(se.SignIn("moh-focal"), "/staff/inbox", "en").Text()
			for _, want := range []string{"Report returned for changes", `href="/staff/reports/` + id + `/edit"`, "Write the cost",
				`action="/staff/inbox/notices/read"`, "1 unread"} {
				if !strings.Contains(in, want) {
					t.Errorf("the inbox lacks %q:\n%s", want, scenario.Clip(in))
				}
			}
			after, err := se.svc.InboxCount(se.Ctx, moh)
			testkit.Must(t, err)
			badge := `<span class="count">` + strconv.Itoa(after+1) + `<`
			if !strings.Contains(in, badge) {
				t.Errorf("the badge does not count the unread notice (want %s; owed before %d, now %d)", badge, before, after)
			}
			se.Form(se.SignIn("moh-focal"), "/staff/inbox/notices/read", url.Values{}, nil).RedirectsTo(t, "/staff/inbox")
			if in := se.Page(se.SignIn("moh-focal"), "/staff/inbox", "en").Text(); strings.Contains(in, "1 unread") || !strings.Contains(in, "0 unread") {
				t.Errorf("the notice is still unread after marking all read:\n%s", scenario.Clip(in))
			}

			// Preferences.
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("moh-focal"), "/staff/notifications", lang).CheckPage(t, http.StatusOK, lang)
			}
			se.Form(se.SignIn("moh-focal"), "/staff/notifications?v=0", url.Values{"mode": {"daily"}, "address": {"focal@moh.example.ir"}}, nil).RedirectsTo(t, "/staff/notifications?saved=1")
			page := se.Page(se.SignIn("moh-focal"), "/staff/notifications", "en").Text()
			if !strings.Contains(page, `value="daily" checked`) || !strings.Contains(page, `value="focal@moh.example.ir"`) {
				t.Errorf("the saved choice is not shown:\n%s", scenario.Clip(page))
			}
			if r := se.Form(se.SignIn("moh-focal"), "/staff/notifications?v=0", url.Values{"mode": {"off"}}, nil); r.Status != http.StatusPreconditionFailed && r.Status != http.StatusConflict {
				t.Errorf("a stale form: %d", r.Status)
			}
			if r := se.Form(se.SignIn("moh-focal"), "/staff/notifications?v=1", url.Values{"mode": {"hourly"}}, nil); r.Status != http.StatusUnprocessableEntity ||
				!strings.Contains(r.Text(), `id="form-error"`) {
				t.Errorf("a bad mode: %d", r.Status)
			}
			if r := se.Form(se.SignIn("moh-focal"), "/staff/notifications?v=1", url.Values{"mode": {"off"}, "address": {"not an address"}}, nil); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("a bad address: %d", r.Status)
			}

			// Unsubscribe, signed out.
			if _, _, err := se.svc.UnsubscribeFor(se.Ctx, "x"); !domain.IsKind(err, domain.KindNotFound) {
				t.Fatalf("a bad token: %v", err)
			}
			var secret []byte
			testkit.Must(t, se.DB.View(se.Ctx, func(tx *store.Tx) (err error) { secret, err = tx.NoticeSecret(); return err }))
			token := notice.UnsubscribeToken(secret, "moh-focal")
			for _, lang := range []string{"fa", "en"} {
				r := se.Page("", "/unsubscribe/"+token, lang)
				if r.Status != http.StatusOK || !strings.Contains(r.Text(), "moh-focal") || !strings.Contains(r.Text(), `action="/unsubscribe/`+token+`"`) {
					t.Errorf("GET /unsubscribe (%s): %d\n%s", lang, r.Status, scenario.Clip(r.Text()))
				}
			}
			if r := se.Page("", "/unsubscribe?t="+url.QueryEscape(token), "en"); r.Status != http.StatusOK {
				t.Errorf("GET /unsubscribe?t=: %d", r.Status)
			}
			if r := se.Page("", "/unsubscribe/"+token[:len(token)-3]+"AAA", "en"); r.Status != http.StatusNotFound {
				t.Errorf("a forged token: %d", r.Status)
			}
			if p, _ := se.svc.MyNoticePrefs(se.Ctx, moh); p.Mode != store.NoticeDaily {
				t.Fatalf("GET changed the choice: %+v", p)
			}
			// A mail program's one-click: no cookie, no Origin.
			res := se.Do(scenario.Request{Method: http.MethodPost, Path: "/unsubscribe?t=" + url.QueryEscape(token), Body: "List-Unsubscribe=One-Click",
				Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
			if body := res.Body; res.Status != http.StatusOK || !strings.Contains(string(body), "moh-focal") {
				t.Errorf("one-click POST: %d\n%s", res.Status, scenario.Clip(string(body)))
			}
			if p, _ := se.svc.MyNoticePrefs(se.Ctx, moh); p.Mode != store.NoticeOff || p.Address != "focal@moh.example.ir" {
				t.Errorf("after unsubscribing: %+v", p)
			}

			// A delivery refused for good shows to admins, and is sent again.
			_, err = se.svc.CreateUser(se.Ctx, service.System, &domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"),
				Email: "maryam@moh.example.ir", Role: "agency", Agency: "moh", Active: true}, "")
			testkit.Must(t, err)
			mail.Refuse("maryam@moh.example.ir", 550)
			r, err := se.svc.SubmitReport(se.Ctx, moh, se.MohReport, 0)
			testkit.Must(t, err)
			_, err = se.svc.AcceptReport(se.Ctx, sec, se.MohReport, r.Version, domain.Text{})
			testkit.Must(t, err)
			if _, err := se.svc.DeliverNotices(se.Ctx, "t"); err != nil {
				t.Fatal(err)
			}
			if r := se.Page(se.SignIn("moh-focal"), "/staff/deliveries", "en"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("a focal point reads the deliveries page: %d", r.Status)
			}
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("admin1"), "/staff/deliveries", lang).CheckPage(t, http.StatusOK, lang)
			}
			dl := se.Page(se.SignIn("admin1"), "/staff/deliveries", "en").Text()
			if !strings.Contains(dl, "maryam@moh.example.ir") || !strings.Contains(dl, "550") || !strings.Contains(dl, "/retry") {
				t.Fatalf("the failed delivery is not listed with its error and a retry:\n%s", scenario.Clip(dl))
			}
			rid := dl[strings.Index(dl, `action="/staff/deliveries/`)+len(`action="/staff/deliveries/`):]
			rid = rid[:strings.Index(rid, "/")]
			mail.Refuse("maryam@moh.example.ir", 0)
			se.Form(se.SignIn("admin1"), "/staff/deliveries/"+rid+"/retry", url.Values{}, nil).RedirectsTo(t, "/staff/deliveries?retried=1")
			if n, err := se.svc.DeliverNotices(se.Ctx, "t"); err != nil || n != 1 {
				t.Errorf("after the retry sent %d (%v)", n, err)
			}

			// A set-password link by e-mail: no unsubscribe link.
			sent := len(mail.Messages())
			cr := se.Form(se.SignIn("admin1"), "/staff/accounts", url.Values{"username": {"reza"}, "display_name_fa": {"رضا"}, "display_name_en": {"Reza"},
				"email": {"reza@tax.example.ir"}, "role": {"agency"}, "agency": {"tax"}, "active": {"on"}, "send": {"email"}}, nil)
			if cr.Status != http.StatusCreated || !strings.Contains(cr.Text(), "e-mailed") && !strings.Contains(cr.Text(), "رایانامه") {
				t.Fatalf("create with e-mail: %d\n%s", cr.Status, scenario.Clip(cr.Text()))
			}
			if n, err := se.svc.DeliverNotices(se.Ctx, "t"); err != nil || n != 1 {
				t.Fatalf("set-password link: sent %d (%v)", n, err)
			}
			msgs := mail.Messages()
			if len(msgs) != sent+1 {
				t.Fatalf("%d messages, want %d", len(msgs), sent+1)
			}
			m := mailtest.Parse(t, msgs[len(msgs)-1].Data)
			if m.Header.Get("List-Unsubscribe") != "" || !strings.Contains(m.Text, "https://pishran.example.ir/reset/") ||
				!strings.HasPrefix(m.Header.Get(notice.HeaderNotice), "set-password/") {
				t.Errorf("the set-password e-mail: %v\n%s", m.Header, m.Text)
			}
			// The token is gone from the outbox once sent.
			var rows []*store.OutboxNotice
			testkit.Must(t, se.DB.View(se.Ctx, func(tx *store.Tx) (err error) { rows, err = tx.OutboxByState(store.OutboxSent, 100); return err }))
			for _, row := range rows {
				if row.Kind == "set-password" && strings.Contains(string(row.Body), m.Text[strings.Index(m.Text, "/reset/")+7:][:20]) {
					t.Error("the sent set-password notice still holds the link's token")
				}
			}
		})
	}
}
