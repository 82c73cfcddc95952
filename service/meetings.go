package service

import (
	"context"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Who may do what with meetings and actions:
//
//   - admin and secretariat run meetings: series, sessions, agendas,
//     holding and closing, outcomes, amendments, and every act on actions.
//   - an agency's focal point reads what readers read, plus the actions its
//     agency owns even when they concern a confidential project it is not
//     on; it may add a progress note ("discussed", with no meeting) to an
//     action its agency owns. Re-dating and closing stay with the
//     secretariat: the council set the due date, the council moves it.
//   - a reader reads every meeting, agenda, outcome and action except what
//     concerns a confidential project.
//   - the public reads the held and closed meetings' dates and decisions,
//     and only the decisions all of whose projects are public.

// mustBeStaff allows any signed-in role to read follow-up records.
func (a Actor) mustBeStaff() error {
	if a.Role == RoleAnonymous {
		return domain.Unauthorized()
	}
	return nil
}

// MeetingInput is what a caller sets on a meeting. Series and number make
// its id and never change.
type MeetingInput struct {
	Series    string            `json:"series"`
	Number    int               `json:"number"`
	Title     domain.Text       `json:"title"`
	Date      *domain.Date      `json:"date"`
	Attendees []domain.Attendee `json:"attendees"`
}

func (in MeetingInput) meeting() (*domain.Meeting, error) {
	m := &domain.Meeting{Series: in.Series, Number: in.Number, Title: in.Title, Attendees: in.Attendees}
	if in.Date == nil {
		return nil, domain.Invalid("date", "تاریخ جلسه لازم است", "the meeting date is required")
	}
	m.Date = *in.Date
	if m.Attendees == nil {
		m.Attendees = []domain.Attendee{}
	}
	return m, m.Validate()
}

// checkSessionDate keeps a series' sessions in date order: a session is not
// dated before the one numbered before it, nor after the one numbered
// after it.
func checkSessionDate(tx *store.Tx, m *domain.Meeting) error {
	prev, next, err := tx.SessionDates(m.Series, m.Number)
	if err != nil {
		return err
	}
	if prev != nil && m.Date.Before(*prev) {
		return domain.Invalid("date", "تاریخ جلسه پیش از جلسه قبلی همین دوره ("+prev.Jalali()+") است",
			"the meeting is dated before the previous session of its series ("+prev.String()+")")
	}
	if next != nil && next.Before(m.Date) {
		return domain.Invalid("date", "تاریخ جلسه پس از جلسه بعدی همین دوره ("+next.Jalali()+") است",
			"the meeting is dated after the next session of its series ("+next.String()+")")
	}
	return nil
}

// CreateMeeting records a planned session.
func (s *Service) CreateMeeting(ctx context.Context, a Actor, in MeetingInput) (*domain.Meeting, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	m, err := in.meeting()
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if _, err := tx.Series(m.Series); err != nil {
			return domain.Invalid("series", "دوره جلساتی با این کد ثبت نشده است: "+m.Series, "no meeting series with this code is recorded: "+m.Series)
		}
		if err := checkSessionDate(tx, m); err != nil {
			return err
		}
		if err := tx.InsertMeeting(m); err != nil {
			return err
		}
		return auditState(tx, "create", "meeting", m.ID, nil)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateMeeting replaces a meeting's title, date and attendees; version is
// the one the caller read. A closed meeting is read-only, and a held
// meeting's date is a fact that no longer moves.
func (s *Service) UpdateMeeting(ctx context.Context, a Actor, id string, version int64, in MeetingInput) (out *domain.Meeting, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if old.State == domain.MeetingClosed {
			return store.MeetingStateConflict(id, old.State)
		}
		if in.Series != "" && in.Series != old.Series {
			return domain.Invalid("series", "دوره جلسه تغییر نمی‌کند", "a meeting's series cannot change")
		}
		if in.Number != 0 && in.Number != old.Number {
			return domain.Invalid("number", "شماره جلسه تغییر نمی‌کند", "a meeting's number cannot change")
		}
		in.Series, in.Number = old.Series, old.Number
		m, err := in.meeting()
		if err != nil {
			return err
		}
		if old.State != domain.MeetingPlanned && m.Date != old.Date {
			return domain.Conflict("date", "جلسه "+id+" برگزار شده و تاریخش دیگر تغییر نمی‌کند",
				"meeting "+id+" has been held; its date no longer changes")
		}
		if err := checkSessionDate(tx, m); err != nil {
			return err
		}
		m.ID, m.Version = id, version
		if err := tx.UpdateMeeting(m); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		return auditState(tx, "update", "meeting", id, old)
	})
	return out, err
}

// Meeting returns what the actor may see of a meeting: staff see the
// whole record (less what concerns confidential projects they may not
// see); the public sees a held or closed meeting's date and decisions.
func (s *Service) Meeting(ctx context.Context, a Actor, id string) (out *domain.Meeting, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = s.meetingFor(tx, a, id); err != nil {
			return err
		}
		return sealMeeting(tx, out)
	})
	return out, err
}

