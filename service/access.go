package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// The May* methods answer, without writing anything, whether the actor may
// change a record at all — the same checks the write itself makes, before
// it looks at the input or the version. The HTTP layer asks them when a
// write comes without a usable precondition (If-Match), so that a caller
// who may not touch the record hears 403 (or "not found") rather than
// "send If-Match": the role check answers before the precondition, and a
// precondition is never the way to learn that a record exists.

// MayEditAgency reports whether the actor may edit the agency's record.
func (s *Service) MayEditAgency(ctx context.Context, a Actor, code string) error {
	if err := a.mayEditAgency(code); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error { _, err := tx.Agency(code); return err })
}

// mayEditAgency allows the secretariat, and an agency its own record.
func (a Actor) mayEditAgency(code string) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if !a.isSecretariat() && !(a.Role == RoleAgency && a.Agency == code) {
		return domain.Forbidden("هر دستگاه فقط رکورد خودش را ویرایش می‌کند", "an agency may edit only its own record")
	}
	return nil
}

// MayEditProject reports whether the actor may edit the project: the
// secretariat, or the agency that leads it.
func (s *Service) MayEditProject(ctx context.Context, a Actor, slug string) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error {
		p, err := tx.Project(slug, a.Viewer())
		if err != nil {
			return err
		}
		return a.mustOwnProject(p)
	})
}

// MayEditReport reports whether the actor may change the progress report:
// only the agency that wrote it.
func (s *Service) MayEditReport(ctx context.Context, a Actor, id int64) error {
	if err := a.mustReport(); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error {
		_, err := ownReport(tx, a, id, 0) // 0: the version is not the question here
		return err
	})
}

// MayDiscussAction reports whether the actor may add a note to the action:
// the secretariat, or the action's owner agency.
func (s *Service) MayDiscussAction(ctx context.Context, a Actor, id int64) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error {
		act, err := tx.Action(id, a.Viewer())
		if err != nil {
			return err
		}
		return a.mayNoteAction(act)
	})
}

// mayNoteAction allows the secretariat, and the action's owner agency.
func (a Actor) mayNoteAction(act *domain.Action) error {
	if !a.isSecretariat() && act.Owner != a.Agency {
		return domain.Forbidden("فقط دستگاه مسئول اقدام یا دبیرخانه درباره آن یادداشت می‌گذارد",
			"only the action's owner agency or the secretariat may add a note to it")
	}
	return nil
}
