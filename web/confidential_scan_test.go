package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// marker is planted in every field of a confidential project and of every
// record about it; no answer to a reader who may not see the project may
// contain it, in any case.
const marker = "zqxmark"

// confSlug is the confidential project's slug: it carries the marker too.
const confSlug = marker + "-secret"

func m(what string) string { return "ZQXMARK " + what }

func mt(what string) domain.Text { return domain.T(m(what)+" فا", m(what)+" en") }

// projectColumns lists every column of the schema that refers to a
// project by its database id, with the address at which the secretariat
// reads, through that column, what the scan planted: the control that the
// planting took. The scan derives the columns from the schema itself
// (foreign keys to projects(id)), so a column added later fails it until
// it is handled by the visibility rule (service/visibility.go) and listed
// here. {conf}, {ictAction} and {confReport} stand for the fixture's ids.
var projectColumns = map[string]string{
	// The confidential project's own records.
	"project_agencies.project_id":     "/api/v1/projects/{conf}",
	"project_mandates.project_id":     "/api/v1/projects/{conf}",
	"project_dependencies.project_id": "/api/v1/projects/{conf}",
	"project_capabilities.project_id": "/api/v1/projects/{conf}",
	"project_lineage.project_id":      "/api/v1/projects/{conf}",
	"membership_events.project_id":    "/api/v1/programs/gov13-smart-driving/members/{conf}/events",
	"memberships.project_id":          "/api/v1/programs/gov13-smart-driving/projects",
	"milestones.project_id":           "/api/v1/projects/{conf}/milestones",
	"kpis.project_id":                 "/api/v1/projects/{conf}/kpis",
	"reports.project_id":              "/api/v1/reports/{confReport}",
	"ratings.project_id":              "/api/v1/projects/{conf}/ratings",
	"baselines.project_id":            "/api/v1/projects/{conf}/baselines",
	"progress_state.project_id":       "/api/v1/projects/{conf}/health",
	// Other records naming it: public ones, read by everyone.
	"project_dependencies.depends_on_id": "/api/v1/projects/open-linker",
	"project_lineage.predecessor_id":     "/api/v1/projects/open-linker",
	"program_candidates.project_id":      "/api/v1/programs/draft-list",
	"stage_passes.project_id":            "/api/v1/programs/draft-list",
	"membership_events.successor_id":     "/api/v1/programs/gov13-smart-driving/members/old-linker/events",
	"memberships.successor_id":           "/api/v1/projects/old-linker",
	"action_projects.project_id":         "/api/v1/actions/{ictAction}",
	"outcome_projects.project_id":        "/api/v1/meetings/itec-1",
	"agenda_items.project_id":            "/api/v1/meetings/itec-1",
	"exchange_integrations.project_id":   "/api/v1/projects/{conf}/integrations",
}

// projectCarriers lists the columns that hold a project's slug or title as
// text or JSON rather than as a foreign key, how each is kept from readers,
// and where the secretariat reads what the scan planted ("" where nothing
// about a confidential project is ever written: asserted).
var projectCarriers = map[string]struct{ rule, control string }{
	"projects.slug":            {"the project's own key: visibleSQL", "/api/v1/projects/{conf}"},
	"progress_state.slug":      {"the project's own follow-up: read per viewer (ProjectHeads)", "/api/v1/status?limit=100"},
	"audit_log.record":         {"the audit trail is read only by those who see every project", "/api/v1/audit?kind=project&record={conf}"},
	"audit_log.before":         {"the audit trail is read only by those who see every project", "/api/v1/audit?kind=project&record=open-linker"},
	"audit_log.after":          {"the audit trail is read only by those who see every project", "/api/v1/audit?kind=project&record=open-linker"},
	"audit_expected.record":    {"the daily audit check's fold of the log, read by that check alone, never served", "/api/v1/audit?kind=project&record={conf}"},
	"signed_documents.ref":     {"only public records are published (service/publish.go)", ""},
	"signed_documents.content": {"only public records are published (service/publish.go)", ""},
	"reminders.ref":            {"Service.Reminders passes each through the rule", "/api/v1/agencies/ito/reminders"},
	"reminders.text_fa":        {"Service.Reminders passes each through the rule", "/api/v1/agencies/ito/reminders"},
	"reminders.text_en":        {"Service.Reminders passes each through the rule", "/api/v1/agencies/ito/reminders"},
	"agenda_items.title_fa":    {"agenda items about a hidden project are left out (store, service)", "/api/v1/meetings/itec-1"},
	"agenda_items.title_en":    {"agenda items about a hidden project are left out (store, service)", "/api/v1/meetings/itec-1"},
	// The search index names every record it holds; each hit passes the
	// viewer's rule in the query (store/search.go, searchVisible). The
	// query is the start of the marker, so the answer's echo of it is not
	// the marker.
	"search_docs.ref": {"every hit passes searchVisible in the query", "/api/v1/search?q=" + markerStart + "&kind=project"},
}

