package service

import (
	"context"
	"errors"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Deciding before the write queue. SQLite has one writer, so whatever a
// write does inside its transaction every other writer waits for. A write
// whose decision takes reading — the designation rules read the program,
// the project, its agencies, laws and the infrastructure around it —
// therefore decides on a read snapshot first (any number of readers at
// once), and takes into the writer only the final check and the write: it
// reads a stamp of what it decided on (store.Tx.RuleStamp) again there, and
// writes only if nothing changed; otherwise it decides again, a few times,
// then answers 409.

// decideTries is how many times a decision is taken before a write gives
// up on a record that keeps changing under it.
const decideTries = 3

var errDecidedOnStale = errors.New("service: what the decision read changed before the write")

// decision is one write decided on a snapshot.
type decision struct {
	// decide reads and checks, on a read snapshot; an error (a refusal)
	// ends the write before it reaches the writer.
	decide func(tx *store.Tx) error
	// stamp fingerprints what decide read; it runs on the snapshot and
	// again inside the write. Without one, write checks for itself (an
	// UPDATE on the version decide read) and answers errDecidedOnStale to
	// decide again.
	stamp func(tx *store.Tx) (string, error)
	// lock, if set, takes the write's locks before the stamp is read again
	// (PostgreSQL's row locks; SQLite's writer is exclusive anyway).
	lock func(tx *store.Tx) error
	// write makes the change, inside the writer.
	write func(tx *store.Tx) error
}

// decided runs d: decide and stamp on a snapshot, then in one write
// transaction the stamp again and, if unchanged, the write.
func (s *Service) decided(ctx context.Context, a Actor, d decision) error {
	for try := 1; ; try++ {
		var before string
		err := s.db.View(ctx, func(tx *store.Tx) (err error) {
			if err := d.decide(tx); err != nil {
				return err
			}
			if d.stamp != nil {
				before, err = d.stamp(tx)
			}
			return err
		})
		if err != nil {
			return err
		}
		err = s.update(ctx, a, func(tx *store.Tx) error {
			if d.lock != nil {
				if err := d.lock(tx); err != nil {
					return err
				}
			}
			if d.stamp != nil {
				now, err := d.stamp(tx)
				if err != nil {
					return err
				}
				if now != before {
					return errDecidedOnStale
				}
			}
			return d.write(tx)
		})
		if !errors.Is(err, errDecidedOnStale) {
			return err
		}
		if try == decideTries {
			return domain.Conflict("", "سوابق مرتبط در همین لحظه چند بار تغییر کرد؛ دوباره بکوشید",
				"the records this depends on changed several times just now; try again")
		}
	}
}
