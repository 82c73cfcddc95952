package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// TestHealthAndReports runs "pishran health" and "pishran reports" over a
// project with a baseline and one accepted report 19 days late (amber).
func TestHealthAndReports(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(db, nil)
		sys, moh := service.System, service.Actor{Name: "moh", Role: service.RoleAgency, Agency: "moh"}
		testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "moh", Name: domain.T("", "Ministry of Health"), Kind: domain.AgencyMinistry}))
		testkit.Must(t, svc.CreateProject(ctx, sys, &domain.Project{Slug: "p0", Title: domain.T("", "System"), Kind: domain.KindService,
			Confidentiality: domain.Public, Status: domain.InProgress, Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}}}))
		testkit.Must(t, svc.CreateBaseline(ctx, sys, &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2024-12-31"),
			Cost: 1_000_000_000, ApprovedBy: domain.T("", "council"), Approved: domain.DatePtr("2023-12-20"), Reference: "26/1402"}))
		r := &domain.Report{Project: "p0", Period: "1403-02", ProjectedEnd: domain.DatePtr("2025-01-19")}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.Must(t, err)
		_, err = svc.AcceptReport(ctx, sys, r.ID, 0, domain.Text{})
		testkit.Must(t, err)
		db.Close()

		code, out, errOut := pishran(t, "health", "p0", "--as-of", "2024-06-10", "--db", dsn)
		if code != 0 || !strings.Contains(out, "status AMBER") || !strings.Contains(out, "schedule slip: +19 days (5.2%") ||
			!strings.Contains(out, "next is due by 2024-07-05") || !strings.Contains(out, "1,000,000,000 IRR") {
			t.Fatalf("health: %d\n%s%s", code, out, errOut)
		}
		if code, out, _ := pishran(t, "health", "p0", "--as-of", "1403/04/26", "--db", dsn); code != 0 || !strings.Contains(out, "STALE") {
			t.Fatalf("stale health: %d\n%s", code, out)
		}
		code, out, errOut = pishran(t, "reports", "--project", "p0", "--db", dsn)
		if code != 0 || !strings.Contains(out, "p0") || !strings.Contains(out, "accepted") || !strings.Contains(out, "1 reports.") {
			t.Fatalf("reports: %d\n%s%s", code, out, errOut)
		}
		if code, _, errOut := pishran(t, "health", "nope", "--db", dsn); code != 2 || !strings.Contains(errOut, "not found") {
			t.Fatalf("unknown project: %d %q", code, errOut)
		}
		if code, _, errOut := pishran(t, "reports", "--state", "lost", "--db", dsn); code != 2 || !strings.Contains(errOut, "state") {
			t.Fatalf("bad state: %d %q", code, errOut)
		}
		if code, _, errOut := pishran(t, "health", "--help"); code != 0 || !strings.Contains(errOut, "Usage: pishran health") {
			t.Fatalf("health --help: %d %q", code, errOut)
		}
	})
}
