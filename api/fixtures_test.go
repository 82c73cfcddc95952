package api_test

// What the API's tests share on top of the harness (internal/testkit and
// its scenario): the server they start, the records they post or record
// through the service, and the readers of what the API answers.

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// newAPI serves the API alone over env, its secretariat token made before
// anything else is recorded (the versions and audit entries the tests
// read count from there).
func newAPI(env *scenario.Env, opts ...scenario.ServeOption) *scenario.Server {
	env.T.Helper()
	srv := env.Serve(append(opts, scenario.APIOnly())...)
	srv.Secretariat()
	return srv
}

// ruleIDs returns the rule ids of a refused designation, in order.
func ruleIDs(p api.Problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Rule)
	}
	return out
}

var etagPattern = regexp.MustCompile(`^"v([0-9]+)-[0-9a-f]{16}"$`)

func agencyRecord(code string) map[string]any {
	return map[string]any{"code": code, "name": scenario.Text("دستگاه "+code, "Agency "+code), "kind": "organization"}
}

func lawRecord(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "title": scenario.Text("قانون "+slug, "Law "+slug), "number": "42",
		"approving_body": scenario.Text("مجلس", "Parliament"),
		"articles":       []any{map[string]any{"number": "5"}, map[string]any{"number": "7"}},
	}
}

func termRecord(n int) map[string]any {
	return map[string]any{"number": n, "name": scenario.Text("دولت "+strconv.Itoa(n), "Government "+strconv.Itoa(n))}
}

func programRecord(id string, term int, visibility string) map[string]any {
	return map[string]any{
		"id": id, "title": scenario.Text("فهرست "+id, "List "+id), "term": term, "kind": "smart-government-driving",
		"visibility": visibility, "declared_size": 5, "status": "adopted",
		"stages":       []any{map[string]any{"body": "council", "sourced_count": 5, "note": scenario.Text("", "")}},
		"source_notes": scenario.Text("", ""),
	}
}

func leadBy(code string) map[string]any { return map[string]any{"agency": code, "role": "lead"} }
func takingPart(code string) map[string]any {
	return map[string]any{"agency": code, "role": "participant"}
}

// projectRecord is a project that meets every designation rule (two agencies,
// one lead, a mandate on a recorded article, a scope and a measurable
// deliverable); mods take it apart.
func projectRecord(slug string, mods ...func(map[string]any)) map[string]any {
	p := map[string]any{
		"slug":            slug,
		"title":           scenario.Text("سامانه ثبت "+slug, "Registry system "+slug),
		"summary":         scenario.Text("خلاصه", "Summary"),
		"scope":           scenario.Text("ثبت یکپارچه پرونده‌ها", "Integrated registration of files"),
		"kind":            "service",
		"confidentiality": "public",
		"status":          "proposed",
		"agencies":        []any{leadBy("ag-one"), takingPart("ag-two")},
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

func confidentialProject(p map[string]any) { p["confidentiality"] = "confidential" }
func oneAgency(p map[string]any)           { p["agencies"] = []any{leadBy("ag-one")} }
func noMandate(p map[string]any)           { p["mandates"] = []any{} }
func ledBy(code, other string) func(map[string]any) {
	return func(p map[string]any) { p["agencies"] = []any{leadBy(code), takingPart(other)} }
}

// recordRegistry records a term (20), three agencies, a law with articles 5
// and 7, and a public program (prog-pub).
func recordRegistry(env *scenario.Server) {
	env.Env.T.Helper()
	env.Create("/api/v1/terms", termRecord(20))
	for _, c := range []string{"ag-one", "ag-two", "ag-three"} {
		env.Create("/api/v1/agencies", agencyRecord(c))
	}
	env.Create("/api/v1/laws", lawRecord("law-x"))
	env.Create("/api/v1/programs", programRecord("prog-pub", 20, "public"))
}

// recordMeetingRegistry records, through the service, agencies moh, ito and tamin, a
// law, a term and projects p0…p4, and an adopted list whose main projects
// are p0, p1 and p4 (p4 confidential), with p2 and p3 ordinary members.
func recordMeetingRegistry(t *testing.T, env *scenario.Server) {
	t.Helper()
	ctx, sys := env.Env.Ctx, service.System
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.Env.Svc.CreateTerm(ctx, sys, &domain.Term{Number: 14, Name: domain.T("دولت چهاردهم", "14th government")}))
	for _, code := range []string{"moh", "ito", "tamin"} {
		must(env.Env.Svc.CreateAgency(ctx, sys, &domain.Agency{Code: code, Name: domain.T("دستگاه "+code, "Agency "+code), Kind: domain.AgencyOrganization}))
	}
	must(env.Env.Svc.CreateLaw(ctx, sys, &domain.Law{Slug: "plan7", Title: domain.T("برنامه هفتم", "Seventh plan")}))
	for i := range 5 {
		slug := fmt.Sprintf("p%d", i)
		must(env.Env.Svc.CreateProject(ctx, sys, &domain.Project{Slug: slug, Title: domain.T("سامانه "+slug, "System "+slug),
			Scope: domain.T("دامنه مشخص", "a specific scope"), Kind: domain.KindService, Confidentiality: domain.Public, Status: domain.Proposed,
			Agencies:     []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}},
			Mandates:     []domain.Mandate{{Law: "plan7", Article: "1"}},
			Deliverables: []domain.Deliverable{{Title: domain.T("استقرار", "roll-out"), Indicator: domain.T("سهم", "share"), Target: "100%"}}}))
	}
	must(env.Env.Svc.CreateProgram(ctx, sys, &domain.Program{Slug: "gov14", Title: domain.T("پیشران", "Driving"), Term: 14,
		Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}))
	for _, p := range []string{"p0", "p1", "p2", "p3", "p4"} {
		_, _, err := env.Env.Svc.Designate(ctx, sys, service.Designation{Program: "gov14", Project: p, Main: p == "p0" || p == "p1" || p == "p4"})
		must(err)
	}
	p4, err := env.Env.Svc.Project(ctx, sys, "p4")
	must(err)
	p4.Confidentiality = domain.Confidential
	must(env.Env.Svc.UpdateProject(ctx, sys, p4.Project))
}

// agendaKeys lists an agenda's items as "project:p0" / "action:7".
func agendaKeys(t *testing.T, m map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range scenario.Items(t, m) {
		switch it["kind"] {
		case "project":
			out = append(out, "project:"+it["project"].(string))
		case "action":
			out = append(out, fmt.Sprintf("action:%d", int64(it["action"].(float64))))
		default:
			out = append(out, "other")
		}
	}
	return out
}

// intAt is the number at the path of keys in a decoded JSON object.
func intAt(m map[string]any, path ...string) int64 {
	var cur any = m
	for _, k := range path {
		cur = cur.(map[string]any)[k]
	}
	return int64(cur.(float64))
}

// serveGet sends a GET straight to a handler, with Accept when set, and
// returns the status, the headers and the body: for the tests that
// reconfigure the API server they hold while it serves.
func serveGet(t *testing.T, srv http.Handler, path, accept string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, rec.Header(), string(body)
}
