package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/store"
)

// Background jobs run on every instance's clock, but each run of a job is
// claimed in the database first (store.Tx.ClaimRun): with any number of
// instances on one database, a job runs once per slot, not once per
// instance. A job writes in short transactions of its own (batches), so the
// people writing at the same moment wait for one batch at most, never for
// the whole run; its writes are idempotent, so a run whose instance died
// mid-way is taken over after the lease and done again without doubling
// anything. A run that fails gives its claim back and is tried again at
// the next tick.

// Job is a background job.
type Job struct {
	Name string
	// Slot names the period a run covers ("2024-06-10" for a daily job);
	// one run per slot.
	Slot func(now time.Time) string
	// Run does the work as actor a, in transactions of its own; each of
	// its writes must be safe to repeat.
	Run func(ctx context.Context, s *Service, a Actor, now time.Time) (outcome string, err error)
}

// jobLease is how long a claimed run may stay unfinished before another
// claimant takes it over: far longer than a national run takes.
const jobLease = 15 * time.Minute

// reminderBatch is how many reminders one transaction records.
const reminderBatch = 500

// Jobs are the background jobs Pishran runs.
var Jobs = []Job{
	{Name: "reminders", Slot: daily, Run: remind},
	{Name: "audit-checkpoint", Slot: daily, Run: dailyCheckpoint},
	{Name: JobAuditVerify, Slot: daily, Run: dailyAuditVerify},
}

func daily(now time.Time) string { return domain.DateOf(now).String() }

var errNotMine = errors.New("service: job run claimed elsewhere")

// RunDueJobs runs every job whose current slot no one has claimed yet, and
// returns the names of those this instance ran.
func (s *Service) RunDueJobs(ctx context.Context, instance string, now time.Time) (ran []string, err error) {
	a := Actor{Name: "job:" + instance, Role: RoleAdmin}
	for _, j := range Jobs {
		slot := j.Slot(now)
		rec := j.Name + "/" + slot
		err := s.update(ctx, a, func(tx *store.Tx) error {
			mine, err := tx.ClaimRun(j.Name, slot, instance, jobLease)
			if err != nil {
				return err
			}
			if !mine {
				return errNotMine
			}
			return tx.Audit("claim", "job", rec, nil, map[string]string{"instance": instance})
		})
		if errors.Is(err, errNotMine) {
			continue
		}
		if err != nil {
			return ran, err
		}
		outcome, err := j.Run(ctx, s, a, now)
		if err != nil {
			if rerr := s.update(context.WithoutCancel(ctx), a, func(tx *store.Tx) error {
				if err := tx.ReleaseRun(j.Name, slot, instance); err != nil {
					return err
				}
				return tx.Audit("release", "job", rec, nil, map[string]string{"instance": instance, "error": err.Error()})
			}); rerr != nil {
				s.log.Error("background job: give back the claim", "job", rec, "err", rerr)
			}
			return ran, err
		}
		err = s.update(ctx, a, func(tx *store.Tx) error {
			if err := tx.FinishRun(j.Name, slot, outcome); err != nil {
				return err
			}
			return tx.Audit("run", "job", rec, nil, map[string]string{"instance": instance, "outcome": outcome})
		})
		if err != nil {
			return ran, err
		}
		ran = append(ran, j.Name)
	}
	return ran, nil
}

// StartJobs runs due jobs now and then every interval until ctx ends.
func (s *Service) StartJobs(ctx context.Context, instance string, interval time.Duration) {
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			if ran, err := s.RunDueJobs(ctx, instance, time.Now()); err != nil && ctx.Err() == nil {
				s.log.Error("background jobs", "err", err)
			} else if len(ran) > 0 {
				s.log.Info("background jobs ran", "jobs", ran, "instance", instance)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// remind records, for every agency, the actions and reports it owes past
// their due date on the day: what a reminder would say to it. What is owed
// is read from one snapshot (a read, which keeps no writer waiting), then
// recorded in batches; a reminder recorded twice on a day is kept once.
func remind(ctx context.Context, s *Service, a Actor, now time.Time) (string, error) {
	day := domain.DateOf(now)
	var owed []*domain.Reminder
	err := s.db.View(ctx, func(tx *store.Tx) (err error) { owed, err = reminders(s, tx, day); return err })
	if err != nil {
		return "", err
	}
	for i := 0; i < len(owed); i += reminderBatch {
		batch := owed[i:min(i+reminderBatch, len(owed))]
		err := s.update(ctx, a, func(tx *store.Tx) error {
			for _, r := range batch {
				if err := tx.InsertReminder(r); err != nil {
					return err
				}
			}
			return tx.Audit("remind", "job", "reminders/"+day.String(), nil,
				map[string]int{"from": i + 1, "to": i + len(batch), "of": len(owed)})
		})
		if err != nil {
			return "", err
		}
	}
	return strconv.Itoa(len(owed)) + " reminders", nil
}

// reminders lists what remind records on day.
func reminders(s *Service, tx *store.Tx, day domain.Date) ([]*domain.Reminder, error) {
	var out []*domain.Reminder
	openActions := func(p domain.Page) ([]*domain.Action, error) {
		return tx.Actions(domain.ActionFilter{OpenOnly: true}, domain.Viewer{All: true}, p)
	}
	for act, err := range domain.Walk(openActions, actionKey) {
		if err != nil {
			return nil, err
		}
		if !act.Due.Before(day) {
			continue
		}
		r := &domain.Reminder{Day: day, Agency: act.Owner, Kind: "action", Ref: strconv.FormatInt(act.ID, 10), Due: act.Due,
			Text: domain.T("اقدام «"+act.Description.In("fa")+"» از "+act.Due.Jalali()+" سررسید گذشته است",
				"action \""+act.Description.In("en")+"\" has been due since "+act.Due.String())}
		out = append(out, r)
	}
	// Reports: every lead agency's overdue periods, as the obligations view
	// counts them.
	for ag, err := range domain.Walk(tx.Agencies, agencyKey) {
		if err != nil {
			return nil, err
		}
		o, err := s.obligationsIn(tx, Actor{Role: RoleAdmin}, ag, day)
		if err != nil {
			return nil, err
		}
		for _, rep := range o.Reports {
			if !rep.Overdue {
				continue
			}
			r := &domain.Reminder{Day: day, Agency: ag.Code, Kind: "report", Ref: rep.Project + "/" + string(rep.Period), Due: rep.Due,
				Text: domain.T("گزارش "+rep.Period.Name("fa")+" پروژه «"+rep.Title.In("fa")+"» از "+jalali.PersianDigits(rep.Due.Jalali())+" سررسید گذشته است",
					"the "+rep.Period.Name("en")+" report on \""+rep.Title.In("en")+"\" has been due since "+rep.Due.String())}
			out = append(out, r)
		}
	}
	return out, nil
}

// Reminders lists the reminders recorded for an agency (all agencies for
// ""), newest first. An agency's focal point sees its own. A reminder is
// about a project's follow-up — a report owed on it, or an action about it
// — and reaches only those who may read that (visibility.go): a report's
// project must be one the reader may see, and an action's projects too,
// unless the reader's agency owns the action.
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
		if out, err = tx.Reminders(agency, 1000); err != nil {
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
