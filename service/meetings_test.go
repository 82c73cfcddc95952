package service_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/minutes"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
	"github.com/pishran/pishran/synth"
)

func newMeeting(t *testing.T, svc *service.Service, ctx context.Context, series string, n int, date string) *domain.Meeting {
	t.Helper()
	d := domain.MustDate(date)
	m, err := svc.CreateMeeting(ctx, service.System, service.MeetingInput{Series: series, Number: n, Date: &d,
		Attendees: []domain.Attendee{{Name: domain.T("رضا باقری اصل", "Reza Bagheri Asl"), Agency: "ito", Role: domain.T("دبیر شورا", "secretary of the council")}}})
	if err != nil {
		t.Fatalf("create %s-%d: %v", series, n, err)
	}
	return m
}

func summaryOf(items []domain.AgendaItem) []string {
	var out []string
	for _, it := range items {
		s := it.Key()
		for _, r := range it.Reasons {
			s += " " + string(r)
		}
		out = append(out, s)
	}
	return out
}

// TestMeetingsFollowUp walks two council sessions: the proposal, a saved
// agenda, outcomes, closing, the carried actions, amendments and minutes.
func TestMeetingsFollowUp(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(6).Meetings()
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		reader := service.Actor{Name: "r", Role: service.RoleReader}

		// A steering-committee action on p2, due before the council meets.
		newMeeting(t, svc, ctx, "steer", 1, "2024-01-01")
		if _, err := svc.HoldMeeting(ctx, sys, "steer-1", 0); err != nil {
			t.Fatal(err)
		}
		due := domain.MustDate("2024-01-10")
		_, _, err := svc.RecordOutcome(ctx, sys, "steer-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito", Due: &due,
			Projects: []string{"p2"}, Description: domain.T("گزارش وضعیت", "status report")})
		if err != nil {
			t.Fatal(err)
		}

		m1 := newMeeting(t, svc, ctx, "itec", 1, "2024-02-01")
		if m1.ID != "itec-1" || m1.State != domain.MeetingPlanned || m1.Version != 1 {
			t.Fatalf("new meeting %+v", m1)
		}
		_, items, err := svc.ProposeAgenda(ctx, sys, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"project:p0 main-project", "project:p1 main-project", "project:p4 main-project", "project:p2 overdue-action"}
		if got := summaryOf(items); !slices.Equal(got, want) {
			t.Fatalf("proposal\n got  %q\n want %q", got, want)
		}
		if items[0].Title.EN != "Prescription system p0" {
			t.Errorf("item title %+v", items[0].Title)
		}
		// The reader may not see the confidential p4.
		_, ritems, err := svc.ProposeAgenda(ctx, reader, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		if got := summaryOf(ritems); !slices.Equal(got, []string{want[0], want[1], want[3]}) {
			t.Errorf("reader's proposal %q", got)
		}
		if _, _, err := svc.ProposeAgenda(ctx, service.Anonymous, "itec-1"); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the public asked for a proposal: %v", err)
		}

		// Save: accept, drop p1 for a reason, add a free item.
		saved := slices.Clone(items)
		saved[1].Dropped, saved[1].DropReason = true, domain.T("گزارش نرسید", "no report arrived")
		saved = append(saved, domain.AgendaItem{Kind: domain.AgendaOther, Title: domain.T("سایر موارد", "any other business")})
		bad := slices.Clone(saved)
		bad[2] = domain.AgendaItem{Kind: domain.AgendaProject, Project: "p3", Dropped: true}
		_, err = svc.SaveAgenda(ctx, sys, "itec-1", 1, bad)
		testkit.WantKind(t, "drop without reason", err, domain.KindInvalid, "items[2].drop_reason")
		bad[2] = domain.AgendaItem{Kind: domain.AgendaProject, Project: "nope"}
		_, err = svc.SaveAgenda(ctx, sys, "itec-1", 1, bad)
		testkit.WantKind(t, "unknown project", err, domain.KindInvalid, "items[2].project")
		m1, err = svc.SaveAgenda(ctx, sys, "itec-1", 1, saved)
		if err != nil {
			t.Fatal(err)
		}
		if m1.Version != 2 || len(m1.Agenda) != 5 || !m1.Agenda[1].Dropped || m1.Agenda[4].Reasons[0] != domain.ReasonAdded {
			t.Fatalf("saved agenda v%d %+v", m1.Version, m1.Agenda)
		}
		if _, err := svc.SaveAgenda(ctx, sys, "itec-1", 1, saved); !domain.IsKind(err, domain.KindStale) {
			t.Errorf("saving from a stale read: %v", err)
		}
		rm, err := svc.Meeting(ctx, reader, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(rm.Agenda) != 4 || slices.ContainsFunc(rm.Agenda, func(it domain.AgendaItem) bool { return it.Project == "p4" }) {
			t.Errorf("the reader sees the confidential item: %+v", rm.Agenda)
		}
		if _, err := svc.Meeting(ctx, service.Anonymous, "itec-1"); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("the public sees a planned meeting: %v", err)
		}

		// Outcomes wait for the meeting to be held.
		_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeInformation, Text: domain.T("گزارش", "report")})
		testkit.WantKind(t, "outcome on a planned meeting", err, domain.KindConflict, "id")
		if _, err := svc.HoldMeeting(ctx, sys, "itec-1", 1); !domain.IsKind(err, domain.KindStale) {
			t.Errorf("hold from a stale read: %v", err)
		}
		if _, err := svc.HoldMeeting(ctx, sys, "itec-1", 2); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.HoldMeeting(ctx, sys, "itec-1", 0); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("holding twice: %v", err)
		}
		dec := service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/1", Projects: []string{"p0"},
			Text: domain.T("سامانه نسخه تا پایان سال سراسری شود", "roll the prescription system out nationwide by year end")}
		if _, _, err := svc.RecordOutcome(ctx, sys, "itec-1", dec); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", dec)
		testkit.WantKind(t, "same resolution twice", err, domain.KindConflict, "resolution")
		secret := service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "1/2", Projects: []string{"p4"},
			Text: domain.T("تصمیم محرمانه", "a confidential decision")}
		if _, _, err := svc.RecordOutcome(ctx, sys, "itec-1", secret); err != nil {
			t.Fatal(err)
		}
		d1, d2 := domain.MustDate("2024-03-01"), domain.MustDate("2024-02-15")
		_, a1, err := svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &d1,
			Projects: []string{"p0"}, Description: domain.T("برنامه استقرار", "roll-out plan")})
		if err != nil {
			t.Fatal(err)
		}
		_, a2, err := svc.RecordOutcome(ctx, sys, "itec-1", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "ito", Due: &d2,
			Projects: []string{"p3"}, Description: domain.T("اتصال به مرکز تبادل", "connect to the exchange")})
		if err != nil {
			t.Fatal(err)
		}
		if a1.Created != m1.Date || a1.Status != domain.ActionOpen || len(a1.Events) != 1 || a1.Events[0].Type != domain.ActionCreated || a1.Events[0].Meeting != "itec-1" {
			t.Fatalf("new action %+v", a1)
		}
		// Bad outcomes: nothing is written.
		early := domain.MustDate("2024-01-31")
		for _, c := range []struct {
			in    service.OutcomeInput
			field string
		}{
			{service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &early, Description: domain.T("x", "x")}, "due"},
			{service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "nobody", Due: &d1, Description: domain.T("x", "x")}, "owner"},
			{service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &d1, Description: domain.T("x", "x"), Projects: []string{"p0", "ghost"}}, "projects[1]"},
			{service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Description: domain.T("x", "x")}, "due"},
			{service.OutcomeInput{Kind: domain.OutcomeDecision, Text: domain.T("x", "x")}, "resolution"},
			{service.OutcomeInput{Kind: "vote", Text: domain.T("x", "x")}, "kind"},
		} {
			_, _, err := svc.RecordOutcome(ctx, sys, "itec-1", c.in)
			testkit.WantKind(t, fmt.Sprintf("bad outcome %+v", c.in), err, domain.KindInvalid, c.field)
		}
		held, err := svc.Meeting(ctx, sys, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(held.Outcomes) != 4 {
			t.Fatalf("outcomes after refusals: %d, want 4", len(held.Outcomes))
		}
		open, err := svc.Actions(ctx, sys, domain.ActionFilter{OpenOnly: true}, domain.Page{Limit: 100})
		if err != nil || len(open) != 3 {
			t.Fatalf("open actions: %v %d, want 3", err, len(open))
		}

		// Closing makes the meeting read-only.
		if _, err := svc.CloseMeeting(ctx, sys, "itec-1", 0); err != nil {
			t.Fatal(err)
		}
		cur, _ := svc.Meeting(ctx, sys, "itec-1")
		d := domain.MustDate("2024-02-01")
		_, err = svc.UpdateMeeting(ctx, sys, "itec-1", cur.Version, service.MeetingInput{Date: &d, Title: domain.T("ویرایش", "edit")})
		testkit.WantKind(t, "edit a closed meeting", err, domain.KindConflict, "id")
		if !strings.Contains(err.Error(), "itec-1") {
			t.Errorf("the refusal does not name the meeting: %v", err)
		}
		_, err = svc.SaveAgenda(ctx, sys, "itec-1", cur.Version, saved)
		testkit.WantKind(t, "agenda of a closed meeting", err, domain.KindConflict, "id")
		_, _, err = svc.RecordOutcome(ctx, sys, "itec-1", dec)
		testkit.WantKind(t, "outcome on a closed meeting", err, domain.KindConflict, "id")
		if _, err := svc.Amend(ctx, sys, "itec-1", domain.T("شماره مصوبه ۱/۱ درست است", "resolution 1/1 is correct as recorded")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Amend(ctx, sys, "itec-1", domain.T("", "")); !domain.IsKind(err, domain.KindInvalid) {
			t.Errorf("empty amendment: %v", err)
		}
		after, _ := svc.Meeting(ctx, sys, "itec-1")
		if len(after.Amendments) != 1 || after.Amendments[0].RecordedBy != "system" || len(after.Outcomes) != 4 {
			t.Errorf("closed meeting after amendment: %+v", after.Amendments)
		}

		// The next session carries both open actions, and p0, p3 and p2
		// have overdue actions by then.
		newMeeting(t, svc, ctx, "itec", 2, "2024-03-10")
		_, items2, err := svc.ProposeAgenda(ctx, sys, "itec-2")
		if err != nil {
			t.Fatal(err)
		}
		want2 := []string{"project:p0 main-project overdue-action", "project:p1 main-project", "project:p4 main-project",
			"project:p2 overdue-action", "project:p3 overdue-action",
			fmt.Sprintf("action:%d overdue-action carried-action", a1.ID), fmt.Sprintf("action:%d overdue-action carried-action", a2.ID)}
		if got := summaryOf(items2); !slices.Equal(got, want2) {
			t.Fatalf("second proposal\n got  %q\n want %q", got, want2)
		}
		// The public: only itec-1's public decision, and none about p4.
		pub, err := svc.Meeting(ctx, service.Anonymous, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		if len(pub.Outcomes) != 1 || pub.Outcomes[0].Resolution != "1/1" || len(pub.Attendees) != 0 || len(pub.Agenda) != 0 || len(pub.Amendments) != 0 {
			t.Errorf("public view %+v", pub)
		}
		for _, c := range []struct {
			a    service.Actor
			want []string
		}{{service.Anonymous, []string{"1/1"}}, {reader, []string{"1/1"}}, {sys, []string{"1/2", "1/1"}},
			{service.Actor{Name: "m", Role: service.RoleAgency, Agency: "moh"}, []string{"1/2", "1/1"}},
			{service.Actor{Name: "t", Role: service.RoleAgency, Agency: "tamin"}, []string{"1/1"}}} {
			ds, err := svc.Decisions(ctx, c.a, domain.Page{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.Resolution)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("decisions for %s/%s: %q, want %q", c.a.Role, c.a.Agency, got, c.want)
			}
		}

		// Closing a2 takes it off the next proposal; it stays in history.
		a2v, err := svc.CloseAction(ctx, sys, a2.ID, a2.Version, service.ActionUpdate{Date: &d1, Note: domain.T("انجام شد", "done")})
		if err != nil {
			t.Fatal(err)
		}
		if a2v.Status != domain.ActionClosed || a2v.Closed == nil || *a2v.Closed != d1 || len(a2v.Events) != 2 {
			t.Fatalf("closed action %+v", a2v)
		}
		_, items2, _ = svc.ProposeAgenda(ctx, sys, "itec-2")
		if slices.ContainsFunc(items2, func(it domain.AgendaItem) bool { return it.Action == a2.ID || it.Project == "p3" }) {
			t.Errorf("a closed action is still proposed: %q", summaryOf(items2))
		}
		if _, err := svc.DiscussAction(ctx, sys, a2.ID, a2v.Version, service.ActionUpdate{Note: domain.T("x", "x")}); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("discussing a closed action: %v", err)
		}

		// Sessions keep date order within their series.
		before := domain.MustDate("2024-01-15")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 3, Date: &before})
		testkit.WantKind(t, "session dated before the previous one", err, domain.KindInvalid, "date")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "nope", Number: 1, Date: &before})
		testkit.WantKind(t, "unknown series", err, domain.KindInvalid, "series")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 2, Date: &d1})
		testkit.WantKind(t, "the same session twice", err, domain.KindConflict, "number")
		may := domain.MustDate("2024-05-01")
		_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 9, Date: &may,
			Attendees: []domain.Attendee{{Name: domain.T("x", "x"), Agency: "ghost"}}})
		testkit.WantKind(t, "unknown attendee agency", err, domain.KindInvalid, "attendees[0].agency")

		newMeeting(t, svc, ctx, "itec", 4, "2099-01-01")
		_, err = svc.HoldMeeting(ctx, sys, "itec-4", 0)
		testkit.WantKind(t, "holding a meeting dated in the future", err, domain.KindInvalid, "date")

		// Minutes of the closed meeting, in both languages.
		in, err := svc.Minutes(ctx, sys, "itec-1")
		if err != nil {
			t.Fatal(err)
		}
		fa, err := minutes.Render(in, "fa", "md")
		if err != nil {
			t.Fatal(err)
		}
		jal := jalali.PersianDigits(jalali.Format(2024, 2, 1))
		for _, s := range []string{"سامانه نسخه تا پایان سال سراسری شود", jal, "رضا باقری اصل", "برنامه استقرار", "الحاقیه"} {
			if !strings.Contains(string(fa), s) {
				t.Errorf("Persian minutes lack %q:\n%s", s, fa)
			}
		}
		en, err := minutes.Render(in, "en", "html")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{`lang="en" dir="ltr"`, "roll the prescription system out nationwide by year end", "2024-02-01", "no report arrived"} {
			if !strings.Contains(string(en), s) {
				t.Errorf("English minutes lack %q:\n%s", s, en)
			}
		}
	})
}

