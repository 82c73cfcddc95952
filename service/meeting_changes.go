package service

import (
	"context"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// A planned session that cannot take place on its day is re-dated or
// cancelled, with a reason, by the secretariat: a session dated in the
// future is then never stuck (it is held when its day comes, moved, or
// cancelled), and a cancelled one no longer bounds the dates of the next.

// RedateMeeting moves a planned meeting to another day, for a required
// reason; version is the one the caller read (412 when stale). The new day
// keeps the series' sessions in date order.
func (s *Service) RedateMeeting(ctx context.Context, a Actor, id string, version int64, date *domain.Date, reason domain.Text) (*domain.Meeting, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if date == nil {
		return nil, domain.Invalid("date", "تاریخ تازه جلسه لازم است", "the meeting's new date is required")
	}
	return s.changePlanned(ctx, a, id, version, reason, func(tx *store.Tx, m *domain.Meeting, c *domain.MeetingChange) error {
		if *date == m.Date {
			return domain.Invalid("date", "تاریخ تازه همان تاریخ کنونی جلسه است", "the new date is the meeting's current date")
		}
		old := m.Date
		m.Date = *date
		if err := checkSessionDate(tx, m); err != nil {
			return err
		}
		c.Kind, c.OldDate, c.NewDate = domain.MeetingRedated, old, date
		return nil
	})
}

// CancelMeeting cancels a planned meeting, for a required reason; version
// is the one the caller read. The session keeps its number and its record.
func (s *Service) CancelMeeting(ctx context.Context, a Actor, id string, version int64, reason domain.Text) (*domain.Meeting, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	return s.changePlanned(ctx, a, id, version, reason, func(tx *store.Tx, m *domain.Meeting, c *domain.MeetingChange) error {
		c.Kind, c.OldDate = domain.MeetingCancelledKind, m.Date
		m.State = domain.MeetingCancelled
		return nil
	})
}

func (s *Service) changePlanned(ctx context.Context, a Actor, id string, version int64, reason domain.Text,
	change func(*store.Tx, *domain.Meeting, *domain.MeetingChange) error) (out *domain.Meeting, err error) {
	if err := domain.ValidNote("reason", reason, true); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != domain.MeetingPlanned {
			if version > 0 && m.Version != version {
				return domain.Stale("meeting " + id)
			}
			return domain.Conflict("id", "جلسه "+id+" دیگر برنامه‌ریزی‌شده نیست؛ فقط جلسه برنامه‌ریزی‌شده جابه‌جا یا لغو می‌شود",
				"meeting "+id+" is no longer planned; only a planned meeting is re-dated or cancelled")
		}
		if version <= 0 {
			version = m.Version // no version given: the one just read
		}
		before := *m
		c := &domain.MeetingChange{Reason: reason, RecordedBy: a.Name}
		if err := change(tx, m, c); err != nil {
			return err
		}
		if err := tx.ChangePlannedMeeting(id, version, m.State, m.Date, c); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		return auditState(tx, string(c.Kind), "meeting", id, map[string]any{"state": before.State, "date": before.Date})
	})
	return out, err
}

// MeetingChanges lists a meeting's re-datings and its cancellation, oldest
// first. Staff only.
func (s *Service) MeetingChanges(ctx context.Context, a Actor, id string) (out []domain.MeetingChange, err error) {
	if err := a.mustBeStaff(); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.MeetingChanges(id); return err })
	return out, err
}
