package service

import (
	"context"
	"errors"
	"time"

	"github.com/pishran/pishran/domain"
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

// JobLease is how long a claimed run may stay unfinished before another
// claimant takes it over: far longer than a national run takes. The
// day's first runs at 10,000 projects took 11m34s in all on PostgreSQL
// and 3m56s on SQLite at the default duty, on an idle 2-core machine
// (bench/load, 2026-12-08); a busy machine stretches them, since a job
// rests in proportion to its steps' wall time. A run whose instance died
// is taken over within the hour, which a daily job can wait.
const JobLease = time.Hour

// Jobs are the background jobs Pishran runs.
var Jobs = []Job{
	{Name: "reminders", Slot: daily, Run: remind},
	{Name: "audit-checkpoint", Slot: daily, Run: dailyCheckpoint},
	{Name: JobAuditVerify, Slot: daily, Run: dailyAuditVerify},
	{Name: "notices", Slot: daily, Run: dailyNotices},
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
			mine, err := tx.ClaimRun(j.Name, slot, instance, JobLease)
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

// DefaultJobDuty is the share of the time a background job works: after
// each step it rests for as long again as the step took, times
// (1-duty)/duty (serve --job-duty sets it). A job is not urgent; the
// readers of the moment are. At 0.25, random project pages kept 79% of
// their throughput while the day's first jobs ran at 10,000 projects on 2
// cores; at 0.15, 91% (and the home page 90% → 97%), the jobs taking 3m32s
// instead of 1m58s on an idle machine (bench/load -routes '^$', issue 12).
const DefaultJobDuty = 0.15

// SetJobDuty sets the share of the time background jobs work, between 0
// (exclusive) and 1 (no rest); it is set when the service starts.
func (s *Service) SetJobDuty(duty float64) {
	if duty > 0 && duty <= 1 {
		s.jobDuty = duty
	}
}

// pacer spreads a job's steps out: each step's working time is followed
// by a rest, so that the job takes about duty of a core however large the
// registry.
type pacer struct {
	duty  float64
	start time.Time
	rest  time.Duration
	n     int // calls of step since the last rest
}

// paceEvery is how many calls of step make one step of a long read (an
// entry of the audit log, a record compared): a few milliseconds of work.
const paceEvery = 500

func (s *Service) newPacer() *pacer {
	d := s.jobDuty
	if d == 0 {
		d = DefaultJobDuty
	}
	return &pacer{duty: d}
}

// wait rests as the steps so far earned (once it adds up to a
// millisecond), then starts timing the next.
func (p *pacer) wait(ctx context.Context) error {
	if p.rest > time.Millisecond {
		t := time.NewTimer(p.rest)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		p.rest = 0
	}
	p.start = time.Now()
	return nil
}

// step counts one item of a long read, and every paceEvery items ends
// the step (worked) and rests as it earned (wait). A nil pacer never
// rests.
func (p *pacer) step(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if p.start.IsZero() {
		p.start = time.Now()
	}
	if p.n++; p.n < paceEvery {
		return nil
	}
	p.n = 0
	p.worked()
	return p.wait(ctx)
}

// worked ends a step's timing.
func (p *pacer) worked() {
	if p.duty < 1 && !p.start.IsZero() {
		p.rest += time.Duration(float64(time.Since(p.start)) * (1 - p.duty) / p.duty)
	}
}
