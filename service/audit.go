package service

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// AuditHistory returns every audit entry of one record: who changed it,
// when, from where, and from what to what. It is for those who run the
// registry; the public sees records, not their edit history.
func (s *Service) AuditHistory(ctx context.Context, a Actor, kind, key string) (out []*domain.AuditEntry, err error) {
	if a.Role != RoleAdmin && a.Role != RoleSecretariat {
		if a.Role == RoleAnonymous {
			return nil, domain.Unauthorized()
		}
		return nil, domain.Forbidden("تاریخچه ویرایش‌ها برای دبیرخانه و مدیر است", "the edit history is for the secretariat and admins")
	}
	if kind == "" {
		return nil, domain.Invalid("kind", "نوع رکورد لازم است", "the record kind is required")
	}
	if key == "" {
		return nil, domain.Invalid("record", "شناسه رکورد لازم است", "the record key is required")
	}
	err = s.db.View(ctx, func(tx *store.Tx) error { out, err = tx.History(kind, key); return err })
	if out == nil {
		out = []*domain.AuditEntry{}
	}
	return out, err
}

// ProjectAuditHistory returns the audit entries of a project's own record
// and of the follow-up records kept under it (its milestones, indicators,
// ratings and baselines), oldest first. Like AuditHistory, it is for the
// secretariat and admins.
func (s *Service) ProjectAuditHistory(ctx context.Context, a Actor, slug string) (out []*domain.AuditEntry, err error) {
	if out, err = s.AuditHistory(ctx, a, "project", slug); err != nil {
		return nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		for _, kind := range []string{"milestone", "kpi", "rating", "baseline"} {
			more, err := tx.HistoryUnder(kind, slug+"/")
			if err != nil {
				return err
			}
			out = append(out, more...)
		}
		return nil
	})
	slices.SortFunc(out, func(x, y *domain.AuditEntry) int { return cmp.Compare(x.ID, y.ID) })
	return out, err
}

// mustBeAuditor: checking, exporting and anchoring the audit log is an
// admin's.
func mustBeAuditor(a Actor) error {
	switch a.Role {
	case RoleAdmin:
		return nil
	case RoleAnonymous:
		return domain.Unauthorized()
	}
	return domain.Forbidden("بررسی زنجیره ممیزی با مدیر است", "only an admin may verify the audit chain")
}

// AuditReport is the outcome of checking the audit log: its hash chain, the
// chain against every signed checkpoint, the published documents, and the
// records against the states the log last recorded for them.
type AuditReport struct {
	Checked int64              `json:"checked"` // entries
	Intact  bool               `json:"intact"`
	Head    *AuditHead         `json:"head,omitempty"`
	Broken  *domain.ChainBreak `json:"broken,omitempty"` // the first entry where the chain itself breaks
	// Checkpoints counts the checkpoints the chain was checked against
	// (those kept on their own and those inside documents).
	Checkpoints int `json:"checkpoints"`
	// Documents counts the published documents checked; Records the
	// records reconciled with the log (both zero offline).
	Documents int `json:"documents"`
	Records   int `json:"records"`
	// Problems lists everything that does not hold, each in both
	// languages; empty when Intact.
	Problems []AuditProblem `json:"problems"`
	// Offline is set when the check ran over an exported log: the records
	// and documents were not at hand.
	Offline bool `json:"offline,omitempty"`
}

// AuditHead is the newest entry of the chain.
type AuditHead struct {
	Entry int64     `json:"entry"`
	Hash  string    `json:"hash"`
	At    time.Time `json:"at"`
}

// What an audit problem is about.
const (
	ProblemChain      = "chain"      // the hash chain itself breaks
	ProblemCheckpoint = "checkpoint" // the chain disagrees with a checkpoint, or a checkpoint is forged
	ProblemDocument   = "document"   // a published document no longer verifies
	ProblemRecord     = "record"     // a record differs from the state the log last recorded
)

