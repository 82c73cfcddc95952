package service

import (
	"context"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/store"
)

// A write decided on a snapshot is made only if what it read is unchanged
// inside the writer: a change in between makes it decide again; changes
// that keep coming end it with 409 and no write.
func TestDecidedRechecksInsideTheWriter(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		s := New(testkit.Open(t, e), nil)
		testkit.Must(t, s.CreateAgency(ctx, System, &domain.Agency{Code: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health"), Kind: domain.AgencyMinistry}))
		// changeUnder reads the agency on the snapshot, then changes it
		// behind the snapshot's back, as another writer would.
		changeUnder := func(tx *store.Tx) error {
			ag, err := tx.Agency("moh")
			if err != nil {
				return err
			}
			ag.Name.EN += "."
			return s.UpdateAgency(ctx, System, ag)
		}
		run := func(changes int) (decisions, writes int, err error) {
			err = s.decided(ctx, System, decision{
				decide: func(tx *store.Tx) error {
					decisions++
					if decisions <= changes {
						return changeUnder(tx)
					}
					return nil
				},
				stamp: func(tx *store.Tx) (string, error) { return tx.RuleStamp("", "", []string{"moh"}, nil, nil) },
				write: func(tx *store.Tx) error {
					writes++
					return tx.Audit("test", "group", "decided", nil, nil)
				},
			})
			return decisions, writes, err
		}
		if d, w, err := run(1); err != nil || d != 2 || w != 1 {
			t.Errorf("one change in between: %d decisions, %d writes, %v; want 2, 1, nil", d, w, err)
		}
		d, w, err := run(decideTries)
		testkit.WantKind(t, "changes that keep coming", err, domain.KindConflict, "")
		if d != decideTries || w != 0 {
			t.Errorf("changes that keep coming: %d decisions, %d writes; want %d, 0", d, w, decideTries)
		}
	})
}
