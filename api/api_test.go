package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// ---- fixtures ----

func atAgency(code string) map[string]any {
	return map[string]any{"code": code, "name": scenario.Text("دستگاه "+code, "Agency "+code), "kind": "organization"}
}

func atLaw(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "title": scenario.Text("قانون "+slug, "Law "+slug), "number": "42",
		"approving_body": scenario.Text("مجلس", "Parliament"),
		"articles":       []any{map[string]any{"number": "5"}, map[string]any{"number": "7"}},
	}
}

func atTerm(n int) map[string]any {
	return map[string]any{"number": n, "name": scenario.Text("دولت "+strconv.Itoa(n), "Government "+strconv.Itoa(n))}
}

func atProgram(id string, term int, visibility string) map[string]any {
	return map[string]any{
		"id": id, "title": scenario.Text("فهرست "+id, "List "+id), "term": term, "kind": "smart-government-driving",
		"visibility": visibility, "declared_size": 5, "status": "adopted",
		"stages":       []any{map[string]any{"body": "council", "sourced_count": 5, "note": scenario.Text("", "")}},
		"source_notes": scenario.Text("", ""),
	}
}

func atLead(code string) map[string]any { return map[string]any{"agency": code, "role": "lead"} }
func atPart(code string) map[string]any { return map[string]any{"agency": code, "role": "participant"} }

// atProject is a project that meets every designation rule (two agencies,
// one lead, a mandate on a recorded article, a scope and a measurable
// deliverable); mods take it apart.
func atProject(slug string, mods ...func(map[string]any)) map[string]any {
	p := map[string]any{
		"slug":            slug,
		"title":           scenario.Text("سامانه ثبت "+slug, "Registry system "+slug),
		"summary":         scenario.Text("خلاصه", "Summary"),
		"scope":           scenario.Text("ثبت یکپارچه پرونده‌ها", "Integrated registration of files"),
		"kind":            "service",
		"confidentiality": "public",
		"status":          "proposed",
		"agencies":        []any{atLead("ag-one"), atPart("ag-two")},
		"mandates":        []any{map[string]any{"law": "law-x", "article": "5", "note": scenario.Text("", "")}},
		"deliverables": []any{map[string]any{
			"title": scenario.Text("راه‌اندازی", "Launch"), "indicator": scenario.Text("درصد پوشش", "coverage, percent"),
			"target": "100", "due": "2025-03-20",
		}},
		"depends_on": []any{}, "capabilities": []any{}, "predecessors": []any{},
	}
	for _, m := range mods {
		m(p)
	}
	return p
}

func atConfidential(p map[string]any) { p["confidentiality"] = "confidential" }
func atOneAgency(p map[string]any)    { p["agencies"] = []any{atLead("ag-one")} }
func atNoMandate(p map[string]any)    { p["mandates"] = []any{} }
func atLedBy(code, other string) func(map[string]any) {
	return func(p map[string]any) { p["agencies"] = []any{atLead(code), atPart(other)} }
}

// atFixture records a term (20), three agencies, a law with articles 5
// and 7, and a public program (prog-pub).
func atFixture(env *scenario.Server) {
	env.Env.T.Helper()
	env.Create("/api/v1/terms", atTerm(20))
	for _, c := range []string{"ag-one", "ag-two", "ag-three"} {
		env.Create("/api/v1/agencies", atAgency(c))
	}
	env.Create("/api/v1/laws", atLaw("law-x"))
	env.Create("/api/v1/programs", atProgram("prog-pub", 20, "public"))
}

// ---- 1. the reference data ----

func TestAPIReferencePrograms(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		list := env.Must(env.Get("/api/v1/programs", ""), http.StatusOK).Obj(t)
		if list["next_cursor"] != nil {
			t.Errorf("next_cursor = %v, want null", list["next_cursor"])
		}
		items := scenario.Items(t, list)
		want := []struct {
			id                             string
			term, declared, named, active  float64
			confidential                   float64
			sizes                          []float64
			bodies                         []string
			titleFA, titleEN, compFA, comp string
		}{
			{"gov12-egov-priority", 12, 23, 20, 13, 1, []float64{15, 18, 23},
				[]string{"steering-committee", "council", "government-board"},
				"پروژه‌های اولویت‌دار دولت الکترونیک دولت دوازدهم", "E-government priority projects of the 12th government",
				"۲۳ پروژه اعلام‌شده، ۲۰ پروژه با نام ثبت‌شده", "declared 23, 20 named"},
			{"gov13-smart-driving", 13, 20, 2, 2, 0, []float64{20, 20},
				[]string{"steering-committee", "council"},
				"پروژه‌های پیشران هوشمندسازی دولت سیزدهم", "Smart-government driving projects of the 13th government",
				"۲۰ پروژه اعلام‌شده، ۲ پروژه با نام ثبت‌شده", "declared 20, 2 named"},
		}
		if len(items) != len(want) {
			t.Fatalf("%d programs, want %d: %v", len(items), len(want), items)
		}
		for i, w := range want {
			g := items[i]
			if g["id"] != w.id {
				t.Fatalf("program %d is %v, want %s", i, g["id"], w.id)
			}
			for k, v := range map[string]float64{"term": w.term, "declared_size": w.declared, "named_count": w.named,
				"active_count": w.active, "confidential_count": w.confidential} {
				if g[k] != v {
					t.Errorf("%s: %s = %v, want %v", w.id, k, g[k], v)
				}
			}
			if g["visibility"] != "public" {
				t.Errorf("%s: visibility %v", w.id, g["visibility"])
			}
			if got := scenario.Path(t, g, "title"); fmt.Sprint(got) != fmt.Sprint(scenario.Text(w.titleFA, w.titleEN)) {
				t.Errorf("%s: title %v, want fa %q en %q", w.id, got, w.titleFA, w.titleEN)
			}
			if got := scenario.Path(t, g, "completeness"); fmt.Sprint(got) != fmt.Sprint(scenario.Text(w.compFA, w.comp)) {
				t.Errorf("%s: completeness %v, want fa %q en %q", w.id, got, w.compFA, w.comp)
			}
			stages := scenario.Path(t, g, "stages").([]any)
			if len(stages) != len(w.sizes) {
				t.Fatalf("%s: %d stages, want %d", w.id, len(stages), len(w.sizes))
			}
			for j, st := range stages {
				st := st.(map[string]any)
				if st["body"] != w.bodies[j] || st["size"] != w.sizes[j] || st["size_basis"] != "sourced" || st["sourced_count"] != w.sizes[j] {
					t.Errorf("%s stage %d = body %v size %v basis %v sourced %v, want %s %v sourced",
						w.id, j, st["body"], st["size"], st["size_basis"], st["sourced_count"], w.bodies[j], w.sizes[j])
				}
			}
			// The single-record view agrees with the list and carries a versioned ETag.
			one := env.Must(env.Get("/api/v1/programs/"+w.id, ""), http.StatusOK)
			if !atETag.MatchString(one.Header.Get("ETag")) {
				t.Errorf("%s: ETag %q", w.id, one.Header.Get("ETag"))
			}
			if m := one.Obj(t); m["named_count"] != w.named || fmt.Sprint(m["stages"]) != fmt.Sprint(g["stages"]) {
				t.Errorf("%s: single view %v differs from the list's %v", w.id, m, g)
			}
		}
	})
}

