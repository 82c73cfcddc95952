package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// world is a registry with a record of every audited kind, each written
// through Pishran.
type world struct {
	svc      *service.Service
	ctx      context.Context
	decision string // the decision's outcome key (meeting/id)
	action   int64
	report   int64
	rating   string // project/id
	token    int64
}

func auditedWorld(t *testing.T, e testkit.Engine) *world {
	t.Helper()
	env := scenario.New(t, e).Registry(3)
	svc, ctx := env.Svc, env.Ctx
	sys := service.System
	w := &world{svc: svc, ctx: ctx}
	// A list, adopted: designations (memberships) and projects designated.
	testkit.Must(t, svc.CreateProgram(ctx, sys, &domain.Program{Slug: "gov14", Title: domain.T("پروژه‌های پیشران", "Driving projects"), Term: 14,
		Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramDraft}))
	for _, p := range []string{"p0", "p1"} {
		_, err := svc.Propose(ctx, sys, "gov14", p)
		testkit.Must(t, err)
	}
	for _, st := range []struct {
		body  domain.Body
		adopt bool
	}{{domain.BodySteeringCommittee, false}, {domain.BodyCouncil, false}, {domain.BodyGovernmentBoard, true}} {
		_, err := svc.RecordStage(ctx, sys, service.StageDecision{Program: "gov14", Body: st.body, Passed: []string{"p0", "p1"},
			Main: []string{"p0"}, Adopt: st.adopt, Resolution: "R-" + string(st.body)})
		testkit.Must(t, err)
	}
	_, err := svc.Leave(ctx, sys, service.Departure{Program: "gov14", Project: "p1", Reason: domain.LeaveCompleted})
	testkit.Must(t, err)

	// A meeting, held, with a decision and an action, closed (published).
	testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورا", "Council"), Kind: domain.SeriesCouncil}))
	d := domain.MustDate("2024-03-01")
	_, err = svc.CreateMeeting(ctx, sys, service.MeetingInput{Series: "itec", Number: 26, Date: &d})
	testkit.Must(t, err)
	_, err = svc.UpdateMeeting(ctx, sys, "itec-26", 1, service.MeetingInput{Title: domain.T("جلسه ۲۶", "Session 26"), Date: &d})
	testkit.Must(t, err)
	_, err = svc.HoldMeeting(ctx, sys, "itec-26", 0)
	testkit.Must(t, err)
	o, _, err := svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeDecision, Resolution: "26/1",
		Text: domain.T("سامانه نسخه تا پایان سال سراسری شود", "Roll out e-prescription nationwide by year end"), Projects: []string{"p0"}})
	testkit.Must(t, err)
	w.decision = "itec-26/" + strconv.FormatInt(o.ID, 10)
	due := domain.MustDate("2024-06-01")
	_, act, err := svc.RecordOutcome(ctx, sys, "itec-26", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &due,
		Description: domain.T("گزارش استقرار", "Report on the roll-out"), Projects: []string{"p0"}})
	testkit.Must(t, err)
	w.action = act.ID
	newDue := domain.MustDate("2024-07-01")
	_, err = svc.RedateAction(ctx, sys, act.ID, act.Version, service.ActionUpdate{Meeting: "itec-26", Due: &newDue,
		Reason: domain.T("زمان بیشتر", "more time")})
	testkit.Must(t, err)
	_, err = svc.CloseMeeting(ctx, sys, "itec-26", 0)
	testkit.Must(t, err)

	// Follow-up: a baseline, a milestone, an indicator, a rating and an
	// accepted report that moves them.
	testkit.Must(t, svc.CreateBaseline(ctx, sys, &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2025-12-31"),
		Cost: 5_000_000, ApprovedBy: domain.T("شورا", "council"), Approved: domain.DatePtr("2024-01-01"), Reference: "26/1"}))
	m := &domain.Milestone{Project: "p0", Title: domain.T("آزمایش", "pilot"), Planned: domain.DatePtr("2024-05-01")}
	testkit.Must(t, svc.CreateMilestone(ctx, sys, m))
	k := &domain.KPI{Project: "p0", Name: domain.T("سهم", "share"), Unit: "%", Target: 80, Direction: domain.Up, Frequency: domain.Monthly}
	testkit.Must(t, svc.CreateKPI(ctx, sys, k))
	r := &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 3, Comment: domain.T("متوسط", "fair")}
	testkit.Must(t, svc.Rate(ctx, sys, r))
	w.rating = "p0/" + strconv.FormatInt(r.ID, 10)
	moh := service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
	rep := &domain.Report{Project: "p0", Period: "1402-11", Narrative: domain.T("پیشرفت", "progress"),
		Milestones: []domain.MilestoneProgress{{Milestone: m.ID, Percent: 100, Done: domain.DatePtr("2024-02-20")}},
		KPIs:       []domain.KPIValue{{KPI: k.ID, Value: 42}}}
	testkit.Must(t, svc.CreateReport(ctx, moh, rep))
	_, err = svc.AddEvidence(ctx, moh, rep.ID, 0, service.EvidenceUpload{URL: "https://example.org/evidence", Title: domain.T("سند", "doc")})
	testkit.Must(t, err)
	_, err = svc.SubmitReport(ctx, moh, rep.ID, 0)
	testkit.Must(t, err)
	_, err = svc.AcceptReport(ctx, sys, rep.ID, 0, domain.Text{})
	testkit.Must(t, err)
	w.report = rep.ID

	// Accounts, a token, a second signing key.
	u := &domain.User{Username: "maryam", DisplayName: domain.T("مریم", "Maryam"), Role: "secretariat", Active: true}
	_, err = svc.CreateUser(ctx, sys, u, "")
	testkit.Must(t, err)
	u.Email = "maryam@example.org"
	testkit.Must(t, svc.UpdateUser(ctx, sys, u))
	_, err = svc.ResetLink(ctx, sys, "maryam")
	testkit.Must(t, err)
	_, err = svc.CreateToken(ctx, service.RoleReader, "bot", "")
	testkit.Must(t, err)
	w.token = 1
	_, _, err = svc.RotateSigningKey(ctx, sys)
	testkit.Must(t, err)
	// A law and a term changed, a project deleted with what it had.
	law, err := svc.Law(ctx, "plan7")
	testkit.Must(t, err)
	law.Number = "7"
	testkit.Must(t, svc.UpdateLaw(ctx, sys, law))
	testkit.Must(t, svc.Rate(ctx, sys, &domain.Rating{Project: "p2", Kind: domain.CouncilRating, Score: 4, Comment: domain.T("خوب", "good")}))
	p2, err := svc.Project(ctx, sys, "p2")
	testkit.Must(t, err)
	testkit.Must(t, svc.DeleteProject(ctx, sys, "p2", p2.Version))
	return w
}

