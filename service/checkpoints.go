package service

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// Checkpoints anchor the audit log outside itself: the chain's head (an
// entry's number and hash) signed with the instance's key, every day (the
// audit-checkpoint job) and inside every published document. They are
// public, so whoever keeps a copy can later show that the log was cut
// short or rewritten; `pishran audit verify` checks the log against every
// one of them.

// Checkpoint sources.
const (
	CheckpointDaily    = "daily"
	CheckpointManual   = "manual"
	CheckpointDocument = "document"
)

// takeCheckpoint signs the audit chain's head as the transaction sees it
// and stores the checkpoint. document is the verification code of the
// document that carries it, for CheckpointDocument. It returns nil when the
// log is still empty: there is nothing to anchor.
func takeCheckpoint(tx *store.Tx, source, document string) (*signing.SignedCheckpoint, error) {
	head, err := tx.AuditHead()
	if err != nil || head == nil {
		return nil, err
	}
	key, err := tx.CurrentSigningKey()
	if err != nil {
		return nil, err
	}
	if key == nil {
		if key, err = newSigningKey(tx); err != nil {
			return nil, err
		}
		// The key's own audit entry is the head now.
		if head, err = tx.AuditHead(); err != nil {
			return nil, err
		}
	}
	sc, err := signing.SignCheckpoint(key.Private, signing.Checkpoint{Entry: head.ID, Hash: head.Hash, At: signing.Stamp(tx.Now())})
	if err != nil {
		return nil, err
	}
	sc.Source, sc.Document = source, document
	return sc, tx.InsertCheckpoint(sc)
}

// TakeCheckpoint signs the audit chain's head now (an admin's, or the
// console's: before a backup, say). The checkpoint's own audit entry
// follows it in the log.
func (s *Service) TakeCheckpoint(ctx context.Context, a Actor) (sc *signing.SignedCheckpoint, err error) {
	if err := mustBeAuditor(a); err != nil {
		return nil, err
	}
	return sc, s.update(ctx, a, func(tx *store.Tx) error {
		sc, err = checkpointTx(tx, CheckpointManual)
		return err
	})
}

// checkpointTx takes a checkpoint and records it in the log.
func checkpointTx(tx *store.Tx, source string) (*signing.SignedCheckpoint, error) {
	sc, err := takeCheckpoint(tx, source, "")
	if err != nil || sc == nil {
		return sc, err
	}
	return sc, tx.Audit("checkpoint", "audit", "checkpoint/"+strconv.FormatInt(sc.ID, 10), nil,
		map[string]any{"entry": sc.Entry, "hash": sc.Hash, "at": sc.At, "key_id": sc.KeyID, "source": sc.Source})
}

// dailyCheckpoint is the audit-checkpoint job: one signed checkpoint a day.
func dailyCheckpoint(ctx context.Context, s *Service, a Actor, now time.Time) (string, error) {
	var sc *signing.SignedCheckpoint
	err := s.update(ctx, a, func(tx *store.Tx) (err error) {
		sc, err = checkpointTx(tx, CheckpointDaily)
		return err
	})
	if err != nil || sc == nil {
		return "no audit entries yet", err
	}
	return "checkpoint " + strconv.FormatInt(sc.ID, 10) + " at entry " + strconv.FormatInt(sc.Entry, 10), nil
}

// Checkpoints lists the signed checkpoints, oldest first. They are public:
// they are what lets anyone hold the operator to the log.
func (s *Service) Checkpoints(ctx context.Context, p domain.Page) (out []signing.SignedCheckpoint, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.Checkpoints(p); return err })
	return out, err
}

// ExportAudit calls fn with every audit entry, oldest first, read from one
// snapshot: what `pishran audit export` writes. It is an admin's.
func (s *Service) ExportAudit(ctx context.Context, a Actor, fn func(*domain.AuditEntry) error) error {
	if err := mustBeAuditor(a); err != nil {
		return err
	}
	return s.db.View(ctx, func(tx *store.Tx) error { return tx.EachAudit(0, fn) })
}

