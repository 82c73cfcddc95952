package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/synth"
)

// Agencies as they act: moh leads p0..pN, ito takes part, tax is on none.
var (
	moh = service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
	ito = service.Actor{Name: "token:ito", Role: service.RoleAgency, Agency: "ito"}
	tax = service.Actor{Name: "token:tax", Role: service.RoleAgency, Agency: "tax"}
	sec = service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
)

func health(t *testing.T, svc *service.Service, ctx context.Context, day string) *service.HealthView {
	t.Helper()
	h, err := svc.ProjectHealth(ctx, sec, "p0", domain.DatePtr(day))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// report writes, submits and accepts a report of moh on p0.
func acceptedReport(t *testing.T, svc *service.Service, ctx context.Context, period, end string) *domain.Report {
	t.Helper()
	r := &domain.Report{Project: "p0", Period: domain.Period(period), ProjectedEnd: domain.DatePtr(end),
		Narrative: domain.T("پیشرفت طبق برنامه", "progress as planned")}
	testkit.Must(t, svc.CreateReport(ctx, moh, r))
	if _, err := svc.SubmitReport(ctx, moh, r.ID, 0); err != nil {
		t.Fatal(err)
	}
	got, err := svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestReportReview walks a report through its review — submitted,
// returned with a comment, edited, resubmitted, accepted — and checks that
// nothing counts until it is accepted.
func TestReportReview(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx := env.Svc, env.Ctx
		ms, err := svc.Milestones(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		ks, err := svc.KPIs(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		if len(ms) != 1 || len(ks) != 1 || ks[0].Met != nil {
			t.Fatalf("milestones %+v, kpis %+v", ms, ks)
		}
		r := &domain.Report{Project: "p0", Period: "1403-02", ProjectedEnd: domain.DatePtr("2024-12-31"),
			ProjectedCost: ptr(int64(1_000_000_000)), ActualCost: ptr(int64(400_000_000)),
			Milestones: []domain.MilestoneProgress{{Milestone: ms[0].ID, Percent: 100, Done: domain.DatePtr("2024-05-20")}},
			KPIs:       []domain.KPIValue{{KPI: ks[0].ID, Value: 85}},
			Narrative:  domain.T("آزمایش در سه استان", "pilot in three provinces"),
			Risks:      []domain.Risk{{Text: domain.T("تأخیر در تبادل داده", "data exchange delays"), Severity: domain.RiskMedium}}}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		if r.State != domain.ReportDraft || r.Agency != "moh" || r.Version != 1 || len(r.Events) != 1 {
			t.Fatalf("created: %+v", r)
		}
		// Only accepted reports count: a draft and a submitted report change nothing.
		h := health(t, svc, ctx, "2024-06-10")
		// Owed reports since January missed: silent (issue 14), not unknown.
		if h.Status != domain.Silent || h.Missed == 0 || h.LastAccepted != nil || !h.Stale || h.KPIs.Unknown != 1 || h.Milestones.Done != 0 {
			t.Fatalf("health with a draft: %+v", h)
		}
		// A draft is between the agency and the secretariat.
		if _, err := svc.Report(ctx, ito, r.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("another agency read a draft: %v", err)
		}
		if _, err := svc.Report(ctx, service.Anonymous, r.ID); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("the public read a draft: %v", err)
		}
		// The secretariat cannot accept a draft; the agency submits it.
		_, err = svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
		testkit.WantError(t, err, domain.KindConflict, "state")
		_, err = svc.SubmitReport(ctx, ito, r.ID, 0)
		testkit.WantError(t, err, domain.KindNotFound, "id")
		sub, err := svc.SubmitReport(ctx, moh, r.ID, r.Version)
		testkit.Must(t, err)
		if sub.State != domain.ReportSubmitted {
			t.Fatalf("state %s", sub.State)
		}
		if h := health(t, svc, ctx, "2024-06-10"); h.Status != domain.Silent || h.LastAccepted != nil {
			t.Fatalf("a submitted report counted: %+v", h)
		}
		// Submitted reports cannot be edited.
		r.Version = sub.Version
		testkit.WantError(t, svc.UpdateReport(ctx, moh, r), domain.KindConflict, "state")
		// Returning needs a comment; an agency cannot return.
		_, err = svc.ReturnReport(ctx, sec, r.ID, 0, domain.Text{})
		testkit.WantError(t, err, domain.KindInvalid, "comment")
		_, err = svc.ReturnReport(ctx, moh, r.ID, 0, domain.T("x", "x"))
		if !domain.IsKind(err, domain.KindForbidden) {
			t.Fatalf("an agency returned a report: %v", err)
		}
		ret, err := svc.ReturnReport(ctx, sec, r.ID, sub.Version, domain.T("مدرک پیوست نیست", "attach evidence of the pilot"))
		testkit.Must(t, err)
		if ret.State != domain.ReportReturned {
			t.Fatalf("state %s", ret.State)
		}
		// Edit with a stale version: 412. Then with the current one.
		r.Version = sub.Version
		r.Narrative = domain.T("آزمایش در سه استان؛ گزارش پیوست", "pilot in three provinces; report attached")
		testkit.WantError(t, svc.UpdateReport(ctx, moh, r), domain.KindStale, "")
		r.Version = ret.Version
		testkit.Must(t, svc.UpdateReport(ctx, moh, r))
		if _, err := svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{URL: "https://example.org/pilot-report"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SubmitReport(ctx, moh, r.ID, 0); err != nil {
			t.Fatal(err)
		}
		acc, err := svc.AcceptReport(ctx, sec, r.ID, 0, domain.T("تأیید شد", "verified"))
		testkit.Must(t, err)
		var types []string
		for _, ev := range acc.Events {
			types = append(types, ev.Type)
		}
		if got := strings.Join(types, ","); got != "created,submitted,returned,edited,evidence-added,submitted,accepted" {
			t.Fatalf("review history %s", got)
		}
		if c := acc.Events[2].Comment; c.EN != "attach evidence of the pilot" || acc.Events[2].By != "token:sec" {
			t.Fatalf("return event %+v", acc.Events[2])
		}
		if len(acc.Evidence) != 1 || acc.Evidence[0].URL != "https://example.org/pilot-report" {
			t.Fatalf("evidence %+v", acc.Evidence)
		}
		// Now it counts: status, KPI met, milestone done, staleness (Ordibehesht 1403 ends on 2024-05-20).
		h = health(t, svc, ctx, "2024-06-10")
		if h.Status != domain.Green || h.LastAccepted == nil || h.LastAccepted.String() != "2024-05-20" || h.Stale {
			t.Fatalf("health after acceptance: %+v", h)
		}
		if h.KPIs.Met != 1 || h.Milestones.Done != 1 || h.ProgressPercent == nil || *h.ProgressPercent != 100 {
			t.Fatalf("kpis %+v milestones %+v progress %v", h.KPIs, h.Milestones, h.ProgressPercent)
		}
		if h.Variance.CostVariance == nil || *h.Variance.CostVariance != 0 || h.LastReport.ID != r.ID {
			t.Fatalf("variance %+v, last report %+v", h.Variance, h.LastReport)
		}
		ks, _ = svc.KPIs(ctx, service.Anonymous, "p0")
		if ks[0].Met == nil || !*ks[0].Met || *ks[0].Latest != 85 || ks[0].LatestPeriod != "1403-02" {
			t.Fatalf("kpi after acceptance: %+v", ks[0])
		}
		// Once accepted, the public sees it; it can no longer change.
		if _, err := svc.Report(ctx, service.Anonymous, r.ID); err != nil {
			t.Fatalf("the public cannot read an accepted report: %v", err)
		}
		_, err = svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.WantError(t, err, domain.KindConflict, "state")
		// One report per project, period and agency.
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-02"}), domain.KindConflict, "period")
		// ito may report on the same period: it is on the project too.
		testkit.Must(t, svc.CreateReport(ctx, ito, &domain.Report{Project: "p0", Period: "1403-02"}))
		// The listing filters.
		rs, err := svc.Reports(ctx, sec, domain.ReportFilter{Project: "p0", State: domain.ReportAccepted}, domain.Page{Limit: 10})
		testkit.Must(t, err)
		if len(rs) != 1 || rs[0].ID != r.ID {
			t.Fatalf("accepted reports %+v", rs)
		}
		rs, err = svc.Reports(ctx, service.Anonymous, domain.ReportFilter{}, domain.Page{Limit: 10})
		testkit.Must(t, err)
		if len(rs) != 1 {
			t.Fatalf("the public sees %d reports, want the one accepted", len(rs))
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestReportBadInput: every refusal names its field and writes nothing.
func TestReportBadInput(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx := env.Svc, env.Ctx
		// tax is not on p0.
		testkit.WantError(t, svc.CreateReport(ctx, tax, &domain.Report{Project: "p0", Period: "1403-02"}), domain.KindForbidden, "project")
		// Nor on a confidential project, which it may not even know of.
		p1, err := svc.Project(ctx, sec, "p1")
		testkit.Must(t, err)
		p1.Confidentiality = domain.Confidential
		testkit.Must(t, svc.UpdateProject(ctx, sec, p1.Project))
		testkit.WantError(t, svc.CreateReport(ctx, tax, &domain.Report{Project: "p1", Period: "1403-02"}), domain.KindNotFound, "project")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "nope", Period: "1403-02"}), domain.KindNotFound, "project")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-04"}), domain.KindInvalid, "period")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "May"}), domain.KindInvalid, "period")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-02", Agency: "ito"}), domain.KindForbidden, "agency")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-02",
			Milestones: []domain.MilestoneProgress{{Milestone: 999, Percent: 10}}}), domain.KindInvalid, "milestones[0].milestone")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-02",
			Milestones: []domain.MilestoneProgress{{Milestone: 1, Percent: 100, Done: domain.DatePtr("2024-06-11")}}}), domain.KindInvalid, "milestones[0].done")
		testkit.WantError(t, svc.CreateReport(ctx, moh, &domain.Report{Project: "p0", Period: "1403-02",
			Risks: []domain.Risk{{Text: domain.T("", "x"), Severity: "dire"}}}), domain.KindInvalid, "risks[0].severity")
		testkit.WantError(t, svc.CreateReport(ctx, sec, &domain.Report{Project: "p0", Period: "1403-02"}), domain.KindForbidden, "")
		rs, err := svc.Reports(ctx, sec, domain.ReportFilter{}, domain.Page{Limit: 10})
		testkit.Must(t, err)
		if len(rs) != 0 {
			t.Fatalf("refused reports were written: %+v", rs)
		}
		// Ratings off the scale, or without a comment.
		testkit.WantError(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 6, Comment: domain.T("", "x")}), domain.KindInvalid, "score")
		testkit.WantError(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 0, Comment: domain.T("", "x")}), domain.KindInvalid, "score")
		testkit.WantError(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 3}), domain.KindInvalid, "comment")
		testkit.WantError(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 3, Comment: domain.T("", "x"),
			Date: domain.DatePtr("2024-07-01")}), domain.KindInvalid, "date")
		testkit.WantError(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.SelfRating, Score: 3, Comment: domain.T("", "x")}), domain.KindForbidden, "kind")
		testkit.WantError(t, svc.Rate(ctx, moh, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 3, Comment: domain.T("", "x")}), domain.KindForbidden, "kind")
		testkit.WantError(t, svc.Rate(ctx, tax, &domain.Rating{Project: "p0", Kind: domain.SelfRating, Score: 3, Comment: domain.T("", "x")}), domain.KindForbidden, "project")
		gs, err := svc.Ratings(ctx, sec, "p0")
		testkit.Must(t, err)
		if len(gs) != 0 {
			t.Fatalf("refused ratings were written: %+v", gs)
		}
		// Baselines: impossible dates, re-baselining without a reason or against a stale one.
		b := func() *domain.Baseline {
			return &domain.Baseline{Project: "p0", Start: domain.DatePtr("2024-01-01"), End: domain.DatePtr("2025-06-30"),
				Cost: 1_200_000_000, ApprovedBy: domain.T("شورا", "council"), Approved: domain.DatePtr("2024-06-01"), Reference: "27/1403",
				Supersedes: 1, Reason: domain.T("افزایش دامنه", "scope grew to all provinces")}
		}
		x := b()
		x.End = domain.DatePtr("2023-12-31")
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, x), domain.KindInvalid, "end")
		x = b()
		x.Reason = domain.Text{}
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, x), domain.KindInvalid, "reason")
		x = b()
		x.Supersedes = 0
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, x), domain.KindInvalid, "supersedes")
		x = b()
		x.Currency = "USD"
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, x), domain.KindInvalid, "currency")
		x = b()
		x.Approved = domain.DatePtr("2024-07-01")
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, x), domain.KindInvalid, "approved")
		if err := svc.CreateBaseline(ctx, moh, b()); !domain.IsKind(err, domain.KindForbidden) {
			t.Fatalf("an agency set a baseline: %v", err)
		}
		// A milestone is done only by an accepted report; only the lead or secretariat add one.
		testkit.WantError(t, svc.CreateMilestone(ctx, moh, &domain.Milestone{Project: "p0", Title: domain.T("", "x"),
			Planned: domain.DatePtr("2024-08-01"), Actual: domain.DatePtr("2024-06-01")}), domain.KindInvalid, "actual")
		if err := svc.CreateMilestone(ctx, ito, &domain.Milestone{Project: "p0", Title: domain.T("", "x"),
			Planned: domain.DatePtr("2024-08-01")}); !domain.IsKind(err, domain.KindForbidden) {
			t.Fatalf("a participant added a milestone: %v", err)
		}
		testkit.WantError(t, svc.CreateKPI(ctx, moh, &domain.KPI{Project: "p0", Name: domain.T("", "x"), Direction: "sideways"}), domain.KindInvalid, "direction")
		// Re-baselining properly keeps the old baseline.
		testkit.Must(t, svc.CreateBaseline(ctx, sec, b()))
		bs, err := svc.Baselines(ctx, sec, "p0")
		testkit.Must(t, err)
		if len(bs) != 2 || bs[0].Number != 2 || !bs[0].Current || bs[1].Current || bs[0].Supersedes != 1 || bs[1].End.String() != "2024-12-31" {
			t.Fatalf("baselines %+v %+v", bs[0], bs[1])
		}
		// Another re-baselining that read baseline 1 is refused as stale.
		testkit.WantError(t, svc.CreateBaseline(ctx, sec, b()), domain.KindStale, "")
	})
}

