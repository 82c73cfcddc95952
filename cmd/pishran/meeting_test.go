package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// TestMeetingCommands: the proposed agenda of a planned session and the
// minutes of a held one, from the command line.
func TestMeetingCommands(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		dsn := e.DSN(t)
		ctx := context.Background()
		db, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		svc := service.New(db, slog.New(slog.DiscardHandler))
		sys := service.System
		testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
		testkit.Must(t, svc.CreateProject(ctx, sys, &domain.Project{Slug: "e-health", Title: domain.T("سلامت الکترونیک", "E-health"),
			Kind: domain.KindService, Confidentiality: domain.Public, Status: domain.InProgress,
			Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}}}))
		testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), Kind: domain.SeriesCouncil}))
		d26, d27, due := domain.MustDate("2023-11-20"), domain.MustDate("2024-01-15"), domain.MustDate("2023-12-20")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 26, Date: &d26})
		testkit.Must(t, err)
		_, err = svc.HoldMeeting(ctx, sys, "itec-26", 0)
		testkit.Must(t, err)
		_, _, err = svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "26/1",
			Text: domain.T("فهرست بیست پروژه تصویب شد", "the list of 20 projects is approved")})
		testkit.Must(t, err)
		_, _, err = svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &due,
			Projects: []string{"e-health"}, Description: domain.T("طرح اجرایی سلامت", "e-health executive plan")})
		testkit.Must(t, err)
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 27, Date: &d27})
		testkit.Must(t, err)
		db.Close()

		code, out, errOut := pishran(t, "meeting", "agenda", "itec-27", "--db", dsn)
		if code != 0 || !strings.Contains(out, "e-health") || !strings.Contains(out, "overdue-action") ||
			!strings.Contains(out, "carried-action") || !strings.Contains(out, "e-health executive plan") {
			t.Fatalf("meeting agenda: %d %s %s", code, out, errOut)
		}
		code, out, errOut = pishran(t, "meeting", "minutes", "itec-26", "--lang", "fa", "--db", dsn)
		if code != 0 || !strings.Contains(out, "فهرست بیست پروژه تصویب شد") || !strings.Contains(out, jalali.PersianDigits(jalali.Format(2023, 11, 20))) {
			t.Fatalf("meeting minutes fa: %d %s %s", code, out, errOut)
		}
		code, out, _ = pishran(t, "meeting", "minutes", "itec-26", "--lang", "en", "--format", "html", "--db", dsn)
		if code != 0 || !strings.Contains(out, `dir="ltr"`) || !strings.Contains(out, "the list of 20 projects is approved") {
			t.Fatalf("meeting minutes en html: %d %s", code, out)
		}
		code, out, _ = pishran(t, "meeting", "list", "--db", dsn)
		if code != 0 || !strings.Contains(out, "itec-26") || !strings.Contains(out, "2 meetings.") {
			t.Fatalf("meeting list: %d %s", code, out)
		}
		if code, _, errOut := pishran(t, "meeting", "agenda", "itec-26", "--db", dsn); code != 2 || !strings.Contains(errOut, "planned") {
			t.Errorf("agenda of a held meeting: %d %s", code, errOut)
		}
		if code, _, errOut := pishran(t, "meeting", "minutes", "itec-26", "--lang", "de", "--db", dsn); code != 2 || !strings.Contains(errOut, "--lang") {
			t.Errorf("bad --lang: %d %s", code, errOut)
		}
		if code, _, errOut := pishran(t, "meeting", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown subcommand") {
			t.Errorf("unknown subcommand: %d %s", code, errOut)
		}
		if code, _, errOut := pishran(t, "meeting", "minutes", "--help"); code != 0 || !strings.Contains(errOut, "Usage: pishran meeting minutes") {
			t.Errorf("minutes --help: %d %s", code, errOut)
		}
	})
}