// TestActionUpdates: re-dating needs a reason and a date after creation;
// a focal point notes progress on its own agency's actions only; two
// updates from the same read: one lands, the other is stale, and nothing is
// lost.
func TestActionUpdates(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(6).Meetings()
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		newMeeting(t, svc, ctx, "itec", 26, "2023-11-20")
		if _, err := svc.HoldMeeting(ctx, sys, "itec-26", 0); err != nil {
			t.Fatal(err)
		}
		due := domain.MustDate("2024-01-20")
		_, act, err := svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &due,
			Projects: []string{"p4"}, Description: domain.T("طرح اجرایی", "executive plan")})
		if err != nil {
			t.Fatal(err)
		}
		early, later := domain.MustDate("2023-11-01"), domain.MustDate("2024-02-20")
		_, err = svc.RedateAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Due: &early, Reason: domain.T("x", "x")})
		testkit.WantKind(t, "due before creation", err, domain.KindInvalid, "due")
		_, err = svc.RedateAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Due: &later})
		testkit.WantKind(t, "re-date without reason", err, domain.KindInvalid, "reason")
		_, err = svc.CloseAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Date: &early})
		testkit.WantKind(t, "closed before creation", err, domain.KindInvalid, "date")
		_, err = svc.DiscussAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Meeting: "itec-99", Note: domain.T("x", "x")})
		testkit.WantKind(t, "discussed at an unknown meeting", err, domain.KindInvalid, "meeting")
		newMeeting(t, svc, ctx, "itec", 27, "2023-12-20")
		_, err = svc.DiscussAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Meeting: "itec-27", Note: domain.T("x", "x")})
		testkit.WantKind(t, "discussed at a planned meeting", err, domain.KindConflict, "meeting")

		moh := service.Actor{Name: "moh-fp", Role: service.RoleAgency, Agency: "moh"}
		ito := service.Actor{Name: "ito-fp", Role: service.RoleAgency, Agency: "ito"}
		tamin := service.Actor{Name: "tamin-fp", Role: service.RoleAgency, Agency: "tamin"}
		note := service.ActionUpdate{Note: domain.T("پیش‌نویس آماده است", "the draft is ready")}
		if _, err := svc.DiscussAction(ctx, ito, act.ID, act.Version, note); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("another agency's note: %v", err)
		}
		// p4 is confidential and tamin is not on it: not found.
		if _, err := svc.Action(ctx, tamin, act.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("an agency off the confidential project reads its action: %v", err)
		}
		if _, err := svc.RedateAction(ctx, moh, act.ID, act.Version, service.ActionUpdate{Due: &later, Reason: domain.T("x", "x")}); !domain.IsKind(err, domain.KindForbidden) {
			t.Errorf("a focal point re-dates: %v", err)
		}
		got, err := svc.DiscussAction(ctx, moh, act.ID, act.Version, note)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != act.Version+1 || got.Events[1].Type != domain.ActionDiscussed || got.Events[1].RecordedBy != "moh-fp" || got.Events[1].Meeting != "" {
			t.Fatalf("after the note: %+v", got)
		}

		// Two re-dates from the same read.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := later.Time().AddDate(0, 0, i)
				nd := domain.DateOf(d)
				_, errs[i] = svc.RedateAction(ctx, sys, act.ID, got.Version, service.ActionUpdate{Due: &nd,
					Reason: domain.T("وابستگی به زیرساخت", "waits for infrastructure")})
			}()
		}
		wg.Wait()
		ok, stale := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.IsKind(err, domain.KindStale):
				stale++
			default:
				t.Errorf("concurrent re-date: %v", err)
			}
		}
		if ok != 1 || stale != 1 {
			t.Fatalf("concurrent re-dates: %d succeeded, %d stale", ok, stale)
		}
		final, err := svc.Action(ctx, sys, act.ID)
		if err != nil {
			t.Fatal(err)
		}
		var types []domain.ActionEventType
		for _, ev := range final.Events {
			types = append(types, ev.Type)
		}
		if !slices.Equal(types, []domain.ActionEventType{domain.ActionCreated, domain.ActionDiscussed, domain.ActionRedated}) ||
			final.Version != got.Version+1 || *final.Events[2].NewDue != final.Due || *final.Events[2].OldDue != due {
			t.Fatalf("history after concurrent re-dates: %v, version %d, %+v", types, final.Version, final.Events)
		}
		// The owner reads its own actions; listing by agency.
		mine, err := svc.Actions(ctx, moh, domain.ActionFilter{Owner: "moh"}, domain.Page{Limit: 10})
		if err != nil || len(mine) != 1 || mine[0].ID != act.ID {
			t.Fatalf("moh's actions: %v %+v", err, mine)
		}
		if theirs, _ := svc.Actions(ctx, tamin, domain.ActionFilter{}, domain.Page{Limit: 10}); len(theirs) != 0 {
			t.Errorf("tamin sees %d actions about a confidential project", len(theirs))
		}
		if _, err := svc.Actions(ctx, service.Anonymous, domain.ActionFilter{}, domain.Page{Limit: 10}); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("the public lists actions: %v", err)
		}
	})
}