// AuditProblem is one thing `audit verify` found wrong.
type AuditProblem struct {
	What    string      `json:"what"`
	Entry   int64       `json:"entry,omitempty"`  // the audit entry concerned
	Kind    string      `json:"kind,omitempty"`   // record problems: the record's kind
	Record  string      `json:"record,omitempty"` // and key
	Fields  []string    `json:"fields,omitempty"` // the fields that differ, where known
	Message domain.Text `json:"message"`
}

// VerifyAudit checks the audit log as it is in the database: its hash
// chain; the chain against every signed checkpoint, so a dropped tail or a
// history rewritten with its hashes recomputed is named; every published
// document against its signature; and every audited record against the
// state the log last recorded for it, so a row changed behind Pishran's
// back is named. It is an admin's. It reads the whole log; the daily job
// reads only what follows the last checkpoint it verified (verifyDaily).
func (s *Service) VerifyAudit(ctx context.Context, a Actor) (r AuditReport, err error) {
	return s.verifyAudit(ctx, a, nil, false)
}

// verifyAudit is VerifyAudit, resting as pace says every few thousand
// entries or records (nil: no rest, as `pishran audit verify` runs): a
// full check reads the whole log and every audited record — half a minute
// of a core at national scale — and must leave the readers of the moment
// the machine. With fold, it also folds the table the daily check starts
// from (service/reconcile_daily.go), when the chain holds.
func (s *Service) verifyAudit(ctx context.Context, a Actor, pace *pacer, fold bool) (r AuditReport, err error) {
	if err := mustBeAuditor(a); err != nil {
		return r, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		r = AuditReport{Problems: []AuditProblem{}}
		_, err := chainIn(ctx, tx, &r, pace, 0, nil)
		return err
	})
	if err != nil {
		return r, err
	}
	var keep func(string, map[string]expectation) error
	if fold = fold && chainHolds(r) && r.Head != nil; fold {
		if err := s.update(ctx, a, func(tx *store.Tx) error {
			if err := tx.DropExpectedHead(); err != nil {
				return err
			}
			return tx.Audit("unfold", "audit", "expected", nil, map[string]any{"full": r.Head.Entry})
		}); err != nil {
			return r, err
		}
		keep = s.keepExpected(ctx, a)
	}
	rec, err := s.reconcile(ctx, a, pace, keep)
	if err != nil {
		return r, err
	}
	if fold {
		// Each kind was folded from a snapshot at or after the head: the
		// next check folds the entries after it again, which changes
		// nothing already folded (store.Tx.PutExpected).
		if err := s.update(ctx, a, func(tx *store.Tx) error { return foldedThrough(tx, r.Head.Entry, r.Head.Hash, rec.Records) }); err != nil {
			return r, err
		}
	}
	r.Records = rec.Records
	r.Problems = append(r.Problems, rec.Problems...)
	r.Intact = len(r.Problems) == 0
	return r, nil
}