// TestEvidenceFiles: files are sniffed against their declared type, sized,
// hashed and returned byte for byte.
func TestEvidenceFiles(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx := env.Svc, env.Ctx
		r := &domain.Report{Project: "p0", Period: "1403-02"}
		testkit.Must(t, svc.CreateReport(ctx, moh, r))
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		ev, err := svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "pilot.pdf", Declared: "application/pdf", Content: pdf})
		testkit.Must(t, err)
		if ev.N != 1 || ev.Size != int64(len(pdf)) || len(ev.SHA256) != 64 || ev.ContentType != "application/pdf" {
			t.Fatalf("evidence %+v", ev)
		}
		got, content, err := svc.Evidence(ctx, moh, r.ID, 1)
		testkit.Must(t, err)
		if string(content) != string(pdf) || got.SHA256 != ev.SHA256 {
			t.Fatalf("stored %q (%s), want %q", content, got.SHA256, pdf)
		}
		// A CSV from a browser on Windows (declared as Excel's old type)
		// is a CSV; the same declaration on anything else is refused,
		// and a ".csv" whose content is binary too.
		csv := []byte("project,done\np0,40\n")
		ev2, err := svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "figures.CSV", Declared: "application/vnd.ms-excel", Content: csv})
		testkit.Must(t, err)
		if ev2.ContentType != "text/csv" {
			t.Errorf("a Windows CSV was stored as %q", ev2.ContentType)
		}
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "figures.xls", Declared: "application/vnd.ms-excel", Content: csv})
		testkit.WantError(t, err, domain.KindInvalid, "content_type")
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "tricky.csv", Declared: "application/octet-stream", Content: []byte("MZ\x90\x00binary")})
		testkit.WantError(t, err, domain.KindInvalid, "file")
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "x.pdf", Declared: "application/pdf", Content: []byte("MZ\x90\x00binary")})
		testkit.WantError(t, err, domain.KindInvalid, "file")
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "x.png", Declared: "image/png", Content: pdf})
		testkit.WantError(t, err, domain.KindInvalid, "file")
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "x.html", Declared: "text/html", Content: []byte("<html>")})
		testkit.WantError(t, err, domain.KindInvalid, "content_type")
		svc.SetEvidenceLimit(10)
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{Name: "big.txt", Declared: "text/plain", Content: []byte("eleven byte")})
		testkit.WantError(t, err, domain.KindInvalid, "file")
		svc.SetEvidenceLimit(0)
		_, err = svc.AddEvidence(ctx, moh, r.ID, 0, service.EvidenceUpload{URL: "javascript:alert(1)"})
		testkit.WantError(t, err, domain.KindInvalid, "url")
		_, err = svc.AddEvidence(ctx, ito, r.ID, 0, service.EvidenceUpload{URL: "https://example.org"})
		testkit.WantError(t, err, domain.KindNotFound, "id")
		full, err := svc.Report(ctx, moh, r.ID)
		testkit.Must(t, err)
		if len(full.Evidence) != 2 {
			t.Fatalf("refused evidence was written: %+v", full.Evidence)
		}
	})
}

