package api_test

// Bad input: every malformed request is a problem+json naming its field,
// never a 5xx.

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

func TestAPIBadInput(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		recordRegistry(env)
		absent := func(t *testing.T, path string) {
			t.Helper()
			env.Get(path, env.Secretariat()).Problem(t, http.StatusNotFound)
		}
		post := func(path string, body any) *scenario.Response { return env.Post(path, env.Secretariat(), body) }

		t.Run("malformed", func(t *testing.T) {
			for _, b := range []string{`{"code": "bad-1" "name": {}}`, `{"code": "bad-1",`, `{"code": 'bad-1'}`, `{"code":"bad-1"} {"code":"bad-2"}`} {
				p := post("/api/v1/agencies", b).Problem(t, http.StatusBadRequest)
				if p.Detail == "" {
					t.Errorf("%s: no detail", b)
				}
			}
			post("/api/v1/agencies", "").Problem(t, http.StatusBadRequest)
			absent(t, "/api/v1/agencies/bad-1")
			absent(t, "/api/v1/agencies/bad-2")
		})
		t.Run("unknown field", func(t *testing.T) {
			a := agencyRecord("bad-3")
			a["colour"] = "red"
			post("/api/v1/agencies", a).Field(t, http.StatusBadRequest, "colour")
			absent(t, "/api/v1/agencies/bad-3")
			// On update too: nothing changes.
			b := agencyRecord("ag-one")
			b["name"], b["colour"] = scenario.Text("x", "changed"), "red"
			env.Put("/api/v1/agencies/ag-one", env.Secretariat(), env.ETagOf("/api/v1/agencies/ag-one"), b).Field(t, http.StatusBadRequest, "colour")
			if got := env.Must(env.Get("/api/v1/agencies/ag-one", ""), http.StatusOK).Obj(t); got["version"] != 1.0 || scenario.Path(t, got, "name", "en") != "Agency ag-one" {
				t.Errorf("a refused update changed the agency: %v", got)
			}
		})
		t.Run("wrong type", func(t *testing.T) {
			for _, c := range []struct {
				path, field string
				body        map[string]any
			}{
				{"/api/v1/agencies", "kind", map[string]any{"code": "bad-4", "name": scenario.Text("a", "b"), "kind": 5}},
				{"/api/v1/agencies", "name.fa", map[string]any{"code": "bad-4", "name": map[string]any{"fa": 5}, "kind": "ministry"}},
				{"/api/v1/terms", "number", map[string]any{"number": "twelve", "name": scenario.Text("a", "b")}},
				{"/api/v1/projects", "agencies", projectRecord("bad-4", func(p map[string]any) { p["agencies"] = "ag-one" })},
				{"/api/v1/programs", "declared_size", func() map[string]any { g := programRecord("bad-4", 20, "public"); g["declared_size"] = "23"; return g }()},
			} {
				post(c.path, c.body).Field(t, http.StatusBadRequest, c.field)
			}
			absent(t, "/api/v1/agencies/bad-4")
			absent(t, "/api/v1/projects/bad-4")
			absent(t, "/api/v1/programs/bad-4")
			if n := len(scenario.Items(t, env.Must(env.Get("/api/v1/terms", ""), http.StatusOK).Obj(t))); n != 1 {
				t.Errorf("%d terms after refused writes, want 1", n)
			}
		})
		t.Run("dates", func(t *testing.T) {
			term := termRecord(30)
			term["start"] = "2023-02-30"
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			term["start"] = "1402/13/01"
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			term["start"], term["end"] = "2021-08-03", "1402/12/30" // 1402 is not a leap year
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "end")
			term["start"], term["end"] = 20210803, nil
			post("/api/v1/terms", term).Field(t, http.StatusBadRequest, "start")
			absent(t, "/api/v1/terms/30")
			law := lawRecord("bad-law")
			law["approved"] = "1402/13/01"
			post("/api/v1/laws", law).Field(t, http.StatusBadRequest, "approved")
			absent(t, "/api/v1/laws/bad-law")
			pr := projectRecord("bad-date", func(p map[string]any) {
				p["deliverables"] = []any{map[string]any{"title": scenario.Text("a", "b"), "indicator": scenario.Text("a", "b"), "target": "1", "due": "2023-02-30"}}
			})
			post("/api/v1/projects", pr).Field(t, http.StatusBadRequest, "deliverables[0].due")
			absent(t, "/api/v1/projects/bad-date")
			g := programRecord("bad-date", 20, "public")
			g["stages"] = []any{map[string]any{"body": "council", "date": "1402/13/01", "note": scenario.Text("", "")}}
			post("/api/v1/programs", g).Field(t, http.StatusBadRequest, "stages[0].date")
			absent(t, "/api/v1/programs/bad-date")

			// Jalali dates are taken, in Latin or Persian digits, and kept in ISO form.
			law = lawRecord("jalali-law")
			law["approved"] = "1402/09/19"
			got := env.Must(post("/api/v1/laws", law), http.StatusCreated).Obj(t)
			if got["approved"] != "2023-12-10" {
				t.Errorf("approved 1402/09/19 stored as %v, want 2023-12-10", got["approved"])
			}
			if got := env.Must(env.Get("/api/v1/laws/jalali-law", ""), http.StatusOK).Obj(t); got["approved"] != "2023-12-10" {
				t.Errorf("approved read back as %v", got["approved"])
			}
			term = termRecord(31)
			term["start"], term["end"] = "۱۴۰۰/۰۵/۱۲", "2024-05-19"
			got = env.Must(post("/api/v1/terms", term), http.StatusCreated).Obj(t)
			if got["start"] != "2021-08-03" || got["end"] != "2024-05-19" {
				t.Errorf("term dates stored as %v – %v", got["start"], got["end"])
			}
		})
		t.Run("too large", func(t *testing.T) {
			a := agencyRecord("big")
			a["name"] = scenario.Text(strings.Repeat("a", api1MiB), "b")
			post("/api/v1/agencies", a).Problem(t, http.StatusRequestEntityTooLarge)
			absent(t, "/api/v1/agencies/big")
		})
		t.Run("invalid utf-8", func(t *testing.T) {
			post("/api/v1/agencies", []byte("{\"code\":\"bad-5\",\"name\":{\"fa\":\"\xff\xfe\",\"en\":\"b\"},\"kind\":\"ministry\"}")).Problem(t, http.StatusBadRequest)
			absent(t, "/api/v1/agencies/bad-5")
		})
		t.Run("NUL characters", func(t *testing.T) {
			// PostgreSQL cannot store NUL in text; every engine refuses it alike.
			for _, c := range []struct {
				field string
				mod   func(map[string]any)
			}{
				{"title.fa", func(p map[string]any) { p["title"] = scenario.Text("a\u0000b", "x") }},
				{"agencies[0].note.en", func(p map[string]any) {
					p["agencies"] = []any{map[string]any{"agency": "ag-one", "role": "lead", "note": scenario.Text("", "\u0000")}, takingPart("ag-two")}
				}},
				{"mandates[0].article", func(p map[string]any) { p["mandates"] = []any{map[string]any{"law": "law-x", "article": "5\u0000"}} }},
			} {
				post("/api/v1/projects", projectRecord("nul", c.mod)).Field(t, http.StatusBadRequest, c.field)
			}
			absent(t, "/api/v1/projects/nul")
			// An escaped backslash before "u0000" is no NUL.
			a := agencyRecord("not-nul")
			a["name"] = scenario.Text("", `back\u0000slash`)
			if got := env.Must(post("/api/v1/agencies", a), http.StatusCreated).Obj(t); scenario.Path(t, got, "name", "en") != `back\u0000slash` {
				t.Errorf("name stored as %v", got["name"])
			}
		})
		t.Run("content type", func(t *testing.T) {
			r := env.Do(scenario.Request{Method: "POST", Path: "/api/v1/agencies", Token: env.Secretariat(), Body: agencyRecord("bad-6"),
				Header: map[string]string{"Content-Type": "text/plain"}})
			r.Field(t, http.StatusUnsupportedMediaType, "Content-Type")
			absent(t, "/api/v1/agencies/bad-6")
		})
		t.Run("invalid values", func(t *testing.T) {
			a := agencyRecord("Bad Code")
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "code")
			a = agencyRecord("bad-7")
			a["kind"] = "ministryy"
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "kind")
			a["kind"], a["parent"] = "ministry", "nope"
			post("/api/v1/agencies", a).Field(t, http.StatusUnprocessableEntity, "parent")
			absent(t, "/api/v1/agencies/bad-7")
			post("/api/v1/projects", projectRecord("bad-7", func(p map[string]any) {
				p["agencies"] = []any{leadBy("ag-one"), map[string]any{"agency": "ag-two", "role": "boss"}}
			})).Field(t, http.StatusUnprocessableEntity, "agencies[1].role")
			post("/api/v1/projects", projectRecord("bad-7", func(p map[string]any) { p["title"] = scenario.Text(" ", "") })).Field(t, http.StatusUnprocessableEntity, "title")
			absent(t, "/api/v1/projects/bad-7")
		})
		t.Run("duplicates", func(t *testing.T) {
			post("/api/v1/agencies", agencyRecord("ag-one")).Field(t, http.StatusConflict, "code")
			post("/api/v1/laws", lawRecord("law-x")).Field(t, http.StatusConflict, "slug")
			post("/api/v1/terms", termRecord(20)).Field(t, http.StatusConflict, "number")
			post("/api/v1/programs", programRecord("prog-pub", 20, "public")).Field(t, http.StatusConflict, "id")
			env.Create("/api/v1/projects", projectRecord("dup"))
			changed := projectRecord("dup", func(p map[string]any) { p["title"] = scenario.Text("دیگر", "another") })
			post("/api/v1/projects", changed).Field(t, http.StatusConflict, "slug")
			if got := env.Must(env.Get("/api/v1/projects/dup", ""), http.StatusOK).Obj(t); got["version"] != 1.0 || scenario.Path(t, got, "title", "en") != "Registry system dup" {
				t.Errorf("a duplicate create changed the project: %v", got)
			}
		})
		t.Run("dangling references", func(t *testing.T) {
			post("/api/v1/projects", projectRecord("dangle", ledBy("nope", "ag-one"))).Field(t, http.StatusUnprocessableEntity, "agencies[0].agency")
			post("/api/v1/projects", projectRecord("dangle", func(p map[string]any) {
				p["mandates"] = []any{map[string]any{"law": "law-x", "article": "5"}, map[string]any{"law": "no-law", "article": "1"}}
			})).Field(t, http.StatusUnprocessableEntity, "mandates[1].law")
			post("/api/v1/projects", projectRecord("dangle", func(p map[string]any) { p["depends_on"] = []any{"nope"} })).Field(t, http.StatusUnprocessableEntity, "depends_on[0]")
			post("/api/v1/projects", projectRecord("dangle", func(p map[string]any) {
				p["predecessors"] = []any{map[string]any{"project": "nope", "kind": "evolved", "note": scenario.Text("", "")}}
			})).Field(t, http.StatusUnprocessableEntity, "predecessors[0].project")
			// Naming a project twice is the caller's mistake, named like one.
			env.Create("/api/v1/projects", projectRecord("base"))
			post("/api/v1/projects", projectRecord("dangle", func(p map[string]any) { p["depends_on"] = []any{"base", "base"} })).Field(t, http.StatusUnprocessableEntity, "depends_on[1]")
			post("/api/v1/projects", projectRecord("dangle", func(p map[string]any) {
				p["predecessors"] = []any{map[string]any{"project": "base", "kind": "evolved"}, map[string]any{"project": "base", "kind": "renamed"}}
			})).Field(t, http.StatusUnprocessableEntity, "predecessors[1].project")
			absent(t, "/api/v1/projects/dangle")
			post("/api/v1/programs", programRecord("dangle", 99, "public")).Field(t, http.StatusUnprocessableEntity, "term")
			g := programRecord("dangle", 20, "public")
			g["candidates"] = []any{"nope"}
			post("/api/v1/programs", g).Field(t, http.StatusUnprocessableEntity, "candidates[0]")
			absent(t, "/api/v1/programs/dangle")
			// An update naming an unknown agency leaves the project as it was.
			env.Create("/api/v1/projects", projectRecord("linked"))
			env.Put("/api/v1/projects/linked", env.Secretariat(), env.ETagOf("/api/v1/projects/linked"),
				projectRecord("linked", ledBy("ag-one", "nope"))).Field(t, http.StatusUnprocessableEntity, "agencies[1].agency")
			got := env.Must(env.Get("/api/v1/projects/linked", ""), http.StatusOK).Obj(t)
			if got["version"] != 1.0 || len(got["agencies"].([]any)) != 2 || scenario.Path(t, got, "agencies", 1, "agency") != "ag-two" {
				t.Errorf("a refused update changed the project: %v", got)
			}
		})
		t.Run("query parameters", func(t *testing.T) {
			for _, c := range []struct{ query, field string }{
				{"limit=0", "limit"}, {"limit=abc", "limit"}, {"limit=-1", "limit"}, {"limit=1001", "limit"},
				{"cursor=!!!", "cursor"}, {"cursor=" + url.QueryEscape("a b"), "cursor"},
			} {
				for _, p := range []string{"/api/v1/agencies", "/api/v1/terms", "/api/v1/projects", "/api/v1/programs/prog-pub/projects"} {
					env.Get(p+"?"+c.query, "").Field(t, http.StatusBadRequest, c.field)
				}
			}
			env.Get("/api/v1/projects?kind=gadget", "").Field(t, http.StatusBadRequest, "kind")
			env.Get("/api/v1/projects?status=asleep", "").Field(t, http.StatusBadRequest, "status")
			env.Get("/api/v1/projects?agency=Not%20A%20Code", "").Field(t, http.StatusBadRequest, "agency")
			env.Get("/api/v1/programs/prog-pub/projects?active=maybe", "").Field(t, http.StatusBadRequest, "active")
			env.Get("/api/v1/terms/abc", "").Field(t, http.StatusBadRequest, "number")
			env.Get("/api/v1/programs/prog-pub/preview", env.Secretariat()).Field(t, http.StatusBadRequest, "project")
			// A cursor that decodes to bytes no key can hold is refused, not a server error.
			for _, raw := range []string{"\x00", "\xff\xfe", "a\x00b"} {
				c := base64.RawURLEncoding.EncodeToString([]byte(raw))
				for _, p := range []string{"/api/v1/agencies", "/api/v1/laws", "/api/v1/projects", "/api/v1/programs", "/api/v1/programs/prog-pub/projects"} {
					if r := env.Get(p+"?cursor="+c, ""); r.Status != http.StatusBadRequest && r.Status != http.StatusOK {
						t.Errorf("GET %s?cursor=%q: %s", p, raw, r)
					}
				}
			}
			env.Get("/api/v1/nothing-here", "").Problem(t, http.StatusNotFound)
		})
		t.Run("never a server error", func(t *testing.T) {
			sendGarbage(t, env)
		})
	})
}