func TestAPIReferenceComparison(t *testing.T) {
	doc, err := reference.Document()
	if err != nil {
		t.Fatal(err)
	}
	var secret domain.Project
	for _, p := range doc.Projects {
		if p.Slug == "anti-smuggling" {
			secret = p
		}
	}
	if secret.Confidentiality != domain.Confidential {
		t.Fatalf("the reference data no longer has a confidential anti-smuggling project: %+v", secret)
	}
	leaks := []string{secret.Slug, secret.Title.FA, secret.Title.EN}

	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		const path = "/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving"

		check := func(t *testing.T, token string, wantRemoved map[string]string, hidden float64) map[string]any {
			r := env.Must(env.Get(path, token), http.StatusOK)
			m := r.Obj(t)
			removed := map[string]string{}
			for _, x := range scenario.Path(t, m, "removed").([]any) {
				x := x.(map[string]any)
				removed[x["project"].(string)] = x["reason"].(string)
				if x["project"] == "information-exchange-inquiries" {
					if x["successor"] != "nix" || scenario.Path(t, x, "successor_title", "en") != "National Information Exchange Center" {
						t.Errorf("information-exchange-inquiries: successor %v %v", x["successor"], x["successor_title"])
					}
				}
				if scenario.Path(t, x, "reason_text", "en") == "" || scenario.Path(t, x, "reason_text", "fa") == "" {
					t.Errorf("removed %v has no reason text", x)
				}
			}
			if fmt.Sprint(removed) != fmt.Sprint(wantRemoved) {
				t.Errorf("removed = %v, want %v", removed, wantRemoved)
			}
			evolved := map[string]string{}
			for _, x := range scenario.Path(t, m, "evolved").([]any) {
				x := x.(map[string]any)
				evolved[x["from"].(string)] = x["to"].(string)
			}
			if evolved["e-health"] != "smart-health" || evolved["e-banking"] != "neobank" || len(evolved) != 2 {
				t.Errorf("evolved = %v, want e-health→smart-health and e-banking→neobank", evolved)
			}
			counts := scenario.Path(t, m, "counts").(map[string]any)
			wantCounts := map[string]any{"kept": 0.0, "added": 0.0, "removed": float64(len(wantRemoved)), "evolved": 2.0,
				"unknown": 13.0, "hidden_confidential": hidden}
			if fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
				t.Errorf("counts = %v, want %v", counts, wantCounts)
			}
			if n := len(scenario.Path(t, m, "unknown").([]any)); n != 13 {
				t.Errorf("%d unknown, want 13", n)
			}
			if scenario.Path(t, m, "from", "named_count") != 20.0 || scenario.Path(t, m, "to", "named_count") != 2.0 ||
				scenario.Path(t, m, "from", "declared_size") != 23.0 || scenario.Path(t, m, "to", "declared_size") != 20.0 {
				t.Errorf("sides: from %v, to %v", m["from"], m["to"])
			}
			if scenario.Path(t, m, "completeness", "complete") != false {
				t.Errorf("completeness.complete = true, but 20 of 23 and 2 of 20 are named")
			}
			for _, lang := range []string{"fa", "en"} {
				if s, _ := scenario.Path(t, m, "narrative", lang).(string); len(strings.TrimSpace(s)) < 20 {
					t.Errorf("narrative.%s = %q", lang, s)
				}
			}
			return m
		}

		base := map[string]string{"setad": "completed", "smart-identity": "became-infrastructure",
			"document-validation": "became-infrastructure", "information-exchange-inquiries": "superseded"}
		t.Run("anonymous", func(t *testing.T) {
			check(t, "", base, 1)
			body := string(env.Must(env.Get(path, ""), http.StatusOK).Body)
			for _, s := range leaks {
				if strings.Contains(body, s) {
					t.Errorf("the anonymous comparison names the confidential project (%q)", s)
				}
			}
			// Nor do the other public views.
			members := env.Must(env.Get("/api/v1/programs/gov12-egov-priority/projects", ""), http.StatusOK).Obj(t)
			if n := len(scenario.Items(t, members)); n != 19 || members["hidden_confidential"] != 1.0 {
				t.Errorf("anonymous members: %d items, hidden %v; want 19 and 1", n, members["hidden_confidential"])
			}
			// (Not /api/v1/programs: the reference data's source notes of the
			// 12th government's list name the system, as the seed article does.)
			for _, p := range []string{"/api/v1/programs/gov12-egov-priority/projects", "/api/v1/projects?limit=1000"} {
				body := string(env.Must(env.Get(p, ""), http.StatusOK).Body)
				for _, s := range leaks {
					if strings.Contains(body, s) {
						t.Errorf("GET %s (anonymous) names the confidential project (%q)", p, s)
					}
				}
			}
			env.Get("/api/v1/projects/anti-smuggling", "").Problem(t, http.StatusNotFound)
			env.Get("/api/v1/programs/gov12-egov-priority/members/anti-smuggling/events", "").Problem(t, http.StatusNotFound)
		})
		t.Run("reader", func(t *testing.T) {
			// Staff without the secretariat's clearance do not see it either.
			check(t, env.Env.Token(service.RoleReader, ""), base, 1)
		})
		t.Run("secretariat", func(t *testing.T) {
			all := map[string]string{"anti-smuggling": "confidential"}
			for k, v := range base {
				all[k] = v
			}
			check(t, env.Secretariat(), all, 0)
			body := string(env.Must(env.Get(path, env.Secretariat()), http.StatusOK).Body)
			for _, s := range leaks {
				if !strings.Contains(body, s) {
					t.Errorf("the secretariat's comparison does not name the confidential project (%q)", s)
				}
			}
			members := env.Must(env.Get("/api/v1/programs/gov12-egov-priority/projects", env.Secretariat()), http.StatusOK).Obj(t)
			if n := len(scenario.Items(t, members)); n != 20 || members["hidden_confidential"] != 0.0 {
				t.Errorf("secretariat members: %d items, hidden %v; want 20 and 0", n, members["hidden_confidential"])
			}
			p := env.Must(env.Get("/api/v1/projects/anti-smuggling", env.Secretariat()), http.StatusOK).Obj(t)
			if scenario.Path(t, p, "title", "en") != secret.Title.EN || scenario.Path(t, p, "memberships", 0, "reason") != "confidential" {
				t.Errorf("secretariat view of the confidential project: %v", p)
			}
		})
		t.Run("bad", func(t *testing.T) {
			env.Get("/api/v1/compare?to=gov13-smart-driving", "").Field(t, http.StatusUnprocessableEntity, "from")
			env.Get("/api/v1/compare?from=gov12-egov-priority", "").Field(t, http.StatusUnprocessableEntity, "to")
			env.Get("/api/v1/compare?from=gov12-egov-priority&to=nope", "").Field(t, http.StatusNotFound, "to")
		})
	})
}

// ---- 2. designation ----