// BenchmarkProposeAgenda builds the agenda of a planned council session
// over the national synthetic registry (10,000 projects) with 3,000 open
// actions carried from the previous session, about half of them overdue.
func BenchmarkProposeAgenda(b *testing.B) {
	env := benchFollowUp(b) // 10,000 projects with 200,000 accepted reports
	svc, ctx := env.Svc, env.Ctx
	if err := env.Once("meetings", func(*scenario.Env) error { return seedBenchMeetings(ctx, svc, 3000) }); err != nil {
		b.Fatal(err)
	}
	for _, who := range []struct {
		name string
		a    service.Actor
	}{{"secretariat", service.System}, {"reader", service.Actor{Name: "r", Role: service.RoleReader}}} {
		// cold: the first proposal after a write, built from the record;
		// served: asked again with nothing written since (kept).
		for _, cold := range []bool{true, false} {
			name := who.name + "/served"
			if cold {
				name = who.name + "/cold"
			}
			b.Run(name, func(b *testing.B) {
				n := 0
				for b.Loop() {
					if cold {
						svc.ForgetProposals()
					}
					_, items, err := svc.ProposeAgenda(ctx, who.a, "bench-2")
					if err != nil {
						b.Fatal(err)
					}
					n = len(items)
				}
				b.ReportMetric(float64(n), "items")
			})
		}
	}
}