const api1MiB = 1 << 20

// garbageBodies are request bodies that no route should answer with a
// server error.
var garbageBodies = []string{
	"", " ", "null", "true", "0", "-1", "1e999", `"x"`, "[]", "{}", "[{}]", `{"":""}`,
	"{", "}", `{"a":}`, `{"a" 1}`, `{"slug":"x"}{"slug":"y"}`, `{"slug":"x"} trailing`,
	"\xff\xfe", "\xef\xbb\xbf{}", `{"slug":"\ud800"}`,
	strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
	strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
	`{"number":99999999999999999999999}`, `{"number":-5}`, `{"number":1.5}`, `{"number":"12"}`, `{"number":1e3}`,
	`{"title":null,"name":null,"agencies":null,"stages":null,"mandates":null,"deliverables":null}`,
	`{"title":"flat","name":"flat","note":"flat"}`, `{"title":{"fa":1}}`, `{"title":{"fa":"a","en":"b","de":"c"}}`,
	`{"agencies":[null,1,"x",{"agency":null}]}`, `{"mandates":[{"law":"law-x","article":""}]}`,
	`{"stages":[{"body":"council","passed":["nope"],"sourced_count":-1}]}`, `{"stages":[null]}`,
	`{"declared_size":1e10}`, `{"declared_size":-1}`, `{"start":"2023-02-30"}`, `{"start":5}`, `{"date":"۱۴۰۲/۱۳/۰۱"}`,
	`{"approved":"13/13/13"}`, `{"deliverables":[{"due":"x"}]}`, `{"date":"9999-12-31"}`, `{"date":"3000/12/30"}`,
	`{"project":"nope"}`, `{"project":"good","date":"2023-02-30"}`, `{"project":"good","stage":"cabinet"}`,
	`{"reason":"nope"}`, `{"reason":"evolved"}`, `{"reason":"other"}`, `{"reason":"evolved","successor":"good"}`,
	`{"reason":"merged","successor":"nope"}`, `{"note":"flat"}`, `{"note":{"fa":"","en":""}}`,
	`{"predecessors":[{"project":"x","kind":"evolved"}]}`, `{"depends_on":["good","good"]}`, `{"capabilities":["a","a"]}`,
	`{"parent":"ag-one","code":"ag-one"}`, `{"sources":[{"ref":""}]}`, `{"sources":[{"ref":"x","confidence":"total"}]}`,
	`{"version":5,"created_at":"yesterday"}`, `{"created_at":"2023-12-10T00:00:00Z","version":-1}`,
	`{"slug":"` + strings.Repeat("a", 5000) + `"}`, `{"title":{"fa":"` + strings.Repeat("ب", 20000) + `","en":""}}`,
	`{"title":{"fa":"nul\u0000byte","en":"x"},"name":{"fa":"nul\u0000","en":"x"},"note":{"fa":"\u0000","en":""}}`,
}