// TestDivergenceAndDrop: self 5 against council 2 raises the divergence
// flag; a lower council rating than the last raises the drop flag.
func TestDivergenceAndDrop(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx, c := env.Svc, env.Ctx, env.Clock
		testkit.Must(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 4,
			Comment: domain.T("ریسک‌ها نیازمند توجه‌اند", "risks need attention"), Date: domain.DatePtr("2024-05-01")}))
		testkit.Must(t, svc.Rate(ctx, moh, &domain.Rating{Project: "p0", Kind: domain.SelfRating, Score: 5,
			Comment: domain.T("همه چیز طبق برنامه است", "all on plan")}))
		h := health(t, svc, ctx, "2024-06-10")
		if h.Divergent || h.RatingDrop || *h.SelfRating != 5 || *h.CouncilRating != 4 {
			t.Fatalf("5 vs 4: %+v", h.Health)
		}
		c.SetDay("2024-06-11")
		testkit.Must(t, svc.Rate(ctx, sec, &domain.Rating{Project: "p0", Kind: domain.CouncilRating, Score: 2,
			Comment: domain.T("تحویل محل تردید است", "delivery in doubt")}))
		h = health(t, svc, ctx, "2024-06-11")
		if !h.Divergent || !h.RatingDrop || *h.SelfRating != 5 || *h.CouncilRating != 2 {
			t.Fatalf("5 vs 2 after 4: %+v", h.Health)
		}
		gs, err := svc.Ratings(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		if len(gs) != 3 || gs[0].Score != 2 || gs[0].Date.String() != "2024-06-11" || gs[1].Agency != "moh" || gs[1].Kind != domain.SelfRating {
			t.Fatalf("history %+v", gs)
		}
		// The agency answers with a lower self rating: no longer divergent; the drop remains.
		testkit.Must(t, svc.Rate(ctx, moh, &domain.Rating{Project: "p0", Kind: domain.SelfRating, Score: 3, Comment: domain.T("", "reassessed")}))
		h = health(t, svc, ctx, "2024-06-11")
		if h.Divergent || !h.RatingDrop {
			t.Fatalf("3 vs 2: %+v", h.Health)
		}
	})
}