// BenchmarkObligations lists what one agency owes at national scale: its
// projects with their health, its open actions, and the reports it owes.
func BenchmarkObligations(b *testing.B) {
	env := benchFollowUp(b)
	svc, ctx := env.Svc, env.Ctx
	if err := env.Once("meetings", func(*scenario.Env) error { return seedBenchMeetings(ctx, svc, 3000) }); err != nil {
		b.Fatal(err)
	}
	asOf := synth.ProgressAsOf
	o, err := svc.Obligations(ctx, service.System, "ag-0007", &asOf)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("ag-0007 owes: %+v", o.Counts)
	for b.Loop() {
		if _, err := svc.Obligations(ctx, service.System, "ag-0007", &asOf); err != nil {
			b.Fatal(err)
		}
	}
}

// seedBenchMeetings records the series bench with a held session 1 giving
// n actions to random agencies about random projects, and a planned
// session 2 half a year later.
func seedBenchMeetings(ctx context.Context, svc *service.Service, n int) error {
	sys := service.System
	if err := svc.CreateSeries(ctx, sys, &domain.Series{Code: "bench", Name: domain.T("سنجش", "bench"), Kind: domain.SeriesCouncil}); err != nil {
		return err
	}
	d1, d2 := domain.MustDate("2025-01-01"), domain.MustDate("2025-07-01")
	if _, err := svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "bench", Number: 1, Date: &d1}); err != nil {
		return err
	}
	if _, err := svc.HoldMeeting(ctx, sys, "bench-1", 0); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(7, 7))
	// One transaction for all of them: recording 3,000 outcomes one by one
	// would only measure the disk's fsync.
	err := svc.DB().Update(ctx, func(tx *store.Tx) error {
		mid, err := tx.GuardMeeting("bench-1", domain.MeetingHeld)
		if err != nil {
			return err
		}
		for i := range n {
			due := domain.DateOf(d1.Time().AddDate(0, 0, r.IntN(365)))
			projects := []string{fmt.Sprintf("p-%05d", r.IntN(10000))}
			if i%3 == 0 {
				if p := fmt.Sprintf("p-%05d", r.IntN(10000)); p != projects[0] {
					projects = append(projects, p)
				}
			}
			act := &domain.Action{Meeting: "bench-1", Series: "bench", Owner: fmt.Sprintf("ag-%04d", r.IntN(1000)), Projects: projects,
				Description: domain.T(fmt.Sprintf("اقدام %d", i), fmt.Sprintf("action %d", i)), Created: d1, Due: due}
			if err := tx.InsertAction(mid, act, "bench"); err != nil {
				return err
			}
			o := &domain.Outcome{Kind: domain.OutcomeAction, Description: act.Description, Owner: act.Owner, Due: &act.Due,
				Projects: projects, Action: act.ID, RecordedBy: "bench"}
			if err := tx.InsertOutcome(mid, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "bench", Number: 2, Date: &d2})
	return err
}
