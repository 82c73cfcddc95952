package api_test

// Paging through the API's lists with limit and cursor.

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

func TestAPIPagination(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e))
		var want []string
		for i := 24; i >= 0; i-- { // created out of order; listed by code
			code := fmt.Sprintf("agency-%02d", i)
			env.Create("/api/v1/agencies", agencyRecord(code))
			want = append(want, code)
		}
		slices.Sort(want)
		for _, c := range []struct {
			limit int
			pages []int
		}{{10, []int{10, 10, 5}}, {5, []int{5, 5, 5, 5, 5}}, {25, []int{25}}, {24, []int{24, 1}}, {1000, []int{25}}} {
			var got []string
			var sizes []int
			cursor := ""
			for page := 0; ; page++ {
				if page > 30 {
					t.Fatalf("limit %d: the cursors do not end", c.limit)
				}
				q := "?limit=" + strconv.Itoa(c.limit)
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				m := env.Must(env.Get("/api/v1/agencies"+q, ""), http.StatusOK).Obj(t)
				items := scenario.Items(t, m)
				sizes = append(sizes, len(items))
				for _, it := range items {
					got = append(got, it["code"].(string))
				}
				next, _ := m["next_cursor"].(string)
				if m["next_cursor"] == nil {
					break
				}
				if next == "" || next == cursor {
					t.Fatalf("limit %d: next_cursor %v does not move on", c.limit, m["next_cursor"])
				}
				cursor = next
			}
			if !slices.Equal(sizes, c.pages) {
				t.Errorf("limit %d: pages of %v, want %v", c.limit, sizes, c.pages)
			}
			if !slices.Equal(got, want) {
				t.Errorf("limit %d: paged through %v, want %v", c.limit, got, want)
			}
		}
	})
}

func TestAPIPaginationMembers(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := newAPI(scenario.New(t, e, scenario.Reference()))
		for _, c := range []struct {
			token  string
			total  int
			hidden float64
		}{{"", 19, 1}, {env.Secretariat(), 20, 0}} {
			var got []string
			cursor, pages := "", 0
			for {
				q := "?limit=7"
				if cursor != "" {
					q += "&cursor=" + url.QueryEscape(cursor)
				}
				m := env.Must(env.Get("/api/v1/programs/gov12-egov-priority/projects"+q, c.token), http.StatusOK).Obj(t)
				if m["hidden_confidential"] != c.hidden {
					t.Errorf("hidden_confidential %v, want %v", m["hidden_confidential"], c.hidden)
				}
				for _, it := range scenario.Items(t, m) {
					got = append(got, it["project"].(string))
				}
				pages++
				if m["next_cursor"] == nil || pages > 10 {
					break
				}
				cursor = m["next_cursor"].(string)
			}
			if len(got) != c.total || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != c.total || pages != (c.total+6)/7 {
				t.Errorf("signed in %v: %d members in %d pages: %v", c.token != "", len(got), pages, got)
			}
		}
	})
}