// TestStatusSlips: the computed status turns amber then red as the
// accepted reports' projected end slips past the thresholds; a slip in a
// report not yet accepted changes nothing.
func TestStatusSlips(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx, c := env.Svc, env.Ctx, env.Clock
		acceptedReport(t, svc, ctx, "1403-02", "2024-12-31")
		if h := health(t, svc, ctx, "2024-06-10"); h.Status != domain.Green || *h.Variance.SlipDays != 0 {
			t.Fatalf("on plan: %+v", h)
		}
		// June's report slips 19 days (5.2% of 365): amber.
		c.SetDay("2024-07-05")
		acceptedReport(t, svc, ctx, "1403-03", "2025-01-19")
		h := health(t, svc, ctx, "2024-07-05")
		if h.Status != domain.Amber || *h.Variance.SlipDays != 19 || *h.Variance.SlipPercent != 5.2 {
			t.Fatalf("19 days late: %s %+v %v", h.Status, h.Variance, h.StatusReasons)
		}
		// Tir 1403's draft says 55 days: not accepted, so still amber.
		c.SetDay("2024-08-05")
		draft := &domain.Report{Project: "p0", Period: "1403-04", ProjectedEnd: domain.DatePtr("2025-02-24")}
		testkit.Must(t, svc.CreateReport(ctx, moh, draft))
		_, err := svc.SubmitReport(ctx, moh, draft.ID, 0)
		testkit.Must(t, err)
		if h := health(t, svc, ctx, "2024-08-05"); h.Status != domain.Amber {
			t.Fatalf("a submitted report changed the status: %s", h.Status)
		}
		// Accepted: 55 days is 15.1%: red.
		_, err = svc.AcceptReport(ctx, sec, draft.ID, 0, domain.Text{})
		testkit.Must(t, err)
		h = health(t, svc, ctx, "2024-08-05")
		if h.Status != domain.Red || *h.Variance.SlipDays != 55 || !strings.Contains(h.StatusReasons[0].EN, "red threshold") {
			t.Fatalf("55 days late: %s %+v %v", h.Status, h.Variance, h.StatusReasons)
		}
		// An older period accepted late does not displace the latest.
		late := &domain.Report{Project: "p0", Period: "1403-01", Agency: "ito", ProjectedEnd: domain.DatePtr("2024-12-31")}
		testkit.Must(t, svc.CreateReport(ctx, ito, late))
		_, err = svc.SubmitReport(ctx, ito, late.ID, 0)
		testkit.Must(t, err)
		_, err = svc.AcceptReport(ctx, sec, late.ID, 0, domain.Text{})
		testkit.Must(t, err)
		if h := health(t, svc, ctx, "2024-08-05"); h.Status != domain.Red || h.LastAccepted.String() != "2024-07-21" { // Tir 1403 ends on 21 July
			t.Fatalf("an older report displaced the latest: %s %v", h.Status, h.LastAccepted)
		}
		// The milestone planned for 30 September is overdue from October on.
		h = health(t, svc, ctx, "2024-10-01")
		if h.Milestones.Overdue != 1 || h.Variance.OverdueDays == nil || *h.Variance.OverdueDays != 1 {
			t.Fatalf("overdue milestone: %+v %+v", h.Milestones, h.Variance)
		}
	})
}

