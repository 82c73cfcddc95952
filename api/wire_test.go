package api_test

// The wire golden test: every GET route the OpenAPI document describes,
// asked on the reference dataset plus a council meeting and a project's
// follow-up, by the public and by an admin (and a few other roles and
// queries), with a fixed clock and a fixed source of randomness, on each
// engine. Status, headers and body of every answer are compared with the
// goldens in testdata/wire/ENGINE/, written from the code before issue 11
// moved the HTTP plumbing: a refactoring that changes a byte on the wire
// fails here. `go test ./api/ -run TestWireGolden -update` rewrites them.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/faces"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/reference"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/web"
)

var updateGoldens = flag.Bool("update", false, "rewrite the wire goldens in testdata/wire/")

// wireNow is the server's clock throughout.
var wireNow = time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)

// wireServer serves what `pishran serve` serves: the API and the site on one
// root (internal/faces), the pages' clock standing at wireNow.
func wireServer(t *testing.T, svc *service.Service) http.Handler {
	t.Helper()
	f, err := faces.New(svc, slog.New(slog.DiscardHandler), httpx.Config{}, nil, web.Options{Now: func() time.Time { return wireNow }})
	if err != nil {
		t.Fatal(err)
	}
	return f.Root
}

// wireCall is one request of the fixture or of the goldens.
type wireCall struct {
	as     string // a key of the tokens: "" is the public
	method string
	path   string
	body   any
	header map[string]string
}

type wireEnv struct {
	t      *testing.T
	h      http.Handler
	tokens map[string]string
}

