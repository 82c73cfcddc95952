package service

import (
	"context"
	"encoding/hex"
	"maps"
	"slices"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// The daily audit check (the audit-verify job) does not read the whole
// log again every day (issue 12: half a minute of a core and 370 MB at
// national scale). What the log last recorded of each audited record is
// kept folded in the database (store.Expected) through the head the last
// intact check reached; the next check
//
//   - follows the chain from the newest checkpoint whose signature holds at
//     or before that head (the checkpoint vouches for the chain up to it),
//     holding it against every checkpoint after, and checks that the head
//     it folded through still has the hash it had;
//   - folds only the entries after that head, in memory (a day's writes);
//   - holds every record against those, then the folded table, a chunk of
//     records at a time;
//   - and, when the chain holds, folds those entries into the table.
//
// Everything is read in one snapshot. The first check (no table yet), or
// one after a check whose chain did not hold and that found no checkpoint
// to start from, is a full one and folds the table from the whole log.
// A tamper of the log before the checkpoint, or of the table itself
// together with the record, is for the full check: `pishran audit verify`
// (VerifyAudit), which never trusts the table.

// verifyDaily is the daily audit check: VerifyAudit from the last
// checkpoint the previous check verified (from: its entry; 0 when the
// check was a full one), resting as pace says.
func (s *Service) verifyDaily(ctx context.Context, a Actor, pace *pacer) (r AuditReport, from int64, err error) {
	if err := mustBeAuditor(a); err != nil {
		return r, 0, err
	}
	var (
		d    *dailyFold
		full bool
	)
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r = AuditReport{Problems: []AuditProblem{}}
		since, hash, ok, err := tx.ExpectedHead()
		if err != nil || !ok {
			full = true
			return err
		}
		d = &dailyFold{since: since, sinceHash: hash, over: map[string]map[string]expectation{}, cleared: map[string]int64{}}
		if from, err = chainIn(ctx, tx, &r, pace, since, d.entry); err != nil || from == 0 {
			full = true
			return err
		}
		d.finish(&r)
		rec := Reconciliation{Problems: d.problems}
		for _, kind := range AuditedKinds() {
			if err := d.reconcile(ctx, tx, kind, &rec, pace); err != nil {
				return err
			}
		}
		r.Records = rec.Records
		r.Problems = append(r.Problems, rec.Problems...)
		return nil
	})
	if err != nil {
		return r, 0, err
	}
	if full {
		r, err = s.verifyAudit(ctx, a, pace, true)
		return r, 0, err
	}
	r.Intact = len(r.Problems) == 0
	if chainHolds(r) && r.Head != nil {
		err = s.update(ctx, a, d.advance(r.Head))
	}
	return r, from, err
}

// chainHolds reports whether a report found nothing wrong with the chain
// and the checkpoints (records may differ: the log still says what they
// should be).
func chainHolds(r AuditReport) bool {
	for _, p := range r.Problems {
		if p.What == ProblemChain || p.What == ProblemCheckpoint {
			return false
		}
	}
	return true
}

// dailyFold is what the daily check folds of the entries after the head
// the table is folded through.
type dailyFold struct {
	since     int64
	sinceHash string
	seen      bool                              // the entry since was read
	moved     *domain.AuditEntry                // the entry since, when its hash changed
	over      map[string]map[string]expectation // by kind and record
	cleared   map[string]int64                  // kind → its latest complete seal
	problems  []AuditProblem                    // unreadable seals
}

func (d *dailyFold) entry(e *domain.AuditEntry) {
	if e.ID == d.since {
		d.seen = true
		if e.Hash != d.sinceHash {
			d.moved = e
		}
	}
	if e.ID <= d.since {
		return
	}
	if _, ok := auditedKinds[e.Kind]; !ok {
		return
	}
	m := d.over[e.Kind]
	if m == nil {
		m = map[string]expectation{}
		d.over[e.Kind] = m
	}
	rec := Reconciliation{}
	if foldStep(m, e.Kind, store.AuditStep{ID: e.ID, Action: e.Action, Record: e.Record, After: e.After}, &rec) {
		d.cleared[e.Kind] = e.ID
	}
	d.problems = append(d.problems, rec.Problems...)
}

// finish names a head the table was folded through that the log no
// longer holds as it was.
func (d *dailyFold) finish(r *AuditReport) {
	switch {
	case !d.seen:
		r.Problems = append(r.Problems, AuditProblem{What: ProblemChain, Entry: d.since,
			Message: domain.T("مدخل "+faNum(d.since)+" که بررسی پیشین تا آن رسید نیست", "entry "+itoa64(d.since)+", which the previous check reached, is missing")})
	case d.moved != nil:
		r.Problems = append(r.Problems, AuditProblem{What: ProblemChain, Entry: d.since,
			Message: domain.T("مدخل "+faNum(d.since)+" با آنچه بررسی پیشین دید نمی‌خواند: تاریخچه تا این مدخل بازنویسی شده است",
				"entry "+itoa64(d.since)+" differs from what the previous check saw: the history up to it was rewritten")})
	}
}