// A meeting's decisions are public once it is closed and its minutes
// published, never while it is only held: the fixture's closed itec-1
// decided publishedDec about open-linker, its held itec-3 heldDec, whose
// Persian text holds heldWord (a search for it does not echo the marker).
const (
	publishedDec = "PUBDEC"
	heldDec      = "HELDDEC"
	heldWord     = "منتشرنشده"
)

// markerStart is the start of the marker: a search for it finds every
// record carrying the marker, and its echo is not the marker.
const markerStart = "zqxmar"

// notProjectRefs are the columns whose names look like a reference to a
// project (see suspicious) but are not one.
var notProjectRefs = map[string]string{
	"programs.slug":         "a program's key",
	"laws.slug":             "a law's key",
	"baselines.reference":   "the approval's reference number",
	"evidence.content":      "an evidence file's bytes",
	"evidence.content_type": "an evidence file's type",
	"search_docs.ref_id":    "the search index's link to the record's own row: read only with searchVisible",
	"sheet_uploads.content": "an uploaded spreadsheet's bytes, read back only by its uploader (staff import)",
}

// suspicious reports whether a column's name says it may name a project.
func suspicious(col string) bool {
	_, col, _ = strings.Cut(col, ".")
	for _, part := range strings.Split(col, "_") {
		switch part {
		case "project", "projects", "successor", "depends", "predecessor", "candidate", "candidates", "passed",
			"slug", "ref", "reference", "record", "content", "before", "after":
			return true
		}
	}
	return false
}

