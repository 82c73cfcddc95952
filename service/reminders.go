package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/store"
)

// reminderBatch is how many reminder changes one transaction records.
const reminderBatch = 500

// remindStats counts what a reminders run found and changed.
type remindStats struct {
	owed, added, restated, resolved int
}

func (st remindStats) String() string {
	return strconv.Itoa(st.owed) + " reminders (" + strconv.Itoa(st.added) + " new, " + strconv.Itoa(st.restated) +
		" restated, " + strconv.Itoa(st.resolved) + " resolved)"
}

// reminderChange is one write of a reminders run: a reminder stated
// (new, or its wording or due date changed), or one resolved.
type reminderChange struct {
	state   *domain.Reminder
	resolve *domain.Reminder
}

// remind keeps, for every agency, the actions and reports it owes past
// their due date: what a reminder would say to it. It goes agency by
// agency: what is owed and what is recorded are read from one snapshot (a
// read, which keeps no writer waiting), and only the difference is written
// — new items, restated ones, resolved ones — in batches of its own, in
// the jobs' area (store.AreaJobs), so no public page's version moves. A
// day on which nothing changed writes nothing. Between steps the run
// pauses (pacer), so the readers of the moment keep the machine.
func remind(ctx context.Context, s *Service, a Actor, now time.Time) (string, error) {
	day := domain.DateOf(now)
	var st remindStats
	var pending []reminderChange
	write := func(batch []reminderChange) error {
		return s.update(ctx, a, func(tx *store.Tx) error {
			for _, c := range batch {
				var err error
				if c.state != nil {
					err = tx.StateReminder(c.state)
				} else {
					err = tx.ResolveReminder(c.resolve.Agency, c.resolve.Kind, c.resolve.Ref, day)
				}
				if err != nil {
					return err
				}
			}
			return tx.Audit("remind", "reminder", "reminders/"+day.String(), nil, map[string]int{"changes": len(batch)})
		})
	}
	pace := s.newPacer()
	var codes []string
	err := s.db.View(ctx, func(tx *store.Tx) error {
		for ag, err := range domain.Walk(tx.Agencies, agencyKey) {
			if err != nil {
				return err
			}
			codes = append(codes, ag.Code)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, code := range codes {
		if err := pace.wait(ctx); err != nil {
			return "", err
		}
		var owed []*domain.Reminder
		var open []domain.Reminder
		err := s.db.View(ctx, func(tx *store.Tx) error {
			ag, err := tx.Agency(code)
			if domain.IsKind(err, domain.KindNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			if owed, err = owedBy(s, tx, ag, day); err != nil {
				return err
			}
			open, err = tx.OpenReminders(code, 1<<30)
			return err
		})
		pace.worked()
		if err != nil {
			return "", err
		}
		st.owed += len(owed)
		recorded := make(map[string]domain.Reminder, len(open))
		for _, r := range open {
			recorded[r.Kind+"\x00"+r.Ref] = r
		}
		for _, r := range owed {
			k := r.Kind + "\x00" + r.Ref
			old, ok := recorded[k]
			delete(recorded, k)
			switch {
			case !ok:
				st.added++
			case old.Due != r.Due || old.Text != r.Text:
				st.restated++
			default:
				continue
			}
			pending = append(pending, reminderChange{state: r})
		}
		for _, r := range recorded {
			st.resolved++
			pending = append(pending, reminderChange{resolve: &r})
		}
		for len(pending) >= reminderBatch {
			if err := pace.wait(ctx); err != nil {
				return "", err
			}
			if err := write(pending[:reminderBatch]); err != nil {
				return "", err
			}
			pace.worked()
			pending = pending[reminderBatch:]
		}
	}
	if len(pending) > 0 {
		if err := write(pending); err != nil {
			return "", err
		}
	}
	return st.String(), nil
}

// owedBy lists what agency ag owes past its due date on day: its open
// actions past due, and the overdue reports of the projects it leads, as
// the obligations view counts them.
func owedBy(s *Service, tx *store.Tx, ag *domain.Agency, day domain.Date) ([]*domain.Reminder, error) {
	var out []*domain.Reminder
	// The agency's open actions are among its obligations (read once,
	// there): those past their due date are owed.
	o, err := s.obligationsIn(tx, Actor{Role: RoleAdmin}, ag, day)
	if err != nil {
		return nil, err
	}
	for _, act := range o.Actions {
		if !act.Due.Before(day) || act.Owner != ag.Code {
			continue
		}
		out = append(out, &domain.Reminder{Day: day, Agency: act.Owner, Kind: "action", Ref: strconv.FormatInt(act.ID, 10), Due: act.Due,
			Text: domain.T("اقدام «"+act.Description.In("fa")+"» از "+jalali.PersianDigits(act.Due.Jalali())+" سررسید گذشته است",
				"action \""+act.Description.In("en")+"\" has been due since "+act.Due.String())})
	}
	for _, rep := range o.Reports {
		if !rep.Overdue {
			continue
		}
		out = append(out, &domain.Reminder{Day: day, Agency: ag.Code, Kind: "report", Ref: rep.Project + "/" + string(rep.Period), Due: rep.Due,
			Text: domain.T("گزارش "+rep.Period.Name("fa")+" پروژه «"+rep.Title.In("fa")+"» از "+jalali.PersianDigits(rep.Due.Jalali())+" سررسید گذشته است",
				"the "+rep.Period.Name("en")+" report on \""+rep.Title.In("en")+"\" has been due since "+rep.Due.String())})
	}
	return out, nil
}

// Reminders lists the current reminders of an agency (all agencies for
// ""), newest first: what it owes past its due date as of the last daily
// run. An agency's focal point sees its own. A reminder is about a
// project's follow-up — a report owed on it, or an action about it — and
// reaches only those who may read that (visibility.go): a report's project
// must be one the reader may see, and an action's projects too, unless the
// reader's agency owns the action.
func (s *Service) Reminders(ctx context.Context, a Actor, agency string) (out []domain.Reminder, err error) {
	switch a.Role {
	case RoleAnonymous:
		return nil, domain.Unauthorized()
	case RoleAgency:
		if agency != a.Agency {
			return nil, domain.NotFound("agency", "agency")
		}
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.OpenReminders(agency, 1000); err != nil {
			return err
		}
		out, err = s.visibleReminders(tx, a, out)
		return err
	})
	if out == nil {
		out = []domain.Reminder{}
	}
	return out, err
}

// MyReminders lists the current reminders meant for the signed-in reader:
// an agency's focal point gets its agency's, staff who see every agency
// get all of them, each passing the same visibility rule as Reminders. The
// public gets none (unauthorized).
func (s *Service) MyReminders(ctx context.Context, a Actor) ([]domain.Reminder, error) {
	if a.Role == RoleAgency {
		return s.Reminders(ctx, a, a.Agency)
	}
	return s.Reminders(ctx, a, "")
}

// visibleReminders leaves out of rs the reminders a reader may not read.
func (s *Service) visibleReminders(tx *store.Tx, a Actor, rs []domain.Reminder) ([]domain.Reminder, error) {
	r := s.refsFor(tx, a)
	if r.v.All {
		return rs, nil
	}
	var ids []int64
	for _, x := range rs {
		if x.Kind == "action" {
			if id, err := strconv.ParseInt(x.Ref, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
	}
	projects, owners, err := tx.ActionProjectSlugs(ids)
	if err != nil {
		return nil, err
	}
	out := rs[:0:0]
	for _, x := range rs {
		ok := false
		switch x.Kind {
		case "report":
			slug, _, _ := strings.Cut(x.Ref, "/")
			ok = r.sees(slug)
		case "action":
			id, _ := strconv.ParseInt(x.Ref, 10, 64)
			_, hidden := seen(r, projects[id], itselfSlug)
			ok = hidden == 0 || (r.v.Agency != "" && owners[id] == r.v.Agency)
		}
		if ok {
			out = append(out, x)
		}
	}
	return out, r.Err()
}
