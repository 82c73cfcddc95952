package web_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The workspace pages of issue 5: evidence files on the report page,
// amendments of a closed meeting, and the admins' account pages.

// pdf is a small file the sniffer takes for a PDF.
func pdf(n int) []byte {
	b := []byte("%PDF-1.4\n% pilot results\n")
	for len(b) < n {
		b = append(b, "0 0 obj << >> endobj\n"...)
	}
	return b[:max(n, 25)]
}

// TestStaffEvidenceUpload: the report page's form takes a file (or a
// link); the file is stored and downloaded with its type; a file over the
// limit, or whose content is not its declared type, is refused on the
// form naming the file field, and nothing is written.
func TestStaffEvidenceUpload(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			se.svc.SetEvidenceLimit(1 << 20)
			id := strconv.FormatInt(se.MohReport, 10)
			sys := service.System
			evidence := func() []domain.Evidence {
				t.Helper()
				r, err := se.svc.Report(se.Ctx, sys, se.MohReport)
				if err != nil {
					t.Fatal(err)
				}
				return r.Evidence
			}
			page := se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id, "en")
			page.CheckPage(t, http.StatusOK, "en")
			form := regexp.MustCompile(`<form[^>]* enctype="multipart/form-data" action="(/staff/reports/` + id + `/evidence\?v=\d+)">`).FindStringSubmatch(page.Text())
			if form == nil || !strings.Contains(page.Text(), `<input type="file" id="evidence-file" name="file"`) ||
				!strings.Contains(page.Text(), "at most 1 MiB") {
				t.Fatalf("no multipart evidence form with a file input and the limit:\n%s", scenario.Clip(page.Text()))
			}
			action := html.UnescapeString(form[1])
			se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id, "fa").CheckPage(t, http.StatusOK, "fa")

			// Refusals first: nothing may be written by any of them.
			refused := func(r *scenario.Response, status int, lang string, want ...string) {
				t.Helper()
				r.CheckPage(t, status, lang)
				for _, w := range want {
					if !strings.Contains(r.Text(), w) {
						t.Errorf("the refusal (%d) lacks %q:\n%s", r.Status, w, scenario.Clip(r.Text()))
					}
				}
				if ev := evidence(); len(ev) != 0 {
					t.Fatalf("a refused upload was stored: %+v", ev)
				}
			}
			title := url.Values{"title_en": {"Pilot report"}}
			// One byte over the limit.
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=en", title, &scenario.File{Name: "big.pdf", ContentType: "application/pdf", Content: pdf(1<<20 + 1)}, nil),
				http.StatusRequestEntityTooLarge, "en", "the file is larger than the evidence limit of 1 MiB", "Field: file", `value="Pilot report"`)
			// Far over it: the body is cut off before it is all read.
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=fa", title, &scenario.File{Name: "huge.pdf", ContentType: "application/pdf", Content: pdf(3 << 20)}, nil),
				http.StatusRequestEntityTooLarge, "fa", "بزرگ‌تر است", "خانه: پرونده")
			// A program declared as a PDF: the content says otherwise.
			exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 200)...)
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=en", title, &scenario.File{Name: "setup.pdf", ContentType: "application/pdf", Content: exe}, nil),
				http.StatusUnprocessableEntity, "en", "does not match its declared type (application/pdf)", "Field: file")
			// A type not accepted at all.
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=en", title, &scenario.File{Name: "setup.exe", ContentType: "application/x-msdownload", Content: exe}, nil),
				http.StatusUnprocessableEntity, "en", "file type not accepted", "Field: file")
			// Neither a link nor a file (a browser sends an empty file part).
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=en", title, &scenario.File{Name: "", ContentType: "application/octet-stream", Content: nil}, nil),
				http.StatusUnprocessableEntity, "en", "give a link or choose a file", "Field: link")
			// Both.
			refused(se.Upload(se.SignIn("moh-focal"), action+"&lang=en", url.Values{"url": {"https://example.org/x"}}, &scenario.File{Name: "a.pdf", ContentType: "application/pdf", Content: pdf(100)}, nil),
				http.StatusUnprocessableEntity, "en", "evidence is a link or a file, not both")
			// From another site: the cross-origin protection holds for a
			// multipart post too.
			if r := se.Upload(se.SignIn("moh-focal"), action, title, &scenario.File{Name: "a.pdf", ContentType: "application/pdf", Content: pdf(100)}, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); r.Status != http.StatusForbidden {
				t.Errorf("a cross-site upload: %d, want 403", r.Status)
			}
			// Another agency may not add to moh's report.
			if r := se.Upload(se.SignIn("tax-focal"), action, title, &scenario.File{Name: "a.pdf", ContentType: "application/pdf", Content: pdf(100)}, nil); r.Status != http.StatusNotFound {
				t.Errorf("tax uploading to moh's report: %d, want 404", r.Status)
			}
			// The secretariat reviews evidence; it does not add any.
			if r := se.Upload(se.SignIn("sec"), action, title, &scenario.File{Name: "a.pdf", ContentType: "application/pdf", Content: pdf(100)}, nil); r.Status != http.StatusForbidden {
				t.Errorf("the secretariat uploading: %d, want 403", r.Status)
			}
			if ev := evidence(); len(ev) != 0 {
				t.Fatalf("a refused upload was stored: %+v", ev)
			}

			// A file, within the limit, with a Persian name.
			content := pdf(5000)
			se.Upload(se.SignIn("moh-focal"), action, title, &scenario.File{Name: "گزارش آزمایشی.pdf", ContentType: "application/pdf", Content: content}, nil).RedirectsTo(t, "/staff/reports/"+id+"?done=evidence")
			ev := evidence()
			if len(ev) != 1 || ev[0].Kind != domain.EvidenceFile || ev[0].ContentType != "application/pdf" || ev[0].Size != int64(len(content)) ||
				ev[0].Name != "گزارش آزمایشی.pdf" || ev[0].Title.EN != "Pilot report" {
				t.Fatalf("stored evidence %+v", ev)
			}
			href := "/staff/reports/" + id + "/evidence/" + strconv.Itoa(ev[0].N)
			page = se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id+"?done=evidence", "en")
			page.CheckPage(t, http.StatusOK, "en")
			if !strings.Contains(page.Text(), `href="`+href+`" download>Pilot report</a>`) || !strings.Contains(page.Text(), "The evidence is added.") {
				t.Errorf("the page does not offer the file:\n%s", scenario.Clip(page.Text()))
			}
			// Whoever may see the report downloads it, with its type.
			for _, who := range []string{"moh-focal", "sec", "admin1"} {
				r := se.Page(se.SignIn(who), href, "")
				if r.Status != http.StatusOK || !bytes.Equal(r.Body, content) {
					t.Fatalf("%s downloading: %d, %d bytes", who, r.Status, len(r.Body))
				}
				if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
					t.Errorf("Content-Type %q", ct)
				}
				if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") ||
					!strings.Contains(cd, url.PathEscape("گزارش")) {
					t.Errorf("Content-Disposition %q", cd)
				}
				if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
					t.Errorf("download headers %v", r.Header)
				}
				if cc := r.Header.Get("Cache-Control"); cc != "private, no-store" {
					t.Errorf("download Cache-Control %q", cc)
				}
			}
			// Others are told it is not there; the public must sign in.
			for _, who := range []string{"tax-focal", "council1", "reader1"} {
				if r := se.Page(se.SignIn(who), href, ""); r.Status != http.StatusNotFound || bytes.Contains(r.Body, content[:20]) {
					t.Errorf("%s downloading moh's draft evidence: %d", who, r.Status)
				}
			}
			se.Page("", href, "").RedirectsTo(t, "/login?next=")
			for _, bad := range []string{"/evidence/99", "/evidence/0", "/evidence/x"} {
				if r := se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id+bad, ""); r.Status != http.StatusNotFound {
					t.Errorf("%s: %d", bad, r.Status)
				}
			}

			// A link through the same form, as a browser sends it when no
			// file is chosen; a link item is not a download.
			page = se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id, "en")
			form = regexp.MustCompile(`action="(/staff/reports/` + id + `/evidence\?v=\d+)"`).FindStringSubmatch(page.Text())
			if form == nil {
				t.Fatal("no evidence form after the upload")
			}
			se.Upload(se.SignIn("moh-focal"), html.UnescapeString(form[1]), url.Values{"url": {"https://example.org/pilot"}}, &scenario.File{Name: "", ContentType: "application/octet-stream", Content: nil}, nil).RedirectsTo(t, "/staff/reports/"+id+"?done=evidence")
			if ev := evidence(); len(ev) != 2 || ev[1].Kind != domain.EvidenceLink || ev[1].URL != "https://example.org/pilot" {
				t.Fatalf("after the link: %+v", ev)
			}
			if r := se.Page(se.SignIn("moh-focal"), "/staff/reports/"+id+"/evidence/"+strconv.Itoa(evidence()[1].N), ""); r.Status != http.StatusNotFound {
				t.Errorf("a link item as a download: %d", r.Status)
			}
			// The stale version the first form carried is refused.
			r := se.Upload(se.SignIn("moh-focal"), action+"&lang=en", nil, &scenario.File{Name: "b.pdf", ContentType: "application/pdf", Content: pdf(100)}, nil)
			if r.Status != http.StatusPreconditionFailed || len(evidence()) != 2 {
				t.Errorf("an upload from a stale page: %d, %d items", r.Status, len(evidence()))
			}
		})
	}
}

