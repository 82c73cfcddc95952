package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// The registry forms, through HTTP as a browser without JavaScript posts
// them: each form's success, a refusal shown beside the field it names (in
// the person's language, never as an API path), a stale form refused with
// the record left as it was, and the form refused to anyone but the
// secretariat and admins — on both engines.

var (
	formRE     = regexp.MustCompile(`(?s)<form class="stack-form registry-form"[^>]*>.*?</form>`)
	inputRE    = regexp.MustCompile(`<input ([^>]*)>`)
	attrRE     = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	selectRE   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	textareaRE = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
)

// formValues reads what a registry form would post as the page shows it.
func formValues(t *testing.T, page *scenario.Response) url.Values {
	t.Helper()
	f := formRE.FindString(page.Text())
	if f == "" {
		t.Fatalf("%s: no registry form\n%s", page.URL, scenario.Clip(page.Text()))
	}
	return formOf(f)
}

func formOf(f string) url.Values {
	v := url.Values{}
	for _, m := range inputRE.FindAllStringSubmatch(f, -1) {
		attrs := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(m[1], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if attrs["name"] == "" {
			continue
		}
		if attrs["type"] == "checkbox" {
			if strings.Contains(m[1], " checked") {
				val := attrs["value"]
				if val == "" {
					val = "on"
				}
				v.Add(attrs["name"], val)
			}
			continue
		}
		v.Add(attrs["name"], attrs["value"])
	}
	for _, m := range selectRE.FindAllStringSubmatch(f, -1) {
		if s := selectedRE.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], html.UnescapeString(s[1]))
		} else {
			v.Set(m[1], "")
		}
	}
	for _, m := range textareaRE.FindAllStringSubmatch(f, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// fieldError returns the message shown beside the field id (its
// id-error element), and whether the field is marked invalid.
func fieldError(body, id string) (msg string, marked bool) {
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `-error">(.*?)</`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	marked = strings.Contains(body, `id="`+id+`"`) && regexp.MustCompile(`id="`+regexp.QuoteMeta(id)+`"[^>]*aria-invalid="true"|<fieldset[^>]*id="`+
		regexp.QuoteMeta(id)+`"[^>]*aria-describedby="`+regexp.QuoteMeta(id)+`-error"`).MatchString(body)
	return html.UnescapeString(m[1]), marked
}

// wantFieldError checks a refused form: the status, the message beside the
// field, and no API path in the text the person reads.
func wantFieldError(t *testing.T, r *scenario.Response, status int, lang, id, msg string) {
	t.Helper()
	r.CheckPage(t, status, lang)
	got, marked := fieldError(r.Text(), id)
	if !strings.Contains(got, msg) || !marked {
		t.Errorf("%s: beside #%s %q (marked %v), want %q", r.URL, id, got, marked, msg)
	}
	if !strings.Contains(r.Text(), `href="#`+id+`"`) {
		t.Errorf("%s: the summary does not link to #%s", r.URL, id)
	}
	text := tagRE.ReplaceAllString(r.Text(), " ")
	if p := regexp.MustCompile(`[a-z_]+\[\d+\]`).FindString(text); p != "" {
		t.Errorf("%s: the page names the API path %q", r.URL, p)
	}
}

// wantStale checks a stale form's refusal.
func wantStale(t *testing.T, r *scenario.Response, lang string) {
	t.Helper()
	r.CheckPage(t, http.StatusConflict, lang)
	want := map[string]string{"en": "Nothing was saved: someone else changed this record", "fa": "چیزی ذخیره نشد"}[lang]
	if !strings.Contains(r.Text(), want) {
		t.Errorf("%s: no stale message %q\n%s", r.URL, want, scenario.Clip(r.Text()))
	}
}

// wantRefused checks the roles that may not keep the registry are refused
// the page and the post.
func wantRefused(t *testing.T, se *staffEnv, path string, form url.Values) {
	t.Helper()
	for _, who := range []string{"moh-focal", "council1", "reader1"} {
		if strings.HasSuffix(path, "/leave") {
			// no page of its own: the post only
		} else if r := se.Page(se.SignIn(who), path, "fa"); r.Status != http.StatusForbidden {
			t.Errorf("GET %s as %s: %d, want 403", path, who, r.Status)
		}
		if r := se.Form(se.SignIn(who), path+"?lang=en", form, nil); r.Status != http.StatusForbidden {
			t.Errorf("POST %s as %s: %d, want 403", path, who, r.Status)
		}
	}
}

func TestRegistryProjectForm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const path = "/staff/projects/solo-rx/edit"
			for _, who := range []string{"sec", "admin1"} {
				for _, lang := range []string{"fa", "en"} {
					se.Page(se.SignIn(who), path, lang).CheckPage(t, http.StatusOK, lang)
				}
			}
			page := se.Page(se.SignIn("sec"), path, "fa")
			stale := formValues(t, page)

			// Completing the record in Persian: a participant, a mandate
			// (its article typed with Persian digits), a deliverable due
			// on a Jalali day.
			v := formValues(t, page)
			v.Add("participants", "ito")
			v.Set("mandates[0].law", "plan7")
			v.Set("mandates[0].article", "۱")
			v.Set("deliverables[1].title_fa", "اتصال داروخانه‌ها")
			v.Set("deliverables[1].indicator_fa", "سهم داروخانه‌های متصل")
			v.Set("deliverables[1].target", "۸۰٪")
			v.Set("deliverables[1].due", "۱۴۰۵/۰۸/۱۵")
			se.Form(se.SignIn("sec"), path+"?lang=fa", v, nil).RedirectsTo(t, path+"?saved=1")
			pv, err := se.svc.Project(se.Ctx, service.System, "solo-rx")
			if err != nil {
				t.Fatal(err)
			}
			if len(pv.Agencies) != 2 || pv.Lead() != "moh" || len(pv.Mandates) != 1 || pv.Mandates[0] != (domain.Mandate{Law: "plan7", Article: "1"}) ||
				len(pv.Deliverables) != 2 || pv.Deliverables[1].Due == nil || pv.Deliverables[1].Due.String() != "2026-11-06" {
				t.Fatalf("the record as saved: %+v %+v %+v", pv.Agencies, pv.Mandates, pv.Deliverables)
			}
			if vd, err := se.svc.Preview(se.Ctx, service.Actor{Name: "user:sec", Role: service.RoleSecretariat}, "gov13-smart-driving", "solo-rx"); err != nil || !vd.Allowed {
				t.Errorf("the completed project still cannot be designated: %+v %v", vd, err)
			}
			saved := se.Page(se.SignIn("sec"), path+"?saved=1", "fa")
			saved.CheckPage(t, http.StatusOK, "fa")
			if !strings.Contains(saved.Text(), `value="۱۴۰۵/۰۸/۱۵"`) || !strings.Contains(saved.Text(), "ذخیره شد") {
				t.Error("the saved form does not show the Jalali day in Persian digits, or no notice")
			}

			// A mandate without its article: the message beside the
			// article, in each language; nothing written.
			for lang, msg := range map[string]string{"en": "the article of the law is required", "fa": "ماده قانون مشخص نیست"} {
				v := formValues(t, se.Page(se.SignIn("sec"), path, lang))
				v.Set("mandates[1].law", "plan7")
				r := se.Form(se.SignIn("sec"), path+"?lang="+lang, v, nil)
				wantFieldError(t, r, http.StatusUnprocessableEntity, lang, "f-mandates-1-article", msg)
				if !strings.Contains(r.Text(), `<option value="plan7" selected>`) {
					t.Error("the refused form lost what was typed")
				}
			}
			// A day that is not one, beside the deliverable's due date.
			v = formValues(t, se.Page(se.SignIn("sec"), path, "fa"))
			v.Set("deliverables[1].due", "۱۴۰۵/۱۳/۴۰")
			wantFieldError(t, se.Form(se.SignIn("sec"), path+"?lang=fa", v, nil), http.StatusUnprocessableEntity, "fa", "f-deliverables-1-due", "۱۴۰۵/۰۸/۱۵")

			// The form opened before the save: stale, refused.
			stale.Set("scope_fa", "دامنه دیگر")
			wantStale(t, se.Form(se.SignIn("sec"), path+"?lang=fa", stale, nil), "fa")
			if pv, _ := se.svc.Project(se.Ctx, service.System, "solo-rx"); pv.Scope.FA == "دامنه دیگر" || len(pv.Mandates) != 1 {
				t.Error("the stale form was written")
			}
			wantRefused(t, se, path, formValues(t, se.Page(se.SignIn("sec"), path, "en")))

			// A new project; an identifier that cannot be one is refused
			// beside it.
			nv := formValues(t, se.Page(se.SignIn("sec"), "/staff/projects/new", "en"))
			nv.Set("slug", "Not A Slug")
			nv.Set("title_fa", "پروژه تازه")
			wantFieldError(t, se.Form(se.SignIn("sec"), "/staff/projects/new?lang=en", nv, nil), http.StatusUnprocessableEntity, "en", "f-slug", "lower-case latin letters")
			nv.Set("slug", "fresh-rx")
			se.Form(se.SignIn("sec"), "/staff/projects/new?lang=en", nv, nil).RedirectsTo(t, "/staff/projects/fresh-rx/edit?saved=1")
			if p, err := se.svc.Project(se.Ctx, service.System, "fresh-rx"); err != nil || p.Title.FA != "پروژه تازه" {
				t.Errorf("the new project: %+v %v", p, err)
			}
		})
	}
}