func TestAPIDesignation(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		atFixture(env)
		const prog = "/api/v1/programs/prog-pub"
		for _, p := range []map[string]any{
			atProject("one-agency", atOneAgency),
			atProject("no-mandate", atNoMandate),
			atProject("secret", atConfidential),
			atProject("bad-all", atConfidential, atOneAgency, atNoMandate),
			atProject("good"),
		} {
			env.Create("/api/v1/projects", p)
		}
		history := func(t *testing.T, project string) []map[string]any {
			t.Helper()
			return scenario.Items(t, env.Must(env.Get(prog+"/members/"+project+"/events", env.Secretariat()), http.StatusOK).Obj(t))
		}
		counts := func(t *testing.T, named, active, main float64) {
			t.Helper()
			g := env.Must(env.Get(prog, ""), http.StatusOK).Obj(t)
			if g["named_count"] != named || g["active_count"] != active || g["main_count"] != main {
				t.Errorf("counts: named %v active %v main %v; want %v %v %v", g["named_count"], g["active_count"], g["main_count"], named, active, main)
			}
		}

		t.Run("refusals", func(t *testing.T) {
			for _, c := range []struct {
				project string
				rules   []string
				fields  []string
			}{
				{"one-agency", []string{"multi-agency"}, []string{"agencies"}},
				{"no-mandate", []string{"legal-mandate"}, []string{"mandates"}},
				{"secret", []string{"publicly-reportable"}, []string{"confidentiality"}},
				{"bad-all", []string{"legal-mandate", "multi-agency", "publicly-reportable"}, []string{"mandates", "agencies", "confidentiality"}},
			} {
				r := env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": c.project, "main": true})
				p := r.Problem(t, http.StatusUnprocessableEntity)
				if !strings.HasSuffix(p.Type, "/rule-violation") {
					t.Errorf("%s: type %q", c.project, p.Type)
				}
				if got := atRules(p); !slices.Equal(got, c.rules) {
					t.Errorf("%s: rules %v, want %v", c.project, got, c.rules)
				}
				for i, it := range p.Errors {
					if it.Severity != domain.Blocking || it.Message.FA == "" || it.Message.EN == "" || it.Fix == nil || it.Fix.EN == "" {
						t.Errorf("%s: incomplete error %+v", c.project, it)
					}
					if i < len(c.fields) && it.Field != c.fields[i] {
						t.Errorf("%s: error %d names field %q, want %q", c.project, i, it.Field, c.fields[i])
					}
				}
				if h := history(t, c.project); len(h) != 0 {
					t.Errorf("%s: refused designation wrote history %v", c.project, h)
				}
				pr := env.Must(env.Get("/api/v1/projects/"+c.project, env.Secretariat()), http.StatusOK).Obj(t)
				if pr["status"] != "proposed" || len(pr["memberships"].([]any)) != 0 || pr["version"] != 1.0 {
					t.Errorf("%s: refused designation changed the project: %v", c.project, pr)
				}
			}
			counts(t, 0, 0, 0)
			env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": "nope"}).Field(t, http.StatusUnprocessableEntity, "project")
			env.Post(prog+"/members", env.Secretariat(), map[string]any{}).Field(t, http.StatusUnprocessableEntity, "project")
			env.Post("/api/v1/programs/nope/members", env.Secretariat(), map[string]any{"project": "good"}).Problem(t, http.StatusNotFound)
		})

		t.Run("who may designate", func(t *testing.T) {
			body := map[string]any{"project": "good"}
			env.Post(prog+"/members", env.Env.Token(service.RoleAgency, "ag-one"), body).Problem(t, http.StatusForbidden)
			env.Post(prog+"/members", env.Env.Token(service.RoleReader, ""), body).Problem(t, http.StatusForbidden)
			r := env.Post(prog+"/members", "", body)
			r.Problem(t, http.StatusUnauthorized)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %v", r.Header)
			}
			env.Post(prog+"/members", "pishran_not-a-real-token", body).Problem(t, http.StatusUnauthorized)
			env.Do(scenario.Request{Method: "POST", Path: prog + "/members", Body: body,
				Header: map[string]string{"Authorization": "Basic " + env.Secretariat()}}).Problem(t, http.StatusUnauthorized)
			if h := history(t, "good"); len(h) != 0 {
				t.Errorf("a refused caller wrote history %v", h)
			}
		})

		t.Run("lifecycle", func(t *testing.T) {
			r := env.Must(env.Post(prog+"/members", env.Secretariat(), map[string]any{
				"project": "good", "main": true, "stage": "council", "date": "1402/09/19", "note": scenario.Text("تعیین", "designated"),
			}), http.StatusCreated)
			if loc := r.Header.Get("Location"); loc != prog+"/members/good/events" {
				t.Errorf("Location %q", loc)
			}
			d := r.Obj(t)
			ev := d["event"].(map[string]any)
			if ev["type"] != "entered" || ev["date"] != "2023-12-10" || ev["main"] != true || ev["stage"] != "council" ||
				ev["program"] != "prog-pub" || ev["project"] != "good" || ev["recorded_by"] != "token:sec" {
				t.Errorf("entered event %v", ev)
			}
			if w, ok := d["warnings"].([]any); !ok || len(w) != 0 {
				t.Errorf("warnings %v, want []", d["warnings"])
			}
			enteredID := ev["id"].(float64)
			pr := env.Must(env.Get("/api/v1/projects/good", ""), http.StatusOK).Obj(t)
			if pr["status"] != "designated" {
				t.Errorf("designation left the project %v", pr["status"])
			}
			m := scenario.Path(t, pr, "memberships", 0).(map[string]any)
			if m["program"] != "prog-pub" || m["active"] != true || m["main"] != true || m["entered"] != "2023-12-10" {
				t.Errorf("membership after designation: %v", m)
			}
			counts(t, 1, 1, 1)

			p := env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": "good"}).Problem(t, http.StatusUnprocessableEntity)
			if got := atRules(p); !slices.Equal(got, []string{"duplicate"}) {
				t.Errorf("second designation: rules %v, want [duplicate]", got)
			}

			// Leaving: bad requests first, none of which may write.
			env.Post(prog+"/members/good/leave", env.Secretariat(), map[string]any{"reason": "evolved"}).Field(t, http.StatusUnprocessableEntity, "successor")
			env.Post(prog+"/members/good/leave", env.Secretariat(), map[string]any{"reason": "bored"}).Field(t, http.StatusUnprocessableEntity, "reason")
			env.Post(prog+"/members/good/leave", env.Secretariat(), map[string]any{"reason": "completed", "date": "2020-01-01"}).Field(t, http.StatusUnprocessableEntity, "date")
			env.Post(prog+"/members/good/leave", env.Env.Token(service.RoleAgency, "ag-one"), map[string]any{"reason": "completed"}).Problem(t, http.StatusForbidden)
			env.Post(prog+"/members/one-agency/leave", env.Secretariat(), map[string]any{"reason": "completed"}).Problem(t, http.StatusConflict)
			if h := history(t, "good"); len(h) != 1 {
				t.Fatalf("refused departures wrote history: %v", h)
			}

			r = env.Must(env.Post(prog+"/members/good/leave", env.Secretariat(), map[string]any{
				"reason": "completed", "date": "2024-03-01", "note": scenario.Text("تکمیل", "done"),
			}), http.StatusCreated)
			left := r.Obj(t)["event"].(map[string]any)
			if left["type"] != "left" || left["reason"] != "completed" || left["date"] != "2024-03-01" {
				t.Errorf("left event %v", left)
			}
			leftID := left["id"].(float64)
			env.Post(prog+"/members/good/leave", env.Secretariat(), map[string]any{"reason": "completed"}).Problem(t, http.StatusConflict)

			m = scenario.Path(t, env.Must(env.Get("/api/v1/projects/good", ""), http.StatusOK).Obj(t), "memberships", 0).(map[string]any)
			if m["active"] != false || m["reason"] != "completed" || m["left"] != "2024-03-01" || m["entered"] != "2023-12-10" {
				t.Errorf("membership after leaving: %v", m)
			}
			if n := len(scenario.Items(t, env.Must(env.Get(prog+"/projects?active=true", ""), http.StatusOK).Obj(t))); n != 0 {
				t.Errorf("%d active members after leaving", n)
			}
			all := scenario.Items(t, env.Must(env.Get(prog+"/projects", ""), http.StatusOK).Obj(t))
			if len(all) != 1 || all[0]["project"] != "good" || all[0]["active"] != false || all[0]["lead"] != "ag-one" {
				t.Errorf("members after leaving: %v", all)
			}
			counts(t, 1, 0, 0)
			h := history(t, "good")
			if len(h) != 2 || h[0]["type"] != "entered" || h[1]["type"] != "left" || h[0]["id"] != enteredID || h[1]["id"] != leftID {
				t.Fatalf("history after leaving: %v", h)
			}

			// Voiding the departure restores the membership.
			env.Post(prog+"/members/good/events/"+ftoa(leftID)+"/void", env.Secretariat(), map[string]any{}).Field(t, http.StatusUnprocessableEntity, "note")
			env.Post(prog+"/members/good/events/abc/void", env.Secretariat(), map[string]any{"note": scenario.Text("x", "x")}).Field(t, http.StatusBadRequest, "event")
			env.Post(prog+"/members/one-agency/events/"+ftoa(leftID)+"/void", env.Secretariat(), map[string]any{"note": scenario.Text("x", "x")}).Field(t, http.StatusUnprocessableEntity, "voids")
			env.Post(prog+"/members/good/events/"+ftoa(leftID)+"/void", env.Env.Token(service.RoleAgency, "ag-one"), map[string]any{"note": scenario.Text("x", "x")}).Problem(t, http.StatusForbidden)
			r = env.Must(env.Post(prog+"/members/good/events/"+ftoa(leftID)+"/void", env.Secretariat(), map[string]any{"note": scenario.Text("اشتباه", "recorded by mistake")}), http.StatusCreated)
			voided := r.Obj(t)["event"].(map[string]any)
			if voided["type"] != "voided" || voided["voids"] != leftID {
				t.Errorf("voided event %v", voided)
			}
			env.Post(prog+"/members/good/events/"+ftoa(leftID)+"/void", env.Secretariat(), map[string]any{"note": scenario.Text("x", "x")}).Field(t, http.StatusConflict, "voids")
			m = scenario.Path(t, env.Must(env.Get("/api/v1/projects/good", ""), http.StatusOK).Obj(t), "memberships", 0).(map[string]any)
			if m["active"] != true || m["main"] != true || m["reason"] != nil || m["left"] != nil {
				t.Errorf("membership after voiding the departure: %v", m)
			}
			counts(t, 1, 1, 1)
			h = history(t, "good")
			if len(h) != 3 || h[2]["type"] != "voided" || h[2]["voids"] != leftID {
				t.Errorf("history after voiding: %v", h)
			}
			// It is a member again, so designating it is a duplicate.
			p = env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": "good"}).Problem(t, http.StatusUnprocessableEntity)
			if got := atRules(p); !slices.Equal(got, []string{"duplicate"}) {
				t.Errorf("designation after the void: rules %v, want [duplicate]", got)
			}
			// A program with history cannot be deleted, nor a project on it.
			env.Del(prog, env.Secretariat(), env.ETagOf(prog)).Problem(t, http.StatusConflict)
			env.Del("/api/v1/projects/good", env.Secretariat(), env.ETagOf("/api/v1/projects/good")).Problem(t, http.StatusConflict)
		})

		t.Run("restricted program", func(t *testing.T) {
			// A confidential project may join a restricted list; the public
			// sees neither.
			env.Create("/api/v1/programs", atProgram("prog-res", 20, "restricted"))
			r := env.Must(env.Post("/api/v1/programs/prog-res/members", env.Secretariat(), map[string]any{"project": "secret"}), http.StatusCreated)
			if got := scenario.Path(t, r.Obj(t), "event", "type"); got != "entered" {
				t.Errorf("event type %v", got)
			}
			env.Get("/api/v1/programs/prog-res", "").Problem(t, http.StatusNotFound)
			env.Get("/api/v1/programs/prog-res/projects", "").Problem(t, http.StatusNotFound)
			reader := env.Env.Token(service.RoleReader, "")
			m := env.Must(env.Get("/api/v1/programs/prog-res/projects", reader), http.StatusOK).Obj(t)
			if len(scenario.Items(t, m)) != 0 || m["hidden_confidential"] != 1.0 {
				t.Errorf("reader's view of the restricted list: %v", m)
			}
			g := env.Must(env.Get("/api/v1/programs/prog-res", env.Secretariat()), http.StatusOK).Obj(t)
			if g["named_count"] != 1.0 || g["confidential_count"] != 1.0 {
				t.Errorf("restricted list counts: %v", g)
			}
			// Lifting the project's confidentiality moves the count.
			env.Must(env.Put("/api/v1/projects/secret", env.Secretariat(), env.ETagOf("/api/v1/projects/secret"), atProject("secret")), http.StatusOK)
			g = env.Must(env.Get("/api/v1/programs/prog-res", env.Secretariat()), http.StatusOK).Obj(t)
			if g["named_count"] != 1.0 || g["confidential_count"] != 0.0 {
				t.Errorf("counts after lifting confidentiality: %v", g)
			}
			m = env.Must(env.Get("/api/v1/programs/prog-res/projects", reader), http.StatusOK).Obj(t)
			if len(scenario.Items(t, m)) != 1 || m["hidden_confidential"] != 0.0 {
				t.Errorf("reader's view after lifting confidentiality: %v", m)
			}
		})

		t.Run("racing", func(t *testing.T) {
			// Concurrent designations of one project: one wins, the others
			// are duplicates; likewise for departures.
			env.Create("/api/v1/projects", atProject("racer"))
			race := func(path string, body any) []int {
				codes := make([]int, 8)
				var wg sync.WaitGroup
				for i := range codes {
					wg.Add(1)
					go func() { defer wg.Done(); codes[i] = env.Post(path, env.Secretariat(), body).Status }()
				}
				wg.Wait()
				slices.Sort(codes)
				return codes
			}
			if got := race(prog+"/members", map[string]any{"project": "racer"}); !slices.Equal(got, []int{201, 422, 422, 422, 422, 422, 422, 422}) {
				t.Errorf("racing designations answered %v", got)
			}
			if got := race(prog+"/members/racer/leave", map[string]any{"reason": "completed"}); !slices.Equal(got, []int{201, 409, 409, 409, 409, 409, 409, 409}) {
				t.Errorf("racing departures answered %v", got)
			}
			if h := history(t, "racer"); len(h) != 2 {
				t.Errorf("history after the races: %v", h)
			}
		})
	})
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ---- 3. CRUD and concurrency ----

