package service

import (
	"context"
	"fmt"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Bulk loads for `pishran generate` (synthetic national-scale databases).
// Like Import and LoadFollowUp they are for an admin at the console only,
// and each call is one transaction.

// IsBlank reports whether the database holds nothing at all, audit log
// and accounts included: the only kind a generator writes into.
func (s *Service) IsBlank(ctx context.Context) (blank bool, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { blank, err = tx.Blank(); return err })
	return blank, err
}

// LoadMeetings loads, in one transaction, meeting series, sessions with
// their outcomes, and actions with their histories (see
// store.Tx.LoadMeetings for how they refer to each other). Every record is
// validated first; one audit entry records the load.
func (s *Service) LoadMeetings(ctx context.Context, a Actor, series []domain.Series, meetings []domain.Meeting, actions []domain.Action) error {
	if a.Role != RoleAdmin {
		return domain.Forbidden("بارگذاری انبوه فقط برای مدیر است", "only an admin may bulk-load meetings")
	}
	for i := range series {
		if err := prefix(fmt.Sprintf("series[%d]", i), series[i].Validate()); err != nil {
			return err
		}
	}
	outcomes := 0
	for i := range meetings {
		m := &meetings[i]
		f := fmt.Sprintf("meetings[%d]", i)
		if err := prefix(f, m.Validate()); err != nil {
			return err
		}
		if m.State == domain.MeetingPlanned && len(m.Outcomes) > 0 {
			return domain.Invalid(f+".outcomes", "جلسه برگزارنشده برآمد ندارد", "a meeting not yet held has no outcomes")
		}
		for j := range m.Outcomes {
			if err := prefix(fmt.Sprintf("%s.outcomes[%d]", f, j), m.Outcomes[j].Validate()); err != nil {
				return err
			}
		}
		outcomes += len(m.Outcomes)
	}
	for i := range actions {
		x := &actions[i]
		f := fmt.Sprintf("actions[%d]", i)
		if err := domain.ValidNote(f+".description", x.Description, true); err != nil {
			return err
		}
		if x.Status != domain.ActionOpen && x.Status != domain.ActionClosed {
			return domain.Invalid(f+".status", "وضعیت اقدام باید open یا closed باشد", "an action's status must be open or closed")
		}
		if (x.Status == domain.ActionClosed) != (x.Closed != nil) {
			return domain.Invalid(f+".closed", "تاریخ بستن فقط و همیشه برای اقدام بسته", "a closing date goes with a closed action, and only with one")
		}
		if len(x.Events) == 0 || x.Events[0].Type != domain.ActionCreated {
			return domain.Invalid(f+".events", "تاریخچه اقدام با «created» آغاز می‌شود", "an action's history starts with its created event")
		}
	}
	kinds := []string{"series", "meeting", "outcome", "action"}
	return s.update(ctx, a, func(tx *store.Tx) error {
		before, err := keysOf(tx, kinds)
		if err != nil {
			return err
		}
		if err := tx.LoadMeetings(series, meetings, actions); err != nil {
			return err
		}
		if err := tx.Audit("load", "meetings", "bulk", nil, map[string]int{"series": len(series), "meetings": len(meetings),
			"outcomes": outcomes, "actions": len(actions)}); err != nil {
			return err
		}
		return sealNew(tx, kinds, before, "load meetings")
	})
}

// AppendAuditHistory appends entries to the audit log as they are (a
// history made elsewhere, such as a synthetic one), chained after the
// current head, in one transaction.
func (s *Service) AppendAuditHistory(ctx context.Context, a Actor, entries []*domain.AuditEntry) error {
	if a.Role != RoleAdmin {
		return domain.Forbidden("بارگذاری انبوه فقط برای مدیر است", "only an admin may bulk-load audit entries")
	}
	for i, e := range entries {
		if e.Actor == "" || e.Action == "" || e.Kind == "" {
			return domain.Invalid("entries["+strconv.Itoa(i)+"]", "کنشگر، کنش و نوع رکورد لازم است", "actor, action and kind are required")
		}
	}
	return s.update(ctx, a, func(tx *store.Tx) error { return tx.AppendAudit(entries) })
}

// LoadFollowUp loads a batch of follow-up records in one transaction (the
// benchmark fixtures); only an admin may. Each record is validated; the
// reports are taken as accepted.
func (s *Service) LoadFollowUp(ctx context.Context, a Actor, f *domain.FollowUp) error {
	if a.Role != RoleAdmin {
		return domain.Forbidden("بارگذاری انبوه فقط برای مدیر است", "only an admin may bulk-load follow-up records")
	}
	for i := range f.Baselines {
		if err := f.Baselines[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Milestones {
		if err := f.Milestones[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Reports {
		if err := f.Reports[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Ratings {
		if err := f.Ratings[i].Validate(); err != nil {
			return err
		}
	}
	kinds := []string{"baseline", "milestone", "report", "rating"}
	return s.update(ctx, a, func(tx *store.Tx) error {
		before, err := keysOf(tx, kinds)
		if err != nil {
			return err
		}
		if err := tx.LoadFollowUp(f, a.Name); err != nil {
			return err
		}
		if err := tx.Audit("load", "follow-up", "bulk", nil, map[string]int{"baselines": len(f.Baselines),
			"milestones": len(f.Milestones), "reports": len(f.Reports), "ratings": len(f.Ratings)}); err != nil {
			return err
		}
		return sealNew(tx, kinds, before, "load follow-up")
	})
}