// schema returns the columns that are foreign keys to projects(id), and
// every column, as "table.column", read from the database's own catalog.
func schema(t *testing.T, db *store.DB) (fks, cols []string) {
	t.Helper()
	_, read := db.Pools()
	q := func(query string) []string {
		rows, err := read.Query(query)
		if err != nil {
			t.Fatalf("schema: %v", err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		sort.Strings(out)
		return slices.Compact(out)
	}
	if db.Engine() == store.Postgres {
		fks = q(`SELECT cl.relname || '.' || a.attname FROM pg_constraint c
			JOIN pg_class cl ON cl.oid = c.conrelid
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			JOIN pg_class ref ON ref.oid = c.confrelid
			WHERE c.contype = 'f' AND ref.relname = 'projects' AND ref.relnamespace = current_schema()::regnamespace`)
		cols = q(`SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()`)
	} else {
		fks = q(`SELECT m.name || '.' || f."from" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
			WHERE m.type = 'table' AND f."table" = 'projects'`)
		cols = q(`SELECT m.name || '.' || c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table'`)
	}
	return fks, cols
}

// scanFixture is what the fixture made, for filling in addresses.
type scanFixture struct {
	confID     int64
	confReport int64
	pubReport  int64
	ictAction  int64
	itoAction  int64
	codes      []string // verification codes of published documents
	sessions   map[string]string
}

// TestConfidentialScan plants a confidential project carrying the marker in
// every text field and links it from every column of the schema that can
// refer to a project (derived from the schema: see projectColumns), then
// reads every GET route of the OpenAPI document (path parameters filled
// with the ids of the public records that link to it, and its own), and
// every page, feed and download reachable from the home page and the
// workspace (XLSX opened), as the public, a reader, a council member and an
// agency not on the project that owns an action about it — and fails on
// the marker. The same reads as the secretariat must find it, column by
// column, or the planting proved nothing. The public's walk also holds the
// rule for a meeting's decisions (see publishedDec): it fails on the decision
// of a meeting held but not closed, and the public must read the closed
// meeting's wherever decisions are listed.
func TestConfidentialScan(t *testing.T) {
	for _, eng := range testkit.Engines() {
		t.Run(eng.Name, func(t *testing.T) {
			e := newEnv(t, eng)
			fx := plantConfidential(t, e)
			db := e.svc.DB()

			// The schema's references to projects, each handled and planted.
			fks, cols := schema(t, db)
			if len(fks) < 10 {
				t.Fatalf("found only %d foreign keys to projects: %v", len(fks), fks)
			}
			for _, c := range fks {
				if _, ok := projectColumns[c]; !ok {
					t.Errorf("%s refers to projects but the visibility rule and this scan do not know it: "+
						"pass what it names through service/visibility.go and list it in projectColumns", c)
				}
			}
			for c := range projectColumns {
				if !slices.Contains(fks, c) {
					t.Errorf("projectColumns lists %s, which is not a foreign key to projects in the schema", c)
				}
			}
			for _, c := range cols {
				if slices.Contains(fks, c) || !suspicious(c) {
					continue
				}
				if _, ok := projectCarriers[c]; ok {
					continue
				}
				if _, ok := notProjectRefs[c]; !ok {
					t.Errorf("column %s may hold a project's slug: list it in projectCarriers (with the rule that keeps it from readers) or in notProjectRefs", c)
				}
			}
			for c := range projectCarriers {
				if !slices.Contains(cols, c) {
					t.Errorf("projectCarriers lists %s, which the schema does not have", c)
				}
			}
			_, read := db.Pools()
			count := func(q string) int {
				var n int
				if err := read.QueryRow(q).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}
			for _, c := range fks {
				table, col, _ := strings.Cut(c, ".")
				if count("SELECT COUNT(*) FROM "+table+" WHERE "+col+" = "+strconv.FormatInt(fx.confID, 10)) == 0 {
					t.Errorf("no row of %s names the confidential project: the scan did not plant it", c)
				}
			}
			for c, h := range projectCarriers {
				table, col, _ := strings.Cut(c, ".")
				n := count("SELECT COUNT(*) FROM " + table + " WHERE LOWER(CAST(" + col + " AS TEXT)) LIKE '%" + marker + "%'")
				switch {
				case h.control == "" && n > 0:
					t.Errorf("%s holds the marker in %d rows, though %s", c, n, h.rule)
				case h.control != "" && n == 0:
					t.Errorf("no row of %s holds the marker: the scan did not plant it", c)
				}
			}

			fill := func(u string) string {
				return strings.NewReplacer("{conf}", confSlug, "{ictAction}", itoa(fx.ictAction),
					"{confReport}", itoa(fx.confReport)).Replace(u)
			}
			urls := apiGets(t, fx)
			// Control: the secretariat reads the marker through every column.
			controls := map[string]string{
				"designation rules (infrastructure covering a capability)": "/api/v1/programs/gov13-smart-driving/check",
				"an action its owner agency reads":                         "/api/v1/agencies/ict/obligations",
			}
			for c, u := range projectColumns {
				controls[c] = u
			}
			for c, h := range projectCarriers {
				if h.control != "" {
					controls[c] = h.control
				}
			}
			for what, u := range controls {
				u = fill(u)
				r := e.scanGet(t, fx, "scan-sec", u)
				if r.Status != http.StatusOK || !holds(r.Body, marker) {
					t.Errorf("control: the secretariat does not read the marker at %s (%d), planted through %s", u, r.Status, what)
				}
				if !slices.Contains(urls, u) {
					urls = append(urls, u)
				}
			}

			// The decisions: the public reads the published one at each
			// surface that lists decisions (the control), the secretariat
			// the held one (the planting); the public's walk below fails on
			// the held one.
			decisionSurfaces := []string{"/projects/open-linker", "/projects/open-linker/timeline", "/meetings/itec-1", "/decisions",
				"/search?q=pubdec", "/data/decisions.csv", "/data/decisions.json", "/api/v1/decisions", "/api/v1/decisions.atom",
				"/api/v1/meetings/itec-1", "/api/v1/search?q=pubdec&kind=decision"}
			for _, u := range decisionSurfaces {
				if r := e.scanGet(t, fx, "", u); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(publishedDec)) {
					t.Errorf("control: the public does not read the published decision at %s (%d)", u, r.Status)
				}
			}
			heldQ := url.QueryEscape(heldWord)
			for _, u := range []string{"/api/v1/decisions", "/api/v1/meetings/itec-3", "/api/v1/search?q=" + heldQ + "&kind=decision"} {
				if r := e.scanGet(t, fx, "scan-sec", u); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(heldDec)) {
					t.Errorf("planting: the secretariat does not read the held meeting's decision at %s (%d)", u, r.Status)
				}
			}

			for _, who := range []string{"", "scan-reader", "scan-council", "scan-ict"} {
				name := who
				if name == "" {
					name = "the public"
				}
				seen := map[string]bool{}
				var queue []string
				add := func(u string) {
					if !seen[u] && len(seen) < 1500 {
						seen[u] = true
						queue = append(queue, u)
					}
				}
				for _, u := range urls {
					add(u)
				}
				add("/")
				add("/data")
				// The indexes and the agencies' pages (issue 14), filtered
				// the ways their forms offer: the confidential project is
				// ito's and sabt's, infrastructure, in progress.
				for _, u := range []string{"/projects", "/projects?agency=ito", "/projects?agency=sabt&kind=infrastructure",
					"/projects?lifecycle=in-progress", "/projects?status=no-baseline", "/projects?status=silent",
					"/projects?program=gov13-smart-driving", "/agencies", "/agencies?sort=missed", "/agencies/ito",
					"/agencies/sabt", "/scorecards.csv", "/scorecards.json", "/programs/gov13-smart-driving", "/compare"} {
					add(u)
				}
				add("/search?q=" + markerStart)
				add("/search?q=" + markerStart + "&lang=en")
				for _, u := range followPages(fx) { // the public follow-through pages (follow_test.go)
					add(u)
				}
				if who != "" {
					add("/staff")
					add("/staff/search?q=" + markerStart)
				} else {
					for _, u := range append(decisionSurfaces, "/meetings", "/meetings/itec-3", "/actions", "/search?q="+heldQ,
						"/search?q="+heldQ+"&lang=en", "/api/v1/search?q="+heldQ, "/api/v1/search?q="+heldQ+"&scope=public",
						"/api/v1/meetings/itec-3/minutes?lang=en&format=md", "/api/v1/meetings?limit=1000", "/api/v1/decisions?limit=1000") {
						add(u)
					}
				}
				downloads := 0
				for len(queue) > 0 {
					u := queue[0]
					queue = queue[1:]
					r := e.scanGet(t, fx, who, u)
					if r.Status >= 500 {
						t.Errorf("%s: %s answered %d", name, u, r.Status)
					}
					// A "not found" may echo the address asked for: the
					// reader's own input, not a leak.
					body := r.Body
					for _, echo := range []string{u, strings.SplitN(u, "?", 2)[0]} {
						body = bytes.ReplaceAll(body, []byte(echo), nil)
						body = bytes.ReplaceAll(body, []byte(html.EscapeString(echo)), nil)
					}
					if holds(body, marker) {
						t.Errorf("%s read the confidential marker at %s (%d): %s", name, u, r.Status, scenario.Clip(excerpt(body, marker)))
					}
					if who == "" && holds(body, heldDec) {
						t.Errorf("the public reads the held meeting's decision at %s (%d): %s", u, r.Status, scenario.Clip(excerpt(body, heldDec)))
					}
					for _, h := range []string{"Location", "Content-Disposition", "Link"} {
						if strings.Contains(strings.ToLower(r.Header.Get(h)), marker) && !strings.Contains(u, marker) {
							t.Errorf("%s: %s answers %s: %s", name, u, h, r.Header.Get(h))
						}
					}
					if strings.HasPrefix(u, "/data/") && r.Status == http.StatusOK {
						downloads++
					}
					if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
						for _, l := range links(r.Body) {
							add(l)
						}
					}
				}
				if downloads < 3 {
					t.Errorf("%s: found only %d downloads", name, downloads)
				}
				t.Logf("%s: %d addresses read", name, len(seen))
			}

			// The hidden links are counted where they were left out; a
			// restricted list is the staff's, and so is a standing in it.
			var pv struct {
				DependsOn   []string `json:"depends_on"`
				HiddenLinks int      `json:"hidden_links"`
				Memberships []struct {
					Program string `json:"program"`
				} `json:"memberships"`
			}
			r := e.scanGet(t, fx, "", "/api/v1/projects/open-linker")
			if err := json.Unmarshal(r.Body, &pv); err != nil || pv.HiddenLinks != 2 || !slices.Equal(pv.DependsOn, []string{"nix"}) ||
				len(pv.Memberships) != 1 || pv.Memberships[0].Program != "gov13-smart-driving" {
				t.Errorf("the public's open-linker: %v, depends_on %v, hidden_links %d, memberships %v; want [nix], 2 and gov13-smart-driving only",
					err, pv.DependsOn, pv.HiddenLinks, pv.Memberships)
			}
			if r := e.scanGet(t, fx, "", "/projects/open-linker?lang=en"); !strings.Contains(r.Text(), "2 links to confidential projects not shown") {
				t.Errorf("the project page does not say that 2 links are not shown")
			}
			if r := e.scanGet(t, fx, "", "/projects/old-linker?lang=en"); !strings.Contains(r.Text(), "1 link to a confidential project not shown") {
				t.Errorf("the project page does not say that the successor is not shown")
			}
			for _, u := range []string{"/staff/agencies/ict/owes?lang=en", "/staff/meetings/itec-1?lang=en"} {
				if r := e.scanGet(t, fx, "scan-ict", u); !strings.Contains(r.Text(), "1 link to a confidential project not shown") {
					t.Errorf("%s as ict does not say that the action's link is not shown", u)
				}
			}
			var act struct {
				Projects    []string `json:"projects"`
				HiddenLinks int      `json:"hidden_links"`
			}
			r = e.scanGet(t, fx, "scan-ict", "/api/v1/actions/"+itoa(fx.ictAction))
			if err := json.Unmarshal(r.Body, &act); err != nil || act.HiddenLinks != 1 || !slices.Equal(act.Projects, []string{"open-linker"}) {
				t.Errorf("ict's own action: %d %v, projects %v, hidden_links %d; want [open-linker] and 1", r.Status, err, act.Projects, act.HiddenLinks)
			}
		})
	}
}

