package service_test

import (
	"context"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
)

// TestAuditTamper: every write leaves a chained entry; editing or removing
// an entry behind Pishran's back is caught, and the first broken entry named.
func TestAuditTamper(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2)
		svc, ctx := env.Svc, env.Ctx
		sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
		p, err := svc.Project(ctx, sec, "p0")
		if err != nil {
			t.Fatal(err)
		}
		p.Title.EN = "Renamed"
		if err := svc.UpdateProject(ctx, sec, p.Project); err != nil {
			t.Fatal(err)
		}
		hist, err := svc.AuditHistory(ctx, sec, "project", "p0")
		if err != nil || len(hist) != 2 || hist[0].Action != "create" || hist[1].Action != "update" || hist[1].Actor != "user:sara" {
			t.Fatalf("history: %v %+v", err, hist)
		}
		if hist[1].Before == nil || hist[1].After == nil {
			t.Fatalf("update entry lacks before/after: %+v", hist[1])
		}
		if _, err := svc.AuditHistory(ctx, service.Anonymous, "project", "p0"); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("public read the audit log: %v", err)
		}
		rep, err := svc.VerifyAudit(ctx, service.System)
		if err != nil || !rep.Intact || rep.Checked < 6 {
			t.Fatalf("fresh chain: %v %+v", err, rep)
		}
		write, _ := svc.DB().Pools()
		// An edit behind Pishran's back: the entry's content no longer
		// matches its hash.
		if _, err := write.ExecContext(context.Background(), testkit.SQL(svc.DB(), "UPDATE audit_log SET after = '{\"title\":\"forged\"}' WHERE id = ?"), hist[1].ID); err != nil {
			t.Fatal(err)
		}
		rep, err = svc.VerifyAudit(ctx, service.System)
		if err != nil || rep.Intact || rep.Broken == nil || rep.Broken.ID != hist[1].ID {
			t.Fatalf("tampered chain: %v %+v, want broken at %d", err, rep, hist[1].ID)
		}
		if _, err := write.ExecContext(context.Background(), testkit.SQL(svc.DB(), "DELETE FROM audit_log WHERE id = ?"), hist[0].ID); err != nil {
			t.Fatal(err)
		}
		rep, _ = svc.VerifyAudit(ctx, service.System)
		if rep.Intact || rep.Broken.ID != hist[0].ID {
			t.Fatalf("removed entry: %+v, want broken at %d", rep, hist[0].ID)
		}
	})
}