// atResource is one record type for the CRUD table.
type atResource struct {
	name, path, key string
	keyField        string // the body's member holding the key
	body            map[string]any
	text            string // a {fa, en} field the update changes
}

func TestAPICRUD(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		resources := []atResource{
			{"term", "/api/v1/terms", "21", "number", atTerm(21), "name"},
			{"agency", "/api/v1/agencies", "ag-one", "code", atAgency("ag-one"), "name"},
			{"agency2", "/api/v1/agencies", "ag-two", "code", atAgency("ag-two"), "name"},
			{"law", "/api/v1/laws", "law-x", "slug", atLaw("law-x"), "title"},
			{"project", "/api/v1/projects", "proj-a", "slug", atProject("proj-a"), "title"},
			{"program", "/api/v1/programs", "prog-a", "id", atProgram("prog-a", 21, "restricted"), "title"},
		}
		for _, res := range resources {
			t.Run(res.name, func(t *testing.T) {
				one := res.path + "/" + res.key
				env.Get(one, env.Secretariat()).Problem(t, http.StatusNotFound)
				r := env.Must(env.Post(res.path, env.Secretariat(), res.body), http.StatusCreated)
				if loc := r.Header.Get("Location"); loc != one {
					t.Errorf("Location %q, want %q", loc, one)
				}
				created := r.Obj(t)
				if created["version"] != 1.0 || created["created_at"] == nil || created["created_at"] != created["updated_at"] {
					t.Errorf("created %v", created)
				}
				etag1 := r.Header.Get("ETag")
				if m := atETag.FindStringSubmatch(etag1); m == nil || m[1] != "1" {
					t.Fatalf("ETag %q after create", etag1)
				}
				r = env.Must(env.Get(one, env.Secretariat()), http.StatusOK)
				if r.Header.Get("ETag") != etag1 || !bytes.Equal(r.Body, env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Body) {
					t.Errorf("GET ETag %q differs from the create's %q", r.Header.Get("ETag"), etag1)
				}
				// Conditional GET.
				r = env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": etag1}})
				if r.Status != http.StatusNotModified || len(r.Body) != 0 || r.Header.Get("ETag") != etag1 {
					t.Errorf("If-None-Match current: %s", r)
				}
				r = env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": `"v1-0000000000000000", ` + etag1}})
				if r.Status != http.StatusNotModified {
					t.Errorf("If-None-Match list: %s", r)
				}
				env.Must(env.Do(scenario.Request{Method: "GET", Path: one, Token: env.Secretariat(), Header: map[string]string{"If-None-Match": `"v1-0000000000000000"`}}), http.StatusOK)

				edit := func(label string) map[string]any {
					b := map[string]any{}
					for k, v := range res.body {
						b[k] = v
					}
					b[res.text] = scenario.Text("ویرایش "+label, "edited "+label)
					return b
				}
				// Preconditions.
				env.Put(one, env.Secretariat(), "", edit("x")).Field(t, http.StatusPreconditionRequired, "If-Match")
				env.Put(one, env.Secretariat(), `"garbage"`, edit("x")).Field(t, http.StatusPreconditionFailed, "If-Match")
				env.Put(one, "", etag1, edit("x")).Problem(t, http.StatusUnauthorized)
				env.Put(one, env.Env.Token(service.RoleReader, ""), etag1, edit("x")).Problem(t, http.StatusForbidden)

				// Two writers with the same ETag: the first wins, the second is stale.
				r = env.Must(env.Put(one, env.Secretariat(), etag1, edit("first")), http.StatusOK)
				etag2 := r.Header.Get("ETag")
				if m := atETag.FindStringSubmatch(etag2); m == nil || m[1] != "2" {
					t.Errorf("ETag %q after the first update", etag2)
				}
				if got := r.Obj(t); got["version"] != 2.0 || scenario.Path(t, got, res.text, "en") != "edited first" {
					t.Errorf("after the first update: %v", got)
				}
				p := env.Put(one, env.Secretariat(), etag1, edit("second")).Problem(t, http.StatusPreconditionFailed)
				if !strings.HasSuffix(p.Type, "/stale") {
					t.Errorf("stale write: type %q", p.Type)
				}
				got := env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Obj(t)
				if got["version"] != 2.0 || scenario.Path(t, got, res.text, "en") != "edited first" {
					t.Errorf("the stale write changed the record: %v", got)
				}
				// The key in the body must agree with the URL.
				b := edit("third")
				if res.keyField == "number" {
					b[res.keyField] = 99
				} else {
					b[res.keyField] = "other-key"
				}
				env.Put(one, env.Secretariat(), etag2, b).Field(t, http.StatusBadRequest, res.keyField)
				// Racing writers: exactly one of several wins. (They leave the key
				// out of the body, which is fine: the URL names the record.)
				var wg sync.WaitGroup
				codes := make([]int, 6)
				for i := range codes {
					wg.Add(1)
					go func() {
						defer wg.Done()
						b := edit("race " + strconv.Itoa(i))
						delete(b, res.keyField)
						codes[i] = env.Put(one, env.Secretariat(), etag2, b).Status
					}()
				}
				wg.Wait()
				won := 0
				for _, c := range codes {
					switch c {
					case http.StatusOK:
						won++
					case http.StatusPreconditionFailed:
					default:
						t.Errorf("racing PUT answered %d", c)
					}
				}
				if won != 1 {
					t.Errorf("%d racing writers won (%v), want exactly 1", won, codes)
				}
				if got := env.Must(env.Get(one, env.Secretariat()), http.StatusOK).Obj(t); got["version"] != 3.0 {
					t.Errorf("version %v after the race, want 3", got["version"])
				}
			})
		}
		// Listing shows what was made.
		for _, res := range resources {
			if res.name == "agency2" {
				continue
			}
			items := scenario.Items(t, env.Must(env.Get(res.path, env.Secretariat()), http.StatusOK).Obj(t))
			if res.name == "agency" && len(items) != 2 || res.name != "agency" && len(items) != 1 {
				t.Errorf("GET %s: %d items", res.path, len(items))
			}
		}

		t.Run("delete", func(t *testing.T) {
			// Referenced records cannot go.
			for _, p := range []string{"/api/v1/agencies/ag-one", "/api/v1/agencies/ag-two", "/api/v1/laws/law-x", "/api/v1/terms/21"} {
				env.Del(p, env.Secretariat(), env.ETagOf(p)).Problem(t, http.StatusConflict)
				env.Must(env.Get(p, env.Secretariat()), http.StatusOK)
			}
			// Deleting needs a token, the secretariat and the current version.
			for i := len(resources) - 1; i >= 0; i-- {
				one := resources[i].path + "/" + resources[i].key
				etag := env.ETagOf(one)
				env.Del(one, env.Secretariat(), "").Field(t, http.StatusPreconditionRequired, "If-Match")
				env.Del(one, env.Secretariat(), `"v1-0000000000000000"`).Problem(t, http.StatusPreconditionFailed)
				env.Del(one, "", etag).Problem(t, http.StatusUnauthorized)
				env.Del(one, env.Env.Token(service.RoleReader, ""), etag).Problem(t, http.StatusForbidden)
				r := env.Del(one, env.Secretariat(), etag)
				if r.Status != http.StatusNoContent || len(r.Body) != 0 {
					t.Fatalf("delete %s: %s", one, r)
				}
				env.Get(one, env.Secretariat()).Problem(t, http.StatusNotFound)
				env.Del(one, env.Secretariat(), etag).Problem(t, http.StatusNotFound)
				env.Put(one, env.Secretariat(), etag, resources[i].body).Problem(t, http.StatusNotFound)
			}
		})
	})
}