// TestReconcileIntact: a registry written only through Pishran reconciles
// with its log, every audited kind of record in it.
func TestReconcileIntact(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		w := auditedWorld(t, e)
		r := mustVerify(t, w.svc)
		if !r.Intact {
			t.Fatalf("a registry written through Pishran does not reconcile:\n%s", problemsOf(r))
		}
		if r.Records != 23 || r.Documents != 3 { // 23: one to three of each kind (see auditedWorld); p2 and its rating gone
			t.Errorf("%d records, %d documents checked", r.Records, r.Documents)
		}
		t.Logf("%d entries, %d records, %d documents, %d checkpoints", r.Checked, r.Records, r.Documents, r.Checkpoints)
		// A project's history shows what is kept under it too.
		hist, err := w.svc.ProjectAuditHistory(w.ctx, service.System, "p0")
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for i, h := range hist {
			kinds[h.Kind+" "+h.Action] = true
			if i > 0 && hist[i-1].ID >= h.ID {
				t.Errorf("history out of order at %d", i)
			}
		}
		for _, k := range []string{"project create", "project designated", "rating rate", "baseline create", "milestone accept-report", "kpi create"} {
			if !kinds[k] {
				t.Errorf("p0's history lacks %q: %v", k, kinds)
			}
		}
	})
}

