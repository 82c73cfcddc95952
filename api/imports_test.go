package api_test

import (
	"net/http"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestAPIImports: a CSV file of agencies POSTed as the body is answered
// with its report (each issue at its row and column); fixed, with its
// preview, and applied once with the preview's plan: a second apply is
// 409, a reader may not import (403), an unknown digest is 404.
func TestAPIImports(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		sec := env.Secretariat()
		post := func(body, token string) *scenario.Response {
			return env.Do(scenario.Request{Method: "POST", Path: "/api/v1/imports?name=agencies.csv", Token: token, Body: body,
				Header: map[string]string{"Content-Type": "text/csv"}})
		}
		bad := "Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,spaceship\n"
		r := env.Must(post(bad, sec), http.StatusOK)
		issues := scenario.Path(t, r.Obj(t), "issues").([]any)
		if r.At(t, "ok") != false || len(issues) != 1 || scenario.Path(t, issues[0], "row") != 3.0 || scenario.Path(t, issues[0], "column") != "D" ||
			scenario.Path(t, issues[0], "message", "fa") == "" || r.At(t, "preview") != nil {
			t.Fatalf("report: %s", r)
		}
		env.Get("/api/v1/agencies/ag-a", "").Problem(t, http.StatusNotFound)

		good := "Code,Name (Persian),Name (English),Kind\nag-a,دستگاه الف,Agency A,ministry\nag-b,دستگاه ب,Agency B,organization\n"
		r = env.Must(post(good, sec), http.StatusOK)
		digest, plan := r.At(t, "digest").(string), r.At(t, "preview", "plan").(string)
		if r.At(t, "ok") != true || r.At(t, "kind") != "registry" || digest != service.Digest([]byte(good)) ||
			scenario.Path(t, r.Obj(t), "preview", "counts", "create agency") != 2.0 {
			t.Fatalf("preview: %s", r)
		}
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/imports/" + digest + "/apply", Token: sec, Body: map[string]any{"plan": "x"}}).Field(t, http.StatusPreconditionFailed, "plan")
		a := env.Must(env.Do(scenario.Request{Method: "POST", Path: "/api/v1/imports/" + digest + "/apply", Token: sec, Body: map[string]any{"plan": plan}}), http.StatusOK)
		if len(a.At(t, "items").([]any)) != 2 {
			t.Fatalf("applied: %s", a)
		}
		env.Must(env.Get("/api/v1/agencies/ag-b", ""), http.StatusOK)
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/imports/" + digest + "/apply", Token: sec}).Field(t, http.StatusConflict, "digest")
		env.Do(scenario.Request{Method: "POST", Path: "/api/v1/imports/" + digest + "/apply", Token: env.Env.Token(service.RoleAdmin, "")}).Field(t, http.StatusNotFound, "digest")
		post(good, env.Env.Token(service.RoleReader, "")).Problem(t, http.StatusForbidden)
	})
}
