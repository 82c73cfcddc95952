package service

import (
	"context"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// OutcomeInput is one outcome to record: information (text), a decision
// (resolution, text) or an action (owner, due, description); each may link
// projects.
type OutcomeInput struct {
	Kind        domain.OutcomeKind `json:"kind"`
	Resolution  string             `json:"resolution"`
	Text        domain.Text        `json:"text"`
	Description domain.Text        `json:"description"`
	Owner       string             `json:"owner"`
	Due         *domain.Date       `json:"due"`
	Projects    []string           `json:"projects"`
}

// RecordOutcome records an outcome of a held meeting. An action outcome
// also creates the action record, dated the meeting's day, which must not
// be due before it. Planned and closed meetings take no outcomes.
func (s *Service) RecordOutcome(ctx context.Context, a Actor, id string, in OutcomeInput) (o *domain.Outcome, act *domain.Action, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, nil, err
	}
	if in.Projects == nil {
		in.Projects = []string{}
	}
	o = &domain.Outcome{Meeting: id, Kind: in.Kind, Resolution: in.Resolution, Text: in.Text, Description: in.Description,
		Owner: in.Owner, Due: in.Due, Projects: in.Projects, RecordedBy: a.Name}
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		mid, err := tx.GuardMeeting(id, domain.MeetingHeld)
		if err != nil {
			return err
		}
		m, err := tx.Meeting(id)
		if err != nil {
			return err
		}
		switch o.Kind {
		case domain.OutcomeDecision:
			taken, err := tx.ResolutionTaken(mid, o.Resolution)
			if err != nil {
				return err
			}
			if taken {
				return domain.Conflict("resolution", "مصوبه‌ای با این شماره در این جلسه ثبت شده است", "this meeting already has a decision with this resolution number")
			}
		case domain.OutcomeAction:
			if o.Due.Before(m.Date) {
				return domain.Invalid("due", "مهلت اقدام ("+o.Due.Jalali()+") پیش از تاریخ جلسه‌ای است که آن را تعیین می‌کند ("+m.Date.Jalali()+")",
					"the action is due ("+o.Due.String()+") before the meeting that decides it ("+m.Date.String()+")")
			}
			act = &domain.Action{Meeting: id, Series: m.Series, Owner: o.Owner, Projects: o.Projects, Description: o.Description,
				Created: m.Date, Due: *o.Due}
			if err := tx.InsertAction(mid, act, a.Name); err != nil {
				return err
			}
			o.Action = act.ID
		}
		if err := tx.InsertOutcome(mid, o); err != nil {
			return err
		}
		if act != nil {
			if err := auditState(tx, "create", "action", strconv.FormatInt(act.ID, 10), nil); err != nil {
				return err
			}
		}
		if err := s.raiseDecision(tx, m, o); err != nil {
			return err
		}
		return auditState(tx, "record-outcome", "outcome", id+"/"+strconv.FormatInt(o.ID, 10), nil)
	})
	if err != nil {
		return nil, nil, err
	}
	return o, act, nil
}