// AllCheckpoints returns every checkpoint, oldest first.
func (s *Service) AllCheckpoints(ctx context.Context) ([]signing.SignedCheckpoint, error) {
	out := []signing.SignedCheckpoint{}
	err := s.db.View(ctx, func(tx *store.Tx) error {
		return tx.EachCheckpoint(func(c signing.SignedCheckpoint) error { out = append(out, c); return nil })
	})
	return out, err
}

// checkpointName names a checkpoint in a message: when it was taken, and
// why.
func checkpointName(c *signing.SignedCheckpoint) domain.Text {
	t := c.Time()
	fa := "نقطه وارسی " + jalali.PersianDigits(domain.DateOf(t).Jalali()+" ("+t.Format("15:04")) + " به وقت جهانی"
	en := "the checkpoint of " + c.At + " ("
	switch c.Source {
	case CheckpointDocument:
		fa += "، در سند " + c.Document
		en += "in document " + c.Document
	case CheckpointDaily:
		fa += "، روزانه"
		en += "daily"
	default:
		fa += "، " + c.Source
		en += c.Source
	}
	if c.ID > 0 {
		fa += "، شماره " + faNum(c.ID)
		en += ", #" + strconv.FormatInt(c.ID, 10)
	}
	return domain.T(fa+")", en+")")
}

// JobAuditVerify is the daily job that runs VerifyAudit; its latest
// outcome is what the staff dashboard warns about.
const JobAuditVerify = "audit-verify"

// auditOutcome is what the audit-verify job records as its outcome.
type auditOutcome struct {
	Intact   bool           `json:"intact"`
	Checked  int64          `json:"checked"`
	From     int64          `json:"from,omitempty"` // the checkpoint's entry the chain was checked from
	Records  int            `json:"records"`
	Count    int            `json:"count"`              // problems in all
	Problems []AuditProblem `json:"problems,omitempty"` // the first of them
}

// maxOutcomeProblems bounds the problems a job run keeps: the rest are a
// `pishran audit verify` away.
const maxOutcomeProblems = 20

// dailyAuditVerify is the audit-verify job. Finding problems is a run that
// succeeded: its outcome says what was found, and the dashboard shows it.
func dailyAuditVerify(ctx context.Context, s *Service, a Actor, now time.Time) (string, error) {
	r, from, err := s.verifyDaily(ctx, a, s.newPacer())
	if err != nil {
		return "", err
	}
	o := auditOutcome{Intact: r.Intact, Checked: r.Checked, From: from, Records: r.Records, Count: len(r.Problems)}
	o.Problems = r.Problems[:min(len(r.Problems), maxOutcomeProblems)]
	if !r.Intact {
		s.log.Error("audit verify: NOT INTACT", "problems", len(r.Problems), "first", r.Problems[0].Message.EN)
	}
	b, err := json.Marshal(o)
	return string(b), err
}

// AuditAlarm is what the staff dashboard shows when the latest daily audit
// check found problems.
type AuditAlarm struct {
	Day      string         // the run's day
	Count    int            // problems found
	Problems []AuditProblem // the first of them
}

// AuditAlarm returns the latest daily audit check's findings when it found
// problems; nil when it found none or has not run. For admins and the
// secretariat; nil for everyone else.
func (s *Service) AuditAlarm(ctx context.Context, a Actor) (*AuditAlarm, error) {
	if a.Role != RoleAdmin && a.Role != RoleSecretariat {
		return nil, nil
	}
	var runs []store.JobRun
	if err := s.db.View(ctx, func(tx *store.Tx) (err error) { runs, err = tx.JobRuns(JobAuditVerify, 5); return err }); err != nil {
		return nil, err
	}
	for _, run := range runs {
		if run.Outcome == "" {
			continue // claimed, not finished
		}
		var o auditOutcome
		if err := json.Unmarshal([]byte(run.Outcome), &o); err != nil {
			return &AuditAlarm{Day: run.Slot, Count: 1, Problems: []AuditProblem{{What: ProblemChain,
				Message: domain.T("نتیجه بررسی روزانه خوانا نیست", "the daily check's outcome is unreadable")}}}, nil
		}
		if o.Intact {
			return nil, nil
		}
		return &AuditAlarm{Day: run.Slot, Count: o.Count, Problems: o.Problems}, nil
	}
	return nil, nil
}