func TestRegistryAgencyForm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			nv := formValues(t, se.Page(se.SignIn("sec"), "/staff/agencies/new", "fa"))
			nv.Set("code", "irica")
			nv.Set("name_fa", "")
			nv.Set("kind", "organization")
			nv.Set("parent", "ict")
			wantFieldError(t, se.Form(se.SignIn("sec"), "/staff/agencies/new?lang=fa", nv, nil), http.StatusUnprocessableEntity, "fa", "f-name-fa", "")
			nv.Set("name_fa", "گمرک")
			nv.Set("sources[0].ref", "irica.ir")
			se.Form(se.SignIn("sec"), "/staff/agencies/new?lang=fa", nv, nil).RedirectsTo(t, "/staff/agencies/irica/edit?saved=1")
			a, err := se.svc.Agency(se.Ctx, "irica")
			if err != nil || a.Parent != "ict" || a.Name.FA != "گمرک" || len(a.Sources) != 1 {
				t.Fatalf("the new agency: %+v %v", a, err)
			}
			const path = "/staff/agencies/irica/edit"
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("admin1"), path, lang).CheckPage(t, http.StatusOK, lang)
			}
			stale := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v.Set("name_en", "Customs Administration")
			se.Form(se.SignIn("sec"), path+"?lang=en", v, nil).RedirectsTo(t, path+"?saved=1")
			// Its own parent: refused beside the parent.
			v = formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v.Set("parent", "nope-agency")
			r := se.Form(se.SignIn("sec"), path+"?lang=en", v, nil)
			if r.Status == http.StatusSeeOther || r.Status >= 500 {
				t.Errorf("a parent that is not on record: %d", r.Status)
			}
			stale.Set("name_en", "Stale name")
			wantStale(t, se.Form(se.SignIn("sec"), path+"?lang=en", stale, nil), "en")
			if a, _ := se.svc.Agency(se.Ctx, "irica"); a.Name.EN != "Customs Administration" {
				t.Errorf("the stale form was written: %+v", a.Name)
			}
			wantRefused(t, se, path, v)
		})
	}
}

