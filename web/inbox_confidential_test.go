package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestInboxKeepsConfidential: tax's confidential project (secret-rx) has
// all an inbox can show — a report returned with a comment, an action due,
// a report owed, the daily job's reminders — and tax's focal point sees
// them in its inbox; moh's focal point, on no part of it, never sees any of
// it in its inbox or the navigation's count, in either language.
func TestInboxKeepsConfidential(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			se := newStaffEnv(t, e)
			sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
			tax := service.Actor{Name: "user:tax-focal", Role: service.RoleAgency, Agency: "tax"}
			r, err := se.svc.SubmitReport(se.Ctx, tax, se.TaxReport, 0)
			testkit.Must(t, err)
			_, err = se.svc.ReturnReport(se.Ctx, sec, se.TaxReport, r.Version, domain.T("جدول درآمد پنهان را بیفزایید", "Add the hidden revenue table"))
			testkit.Must(t, err)
			due := se.Today.AddDays(3)
			_, act, err := se.svc.RecordOutcome(se.Ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "tax", Due: &due,
				Description: domain.T("اتصال پنهان به بانک‌ها", "Covert link to the banks"), Projects: []string{"secret-rx"}})
			testkit.Must(t, err)
			_, err = se.svc.RunDueJobs(se.Ctx, "t", time.Now())
			testkit.Must(t, err)

			secret := []string{"secret-rx", "نسخه محرمانه", "Confidential prescription", "جدول درآمد پنهان", "Add the hidden revenue table",
				"اتصال پنهان به بانک‌ها", "Covert link to the banks", "/staff/reports/" + strconv.FormatInt(se.TaxReport, 10) + `"`,
				"/staff/actions/" + strconv.FormatInt(act.ID, 10) + "/"}
			for _, lang := range []string{"fa", "en"} {
				taxIn := se.Page(se.SignIn("tax-focal"), "/staff/inbox", lang)
				taxIn.CheckPage(t, http.StatusOK, lang)
				name := map[string]string{"fa": "نسخه محرمانه", "en": "Confidential prescription"}[lang]
				comment := map[string]string{"fa": "جدول درآمد پنهان", "en": "Add the hidden revenue table"}[lang]
				action := map[string]string{"fa": "اتصال پنهان به بانک‌ها", "en": "Covert link to the banks"}[lang]
				for _, want := range []string{name, comment, action} {
					if !strings.Contains(taxIn.Text(), want) {
						t.Errorf("%s: tax's own inbox lacks %q:\n%s", lang, want, scenario.Clip(taxIn.Text()))
					}
				}
				for _, path := range []string{"/staff/inbox", "/staff"} {
					mohIn := se.Page(se.SignIn("moh-focal"), path, lang)
					mohIn.CheckPage(t, http.StatusOK, lang)
					for _, s := range secret {
						if strings.Contains(mohIn.Text(), s) {
							t.Errorf("%s %s: moh's page names tax's confidential %q", lang, path, s)
						}
					}
				}
			}
			// Nor does the inbox's record, which the navigation's count counts.
			in, err := se.svc.Inbox(se.Ctx, service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"})
			testkit.Must(t, err)
			for _, it := range in.Items {
				if it.Project == "secret-rx" || it.Agency == "tax" {
					t.Errorf("moh's inbox holds %+v", it)
				}
			}
		})
	}
}