func (env *wireEnv) do(c wireCall) *httptest.ResponseRecorder {
	env.t.Helper()
	var body io.Reader
	if c.body != nil {
		b, err := json.Marshal(c.body)
		if err != nil {
			env.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, c.path, body)
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := env.tokens[c.as]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	env.h.ServeHTTP(rec, req)
	return rec
}

// write runs a fixture step, which must succeed.
func (env *wireEnv) write(as, method, path string, body any) map[string]any {
	env.t.Helper()
	rec := env.do(wireCall{as: as, method: method, path: path, body: body})
	if rec.Code >= 300 {
		env.t.Fatalf("fixture %s %s as %q: %d %s", method, path, as, rec.Code, rec.Body)
	}
	var out map[string]any
	json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

// recordWireFixture adds to the reference dataset two agencies' project with its
// follow-up (baseline, milestone, indicator, an accepted report with
// evidence, ratings, a draft), its designation into a program, a council
// meeting held and closed with a decision and an action, a planned one, and
// an account.
func recordWireFixture(env *wireEnv) {
	env.write("sec", "POST", "/api/v1/projects", map[string]any{
		"slug": "wire-rx", "title": scenario.Text("نسخه الکترونیک", "Electronic prescription"),
		"summary": scenario.Text("خلاصه", "Summary"), "scope": scenario.Text("نسخه‌نویسی الکترونیک", "Electronic prescribing"),
		"kind": "service", "confidentiality": "public", "status": "in-progress",
		"agencies": []any{map[string]any{"agency": "ito", "role": "lead"}, map[string]any{"agency": "pbo", "role": "participant"}},
		"mandates": []any{map[string]any{"law": "constitution", "article": "138", "note": scenario.Text("", "")}}, "depends_on": []any{}, "capabilities": []any{}, "predecessors": []any{},
		"deliverables": []any{map[string]any{"title": scenario.Text("راه‌اندازی", "Launch"), "indicator": scenario.Text("پوشش", "coverage"),
			"target": "100", "due": "2025-03-20"}},
	})
	env.write("sec", "POST", "/api/v1/projects", map[string]any{
		"slug": "wire-secret", "title": scenario.Text("سامانه محرمانه", "Confidential system"),
		"summary": scenario.Text("", ""), "scope": scenario.Text("محرمانه", "confidential"),
		"kind": "service", "confidentiality": "confidential", "status": "proposed",
		"agencies": []any{map[string]any{"agency": "ito", "role": "lead"}},
		"mandates": []any{}, "depends_on": []any{}, "capabilities": []any{}, "predecessors": []any{}, "deliverables": []any{},
	})
	env.write("sec", "POST", "/api/v1/programs/gov13-smart-driving/members", map[string]any{"project": "wire-rx", "main": true})

	// Follow-up of wire-rx.
	env.write("sec", "POST", "/api/v1/projects/wire-rx/baselines", map[string]any{"start": "2024-01-01", "end": "2024-12-31",
		"cost": 1_000_000_000, "approved_by": scenario.Text("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
		"approved": "1402/09/29", "reference": "26/1402"})
	m := env.write("ito", "POST", "/api/v1/projects/wire-rx/milestones", map[string]any{
		"title": scenario.Text("آزمایش", "pilot"), "planned": "2024-09-30", "weight": 2})
	k := env.write("ito", "POST", "/api/v1/projects/wire-rx/kpis", map[string]any{
		"name": scenario.Text("سهم نسخه الکترونیک", "e-prescription share"), "unit": "%", "target": 80, "direction": "up"})
	r := env.write("ito", "POST", "/api/v1/reports", map[string]any{"project": "wire-rx", "period": "1403-02",
		"projected_end": "2025-01-19", "projected_cost": 1_000_000_000,
		"milestones": []any{map[string]any{"milestone": m["id"], "percent": 40}},
		"kpis":       []any{map[string]any{"kpi": k["id"], "value": 85}},
		"narrative":  scenario.Text("آزمایش در سه استان", "pilot in three provinces"),
		"risks":      []any{map[string]any{"text": scenario.Text("", "data exchange delays"), "severity": "high"}}})
	id := jsonNumber(r["id"])
	env.write("ito", "POST", "/api/v1/reports/"+id+"/evidence", map[string]any{"url": "https://example.org/pilot", "title": scenario.Text("نتایج", "results")})
	req := httptest.NewRequest("POST", "/api/v1/reports/"+id+"/evidence?name=results.csv&title_en=Results", strings.NewReader("province,share\nTehran,85\n"))
	req.Header.Set("Content-Type", "text/csv")
	req.Header.Set("Authorization", "Bearer "+env.tokens["ito"])
	up := httptest.NewRecorder()
	env.h.ServeHTTP(up, req)
	if up.Code != http.StatusCreated {
		env.t.Fatalf("evidence file: %d %s", up.Code, up.Body)
	}
	env.write("ito", "POST", "/api/v1/reports/"+id+"/submit", nil)
	env.write("sec", "POST", "/api/v1/reports/"+id+"/accept", map[string]any{"comment": scenario.Text("", "verified")})
	env.write("ito", "POST", "/api/v1/reports", map[string]any{"project": "wire-rx", "period": "1403-03"}) // a draft
	env.write("ito", "POST", "/api/v1/projects/wire-rx/ratings", map[string]any{"kind": "self", "score": 5, "comment": scenario.Text("طبق برنامه", "on plan")})
	env.write("sec", "POST", "/api/v1/projects/wire-rx/ratings", map[string]any{"kind": "council", "score": 2, "comment": scenario.Text("تحویل محل تردید است", "delivery in doubt")})

	// A council session, held and closed, and the next one planned.
	env.write("sec", "POST", "/api/v1/series", map[string]any{"code": "itec", "name": scenario.Text("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), "kind": "council"})
	env.write("sec", "POST", "/api/v1/meetings", map[string]any{"series": "itec", "number": 1, "date": "2024-05-01",
		"title": scenario.Text("جلسه نخست", "First session")})
	env.write("sec", "POST", "/api/v1/meetings/itec-1/hold", nil)
	env.write("sec", "POST", "/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "decision", "resolution": "1/1",
		"text": scenario.Text("نسخه الکترونیک سراسری شود", "Roll e-prescription out nationwide"), "projects": []any{"wire-rx"}})
	env.write("sec", "POST", "/api/v1/meetings/itec-1/outcomes", map[string]any{"kind": "action",
		"description": scenario.Text("گزارش استان‌ها", "report on the provinces"), "owner": "ito", "due": "2024-05-20", "projects": []any{"wire-rx"}})
	env.write("sec", "POST", "/api/v1/meetings/itec-1/close", nil)
	env.write("sec", "POST", "/api/v1/meetings/itec-1/amendments", map[string]any{"text": scenario.Text("اصلاحیه", "a correction")})
	env.write("sec", "POST", "/api/v1/meetings", map[string]any{"series": "itec", "number": 2, "date": "2024-06-20"})

	// An account.
	env.write("admin", "POST", "/api/v1/users", map[string]any{"username": "sara", "display_name": scenario.Text("سارا احمدی", "Sara Ahmadi"),
		"role": "secretariat", "email": "sara@example.org"})

	// The exchange: an identity, a service and a declared integration.
	env.write("sec", "POST", "/api/v1/exchange/identities", map[string]any{"identity": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"},
		"agency": "ito", "name": scenario.Text("گذرگاه", "gateway")})
	env.write("sec", "POST", "/api/v1/exchange/services", map[string]any{"service": map[string]any{"provider": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"},
		"code": "inquiry"}, "title": scenario.Text("استعلام", "inquiry")})
	env.write("sec", "POST", "/api/v1/projects/wire-rx/integrations", map[string]any{"integration": map[string]any{
		"client":  map[string]any{"instance": "IR", "class": "GOV", "code": "MOH", "subsystem": "rx"},
		"service": map[string]any{"provider": map[string]any{"instance": "IR", "class": "GOV", "code": "ITO", "subsystem": "gsb"}, "code": "inquiry"}},
		"policy": map[string]any{"silent_days": 10}, "note": scenario.Text("استعلام بیمه", "insurance inquiry")})
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// wirePaths are the requests made of each GET route of the document (by its
// OpenAPI path), besides the route itself asked by the public and by an
// admin. {doc} and {report} stand for a published document's code and the
// accepted report's id.
var wirePaths = map[string][]wireCall{
	"/healthz":                {{path: "/healthz"}},
	"/api/v1/openapi.json":    {{path: "/api/v1/openapi.json"}},
	"/api/v1/terms":           {{path: "/api/v1/terms"}, {path: "/api/v1/terms?limit=1"}, {path: "/api/v1/terms?limit=1&cursor=MTI"}, {path: "/api/v1/terms?cursor=eA"}},
	"/api/v1/terms/{number}":  {{path: "/api/v1/terms/13"}, {path: "/api/v1/terms/99"}, {path: "/api/v1/terms/x"}},
	"/api/v1/agencies":        {{path: "/api/v1/agencies"}, {path: "/api/v1/agencies?limit=2"}, {path: "/api/v1/agencies?limit=0"}, {path: "/api/v1/agencies?cursor=%%%"}},
	"/api/v1/agencies/{code}": {{path: "/api/v1/agencies/ito"}, {path: "/api/v1/agencies/nope"}},
	"/api/v1/laws":            {{path: "/api/v1/laws"}, {path: "/api/v1/laws?limit=1"}},
	"/api/v1/laws/{slug}":     {{path: "/api/v1/laws/constitution"}},
	"/api/v1/projects": {{path: "/api/v1/projects"}, {path: "/api/v1/projects?limit=3"}, {path: "/api/v1/projects?agency=ito"},
		{path: "/api/v1/projects?kind=service&status=in-progress"}, {path: "/api/v1/projects?kind=nope"}},
	"/api/v1/projects/{slug}":                        {{path: "/api/v1/projects/wire-rx"}, {path: "/api/v1/projects/setad"}, {path: "/api/v1/projects/wire-secret"}, {path: "/api/v1/projects/anti-smuggling"}},
	"/api/v1/programs":                               {{path: "/api/v1/programs"}, {path: "/api/v1/programs?limit=1"}},
	"/api/v1/programs/{id}":                          {{path: "/api/v1/programs/gov13-smart-driving"}, {path: "/api/v1/programs/gov12-egov-priority"}},
	"/api/v1/programs/{id}/projects":                 {{path: "/api/v1/programs/gov13-smart-driving/projects"}, {path: "/api/v1/programs/gov12-egov-priority/projects?limit=3&active=true"}, {path: "/api/v1/programs/gov12-egov-priority/projects?active=maybe"}},
	"/api/v1/programs/{id}/preview":                  {{path: "/api/v1/programs/gov13-smart-driving/preview?project=setad"}, {path: "/api/v1/programs/gov13-smart-driving/preview"}},
	"/api/v1/programs/{id}/check":                    {{path: "/api/v1/programs/gov12-egov-priority/check"}},
	"/api/v1/programs/{id}/members/{project}/events": {{path: "/api/v1/programs/gov13-smart-driving/members/wire-rx/events"}, {path: "/api/v1/programs/gov12-egov-priority/members/setad/events"}},
	"/api/v1/rules":                                  {{path: "/api/v1/rules"}},
	"/api/v1/compare":                                {{path: "/api/v1/compare"}, {path: "/api/v1/compare?from=gov12-egov-priority&to=gov13-smart-driving"}},
	"/api/v1/programs/{id}/fate":                     {{path: "/api/v1/programs/gov12-egov-priority/fate"}, {path: "/api/v1/programs/gov13-smart-driving/fate"}, {path: "/api/v1/programs/nope/fate"}},
	"/api/v1/scorecards":                             {{path: "/api/v1/scorecards"}},
	"/api/v1/agencies/{code}/scorecard":              {{path: "/api/v1/agencies/ito/scorecard"}, {path: "/api/v1/agencies/nope/scorecard"}},
	"/api/v1/audit":                                  {{as: "sec", path: "/api/v1/audit?kind=project&record=wire-rx"}, {as: "sec", path: "/api/v1/audit?kind=report&record={report}"}},
	"/api/v1/audit/checkpoints":                      {{path: "/api/v1/audit/checkpoints"}, {path: "/api/v1/audit/checkpoints?limit=1"}, {path: "/api/v1/audit/checkpoints?cursor=eA"}},
	"/api/v1/audit/verify":                           {{path: "/api/v1/audit/verify"}},
	"/api/v1/series":                                 {{path: "/api/v1/series"}},
	"/api/v1/series/{code}":                          {{path: "/api/v1/series/itec"}},
	"/api/v1/meetings":                               {{path: "/api/v1/meetings"}, {path: "/api/v1/meetings?limit=1"}, {path: "/api/v1/meetings?series=itec&state=closed"}, {path: "/api/v1/meetings?state=nope"}},
	"/api/v1/meetings/{id}":                          {{path: "/api/v1/meetings/itec-1"}, {path: "/api/v1/meetings/itec-2"}},
	"/api/v1/meetings/{id}/agenda/proposal":          {{as: "sec", path: "/api/v1/meetings/itec-2/agenda/proposal"}},
	"/api/v1/meetings/{id}/minutes":                  {{path: "/api/v1/meetings/itec-1/minutes"}, {path: "/api/v1/meetings/itec-1/minutes?format=html&lang=en"}, {path: "/api/v1/meetings/itec-1/minutes?format=pdf"}},
	"/api/v1/actions":                                {{as: "sec", path: "/api/v1/actions?open=true"}, {as: "ito", path: "/api/v1/actions?agency=ito"}, {path: "/api/v1/actions?status=overdue&agency=ito"}, {path: "/api/v1/actions?status=nope"}, {path: "/api/v1/actions?limit=1&cursor=MQ"}},
	"/api/v1/actions/{id}":                           {{as: "sec", path: "/api/v1/actions/1"}, {as: "sec", path: "/api/v1/actions/0"}, {path: "/api/v1/actions/1"}},
	"/api/v1/decisions":                              {{path: "/api/v1/decisions"}, {path: "/api/v1/decisions?limit=1"}},
	"/api/v1/search": {{path: "/api/v1/search?q=%D9%86%D8%B3%D8%AE%D9%87"}, {path: "/api/v1/search?q=%D8%B3%D8%A7%D9%85%D8%A7%D9%86%D9%87%20%D9%85%D8%AD%D8%B1%D9%85%D8%A7%D9%86%D9%87"},
		{as: "sec", path: "/api/v1/search?q=%D8%B3%D8%A7%D9%85%D8%A7%D9%86%D9%87%20%D9%85%D8%AD%D8%B1%D9%85%D8%A7%D9%86%D9%87"}, {as: "ito", path: "/api/v1/search?q=%D8%A2%D8%B2%D9%85%D8%A7%DB%8C%D8%B4&kind=report"},
		{path: "/api/v1/search?q=%D8%A7%DB%8C%D8%B1%D8%A7%D9%86&limit=2"}, {path: "/api/v1/search?q=x"}, {path: "/api/v1/search?q=%D9%86%D8%B3%D8%AE%D9%87&kind=report"},
		{path: "/api/v1/search?q=%D9%86%D8%B3%D8%AE%D9%87&cursor=%%%"}},
	"/api/v1/decisions.atom":               {{path: "/api/v1/decisions.atom"}, {path: "/api/v1/decisions.atom?lang=en&limit=1"}},
	"/api/v1/projects/{slug}/milestones":   {{path: "/api/v1/projects/wire-rx/milestones"}},
	"/api/v1/projects/{slug}/kpis":         {{path: "/api/v1/projects/wire-rx/kpis"}},
	"/api/v1/reports":                      {{path: "/api/v1/reports"}, {as: "ito", path: "/api/v1/reports?agency=ito"}, {path: "/api/v1/reports?state=nope"}, {path: "/api/v1/reports?cursor=MA"}},
	"/api/v1/reports/{id}":                 {{path: "/api/v1/reports/{report}"}, {path: "/api/v1/reports/-1"}},
	"/api/v1/reports/{id}/evidence/{n}":    {{path: "/api/v1/reports/{report}/evidence/1"}, {path: "/api/v1/reports/{report}/evidence/2"}},
	"/api/v1/projects/{slug}/ratings":      {{path: "/api/v1/projects/wire-rx/ratings"}},
	"/api/v1/ratings/scale":                {{path: "/api/v1/ratings/scale"}},
	"/api/v1/projects/{slug}/baselines":    {{path: "/api/v1/projects/wire-rx/baselines"}},
	"/api/v1/projects/{slug}/health":       {{path: "/api/v1/projects/wire-rx/health"}, {path: "/api/v1/projects/wire-rx/health?as_of=2024-07-16"}, {path: "/api/v1/projects/wire-rx/health?as_of=nope"}},
	"/api/v1/status":                       {{path: "/api/v1/status"}, {path: "/api/v1/status?agency=ito&as_of=1403/04/26"}, {path: "/api/v1/status?limit=2"}},
	"/api/v1/follow-up/policy":             {{path: "/api/v1/follow-up/policy"}},
	"/api/v1/agencies/{code}/obligations":  {{as: "ito", path: "/api/v1/agencies/ito/obligations"}, {as: "sec", path: "/api/v1/agencies/ito/obligations?as_of=2024-07-20"}},
	"/api/v1/agencies/{code}/reminders":    {{as: "ito", path: "/api/v1/agencies/ito/reminders"}},
	"/api/v1/me":                           {{as: "ito", path: "/api/v1/me"}},
	"/api/v1/users":                        {{path: "/api/v1/users"}, {path: "/api/v1/users?limit=1"}},
	"/api/v1/users/{username}":             {{path: "/api/v1/users/sara"}},
	"/auth/oidc/login":                     {{path: "/auth/oidc/login"}},
	"/auth/oidc/callback":                  {{path: "/auth/oidc/callback?code=x&state=y"}},
	"/api/v1/exchange/identities":          {{as: "sec", path: "/api/v1/exchange/identities"}, {as: "sec", path: "/api/v1/exchange/identities?agency=moh"}},
	"/api/v1/exchange/services":            {{as: "sec", path: "/api/v1/exchange/services"}},
	"/api/v1/projects/{slug}/integrations": {{path: "/api/v1/projects/wire-rx/integrations"}, {path: "/api/v1/projects/wire-secret/integrations"}},
	"/api/v1/reports/{id}/divergences":     {{as: "sec", path: "/api/v1/reports/{report}/divergences"}},
	"/verify/{code}": {{path: "/verify/{doc}", header: map[string]string{"Accept": "text/html"}}, {path: "/verify/{doc}?format=json"},
		{path: "/verify/{doc}", header: map[string]string{"Accept": "application/json"}}, {path: "/verify/ABCDE-FGHJ0"},
		{path: "/verify/ABCDE-FGHJ0?format=json"}, {path: "/verify/{doc}?format=xml"}, {path: "/verify/%FF"},
		{path: "/verify/{doc}", header: map[string]string{"Authorization": "Bearer nope"}}},
	"/verify/{code}/qr.svg": {{path: "/verify/{doc}/qr.svg"}, {path: "/verify/ABCDE-FGHJ0/qr.svg"}},
	"/api/v1/signing/keys":  {{path: "/api/v1/signing/keys"}},
}

// wireExtra are answers outside the document's GET routes that the moved
// plumbing also writes.
var wireExtra = []wireCall{
	{path: "/api/v1/no-such-route"},
	{method: "DELETE", path: "/api/v1/programs"},
	{method: "POST", path: "/api/v1/agencies", body: map[string]any{}},
	{as: "reader", method: "POST", path: "/api/v1/agencies", body: map[string]any{}},
	{method: "POST", path: "/api/v1/session", body: map[string]any{}, header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	{method: "POST", path: "/api/v1/session", body: map[string]any{"username": "sara", "password": "wrong password!"}},
	{path: "/api/v1/projects/%FF"},
	{path: "/api/v1/projects?agency=%00"},
	{path: "/verify/style.css"},
	{path: "/setup/nope"},
	{path: "/reset/nope"},
	{method: "POST", path: "/reset/nope", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
	{path: "/nowhere"},
	// A few of the site's pages, which share the plumbing.
	{path: "/"},
	{path: "/?lang=en"},
	{path: "/projects/wire-rx"},
	{path: "/programs/gov13-smart-driving"},
	{path: "/decisions"},
	{path: "/login"},
	{path: "/staff"},
	{path: "/favicon.ico"},
	{method: "POST", path: "/login", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"}},
}

// wireTampered are asked after the audit log has been tampered with.
var wireTampered = []wireCall{
	{as: "admin", path: "/api/v1/audit/verify"},
	{as: "sec", path: "/api/v1/audit?kind=project&record=wire-rx"},
}

// goldenName is the golden file of a request.
func goldenName(c wireCall) string {
	var b strings.Builder
	if c.as != "" {
		b.WriteString(c.as + "_")
	}
	if c.method != "" && c.method != "GET" {
		b.WriteString(c.method + "_")
	}
	path := strings.TrimPrefix(c.path, "/")
	if path == "" || path[0] == '?' {
		path = "index" + path
	}
	b.WriteString(path)
	for _, k := range slices.Sorted(maps.Keys(c.header)) {
		b.WriteString("_" + k + "=" + c.header[k])
	}
	return regexp.MustCompile(`[^A-Za-z0-9._=-]+`).ReplaceAllString(b.String(), "_") + ".txt"
}

// formatAnswer is an answer as its golden holds it: the status, every header
// sorted, and the body (a body over 64 KiB by its size and hash).
func formatAnswer(c wireCall, rec *httptest.ResponseRecorder) []byte {
	var b bytes.Buffer
	method := c.method
	if method == "" {
		method = "GET"
	}
	b.WriteString(method + " " + c.path + " as " + c.as + "\n")
	b.WriteString(strings.TrimSpace(http.StatusText(rec.Code)) + " " + jsonNumber(rec.Code) + "\n")
	h := rec.Header()
	for _, k := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[k] {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	body := rec.Body.Bytes()
	if len(body) > 64<<10 {
		sum := sha256.Sum256(body)
		b.WriteString("(" + jsonNumber(len(body)) + " bytes, sha256 " + hex.EncodeToString(sum[:]) + ")\n")
	} else {
		b.Write(body)
	}
	return b.Bytes()
}

func TestWireGolden(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	for p, item := range doc.Paths {
		if _, ok := item["get"]; ok && len(wirePaths[p]) == 0 {
			t.Errorf("the GET route %s of the OpenAPI document has no request in wirePaths", p)
		}
	}
	for p := range wirePaths {
		if _, ok := doc.Paths[p]["get"]; !ok {
			t.Errorf("wirePaths names %s, which the OpenAPI document has no GET for", p)
		}
	}
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			env, fill, db := startWire(t, e)

			var calls []wireCall
			for _, p := range slices.Sorted(maps.Keys(wirePaths)) {
				for _, c := range wirePaths[p] {
					if c.as != "" {
						calls = append(calls, c)
						continue
					}
					pub, adm := c, c
					adm.as = "admin"
					calls = append(calls, pub, adm)
				}
			}
			calls = append(calls, wireExtra...)
			// The goldens are shared by the engines; an engine's own answer,
			// where it differs (/healthz names the engine), is in its folder.
			shared, own := filepath.Join("testdata", "wire"), filepath.Join("testdata", "wire", e.Name)
			first := e.Name == testkit.Engines()[0].Name
			if *updateGoldens {
				if first {
					old, _ := filepath.Glob(filepath.Join(shared, "*.txt"))
					for _, f := range old {
						os.Remove(f)
					}
				}
				os.RemoveAll(own)
			}
			seen := map[string]bool{}
			check := func(c wireCall, prefix string) {
				t.Helper()
				name := prefix + goldenName(c)
				if seen[name] {
					t.Fatalf("two requests share the golden %s", name)
				}
				seen[name] = true
				c.path = fill.Replace(c.path)
				rec := env.do(c)
				got := formatAnswer(c, rec)
				// Asked again (a cached route answers from its cache now),
				// the answer is the same.
				if again := formatAnswer(c, env.do(c)); !bytes.Equal(got, again) {
					t.Errorf("%s: asked twice, two answers:\n%s\n----\n%s", name, got, again)
				}
				if etag := rec.Header().Get("ETag"); etag != "" && rec.Code == http.StatusOK && (c.method == "" || c.method == "GET") {
					cond := c
					cond.header = map[string]string{"If-None-Match": etag}
					for k, v := range c.header {
						cond.header[k] = v
					}
					if again := env.do(cond); again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
						t.Errorf("%s: If-None-Match %s: %d %q", name, etag, again.Code, again.Header().Get("ETag"))
					}
				}
				want, err := os.ReadFile(filepath.Join(own, name))
				if os.IsNotExist(err) {
					want, err = os.ReadFile(filepath.Join(shared, name))
				}
				if *updateGoldens {
					file := filepath.Join(shared, name)
					if !first {
						if err == nil && bytes.Equal(got, want) {
							return
						}
						file = filepath.Join(own, name)
					}
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				if err != nil {
					t.Errorf("%s: %v (run with -update to write the goldens)", name, err)
					return
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from its golden:\n--- got\n%s\n--- want\n%s", name, got, want)
				}
			}
			for _, c := range calls {
				check(c, "")
			}
			// An entry of the audit log rewritten behind Pishran's back: the
			// check names where the chain breaks.
			write, _ := db.Pools()
			if _, err := write.ExecContext(ctx, "UPDATE audit_log SET actor = 'user:forger' WHERE id = 5"); err != nil {
				t.Fatal(err)
			}
			for _, c := range wireTampered {
				check(c, "tampered_")
			}
			if !*updateGoldens {
				for _, d := range []string{shared, own} {
					files, _ := filepath.Glob(filepath.Join(d, "*.txt"))
					for _, f := range files {
						if !seen[filepath.Base(f)] {
							t.Errorf("golden %s has no request", f)
						}
					}
				}
			}
		})
	}
}

// startWire serves the reference dataset with the fixture on engine e, with
// the fixed clock and randomness; fill names the published document and
// the accepted report in wirePaths' requests.
func startWire(t *testing.T, e testkit.Engine) (*wireEnv, *strings.Replacer, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db := testkit.Open(t, e)
	// Signing keys, verification codes, tokens and link secrets are
	// drawn from crypto/rand: a fixed seed makes them the same on
	// every run.
	cryptotest.SetGlobalRandom(t, 11)
	db.SetClock(func() time.Time { return wireNow })
	svc := service.New(db, slog.New(slog.DiscardHandler))
	refDoc, err := reference.Document()
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Import(ctx, service.System, refDoc); err != nil {
		t.Fatal(err)
	}
	env := &wireEnv{t: t, h: wireServer(t, svc), tokens: map[string]string{}}
	for _, r := range []struct {
		name   string
		role   service.Role
		agency string
	}{{"admin", service.RoleAdmin, ""}, {"sec", service.RoleSecretariat, ""}, {"ito", service.RoleAgency, "ito"}, {"reader", service.RoleReader, ""}} {
		if env.tokens[r.name], err = svc.CreateToken(ctx, r.role, "wire-"+r.name, r.agency); err != nil {
			t.Fatal(err)
		}
	}
	recordWireFixture(env)
	codes, err := svc.PublishedCodes(ctx, "decision", "itec-1/1/1")
	if err != nil || len(codes) != 1 {
		t.Fatalf("decision codes %v %v", codes, err)
	}
	reports := env.write("sec", "GET", "/api/v1/reports?state=accepted", nil)["items"].([]any)
	fill := strings.NewReplacer("{doc}", codes[0], "{report}", jsonNumber(reports[0].(map[string]any)["id"]))
	return env, fill, db
}
