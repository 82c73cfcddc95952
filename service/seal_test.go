package service_test

import (
	"strconv"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestSealsOnReads: once a meeting closes and a report is accepted, every
// read of the published records carries the verification code of its
// signed document (the newest), for the public and for staff alike; a
// record not published carries none. The verification names the issuer,
// the publisher by display name, the meeting and the projects, never an
// internal id.
func TestSealsOnReads(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		_, err := svc.CreateUser(ctx, sys, &domain.User{Username: "sara", DisplayName: domain.T("سارا احمدی", "Sara Ahmadi"),
			Role: string(service.RoleSecretariat), Active: true}, "correct horse battery staple")
		testkit.Must(t, err)
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		testkit.Must(t, svc.CreateSeries(ctx, sec, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
			Kind: domain.SeriesCouncil}))
		for n, date := range map[int]string{26: "2024-03-01", 27: "2024-04-01"} {
			d := domain.MustDate(date)
			_, err = svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: n, Date: &d})
			testkit.Must(t, err)
			id := "itec-" + strconv.Itoa(n)
			_, err = svc.HoldMeeting(ctx, sec, id, 0)
			testkit.Must(t, err)
			_, _, err = svc.RecordOutcome(ctx, sec, id, service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: strconv.Itoa(n) + "/1",
				Text: domain.T("مصوبه", "resolved"), Projects: []string{"p0"}})
			testkit.Must(t, err)
		}
		_, err = svc.CloseMeeting(ctx, sec, "itec-26", 0) // itec-27 stays held: its decision is not published yet
		testkit.Must(t, err)
		codeOf := func(kind, ref string) string {
			t.Helper()
			codes, err := svc.PublishedCodes(ctx, kind, ref)
			testkit.Must(t, err)
			if len(codes) != 1 {
				t.Fatalf("%s %s: codes %v", kind, ref, codes)
			}
			return codes[0]
		}
		decision, minutes := codeOf("decision", "itec-26/26/1"), codeOf("minutes", "itec-26")

		for _, a := range []service.Actor{service.Anonymous, sec} {
			ds, err := svc.Decisions(ctx, a, domain.Page{Limit: 10})
			testkit.Must(t, err)
			byMeeting := func(what string, ds []*domain.Decision) {
				t.Helper()
				got := map[string]string{}
				for _, d := range ds {
					got[d.Meeting] = d.VerificationCode
				}
				// The public reads a meeting's decisions once it is closed
				// (its minutes published); staff read the held one's too.
				want := 2
				if a == service.Anonymous {
					want = 1
				}
				if _, held := got["itec-27"]; len(got) != want || got["itec-26"] != decision || got["itec-27"] != "" || (held && want == 1) {
					t.Errorf("%s: %s' codes %v, want itec-26 %s and, for staff only, itec-27 with none", a.Name, what, got, decision)
				}
			}
			byMeeting("decisions", ds)
			about, err := svc.DecisionsAbout(ctx, a, "p0")
			testkit.Must(t, err)
			byMeeting("decisions about p0", about)
			m, err := svc.Meeting(ctx, a, "itec-26")
			testkit.Must(t, err)
			if m.VerificationCode != minutes || len(m.Outcomes) != 1 || m.Outcomes[0].VerificationCode != decision {
				t.Errorf("%s: meeting %q, outcomes %+v", a.Name, m.VerificationCode, m.Outcomes)
			}
			in, err := svc.Minutes(ctx, a, "itec-26")
			testkit.Must(t, err)
			if in.Meeting.VerificationCode != minutes || in.Meeting.Outcomes[0].VerificationCode != decision {
				t.Errorf("%s: minutes input %q %+v", a.Name, in.Meeting.VerificationCode, in.Meeting.Outcomes)
			}
			if m, err = svc.Meeting(ctx, a, "itec-27"); err != nil || m.VerificationCode != "" {
				t.Errorf("%s: held meeting sealed: %+v %v", a.Name, m, err)
			} else if a == service.Anonymous && len(m.Outcomes) != 0 {
				t.Errorf("the public reads the held meeting's decisions: %+v", m.Outcomes)
			} else if a != service.Anonymous && (len(m.Outcomes) != 1 || m.Outcomes[0].VerificationCode != "") {
				t.Errorf("%s: held meeting's decision sealed or missing: %+v", a.Name, m.Outcomes)
			}
			rec, err := svc.ProjectRecord(ctx, a, "p0")
			testkit.Must(t, err)
			byMeeting("project record decisions", rec.Decisions)
		}

		// An accepted report on a public project.
		moh := service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
		testkit.Must(t, svc.CreateBaseline(ctx, sec, &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2025-12-31"),
			Cost: 1_000_000, ApprovedBy: domain.T("شورا", "council"), Approved: domain.DatePtr("2024-01-01"), Reference: "26/1"}))
		r := &domain.Report{Project: "p0", Period: "1402-11", Narrative: domain.T("پیشرفت", "progress")}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		if got, err := svc.Report(ctx, moh, r.ID); err != nil || got.VerificationCode != "" {
			t.Errorf("draft sealed: %+v %v", got, err)
		}
		_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.Must(t, err)
		_, err = svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
		testkit.Must(t, err)
		report := codeOf("report", "report/"+strconv.FormatInt(r.ID, 10))
		for _, a := range []service.Actor{service.Anonymous, sec, moh} {
			got, err := svc.Report(ctx, a, r.ID)
			testkit.Must(t, err)
			list, err := svc.Reports(ctx, a, domain.ReportFilter{Project: "p0"}, domain.Page{Limit: 10})
			testkit.Must(t, err)
			if got.VerificationCode != report || len(list) != 1 || list[0].VerificationCode != report {
				t.Errorf("%s: report %q, list %+v", a.Name, got.VerificationCode, list)
			}
		}
		rec, err := svc.ProjectRecord(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		if rec.LastReport.VerificationCode != report {
			t.Errorf("project record's last report: %+v", rec.LastReport)
		}

		// What the verification says about each.
		v, err := svc.Verify(ctx, decision)
		testkit.Must(t, err)
		ab := v.About
		if !v.Intact || ab == nil || ab.Issuer.EN != "IT Executive Council" || ab.Publisher.EN != "Secretariat of the IT Executive Council — Sara Ahmadi" ||
			ab.Meeting == nil || ab.Meeting.ID != "itec-26" || ab.Meeting.Number != 26 || ab.Meeting.Date == nil || ab.Meeting.Date.String() != "2024-03-01" ||
			ab.Resolution != "26/1" || len(ab.Projects) != 1 || ab.Projects[0].Slug != "p0" || ab.Newer != "" {
			t.Errorf("decision: intact %v, about %+v", v.Intact, ab)
		}
		if v, err = svc.Verify(ctx, minutes); err != nil || v.About.Meeting == nil || v.About.Meeting.ID != "itec-26" || len(v.About.Projects) != 1 {
			t.Errorf("minutes: %+v %v", v, err)
		}
		v, err = svc.Verify(ctx, report)
		testkit.Must(t, err)
		if ab := v.About; ab.Issuer.EN != "Ministry of Health" || ab.Report == nil || ab.Report.ID != r.ID || ab.Report.Period != "1402-11" ||
			len(ab.Projects) != 1 || ab.Meeting != nil {
			t.Errorf("report: about %+v", ab)
		}
		// A token's publication names the secretariat, not the token.
		doc, err := svc.Publish(ctx, service.Actor{Name: "token:ci-bot", Role: service.RoleSecretariat}, "decision", "itec-26/26/1",
			domain.T("اصلاحیه", "Correction"), map[string]any{"meeting": "itec-26", "series": "itec", "projects": []string{"p1", "nope"}})
		testkit.Must(t, err)
		v, err = svc.Verify(ctx, doc.Code)
		testkit.Must(t, err)
		if v.About.Publisher.EN != "Secretariat of the IT Executive Council" || len(v.About.Projects) != 1 || v.About.Projects[0].Slug != "p1" || v.About.Hidden != 1 || v.About.Withheld {
			t.Errorf("token publication: about %+v", v.About)
		}
		// The correction is now the decision's code, and the first
		// publication points to it.
		if v, err = svc.Verify(ctx, decision); err != nil || v.About.Newer != doc.Code {
			t.Errorf("first publication's newer: %+v %v", v.About, err)
		}
		ds, err := svc.Decisions(ctx, service.Anonymous, domain.Page{Limit: 10})
		testkit.Must(t, err)
		for _, d := range ds {
			if d.Meeting == "itec-26" && d.VerificationCode != doc.Code {
				t.Errorf("after a correction the decision shows %s, want %s", d.VerificationCode, doc.Code)
			}
		}
		// A project made confidential since is counted, not named, as a
		// project that does not exist is (the public cannot tell them
		// apart).
		p1, err := svc.Project(ctx, sys, "p1")
		testkit.Must(t, err)
		p1.Confidentiality = domain.Confidential
		testkit.Must(t, svc.UpdateProject(ctx, sys, p1.Project))
		if v, err = svc.Verify(ctx, doc.Code); err != nil || len(v.About.Projects) != 0 || v.About.Hidden != 2 || !v.About.Withheld {
			t.Errorf("after p1 became confidential: %+v %v", v.About, err)
		}
	})
}
