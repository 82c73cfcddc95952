package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestConfidentialReferenceProbe checks that an agency that may not see a
// confidential project cannot learn it exists by writing a reference to
// it: every write naming it answers exactly as the same write naming a
// project that was never recorded (status, content type, problem body,
// the slug itself aside), and writes nothing; and that an edit by the same
// agency keeps the links it may not see instead of dropping them.
func TestConfidentialReferenceProbe(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		const hidden, missing = "hush-infra", "none-infra"
		project := func(slug, lead, other string, mods ...func(map[string]any)) map[string]any {
			return projectRecord(slug, append([]func(map[string]any){func(p map[string]any) {
				p["agencies"] = []any{leadBy(lead), takingPart(other)}
				p["mandates"] = []any{map[string]any{"law": "constitution", "article": "138"}}
			}}, mods...)...)
		}
		env.Create("/api/v1/projects", project(hidden, "ito", "sabt", func(p map[string]any) {
			p["kind"], p["confidentiality"], p["status"] = "infrastructure", "confidential", "in-progress"
		}))
		env.Create("/api/v1/projects", project("ict-svc", "ict", "aro"))
		ict := env.Env.Token("agency", "ict")

		deps := func(slugs ...string) func(map[string]any) {
			return func(p map[string]any) { p["depends_on"] = slugs }
		}
		preds := func(slug string) func(map[string]any) {
			return func(p map[string]any) {
				p["predecessors"] = []any{map[string]any{"project": slug, "kind": "evolved", "note": scenario.Text("", "")}}
			}
		}
		type write struct {
			name, method, path string
			body               func(ref string) any
		}
		writes := []write{
			{"a new project depending on it", "POST", "/api/v1/projects", func(ref string) any {
				return project("ict-new", "ict", "aro", deps("nix", ref))
			}},
			{"a new project succeeding it", "POST", "/api/v1/projects", func(ref string) any {
				return project("ict-new", "ict", "aro", preds(ref))
			}},
			{"a new project with an earlier fault too", "POST", "/api/v1/projects", func(ref string) any {
				return project("ict-new", "ict", "no-such-agency", deps(ref))
			}},
			{"an edit depending on it", "PUT", "/api/v1/projects/ict-svc", func(ref string) any {
				return project("ict-svc", "ict", "aro", deps(ref))
			}},
			{"a report on it", "POST", "/api/v1/reports", func(ref string) any {
				return map[string]any{"project": ref, "period": "1403-02"}
			}},
			{"a milestone of it", "POST", "/api/v1/projects/{ref}/milestones", func(ref string) any {
				return map[string]any{"title": scenario.Text("گام", "step"), "planned": "2025-06-01"}
			}},
			{"a rating of it", "POST", "/api/v1/projects/{ref}/ratings", func(ref string) any {
				return map[string]any{"kind": "self", "score": 3}
			}},
			{"reading it", "GET", "/api/v1/projects/{ref}", nil},
		}
		answer := func(w write, ref string) (int, string, []byte) {
			path := string(bytes.ReplaceAll([]byte(w.path), []byte("{ref}"), []byte(ref)))
			h := map[string]string{}
			if w.method == "PUT" {
				h["If-Match"] = env.ETagOf(path)
			}
			var body any
			if w.body != nil {
				body = w.body(ref)
			}
			r := env.Do(scenario.Request{Method: w.method, Path: path, Token: ict, Body: body, Header: h})
			return r.Status, r.Header.Get("Content-Type"), bytes.ReplaceAll(r.Body, []byte(ref), []byte("{ref}"))
		}
		for _, w := range writes {
			hs, hct, hb := answer(w, hidden)
			ms, mct, mb := answer(w, missing)
			if hs < 400 || hs != ms || hct != mct || !bytes.Equal(hb, mb) {
				t.Errorf("%s: naming the confidential project answers %d %s %s\nnaming a missing one answers %d %s %s",
					w.name, hs, hct, hb, ms, mct, mb)
			}
		}
		env.Must(env.Get("/api/v1/projects/ict-new", env.Secretariat()), http.StatusNotFound)

		// The secretariat links ict's project to the confidential one; ict
		// reads it without the link, counted, and its edit keeps the link.
		p := project("ict-svc", "ict", "aro", deps("nix", hidden), preds(hidden))
		env.Must(env.Put("/api/v1/projects/ict-svc", env.Secretariat(), env.ETagOf("/api/v1/projects/ict-svc"), p), http.StatusOK)
		r := env.Must(env.Get("/api/v1/projects/ict-svc", ict), http.StatusOK)
		var seen map[string]any
		if err := json.Unmarshal(r.Body, &seen); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(r.Body, []byte(hidden)) || seen["hidden_links"] != float64(2) {
			t.Errorf("ict reads its project as %s; want no %s and hidden_links 2", r.Body, hidden)
		}
		seen["summary"] = scenario.Text("خلاصه تازه", "A new summary")
		env.Must(env.Put("/api/v1/projects/ict-svc", ict, r.Header.Get("ETag"), seen), http.StatusOK)
		var all struct {
			DependsOn    []string `json:"depends_on"`
			Predecessors []struct {
				Project string `json:"project"`
			} `json:"predecessors"`
			Summary struct{ EN string } `json:"summary"`
		}
		r = env.Must(env.Get("/api/v1/projects/ict-svc", env.Secretariat()), http.StatusOK)
		if err := json.Unmarshal(r.Body, &all); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(all.DependsOn, hidden) || len(all.Predecessors) != 1 || all.Predecessors[0].Project != hidden ||
			all.Summary.EN != "A new summary" {
			t.Errorf("after ict's edit the secretariat reads %s; the hidden links must stay", r.Body)
		}
	})
}