func TestRegistryLawForm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			nv := formValues(t, se.Page(se.SignIn("sec"), "/staff/laws/new", "fa"))
			nv.Set("slug", "e-commerce-law")
			nv.Set("title_fa", "قانون تجارت الکترونیکی")
			nv.Set("approved", "۱۳۸۲/۱۳/۱۷")
			wantFieldError(t, se.Form(se.SignIn("sec"), "/staff/laws/new?lang=fa", nv, nil), http.StatusUnprocessableEntity, "fa", "f-approved", "۱۴۰۵/۰۸/۱۵")
			nv.Set("approved", "۱۳۸۲/۱۰/۱۷")
			nv.Set("articles[0].number", "۶")
			nv.Set("articles[1].number", "6")
			wantFieldError(t, se.Form(se.SignIn("sec"), "/staff/laws/new?lang=fa", nv, nil), http.StatusUnprocessableEntity, "fa", "f-articles-1-number", "تکراری")
			nv.Set("articles[1].number", "7")
			se.Form(se.SignIn("sec"), "/staff/laws/new?lang=fa", nv, nil).RedirectsTo(t, "/staff/laws/e-commerce-law/edit?saved=1")
			law, err := se.svc.Law(se.Ctx, "e-commerce-law")
			if err != nil || law.Approved == nil || law.Approved.String() != "2004-01-07" || len(law.Articles) != 2 || law.Articles[0].Number != "6" {
				t.Fatalf("the new law: %+v %v", law, err)
			}
			const path = "/staff/laws/e-commerce-law/edit"
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), path, lang).CheckPage(t, http.StatusOK, lang)
			}
			stale := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v.Set("articles[2].number", "8")
			se.Form(se.SignIn("sec"), path+"?lang=en", v, nil).RedirectsTo(t, path+"?saved=1")
			stale.Set("number", "stale")
			wantStale(t, se.Form(se.SignIn("sec"), path+"?lang=en", stale, nil), "en")
			if law, _ := se.svc.Law(se.Ctx, "e-commerce-law"); law.Number == "stale" || len(law.Articles) != 3 {
				t.Errorf("the law after a stale post: %+v", law)
			}
			wantRefused(t, se, path, v)
		})
	}
}

