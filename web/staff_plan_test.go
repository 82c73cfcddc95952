package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// baselineValues is a complete, valid baseline as the form posts it.
func baselineValues(reason string) url.Values {
	v := url.Values{
		"start": {"1403/01/01"}, "end": {"2027-03-20"}, "cost": {"۱٬۵۰۰٬۰۰۰٬۰۰۰"}, "reporting": {"quarterly"},
		"approved_by_en": {"IT Executive Council"}, "approved": {"۱۴۰۳/۰۱/۱۵"}, "reference": {"12/1403"},
	}
	if reason != "" {
		v.Set("reason_en", reason)
	}
	return v
}

// TestStaffPlanBaselines: the secretariat approves a first baseline from
// the project page (Jalali and ISO dates), re-baselines with a reason
// (the old one kept); without a reason, or from a stale page, the act is
// refused with the form as posted and nothing is written.
func TestStaffPlanBaselines(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			baselines := func(slug string) []*domain.Baseline {
				t.Helper()
				bs, err := se.svc.Baselines(se.Ctx, service.System, slug)
				if err != nil {
					t.Fatal(err)
				}
				return bs
			}
			// solo-rx has no baseline: the form asks for none's reason.
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), "/staff/projects/solo-rx", lang).CheckPage(t, http.StatusOK, lang)
			}
			page := se.Page(se.SignIn("sec"), "/staff/projects/solo-rx", "en").Text()
			if !strings.Contains(page, `action="/staff/projects/solo-rx/baselines?v=0#baselines"`) ||
				!strings.Contains(page, "Record an approved baseline") || strings.Contains(page, `name="reason_fa"`) {
				t.Errorf("first baseline form:\n%s", scenario.Clip(page[strings.Index(page, `id="baselines"`):]))
			}
			se.Form(se.SignIn("sec"), "/staff/projects/solo-rx/baselines?v=0", baselineValues(""), nil).RedirectsTo(t, "/staff/projects/solo-rx?done=baseline")
			bs := baselines("solo-rx")
			if len(bs) != 1 {
				t.Fatalf("solo-rx baselines: %+v", bs)
			}
			b := bs[0]
			// Jalali 1403/01/01 is 2024-03-20, 1403/01/15 is 2024-04-03.
			if *b.Start != domain.NewDate(2024, 3, 20) || *b.End != domain.NewDate(2027, 3, 20) || *b.Approved != domain.NewDate(2024, 4, 3) ||
				b.Cost != 1_500_000_000 || b.Reporting != domain.Quarterly || b.Reference != "12/1403" || b.RecordedBy != "user:sec" ||
				b.Number != 1 || !b.Current {
				t.Errorf("recorded baseline %+v", b)
			}
			done := se.Page(se.SignIn("sec"), "/staff/projects/solo-rx?done=baseline", "en").Text()
			if !strings.Contains(done, "The baseline is recorded") || !strings.Contains(done, "Re-baseline") ||
				!strings.Contains(done, `action="/staff/projects/solo-rx/baselines?v=1#baselines"`) {
				t.Error("after the first baseline: no notice, or no re-baselining form naming baseline 1")
			}

			// e-rx has baseline 1: re-baselining without a reason is refused,
			// naming the field, with the form as posted; nothing is written.
			page = se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			if !strings.Contains(page, `name="reason_fa"`) || !strings.Contains(page, `action="/staff/projects/e-rx/baselines?v=1#baselines"`) {
				t.Error("no re-baselining form with a reason on e-rx")
			}
			r := se.Form(se.SignIn("sec"), "/staff/projects/e-rx/baselines?v=1&lang=en", baselineValues(""), nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			for _, want := range []string{`id="form-error"`, "re-baselining needs a reason", "Field: reason",
				`id="bl-reason-fa" name="reason_fa" dir="rtl" lang="fa" rows="3" aria-describedby="bl-reason-hint" aria-invalid="true"`,
				`value="1403/01/01"`, `value="12/1403"`, `<option value="quarterly" selected>`} {
				if !strings.Contains(r.Text(), want) {
					t.Errorf("refused re-baselining lacks %q", want)
				}
			}
			fa := se.Form(se.SignIn("sec"), "/staff/projects/e-rx/baselines?v=1&lang=fa", baselineValues(""), nil)
			fa.CheckPage(t, http.StatusUnprocessableEntity, "fa")
			if !strings.Contains(fa.Text(), "بازتعیین خط مبنا به دلیل نیاز دارد") {
				t.Error("the Persian page does not give the refusal in Persian")
			}
			if bs := baselines("e-rx"); len(bs) != 1 {
				t.Fatalf("a refused re-baselining wrote: %+v", bs)
			}
			// A wrong date is refused naming its field.
			bad := baselineValues("scope grew")
			bad.Set("end", "1403/13/01")
			r = se.Form(se.SignIn("sec"), "/staff/projects/e-rx/baselines?v=1&lang=en", bad, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), "Field: end date") || !strings.Contains(r.Text(), `value="1403/13/01"`) {
				t.Errorf("a bad end date:\n%s", scenario.Clip(r.Text()))
			}

			// With a reason: baseline 2 is current, 1 is kept.
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/baselines?v=1", baselineValues("scope grew to pharmacies"), nil).RedirectsTo(t, "/staff/projects/e-rx?done=baseline")
			bs = baselines("e-rx")
			if len(bs) != 2 || bs[0].Number != 2 || !bs[0].Current || bs[0].Reason.EN != "scope grew to pharmacies" ||
				bs[1].Number != 1 || bs[1].Current || bs[1].Cost != 1_000_000_000 {
				t.Fatalf("after re-baselining: %+v", bs)
			}
			page = se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			if !strings.Contains(page, "scope grew to pharmacies") || !strings.Contains(page, "1,000,000,000 IRR") ||
				!strings.Contains(page, "1,500,000,000 IRR") {
				t.Error("the page does not list both baselines")
			}

			// From a stale page (rendered when 1 was current, or before any
			// baseline): refused as stale, nothing written.
			for _, v := range []string{"1", "0"} {
				r = se.Form(se.SignIn("sec"), "/staff/projects/e-rx/baselines?v="+v+"&lang=en", baselineValues("again"), nil)
				r.CheckPage(t, http.StatusPreconditionFailed, "en")
				if !strings.Contains(r.Text(), "The record changed after this page was opened") {
					t.Errorf("stale re-baselining (v=%s):\n%s", v, scenario.Clip(r.Text()))
				}
			}
			if bs := baselines("e-rx"); len(bs) != 2 {
				t.Fatalf("a stale re-baselining wrote: %+v", bs)
			}
		})
	}
}

