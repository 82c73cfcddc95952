package api_test

// What the API's tests share on top of the harness (internal/testkit and
// its scenario): the server they start, and the records they post.

import (
	"regexp"
	"strconv"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit/scenario"
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

// atRules returns the rule ids of a refused designation, in order.
func atRules(p api.Problem) []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Rule)
	}
	return out
}

var atETag = regexp.MustCompile(`^"v([0-9]+)-[0-9a-f]{16}"$`)

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
