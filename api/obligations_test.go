package api_test

import (
	"net/http"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestObligationsAPI: each agency sees exactly what it owes — its projects,
// its open actions with the overdue ones flagged, and every report period it
// owes as lead, with the state of what it started — and nobody else's.
func TestObligationsAPI(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newProgressEnv(t, e) // clock: 10 June 2024; moh leads p0 and confidential c0, ito takes part
		sec := env.Env.Token(service.RoleSecretariat, "")
		env.Create("/api/v1/projects/p0/baselines", baselineRecord()) // monthly from January 2024

		// Bahman 1402's report is accepted; Esfand's is started. Ordibehesht 1403
		// ended on 20 May, so by 10 June its report is overdue too.
		r := env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1402-11",
			"projected_end": "2024-12-31"}), http.StatusCreated).Obj(t)
		id := idOf(t, r)
		env.Must(env.Post("/api/v1/reports/"+id+"/submit", env.moh, nil), http.StatusOK)
		env.Must(env.Post("/api/v1/reports/"+id+"/accept", sec, nil), http.StatusOK)
		draft := idOf(t, env.Must(env.Post("/api/v1/reports", env.moh, map[string]any{"project": "p0", "period": "1402-12"}), http.StatusCreated).Obj(t))

		// A held meeting gives moh an overdue action and ito one not yet due.
		env.Create("/api/v1/series", map[string]any{"code": "itec", "name": scenario.Text("شورا", "Council"), "kind": "council"})
		env.Create("/api/v1/meetings", map[string]any{"series": "itec", "number": 1, "date": "2024-05-20"})
		env.Must(env.Post("/api/v1/meetings/itec-1/hold", sec, nil), http.StatusOK)
		env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "moh", "due": "2024-06-01",
			"projects": []string{"p0"}, "description": scenario.Text("اتصال به مرکز ملی تبادل اطلاعات", "connect to the national exchange")})
		env.Create("/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action", "owner": "ito", "due": "2024-07-01",
			"projects": []string{"p0"}, "description": scenario.Text("ارائه سرویس احراز هویت", "provide the identity service")})

		o := env.Must(env.Get("/api/v1/agencies/moh/obligations", env.moh), http.StatusOK).Obj(t)
		counts := o["counts"].(map[string]any)
		want := map[string]float64{"projects": 2, "leads": 2, "open_actions": 1, "overdue_actions": 1, "reports_owed": 4, "reports_overdue": 3}
		for k, v := range want {
			if counts[k] != v {
				t.Errorf("moh counts[%s] = %v, want %v (all: %v)", k, counts[k], v, counts)
			}
		}
		type owed struct {
			period, state string
			overdue       bool
		}
		var got []owed
		for _, x := range o["reports"].([]any) {
			m := x.(map[string]any)
			if m["project"] != "p0" {
				t.Errorf("report owed for %v: only p0 has a baseline", m["project"])
			}
			got = append(got, owed{m["period"].(string), m["state"].(string), m["overdue"].(bool)})
			if m["period"] == "1402-12" && scenario.Path(t, m, "report") != nil && idOf(t, map[string]any{"id": m["report"]}) != draft {
				t.Errorf("Esfand points at report %v, want %s", m["report"], draft)
			}
		}
		wantOwed := []owed{{"1402-12", "draft", true}, {"1403-01", "missing", true}, {"1403-02", "missing", true}, {"1403-03", "missing", false}}
		if len(got) != len(wantOwed) {
			t.Fatalf("reports owed %v, want %v", got, wantOwed)
		}
		for i := range got {
			if got[i] != wantOwed[i] {
				t.Errorf("owed[%d] = %v, want %v", i, got[i], wantOwed[i])
			}
		}
		acts := o["actions"].([]any)
		if len(acts) != 1 || acts[0].(map[string]any)["owner"] != "moh" || acts[0].(map[string]any)["overdue"] != true {
			t.Errorf("moh actions: %v", acts)
		}

		// ito takes part (owes no reports) and owns one action, not overdue.
		o = env.Must(env.Get("/api/v1/agencies/ito/obligations", env.ito), http.StatusOK).Obj(t)
		counts = o["counts"].(map[string]any)
		if counts["projects"] != 2.0 || counts["leads"] != 0.0 || counts["reports_owed"] != 0.0 || counts["open_actions"] != 1.0 || counts["overdue_actions"] != 0.0 {
			t.Errorf("ito counts: %v", counts)
		}
		// As of a later day the same action is overdue.
		o = env.Must(env.Get("/api/v1/agencies/ito/obligations?as_of=1403/04/20", env.ito), http.StatusOK).Obj(t) // 2024-07-10
		if c := o["counts"].(map[string]any); c["overdue_actions"] != 1.0 {
			t.Errorf("ito as of 2024-07-10: %v", c)
		}

		// Nobody else's: another agency gets 404, the public 401; staff see any.
		env.Get("/api/v1/agencies/moh/obligations", env.tax).Problem(t, http.StatusNotFound)
		env.Get("/api/v1/agencies/moh/obligations", "").Problem(t, http.StatusUnauthorized)
		env.Get("/api/v1/agencies/moh/obligations?as_of=2024-02-30", sec).Field(t, http.StatusBadRequest, "as_of")
		o = env.Must(env.Get("/api/v1/agencies/moh/obligations", sec), http.StatusOK).Obj(t)
		if o["counts"].(map[string]any)["reports_owed"] != 4.0 {
			t.Errorf("secretariat view of moh: %v", o["counts"])
		}
		// tax is on no project and owes nothing.
		o = env.Must(env.Get("/api/v1/agencies/tax/obligations", env.tax), http.StatusOK).Obj(t)
		if c := o["counts"].(map[string]any); c["projects"] != 0.0 || c["reports_owed"] != 0.0 || c["open_actions"] != 0.0 {
			t.Errorf("tax counts: %v", c)
		}
	})
}