// TestStale: a project is stale once its next report is more than the
// grace past its period's end, and health says so in bulk too.
func TestStale(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		svc, ctx := env.Svc, env.Ctx
		// No accepted report and the first (January) long overdue: stale.
		hs, err := svc.HealthOf(ctx, []string{"p0", "p1"}, domain.MustDate("2024-06-10"))
		testkit.Must(t, err)
		if !hs["p0"].Stale || hs["p1"].Stale || hs["p1"].Status != domain.NoBaseline || hs["p1"].StatusReasons == nil {
			t.Fatalf("before any report: %+v", hs)
		}
		acceptedReport(t, svc, ctx, "1403-02", "2024-12-31")
		// Khordad 1403's report is owed by its end (20 June) + 15 days.
		for day, want := range map[string]bool{"2024-06-10": false, "2024-07-05": false, "2024-07-06": true, "2024-12-01": true} {
			hs, err := svc.HealthOf(ctx, []string{"p0"}, domain.MustDate(day))
			testkit.Must(t, err)
			if hs["p0"].Stale != want {
				t.Errorf("as of %s: stale %v, want %v", day, hs["p0"].Stale, want)
			}
			// A missed report makes the green project silent (issue 14):
			// what it last reported is no longer current. (From October
			// the milestone planned for 30 September is overdue.)
			if wantStatus := map[bool]domain.RAG{false: domain.Green, true: domain.Silent}[want]; day < "2024-10-01" && hs["p0"].Status != wantStatus {
				t.Errorf("as of %s: status %s, want %s", day, hs["p0"].Status, wantStatus)
			}
		}
		h := health(t, svc, ctx, "2024-07-16")
		if !h.Stale || h.NextReportDue.String() != "2024-07-05" {
			t.Fatalf("health: stale %v, due %v", h.Stale, h.NextReportDue)
		}
		// The status board says so too.
		rows, err := svc.StatusBoard(ctx, service.Anonymous, "", "moh", domain.Page{Limit: 10}, domain.DatePtr("2024-07-16"))
		testkit.Must(t, err)
		if len(rows) != 2 || rows[0].Project != "p0" || !rows[0].Stale || rows[0].Status != domain.Silent || rows[0].Missed != 1 || rows[1].Stale {
			t.Fatalf("board %+v", rows)
		}
		// The agency's board pages by slug from the agency's own projects.
		next, err := svc.StatusBoard(ctx, service.Anonymous, "", "moh", domain.Page{After: rows[0].Project, Limit: 10}, domain.DatePtr("2024-07-16"))
		testkit.Must(t, err)
		if len(next) != 1 || next[0].Project != rows[1].Project {
			t.Fatalf("board after %s: %+v", rows[0].Project, next)
		}
		// A project that is implemented owes no more reports.
		p0, err := svc.Project(ctx, sec, "p0")
		testkit.Must(t, err)
		p0.Status = domain.Implemented
		testkit.Must(t, svc.UpdateProject(ctx, sec, p0.Project))
		hs, err = svc.HealthOf(ctx, []string{"p0"}, domain.MustDate("2024-12-01"))
		testkit.Must(t, err)
		if hs["p0"].Stale {
			t.Fatal("an implemented project is stale")
		}
	})
}

