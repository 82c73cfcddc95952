package api_test

// The API over the reference dataset: both governments' lists as the
// council adopted them, and their comparison.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
)

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
			if !etagPattern.MatchString(one.Header.Get("ETag")) {
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