// TestStaffMeetingAmend: the secretariat amends a closed session's record
// from its page; the amendment shows to every reader of the page, with who
// wrote it; others may not amend, and an open session is not amended.
func TestStaffMeetingAmend(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			const path = "/staff/meetings/itec-29"
			// Not closed yet: no amendments section, and amending is refused.
			if strings.Contains(se.Page(se.SignIn("sec"), path, "en").Text(), `action="/staff/meetings/itec-29/amendments"`) {
				t.Error("a held session offers amendments")
			}
			r := se.Form(se.SignIn("sec"), path+"/amendments?lang=en", url.Values{"text_en": {"x"}}, nil)
			r.CheckPage(t, http.StatusConflict, "en")
			if !strings.Contains(r.Text(), "is not closed") {
				t.Errorf("amending a held session:\n%s", scenario.Clip(r.Text()))
			}
			if _, err := se.svc.CloseMeeting(se.Ctx, sec, "itec-29", 0); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"fa", "en"} {
				page := se.Page(se.SignIn("sec"), path, lang)
				page.CheckPage(t, http.StatusOK, lang)
				if !strings.Contains(page.Text(), `action="/staff/meetings/itec-29/amendments"`) || !strings.Contains(page.Text(), `id="amend-text-fa"`) {
					t.Fatalf("%s: no amendment form for the secretariat:\n%s", lang, scenario.Clip(page.Text()))
				}
			}
			council := se.Page(se.SignIn("council1"), path, "en")
			council.CheckPage(t, http.StatusOK, "en")
			if !strings.Contains(council.Text(), "No amendment is recorded.") || strings.Contains(council.Text(), "/amendments\"") {
				t.Error("a council member should see the (empty) amendments, without the form")
			}
			// Empty: refused naming the field.
			r = se.Form(se.SignIn("sec"), path+"/amendments?lang=en", url.Values{"text_fa": {" "}, "text_en": {""}}, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), "Field: text") {
				t.Errorf("an empty amendment:\n%s", scenario.Clip(r.Text()))
			}
			// Not the secretariat: refused.
			for _, who := range []string{"council1", "reader1", "moh-focal"} {
				if r := se.Form(se.SignIn(who), path+"/amendments", url.Values{"text_en": {"x"}}, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s amending: %d", who, r.Status)
				}
			}
			m, err := se.svc.Meeting(se.Ctx, sec, "itec-29")
			if err != nil || len(m.Amendments) != 0 {
				t.Fatalf("refused amendments were recorded: %+v %v", m.Amendments, err)
			}
			// The secretariat amends.
			se.Form(se.SignIn("sec"), path+"/amendments", url.Values{"text_fa": {"مهلت اقدام ۳۰ روز است، نه ۲۰ روز"},
				"text_en": {"The action's due date is 30 days, not 20"}}, nil).RedirectsTo(t, path+"?done=amended")
			m, err = se.svc.Meeting(se.Ctx, sec, "itec-29")
			if err != nil || len(m.Amendments) != 1 || m.Amendments[0].RecordedBy != "user:sec" {
				t.Fatalf("the amendment: %+v %v", m.Amendments, err)
			}
			page := se.Page(se.SignIn("sec"), path+"?done=amended", "en")
			page.CheckPage(t, http.StatusOK, "en")
			for _, want := range []string{"The amendment is added to the session", "The action&#39;s due date is 30 days, not 20",
				"مهلت اقدام ۳۰ روز است، نه ۲۰ روز", "<bdi>sec</bdi>", `<time datetime="`} {
				if !strings.Contains(page.Text(), want) {
					t.Errorf("the amended page lacks %q", want)
				}
			}
			for _, who := range []string{"council1", "moh-focal"} {
				if !strings.Contains(se.Page(se.SignIn(who), path, "fa").Text(), "مهلت اقدام ۳۰ روز است") {
					t.Errorf("%s does not see the amendment", who)
				}
			}
		})
	}
}