// TestStaffPlanMilestonesKPIs: the secretariat adds milestones and
// indicators and sees them listed, with what accepted reports later say
// of them (done, overdue; latest value, met or not).
func TestStaffPlanMilestonesKPIs(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			page := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			if !strings.Contains(page, "No milestone is recorded yet.") || !strings.Contains(page, "No indicator is set yet.") {
				t.Error("e-rx should start with no milestones and no indicators")
			}
			past, future := se.Today.AddDays(-3), se.Today.AddDays(90)
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/milestones", url.Values{"title_fa": {"اتصال داروخانه‌ها"},
				"title_en": {"Pharmacies connected"}, "planned": {past.Jalali()}, "weight": {"۳"}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=milestone")
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/milestones", url.Values{"title_en": {"Hospitals connected"},
				"planned": {future.String()}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=milestone")
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/milestones", url.Values{"title_en": {"Clinics connected"},
				"planned": {past.String()}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=milestone")
			ms, err := se.svc.Milestones(se.Ctx, service.System, "e-rx")
			if err != nil || len(ms) != 3 {
				t.Fatalf("milestones %+v %v", ms, err)
			}
			byTitle := map[string]*domain.Milestone{}
			for _, m := range ms {
				byTitle[m.Title.EN] = m
			}
			if m := byTitle["Pharmacies connected"]; m == nil || *m.Planned != past || m.Weight != 3 || m.Title.FA != "اتصال داروخانه‌ها" {
				t.Errorf("first milestone %+v", m)
			}
			if m := byTitle["Hospitals connected"]; m == nil || *m.Planned != future || m.Weight != 1 {
				t.Errorf("second milestone %+v", m)
			}
			// Refusals name the field and write nothing.
			for field, form := range map[string]url.Values{
				"planned date": {"title_en": {"No date"}},
				"title":        {"planned": {future.String()}},
				"weight":       {"title_en": {"Heavy"}, "planned": {future.String()}, "weight": {"5000"}},
			} {
				r := se.Form(se.SignIn("sec"), "/staff/projects/e-rx/milestones?lang=en", form, nil)
				r.CheckPage(t, http.StatusUnprocessableEntity, "en")
				if !strings.Contains(r.Text(), "Field: "+field) || !strings.Contains(r.Text(), `id="form-error"`) {
					t.Errorf("milestone without a good %s:\n%s", field, scenario.Clip(r.Text()))
				}
			}

			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/kpis", url.Values{"name_en": {"Unfilled prescriptions"},
				"name_fa": {"نسخه‌های پیچیده‌نشده"}, "target": {"۹٫۵"}, "unit": {"%"}, "direction": {"down"}, "frequency": {"quarterly"}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=kpi")
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/kpis", url.Values{"name_en": {"Connected pharmacies"},
				"target": {"12,000"}, "direction": {"up"}, "frequency": {"monthly"}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=kpi")
			ks, err := se.svc.KPIs(se.Ctx, service.System, "e-rx")
			if err != nil || len(ks) != 2 {
				t.Fatalf("kpis %+v %v", ks, err)
			}
			byName := map[string]*domain.KPI{}
			for _, k := range ks {
				byName[k.Name.EN] = k
			}
			if k := byName["Unfilled prescriptions"]; k == nil || k.Target != 9.5 || k.Direction != domain.Down || k.Frequency != domain.Quarterly || k.Unit != "%" {
				t.Errorf("first indicator %+v", k)
			}
			if k := byName["Connected pharmacies"]; k == nil || k.Target != 12000 || k.Direction != domain.Up {
				t.Errorf("second indicator %+v", k)
			}
			for field, form := range map[string]url.Values{
				"target":    {"name_en": {"x"}, "target": {"many"}, "direction": {"up"}},
				"direction": {"name_en": {"x"}, "target": {"1"}, "direction": {"sideways"}},
				"name":      {"target": {"1"}, "direction": {"up"}},
			} {
				r := se.Form(se.SignIn("sec"), "/staff/projects/e-rx/kpis?lang=en", form, nil)
				r.CheckPage(t, http.StatusUnprocessableEntity, "en")
				if !strings.Contains(r.Text(), "Field: "+field) {
					t.Errorf("indicator without a good %s:\n%s", field, scenario.Clip(r.Text()))
				}
			}
			if ks, _ := se.svc.KPIs(se.Ctx, service.System, "e-rx"); len(ks) != 2 {
				t.Errorf("a refused indicator wrote: %d", len(ks))
			}

			// An accepted report marks the first milestone done and gives
			// both indicators a value: 8 unfilled (≤ 9.5, met), 9,000
			// pharmacies (< 12,000, not met).
			moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			doneOn := se.Today.AddDays(-1)
			rep := &domain.Report{Project: "e-rx", Period: se.LastMonth.Add(-1), Narrative: domain.T("", "pharmacies are in"),
				Milestones: []domain.MilestoneProgress{{Milestone: byTitle["Pharmacies connected"].ID, Percent: 100, Done: &doneOn}},
				KPIs: []domain.KPIValue{{KPI: byName["Unfilled prescriptions"].ID, Value: 8},
					{KPI: byName["Connected pharmacies"].ID, Value: 9000}}}
			if err := se.svc.CreateReport(se.Ctx, moh, rep); err != nil {
				t.Fatal(err)
			}
			if _, err := se.svc.SubmitReport(se.Ctx, moh, rep.ID, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := se.svc.AcceptReport(se.Ctx, sec, rep.ID, 0, domain.Text{}); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"fa", "en"} {
				se.Page(se.SignIn("sec"), "/staff/projects/e-rx", lang).CheckPage(t, http.StatusOK, lang)
			}
			page = se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			ms0 := section(page, "sp-milestones")
			row := func(s, title string) string {
				i := strings.Index(s, title)
				if i < 0 {
					t.Fatalf("no row %q in\n%s", title, s)
				}
				return s[i : i+strings.Index(s[i:], "</tr>")]
			}
			if r := row(ms0, "Pharmacies connected"); !strings.Contains(r, ">done<") || !strings.Contains(r, doneOn.String()) {
				t.Errorf("done milestone row: %s", r)
			}
			if r := row(ms0, "Clinics connected"); !strings.Contains(r, ">overdue<") {
				t.Errorf("overdue milestone row: %s", r)
			}
			if r := row(ms0, "Hospitals connected"); !strings.Contains(r, ">upcoming<") {
				t.Errorf("upcoming milestone row: %s", r)
			}
			kp := section(page, "sp-kpis")
			if r := row(kp, "Unfilled prescriptions"); !strings.Contains(r, ">met<") || !strings.Contains(r, "lower is better") ||
				!strings.Contains(r, "quarterly") || !strings.Contains(r, "<bdi>8</bdi>") {
				t.Errorf("met indicator row: %s", r)
			}
			if r := row(kp, "Connected pharmacies"); !strings.Contains(r, ">not met<") || !strings.Contains(r, "higher is better") ||
				!strings.Contains(r, "<bdi>9000</bdi>") {
				t.Errorf("unmet indicator row: %s", r)
			}
			// The other language's title is shown beside the page's.
			fa := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "fa").Text()
			if !strings.Contains(section(fa, "sp-milestones"), `<span class="muted small" lang="en" dir="ltr">Pharmacies connected</span>`) {
				t.Error("the Persian page does not show the milestone's English title")
			}
		})
	}
}

