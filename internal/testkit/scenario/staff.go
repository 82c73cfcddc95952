package scenario

import (
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
)

// StaffPassword is the password of every account Staff makes.
const StaffPassword = "correct horse battery staple"

// StaffUsers are the accounts Staff makes, by name: one of every role, and
// a focal point for each of the two agencies of its own.
var StaffUsers = map[string]struct {
	Role   service.Role
	Agency string
}{
	"sec":       {service.RoleSecretariat, ""},
	"admin1":    {service.RoleAdmin, ""},
	"council1":  {service.RoleCouncil, ""},
	"reader1":   {service.RoleReader, ""},
	"moh-focal": {service.RoleAgency, "moh"},
	"tax-focal": {service.RoleAgency, "tax"},
}

// Staff is the staff workspace's scenario, with what it made.
type Staff struct {
	*Env
	Today     domain.Date
	LastMonth domain.Period
	MohReport int64 // a draft by moh on e-rx, for LastMonth
	TaxReport int64 // a draft by tax on secret-rx, for LastMonth
	Action    int64 // an open, overdue action owned by moh, from itec-29
}

// Staff, on the reference dataset (Reference()), records what the staff
// workspace's tests share: the accounts of StaffUsers, two agencies of our
// own (moh, tax), a law, projects that meet every rule (e-rx), that break
// two (solo-rx: one agency, no mandate) and a confidential one tax leads
// (secret-rx), with baselines, ratings, a held meeting with an overdue
// action, a planned meeting for today, and reports by moh and by tax.
// Today is the real date: the records are dated relative to it.
func (env *Env) Staff() *Staff {
	env.T.Helper()
	t, ctx, svc, sys := env.T, env.Ctx, env.Svc, service.System
	must := func(err error) {
		t.Helper()
		testkit.Must(t, err)
	}
	se := &Staff{Env: env}
	se.Today = domain.DateOf(time.Now())
	se.LastMonth = domain.PeriodOf(se.Today).Add(-1)
	for code, name := range map[string]domain.Text{
		"moh": domain.T("وزارت بهداشت", "Ministry of Health"), "tax": domain.T("سازمان امور مالیاتی", "Tax Administration")} {
		must(svc.CreateAgency(ctx, sys, &domain.Agency{Code: code, Name: name, Kind: domain.AgencyOrganization}))
	}
	must(svc.CreateLaw(ctx, sys, &domain.Law{Slug: "plan7", Title: domain.T("قانون برنامه هفتم", "Seventh plan law"),
		Articles: []domain.Article{{Number: "1"}}}))
	project := func(slug, fa, en string, conf domain.Confidentiality, agencies []domain.Participation, mandates []domain.Mandate) {
		must(svc.CreateProject(ctx, sys, &domain.Project{Slug: slug, Title: domain.T(fa, en),
			Scope: domain.T("نسخه الکترونیک در سراسر کشور", "electronic prescriptions nationwide"),
			Kind:  domain.KindService, Confidentiality: conf, Status: domain.InProgress, Agencies: agencies, Mandates: mandates,
			Deliverables: []domain.Deliverable{{Title: domain.T("استقرار", "roll-out"),
				Indicator: domain.T("سهم نسخه الکترونیک", "share of e-prescriptions"), Target: "100%"}}}))
	}
	two := []domain.Participation{{Agency: "moh", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}
	plan := []domain.Mandate{{Law: "plan7", Article: "1"}}
	project("e-rx", "نسخه الکترونیک", "Electronic prescription", domain.Public, two, plan)
	project("solo-rx", "نسخه تک‌دستگاهی", "Single-agency prescription", domain.Public,
		[]domain.Participation{{Agency: "moh", Role: domain.RoleLead}}, nil)
	project("secret-rx", "نسخه محرمانه", "Confidential prescription", domain.Confidential,
		[]domain.Participation{{Agency: "tax", Role: domain.RoleLead}, {Agency: "ito", Role: domain.RoleParticipant}}, plan)

	for name, u := range StaffUsers {
		_, err := svc.CreateUser(ctx, sys, &domain.User{Username: name, DisplayName: domain.T(name, name), Role: string(u.Role),
			Agency: u.Agency, Active: true}, StaffPassword)
		must(err)
	}
	sec := service.Actor{Name: "user:sec", Role: service.RoleSecretariat}
	moh := service.Actor{Name: "user:moh-focal", Role: service.RoleAgency, Agency: "moh"}
	tax := service.Actor{Name: "user:tax-focal", Role: service.RoleAgency, Agency: "tax"}

	// Baselines from a year ago, so reports are owed.
	start, end := se.Today.AddDays(-365), se.Today.AddDays(365)
	approved := se.Today.AddDays(-300)
	for _, p := range []string{"e-rx", "secret-rx"} {
		must(svc.CreateBaseline(ctx, sec, &domain.Baseline{Project: p, Start: &start, End: &end, Cost: 1_000_000_000,
			ApprovedBy: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"), Approved: &approved, Reference: "26/1402"}))
	}
	// Ratings: the council rated e-rx 4 two months ago and 3 last month
	// (a drop); moh rated it 4.
	d1, d2 := se.Today.AddDays(-60), se.Today.AddDays(-25)
	must(svc.Rate(ctx, sec, &domain.Rating{Project: "e-rx", Kind: domain.CouncilRating, Score: 4, Date: &d1, Comment: domain.T("خوب", "good")}))
	must(svc.Rate(ctx, sec, &domain.Rating{Project: "e-rx", Kind: domain.CouncilRating, Score: 3, Date: &d2, Comment: domain.T("افت", "slipping")}))
	must(svc.Rate(ctx, moh, &domain.Rating{Project: "e-rx", Kind: domain.SelfRating, Score: 4, Date: &d2, Comment: domain.T("روبه‌راه", "on track")}))

	// A meeting series; session 29 held ten days ago with an action for
	// moh due five days ago (overdue); session 30 planned for today.
	must(svc.CreateSeries(ctx, sec, &domain.Series{Code: "itec", Name: domain.T("شورای اجرایی فناوری اطلاعات", "IT Executive Council"),
		Kind: domain.SeriesCouncil}))
	held := se.Today.AddDays(-10)
	_, err := svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: 29, Date: &held})
	must(err)
	_, err = svc.HoldMeeting(ctx, sec, "itec-29", 0)
	must(err)
	due := se.Today.AddDays(-5)
	_, act, err := svc.RecordOutcome(ctx, sec, "itec-29", service.OutcomeInput{Kind: domain.OutcomeAction, Owner: "moh", Due: &due,
		Description: domain.T("اتصال داروخانه‌ها", "Connect the pharmacies"), Projects: []string{"e-rx"}})
	must(err)
	se.Action = act.ID
	_, err = svc.CreateMeeting(ctx, sec, service.MeetingInput{Series: "itec", Number: 30, Date: &se.Today,
		Title: domain.T("جلسه سی‌ام", "Thirtieth session")})
	must(err)

	// Reports: moh's draft on e-rx, tax's on secret-rx.
	r := &domain.Report{Project: "e-rx", Period: se.LastMonth, Narrative: domain.T("پیشرفت خوب", "good progress")}
	must(svc.CreateReport(ctx, moh, r))
	se.MohReport = r.ID
	r = &domain.Report{Project: "secret-rx", Period: se.LastMonth, Narrative: domain.T("محرمانه", "confidential")}
	must(svc.CreateReport(ctx, tax, r))
	se.TaxReport = r.ID
	return se
}

// SignIn is the session cookie's value of the staff account name; "" is
// the public, with no session.
func (se *Staff) SignIn(name string) string {
	se.T.Helper()
	if name == "" {
		return ""
	}
	return se.Session(name, StaffPassword)
}