// reconcile holds the records of one kind against the entries folded
// after the head, then the table.
func (d *dailyFold) reconcile(ctx context.Context, tx *store.Tx, kind string, r *Reconciliation, pace *pacer) error {
	keys, err := tx.RecordKeys(kind)
	if err != nil {
		return err
	}
	over, cleared := d.over[kind], d.cleared[kind] > 0
	lookup := func(chunk []string) (map[string]expectation, error) {
		want := map[string]expectation{}
		if !cleared {
			rows, err := tx.ExpectedOf(kind, chunk)
			if err != nil {
				return nil, err
			}
			for key, e := range rows {
				want[key] = fromStored(e)
			}
		}
		for _, key := range chunk {
			if e, ok := over[key]; ok {
				want[key] = e
			}
		}
		return want, nil
	}
	if err := compareKind(ctx, tx, kind, keys, lookup, r, pace); err != nil {
		return err
	}
	gone := map[string]int64{}
	if !cleared {
		err = tx.EachExpected(kind, func(e store.Expected) error {
			if _, ok := over[e.Record]; !ok && e.Flags&store.ExpectDeleted == 0 && !sortedHas(keys, e.Record) {
				gone[e.Record] = e.Entry
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for key, e := range over {
		if !e.deleted && !sortedHas(keys, key) {
			gone[key] = e.entry
		}
	}
	for _, key := range slices.Sorted(maps.Keys(gone)) {
		r.Problems = append(r.Problems, goneProblem(kind, key, gone[key]))
	}
	return nil
}

// advance folds the entries read into the table, through head, unless
// another check moved the table meanwhile.
func (d *dailyFold) advance(head *AuditHead) func(tx *store.Tx) error {
	return func(tx *store.Tx) error {
		since, hash, ok, err := tx.ExpectedHead()
		if err != nil || !ok || since != d.since || hash != d.sinceHash {
			return err
		}
		n := 0
		for _, kind := range AuditedKinds() {
			if at := d.cleared[kind]; at > 0 {
				if err := tx.DropExpectedBefore(kind, at); err != nil {
					return err
				}
			}
			for key, e := range d.over[kind] {
				n++
				if err := tx.PutExpected(toStored(kind, key, e)); err != nil {
					return err
				}
			}
		}
		return foldedThrough(tx, head.Entry, head.Hash, n)
	}
}

// foldedThrough records that the table is folded through entry, and
// audits it.
func foldedThrough(tx *store.Tx, entry int64, hash string, records int) error {
	if err := tx.SetExpectedHead(entry, hash); err != nil {
		return err
	}
	return tx.Audit("fold", "audit", "expected", nil, map[string]any{"through": entry, "records": records})
}

// keepExpected is the full check's keep: each kind's expectations,
// folded from the whole log, replace the table's.
func (s *Service) keepExpected(ctx context.Context, a Actor) func(kind string, want map[string]expectation) error {
	return func(kind string, want map[string]expectation) error {
		rows := make([]store.Expected, 0, len(want))
		for _, key := range slices.Sorted(maps.Keys(want)) {
			rows = append(rows, toStored(kind, key, want[key]))
		}
		return s.update(ctx, a, func(tx *store.Tx) error {
			if err := tx.ReplaceExpected(kind, rows); err != nil {
				return err
			}
			return tx.Audit("fold", "audit", "expected/"+kind, nil, map[string]any{"records": len(rows)})
		})
	}
}

func toStored(kind, key string, e expectation) store.Expected {
	x := store.Expected{Kind: kind, Record: key, Entry: e.entry}
	switch {
	case e.deleted:
		x.Flags = store.ExpectDeleted
	case e.invalid:
		x.Flags = store.ExpectInvalid
	default:
		x.Digest = hex.EncodeToString(e.digest[:])
	}
	if e.sealed {
		x.Flags |= store.ExpectSealed
	}
	return x
}

func fromStored(x store.Expected) expectation {
	e := expectation{entry: x.Entry, deleted: x.Flags&store.ExpectDeleted != 0, sealed: x.Flags&store.ExpectSealed != 0,
		invalid: x.Flags&store.ExpectInvalid != 0}
	if !e.deleted && !e.invalid {
		if b, err := hex.DecodeString(x.Digest); err != nil || len(b) != 32 {
			e.invalid = true
		} else {
			copy(e.digest[:], b)
		}
	}
	return e
}