// benchFollowUp is the national registry (10,000 projects) with its
// synthetic follow-up loaded: 200,000 accepted reports, 10,000 baselines,
// 20,000 milestones, 60,000 ratings. Loading happens once per run.
func benchFollowUp(b *testing.B) *scenario.Env {
	env := scenario.New(b, testkit.SQLite, scenario.Dataset("national"))
	err := env.Once("follow-up", func(env *scenario.Env) error {
		start := time.Now()
		f := synth.Progress(synth.National)
		made := time.Since(start)
		if err := env.Svc.LoadFollowUp(env.Ctx, service.System, f); err != nil {
			return err
		}
		b.Logf("follow-up: %d reports, %d baselines, %d milestones, %d ratings generated in %s, loaded in %s",
			len(f.Reports), len(f.Baselines), len(f.Milestones), len(f.Ratings), made.Round(time.Millisecond),
			(time.Since(start) - made).Round(time.Millisecond))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return env
}

// BenchmarkHealth computes the health of 1,000 projects at national scale,
// as the agenda builder does; and one project's full health view, and a
// 100-project page of the status board.
func BenchmarkHealth(b *testing.B) {
	svc := benchFollowUp(b).Svc
	ctx := context.Background()
	slugs := make([]string, 0, 1000)
	for i := range 1000 {
		slugs = append(slugs, fmt.Sprintf("p-%05d", i*10+i%10)) // one in ten, spread over the generator's cycles
	}
	asOf := synth.ProgressAsOf
	hs, err := svc.HealthOf(ctx, slugs, asOf)
	if err != nil || len(hs) != 1000 {
		b.Fatal(err, len(hs))
	}
	count := map[string]int{}
	for _, h := range hs {
		count[string(h.Status)]++
		if h.Stale {
			count["stale"]++
		}
		if h.Divergent {
			count["divergent"]++
		}
		if h.RatingDrop {
			count["rating-drop"]++
		}
	}
	b.Logf("of 1,000 projects: %v", count)
	b.Run("1000-projects", func(b *testing.B) {
		for b.Loop() {
			hs, err := svc.HealthOf(ctx, slugs, asOf)
			if err != nil || len(hs) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-project-view", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.ProjectHealth(ctx, service.Anonymous, "p-04321", &asOf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("board-page-100", func(b *testing.B) {
		for b.Loop() {
			rows, err := svc.StatusBoard(ctx, service.Anonymous, "", "", domain.Page{After: "p-05000", Limit: 101}, &asOf)
			if err != nil || len(rows) != 101 {
				b.Fatal(err, len(rows))
			}
		}
	})
}
