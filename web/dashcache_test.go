package web_test

import (
	"regexp"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// The dashboard's figures are kept, but a write (here, a council rating)
// shows on the next visit, and one viewer's dashboard is never another's.
func TestDashboardFollowsWrites(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			ratings := regexp.MustCompile(`<canvas id="chart-ratings"[^>]* data-chart="([^"]*)"`)
			chart := func(who string) string {
				m := ratings.FindStringSubmatch(se.Page(se.SignIn(who), "/staff", "en").Text())
				if m == nil {
					t.Fatalf("no ratings chart on %s's dashboard", who)
				}
				return m[1]
			}
			before, again := chart("sec"), chart("sec")
			if before != again {
				t.Fatal("the same dashboard twice differs with nothing written")
			}
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			if err := se.svc.Rate(se.Ctx, sec, &domain.Rating{Project: "secret-rx", Kind: domain.CouncilRating, Score: 1,
				Comment: domain.T("", "stalled")}); err != nil {
				t.Fatal(err)
			}
			if chart("sec") == before {
				t.Error("the secretariat's dashboard does not show a council rating recorded after its last visit")
			}
			// moh is not on the confidential project: its dashboard does
			// not count the rating, kept or not.
			moh := chart("moh-focal")
			if moh == chart("sec") {
				t.Error("moh was served the secretariat's dashboard")
			}
		})
	}
}
