package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// jalaliPeriods is migration 00012, which made reporting periods Jalali
// months.
const jalaliPeriods = 12

// TestMigrationJalaliPeriods: rows kept as an older binary kept them —
// Gregorian months in reports, an indicator's latest value, a project's
// follow-up state and a report reminder — come out of migration 00012 as
// the Jalali month of each Gregorian month's 15th day, the reminder's texts
// naming the month; the way down gives the Gregorian months back; and the
// service reads the migrated records as it reads new ones.
func TestMigrationJalaliPeriods(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e).Registry(2).FollowUp("2024-06-10")
		db, ctx := env.DB, context.Background()
		moh := service.Actor{Name: "token:moh", Role: service.RoleAgency, Agency: "moh"}
		sec := service.Actor{Name: "token:sec", Role: service.RoleSecretariat}
		ks, err := env.Svc.KPIs(ctx, service.Anonymous, "p0")
		testkit.Must(t, err)
		r := &domain.Report{Project: "p0", Period: "1403-02", ProjectedEnd: domain.DatePtr("2024-12-31"),
			KPIs: []domain.KPIValue{{KPI: ks[0].ID, Value: 85}}, Narrative: domain.T("پیشرفت", "progress")}
		testkit.Must(t, env.Svc.CreateReport(ctx, moh, r))
		_, err = env.Svc.SubmitReport(ctx, moh, r.ID, 0)
		testkit.Must(t, err)
		_, err = env.Svc.AcceptReport(ctx, sec, r.ID, 0, domain.Text{})
		testkit.Must(t, err)

		write, _ := db.Pools()
		one := func(q string, args ...any) string {
			t.Helper()
			var s sql.NullString
			if err := write.QueryRowContext(ctx, testkit.SQL(db, q), args...).Scan(&s); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return s.String
		}
		state := func() (string, string) {
			return one("SELECT report_period FROM progress_state WHERE slug = 'p0'"), one("SELECT packed FROM progress_state WHERE slug = 'p0'")
		}
		_, packedJalali := state()

		// Down: the binary before 00012 kept Gregorian months.
		if err := store.MigrateTo(ctx, db, jalaliPeriods-1); err != nil {
			t.Fatal(err)
		}
		if p := one("SELECT period FROM reports WHERE id = ?", r.ID); p != "2024-05" {
			t.Fatalf("down: report period %q, want 2024-05", p)
		}
		if p := one("SELECT latest_period FROM kpis WHERE id = ?", ks[0].ID); p != "2024-05" {
			t.Fatalf("down: indicator's latest period %q, want 2024-05", p)
		}
		if p, packed := state(); p != "2024-05" || packed == packedJalali {
			t.Fatalf("down: follow-up state %q, %q", p, packed)
		}

		// What such a binary wrote: reports for every month of two years, a
		// reminder of an overdue one in its words of then.
		agency := one("SELECT CAST(id AS TEXT) FROM agencies WHERE code = 'moh'")
		project := one("SELECT CAST(id AS TEXT) FROM projects WHERE slug = 'p0'")
		var months []string
		for y := 2022; y <= 2023; y++ {
			for m := 1; m <= 12; m++ {
				g := fmt.Sprintf("%04d-%02d", y, m)
				months = append(months, g)
				testkit.Exec(t, db, `INSERT INTO reports (project_id, agency_id, period, state, created_at, updated_at)
					VALUES (?, ?, ?, 'draft', '2024-06-10T09:00:00Z', '2024-06-10T09:00:00Z')`, project, agency, g)
			}
		}
		testkit.Exec(t, db, `INSERT INTO reminders (first_seen, notified_on, agency_id, kind, ref, due, text_fa, text_en) VALUES (?, ?, ?, 'report', ?, ?, ?, ?)`,
			"2023-12-16", "2024-06-10", agency, "p0/2023-11", "2023-12-15",
			"گزارش دوره 2023-11 پروژه «سامانه» از 1402/09/24 سررسید گذشته است", `the 2023-11 report on "System" has been due since 2023-12-15`)

		// Up.
		if err := store.MigrateTo(ctx, db, jalaliPeriods); err != nil {
			t.Fatal(err)
		}
		for _, g := range months {
			var y, m int
			fmt.Sscanf(g, "%d-%d", &y, &m)
			want := domain.PeriodOfGregorianMonth(y, m)
			if n := one("SELECT CAST(COUNT(*) AS TEXT) FROM reports WHERE period = ? AND state = 'draft'", string(want)); n != "1" {
				t.Errorf("up: %s → %s: %s reports", g, want, n)
			}
		}
		if n := one("SELECT CAST(COUNT(*) AS TEXT) FROM reports WHERE substr(period, 1, 4) >= '1700'"); n != "0" {
			t.Errorf("up: %s reports still on a Gregorian month", n)
		}
		if p := one("SELECT period FROM reports WHERE id = ?", r.ID); p != "1403-02" {
			t.Errorf("up: report period %q, want 1403-02", p)
		}
		if p := one("SELECT latest_period FROM kpis WHERE id = ?", ks[0].ID); p != "1403-02" {
			t.Errorf("up: indicator's latest period %q, want 1403-02", p)
		}
		if p, packed := state(); p != "1403-02" || packed != packedJalali {
			t.Errorf("up: follow-up state %q, %q; want 1403-02, %q", p, packed, packedJalali)
		}
		if ref := one("SELECT ref FROM reminders WHERE kind = 'report'"); ref != "p0/1402-08" {
			t.Errorf("up: reminder ref %q, want p0/1402-08", ref)
		}
		if fa, en := one("SELECT text_fa FROM reminders WHERE kind = 'report'"), one("SELECT text_en FROM reminders WHERE kind = 'report'"); fa != "گزارش آبان ۱۴۰۲ پروژه «سامانه» از 1402/09/24 سررسید گذشته است" ||
			en != `the Aban 1402 report on "System" has been due since 2023-12-15` {
			t.Errorf("up: reminder texts %q, %q", fa, en)
		}

		// The service reads the migrated records: the health's last report,
		// a migrated draft by its Jalali month.
		day := domain.MustDate("2024-06-10")
		h, err := env.Svc.ProjectHealth(ctx, service.Anonymous, "p0", &day)
		testkit.Must(t, err)
		if h.LastReport == nil || h.LastReport.Period != "1403-02" || h.LastAccepted == nil || h.LastAccepted.String() != "2024-05-20" {
			t.Errorf("health after the migration: %+v", h)
		}
		list, err := env.Svc.Reports(ctx, sec, domain.ReportFilter{Project: "p0", State: domain.ReportDraft}, domain.Page{Limit: 100})
		testkit.Must(t, err)
		if len(list) != len(months) || !list[0].Period.Valid() {
			t.Errorf("%d drafts after the migration, want %d, Jalali", len(list), len(months))
		}
	})
}