// section is the part of a page from the element with the id to the end of
// its section.
func section(page, id string) string {
	i := strings.Index(page, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	s := page[i:]
	if j := strings.Index(s, "</section>"); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestStaffPlanOthers: only the secretariat gets the plan's forms; a post
// from anyone else is refused and writes nothing, and a project the person
// may not see is not found.
func TestStaffPlanOthers(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			forms := []string{`action="/staff/projects/e-rx/baselines`, `action="/staff/projects/e-rx/milestones`, `action="/staff/projects/e-rx/kpis`}
			sec := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			for _, f := range forms {
				if !strings.Contains(sec, f) {
					t.Errorf("the secretariat lacks the form %s", f)
				}
			}
			posts := map[string]url.Values{
				"baselines":  baselineValues("scope grew"),
				"milestones": {"title_en": {"Pharmacies connected"}, "planned": {se.Today.AddDays(30).String()}},
				"kpis":       {"name_en": {"Connected pharmacies"}, "target": {"100"}, "direction": {"up"}},
			}
			for _, who := range []string{"moh-focal", "tax-focal", "reader1", "council1"} {
				page := se.Page(se.SignIn(who), "/staff/projects/e-rx", "en")
				page.CheckPage(t, http.StatusOK, "en")
				for _, f := range forms {
					if strings.Contains(page.Text(), f) {
						t.Errorf("%s gets the form %s", who, f)
					}
				}
				if !strings.Contains(page.Text(), "26/1402") {
					t.Errorf("%s does not see the baselines listed", who)
				}
				for what, form := range posts {
					if r := se.Form(se.SignIn(who), "/staff/projects/e-rx/"+what+"?v=1", form, nil); r.Status != http.StatusForbidden {
						t.Errorf("%s posting %s: %d, want 403", who, what, r.Status)
					}
				}
			}
			// moh is not on secret-rx: it is not found, not forbidden.
			if r := se.Form(se.SignIn("moh-focal"), "/staff/projects/secret-rx/milestones", posts["milestones"], nil); r.Status != http.StatusNotFound {
				t.Errorf("moh posting a milestone on secret-rx: %d, want 404", r.Status)
			}
			// Signed out: to the sign-in page.
			if r := se.Form("", "/staff/projects/e-rx/kpis", posts["kpis"], nil); r.Status != http.StatusSeeOther ||
				!strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("signed out posting: %d to %q", r.Status, r.Header.Get("Location"))
			}
			bs, _ := se.svc.Baselines(se.Ctx, service.System, "e-rx")
			ms, _ := se.svc.Milestones(se.Ctx, service.System, "e-rx")
			ks, _ := se.svc.KPIs(se.Ctx, service.System, "e-rx")
			if len(bs) != 1 || len(ms) != 0 || len(ks) != 0 {
				t.Errorf("refused posts wrote: %d baselines, %d milestones, %d indicators", len(bs), len(ms), len(ks))
			}
		})
	}
}
