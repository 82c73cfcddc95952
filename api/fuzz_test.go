package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/api"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/; `go test` runs every
// file there as a regression test, and `go test -fuzz` starts from them.

// roundTrip is the property every request body decoder must have: no
// panic; an error names the fault; a value it accepts encodes to JSON that
// it accepts again, and that second value encodes the same way.
func roundTrip[T any](t *testing.T, data []byte) {
	var v T
	if err := api.DecodeJSON(data, &v); err != nil {
		if err.Error() == "" {
			t.Fatalf("DecodeJSON(%q) failed with an empty message", data)
		}
		return
	}
	out, err := json.Marshal(&v)
	if err != nil {
		t.Fatalf("DecodeJSON(%q) succeeded but the value cannot be encoded: %v", data, err)
	}
	var w T
	if err := api.DecodeJSON(out, &w); err != nil {
		t.Fatalf("DecodeJSON(%q) succeeded, but its encoding %s is refused: %v", data, out, err)
	}
	again, err := json.Marshal(&w)
	if err != nil {
		t.Fatalf("re-encoding %s: %v", out, err)
	}
	if !bytes.Equal(out, again) {
		t.Fatalf("DecodeJSON(%q) is not stable:\nfirst:  %s\nsecond: %s", data, out, again)
	}
}

func FuzzDecodeProject(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[domain.Project](t, data) })
}

func FuzzDecodeProgram(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[domain.Program](t, data) })
}

func FuzzDecodeDesignation(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[service.Designation](t, data) })
}

func FuzzDecodeDocument(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { roundTrip[domain.Document](t, data) })
}

// isoDate matches a date in the dashed form with a four-digit ASCII year.
var isoDate = regexp.MustCompile(`^([0-9]{4})-[0-9]{1,2}-[0-9]{1,2}$`)

func FuzzParseDate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseDate(%q) failed with an empty message", s)
			}
			return
		}
		// The dashed form is Jalali only for a year below 1700: from 1700 on it
		// is ISO, and an impossible ISO day must not turn into a Jalali one.
		if m := isoDate.FindStringSubmatch(strings.TrimSpace(s)); m != nil && m[1] >= "1700" {
			want, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
			if err != nil || domain.DateOf(want) != d {
				t.Fatalf("ParseDate(%q) = %v, but as an ISO date it is %v (%v)", s, d, want, err)
			}
		}
		if d.M < 1 || d.M > 12 || d.D < 1 || d.D > 31 || d.Y < 1 || d.Y > 9999 {
			t.Fatalf("ParseDate(%q) = %v, which is no calendar day", s, d)
		}
		if got := domain.DateOf(d.Time()); got != d {
			t.Fatalf("ParseDate(%q) = %v, which does not exist (normalizes to %v)", s, d, got)
		}
		iso := d.String()
		d2, err := domain.ParseDate(iso)
		if err != nil {
			t.Fatalf("ParseDate(%q) = %v, but ParseDate(%q) fails: %v", s, d, iso, err)
		}
		if d2 != d {
			t.Fatalf("ParseDate(%q) = %v, but ParseDate(%q) = %v", s, d, iso, d2)
		}
		if jy, _, _ := jalali.FromGregorian(d.Y, d.M, d.D); jy > jalali.MaxYear {
			return // beyond the Jalali years the parser supports
		}
		if d3, err := domain.ParseDate(d.Jalali()); err != nil || d3 != d {
			t.Fatalf("ParseDate(%q) = %v, but its Jalali form %q parses to %v, %v", s, d, d.Jalali(), d3, err)
		}
	})
}

// listPaths are the paged list routes; the first is the one the brief
// names, the others share its paging.
var listPaths = []string{
	"/api/v1/agencies",
	"/api/v1/laws",
	"/api/v1/terms",
	"/api/v1/projects",
	"/api/v1/programs",
	"/api/v1/programs/gov12-egov-priority/projects",
}

// fuzzServers builds, once per fuzz target, a server holding the reference
// dataset on SQLite, and on PostgreSQL too when PISHRAN_TEST_POSTGRES is
// set, with their shared log.
func fuzzServers(f *testing.F) ([]testkit.Engine, []*api.Server, *testkit.Log) {
	engines := testkit.FuzzEngines()
	logs := &testkit.Log{}
	var servers []*api.Server
	for _, e := range engines {
		env := scenario.New(f, e, scenario.Reference())
		servers = append(servers, api.New(env.Svc, logs.Logger()))
	}
	return engines, servers, logs
}

// FuzzQueryPage sends arbitrary limit and cursor values to the paged list
// routes of a server holding the reference dataset: a bad value is the
// caller's fault (4xx), never the server's (5xx).
func FuzzQueryPage(f *testing.F) {
	engines, servers, logs := fuzzServers(f)
	f.Fuzz(func(t *testing.T, limit, cursor string) {
		q := url.Values{"limit": {limit}, "cursor": {cursor}}.Encode()
		for i, srv := range servers {
			for _, p := range listPaths {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p+"?"+q, nil))
				if rec.Code >= 500 {
					t.Fatalf("%s: GET %s?%s: %d %s\nlog: %s", engines[i].Name, p, q, rec.Code, rec.Body, logs.Take())
				}
				if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
					t.Fatalf("%s: GET %s?%s: unexpected status %d %s", engines[i].Name, p, q, rec.Code, rec.Body)
				}
				logs.Take()
			}
		}
	})
}

// FuzzRecordKey puts an arbitrary key in every read route's path and query
// parameters: an unknown or malformed key is a 4xx, never a 5xx.
func FuzzRecordKey(f *testing.F) {
	engines, servers, logs := fuzzServers(f)
	f.Fuzz(func(t *testing.T, key string) {
		k := url.PathEscape(key)
		q := url.QueryEscape(key)
		urls := []string{
			"/api/v1/agencies/" + k,
			"/api/v1/laws/" + k,
			"/api/v1/terms/" + k,
			"/api/v1/projects/" + k,
			"/api/v1/programs/" + k,
			"/api/v1/programs/" + k + "/projects?active=" + q,
			"/api/v1/programs/" + k + "/check",
			"/api/v1/programs/" + k + "/preview?project=" + q,
			"/api/v1/programs/gov12-egov-priority/members/" + k + "/events",
			"/api/v1/programs/" + k + "/members/unique-address/events",
			"/api/v1/compare?from=" + q + "&to=gov13-smart-driving",
			"/api/v1/compare?from=gov12-egov-priority&to=" + q,
			"/api/v1/projects?agency=" + q + "&kind=" + q + "&status=" + q,
			"/api/v1/" + k + "?" + q + "=" + q,
		}
		for i, srv := range servers {
			for _, u := range urls {
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
				if rec.Code >= 500 {
					t.Fatalf("%s: GET %s: %d %s\nlog: %s", engines[i].Name, u, rec.Code, rec.Body, logs.Take())
				}
				logs.Take()
			}
		}
	})
}
