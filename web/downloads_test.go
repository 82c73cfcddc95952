package web_test

// The open data downloads, and the API still answering beside the pages.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestAPIUntouched checks the API, health and metrics still answer beside
// the pages.
func TestAPIUntouched(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	for path, ctype := range map[string]string{
		"/healthz":                  "application/json",
		"/api/v1/programs":          "application/json",
		"/api/v1/openapi.json":      "application/json",
		"/api/v1/nope":              "application/problem+json",
		"/metrics":                  "text/plain",
		"/api/v1/projects/e-health": "application/json",
	} {
		r := env.Page("", path, "")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: %d %s", path, r.Status, r.Header.Get("Content-Type"))
		}
	}
	if !strings.Contains(env.Page("", "/metrics", "").Text(), `route="GET /projects/{slug}"`) {
		// a page was fetched above? fetch one and check again
		env.Page("", "/projects/e-health", "fa")
		if !strings.Contains(env.Page("", "/metrics", "").Text(), `route="GET /projects/{slug}"`) {
			t.Error("page requests are not measured by route")
		}
	}
}

// apiCount pages through an API list and counts its items.
func (e *env) apiCount(path string) int {
	e.t.Helper()
	n, cursor := 0, ""
	for {
		// Not limit=1000: the API asks the store for limit+1 rows, which the
		// store caps to 100 above 1000, so ?limit=1000 answers 100 items and
		// no cursor.
		p := path + "?limit=500"
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		r := e.Page("", p, "")
		var l struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor *string           `json:"next_cursor"`
		}
		if err := json.Unmarshal(r.Body, &l); err != nil {
			e.t.Fatalf("%s: %v", p, err)
		}
		n += len(l.Items)
		if l.NextCursor == nil {
			return n
		}
		cursor = *l.NextCursor
	}
}

func TestDownloads(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			env := newEnv(t, e)
			members := env.apiCount("/api/v1/programs/gov12-egov-priority/projects") + env.apiCount("/api/v1/programs/gov13-smart-driving/projects")
			want := map[string]int{"programs": env.apiCount("/api/v1/programs"), "projects": env.apiCount("/api/v1/projects"), "memberships": members}
			if want["programs"] != 2 || want["projects"] != 22 || want["memberships"] != 21 {
				t.Fatalf("API counts %v: the reference has 2 programs, 22 public projects, 21 public memberships", want)
			}
			for name, n := range want {
				csvR := env.Page("", "/data/"+name+".csv", "")
				jsonR := env.Page("", "/data/"+name+".json", "")
				xlsxR := env.Page("", "/data/"+name+".xlsx", "")
				for _, r := range []*scenario.Response{csvR, jsonR, xlsxR} {
					if r.Status != 200 {
						t.Fatalf("%s: %d", r.URL, r.Status)
					}
					lm, err := http.ParseTime(r.Header.Get("Last-Modified"))
					if err != nil || time.Since(lm) > time.Minute {
						t.Errorf("%s: Last-Modified %q", r.URL, r.Header.Get("Last-Modified"))
					}
					if !strings.Contains(r.Header.Get("Content-Disposition"), "pishran-"+name) {
						t.Errorf("%s: Content-Disposition %q", r.URL, r.Header.Get("Content-Disposition"))
					}
				}
				asOf, _ := http.ParseTime(csvR.Header.Get("Last-Modified"))

				// CSV: a BOM, a header, one row per record, as_of on each.
				if !bytes.HasPrefix(csvR.Body, []byte("\xEF\xBB\xBF")) {
					t.Errorf("%s.csv has no UTF-8 BOM", name)
				}
				rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(csvR.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
				if err != nil {
					t.Fatalf("%s.csv: %v", name, err)
				}
				if len(rows)-1 != n {
					t.Errorf("%s.csv: %d rows, the API lists %d", name, len(rows)-1, n)
				}
				last := len(rows[0]) - 1
				if rows[0][last] != "as_of" || rows[1][last] != asOf.UTC().Format(time.RFC3339) {
					t.Errorf("%s.csv: as_of column %q = %q, Last-Modified %v", name, rows[0][last], rows[1][last], asOf)
				}

				// JSON
				var j struct {
					Dataset string           `json:"dataset"`
					AsOf    string           `json:"as_of"`
					Count   int              `json:"count"`
					Items   []map[string]any `json:"items"`
					Columns []struct {
						Name        string            `json:"name"`
						Description map[string]string `json:"description"`
					} `json:"columns"`
				}
				if err := json.Unmarshal(jsonR.Body, &j); err != nil {
					t.Fatalf("%s.json: %v", name, err)
				}
				if j.Dataset != name || len(j.Items) != n || j.Count != n || j.AsOf == "" {
					t.Errorf("%s.json: dataset %q, %d items, count %d, as_of %q; want %d", name, j.Dataset, len(j.Items), j.Count, j.AsOf, n)
				}
				for _, c := range j.Columns {
					if c.Description["fa"] == "" || c.Description["en"] == "" {
						t.Errorf("%s.json: column %s lacks a description", name, c.Name)
					}
				}

				// XLSX
				f, err := excelize.OpenReader(bytes.NewReader(xlsxR.Body))
				if err != nil {
					t.Fatalf("%s.xlsx: %v", name, err)
				}
				xrows, err := f.GetRows(name)
				if err != nil {
					t.Fatalf("%s.xlsx: %v", name, err)
				}
				if len(xrows)-1 != n {
					t.Errorf("%s.xlsx: %d rows, the API lists %d", name, len(xrows)-1, n)
				}
				about, err := f.GetRows("about")
				if err != nil || len(about) < 5 || about[3][0] != "as_of" || about[3][1] == "" {
					t.Errorf("%s.xlsx: about sheet %v (%v)", name, about, err)
				}
				f.Close()
			}

			// Persian survives: a Persian title in the CSV, the Jalali date too.
			body := env.Page("", "/data/memberships.csv", "").Text()
			for _, want := range []string{"سلامت هوشمند", "1397/01/22", "2018-04-11", "became-infrastructure"} {
				if !strings.Contains(body, want) {
					t.Errorf("memberships.csv lacks %q", want)
				}
			}
			dict := env.Page("", "/data/dictionary.csv", "")
			drows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(dict.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if err != nil || len(drows) < 40 {
				t.Fatalf("dictionary.csv: %d rows, %v", len(drows), err)
			}
			for _, r := range drows[1:] {
				if r[3] == "" || r[4] == "" {
					t.Errorf("dictionary.csv: %s.%s lacks a meaning", r[0], r[1])
				}
			}
		})
	}
}
