package web_test

// The project page renders what the follow-up records: milestones with
// their progress, the decisions about the project, its ratings and its
// computed status, all from the service's one read of the page.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/web"
)

// TestProjectPageFollowUp: with two milestones on e-rx, an accepted
// report that marks the first done and the second at 40% and projects the
// end 60 days late (amber), and a decision at itec-29, the public project
// page shows all of it in both languages.
func TestProjectPageFollowUp(t *testing.T) {
	se := newStaffEnv(t, testkit.SQLite)
	ctx, svc := se.Ctx, se.svc
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	one, two := se.Today.AddDays(-20), se.Today.AddDays(30)
	testkit.Must(t, svc.CreateMilestone(ctx, moh, &domain.Milestone{Project: "e-rx", Title: domain.T("گام یک", "Step one"), Planned: &one, Weight: 1}))
	testkit.Must(t, svc.CreateMilestone(ctx, moh, &domain.Milestone{Project: "e-rx", Title: domain.T("گام دو", "Step two"), Planned: &two, Weight: 1}))
	ms, err := svc.Milestones(ctx, moh, "e-rx")
	testkit.Must(t, err)
	if len(ms) != 2 {
		t.Fatalf("%d milestones", len(ms))
	}
	r, err := svc.Report(ctx, moh, se.MohReport)
	testkit.Must(t, err)
	late := se.Today.AddDays(365 + 60) // the baseline ends in 365 days and lasts 730: 8% late
	r.ProjectedEnd = &late
	r.Milestones = []domain.MilestoneProgress{{Milestone: ms[0].ID, Percent: 100, Done: &one}, {Milestone: ms[1].ID, Percent: 40}}
	testkit.Must(t, svc.UpdateReport(ctx, moh, r))
	if r, err = svc.SubmitReport(ctx, moh, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = svc.AcceptReport(ctx, sec, r.ID, r.Version, domain.T("پذیرفته شد", "accepted")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.RecordOutcome(ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "29/1",
		Text: domain.T("مصوبه آزمایشی", "A test decision"), Projects: []string{"e-rx"}}); err != nil {
		t.Fatal(err)
	}
	// The public reads a meeting's decisions once its minutes are published.
	if _, err := svc.CloseMeeting(ctx, sec, "itec-29", 0); err != nil {
		t.Fatal(err)
	}
	portal := serve(t, se.Staff.Env, scenario.SiteOnly())
	fa := portal.Page("", "/projects/e-rx", "fa")
	fa.CheckPage(t, http.StatusOK, "fa")
	for _, want := range []string{web.FA.Date(one), "گام دو", "۴۰٪", "مصوبه آزمایشی", "۲۹", "زرد: نیازمند توجه", "شدنی با مسائل جدی"} {
		if !strings.Contains(fa.Text(), want) {
			t.Errorf("fa project page with follow-up lacks %q", want)
		}
	}
	if strings.Contains(fa.Text(), "هنوز گزارشی نیامده") {
		t.Error("the project page still says nothing was reported")
	}
	en := portal.Page("", "/projects/e-rx", "en")
	en.CheckPage(t, http.StatusOK, "en")
	for _, want := range []string{"40%", one.String(), "Step two", "A test decision", "amber: needs attention", "Feasible, with significant issues"} {
		if !strings.Contains(en.Text(), want) {
			t.Errorf("en project page with follow-up lacks %q", want)
		}
	}
}
