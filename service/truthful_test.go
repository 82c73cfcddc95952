package service_test

import (
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// Point 6 of issue 14, over the staff scenario: e-rx has a baseline from a
// year ago and no accepted report, so it is silent with every owed period
// counted; solo-rx has no baseline, and says so rather than "no accepted
// report"; a milestone long overdue turns the silent project red; and the
// agenda proposal lists the silent project with its own reason.
func TestTruthfulStatus(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := scenario.New(t, e, scenario.Reference()).Staff()
		ctx, svc, sys := se.Ctx, se.Svc, service.System

		h, err := svc.ProjectHealth(ctx, sys, "e-rx", nil)
		testkit.Must(t, err)
		if h.Status != domain.Silent || h.Missed < 10 || !h.Stale {
			t.Fatalf("e-rx, a year of baseline and no report: %s, %d missed, stale %v; want silent with ≥ 10 missed", h.Status, h.Missed, h.Stale)
		}
		h, err = svc.ProjectHealth(ctx, sys, "solo-rx", nil)
		testkit.Must(t, err)
		if h.Status != domain.NoBaseline || h.Missed != 0 {
			t.Fatalf("solo-rx, no baseline: %s, %d missed", h.Status, h.Missed)
		}
		for _, r := range h.StatusReasons {
			if strings.Contains(r.EN, "accepted") {
				t.Errorf("no baseline is said as %q", r.EN)
			}
		}

		// The agenda follows the active members of the adopted lists.
		_, _, err = svc.Designate(ctx, sys, service.Designation{Program: "gov13-smart-driving", Project: "e-rx"})
		testkit.Must(t, err)
		_, items, err := svc.ProposeAgenda(ctx, sys, "itec-30")
		testkit.Must(t, err)
		silent := false
		for _, it := range items {
			if it.Kind == domain.AgendaProject && it.Project == "e-rx" {
				for _, r := range it.Reasons {
					silent = silent || r == domain.ReasonSilent
					if r == domain.ReasonStaleReport {
						t.Errorf("e-rx is on the agenda as a stale report beside silent: %v", it.Reasons)
					}
				}
			}
		}
		if !silent {
			t.Errorf("the agenda does not list the silent e-rx with its own reason: %+v", items)
		}

		// A milestone due 200 days ago (more than 15% of the 730-day
		// baseline) and never reported done: red, not unknown or silent.
		due := se.Today.AddDays(-200)
		testkit.Must(t, svc.CreateMilestone(ctx, sys, &domain.Milestone{Project: "e-rx", Title: domain.T("فاز یک", "phase one"), Planned: &due, Weight: 1}))
		h, err = svc.ProjectHealth(ctx, sys, "e-rx", nil)
		testkit.Must(t, err)
		if h.Status != domain.Red {
			t.Fatalf("e-rx silent with a milestone 200 days overdue: %s %v, want red", h.Status, h.StatusReasons)
		}
	})
}

// The scorecard counts every missed period since the baseline, not only
// the next one owed; the confidential project's lead has nothing on it.
func TestScorecards(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		se := scenario.New(t, e, scenario.Reference()).Staff()
		ctx, svc := se.Ctx, se.Svc
		rec, err := svc.AgencyRecord(ctx, "moh")
		testkit.Must(t, err)
		c := rec.Scorecard
		if c.Projects != 2 || c.Leads != 2 {
			t.Errorf("moh: %d projects, %d led; want 2 and 2", c.Projects, c.Leads)
		}
		if c.Reports.Missed < 10 || c.Reports.Due != c.Reports.OnTime+c.Reports.Late+c.Reports.Missed+c.Reports.Undated {
			t.Errorf("moh's reports: %+v; want every period of a year missed, adding up", c.Reports)
		}
		if len(rec.Missed) != c.Reports.Missed {
			t.Errorf("%d missed periods listed, %d counted", len(rec.Missed), c.Reports.Missed)
		}
		if c.OverdueActions != 1 || c.OldestOverdueDays == nil || *c.OldestOverdueDays != 5 || len(rec.Overdue) != 1 {
			t.Errorf("moh's overdue actions: %d, oldest %v; want 1 of 5 days", c.OverdueActions, c.OldestOverdueDays)
		}
		if c.Rated != 1 || c.Divergent != 0 || c.MeanGap == nil || *c.MeanGap != 1 {
			t.Errorf("moh's ratings: %d rated, %d divergent, gap %v; want 1, 0, 1 (self 4, council 3)", c.Rated, c.Divergent, c.MeanGap)
		}
		tax, err := svc.AgencyRecord(ctx, "tax")
		testkit.Must(t, err)
		if tax.Scorecard.Projects != 0 || tax.Scorecard.Reports.Due != 0 || len(tax.Projects) != 0 {
			t.Errorf("tax leads only a confidential project: %+v", tax.Scorecard)
		}
		cards, err := svc.Scorecards(ctx)
		testkit.Must(t, err)
		for i, c := range cards {
			if c.Rank != i+1 {
				t.Errorf("card %d (%s) has rank %d", i, c.Agency, c.Rank)
			}
		}

		// Accepting last month's report leaves the earlier periods missed:
		// a year of silence does not vanish after one report.
		moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
		sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
		r, err := svc.Report(ctx, moh, se.MohReport)
		testkit.Must(t, err)
		r, err = svc.SubmitReport(ctx, moh, r.ID, r.Version)
		testkit.Must(t, err)
		_, err = svc.AcceptReport(ctx, sec, r.ID, r.Version, domain.T("پذیرفته شد", "accepted"))
		testkit.Must(t, err)
		after, err := svc.AgencyRecord(ctx, "moh")
		testkit.Must(t, err)
		if after.Scorecard.Reports.Missed < c.Reports.Missed-1 || after.Scorecard.Reports.Missed < 9 || after.Scorecard.LastAccepted == nil {
			t.Errorf("after one accepted report: %+v, last %v; before %+v", after.Scorecard.Reports, after.Scorecard.LastAccepted, rec.Scorecard.Reports)
		}
	})
}