// holds reports whether a body holds what, in any case; an XLSX (a zip) is
// looked into.
func holds(body []byte, what string) bool {
	what = strings.ToLower(what)
	if bytes.HasPrefix(body, []byte("PK")) {
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err == nil {
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					return true
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				if bytes.Contains(bytes.ToLower(b), []byte(what)) {
					return true
				}
			}
		}
	}
	return bytes.Contains(bytes.ToLower(body), []byte(what))
}

func excerpt(body []byte, what string) string {
	i := bytes.Index(bytes.ToLower(body), []byte(strings.ToLower(what)))
	if i < 0 {
		return ""
	}
	return string(body[max(0, i-300):min(len(body), i+200)])
}

var hrefRE = regexp.MustCompile(`(?:href|src|hx-get)="(/[^"#]*)`)

// links returns the same-site addresses a page links to, less those that
// act (signing out) or that are static files.
func links(page []byte) []string {
	var out []string
	for _, l := range hrefRE.FindAllSubmatch(page, -1) {
		u := html.UnescapeString(string(l[1]))
		switch {
		case strings.HasPrefix(u, "//"), strings.HasPrefix(u, "/static/"), strings.HasPrefix(u, "/auth/"),
			strings.Contains(u, "logout"), strings.Contains(u, "sign-out"):
			continue
		}
		out = append(out, u)
	}
	return out
}

