package service_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestPublishOnCloseAndAccept: closing a meeting signs its public minutes
// and each public decision; accepting a report on a public project signs
// it; nothing about a confidential project is published.
func TestPublishOnCloseAndAccept(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		secret, err := svc.Project(ctx, sys, "p1")
		testkit.Must(t, err)
		secret.Confidentiality = domain.Confidential
		testkit.Must(t, svc.UpdateProject(ctx, sys, secret.Project))
		testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
		d := domain.MustDate("2024-03-01")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 26, Date: &d})
		testkit.Must(t, err)
		_, err = svc.HoldMeeting(ctx, sys, "itec-26", 0)
		testkit.Must(t, err)
		for _, x := range []struct{ res, project string }{{"26/1", "p0"}, {"26/2", "p1"}} {
			_, _, err = svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: x.res,
				Text: domain.T("مصوبه", "resolved"), Projects: []string{x.project}})
			testkit.Must(t, err)
		}
		if codes, _ := svc.PublishedCodes(ctx, "minutes", "itec-26"); len(codes) != 0 {
			t.Fatalf("minutes published before the meeting closed: %v", codes)
		}
		_, err = svc.CloseMeeting(ctx, sys, "itec-26", 0)
		testkit.Must(t, err)
		for ref, want := range map[string]int{"itec-26/26/1": 1, "itec-26/26/2": 0} {
			codes, err := svc.PublishedCodes(ctx, "decision", ref)
			testkit.Must(t, err)
			if len(codes) != want {
				t.Errorf("decision %s: %d codes, want %d", ref, len(codes), want)
			}
		}
		codes, err := svc.PublishedCodes(ctx, "minutes", "itec-26")
		testkit.Must(t, err)
		if len(codes) != 1 {
			t.Fatalf("minutes codes: %v", codes)
		}
		v, err := svc.Verify(ctx, codes[0])
		testkit.Must(t, err)
		if !v.Intact || strings.Contains(string(v.Document.File.Envelope.Content), "26/2") {
			t.Errorf("minutes: intact %v; content %s", v.Intact, v.Document.File.Envelope.Content)
		}

		// A report on the public project, accepted, is published.
		moh := service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
		testkit.Must(t, svc.CreateBaseline(ctx, sys, &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2025-12-31"),
			Cost: 5_000_000_000_000_000, ApprovedBy: domain.T("شورا", "council"), Approved: domain.DatePtr("2024-01-01"), Reference: "26/1"}))
		big := int64(4_000_000_000_000_000) // beyond 2^53: must still publish, as text
		r := &domain.Report{Project: "p0", Period: "1402-11", Narrative: domain.T("پیشرفت", "progress"), ProjectedCost: &big}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.Must(t, err)
		_, err = svc.AcceptReport(ctx, sys, r.ID, 0, domain.Text{})
		testkit.Must(t, err)
		codes, err = svc.PublishedCodes(ctx, "report", "report/"+strconv.FormatInt(r.ID, 10))
		testkit.Must(t, err)
		if len(codes) != 1 {
			t.Fatalf("report codes: %v", codes)
		}
		v, err = svc.Verify(ctx, codes[0])
		testkit.Must(t, err)
		if !v.Intact || !strings.Contains(string(v.Document.File.Envelope.Content), "4000000000000000") {
			t.Errorf("report: intact %v, content %s", v.Intact, v.Document.File.Envelope.Content)
		}
	})
}
