package service_test

import (
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestAdoptionFunnel walks a list through its stages: the funnel is counted
// from the recorded decisions, a project cannot skip a stage, and adoption
// designates every passed project or none.
func TestAdoptionFunnel(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(4)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		g := &domain.Program{Slug: "gov14", Title: domain.T("پروژه‌های پیشران", "Driving projects"), Term: 14,
			Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramDraft}
		if err := svc.CreateProgram(ctx, sys, g); err != nil {
			t.Fatal(err)
		}
		// p3 loses its second agency: it will break multi-agency.
		bad, err := svc.Project(ctx, sys, "p3")
		if err != nil {
			t.Fatal(err)
		}
		bad.Agencies = bad.Agencies[:1]
		if err := svc.UpdateProject(ctx, sys, bad.Project); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"p0", "p1", "p2", "p3"} {
			v, err := svc.Propose(ctx, sys, "gov14", p)
			if err != nil {
				t.Fatal(err)
			}
			if v.Allowed != (p != "p3") {
				t.Errorf("propose %s: allowed = %v", p, v.Allowed)
			}
		}
		if _, err := svc.Propose(ctx, sys, "gov14", "p0"); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("proposing twice: %v", err)
		}
		stage := func(body domain.Body, passed []string, adopt bool) error {
			_, err := svc.RecordStage(ctx, sys, service.StageDecision{Program: "gov14", Body: body, Passed: passed,
				Main: passed[:1], Adopt: adopt, Resolution: "R-" + string(body)})
			return err
		}
		if err := stage(domain.BodySteeringCommittee, []string{"p0", "p1", "p3"}, false); err != nil {
			t.Fatal(err)
		}
		if err := stage(domain.BodyCouncil, []string{"p0", "p2"}, false); !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("p2 did not pass the steering committee, yet the council passed it: %v", err)
		}
		if err := stage(domain.BodyCouncil, []string{"p0", "p1", "p3"}, false); err != nil {
			t.Fatal(err)
		}
		err = stage(domain.BodyGovernmentBoard, []string{"p0", "p1", "p3"}, true)
		de, ok := domain.AsError(err)
		if !ok || de.Kind != domain.KindRuleViolation || len(de.Violations) == 0 || de.Violations[0].Rule != "multi-agency" {
			t.Fatalf("adopting with p3 must be refused on multi-agency: %v", err)
		}
		row, err := svc.Program(ctx, sys, "gov14")
		if err != nil {
			t.Fatal(err)
		}
		if row.Status != domain.ProgramDraft || len(row.Stages) != 2 || row.Named != 0 {
			t.Fatalf("refused adoption wrote something: status %s, %d stages, %d named", row.Status, len(row.Stages), row.Named)
		}
		if err := stage(domain.BodyGovernmentBoard, []string{"p0", "p1"}, true); err != nil {
			t.Fatal(err)
		}
		row, err = svc.Program(ctx, sys, "gov14")
		if err != nil {
			t.Fatal(err)
		}
		if row.Status != domain.ProgramAdopted || row.Named != 2 || row.Active != 2 || row.Main != 1 {
			t.Fatalf("after adoption: %s, named %d, active %d, main %d", row.Status, row.Named, row.Active, row.Main)
		}
		var sizes []int
		for _, st := range row.Stages {
			n, basis := st.Size()
			if basis != "records" {
				t.Errorf("stage %s basis %s", st.Body, basis)
			}
			sizes = append(sizes, n)
		}
		if len(sizes) != 3 || sizes[0] != 3 || sizes[1] != 3 || sizes[2] != 2 {
			t.Errorf("funnel %v, want [3 3 2]", sizes)
		}
		ms, _, err := svc.Members(ctx, service.Anonymous, "gov14", domain.MemberFilter{}, domain.Page{Limit: 10})
		if err != nil || len(ms) != 2 || !ms[0].Main || ms[0].Stage != domain.BodyGovernmentBoard {
			t.Fatalf("members: %v %+v", err, ms)
		}
		p0, _ := svc.Project(ctx, sys, "p0")
		if p0.Status != domain.Designated {
			t.Errorf("a designated project's status is %s", p0.Status)
		}
		if err := stage(domain.BodyGovernmentBoard, []string{"p0"}, false); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("stages on an adopted program: %v", err)
		}
	})
}