// as reads u as one of the fixture's people ("" for the public), through
// the session cookie both the pages and the API take.
func (e *env) scanGet(t *testing.T, fx *scanFixture, who, u string) *scenario.Response {
	t.Helper()
	// The scan reports a server error itself, with what it read.
	return e.Do(scenario.Request{Method: http.MethodGet, Path: u, Session: fx.sessions[who], ServerError: true})
}

// apiGets returns every GET route of the OpenAPI document with its path
// parameters filled in with the fixture's ids: the public records that
// link to the confidential project, and the project's own.
func apiGets(t *testing.T, fx *scanFixture) []string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	values := func(path, param string) []string {
		switch param {
		case "number":
			return []string{"12", "13"}
		case "slug", "project":
			return []string{"open-linker", "old-linker", "nix", confSlug}
		case "username":
			return []string{"scan-reader", "scan-ict"}
		case "n":
			return []string{"1"}
		case "code":
			switch {
			case strings.HasPrefix(path, "/api/v1/series"):
				return []string{"itec"}
			case strings.HasPrefix(path, "/verify"):
				return fx.codes
			}
			return []string{"ict", "ito", "sabt"}
		case "id":
			switch {
			case strings.HasPrefix(path, "/api/v1/programs"):
				return []string{"gov13-smart-driving", "gov12-egov-priority", "draft-list", "staff-list"}
			case strings.HasPrefix(path, "/api/v1/meetings"):
				return []string{"itec-1", "itec-2", "itec-3"}
			case strings.HasPrefix(path, "/api/v1/actions"):
				return []string{itoa(fx.ictAction), itoa(fx.itoAction)}
			case strings.HasPrefix(path, "/api/v1/reports"):
				return []string{itoa(fx.pubReport), itoa(fx.confReport)}
			}
		}
		t.Errorf("the scan cannot fill {%s} in %s", param, path)
		return nil
	}
	queries := map[string][]string{
		"/api/v1/projects":               {"?limit=1000", "?agency=ict&limit=1000", "?kind=infrastructure"},
		"/api/v1/programs":               {"?limit=1000"},
		"/api/v1/programs/{id}/projects": {"?limit=1000", "?active=true"},
		"/api/v1/programs/{id}/preview":  {"?project=open-linker", "?project=" + confSlug},
		"/api/v1/compare": {"?from=gov12-egov-priority&to=gov13-smart-driving", "?from=gov13-smart-driving&to=gov12-egov-priority",
			"?from=gov13-smart-driving&to=draft-list"},
		"/api/v1/status":                {"", "?program=gov13-smart-driving", "?agency=ito", "?agency=ict", "?limit=1000"},
		"/api/v1/meetings/{id}/minutes": {"?lang=fa&format=md", "?lang=en&format=html", "?lang=en&format=md"},
		"/api/v1/audit":                 {"?kind=project&record=open-linker", "?kind=project&record=" + confSlug},
		"/api/v1/actions":               {"?limit=1000", "?owner=ict", "?project=open-linker"},
		"/api/v1/reports":               {"?limit=1000", "?project=open-linker", "?agency=ito"},
		"/api/v1/decisions":             {"", "?limit=1000"},
		"/api/v1/search": {"?q=" + markerStart, "?q=" + markerStart + "&scope=public", "?q=" + markerStart + "&kind=decision",
			"?q=" + markerStart + "&kind=action", "?q=" + markerStart + "&kind=report", "?q=secret&limit=50"},
		"/api/v1/meetings":                    {"", "?limit=1000"},
		"/api/v1/agencies/{code}/obligations": {""},
	}
	param := regexp.MustCompile(`\{([a-z]+)\}`)
	var out []string
	for path, ops := range doc.Paths {
		if _, ok := ops["get"]; !ok || strings.HasPrefix(path, "/auth/") {
			continue
		}
		expanded := []string{path}
		for _, p := range param.FindAllStringSubmatch(path, -1) {
			var next []string
			for _, x := range expanded {
				for _, v := range values(path, p[1]) {
					next = append(next, strings.Replace(x, p[0], url.PathEscape(v), 1))
				}
			}
			expanded = next
		}
		qs := queries[path]
		if len(qs) == 0 {
			qs = []string{""}
		}
		for _, x := range expanded {
			for _, q := range qs {
				out = append(out, x+q)
			}
		}
	}
	sort.Strings(out)
	return out
}

