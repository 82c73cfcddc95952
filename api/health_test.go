package api_test

// The health and metrics endpoints.

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

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
			(m == nil || m[1] < "2" || len(m[1]) > 2) {
			t.Errorf("/metrics lacks the SQLite read pool's stats (two readers at least): %v", m)
		}
		if e.Name == "sqlite" && !strings.Contains(body, `go_sql_max_open_connections{db_name="write"} 1`) {
			t.Errorf("/metrics lacks the SQLite write pool's stats")
		}
	})
}