func TestAPIAgencyRole(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		atFixture(env)
		env.Create("/api/v1/projects", atProject("mine"))                                                        // ag-one leads, ag-two takes part
		env.Create("/api/v1/projects", atProject("theirs", atLedBy("ag-two", "ag-one")))                         // ag-two leads, ag-one takes part
		env.Create("/api/v1/projects", atProject("their-secret", atConfidential, atLedBy("ag-two", "ag-three"))) // ag-one not on it
		env.Create("/api/v1/projects", atProject("shared-secret", atConfidential, atLedBy("ag-two", "ag-one")))  // ag-one takes part
		ag := env.Env.Token(service.RoleAgency, "ag-one")

		// Its own project: may edit, but must keep leading it.
		etag := env.ETagOf("/api/v1/projects/mine")
		upd := atProject("mine", func(p map[string]any) { p["summary"] = scenario.Text("به‌روز", "updated by the agency") })
		r := env.Must(env.Put("/api/v1/projects/mine", ag, etag, upd), http.StatusOK)
		if got := r.Obj(t); scenario.Path(t, got, "summary", "en") != "updated by the agency" || got["version"] != 2.0 {
			t.Errorf("agency update: %v", got)
		}
		giveAway := atProject("mine", atLedBy("ag-two", "ag-one"))
		env.Put("/api/v1/projects/mine", ag, r.Header.Get("ETag"), giveAway).Problem(t, http.StatusForbidden)

		// Another agency's project, even one it takes part in: forbidden.
		etag = env.ETagOf("/api/v1/projects/theirs")
		env.Put("/api/v1/projects/theirs", ag, etag, atProject("theirs", atLedBy("ag-two", "ag-one"))).Problem(t, http.StatusForbidden)
		env.Put("/api/v1/projects/theirs", ag, etag, atProject("theirs", atLedBy("ag-one", "ag-two"))).Problem(t, http.StatusForbidden)
		env.Del("/api/v1/projects/mine", ag, env.ETagOf("/api/v1/projects/mine")).Problem(t, http.StatusForbidden)
		if got := env.Must(env.Get("/api/v1/projects/theirs", ag), http.StatusOK).Obj(t); got["version"] != 1.0 {
			t.Errorf("a refused agency edit changed the project: %v", got)
		}

		// A confidential project of another agency does not exist for it.
		env.Get("/api/v1/projects/their-secret", ag).Problem(t, http.StatusNotFound)
		env.Get("/api/v1/projects/their-secret", "").Problem(t, http.StatusNotFound)
		env.Put("/api/v1/projects/their-secret", ag, env.ETagOf("/api/v1/projects/their-secret"),
			atProject("their-secret", atConfidential, atLedBy("ag-two", "ag-three"))).Problem(t, http.StatusNotFound)
		env.Must(env.Get("/api/v1/projects/their-secret", env.Secretariat()), http.StatusOK)
		// One it takes part in is visible to it, not to the public.
		env.Must(env.Get("/api/v1/projects/shared-secret", ag), http.StatusOK)
		env.Get("/api/v1/projects/shared-secret", "").Problem(t, http.StatusNotFound)
		slugsOf := func(token string) []string {
			var out []string
			for _, p := range scenario.Items(t, env.Must(env.Get("/api/v1/projects", token), http.StatusOK).Obj(t)) {
				out = append(out, p["slug"].(string))
			}
			return out
		}
		if got := slugsOf(ag); !slices.Equal(got, []string{"mine", "shared-secret", "theirs"}) {
			t.Errorf("agency sees %v", got)
		}
		if got := slugsOf(""); !slices.Equal(got, []string{"mine", "theirs"}) {
			t.Errorf("public sees %v", got)
		}
		if got := slugsOf(env.Secretariat()); len(got) != 4 {
			t.Errorf("secretariat sees %v", got)
		}

		// It may record a project it leads, not one another agency leads.
		env.Must(env.Post("/api/v1/projects", ag, atProject("new-mine")), http.StatusCreated)
		env.Post("/api/v1/projects", ag, atProject("new-theirs", atLedBy("ag-two", "ag-one"))).Problem(t, http.StatusForbidden)
		env.Get("/api/v1/projects/new-theirs", env.Secretariat()).Problem(t, http.StatusNotFound)
		// It may edit its own agency record only, and none of the secretariat's records.
		a := atAgency("ag-one")
		a["name"] = scenario.Text("نام تازه", "New name")
		env.Must(env.Put("/api/v1/agencies/ag-one", ag, env.ETagOf("/api/v1/agencies/ag-one"), a), http.StatusOK)
		env.Put("/api/v1/agencies/ag-two", ag, env.ETagOf("/api/v1/agencies/ag-two"), atAgency("ag-two")).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/laws", ag, atLaw("law-y")).Problem(t, http.StatusForbidden)
		env.Post("/api/v1/programs", ag, atProgram("prog-y", 20, "public")).Problem(t, http.StatusForbidden)
	})
}

// ---- 4. bad input ----

