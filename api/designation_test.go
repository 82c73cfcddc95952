package api_test

// Designating a project into a list through the API: the rules, their
// verdicts, and the membership's events.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

func TestAPIDesignation(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		recordRegistry(env)
		const prog = "/api/v1/programs/prog-pub"
		for _, p := range []map[string]any{
			projectRecord("one-agency", oneAgency),
			projectRecord("no-mandate", noMandate),
			projectRecord("secret", confidentialProject),
			projectRecord("bad-all", confidentialProject, oneAgency, noMandate),
			projectRecord("good"),
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
				if got := ruleIDs(p); !slices.Equal(got, c.rules) {
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
			if got := ruleIDs(p); !slices.Equal(got, []string{"duplicate"}) {
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
			if got := ruleIDs(p); !slices.Equal(got, []string{"duplicate"}) {
				t.Errorf("designation after the void: rules %v, want [duplicate]", got)
			}
			// A program with history cannot be deleted, nor a project on it.
			env.Del(prog, env.Secretariat(), env.ETagOf(prog)).Problem(t, http.StatusConflict)
			env.Del("/api/v1/projects/good", env.Secretariat(), env.ETagOf("/api/v1/projects/good")).Problem(t, http.StatusConflict)
		})

		t.Run("restricted program", func(t *testing.T) {
			// A confidential project may join a restricted list; the public
			// sees neither.
			env.Create("/api/v1/programs", programRecord("prog-res", 20, "restricted"))
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
			env.Must(env.Put("/api/v1/projects/secret", env.Secretariat(), env.ETagOf("/api/v1/projects/secret"), projectRecord("secret")), http.StatusOK)
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
			env.Create("/api/v1/projects", projectRecord("racer"))
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
