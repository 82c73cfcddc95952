package service

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Background jobs run on every instance's clock, but each run of a job is
// claimed in the database first (store.Tx.ClaimRun): with any number of
// instances on one database, a job runs once per slot, not once per
// instance. The claim and the job's writes share one transaction, so a run
// that fails leaves no claim and is tried again at the next tick.

// Job is a background job.
type Job struct {
	Name string
	// Slot names the period a run covers ("2024-06-10" for a daily job);
	// one run per slot.
	Slot func(now time.Time) string
	Run  func(ctx context.Context, s *Service, tx *store.Tx, now time.Time) (outcome string, err error)
}

// Jobs are the background jobs Pishran runs.
var Jobs = []Job{
	{Name: "reminders", Slot: daily, Run: remind},
}

func daily(now time.Time) string { return domain.DateOf(now).String() }

var errNotMine = errors.New("service: job run claimed elsewhere")

// RunDueJobs runs every job whose current slot no one has claimed yet, and
// returns the names of those this instance ran.
func (s *Service) RunDueJobs(ctx context.Context, instance string, now time.Time) (ran []string, err error) {
	a := Actor{Name: "job:" + instance, Role: RoleAdmin}
	for _, j := range Jobs {
		slot := j.Slot(now)
		err := s.update(ctx, a, func(tx *store.Tx) error {
			mine, err := tx.ClaimRun(j.Name, slot, instance)
			if err != nil {
				return err
			}
			if !mine {
				return errNotMine
			}
			outcome, err := j.Run(ctx, s, tx, now)
			if err != nil {
				return err
			}
			if err := tx.FinishRun(j.Name, slot, outcome); err != nil {
				return err
			}
			return tx.Audit("run", "job", j.Name+"/"+slot, nil, map[string]string{"instance": instance, "outcome": outcome})
		})
		switch {
		case errors.Is(err, errNotMine):
		case err != nil:
			return ran, err
		default:
			ran = append(ran, j.Name)
		}
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
// their due date on the day: what a reminder would say to it.
func remind(ctx context.Context, s *Service, tx *store.Tx, now time.Time) (string, error) {
	day := domain.DateOf(now)
	n := 0
	for after := ""; ; {
		page, err := tx.Actions(store.ActionFilter{OpenOnly: true}, store.Viewer{All: true}, store.Page{After: after, Limit: 1000})
		if err != nil {
			return "", err
		}
		for _, act := range page {
			if !act.Due.Before(day) {
				continue
			}
			r := &store.Reminder{Day: day, Agency: act.Owner, Kind: "action", Ref: strconv.FormatInt(act.ID, 10), Due: act.Due,
				Text: domain.T("اقدام «"+act.Description.In("fa")+"» از "+act.Due.Jalali()+" سررسید گذشته است",
					"action \""+act.Description.In("en")+"\" has been due since "+act.Due.String())}
			if err := tx.InsertReminder(r); err != nil {
				return "", err
			}
			n++
		}
		if len(page) < 1000 {
			break
		}
		after = strconv.FormatInt(page[len(page)-1].ID, 10)
	}
	// Reports: every lead agency's overdue periods, as the obligations view
	// counts them.
	for after := ""; ; {
		agencies, err := tx.Agencies(store.Page{After: after, Limit: 1000})
		if err != nil {
			return "", err
		}
		for _, ag := range agencies {
			o, err := s.obligationsIn(tx, Actor{Role: RoleAdmin}, ag, day)
			if err != nil {
				return "", err
			}
			for _, rep := range o.Reports {
				if !rep.Overdue {
					continue
				}
				r := &store.Reminder{Day: day, Agency: ag.Code, Kind: "report", Ref: rep.Project + "/" + string(rep.Period), Due: rep.Due,
					Text: domain.T("گزارش دوره "+string(rep.Period)+" پروژه «"+rep.Title.In("fa")+"» از "+rep.Due.Jalali()+" سررسید گذشته است",
						"the "+string(rep.Period)+" report on \""+rep.Title.In("en")+"\" has been due since "+rep.Due.String())}
				if err := tx.InsertReminder(r); err != nil {
					return "", err
				}
				n++
			}
		}
		if len(agencies) < 1000 {
			break
		}
		after = agencies[len(agencies)-1].Code
	}
	return strconv.Itoa(n) + " reminders", nil
}

// Reminders lists the reminders recorded for an agency (all agencies for
// ""), newest first. An agency's focal point sees its own.
func (s *Service) Reminders(ctx context.Context, a Actor, agency string) (out []store.Reminder, err error) {
	switch a.Role {
	case RoleAnonymous:
		return nil, domain.Unauthorized()
	case RoleAgency:
		if agency != a.Agency {
			return nil, domain.NotFound("agency", "agency")
		}
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Reminders(agency, 1000); return err })
	if out == nil {
		out = []store.Reminder{}
	}
	return out, err
}
