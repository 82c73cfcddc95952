package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
)

// A project page's lists that grow with the project's history — its
// milestones, ratings, decisions and actions — are read in the order the
// page shows them from indexes that hold them in that order
// (00050_project_page_indexes.sql): SQLite's plan sorts none of them. The
// histories of the actions are sorted only by their own ids within each
// action. Asked of SQLite's planner on every kind of viewer's statement.
func TestProjectPageListsAreNotSorted(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	viewers := map[string]domain.Viewer{"public": {}, "staff": {Staff: true}, "agency": {Agency: "a1"}, "all": {All: true}}
	for name, v := range viewers {
		q, args := projectPageSQL(SQLite, v, true)
		rows, err := db.read.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, append(args, "p")...)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			parent int
			detail string
		}
		steps := map[int]step{}
		var order []int
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			steps[id] = step{parent, detail}
			order = append(order, id)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		// The tables each sorting subquery reads, by alias.
		for _, id := range order {
			s := steps[id]
			if !strings.Contains(s.detail, "TEMP B-TREE") {
				continue
			}
			for _, other := range order {
				o := steps[other]
				if o.parent != s.parent || !strings.HasPrefix(o.detail, "SEARCH ") {
					continue
				}
				alias := strings.Fields(o.detail)[1]
				switch alias {
				case "ms", "rt", "fp":
					t.Errorf("%s: the list read from %q is sorted (%s): %s", name, alias, s.detail, o.detail)
				case "xp":
					if !strings.Contains(s.detail, "RIGHT PART") && !strings.Contains(s.detail, "LAST TERM") {
						t.Errorf("%s: the actions read from %q are sorted (%s)", name, alias, s.detail)
					}
				}
			}
		}
	}
}