func TestRegistryProgramForm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const path = "/staff/programs/gov13-smart-driving/edit"
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), path, lang).CheckPage(t, http.StatusOK, lang)
			}
			stale := formValues(t, se.Page(se.SignIn("sec"), path, "fa"))
			v := formValues(t, se.Page(se.SignIn("sec"), path, "fa"))
			v.Set("stages[1].resolution", "۲۳۴/۱۴۰۲")
			v.Set("stages[1].date", "۱۴۰۲/۰۵/۰۱")
			se.Form(se.SignIn("sec"), path+"?lang=fa", v, nil).RedirectsTo(t, path+"?saved=1")
			g, err := se.svc.Program(se.Ctx, service.System, "gov13-smart-driving")
			if err != nil || len(g.Stages) != 2 || g.Stages[1].Resolution != "234/1402" || g.Stages[1].Date == nil || g.Stages[1].Date.String() != "2023-07-23" {
				t.Fatalf("the stages as saved: %+v %v", g.Stages, err)
			}
			v = formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v.Set("declared_size", "twenty")
			wantFieldError(t, se.Form(se.SignIn("sec"), path+"?lang=en", v, nil), http.StatusUnprocessableEntity, "en", "f-declared-size", "whole number")
			stale.Set("title_fa", "عنوان کهنه")
			wantStale(t, se.Form(se.SignIn("sec"), path+"?lang=fa", stale, nil), "fa")
			// A closed list's stages cannot change: said beside them.
			const closed = "/staff/programs/gov12-egov-priority/edit"
			v = formValues(t, se.Page(se.SignIn("sec"), closed, "en"))
			v.Set("stages[0].resolution", "changed")
			wantFieldError(t, se.Form(se.SignIn("sec"), closed+"?lang=en", v, nil), http.StatusConflict, "en", "sec-stages", "closed")
			wantRefused(t, se, path, v)
		})
	}
}

func TestRegistryStageForm(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			nv := formValues(t, se.Page(se.SignIn("sec"), "/staff/programs/new", "en"))
			nv.Set("id", "gov14-draft")
			nv.Set("title_en", "A draft list")
			nv.Set("term", "13")
			nv["candidates"] = []string{"e-rx", "solo-rx"}
			se.Form(se.SignIn("sec"), "/staff/programs/new?lang=en", nv, nil).RedirectsTo(t, "/staff/programs/gov14-draft/edit?saved=1")
			const path = "/staff/programs/gov14-draft/stages"
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), path, lang).CheckPage(t, http.StatusOK, lang)
			}
			stale := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v := formValues(t, se.Page(se.SignIn("sec"), path, "en"))
			v.Set("body", "steering-committee")
			wantFieldError(t, se.Form(se.SignIn("sec"), path+"?lang=en", v, nil), http.StatusUnprocessableEntity, "en", "f-passed", "at least one project")
			v.Set("passed", "e-rx")
			v.Set("resolution", "۱۲/۳۴")
			v.Set("date", "1405/08/01")
			se.Form(se.SignIn("sec"), path+"?lang=en", v, nil).RedirectsTo(t, path+"?saved=1")
			stale.Set("body", "council")
			stale.Set("passed", "e-rx")
			wantStale(t, se.Form(se.SignIn("sec"), path+"?lang=en", stale, nil), "en")
			// The last stage adopts the list: e-rx is designated.
			v = formValues(t, se.Page(se.SignIn("sec"), path, "fa"))
			v.Set("body", "council")
			v.Set("passed", "e-rx")
			v.Set("adopt", "on")
			se.Form(se.SignIn("sec"), path+"?lang=fa", v, nil).RedirectsTo(t, path+"?saved=1")
			g, err := se.svc.Program(se.Ctx, service.System, "gov14-draft")
			if err != nil || g.Status != domain.ProgramAdopted || len(g.Stages) != 2 || g.Stages[0].Resolution != "12/34" || g.Stages[0].Date.String() != "2026-10-23" {
				t.Fatalf("the list after its stages: %+v %v", g.Program, err)
			}
			if ms, _, err := se.svc.Members(se.Ctx, service.System, "gov14-draft", domain.MemberFilter{}, domain.Page{}); err != nil || len(ms) != 1 || ms[0].Project != "e-rx" {
				t.Errorf("members after adoption: %v %v", ms, err)
			}
			wantRefused(t, se, path, v)
		})
	}
}

