package web_test

// Ratings in the workspace, and the dashboard's rating history.

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestStaffRatings: the secretariat enters the council's rating and an
// agency on the project its own; a refusal shows the form again.
func TestStaffRatings(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			page := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			if !strings.Contains(page, "Enter the council&#39;s rating") || !strings.Contains(page, `id="score-5"`) {
				t.Error("no council rating form for the secretariat")
			}
			if strings.Contains(se.Page(se.SignIn("reader1"), "/staff/projects/e-rx", "en").Text(), `name="score"`) ||
				strings.Contains(se.Page(se.SignIn("tax-focal"), "/staff/projects/e-rx", "en").Text(), `name="score"`) {
				t.Error("a rating form for someone who may not rate e-rx")
			}
			r := se.Form(se.SignIn("sec"), "/staff/projects/e-rx/ratings?lang=en", url.Values{"score": {"2"}}, nil)
			r.CheckPage(t, http.StatusUnprocessableEntity, "en")
			if !strings.Contains(r.Text(), `id="score-2" name="score" value="2" required checked`) || !strings.Contains(r.Text(), `id="form-error"`) {
				t.Errorf("refused rating:\n%s", scenario.Clip(r.Text()))
			}
			se.Form(se.SignIn("sec"), "/staff/projects/e-rx/ratings", url.Values{"score": {"2"}, "comment_en": {"pharmacies lag"}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=rated")
			se.Form(se.SignIn("moh-focal"), "/staff/projects/e-rx/ratings", url.Values{"score": {"4"}, "comment_fa": {"خوب"}}, nil).RedirectsTo(t, "/staff/projects/e-rx?done=rated")
			rs, err := se.svc.Ratings(se.Ctx, service.System, "e-rx")
			if err != nil || len(rs) != 5 {
				t.Fatalf("ratings %v %v", rs, err)
			}
			var council, self bool
			for _, x := range rs {
				council = council || (x.Kind == "council" && x.Score == 2 && x.RecordedBy == "user:sec")
				self = self || (x.Kind == "self" && x.Score == 4 && x.Agency == "moh" && x.Comment.FA == "خوب")
			}
			if !council || !self {
				t.Errorf("ratings recorded %+v", rs)
			}
			if r := se.Form(se.SignIn("tax-focal"), "/staff/projects/e-rx/ratings", url.Values{"score": {"4"}, "comment_en": {"x"}}, nil); r.Status != http.StatusForbidden {
				t.Errorf("an agency not on the project rating it: %d", r.Status)
			}
			if r := se.Form(se.SignIn("moh-focal"), "/staff/projects/secret-rx/ratings", url.Values{"score": {"4"}, "comment_en": {"x"}}, nil); r.Status != http.StatusNotFound {
				t.Errorf("an agency rating a confidential project it is not on: %d", r.Status)
			}
			// The audit trail shows the ratings, to the secretariat only.
			audit := se.Page(se.SignIn("sec"), "/staff/projects/e-rx", "en").Text()
			if !strings.Contains(audit, "<code>rate</code>") || !strings.Contains(audit, "user:moh-focal") {
				t.Error("the audit trail lacks the ratings")
			}
			if strings.Contains(se.Page(se.SignIn("council1"), "/staff/projects/e-rx", "en").Text(), "<code>rate</code>") {
				t.Error("a council member sees the audit trail")
			}
		})
	}
}

// TestStaffRatingHistory: the dashboard's rating history leaves out what
// the person may not see (service.RatingHistory).
func TestStaffRatingHistory(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			if err := se.svc.Rate(se.Ctx, sec, &domain.Rating{Project: "secret-rx", Kind: domain.CouncilRating, Score: 2,
				Comment: domain.T("", "late")}); err != nil {
				t.Fatal(err)
			}
			slugs := []string{"e-rx", "secret-rx", "nope"}
			all, err := se.svc.RatingHistory(se.Ctx, sec, slugs)
			if err != nil || len(all["e-rx"]) != 3 || len(all["secret-rx"]) != 1 || len(all) != 2 {
				t.Errorf("as the secretariat: %v %v", all, err)
			}
			moh, err := se.svc.RatingHistory(se.Ctx, service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}, slugs)
			if err != nil || len(moh) != 1 || len(moh["e-rx"]) != 3 {
				t.Errorf("as moh: %v %v", moh, err)
			}
			pub, err := se.svc.RatingHistory(se.Ctx, service.Anonymous, slugs)
			if err != nil || len(pub) != 1 {
				t.Errorf("as the public: %v %v", pub, err)
			}
			// On the dashboard: the council's ratings this month count
			// secret-rx for the secretariat only.
			month := func(who string) int {
				r := se.Page(se.SignIn(who), "/staff", "en").Text()
				m := regexp.MustCompile(`(?s)<th scope="row"><span class="period" data-period="` + string(domain.PeriodOf(se.Today)) + `">[^<]+</span></th><td class="num">[^<]*</td><td class="num">(\d+)</td>`).FindStringSubmatch(r)
				if m == nil {
					t.Fatalf("no row for this month on %s's dashboard", who)
				}
				n, _ := strconv.Atoi(m[1])
				return n
			}
			if s, m := month("sec"), month("moh-focal"); s != m+1 {
				t.Errorf("this month's council ratings: %d for the secretariat, %d for moh; want one more (secret-rx's) for the secretariat", s, m)
			}
		})
	}
}
