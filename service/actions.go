package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Actions lists the actions the actor may see. Staff only.
func (s *Service) Actions(ctx context.Context, a Actor, f domain.ActionFilter, p domain.Page) (out []*domain.Action, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Actions(f, a.Viewer(), p); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.actions(out)
		return r.Err()
	})
	return out, err
}

// OverdueActions lists the open actions due before day that the actor may
// see, the most overdue first, up to limit, with their number in all.
// Staff only.
func (s *Service) OverdueActions(ctx context.Context, a Actor, day domain.Date, limit int) (out []*domain.Action, total int, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, 0, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, total, err = tx.OverdueActions(day, a.Viewer(), limit); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.actions(out)
		return r.Err()
	})
	return out, total, err
}

// Action returns one action with its whole history. Staff only.
func (s *Service) Action(ctx context.Context, a Actor, id int64) (out *domain.Action, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Action(id, a.Viewer()); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.action(out)
		return r.Err()
	})
	return out, err
}

// ActionUpdate is an act on an action: re-dating (Due, Reason, kept as the
// event's note), a discussion (Note) or closing (Note). Meeting names the held session it
// happens at, if any; Date is when a closing happened outside a meeting
// (default today).
type ActionUpdate struct {
	Meeting string       `json:"meeting"`
	Date    *domain.Date `json:"date"`
	Due     *domain.Date `json:"due"`
	Reason  domain.Text  `json:"reason"`
	Note    domain.Text  `json:"note"`
}

// RedateAction moves an open action's due date, for a required reason.
// version is the action's version the caller read.
func (s *Service) RedateAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if u.Due == nil {
		return nil, domain.Invalid("due", "مهلت تازه لازم است", "the new due date is required")
	}
	if err := domain.ValidNote("reason", u.Reason, true); err != nil {
		return nil, err
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if u.Due.Before(act.Created) {
			return domain.Invalid("due", "مهلت تازه پیش از تاریخ تعیین اقدام ("+act.Created.Jalali()+") است",
				"the new due date is before the action was decided ("+act.Created.String()+")")
		}
		if *u.Due == act.Due {
			return domain.Invalid("due", "مهلت تازه همان مهلت کنونی است", "the new due date is the current one")
		}
		old, nw := act.Due, *u.Due
		ev.Type, ev.OldDue, ev.NewDue, ev.Note = domain.ActionRedated, &old, &nw, u.Reason
		act.Due = nw
		return nil
	})
}

// DiscussAction records that an open action was discussed at a held
// meeting, or, with no meeting, a progress note. The secretariat may do
// either; the owner agency's focal point may add progress notes.
func (s *Service) DiscussAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustWrite(); err != nil {
		return nil, err
	}
	if !a.isSecretariat() && u.Meeting != "" {
		return nil, domain.Forbidden("فقط دبیرخانه بررسی در جلسه را ثبت می‌کند؛ یادداشت پیشرفت را بدون جلسه بفرستید",
			"only the secretariat records a discussion at a meeting; send a progress note without a meeting")
	}
	if err := domain.ValidNote("note", u.Note, true); err != nil {
		return nil, err
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if err := a.mayNoteAction(act); err != nil {
			return err
		}
		ev.Type, ev.Note = domain.ActionDiscussed, u.Note
		return nil
	})
}

// CloseAction closes an open action, at a held meeting or on a date (not
// before it was decided, not in the future).
func (s *Service) CloseAction(ctx context.Context, a Actor, id, version int64, u ActionUpdate) (*domain.Action, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidNote("note", u.Note, false); err != nil {
		return nil, err
	}
	if u.Meeting != "" && u.Date != nil {
		return nil, domain.Invalid("date", "یا جلسه یا تاریخ، نه هر دو", "give a meeting or a date, not both")
	}
	return s.actOn(ctx, a, id, version, u, func(act *domain.Action, ev *domain.ActionEvent) error {
		if u.Meeting == "" && u.Date != nil {
			ev.Date = *u.Date
		}
		ev.Type, ev.Note = domain.ActionClosedEv, u.Note
		closed := ev.Date
		act.Status, act.Closed = domain.ActionClosed, &closed
		return nil
	})
}

// actOn runs one act on an open action: it reads the action as the actor
// may see it, resolves the meeting the act happens at (which must be held),
// dates the event, lets change fill it in, checks the date, and writes the
// action and its new event in one transaction. A stale version is 412.
func (s *Service) actOn(ctx context.Context, a Actor, id, version int64, u ActionUpdate,
	change func(*domain.Action, *domain.ActionEvent) error) (out *domain.Action, err error) {
	err = s.update(ctx, a, func(tx *store.Tx) error {
		act, err := tx.Action(id, a.Viewer())
		if err != nil {
			return err
		}
		if act.Status != domain.ActionOpen {
			return domain.Conflict("id", "اقدام "+strconv.FormatInt(id, 10)+" بسته شده است", "action "+strconv.FormatInt(id, 10)+" is closed")
		}
		today := domain.DateOf(tx.Now())
		ev := &domain.ActionEvent{Date: today, RecordedBy: a.Name}
		var mid int64
		if u.Meeting != "" {
			var date domain.Date
			if mid, date, err = tx.MeetingRef(u.Meeting); err != nil {
				return err
			}
			if _, err := tx.GuardMeeting(u.Meeting, domain.MeetingHeld); err != nil {
				if e, ok := domain.AsError(err); ok && e.Kind == domain.KindConflict {
					e.Field = "meeting"
				}
				return err
			}
			ev.Meeting, ev.Date = u.Meeting, date
		}
		if err := change(act, ev); err != nil {
			return err
		}
		field := "date"
		if u.Meeting != "" {
			field = "meeting"
		}
		if ev.Date.Before(act.Created) {
			return domain.Invalid(field, "این رویداد پیش از تعیین اقدام ("+act.Created.Jalali()+") است",
				"this happens before the action was decided ("+act.Created.String()+")")
		}
		if today.Before(ev.Date) {
			return domain.Invalid(field, "تاریخ رویداد در آینده است", "the event is dated in the future")
		}
		before := *act
		act.Version = version
		if err := tx.UpdateAction(act, ev, mid); err != nil {
			return err
		}
		if err := auditState(tx, string(ev.Type), "action", strconv.FormatInt(id, 10), before); err != nil {
			return err
		}
		r := s.refsFor(tx, a)
		out = r.action(act)
		return r.Err()
	})
	return out, err
}