func TestRegistryDepartureAndVoid(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			const path = "/staff/programs/gov13-smart-driving/members/smart-health"
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), "/staff/programs/gov13-smart-driving/members", lang).CheckPage(t, http.StatusOK, lang)
				se.Page(se.SignIn("sec"), path, lang).CheckPage(t, http.StatusOK, lang)
			}
			page := se.Page(se.SignIn("sec"), path, "en")
			leave := func(body string) url.Values {
				m := regexp.MustCompile(`(?s)<form class="stack-form" method="post" action="` + regexp.QuoteMeta(path) + `/leave".*?</form>`).FindString(body)
				if m == "" {
					t.Fatalf("no departure form\n%s", scenario.Clip(body))
				}
				return formOf(m)
			}
			stale := leave(page.Text())
			v := leave(page.Text())
			v.Set("reason", "evolved")
			wantFieldError(t, se.Form(se.SignIn("sec"), path+"/leave?lang=en", v, nil), http.StatusUnprocessableEntity, "en", "f-successor", "successor project is required")
			v.Set("reason", "priority-changed")
			v.Set("date", "۱۴۰۵/۰۹/۰۱")
			se.Form(se.SignIn("sec"), path+"/leave?lang=fa", v, nil).RedirectsTo(t, path+"?done=left")
			ms, _, err := se.svc.Members(se.Ctx, service.System, "gov13-smart-driving", domain.MemberFilter{}, domain.Page{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.Project == "smart-health" && (m.Active || m.Left == nil || m.Left.String() != "2026-11-22" || m.Reason != domain.LeavePriorityChanged) {
					t.Errorf("after the departure: %+v", m.Membership)
				}
			}
			stale.Set("reason", "completed")
			wantStale(t, se.Form(se.SignIn("sec"), path+"/leave?lang=en", stale, nil), "en")

			// Voiding the departure: the reason is required, beside it.
			page = se.Page(se.SignIn("sec"), path, "en")
			void := regexp.MustCompile(`(?s)<form class="stack-form" method="post" action="`+regexp.QuoteMeta(path)+`/void".*?</form>`).FindAllString(page.Text(), -1)
			if len(void) != 2 {
				t.Fatalf("%d void forms, want 2 (the entry, the departure)", len(void))
			}
			vv := formOf(void[0]) // newest first: the departure
			r := se.Form(se.SignIn("sec"), path+"/void?lang=en", vv, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), "a note saying why is required") || !strings.Contains(r.Text(), `aria-invalid="true"`) {
				t.Errorf("the void refusal is not beside its field\n%s", scenario.Clip(r.Text()))
			}
			staleVoid := formOf(void[1])
			vv.Set("note_fa", "خروج اشتباه ثبت شد")
			se.Form(se.SignIn("sec"), path+"/void?lang=fa", vv, nil).RedirectsTo(t, path+"?done=voided")
			staleVoid.Set("note_en", "stale")
			wantStale(t, se.Form(se.SignIn("sec"), path+"/void?lang=en", staleVoid, nil), "en")
			evs, err := se.svc.History(se.Ctx, service.System, "gov13-smart-driving", "smart-health")
			if err != nil || len(evs) != 3 || evs[2].Type != domain.EventVoided || evs[2].Voids != evs[1].ID {
				t.Fatalf("the history: %v %v", evs, err)
			}
			wantRefused(t, se, path+"/leave", v)
			for _, who := range []string{"moh-focal", "council1"} {
				if r := se.Page(se.SignIn(who), path, "en"); r.Status != http.StatusForbidden {
					t.Errorf("the membership page as %s: %d", who, r.Status)
				}
			}
		})
	}
}
