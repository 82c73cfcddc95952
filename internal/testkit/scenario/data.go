package scenario

import (
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// The actors the builders record as: the secretariat and moh, as their
// tokens act.
var (
	secretariat = service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
	mohAgency   = service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
)

// Registry records two agencies (moh, ito), a law (plan7, articles 1 and
// 2), the 14th government's term and n good projects p0, p1, … that meet
// every designation rule (GoodProject).
func (env *Env) Registry(n int) *Env {
	env.T.Helper()
	t, ctx, svc, sys := env.T, env.Ctx, env.Svc, service.System
	testkit.Must(t, svc.CreateTerm(ctx, sys, &domain.Term{Number: 14, Name: domain.T("دولت چهاردهم", "14th government")}))
	testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
	testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "ito", Name: domain.T("سازمان فناوری اطلاعات", "ITO"), Kind: domain.AgencyOrganization}))
	testkit.Must(t, svc.CreateLaw(ctx, sys, &domain.Law{Slug: "plan7", Title: domain.T("برنامه هفتم", "Seventh plan"),
		Articles: []domain.Article{{Number: "1"}, {Number: "2"}}}))
	for i := range n {
		testkit.Must(t, svc.CreateProject(ctx, sys, GoodProject("p"+string(rune('0'+i)))))
	}
	return env
}

// GoodProject is a public, proposed service project led by moh with ito
// taking part, mandated by plan7 article 1, with one deliverable: it meets
// every designation rule.
func GoodProject(slug string) *domain.Project {
	return &domain.Project{Slug: slug, Title: domain.T("سامانه نسخه "+slug, "Prescription system "+slug),
		Scope: domain.T("نسخه الکترونیک در سراسر کشور", "electronic prescriptions nationwide"),
		Kind:  domain.KindService, Confidentiality: domain.Public, Status: domain.Proposed,
		Agencies: []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}},
		Mandates: []domain.Mandate{{Law: "plan7", Article: "1"}},
		Deliverables: []domain.Deliverable{{Title: domain.T("استقرار", "roll-out"),
			Indicator: domain.T("سهم نسخه الکترونیک", "share of e-prescriptions"), Target: "100%"}}}
}

// Meetings, on a Registry of at least five projects, adds an adopted list
// gov14 with main projects p0, p1 and p4 (p4 confidential) and members p2,
// p3; a third agency, tamin, on no project; the council's series itec and
// its steering committee's, steer.
func (env *Env) Meetings() *Env {
	env.T.Helper()
	t, ctx, svc, sys := env.T, env.Ctx, env.Svc, service.System
	testkit.Must(t, svc.CreateAgency(ctx, sys, &domain.Agency{Code: "tamin", Name: domain.T("تأمین اجتماعی", "Social Security"), Kind: domain.AgencyOrganization}))
	testkit.Must(t, svc.CreateProgram(ctx, sys, &domain.Program{Slug: "gov14", Title: domain.T("پروژه‌های پیشران", "Driving projects"), Term: 14,
		Kind: domain.ProgramDriving, Visibility: domain.VisibilityPublic, Status: domain.ProgramAdopted}))
	for _, p := range []string{"p0", "p1", "p2", "p3", "p4"} {
		_, _, err := svc.Designate(ctx, sys, service.Designation{Program: "gov14", Project: p, Main: p == "p0" || p == "p1" || p == "p4"})
		testkit.Must(t, err)
	}
	p4, err := svc.Project(ctx, sys, "p4")
	testkit.Must(t, err)
	p4.Confidentiality = domain.Confidential
	testkit.Must(t, svc.UpdateProject(ctx, sys, p4.Project))
	testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), Kind: domain.SeriesCouncil}))
	testkit.Must(t, svc.CreateSeries(ctx, sys, &domain.Series{Code: "steer", Name: domain.T("کمیته راهبری", "Steering committee"), Kind: domain.SeriesSteeringCommittee}))
	return env
}

// FollowUp, on a Registry, stands the clock at 10:00 UTC on day and puts
// p0 under follow-up: a third agency, tax, on no project; a baseline for
// 2024 (365 days, one billion rials) set by the secretariat; one milestone
// and one indicator set by moh.
func (env *Env) FollowUp(day string) *Env {
	env.T.Helper()
	if env.Clock == nil {
		env.Clock = testkit.DayClock(day).On(env.DB)
	} else {
		env.Clock.SetDay(day)
	}
	t, ctx, svc := env.T, env.Ctx, env.Svc
	testkit.Must(t, svc.CreateAgency(ctx, service.System, &domain.Agency{Code: "tax", Name: domain.T("سازمان امور مالیاتی", "Tax organization"), Kind: domain.AgencyOrganization}))
	testkit.Must(t, svc.CreateBaseline(ctx, secretariat, &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2024-12-31"),
		Cost: 1_000_000_000, ApprovedBy: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
		Approved: domain.DatePtr("2023-12-20"), Reference: "26/1402"}))
	testkit.Must(t, svc.CreateMilestone(ctx, mohAgency, &domain.Milestone{Project: "p0", Title: domain.T("استقرار آزمایشی", "pilot"),
		Planned: domain.DatePtr("2024-09-30"), Weight: 2}))
	testkit.Must(t, svc.CreateKPI(ctx, mohAgency, &domain.KPI{Project: "p0", Name: domain.T("سهم نسخه الکترونیک", "share of e-prescriptions"),
		Unit: "%", Target: 80, Direction: domain.Up}))
	return env
}
