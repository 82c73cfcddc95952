package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// A project's membership in a list is an append-only history, with no
// version of its own; what a person saw is the history's last event. A
// departure or a correction made from a page that showed an older history
// (someone recorded an event since) is refused as stale, as an edit of a
// record on an older version is: the person acts on what is there now.

// checkSeen refuses, inside tx, when seen (the last event the writer saw;
// 0: not said) is not the history's last event.
func checkSeen(tx *store.Tx, program, project string, seen int64) error {
	if seen <= 0 {
		return nil
	}
	evs, err := tx.Events(program, project)
	if err != nil {
		return err
	}
	if len(evs) == 0 || evs[len(evs)-1].ID != seen {
		return domain.Stale("membership")
	}
	return nil
}

// Correction is a request to void a wrong membership event: which event,
// why, and the last event of the history the writer saw (0: not said).
type Correction struct {
	Program, Project string
	Event            int64
	Note             domain.Text
	Seen             int64
}

// VoidSeen is Void refusing a stale page: the history must still end with
// the event c.Seen names.
func (s *Service) VoidSeen(ctx context.Context, a Actor, c Correction) (ev *domain.MembershipEvent, err error) {
	return s.void(ctx, a, c)
}
