package api_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// queryPaths are the read routes that decode query parameters beyond
// paging (FuzzQueryPage) and record keys (FuzzRecordKey): dates, states,
// booleans, languages, formats and filters. "{}" is replaced by the fuzzed
// value, query-escaped.
var queryPaths = []string{
	"/api/v1/projects/e-tax/health?as_of={}",
	"/api/v1/status?as_of={}",
	"/api/v1/status?program={}&agency={}",
	"/api/v1/status?program=gov12-egov-priority&limit={}&cursor={}",
	"/api/v1/reports?project={}&agency={}&state={}",
	"/api/v1/meetings?series={}&state={}",
	"/api/v1/actions?agency={}&project={}&open={}",
	"/api/v1/decisions?limit={}&cursor={}",
	"/api/v1/decisions.atom?lang={}&limit={}",
	"/api/v1/meetings/itec-1/minutes?lang={}&format={}",
	"/api/v1/meetings/itec-1/minutes?lang=en&format={}",
	"/api/v1/programs/gov12-egov-priority/projects?active={}",
	"/api/v1/projects?kind={}&status={}&agency={}",
	"/api/v1/audit?kind={}&record={}",
	"/api/v1/audit?kind=project&record={}",
	"/verify/ABCDE-FGHJ0?format={}",
	"/api/v1/programs/gov12-egov-priority/preview?project={}",
}

// FuzzQueryParams sends one arbitrary value in every query parameter of
// the routes above, anonymously and with a secretariat token (the staff
// routes decode more), on a server holding the reference dataset: a bad
// value is the caller's fault (4xx), never the server's (5xx).
func FuzzQueryParams(f *testing.F) {
	engines := testkit.FuzzEngines()
	logs := &testkit.Log{}
	var (
		servers []http.Handler
		tokens  []string
	)
	for _, e := range engines {
		env := scenario.New(f, e, scenario.Reference())
		svc, ctx := env.Svc, env.Ctx
		tok, err := svc.CreateToken(ctx, service.RoleSecretariat, "fuzz", "")
		if err != nil {
			f.Fatal(err)
		}
		servers = append(servers, fuzzRoot(f, svc, slog.New(slog.NewTextHandler(logs, nil))))
		tokens = append(tokens, tok)
	}
	f.Fuzz(func(t *testing.T, v string) {
		q := url.QueryEscape(v)
		for i, srv := range servers {
			for _, p := range queryPaths {
				u := strings.ReplaceAll(p, "{}", q)
				for _, tok := range []string{"", tokens[i]} {
					req := httptest.NewRequest(http.MethodGet, u, nil)
					if tok != "" {
						req.Header.Set("Authorization", "Bearer "+tok)
					}
					rec := httptest.NewRecorder()
					srv.ServeHTTP(rec, req)
					if rec.Code >= 500 {
						t.Fatalf("%s: GET %s (token %v): %d %s\nlog: %s", engines[i].Name, u, tok != "", rec.Code, rec.Body, logs.Take())
					}
					logs.Take()
				}
			}
		}
	})
}

// fuzzRoot serves the API and the site on one root, as `pishran serve` does
// (internal/faces; the verification page is the site's).
func fuzzRoot(t testing.TB, svc *service.Service, log *slog.Logger) http.Handler {
	t.Helper()
	f, err := faces.New(svc, log, httpx.Config{}, nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return f.Root
}