// sendGarbage sends every garbage body, and some near-valid records, to every
// POST and PUT route of the API, and requires a client error, never a
// server error.
func sendGarbage(t *testing.T, env *scenario.Server) {
	env.Create("/api/v1/projects", projectRecord("good"))
	ev := env.Must(env.Post("/api/v1/programs/prog-pub/members", env.Secretariat(), map[string]any{"project": "good"}), http.StatusCreated).Obj(t)
	eventID := ftoa(scenario.Path(t, ev, "event", "id").(float64))
	values := map[string]string{"number": "20", "code": "ag-one", "id": "prog-pub", "project": "good", "event": eventID}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	valid := map[string]map[string]any{
		"/api/v1/terms": termRecord(20), "/api/v1/agencies": agencyRecord("ag-one"), "/api/v1/laws": lawRecord("law-x"),
		"/api/v1/projects": projectRecord("good"), "/api/v1/programs": programRecord("prog-pub", 20, "public"),
	}
	routes := 0
	for _, rt := range env.API.Routes() {
		if rt.Method != "POST" && rt.Method != "PUT" {
			continue
		}
		routes++
		path := rt.Pattern
		for k, v := range values {
			path = strings.ReplaceAll(path, "{"+k+"}", v)
		}
		if strings.HasPrefix(path, "/api/v1/laws/") {
			path = strings.ReplaceAll(path, "{slug}", "law-x")
		}
		path = strings.ReplaceAll(path, "{slug}", "good")
		path = param.ReplaceAllString(path, "1") // routes this test does not know yet
		bodies := slices.Clone(garbageBodies)
		// Near-valid records: a valid one with each field nulled, or of the wrong shape.
		for prefix, rec := range valid {
			if !strings.HasPrefix(path, prefix) || strings.Count(path, "/") > 5 {
				continue
			}
			for k := range rec {
				for _, bad := range []any{nil, 0, "x", "x\u0000", []any{}, map[string]any{}, []any{nil}, []any{"\u0000"}} {
					b := map[string]any{}
					for k2, v2 := range rec {
						b[k2] = v2
					}
					b[k] = bad
					j, _ := json.Marshal(b)
					bodies = append(bodies, string(j))
				}
			}
		}
		for _, body := range bodies {
			h := map[string]string{}
			if rt.Method == "PUT" {
				h["If-Match"] = `"v1-0000000000000000"`
				if r := env.Get(path, env.Secretariat()); r.Status == http.StatusOK {
					h["If-Match"] = r.Header.Get("ETag")
				}
			}
			r := env.Do(scenario.Request{Method: rt.Method, Path: path, Token: env.Secretariat(), Body: body, Header: h})
			if r.Status >= 500 || r.Status < 200 {
				t.Errorf("%s %s with %.80q: %s", rt.Method, path, body, r)
				continue
			}
			if r.Status >= 400 && r.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s %s with %.80q: %d as %q", rt.Method, path, body, r.Status, r.Header.Get("Content-Type"))
			}
		}
	}
	if routes < 13 {
		t.Errorf("only %d POST/PUT routes found", routes)
	}
}