// plantConfidential builds the fixture: a confidential infrastructure
// project led by ito, with sabt, carrying the marker everywhere, and the
// records that name it from every column that can.
func plantConfidential(t *testing.T, e *env) *scanFixture {
	t.Helper()
	ctx := context.Background()
	svc, sys := e.svc, service.System
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fx := &scanFixture{sessions: map[string]string{}}
	today := domain.DateOf(time.Now())
	ito := service.Actor{Name: "user:scan-ito", Role: service.RoleAgency, Agency: "ito"}

	conf := &domain.Project{Slug: confSlug, Title: mt("title"), Summary: mt("summary"), Scope: mt("scope"),
		Kind: domain.KindInfrastructure, Confidentiality: domain.Confidential, Status: domain.InProgress,
		Agencies: []domain.Participation{{Agency: "ito", Role: domain.RoleLead, Note: mt("lead note")},
			{Agency: "sabt", Role: domain.RoleParticipant, Note: mt("participant note")}},
		Mandates:     []domain.Mandate{{Law: "constitution", Article: "138", Note: mt("mandate note")}},
		Deliverables: []domain.Deliverable{{Title: mt("deliverable"), Indicator: mt("indicator"), Target: m("target")}},
		Capabilities: []string{marker + "-capability", "shared-capability"},
		DependsOn:    []string{"nix"},
		Predecessors: []domain.Predecessor{{Project: "e-banking", Kind: domain.LineageReplaced, Note: mt("lineage note")}},
		Sources:      []domain.Source{{Ref: m("source"), Note: m("source note")}}}
	must(svc.CreateProject(ctx, sys, conf))
	// Public projects naming it: as a dependency and a predecessor (and
	// sharing a capability the designation rules will look up), and as
	// the successor of one that left a list.
	open := &domain.Project{Slug: "open-linker", Title: domain.T("پیوند باز", "Open linker"),
		Scope: domain.T("خدمتی عمومی بر زیرساخت", "a public service on an infrastructure"),
		Kind:  domain.KindService, Confidentiality: domain.Public, Status: domain.InProgress,
		Agencies:  []domain.Participation{{Agency: "ito", Role: domain.RoleLead}, {Agency: "ict", Role: domain.RoleParticipant}},
		Mandates:  []domain.Mandate{{Law: "constitution", Article: "138"}},
		DependsOn: []string{"nix", confSlug}, Capabilities: []string{"shared-capability"},
		Predecessors: []domain.Predecessor{{Project: confSlug, Kind: domain.LineageEvolved}}}
	must(svc.CreateProject(ctx, sys, open))
	got, err := svc.Project(ctx, sys, "open-linker")
	must(err)
	got.Project.Summary = domain.T("خلاصه", "summary") // an update, so the audit trail's before names the project too
	must(svc.UpdateProject(ctx, sys, got.Project))
	must(svc.CreateProject(ctx, sys, &domain.Project{Slug: "old-linker", Title: domain.T("پیوند کهنه", "Old linker"),
		Scope: domain.T("خدمتی پیشین", "an earlier service"), Kind: domain.KindService, Confidentiality: domain.Public,
		Status:   domain.Designated,
		Agencies: []domain.Participation{{Agency: "ito", Role: domain.RoleLead}, {Agency: "ict", Role: domain.RoleParticipant}},
		Mandates: []domain.Mandate{{Law: "constitution", Article: "138"}}}))

	// Lists: the confidential project, open-linker and old-linker on the
	// 13th government's list; old-linker leaves it for the confidential
	// one; a draft list with it as a candidate that passed a stage; a
	// restricted list.
	entered := today.AddDays(-100)
	for _, p := range []string{confSlug, "open-linker", "old-linker"} {
		must(svc.DB().Update(ctx, func(tx *store.Tx) error {
			return tx.AppendEvent(&domain.MembershipEvent{Program: "gov13-smart-driving", Project: p, Type: domain.EventEntered,
				Date: &entered, Stage: domain.BodyCouncil, RecordedBy: "test"})
		}))
	}
	_, err = svc.Leave(ctx, sys, service.Departure{Program: "gov13-smart-driving", Project: "old-linker",
		Reason: domain.LeaveEvolved, Successor: confSlug, Note: domain.T("جانشین", "succeeded")})
	must(err)
	must(svc.CreateProgram(ctx, sys, &domain.Program{Slug: "draft-list", Title: domain.T("پیش‌نویس", "Draft list"), Term: 13,
		Kind: domain.ProgramOther, Visibility: domain.VisibilityPublic, Status: domain.ProgramDraft,
		Candidates: []string{"open-linker", confSlug},
		Stages:     []domain.Stage{{Body: domain.BodySteeringCommittee, Date: &entered, Passed: []string{"open-linker", confSlug}}}}))
	must(svc.CreateProgram(ctx, sys, &domain.Program{Slug: "staff-list", Title: domain.T("فهرست کارکنان", "Staff list"), Term: 13,
		Kind: domain.ProgramOther, Visibility: domain.VisibilityRestricted, Status: domain.ProgramAdopted}))
	for p, note := range map[string]domain.Text{confSlug: mt("designation note"), "open-linker": domain.T("ورود", "entered")} {
		must(svc.DB().Update(ctx, func(tx *store.Tx) error {
			return tx.AppendEvent(&domain.MembershipEvent{Program: "staff-list", Project: p, Type: domain.EventEntered,
				Note: note, RecordedBy: "test"})
		}))
	}

	// Follow-up: a baseline from a year ago (so reports are owed and
	// reminded), a milestone, an indicator, an accepted report with
	// evidence, ratings; and an accepted report on open-linker.
	start, end := today.AddDays(-365), today.AddDays(365)
	must(svc.CreateBaseline(ctx, sys, &domain.Baseline{Project: confSlug, Start: &start, End: &end, Cost: 1000,
		ApprovedBy: mt("approver"), Approved: &start, Reference: m("ref")}))
	must(svc.CreateMilestone(ctx, ito, &domain.Milestone{Project: confSlug, Title: mt("milestone"), Planned: &end}))
	must(svc.CreateKPI(ctx, ito, &domain.KPI{Project: confSlug, Name: mt("indicator"), Unit: m("unit"), Target: 1,
		Direction: domain.Up, Frequency: domain.Monthly}))
	report := func(project string, narrative domain.Text, evidence domain.Text) int64 {
		t.Helper()
		rep := &domain.Report{Project: project, Period: domain.PeriodOf(today.AddDays(-200)), Narrative: narrative,
			Risks: []domain.Risk{{Text: narrative, Severity: domain.RiskLevel("high")}}}
		must(svc.CreateReport(ctx, ito, rep))
		_, err := svc.AddEvidence(ctx, ito, rep.ID, 0, service.EvidenceUpload{URL: "https://example.org/evidence", Title: evidence})
		must(err)
		_, err = svc.SubmitReport(ctx, ito, rep.ID, 0)
		must(err)
		_, err = svc.AcceptReport(ctx, sys, rep.ID, 0, narrative)
		must(err)
		return rep.ID
	}
	fx.confReport = report(confSlug, mt("narrative"), mt("evidence"))
	fx.pubReport = report("open-linker", domain.T("پیشرفت", "progress"), domain.T("مدرک", "evidence"))
	must(svc.Rate(ctx, ito, &domain.Rating{Project: confSlug, Kind: domain.SelfRating, Score: 5, Comment: mt("self rating")}))
	must(svc.Rate(ctx, sys, &domain.Rating{Project: confSlug, Kind: domain.CouncilRating, Score: 2, Comment: mt("council rating")}))

	// A closed session: a decision about it, one about open-linker, an
	// action for ict about it and open-linker (ict owns it without being
	// on the project), an action for ito about it, and an agenda naming
	// it; then a planned session, whose proposed agenda carries the
	// actions.
	must(svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
	held := today.AddDays(-30)
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 1, Date: &held, Title: domain.T("جلسه", "session")})
	must(err)
	mtg, err := svc.HoldMeeting(ctx, sys, "itec-1", 0)
	must(err)
	_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/1",
		Text: mt("decision"), Projects: []string{confSlug}})
	must(err)
	_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/2",
		Text: domain.T(publishedDec+" مصوبه عمومی", publishedDec+" a public decision"), Projects: []string{"open-linker"}})
	must(err)
	due := today.AddDays(-5)
	_, act, err := svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ict",
		Due: &due, Description: domain.T("پیگیری اتصال", "Follow the link up"), Projects: []string{confSlug, "open-linker"}})
	must(err)
	fx.ictAction = act.ID
	_, act, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito",
		Due: &due, Description: mt("action"), Projects: []string{confSlug}})
	must(err)
	fx.itoAction = act.ID
	mtg, err = svc.Meeting(ctx, sys, "itec-1")
	must(err)
	_, err = svc.SaveAgenda(ctx, sys, "itec-1", mtg.Version, []domain.AgendaItem{
		{Kind: domain.AgendaProject, Project: confSlug},
		{Kind: domain.AgendaAction, Action: fx.ictAction},
		{Kind: domain.AgendaProject, Project: "open-linker"}})
	must(err)
	_, err = svc.CloseMeeting(ctx, sys, "itec-1", 0)
	must(err)
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 2, Date: &today, Title: domain.T("جلسه دوم", "second session")})
	must(err)
	// A session held but not closed: its decision is not public yet.
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 3, Date: &today, Title: domain.T("جلسه سوم", "third session")})
	must(err)
	_, err = svc.HoldMeeting(ctx, sys, "itec-3", 0)
	must(err)
	_, _, err = svc.RecordOutcome(ctx, sys, "itec-3", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "3/1",
		Text: domain.T(heldDec+" مصوبه "+heldWord, heldDec+" a decision not yet published"), Projects: []string{"open-linker"}})
	must(err)
	for _, d := range [][2]string{{"minutes", "itec-1"}, {"decision", "itec-1/1/2"}, {"report", "report/" + itoa(fx.pubReport)}} {
		codes, err := svc.PublishedCodes(ctx, d[0], d[1])
		must(err)
		fx.codes = append(fx.codes, codes...)
	}
	if len(fx.codes) < 2 {
		t.Fatalf("published codes: %v", fx.codes)
	}

	// Reminders: the daily job finds the overdue actions and reports.
	_, err = svc.RunDueJobs(ctx, "scan", time.Now())
	must(err)

	// The readers, and the secretariat for the control.
	for name, u := range map[string]struct {
		role   service.Role
		agency string
	}{"scan-sec": {service.RoleSecretariat, ""}, "scan-reader": {service.RoleReader, ""}, "scan-council": {service.RoleCouncil, ""},
		"scan-ict": {service.RoleAgency, "ict"}} {
		_, err := svc.CreateUser(ctx, sys, &domain.User{Username: name, DisplayName: domain.T(name, name), Role: string(u.role),
			Agency: u.agency, Active: true}, scenario.StaffPassword)
		must(err)
		sess, err := svc.Login(ctx, name, scenario.StaffPassword, service.Client{Address: "127.0.0.1"}, service.SessionPolicy{})
		must(err)
		fx.sessions[name] = sess.Secret
	}
	_, read := svc.DB().Pools()
	var id sql.NullInt64
	must(read.QueryRow("SELECT id FROM projects WHERE slug = '" + confSlug + "'").Scan(&id))
	fx.confID = id.Int64
	plantExchange(t, e) // exchange_test.go
	return fx
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