func (s *Service) meetingFor(tx *store.Tx, a Actor, id string) (m *domain.Meeting, err error) {
	if a.Role == RoleAnonymous {
		if m, err = publicMeeting(tx, id); err != nil {
			return nil, err
		}
	} else if m, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
		return nil, err
	}
	r := s.refsFor(tx, a)
	r.meeting(m)
	return m, r.Err()
}

// publicMeeting reads what the public reads of a meeting: a held or
// closed one (a planned or cancelled one is not found), its date and the
// decisions its published minutes hold — the store reads them by the one
// rule every public read of decisions follows (store's decidedSQL: once
// the meeting is closed) — without who attended or who recorded them.
func publicMeeting(tx *store.Tx, id string) (*domain.Meeting, error) {
	m, err := tx.MeetingDecisions(id, domain.Viewer{})
	if err != nil {
		return nil, err
	}
	if m.State != domain.MeetingHeld && m.State != domain.MeetingClosed {
		return nil, domain.NotFound("id", "meeting")
	}
	m.Attendees = []domain.Attendee{}
	for i := range m.Outcomes {
		m.Outcomes[i].RecordedBy = "" // who recorded it is staff knowledge (anonymity.go)
	}
	return m, nil
}

// Meetings lists meetings' own records (no agenda or outcomes); keys are
// the cursor keys. The public sees only held and closed meetings.
func (s *Service) Meetings(ctx context.Context, a Actor, f domain.MeetingFilter, p domain.Page) (out []*domain.Meeting, keys []string, err error) {
	if a.Role == RoleAnonymous {
		var states []domain.MeetingState
		for _, st := range []domain.MeetingState{domain.MeetingHeld, domain.MeetingClosed} {
			if len(f.States) == 0 || slices.Contains(f.States, st) {
				states = append(states, st)
			}
		}
		if len(states) == 0 {
			return nil, nil, nil
		}
		f.States = states
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		out, keys, err = tx.Meetings(f, p)
		return err
	})
	if a.Role == RoleAnonymous {
		for _, m := range out {
			m.Attendees = []domain.Attendee{}
		}
	}
	return out, keys, err
}

// HoldMeeting records that a planned meeting took place. version, when
// positive, must be the one the caller read. A meeting dated after
// tomorrow cannot have been held yet.
func (s *Service) HoldMeeting(ctx context.Context, a Actor, id string, version int64) (*domain.Meeting, error) {
	return s.advance(ctx, a, id, version, domain.MeetingPlanned, domain.MeetingHeld)
}

// CloseMeeting closes a held meeting: its record becomes read-only, and
// corrections are amendments.
func (s *Service) CloseMeeting(ctx context.Context, a Actor, id string, version int64) (*domain.Meeting, error) {
	return s.advance(ctx, a, id, version, domain.MeetingHeld, domain.MeetingClosed)
}

func (s *Service) advance(ctx context.Context, a Actor, id string, version int64, from, to domain.MeetingState) (out *domain.Meeting, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != from {
			return store.MeetingStateConflict(id, m.State)
		}
		if to == domain.MeetingHeld && domain.DateOf(tx.Now().AddDate(0, 0, 1)).Before(m.Date) {
			return domain.Invalid("date", "جلسه "+id+" برای "+m.Date.Jalali()+" برنامه‌ریزی شده و هنوز نمی‌تواند برگزارشده ثبت شود",
				"meeting "+id+" is dated "+m.Date.String()+", in the future: it cannot have been held yet")
		}
		if err := tx.SetMeetingState(id, from, to, version); err != nil {
			return err
		}
		if out, err = tx.MeetingRecord(id, a.Viewer()); err != nil {
			return err
		}
		if to == domain.MeetingClosed {
			if err := s.publishMeeting(tx, a, id); err != nil {
				return err
			}
		}
		if err := auditState(tx, string(to), "meeting", id, map[string]any{"state": from}); err != nil {
			return err
		}
		return sealMeeting(tx, out) // the codes just published, when it closed
	})
	return out, err
}

// Amend appends a correction to a closed meeting's record.
func (s *Service) Amend(ctx context.Context, a Actor, id string, text domain.Text) (*domain.Amendment, error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidAmendment(text); err != nil {
		return nil, err
	}
	am := &domain.Amendment{Text: text, RecordedBy: a.Name}
	err := s.update(ctx, a, func(tx *store.Tx) error {
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		if m.State != domain.MeetingClosed {
			return domain.Conflict("id", "جلسه "+id+" هنوز بسته نشده است؛ خود جلسه را ویرایش کنید",
				"meeting "+id+" is not closed; edit the meeting itself")
		}
		if err := tx.InsertAmendment(id, am); err != nil {
			return err
		}
		return auditState(tx, "amend", "meeting", id, nil)
	})
	if err != nil {
		return nil, err
	}
	return am, nil
}