// TestProgramCountsFollowEvents: counts kept beside the events agree with
// a fold of the events through entries, leaves, voids and a project turning
// confidential.
func TestProgramCountsFollowEvents(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(3)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		g := &domain.Program{Slug: "l", Title: domain.T("فهرست", "list"), Term: 14, Kind: domain.ProgramOther,
			Visibility: domain.VisibilityRestricted, Status: domain.ProgramAdopted}
		if err := svc.CreateProgram(ctx, sys, g); err != nil {
			t.Fatal(err)
		}
		for i, p := range []string{"p0", "p1", "p2"} {
			if _, _, err := svc.Designate(ctx, sys, service.Designation{Program: "l", Project: p, Main: i == 0}); err != nil {
				t.Fatal(err)
			}
		}
		ev, err := svc.Leave(ctx, sys, service.Departure{Program: "l", Project: "p0", Reason: domain.LeaveCompleted})
		if err != nil {
			t.Fatal(err)
		}
		check := func(named, active, main, conf int) {
			t.Helper()
			row, err := svc.Program(ctx, sys, "l")
			if err != nil {
				t.Fatal(err)
			}
			c := row.ProgramCounts
			if c.Named != named || c.Active != active || c.Main != main || c.Confidential != conf {
				t.Fatalf("counts %+v, want named %d active %d main %d confidential %d", c, named, active, main, conf)
			}
		}
		check(3, 2, 0, 0)
		if _, err := svc.Void(ctx, sys, "l", "p0", ev.ID, domain.T("اشتباه", "recorded by mistake")); err != nil {
			t.Fatal(err)
		}
		check(3, 3, 1, 0)
		p1, _ := svc.Project(ctx, sys, "p1")
		p1.Confidentiality = domain.Confidential
		if err := svc.UpdateProject(ctx, sys, p1.Project); err != nil {
			t.Fatal(err)
		}
		check(3, 3, 1, 1)
		if _, err := svc.Void(ctx, sys, "l", "p0", ev.ID, domain.T("دوباره", "again")); !domain.IsKind(err, domain.KindConflict) {
			t.Errorf("voiding twice: %v", err)
		}
		// The public sees the restricted list not at all.
		if _, err := svc.Program(ctx, service.Anonymous, "l"); !domain.IsKind(err, domain.KindNotFound) {
			t.Errorf("restricted program shown to the public: %v", err)
		}
	})
}

// TestConcurrentDesignation: many writers designate one project into one
// list at once; exactly one succeeds, the rest are refused as duplicates,
// and the history holds one entry.
func TestConcurrentDesignation(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(1)
		svc, ctx := env.Svc, env.Ctx
		sys := service.System
		g := &domain.Program{Slug: "l", Title: domain.T("فهرست", "list"), Term: 14, Kind: domain.ProgramOther,
			Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}
		if err := svc.CreateProgram(ctx, sys, g); err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make(chan error, n)
		for range n {
			go func() {
				_, _, err := svc.Designate(ctx, sys, service.Designation{Program: "l", Project: "p0"})
				errs <- err
			}()
		}
		ok, dup := 0, 0
		for range n {
			err := <-errs
			switch {
			case err == nil:
				ok++
			case domain.IsKind(err, domain.KindRuleViolation):
				dup++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || dup != n-1 {
			t.Fatalf("%d succeeded, %d refused; want 1 and %d", ok, dup, n-1)
		}
		evs, err := svc.History(ctx, sys, "l", "p0")
		if err != nil || len(evs) != 1 {
			t.Fatalf("history: %v, %d events", err, len(evs))
		}
	})
}
