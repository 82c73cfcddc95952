package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestUnpublishedDecisionsScan holds the one rule for a meeting's
// decisions: the public sees them once the meeting is closed and its
// minutes are published, never while it is only held. On followEnv
// (itec-1 closed with PUBDEC about p0; itec-2 held with UNPUBLISHED about
// p0) it reads as the public every GET route of the OpenAPI document and
// every page, feed and download reachable from the home page, the data
// page and the follow-through pages (the way TestConfidentialScan walks
// for a confidential project), and fails on UNPUBLISHED; the published
// decision must be read at each surface that lists decisions (the
// control), and the secretariat must read the held one (the planting).
func TestUnpublishedDecisionsScan(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := followEnv(t, e)
		const held, published = "UNPUBLISHED", "PUBDEC"
		// Searches ask for a word of the held decision's Persian text, so
		// the answer's echo of the query is not the marker.
		heldWord := url.QueryEscape("منتشرنشده")
		// The surfaces that show decisions: the control reads PUBDEC at each.
		surfaces := []string{"/projects/p0", "/projects/p0/timeline", "/meetings/itec-1", "/decisions",
			"/search?q=pubdec", "/data/decisions.csv", "/data/decisions.json",
			"/api/v1/decisions", "/api/v1/decisions.atom", "/api/v1/meetings/itec-1",
			"/api/v1/search?q=pubdec&kind=decision"}
		for _, u := range surfaces {
			if r := srv.Get(u, ""); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(published)) {
				t.Errorf("control: the public does not read the published decision at %s (%d)", u, r.Status)
			}
		}
		sec := srv.Env.Token(service.RoleSecretariat, "")
		for _, u := range []string{"/api/v1/decisions", "/api/v1/meetings/itec-2", "/api/v1/search?q=" + heldWord + "&kind=decision"} {
			if r := srv.Get(u, sec); r.Status != http.StatusOK || !bytes.Contains(r.Body, []byte(held)) {
				t.Errorf("planting: the secretariat does not read the held meeting's decision at %s (%d)", u, r.Status)
			}
		}

		seen := map[string]bool{}
		var queue []string
		add := func(u string) {
			if !seen[u] && len(seen) < 1500 {
				seen[u] = true
				queue = append(queue, u)
			}
		}
		for _, u := range publicAPIGets(t) {
			add(u)
		}
		for _, u := range surfaces {
			add(u)
		}
		for _, u := range []string{"/", "/data", "/meetings", "/meetings/itec-2", "/actions", "/projects", "/search?q=" + heldWord,
			"/search?q=" + heldWord + "&lang=en", "/api/v1/search?q=" + heldWord, "/api/v1/search?q=" + heldWord + "&scope=public",
			"/api/v1/meetings/itec-2/minutes?lang=en&format=md", "/api/v1/meetings?limit=1000", "/api/v1/decisions?limit=1000"} {
			add(u)
		}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			r := srv.Get(u, "")
			if r.Status >= 500 {
				t.Errorf("%s answered %d", u, r.Status)
			}
			body := bytes.ReplaceAll(bytes.ToLower(r.Body), []byte(strings.ToLower(u)), nil) // a page may echo the query
			if leaks := bytes.Contains(body, []byte(strings.ToLower(held))); leaks {
				i := bytes.Index(body, []byte(strings.ToLower(held)))
				t.Errorf("the public reads the held meeting's decision at %s (%d): %s", u, r.Status, scenario.Clip(string(body[max(0, i-200):min(len(body), i+100)])))
			}
			if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				for _, l := range links(r.Body) {
					add(l)
				}
			}
		}
		t.Logf("%d addresses read", len(seen))
	})
}

// publicAPIGets is every GET route of the OpenAPI document, its path
// parameters filled with followEnv's records.
func publicAPIGets(t *testing.T) []string {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	values := map[string][]string{"slug": {"p0", "p1"}, "project": {"p0"}, "number": {"1", "2"}, "n": {"1"},
		"code": {"itec", "ito", "moh"}, "username": {"sec"}}
	param := regexp.MustCompile(`\{([a-z]+)\}`)
	var out []string
	for path, ops := range doc.Paths {
		if _, ok := ops["get"]; !ok || strings.HasPrefix(path, "/auth/") {
			continue
		}
		expanded := []string{path}
		for _, p := range param.FindAllStringSubmatch(path, -1) {
			vs := values[p[1]]
			if p[1] == "id" {
				switch {
				case strings.HasPrefix(path, "/api/v1/meetings"):
					vs = []string{"itec-1", "itec-2"}
				case strings.HasPrefix(path, "/api/v1/programs"):
					vs = []string{"gov13-smart-driving"}
				default:
					vs = []string{"1", "2"}
				}
			}
			var next []string
			for _, x := range expanded {
				for _, v := range vs {
					next = append(next, strings.Replace(x, p[0], url.PathEscape(v), 1))
				}
			}
			expanded = next
		}
		out = append(out, expanded...)
	}
	return out
}
