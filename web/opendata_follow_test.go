package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// The open data's follow-up files (issue 14 point 7): status as of any
// day, accepted reports, actions, baselines.

// dictionaryColumns reads the data dictionary's columns of a dataset.
func dictionaryColumns(t *testing.T, srv *scenario.Server, name string) []string {
	t.Helper()
	r := srv.Must(srv.Get("/data/dictionary.csv", ""), http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for _, row := range rows[1:] {
		if row[0] == name {
			if row[3] == "" || row[4] == "" {
				t.Errorf("dictionary: %s.%s lacks a meaning in a language", name, row[1])
			}
			cols = append(cols, row[1])
		}
	}
	return cols
}

// followCSV parses a CSV download.
func followCSV(t *testing.T, srv *scenario.Server, path string) [][]string {
	t.Helper()
	r := srv.Must(srv.Get(path, ""), http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// column is the value of col in a CSV row whose first column is key.
func csvCell(rows [][]string, key, col string) (string, bool) {
	i := slices.Index(rows[0], col)
	for _, r := range rows[1:] {
		if r[0] == key && i >= 0 {
			return r[i], true
		}
	}
	return "", false
}

func TestFollowOpenData(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		srv, _ := followEnv(t, e)
		want := map[string][]string{ // rows the file must hold (by a value of their own)
			"status":    {"p0", "p1", "p2", "p3"},
			"reports":   {"p0", "progress"},
			"actions":   {"PUBACT publish the API", "LATEACT", "DONEACT", "REDATEREASON"},
			"baselines": {"p0", "26/1402"},
		}
		index := srv.Must(srv.Get("/data?lang=en", ""), http.StatusOK).Text()
		for name, values := range want {
			if !strings.Contains(index, `href="/data/`+name+`.csv"`) {
				t.Errorf("/data does not offer %s", name)
			}
			cols := dictionaryColumns(t, srv, name)
			if len(cols) < 5 || cols[len(cols)-1] != "as_of" {
				t.Fatalf("dictionary of %s: %v", name, cols)
			}
			rows := followCSV(t, srv, "/data/"+name+".csv")
			if !slices.Equal(rows[0], cols) {
				t.Errorf("%s.csv header %v, the dictionary says %v", name, rows[0], cols)
			}
			body := srv.Must(srv.Get("/data/"+name+".csv", ""), http.StatusOK).Text()
			for _, v := range values {
				if !strings.Contains(body, v) {
					t.Errorf("%s.csv lacks %q", name, v)
				}
			}
			var j struct {
				Count   int              `json:"count"`
				Items   []map[string]any `json:"items"`
				Columns []struct {
					Name string `json:"name"`
				} `json:"columns"`
			}
			jr := srv.Must(srv.Get("/data/"+name+".json", ""), http.StatusOK)
			if err := json.Unmarshal(jr.Body, &j); err != nil {
				t.Fatalf("%s.json: %v", name, err)
			}
			if j.Count != len(rows)-1 || len(j.Items) != j.Count || len(j.Columns) != len(cols)-1 {
				t.Errorf("%s.json: %d items, %d columns; the CSV has %d rows, %d columns", name, j.Count, len(j.Columns), len(rows)-1, len(cols))
			}
			for i, c := range j.Columns {
				if c.Name != cols[i] {
					t.Errorf("%s.json column %d is %s, the dictionary says %s", name, i, c.Name, cols[i])
				}
			}
			xr := srv.Must(srv.Get("/data/"+name+".xlsx", ""), http.StatusOK)
			f, err := excelize.OpenReader(bytes.NewReader(xr.Body))
			if err != nil {
				t.Fatalf("%s.xlsx: %v", name, err)
			}
			xrows, err := f.GetRows(name)
			f.Close()
			if err != nil || len(xrows) != len(rows) || !slices.Equal(xrows[0], cols) {
				t.Errorf("%s.xlsx: %d rows (%v), header %v; the CSV has %d", name, len(xrows), err, xrows[0], len(rows))
			}
			for _, format := range []string{"csv", "json", "xlsx"} {
				b := srv.Must(srv.Get("/data/"+name+"."+format, ""), http.StatusOK).Body
				if format == "xlsx" {
					b = []byte(xlsxText(t, b))
				}
				noSecrets(t, name+"."+format, string(b))
				if bytes.Contains(b, []byte("p4")) {
					t.Errorf("%s.%s names the confidential project p4", name, format)
				}
			}
		}

		// The status as of two days, from the records dated up to each:
		// on 2024-09-01 the report accepted on 2024-10-01 does not count
		// yet; on 2024-10-01 its projected end, 90 days past the
		// baseline's, makes p0 red.
		before := followCSV(t, srv, "/data/status.csv?as_of=2024-09-01")
		after := followCSV(t, srv, "/data/status.csv?as_of=1403/07/10") // 2024-10-01, given in Jalali
		if s, _ := csvCell(after, "p0", "status"); s != "red" {
			t.Errorf("p0 as of 2024-10-01: %q, want red", s)
		}
		if s, _ := csvCell(before, "p0", "status"); s == "red" || s == "" {
			t.Errorf("p0 as of 2024-09-01: %q, want a status other than red", s)
		}
		if d, _ := csvCell(before, "p0", "status_date"); d != "2024-09-01" {
			t.Errorf("status_date as of 2024-09-01: %q", d)
		}
		if la, _ := csvCell(before, "p0", "last_accepted"); la != "" {
			t.Errorf("p0 as of 2024-09-01 had an accepted report: %q", la)
		}
		if la, _ := csvCell(after, "p0", "last_accepted"); la == "" {
			t.Error("p0 as of 2024-10-01: no accepted report")
		}
		if c, _ := csvCell(before, "p0", "council_rating"); c != "" {
			t.Errorf("p0 as of 2024-09-01 had a council rating: %q", c)
		}
		if b, _ := csvCell(followCSV(t, srv, "/data/status.csv?as_of=2023-12-01"), "p0", "baseline"); b != "" {
			t.Errorf("p0 as of 2023-12-01, before its baseline's approval: baseline %q", b)
		}
		// Today's status is the one the API computes.
		today := followCSV(t, srv, "/data/status.csv")
		h := srv.Must(srv.Get("/api/v1/projects/p0/health", ""), http.StatusOK).Obj(t)
		if s, _ := csvCell(today, "p0", "status"); s != h["status"] {
			t.Errorf("p0 today: the file says %q, the API %v", s, h["status"])
		}
		srv.Must(srv.Get("/data/status.csv?as_of=nope", ""), http.StatusBadRequest)
		// The actions file: the re-dating and the overdue age.
		acts := followCSV(t, srv, "/data/actions.csv")
		i, d := slices.Index(acts[0], "description_en"), slices.Index(acts[0], "overdue_days")
		for _, r := range acts[1:] {
			if r[i] == "LATEACT" && r[d] != "21" {
				t.Errorf("LATEACT overdue_days %q, want 21", r[d])
			}
			if r[i] == "PUBACT publish the API" && (r[slices.Index(acts[0], "original_due")] != "2024-09-15" || r[slices.Index(acts[0], "redates")] != "1") {
				t.Errorf("PUBACT row %v", r)
			}
		}
	})
}