func TestAPIBadInput(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		atFixture(env)
		absent := func(t *testing.T, path string) {
			t.Helper()
			env.Get(path, env.Secretariat()).Problem(t, http.StatusNotFound)
		}
		post := func(path string, body any) *scenario.Response { return env.Post(path, env.Secretariat(), body) }

		t.Run("malformed", func(t *testing.T) {
			for _, b := range []string{`{"code": "bad-1" "name": {}}`, `{"code": "bad-1",`, `{"code": 'bad-1'}`, `{"code":"bad-1"} {"code":"bad-2"}`} {
				p := post("/api/v1/agencies", b).Problem(t, http.StatusBadRequest)
				if p.Detail == "" {
					t.Errorf("%s: no detail", b)
				}
			}
			post("/api/v1/agencies", "").Problem(t, http.StatusBadRequest)
			absent(t, "/api/v1/agencies/bad-1")
			absent(t, "/api/v1/agencies/bad-2")
		})
		t.Run("unknown field", func(t *testing.T) {
			a := atAgency("bad-3")
			a["colour"] = "red"
			post("/api/v1/agencies", a).Field(t, http.StatusBadRequest, "colour")
			absent(t, "/api/v1/agencies/bad-3")
			// On update too: nothing changes.
			b := atAgency("ag-one")
			b["name"], b["colour"] = scenario.Text("x", "changed"), "red"
			env.Put("/api/v1/agencies/ag-one", env.Secretariat(), env.ETagOf("/api/v1/agencies/ag-one"), b).Field(t, http.StatusBadRequest, "colour")
			if got := env.Must(env.Get("/api/v1/agencies/ag-one", ""), http.StatusOK).Obj(t); got["version"] != 1.0 || scenario.Path(t, got, "name", "en") != "Agency ag-one" {
				t.Errorf("a refused update changed the agency: %v", got)
			}
		})
		t.Run("wrong type", func(t *testing.T) {
			for _, c := range []struct {
				path, field string
				body        map[string]any
			}{
				{"/api/v1/agencies", "kind", map[string]any{"code": "bad-4", "name": scenario.Text("a", "b"), "kind": 5}},
				{"/api/v1/agencies", "name.fa", map[string]any{"code": "bad-4", "name": map[string]any{"fa": 5}, "kind": "ministry"}},
				{"/api/v1/terms", "number", map[string]any{"number": "twelve", "name": scenario.Text("a", "b")}},
				{"/api/v1/projects", "agencies", atProject("bad-4", func(p map[string]any) { p["agencies"] = "ag-one" })},
				{"/api/v1/programs", "declared_size", func() map[string]any { g := atProgram("bad-4", 20, "public"); g["declared_size"] = "23"; return g }()},
			} {
				post(c.path, c.body).Field(t, http.StatusBadRequest, c.field)
			}
			absent(t, "/api/v1/agencies/bad-4")
			absent(t, "/api/v1/projects/bad-4")
			absent(t, "/api/v1/programs/bad-4")
			if n := len(scenario.Items(t, env.Must(env.Get("/api/v1/terms", ""), http.StatusOK).Obj(t))); n != 1 {
				t.Errorf("%d terms after refused writes, want 1", n)
			}
		})
		t.Run("dates", func(t *testing.T) {
			term := atTerm(30)
			term["start"] = "2023-02-30"
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			term["start"] = "1402/13/01"
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			term["start"], term["end"] = "2021-08-03", "1402/12/30" // 1402 is not a leap year
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "end")
			term["start"], term["end"] = 20210803, nil
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			absent(t, "/api/v1/terms/30")
			law := atLaw("bad-law")
			law["approved"] = "1402/13/01"
			post("/api/v1/laws", law).Field(t, http.StatusBadRequest, "approved")
			absent(t, "/api/v1/laws/bad-law")
			pr := atProject("bad-date", func(p map[string]any) {
				p["deliverables"] = []any{map[string]any{"title": scenario.Text("a", "b"), "indicator": scenario.Text("a", "b"), "target": "1", "due": "2023-02-30"}}
			})
			post("/api/v1/projects", pr).Field(t, http.StatusBadRequest, "deliverables[0].due")
			absent(t, "/api/v1/projects/bad-date")
			g := atProgram("bad-date", 20, "public")
			g["stages"] = []any{map[string]any{"body": "council", "date": "1402/13/01", "note": scenario.Text("", "")}}
			post("/api/v1/programs", g).Field(t, http.StatusBadRequest, "stages[0].date")
			absent(t, "/api/v1/programs/bad-date")

			// Jalali dates are taken, in Latin or Persian digits, and kept in ISO form.
			law = atLaw("jalali-law")
			law["approved"] = "1402/09/19"
			got := env.Must(post("/api/v1/laws", law), http.StatusCreated).Obj(t)
			if got["approved"] != "2023-12-10" {
				t.Errorf("approved 1402/09/19 stored as %v, want 2023-12-10", got["approved"])
			}
			if got := env.Must(env.Get("/api/v1/laws/jalali-law", ""), http.StatusOK).Obj(t); got["approved"] != "2023-12-10" {
				t.Errorf("approved read back as %v", got["approved"])
			}
			term = atTerm(31)
			term["start"], term["end"] = "۱۴۰۰/۰۵/۱۲", "2024-05-19"
			got = env.Must(post("/api/v1/terms", term), http.StatusCreated).Obj(t)
			if got["start"] != "2021-08-03" || got["end"] != "2024-05-19" {
				t.Errorf("term dates stored as %v – %v", got["start"], got["end"])
			}
		})
		t.Run("too large", func(t *testing.T) {
			a := atAgency("big")
			a["name"] = scenario.Text(strings.Repeat("a", api1MiB), "b")
			post("/api/v1/agencies", a).Problem(t, http.StatusRequestEntityTooLarge)
			absent(t, "/api/v1/agencies/big")
		})
		t.Run("invalid utf-8", func(t *testing.T) {
			post("/api/v1/agencies", []byte("{\"code\":\"bad-5\",\"name\":{\"fa\":\"\xff\xfe\",\"en\":\"b\"},\"kind\":\"ministry\"}")).Problem(t, http.StatusBadRequest)
			absent(t, "/api/v1/agencies/bad-5")
		})
		t.Run("NUL characters", func(t *testing.T) {
			// PostgreSQL cannot store NUL in text; every engine refuses it alike.
			for _, c := range []struct {
				field string
				mod   func(map[string]any)
			}{
				{"title.fa", func(p map[string]any) { p["title"] = scenario.Text("a\u0000b", "x") }},
				{"agencies[0].note.en", func(p map[string]any) {
					p["agencies"] = []any{map[string]any{"agency": "ag-one", "role": "lead", "note": scenario.Text("", "\u0000")}, atPart("ag-two")}
				}},
				{"mandates[0].article", func(p map[string]any) { p["mandates"] = []any{map[string]any{"law": "law-x", "article": "5\u0000"}} }},
			} {
				post("/api/v1/projects", atProject("nul", c.mod)).Field(t, http.StatusBadRequest, c.field)
			}
			absent(t, "/api/v1/projects/nul")
			// An escaped backslash before "u0000" is no NUL.
			a := atAgency("not-nul")
			a["name"] = scenario.Text("", `back\u0000slash`)
			if got := env.Must(post("/api/v1/agencies", a), http.StatusCreated).Obj(t); scenario.Path(t, got, "name", "en") != `back\u0000slash` {
				t.Errorf("name stored as %v", got["name"])
			}
		})
		t.Run("content type", func(t *testing.T) {
			r := env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Token: env.Secretariat(), Body: atAgency("bad-6"),
				Header: map[string]string{"Content-Type": "text/plain"}})
			r.Field(t, http.StatusUnsupportedMediaType, "Content-Type")
			absent(t, "/api/v1/agencies/bad-6")
		})
		t.Run("invalid values", func(t *testing.T) {
			a := atAgency("Bad Code")
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "code")
			a = atAgency("bad-7")
			a["kind"] = "ministryy"
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "kind")
			a["kind"], a["parent"] = "ministry", "nope"
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "parent")
			absent(t, "/api/v1/agencies/bad-7")
			post("/api/v1/projects", atProject("bad-7", func(p map[string]any) {
				p["agencies"] = []any{atLead("ag-one"), map[string]any{"agency": "ag-two", "role": "boss"}}
			})).Field(t, http.StatusUnprocessableEntity, "agencies[1].role")
			post("/api/v1/projects", atProject("bad-7", func(p map[string]any) { p["title"] = scenario.Text(" ", "") })).Field(t, http.StatusUnprocessableEntity, "title")
			absent(t, "/api/v1/projects/bad-7")
		})
		t.Run("duplicates", func(t *testing.T) {
			post("/api/v1/agencies", atAgency("ag-one")).Field(t, http.StatusConflict, "code")
			post("/api/v1/laws", atLaw("law-x")).Field(t, http.StatusConflict, "slug")
			post("/api/v1/terms", atTerm(20)).Field(t, http.StatusConflict, "number")
			post("/api/v1/programs", atProgram("prog-pub", 20, "public")).Field(t, http.StatusConflict, "id")
			env.Create("/api/v1/projects", atProject("dup"))
			changed := atProject("dup", func(p map[string]any) { p["title"] = scenario.Text("دیگر", "another") })
			post("/api/v1/projects", changed).Field(t, http.StatusConflict, "slug")
			if got := env.Must(env.Get("/api/v1/projects/dup", ""), http.StatusOK).Obj(t); got["version"] != 1.0 || scenario.Path(t, got, "title", "en") != "Registry system dup" {
				t.Errorf("a duplicate create changed the project: %v", got)
			}
		})
		t.Run("dangling references", func(t *testing.T) {
			post("/api/v1/projects", atProject("dangle", atLedBy("nope", "ag-one"))).Field(t, http.StatusUnprocessableEntity, "agencies[0].agency")
			post("/api/v1/projects", atProject("dangle", func(p map[string]any) {
				p["mandates"] = []any{map[string]any{"law": "law-x", "article": "5"}, map[string]any{"law": "no-law", "article": "1"}}
			})).Field(t, http.StatusUnprocessableEntity, "mandates[1].law")
			post("/api/v1/projects", atProject("dangle", func(p map[string]any) { p["depends_on"] = []any{"nope"} })).Field(t, http.StatusUnprocessableEntity, "depends_on[0]")
			post("/api/v1/projects", atProject("dangle", func(p map[string]any) {
				p["predecessors"] = []any{map[string]any{"project": "nope", "kind": "evolved", "note": scenario.Text("", "")}}
			})).Field(t, http.StatusUnprocessableEntity, "predecessors[0].project")
			// Naming a project twice is the caller's mistake, named like one.
			env.Create("/api/v1/projects", atProject("base"))
			post("/api/v1/projects", atProject("dangle", func(p map[string]any) { p["depends_on"] = []any{"base", "base"} })).Field(t, http.StatusUnprocessableEntity, "depends_on[1]")
			post("/api/v1/projects", atProject("dangle", func(p map[string]any) {
				p["predecessors"] = []any{map[string]any{"project": "base", "kind": "evolved"}, map[string]any{"project": "base", "kind": "renamed"}}
			})).Field(t, http.StatusUnprocessableEntity, "predecessors[1].project")
			absent(t, "/api/v1/projects/dangle")
			post("/api/v1/programs", atProgram("dangle", 99, "public")).Field(t, http.StatusUnprocessableEntity, "term")
			g := atProgram("dangle", 20, "public")
			g["candidates"] = []any{"nope"}
			post("/api/v1/programs", g).Field(t, http.StatusUnprocessableEntity, "candidates[0]")
			absent(t, "/api/v1/programs/dangle")
			// An update naming an unknown agency leaves the project as it was.
			env.Create("/api/v1/projects", atProject("linked"))
			env.Put("/api/v1/projects/linked", env.Secretariat(), env.ETagOf("/api/v1/projects/linked"),
				atProject("linked", atLedBy("ag-one", "nope"))).Field(t, http.StatusUnprocessableEntity, "agencies[1].agency")
			got := env.Must(env.Get("/api/v1/projects/linked", ""), http.StatusOK).Obj(t)
			if got["version"] != 1.0 || len(got["agencies"].([]any)) != 2 || scenario.Path(t, got, "agencies", 1, "agency") != "ag-two" {
				t.Errorf("a refused update changed the project: %v", got)
			}
		})
		t.Run("query parameters", func(t *testing.T) {
			for _, c := range []struct{ query, field string }{
				{"limit=0", "limit"}, {"limit=abc", "limit"}, {"limit=-1", "limit"}, {"limit=1001", "limit"},
				{"cursor=!!!", "cursor"}, {"cursor=" + url.QueryEscape("a b"), "cursor"},
			} {
				for _, p := range []string{"/api/v1/agencies", "/api/v1/terms", "/api/v1/projects", "/api/v1/programs/prog-pub/projects"} {
					env.Get(p+"?"+c.query, "").Field(t, http.StatusBadRequest, c.field)
				}
			}
			env.Get("/api/v1/projects?kind=gadget", "").Field(t, http.StatusBadRequest, "kind")
			env.Get("/api/v1/projects?status=asleep", "").Field(t, http.StatusBadRequest, "status")
			env.Get("/api/v1/projects?agency=Not%20A%20Code", "").Field(t, http.StatusBadRequest, "agency")
			env.Get("/api/v1/programs/prog-pub/projects?active=maybe", "").Field(t, http.StatusBadRequest, "active")
			env.Get("/api/v1/terms/abc", "").Field(t, http.StatusBadRequest, "number")
			env.Get("/api/v1/programs/prog-pub/preview", env.Secretariat()).Field(t, http.StatusBadRequest, "project")
			// A cursor that decodes to bytes no key can hold is refused, not a server error.
			for _, raw := range []string{"\x00", "\xff\xfe", "a\x00b"} {
				c := base64.RawURLEncoding.EncodeToString([]byte(raw))
				for _, p := range []string{"/api/v1/agencies", "/api/v1/laws", "/api/v1/projects", "/api/v1/programs", "/api/v1/programs/prog-pub/projects"} {
					if r := env.Get(p+"?cursor="+c, ""); r.Status != http.StatusBadRequest && r.Status != http.StatusOK {
						t.Errorf("GET %s?cursor=%q: %s", p, raw, r)
					}
				}
			}
			env.Get("/api/v1/nothing-here", "").Problem(t, http.StatusNotFound)
		})
		t.Run("never a server error", func(t *testing.T) {
			atGarbage(t, env)
		})
	})
}