// TestReconcileNamesTampering: a row of every audited kind changed behind
// Pishran's back — and one added, one deleted — is named by audit verify,
// with the field that differs. The decision's text edited directly in the
// database is among them.
func TestReconcileNamesTampering(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		w := auditedWorld(t, e)
		outcome := w.decision[strings.IndexByte(w.decision, '/')+1:]
		cases := []struct {
			kind, key, field string
			sql              string
			args             []any
			want             string // what the message says
		}{
			{"outcome", w.decision, "text.en", "UPDATE outcomes SET text_en = 'Forged: cancel the project' WHERE id = ?", []any{outcome}, "changed behind Pishran's back"},
			{"term", "14", "name.en", "UPDATE terms SET name_en = 'x' WHERE number = 14", nil, "changed"},
			{"agency", "ito", "name.en", "UPDATE agencies SET name_en = 'x' WHERE code = 'ito'", nil, "changed"},
			{"law", "plan7", "number", "UPDATE laws SET number = '8' WHERE slug = 'plan7'", nil, "changed"},
			{"project", "p0", "title.en", "UPDATE projects SET title_en = 'x' WHERE slug = 'p0'", nil, "changed"},
			{"program", "gov14", "title.en", "UPDATE programs SET title_en = 'x' WHERE slug = 'gov14'", nil, "changed"},
			{"membership", "gov14/p1", "standing.active", "UPDATE memberships SET active = TRUE WHERE project_id = (SELECT id FROM projects WHERE slug = 'p1')", nil, "changed"},
			{"series", "itec", "name.en", "UPDATE meeting_series SET name_en = 'x' WHERE code = 'itec'", nil, "changed"},
			{"meeting", "itec-26", "title.en", "UPDATE meetings SET title_en = 'x' WHERE code = 'itec-26'", nil, "changed"},
			{"action", strconv.FormatInt(w.action, 10), "due", "UPDATE actions SET due_on = '2030-01-01' WHERE id = ?", []any{w.action}, "changed"},
			{"report", strconv.FormatInt(w.report, 10), "narrative.en", "UPDATE reports SET narrative_en = 'x' WHERE id = ?", []any{w.report}, "changed"},
			{"milestone", "p0/1", "weight", "UPDATE milestones SET weight = 9", nil, "changed"},
			{"kpi", "p0/1", "target", "UPDATE kpis SET target = 10", nil, "changed"},
			{"rating", w.rating, "score", "UPDATE ratings SET score = 5", nil, "changed"},
			{"baseline", "p0/1", "cost", "UPDATE baselines SET planned_cost = 1", nil, "changed"},
			{"user", "maryam", "role", "UPDATE users SET role = 'admin' WHERE username = 'maryam'", nil, "changed"},
			{"token", "1", "secret", "UPDATE tokens SET hash = 'forged' WHERE id = 1", nil, "changed"},
			{"signing_key", "", "created_at", "UPDATE signing_keys SET created_at = '2020-01-01T00:00:00.000000Z' WHERE retired_at IS NOT NULL", nil, "changed"},
			{"user", "reza", "", "INSERT INTO users (username, display_fa, display_en, email, role, active, password_hash, must_change, oidc_issuer, oidc_subject, version, created_at, updated_at) " +
				"VALUES ('reza', 'رضا', 'Reza', '', 'admin', TRUE, 'x', FALSE, '', '', 1, '2024-01-01T00:00:00.000000Z', '2024-01-01T00:00:00.000000Z')", nil, "written behind Pishran's back"},
			{"rating", "", "", "DELETE FROM ratings", nil, "deleted behind Pishran's back"},
		}
		covered := map[string]bool{}
		for _, c := range cases {
			covered[c.kind] = true
		}
		for _, k := range service.AuditedKinds() {
			if !covered[k] {
				t.Errorf("no tampering case for audited kind %s", k)
			}
		}
		for _, c := range cases {
			testkit.Exec(t, w.svc.DB(), c.sql, c.args...)
			r := mustVerify(t, w.svc)
			var hit *service.AuditProblem
			for i, p := range r.Problems {
				if p.What == service.ProblemRecord && p.Kind == c.kind && (c.key == "" || p.Record == c.key) &&
					strings.Contains(p.Message.EN, c.want) && (c.field == "" || slices.Contains(p.Fields, c.field)) {
					hit = &r.Problems[i]
				}
			}
			if r.Intact || hit == nil {
				t.Fatalf("%s %s: %s is not named (field %q):\n%s", c.kind, c.key, c.sql, c.field, problemsOf(r))
			}
			if hit.Message.FA == "" {
				t.Errorf("%s: no Persian message", c.kind)
			}
			if c.kind == "outcome" {
				t.Logf("named: %s\n         %s", hit.Message.EN, hit.Message.FA)
			}
		}
	})
}