// chainIn checks, in tx, the documents, the checkpoints, and the chain
// from the newest checkpoint whose signature holds at or before the entry
// since (0: the whole chain, from the start), holding it against every
// checkpoint; each entry read is also given to each (nil: none). It
// returns the entry it started from: 0 for the start, and when since > 0
// but no checkpoint vouches for an entry up to it.
func chainIn(ctx context.Context, tx *store.Tx, r *AuditReport, pace *pacer, since int64, each func(*domain.AuditEntry)) (from int64, err error) {
	ks, err := tx.SigningKeys()
	if err != nil {
		return 0, err
	}
	keys := make([]signing.PublicKey, 0, len(ks))
	byID := map[string]*store.SigningKey{}
	for _, k := range ks {
		keys = append(keys, signing.NewPublicKey(k.Public, k.CreatedAt, k.RetiredAt))
		byID[k.KeyID] = k
	}
	var cps []signing.SignedCheckpoint
	if err := tx.EachCheckpoint(func(c signing.SignedCheckpoint) error { cps = append(cps, c); return nil }); err != nil {
		return 0, err
	}
	// The documents first: an intact document's checkpoint is signed
	// with it, and anchors the log too.
	var signed []signing.SignedCheckpoint
	err = tx.EachSignedDocument(func(d *store.SignedDocument) error {
		r.Documents++
		v := verifyRow(d, byID[d.KeyID])
		if !v.Intact {
			for _, p := range v.Problems {
				r.Problems = append(r.Problems, AuditProblem{What: ProblemDocument, Kind: d.Kind, Record: d.Code,
					Message: domain.T("سند "+d.Code+" ("+d.Ref+"): "+p.FA, "document "+d.Code+" ("+d.Ref+"): "+p.EN)})
			}
			return nil
		}
		if d.Checkpoint != nil {
			signed = append(signed, signing.SignedCheckpoint{Checkpoint: *d.Checkpoint, Source: CheckpointDocument,
				Document: d.Code, KeyID: d.KeyID})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	c := newChainCheck(cps, keys)
	c.trust(signed)
	if since > 0 {
		for id := range c.at {
			if id <= since && id > from {
				from = id
			}
		}
		if from == 0 {
			return 0, nil
		}
		// The checkpoint vouches for its entry's hash, and so for the
		// link the entry names: the chain is followed from there.
		e, err := tx.AuditEntry(from)
		if err != nil {
			return 0, err
		}
		prev := ""
		if e != nil {
			prev = e.PrevHash
		}
		c.chain.After(from-1, prev)
	}
	err = tx.EachAudit(max(from-1, 0), func(e *domain.AuditEntry) error {
		c.entry(e)
		if each != nil {
			each(e)
		}
		return pace.step(ctx)
	})
	if err != nil {
		return 0, err
	}
	c.finish(r)
	return from, nil
}

// VerifyAuditExport checks an exported audit log (`pishran audit export`:
// one entry a line) against exported checkpoints and the published keys,
// with no database: the chain, and the chain against every checkpoint
// whose signature holds. A log that cannot be read is an error.
func VerifyAuditExport(log io.Reader, checkpoints []signing.SignedCheckpoint, keys []signing.PublicKey) (r AuditReport, err error) {
	r.Problems, r.Offline = []AuditProblem{}, true
	c := newChainCheck(checkpoints, keys)
	sc := bufio.NewScanner(log)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l domain.AuditLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return r, fmt.Errorf("line %d: not an audit entry: %w", n, err)
		}
		e, err := l.Entry()
		if err != nil {
			return r, fmt.Errorf("line %d: %w", n, err)
		}
		c.entry(e)
	}
	if err := sc.Err(); err != nil {
		return r, err
	}
	c.finish(&r)
	r.Intact = len(r.Problems) == 0
	return r, nil
}

// chainCheck follows the hash chain and holds it against checkpoints.
type chainCheck struct {
	chain store.ChainCheck
	at    map[int64][]*signing.SignedCheckpoint // valid checkpoints by the entry they name
	valid int
	bad   []AuditProblem // forged or unverifiable checkpoints
	head  *domain.AuditEntry
	// lastGood is the newest checkpoint the chain matched before the
	// first one it did not (firstBad).
	lastGood, firstBad *signing.SignedCheckpoint
	firstBadHash       string
	mismatches         int
}

func newChainCheck(cps []signing.SignedCheckpoint, keys []signing.PublicKey) *chainCheck {
	c := &chainCheck{at: map[int64][]*signing.SignedCheckpoint{}}
	for i := range cps {
		cp := &cps[i]
		if why := signing.VerifyCheckpoint(cp, keys); why != nil {
			name := checkpointName(cp)
			c.bad = append(c.bad, AuditProblem{What: ProblemCheckpoint, Entry: cp.Entry,
				Message: domain.T(name.FA+" پذیرفته نیست: "+why.FA, name.EN+" is not valid: "+why.EN)})
			continue
		}
		c.valid++
		c.at[cp.Entry] = append(c.at[cp.Entry], cp)
	}
	return c
}

// trust adds checkpoints whose signatures were checked elsewhere: those
// inside intact documents, covered by the documents' signatures.
func (c *chainCheck) trust(cps []signing.SignedCheckpoint) {
	for i := range cps {
		c.valid++
		c.at[cps[i].Entry] = append(c.at[cps[i].Entry], &cps[i])
	}
}

func (c *chainCheck) entry(e *domain.AuditEntry) {
	c.chain.Next(e)
	c.head = e
	for _, cp := range c.at[e.ID] {
		if cp.Hash == e.Hash {
			if c.firstBad == nil {
				c.lastGood = cp
			}
			continue
		}
		c.mismatches++
		if c.firstBad == nil {
			c.firstBad, c.firstBadHash = cp, e.Hash
		}
	}
}

func (c *chainCheck) finish(r *AuditReport) {
	r.Checked, r.Broken, r.Checkpoints = c.chain.Checked, c.chain.Broken, c.valid
	if c.head != nil {
		r.Head = &AuditHead{Entry: c.head.ID, Hash: c.head.Hash, At: c.head.At}
	}
	if b := c.chain.Broken; b != nil {
		r.Problems = append(r.Problems, AuditProblem{What: ProblemChain, Entry: b.ID,
			Message: domain.T("زنجیره در مدخل "+faNum(b.ID)+" شکسته است: "+chainReasonFA(b.Reason),
				"the chain breaks at entry "+itoa64(b.ID)+": "+b.Reason)})
	}
	if cp := c.firstBad; cp != nil {
		name := checkpointName(cp)
		since := domain.T("از آغاز", "from the start")
		if c.lastGood != nil {
			since = domain.T("پس از مدخل "+faNum(c.lastGood.Entry), "after entry "+itoa64(c.lastGood.Entry))
		}
		more := domain.T("", "")
		if c.mismatches > 1 {
			more = domain.T(" (و "+faNum(int64(c.mismatches-1))+" نقطه وارسی دیگر)", " (and "+strconv.Itoa(c.mismatches-1)+" more checkpoints)")
		}
		r.Problems = append(r.Problems, AuditProblem{What: ProblemCheckpoint, Entry: cp.Entry,
			Message: domain.T("مدخل "+faNum(cp.Entry)+" با "+name.FA+" نمی‌خواند"+more.FA+": تاریخچه "+since.FA+" تا این مدخل بازنویسی شده است",
				"entry "+itoa64(cp.Entry)+" differs from "+name.EN+more.EN+": the history "+since.EN+" up to it was rewritten")})
	}
	// Checkpoints naming entries the log no longer has: its tail is gone.
	var last int64
	if c.head != nil {
		last = c.head.ID
	}
	var beyond *signing.SignedCheckpoint
	n := 0
	for id, cps := range c.at {
		if id <= last {
			continue
		}
		n += len(cps)
		for _, cp := range cps {
			if beyond == nil || cp.Entry > beyond.Entry || (cp.Entry == beyond.Entry && cp.ID > beyond.ID) {
				beyond = cp
			}
		}
	}
	if beyond != nil {
		name := checkpointName(beyond)
		r.Problems = append(r.Problems, AuditProblem{What: ProblemCheckpoint, Entry: last + 1,
			Message: domain.T("مدخل‌های پس از "+faNum(last)+" نیستند: "+name.FA+" مدخل "+faNum(beyond.Entry)+" را نام می‌برد ("+
				faNum(int64(n))+" نقطه وارسی فراتر از سر زنجیره)",
				"entries after "+itoa64(last)+" missing: "+name.EN+" names entry "+itoa64(beyond.Entry)+" ("+
					strconv.Itoa(n)+" checkpoints beyond the chain's head)")})
	}
	r.Problems = append(r.Problems, c.bad...)
}

func chainReasonFA(reason string) string {
	switch {
	case len(reason) >= 13 && reason[:13] == "entry missing":
		return "مدخلی حذف شده است"
	case len(reason) >= 11 && reason[:11] == "link broken":
		return "پیوند به مدخل پیشین نمی‌خواند"
	}
	return "محتوای مدخل با چکیده‌اش نمی‌خواند"
}

// faNum writes a number with Persian digits, for the Persian half of a
// message.
func faNum(n int64) string { return jalali.PersianDigits(strconv.FormatInt(n, 10)) }