const api1MiB = 1 << 20

// atGarbageBodies are request bodies that no route should answer with a
// server error.
var atGarbageBodies = []string{
	"", " ", "null", "true", "0", "-1", "1e999", `"x"`, "[]", "{}", "[{}]", `{"":""}`,
	"{", "}", `{"a":}`, `{"a" 1}`, `{"slug":"x"}{"slug":"y"}`, `{"slug":"x"} trailing`,
	"\xff\xfe", "\xef\xbb\xbf{}", `{"slug":"\ud800"}`,
	strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
	strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
	`{"number":99999999999999999999999}`, `{"number":-5}`, `{"number":1.5}`, `{"number":"12"}`, `{"number":1e3}`,
	`{"title":null,"name":null,"agencies":null,"stages":null,"mandates":null,"deliverables":null}`,
	`{"title":"flat","name":"flat","note":"flat"}`, `{"title":{"fa":1}}`, `{"title":{"fa":"a","en":"b","de":"c"}}`,
	`{"agencies":[null,1,"x",{"agency":null}]}`, `{"mandates":[{"law":"law-x","article":""}]}`,
	`{"stages":[{"body":"council","passed":["nope"],"sourced_count":-1}]}`, `{"stages":[null]}`,
	`{"declared_size":1e10}`, `{"declared_size":-1}`, `{"start":"2023-02-30"}`, `{"start":5}`, `{"date":"۱۴۰۲/۱۳/۰۱"}`,
	`{"approved":"13/13/13"}`, `{"deliverables":[{"due":"x"}]}`, `{"date":"9999-12-31"}`, `{"date":"3000/12/30"}`,
	`{"project":"nope"}`, `{"project":"good","date":"2023-02-30"}`, `{"project":"good","stage":"cabinet"}`,
	`{"reason":"nope"}`, `{"reason":"evolved"}`, `{"reason":"other"}`, `{"reason":"evolved","successor":"good"}`,
	`{"reason":"merged","successor":"nope"}`, `{"note":"flat"}`, `{"note":{"fa":"","en":""}}`,
	`{"predecessors":[{"project":"x","kind":"evolved"}]}`, `{"depends_on":["good","good"]}`, `{"capabilities":["a","a"]}`,
	`{"parent":"ag-one","code":"ag-one"}`, `{"sources":[{"ref":""}]}`, `{"sources":[{"ref":"x","confidence":"total"}]}`,
	`{"version":5,"created_at":"yesterday"}`, `{"created_at":"2023-12-10T00:00:00Z","version":-1}`,
	`{"slug":"` + strings.Repeat("a", 5000) + `"}`, `{"title":{"fa":"` + strings.Repeat("ب", 20000) + `","en":""}}`,
	`{"title":{"fa":"nul\u0000byte","en":"x"},"name":{"fa":"nul\u0000","en":"x"},"note":{"fa":"\u0000","en":""}}`,
}

// atGarbage sends every garbage body, and some near-valid records, to every
// POST and PUT route of the API, and requires a client error, never a
// server error.
func atGarbage(t *testing.T, env *scenario.Server) {
	env.Create("/api/v1/projects", atProject("good"))
	ev := env.Must(env.Post("/api/v1/programs/prog-pub/members", env.Secretariat(), map[string]any{"project": "good"}), http.StatusCreated).Obj(t)
	eventID := ftoa(scenario.Path(t, ev, "event", "id").(float64))
	values := map[string]string{"number": "20", "code": "ag-one", "id": "prog-pub", "project": "good", "event": eventID}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	valid := map[string]map[string]any{
		"/api/v1/terms": atTerm(20), "/api/v1/agencies": atAgency("ag-one"), "/api/v1/laws": atLaw("law-x"),
		"/api/v1/projects": atProject("good"), "/api/v1/programs": atProgram("prog-pub", 20, "public"),
	}
	routes := 0
	for _, rt := range env.API.Routes() {
		if rt.Method != "POST" && rt.Method != "PUT" {
			continue
		}
		routes++
		path := rt.Pattern
		for k, v := range values {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		if strings.HasPrefix(path, "/api/v1/laws/") {
			path = strings.ReplaceAll(path, "{slug}", "law-x")
		}
		path = strings.ReplaceAll(path, "{slug}", "good")
		path = param.ReplaceAllString(path, "1") // routes this test does not know yet
		bodies := slices.Clone(atGarbageBodies)
		// Near-valid records: a valid one with each field nulled, or of the wrong shape.
		for prefix, rec := range valid {
			if !strings.HasPrefix(path, prefix) || strings.Count(path, "/") > 5 {
				continue
			}
			for k := range rec {
				for _, bad := range []any{nil, 0, "x", "x\u0000", []any{}, map[string]any{}, []any{nil}, []any{"\u0000"}} {
					b := map[string]any{}
					for k2, v2 := range rec {
						b[k2] = v2
					}
					b[k] = bad
					j, _ := json.Marshal(b)
					bodies = append(bodies, string(j))
				}
			}
		}
		for _, body := range bodies {
			h := map[string]string{}
			if rt.Method == "PUT" {
				h["If-Match"] = `"v1-0000000000000000"`
				if r := env.Get(path, env.Secretariat()); r.Status == http.StatusOK {
					h["If-Match"] = r.Header.Get("ETag")
				}
			}
			r := env.Do(scenario.Request{Method: rt.Method, Path: path, Token: env.Secretariat(), Body: body, Header: h})
			if r.Status >= 500 || r.Status < 200 {
				t.Errorf("%s %s with %.80q: %s", rt.Method, path, body, r)
				continue
			}
			if r.Status >= 400 && r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s with %.80q: %d as %q", rt.Method, path, body, r.Status, r.Header.Get("Content-Type"))
			}
		}
	}
	if routes < 13 {
		t.Errorf("only %d POST/PUT routes found", routes)
	}
}

// ---- 5. pagination ----

func TestAPIPagination(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		var want []string
		for i := 24; i >= 0; i-- { // created out of order; listed by code
			code := fmt.Sprintf("agency-%02d", i)
			env.Create("/api/v1/agencies", atAgency(code))
			want = append(want, code)
		}
		slices.Sort(want)
		for _, c := range []struct {
			limit int
			pages []int
		}{{10, []int{10, 10, 5}}, {5, []int{5, 5, 5, 5, 5}}, {25, []int{25}}, {24, []int{24, 1}}, {1000, []int{25}}} {
			var got []string
			var sizes []int
			cursor := ""
			for page := 0; ; page++ {
				if page > 30 {
					t.Fatalf("limit %d: the cursors do not end", c.limit)
				}
				q := "?limit=" + strconv.Itoa(c.limit)
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				m := env.Must(env.Get("/api/v1/agencies"+q, ""), http.StatusOK).Obj(t)
				items := scenario.Items(t, m)
				sizes = append(sizes, len(items))
				for _, it := range items {
					got = append(got, it["code"].(string))
				}
				next, _ := m["next_cursor"].(string)
				if m["next_cursor"] == nil {
					break
				}
				if next == "" || next == cursor {
					t.Fatalf("limit %d: next_cursor %v does not move on", c.limit, m["next_cursor"])
				}
				cursor = next
			}
			if !slices.Equal(sizes, c.pages) {
				t.Errorf("limit %d: pages of %v, want %v", c.limit, sizes, c.pages)
			}
			if !slices.Equal(got, want) {
				t.Errorf("limit %d: paged through %v, want %v", c.limit, got, want)
			}
		}
	})
}

