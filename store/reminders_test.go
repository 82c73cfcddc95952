package store_test

import (
	"context"
	"math"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
)

// Migration 00011 folds the old day-by-day reminders into one row per
// item: the latest day's wording, owed since the first day; an item the
// last run no longer found is resolved as of that run.
func TestRemindersMigrationKeepsTheLatestPerItem(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		db := testkit.Open(t, e)
		testkit.Must(t, service.New(db, nil).CreateAgency(ctx, service.System,
			&domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
		testkit.Must(t, store.MigrateTo(ctx, db, 9))
		for _, r := range []struct{ day, ref, text string }{
			{"2031-03-01", "1", "a1"}, {"2031-03-02", "1", "a2"}, {"2031-03-03", "1", "a3"},
			{"2031-03-01", "2", "b1"}, {"2031-03-02", "2", "b2"},
			{"2031-03-03", "3", "c3"},
		} {
			testkit.Exec(t, db, `INSERT INTO reminders (day, agency_id, kind, ref, due, text_fa, text_en)
				SELECT ?, id, 'action', ?, '2031-02-01', ?, ? FROM agencies WHERE code = 'moh'`, r.day, r.ref, r.text, r.text)
		}
		testkit.Must(t, store.MigrateTo(ctx, db, math.MaxInt64)) // and every later migration
		var open []domain.Reminder
		var rows int64
		testkit.Must(t, db.View(ctx, func(tx *store.Tx) (err error) {
			if open, err = tx.OpenReminders("moh", 10); err != nil {
				return err
			}
			rows, err = tx.ReminderRows()
			return err
		}))
		if rows != 3 {
			t.Errorf("%d rows for 3 items", rows)
		}
		got := map[string]domain.Reminder{}
		for _, r := range open {
			got[r.Ref] = r
		}
		if r := got["1"]; len(open) != 2 || r.Day.String() != "2031-03-01" || r.Text.EN != "a3" {
			t.Errorf("item 1: %+v (open: %d)", r, len(open))
		}
		if r := got["3"]; r.Day.String() != "2031-03-03" || r.Text.EN != "c3" {
			t.Errorf("item 3: %+v", r)
		}
		if _, ok := got["2"]; ok {
			t.Errorf("item 2, not found by the last run, is still open")
		}
		_, read := db.Pools()
		var resolved string
		testkit.Must(t, read.QueryRowContext(ctx, "SELECT resolved_on FROM reminders WHERE ref = '2'").Scan(&resolved))
		if resolved != "2031-03-03" {
			t.Errorf("item 2 resolved on %q, want the last run's day", resolved)
		}
	})
}