// TestDailyAuditJobAlarm: the daily audit check runs once a day; finding a
// decision edited in the database, it leaves an alarm the staff dashboard
// shows (to the secretariat and admins only).
func TestDailyAuditJobAlarm(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		w := auditedWorld(t, e)
		ctx := w.ctx
		now := time.Date(2030, 1, 1, 3, 0, 0, 0, time.UTC)
		ran, err := w.svc.RunDueJobs(ctx, "a", now)
		if err != nil || !slices.Contains(ran, service.JobAuditVerify) {
			t.Fatalf("ran %v: %v", ran, err)
		}
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		if al, err := w.svc.AuditAlarm(ctx, sec); err != nil || al != nil {
			t.Fatalf("alarm on an intact registry: %+v %v", al, err)
		}
		outcome := w.decision[strings.IndexByte(w.decision, '/')+1:]
		testkit.Exec(t, w.svc.DB(), "UPDATE outcomes SET text_fa = 'جعلی' WHERE id = ?", outcome)
		if ran, _ := w.svc.RunDueJobs(ctx, "b", now.Add(time.Hour)); slices.Contains(ran, service.JobAuditVerify) {
			t.Fatal("the audit check ran twice in a day")
		}
		if _, err := w.svc.RunDueJobs(ctx, "b", now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		al, err := w.svc.AuditAlarm(ctx, sec)
		if err != nil || al == nil || al.Count != 1 || al.Day != "2030-01-02" || al.Problems[0].Record != w.decision {
			t.Fatalf("alarm: %+v %v", al, err)
		}
		agency := service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
		if al, _ := w.svc.AuditAlarm(ctx, agency); al != nil {
			t.Error("an agency's focal point sees the audit alarm")
		}
	})
}

// TestSealBaseline: a log begun before reconciliation (its entries hold
// less than each record's state) is sealed as found, once; from then on a
// change behind Pishran's back is named again.
func TestSealBaseline(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc, ctx := env.Svc, env.Ctx
		if sealed, err := svc.SealBaseline(ctx); err != nil || sealed {
			t.Fatalf("a log begun with reconciliation was sealed: %v %v", sealed, err)
		}
		// An entry as an older Pishran wrote it: part of the state.
		err := svc.DB().Update(ctx, func(tx *store.Tx) error {
			return tx.Audit("update", "agency", "moh", nil, map[string]string{"name": "Ministry"})
		})
		if err != nil {
			t.Fatal(err)
		}
		head, _ := svc.DB().Version(ctx)
		testkit.Exec(t, svc.DB(), "UPDATE audit_reconcile SET log_length = ?", head)
		if r := mustVerify(t, svc); r.Intact || !strings.Contains(problemsOf(r), "agency moh differs") {
			t.Fatalf("the old entry reconciles:\n%s", problemsOf(r))
		}
		if sealed, err := svc.SealBaseline(ctx); err != nil || !sealed {
			t.Fatalf("not sealed: %v %v", sealed, err)
		}
		if r := mustVerify(t, svc); !r.Intact {
			t.Fatalf("after the baseline:\n%s", problemsOf(r))
		}
		if sealed, err := svc.SealBaseline(ctx); err != nil || sealed {
			t.Fatalf("sealed twice: %v %v", sealed, err)
		}
		testkit.Exec(t, svc.DB(), "UPDATE agencies SET name_en = 'x' WHERE code = 'moh'")
		if r := mustVerify(t, svc); r.Intact || !strings.Contains(problemsOf(r), "agency moh differs") {
			t.Fatalf("a change after the baseline is not named:\n%s", problemsOf(r))
		}
	})
}