func TestAPIPaginationMembers(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		for _, c := range []struct {
			token  string
			total  int
			hidden float64
		}{{"", 19, 1}, {env.Secretariat(), 20, 0}} {
			var got []string
			cursor, pages := "", 0
			for {
				q := "?limit=7"
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				m := env.Must(env.Get("/api/v1/programs/gov12-egov-priority/projects"+q, c.token), http.StatusOK).Obj(t)
				if m["hidden_confidential"] != c.hidden {
					t.Errorf("hidden_confidential %v, want %v", m["hidden_confidential"], c.hidden)
				}
				for _, it := range scenario.Items(t, m) {
					got = append(got, it["project"].(string))
				}
				pages++
				if m["next_cursor"] == nil || pages > 10 {
					break
				}
				cursor = m["next_cursor"].(string)
			}
			if len(got) != c.total || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != c.total || pages != (c.total+6)/7 {
				t.Errorf("signed in %v: %d members in %d pages: %v", c.token != "", len(got), pages, got)
			}
		}
	})
}

// ---- 6. durability ----

func TestAPIDurability(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		db, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		env := newAPI(scenario.Over(t, db))
		atFixture(env)
		env.Create("/api/v1/projects", atProject("kept"))
		env.Must(env.Post("/api/v1/programs/prog-pub/members", env.Secretariat(), map[string]any{"project": "kept", "date": "2024-01-02"}), http.StatusCreated)
		a := atAgency("ag-one")
		a["name"] = scenario.Text("نام دوم", "second name")
		env.Must(env.Put("/api/v1/agencies/ag-one", env.Secretariat(), env.ETagOf("/api/v1/agencies/ag-one"), a), http.StatusOK)
		before := map[string][]byte{}
		paths := []string{"/api/v1/agencies/ag-one", "/api/v1/projects/kept", "/api/v1/programs/prog-pub", "/api/v1/laws/law-x",
			"/api/v1/terms/20", "/api/v1/programs/prog-pub/members/kept/events"}
		for _, p := range paths {
			before[p] = env.Must(env.Get(p, env.Secretariat()), http.StatusOK).Body
		}
		secret := env.Secretariat()
		env.Close()
		if err := db.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}

		db2, err := store.Open(t.Context(), dsn)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		t.Cleanup(func() { db2.Close() })
		env2 := newAPI(scenario.Over(t, db2))
		for _, p := range paths {
			// The old token still works: it was stored, too.
			if got := env2.Must(env2.Get(p, secret), http.StatusOK).Body; !bytes.Equal(got, before[p]) {
				t.Errorf("%s after restart:\n got %s\nwant %s", p, got, before[p])
			}
		}
		got := env2.Must(env2.Get("/api/v1/agencies/ag-one", ""), http.StatusOK).Obj(t)
		if got["version"] != 2.0 || scenario.Path(t, got, "name", "en") != "second name" {
			t.Errorf("agency after restart: %v", got)
		}
		// And it takes writes again.
		env2.Must(env2.Post("/api/v1/agencies", secret, atAgency("after")), http.StatusCreated)
	})
}

// ---- 7. export and import ----

func TestAPIExportImport(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		atFixture(env)
		env.Create("/api/v1/projects", atProject("exported"))
		env.Create("/api/v1/projects", atProject("exported-heir", func(p map[string]any) {
			p["depends_on"] = []any{"nix"}
			p["capabilities"] = []any{"inquiry"}
			p["predecessors"] = []any{map[string]any{"project": "exported", "kind": "evolved", "note": scenario.Text("", "")}}
			p["sources"] = []any{map[string]any{"ref": "https://example.org/x", "confidence": "low"}}
		}))
		const prog = "/api/v1/programs/prog-pub"
		env.Must(env.Post(prog+"/members", env.Secretariat(), map[string]any{"project": "exported", "date": "2024-01-01", "main": true}), http.StatusCreated)
		left := env.Must(env.Post(prog+"/members/exported/leave", env.Secretariat(), map[string]any{"reason": "evolved", "successor": "exported-heir", "date": "2024-02-01"}), http.StatusCreated).Obj(t)
		env.Must(env.Post(prog+"/members/exported/events/"+ftoa(scenario.Path(t, left, "event", "id").(float64))+"/void", env.Secretariat(), map[string]any{"note": scenario.Text("اشتباه", "mistake")}), http.StatusCreated)
		env.Must(env.Post(prog+"/members/exported/leave", env.Secretariat(), map[string]any{"reason": "completed", "date": "2024-03-01"}), http.StatusCreated)

		// Only an admin exports or imports.
		if _, err := env.Env.Svc.Export(env.Env.Ctx, service.Actor{Name: "s", Role: service.RoleSecretariat}); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("secretariat export: %v, want forbidden", err)
		}
		doc1, err := env.Env.Svc.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		b1, err := json.Marshal(doc1)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(doc1.Events); n != 29+4 {
			t.Errorf("%d events exported, want 33", n)
		}
		var voided *domain.MembershipEvent
		for i := range doc1.Events {
			if doc1.Events[i].Type == domain.EventVoided {
				voided = &doc1.Events[i]
			}
		}
		if voided == nil || voided.Voids != voided.ID-1 || doc1.Events[voided.Voids-1].Type != domain.EventLeft {
			t.Errorf("the voided event was not exported with its renumbered target: %+v", voided)
		}

		fresh := service.New(testkit.Open(t, e), nil)
		var doc2 domain.Document
		if err := json.Unmarshal(b1, &doc2); err != nil {
			t.Fatal(err)
		}
		if err := fresh.Import(env.Env.Ctx, service.System, &doc2); err != nil {
			t.Fatalf("import into an empty database: %v", err)
		}
		doc3, err := fresh.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		b3, err := json.Marshal(doc3)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b1, b3) {
			t.Errorf("export → import → export differs:\nfirst:  %s\nsecond: %s", atDiff(b1, b3), atDiff(b3, b1))
		}

		// The imported registry answers the same through the API.
		env2 := newAPI(scenario.Over(t, fresh.DB()))
		for _, p := range []string{"/api/v1/projects/exported", "/api/v1/programs/prog-pub", prog + "/members/exported/events",
			"/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving"} {
			a := env.Must(env.Get(p, env.Secretariat()), http.StatusOK).Obj(t)
			b := env2.Must(env2.Get(p, env2.Secretariat()), http.StatusOK).Obj(t)
			atStripVolatile(a)
			atStripVolatile(b)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s differs after import:\n before %v\n after  %v", p, a, b)
			}
		}

		// Import only loads an empty registry, and then writes nothing.
		var doc4 domain.Document
		json.Unmarshal(b1, &doc4)
		if err := fresh.Import(env.Env.Ctx, service.System, &doc4); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("import into a non-empty database: %v, want a conflict", err)
		}
		doc5, err := fresh.Export(env.Env.Ctx, service.System)
		if err != nil {
			t.Fatal(err)
		}
		if b5, _ := json.Marshal(doc5); !bytes.Equal(b1, b5) {
			t.Errorf("a refused import changed the registry")
		}
	})
}

// atStripVolatile removes what legitimately differs between two databases
// holding the same registry: stored versions, timestamps and event ids.
func atStripVolatile(v any) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"version", "created_at", "updated_at", "id", "voids"} {
			if _, ok := x[k]; ok {
				if _, isNum := x[k].(float64); isNum || k != "id" {
					delete(x, k)
				}
			}
		}
		for _, val := range x {
			atStripVolatile(val)
		}
	case []any:
		for _, val := range x {
			atStripVolatile(val)
		}
	}
}

// atDiff returns a window of a around its first difference from b.
func atDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo, hi := max(0, i-200), min(len(a), i+200)
	return string(a[lo:hi])
}

// ---- 8. health and metrics ----

func TestAPIHealthAndMetrics(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		for range 2 {
			h := env.Must(env.Get("/healthz", ""), http.StatusOK).Obj(t)
			if h["status"] != "ok" || h["engine"] != e.Name {
				t.Errorf("healthz: %v", h)
			}
		}
		env.Must(env.Get("/api/v1/agencies", ""), http.StatusOK)
		env.Get("/api/v1/agencies/nope", "").Problem(t, http.StatusNotFound)
		env.Get("/api/v1/no-such-route", "").Problem(t, http.StatusNotFound)
		r := env.Must(env.Get("/metrics", ""), http.StatusOK)
		body := string(r.Body)
		for _, want := range []string{
			`pishran_http_requests_total{code="200",method="GET",route="GET /healthz"} 2`,
			`pishran_http_requests_total{code="200",method="GET",route="GET /api/v1/agencies"} 1`,
			`pishran_http_requests_total{code="404",method="GET",route="GET /api/v1/agencies/{code}"} 1`,
			`pishran_http_requests_total{code="404",method="GET",route="/api/"} 1`,
			`pishran_http_request_duration_seconds_bucket{method="GET",route="GET /healthz",le="+Inf"} 2`,
			`go_sql_open_connections{db_name="write"}`,
			`go_sql_max_open_connections{db_name="write"}`,
			"go_goroutines",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q", want)
			}
		}
		if m := regexp.MustCompile(`go_sql_max_open_connections\{db_name="read"\} (\d+)`).FindStringSubmatch(body); e.Name == "sqlite" &&
			(m == nil || m[1] < "4" || len(m[1]) > 2) {
			t.Errorf("/metrics lacks the SQLite read pool's stats (four readers at least): %v", m)
		}
		if e.Name == "sqlite" && !strings.Contains(body, `go_sql_max_open_connections{db_name="write"} 1`) {
			t.Errorf("/metrics lacks the SQLite write pool's stats")
		}
	})
}