// TestStaffAccounts: an admin lists accounts, creates one (and is shown its
// one-time link, which works), edits its role, resets its password and
// disables it; a stale edit and demoting the last admin are refused on the
// form; nobody else reaches the pages or sees them in the navigation.
func TestStaffAccounts(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sys := service.System
			for _, lang := range []string{"fa", "en"} {
				r := se.Page(se.SignIn("admin1"), "/staff/accounts", lang)
				r.CheckPage(t, http.StatusOK, lang)
				for _, want := range []string{`href="/staff/accounts/moh-focal"`, `href="/staff/accounts/sec"`, `action="/staff/accounts"`,
					`<a href="/staff/accounts" aria-current="page">`} {
					if !strings.Contains(r.Text(), want) {
						t.Errorf("%s accounts page lacks %s", lang, want)
					}
				}
			}
			// Nobody else: not in the navigation, refused on every page.
			for _, who := range []string{"sec", "council1", "reader1", "moh-focal"} {
				if strings.Contains(se.Page(se.SignIn(who), "/staff", "en").Text(), `href="/staff/accounts"`) {
					t.Errorf("%s's navigation offers the accounts", who)
				}
				for _, p := range []string{"/staff/accounts", "/staff/accounts/" + who, "/staff/accounts/admin1"} {
					r := se.Page(se.SignIn(who), p, "en")
					r.CheckPage(t, http.StatusForbidden, "en")
					if strings.Contains(r.Text(), "admin1") && p != "/staff/accounts/admin1" {
						t.Errorf("%s as %s shows the accounts", p, who)
					}
				}
				if r := se.Form(se.SignIn(who), "/staff/accounts", url.Values{"username": {"sneaky"}, "display_name_en": {"x"}, "role": {"admin"}, "active": {"on"}}, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s creating an account: %d", who, r.Status)
				}
				if r := se.Form(se.SignIn(who), "/staff/accounts/reader1?v=1", url.Values{"display_name_en": {"x"}, "role": {"admin"}, "active": {"on"}}, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s editing an account: %d", who, r.Status)
				}
				if r := se.Form(se.SignIn(who), "/staff/accounts/reader1/reset", nil, nil); r.Status != http.StatusForbidden {
					t.Errorf("%s resetting a password: %d", who, r.Status)
				}
			}
			if _, err := se.svc.User(se.Ctx, sys, "sneaky"); !domain.IsKind(err, domain.KindNotFound) {
				t.Fatalf("a refused creation made an account: %v", err)
			}
			if u, err := se.svc.User(se.Ctx, sys, "reader1"); err != nil || u.Role != "reader" || !u.HasPassword {
				t.Fatalf("a refused edit or reset took effect: %+v %v", u, err)
			}
			se.Page("", "/staff/accounts", "").RedirectsTo(t, "/login?next=%2Fstaff%2Faccounts")

			// Refused creations come back as the form, naming the field.
			form := url.Values{"username": {"new-focal"}, "display_name_fa": {"نماینده تازه"}, "display_name_en": {"New focal point"},
				"email": {"new@example.org"}, "role": {"agency"}, "active": {"on"}}
			bad := func(change func(url.Values), status int, field, msg string) {
				t.Helper()
				f := url.Values{}
				for k, v := range form {
					f[k] = v
				}
				change(f)
				r := se.Form(se.SignIn("admin1"), "/staff/accounts?lang=en", f, nil)
				r.CheckPage(t, status, "en")
				if !strings.Contains(r.Text(), "Field: "+field) || !strings.Contains(r.Text(), msg) || !strings.Contains(r.Text(), `value="New focal point"`) {
					t.Errorf("refused creation (%s):\n%s", field, scenario.Clip(r.Text()))
				}
			}
			bad(func(f url.Values) {}, http.StatusUnprocessableEntity, "agency", "an agency account needs the agency")
			bad(func(f url.Values) { f.Set("username", "Not Valid") }, http.StatusUnprocessableEntity, "username", "the username must be")
			bad(func(f url.Values) { f.Set("username", "sec"); f.Set("role", "reader") }, http.StatusConflict, "username", "this username is taken")

			// Created: the page shows the one-time link, once.
			form.Set("agency", "moh")
			r := se.Form(se.SignIn("admin1"), "/staff/accounts?lang=en", form, nil)
			r.CheckPage(t, http.StatusCreated, "en")
			m := regexp.MustCompile(`id="account-link" value="([^"]+)"`).FindStringSubmatch(r.Text())
			if m == nil || !strings.Contains(r.Text(), "The account is created. Hand this link to its holder.") {
				t.Fatalf("no link on the created account's page:\n%s", scenario.Clip(r.Text()))
			}
			link := html.UnescapeString(m[1])
			if !strings.HasPrefix(link, se.URL+"/reset/") {
				t.Fatalf("link %q", link)
			}
			u, err := se.svc.User(se.Ctx, sys, "new-focal")
			if err != nil || u.Role != "agency" || u.Agency != "moh" || !u.Active || u.HasPassword || u.Email != "new@example.org" {
				t.Fatalf("created %+v %v", u, err)
			}
			if strings.Contains(se.Page(se.SignIn("admin1"), "/staff/accounts/new-focal", "en").Text(), strings.TrimPrefix(link, se.URL)) {
				t.Error("the link is shown again")
			}
			// The link works: its holder sets a password and is signed in.
			const pw = "a long new password here"
			if _, err := se.svc.ResetPassword(se.Ctx, link[strings.LastIndex(link, "/")+1:], pw, service.Client{}, service.SessionPolicy{}); err != nil {
				t.Fatalf("the shown link does not work: %v", err)
			}
			sess, err := se.svc.Login(se.Ctx, "new-focal", pw, service.Client{}, service.SessionPolicy{})
			if err != nil {
				t.Fatal(err)
			}

			// Edit: the role changes (the agency goes with it).
			page := se.Page(se.SignIn("admin1"), "/staff/accounts/new-focal", "en")
			page.CheckPage(t, http.StatusOK, "en")
			se.Page(se.SignIn("admin1"), "/staff/accounts/new-focal", "fa").CheckPage(t, http.StatusOK, "fa")
			m = regexp.MustCompile(`action="(/staff/accounts/new-focal\?v=\d+)"`).FindStringSubmatch(page.Text())
			if m == nil || !strings.Contains(page.Text(), `<option value="agency" selected>`) || !strings.Contains(page.Text(), `<option value="moh" selected>`) {
				t.Fatalf("no edit form with the account's role and agency:\n%s", scenario.Clip(page.Text()))
			}
			edit := html.UnescapeString(m[1])
			form.Set("role", "reader")
			se.Form(se.SignIn("admin1"), edit, form, nil).RedirectsTo(t, "/staff/accounts/new-focal?done=saved")
			u, err = se.svc.User(se.Ctx, sys, "new-focal")
			if err != nil || u.Role != "reader" || u.Agency != "" || !u.Active {
				t.Fatalf("after the edit %+v %v", u, err)
			}
			page = se.Page(se.SignIn("admin1"), "/staff/accounts/new-focal?done=saved", "en")
			if !strings.Contains(page.Text(), "The account is saved.") || !strings.Contains(page.Text(), `<option value="reader" selected>`) {
				t.Errorf("the saved account's page:\n%s", scenario.Clip(page.Text()))
			}
			// The same form again is stale: refused, nothing changed.
			form.Set("role", "council")
			r = se.Form(se.SignIn("admin1"), edit+"&lang=en", form, nil)
			r.CheckPage(t, http.StatusPreconditionFailed, "en")
			if !strings.Contains(r.Text(), "The record changed after this page was opened.") {
				t.Errorf("a stale edit:\n%s", scenario.Clip(r.Text()))
			}
			if u, _ := se.svc.User(se.Ctx, sys, "new-focal"); u.Role != "reader" {
				t.Errorf("a stale edit took effect: %s", u.Role)
			}
			// The last admin cannot be demoted.
			page = se.Page(se.SignIn("admin1"), "/staff/accounts/admin1", "en")
			m = regexp.MustCompile(`action="(/staff/accounts/admin1\?v=\d+)"`).FindStringSubmatch(page.Text())
			if m == nil || !strings.Contains(page.Text(), "This is your own account") {
				t.Fatalf("admin1's own page:\n%s", scenario.Clip(page.Text()))
			}
			r = se.Form(se.SignIn("admin1"), html.UnescapeString(m[1])+"&lang=en", url.Values{"display_name_en": {"admin1"}, "role": {"reader"}, "active": {"on"}}, nil)
			r.CheckPage(t, http.StatusConflict, "en")
			if !strings.Contains(r.Text(), "this is the last active admin") || !strings.Contains(r.Text(), "Field: role") {
				t.Errorf("demoting the last admin:\n%s", scenario.Clip(r.Text()))
			}

			// Reset: the old password stops, the session ends, a new link.
			r = se.Form(se.SignIn("admin1"), "/staff/accounts/new-focal/reset?lang=en", nil, nil)
			r.CheckPage(t, http.StatusOK, "en")
			m = regexp.MustCompile(`id="account-link" value="([^"]+)"`).FindStringSubmatch(r.Text())
			if m == nil || !strings.Contains(r.Text(), "The password is reset.") {
				t.Fatalf("no link after the reset:\n%s", scenario.Clip(r.Text()))
			}
			if _, _, err := se.svc.SessionActor(se.Ctx, sess.Secret, service.SessionPolicy{}); !domain.IsKind(err, domain.KindUnauthorized) {
				t.Errorf("the account's session outlived the reset: %v", err)
			}
			if _, err := se.svc.Login(se.Ctx, "new-focal", pw, service.Client{}, service.SessionPolicy{}); err == nil {
				t.Error("the old password still works after the reset")
			}
			link = html.UnescapeString(m[1])
			if _, err := se.svc.ResetPassword(se.Ctx, link[strings.LastIndex(link, "/")+1:], pw+"!", service.Client{}, service.SessionPolicy{}); err != nil {
				t.Errorf("the reset link does not work: %v", err)
			}
			// Disable: unchecked, the account is disabled and listed so.
			page = se.Page(se.SignIn("admin1"), "/staff/accounts/new-focal", "en")
			m = regexp.MustCompile(`action="(/staff/accounts/new-focal\?v=\d+)"`).FindStringSubmatch(page.Text())
			if m == nil {
				t.Fatal("no edit form")
			}
			form.Del("active")
			form.Set("role", "reader")
			se.Form(se.SignIn("admin1"), html.UnescapeString(m[1]), form, nil).RedirectsTo(t, "/staff/accounts/new-focal?done=saved")
			if u, _ := se.svc.User(se.Ctx, sys, "new-focal"); u.Active {
				t.Error("the account is still enabled")
			}
			if _, err := se.svc.Login(se.Ctx, "new-focal", pw+"!", service.Client{}, service.SessionPolicy{}); err == nil {
				t.Error("a disabled account signed in")
			}
			list := se.Page(se.SignIn("admin1"), "/staff/accounts", "en").Text()
			if !regexp.MustCompile(`(?s)href="/staff/accounts/new-focal".*?<span class="badge">disabled</span>`).MatchString(list) {
				t.Errorf("the list does not show new-focal disabled:\n%s", scenario.Clip(list))
			}
			// Cross-site: refused before it acts.
			if r := se.Form(se.SignIn("admin1"), "/staff/accounts/reader1/reset", nil, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); r.Status != http.StatusForbidden {
				t.Errorf("a cross-site reset: %d", r.Status)
			}
			if u, _ := se.svc.User(se.Ctx, sys, "reader1"); !u.HasPassword {
				t.Error("a cross-site reset took effect")
			}
		})
	}
}
