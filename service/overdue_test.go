package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
)

// OverdueActions (the dashboard's list) gives, for each viewer, the same
// actions as reading every open action and keeping the overdue ones the
// viewer may see: the most overdue first, cut at the limit, with the
// total.
func TestOverdueActionsAgreeWithTheFullList(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		svc, _, doc := smallWithMeetings(t, e)
		day := synth.MeetingsAsOf
		for _, who := range []service.Actor{service.System, {Name: "r", Role: service.RoleReader},
			{Name: "a", Role: service.RoleAgency, Agency: doc.Agencies[0].Code}} {
			var want []*domain.Action
			for a, err := range domain.Walk(func(p domain.Page) ([]*domain.Action, error) {
				return svc.Actions(ctx, who, domain.ActionFilter{OpenOnly: true}, p)
			}, func(a *domain.Action) string { return strconv.FormatInt(a.ID, 10) }) {
				if err != nil {
					t.Fatal(err)
				}
				if a.Due.Before(day) {
					want = append(want, a)
				}
			}
			slices.SortStableFunc(want, func(a, b *domain.Action) int {
				if c := strings.Compare(a.Due.String(), b.Due.String()); c != 0 {
					return c
				}
				return int(a.ID - b.ID)
			})
			got, total, err := svc.OverdueActions(ctx, who, day, 50)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(want) || len(got) != min(50, len(want)) {
				t.Fatalf("%s: %d listed of %d, want %d of %d", who.Role, len(got), total, min(50, len(want)), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID {
					t.Fatalf("%s: item %d is action %d, want %d", who.Role, i, got[i].ID, want[i].ID)
				}
			}
			t.Logf("%s: %d overdue", who.Role, total)
		}
		if _, _, err := svc.OverdueActions(ctx, service.Anonymous, day, 50); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the public: %v", err)
		}
	})
}
