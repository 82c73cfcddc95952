package service

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Reconciliation holds the records against the audit log: for every
// audited record, the state the log last recorded for it (the after of its
// last entry, or its digest in a seal) must be the state the store holds
// now. A row changed, added or deleted behind Pishran's back — with the
// database's password, not through Pishran — is named, with the fields
// that differ where the log holds the state to compare with.

// Reconciliation is what Reconcile found.
type Reconciliation struct {
	Records  int            `json:"records"` // records compared
	Problems []AuditProblem `json:"problems"`
}

// actionSeal is the action of a seal entry: the digests of many records'
// states at once, written by a bulk load (and once as the baseline of a
// log that predates reconciliation) instead of one entry per record.
const actionSeal = "seal"

// seal is a seal entry's after.
type seal struct {
	// Complete says the seal lists every record of its kind there was:
	// what the log said of records before it no longer counts.
	Complete bool              `json:"complete"`
	Reason   string            `json:"reason"`
	Digests  map[string]string `json:"digests"` // key → hex SHA-256 of the state's normal JSON
}

// sealChunk is how many records one seal entry lists.
const sealChunk = 5000

// expectation is what the log says a record should be.
type expectation struct {
	entry   int64
	digest  [32]byte
	deleted bool // the last entry deleted it
	sealed  bool // the state is known by its digest only
	invalid bool // the entry's after is not JSON
}

// Reconcile compares every audited record with the state the audit log
// last recorded for it, one kind at a time (each read from one snapshot).
// It is an admin's.
func (s *Service) Reconcile(ctx context.Context, a Actor) (r Reconciliation, err error) {
	return s.reconcile(ctx, a, nil, nil)
}

// reconcile is Reconcile, resting as pace says (nil: never). keep, when
// not nil, is given each kind's expectations as folded from the whole log
// (the daily check keeps them: service/reconcile_daily.go).
func (s *Service) reconcile(ctx context.Context, a Actor, pace *pacer, keep func(kind string, want map[string]expectation) error) (r Reconciliation, err error) {
	if err := mustBeAuditor(a); err != nil {
		return r, err
	}
	r.Problems = []AuditProblem{}
	for _, kind := range AuditedKinds() {
		var want map[string]expectation
		if err := s.db.View(ctx, func(tx *store.Tx) (err error) {
			want, err = reconcileKind(ctx, tx, kind, &r, pace)
			return err
		}); err != nil {
			return r, err
		}
		if keep != nil {
			if err := keep(kind, want); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

type mismatch struct {
	key  string
	exp  expectation
	have []byte
}

// reconcileKind folds the whole log of one kind into what it expects of
// each record, then holds the records against it.
func reconcileKind(ctx context.Context, tx *store.Tx, kind string, r *Reconciliation, pace *pacer) (map[string]expectation, error) {
	want := map[string]expectation{}
	err := tx.EachAuditOf(kind, func(st store.AuditStep) error {
		if err := pace.step(ctx); err != nil {
			return err
		}
		foldStep(want, kind, st, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	keys, err := tx.RecordKeys(kind)
	if err != nil {
		return nil, err
	}
	err = compareKind(ctx, tx, kind, keys, func([]string) (map[string]expectation, error) { return want, nil }, r, pace)
	if err != nil {
		return nil, err
	}
	var gone []string
	for key, exp := range want {
		if !exp.deleted && !sortedHas(keys, key) {
			gone = append(gone, key)
		}
	}
	slices.Sort(gone)
	for _, key := range gone {
		r.Problems = append(r.Problems, goneProblem(kind, key, want[key].entry))
	}
	return want, nil
}

// foldStep folds one audit entry of the kind into want, and reports a
// complete seal: what the log said of the kind before it no longer counts.
func foldStep(want map[string]expectation, kind string, st store.AuditStep, r *Reconciliation) (complete bool) {
	switch {
	case slices.Contains(auditedKinds[kind].events, st.Action):
	case st.Action == actionSeal:
		var sl seal
		if err := json.Unmarshal(st.After, &sl); err != nil {
			r.Problems = append(r.Problems, AuditProblem{What: ProblemRecord, Entry: st.ID, Kind: kind,
				Message: domain.T("مهر مدخل "+faNum(st.ID)+" خوانا نیست", "the seal of entry "+itoa64(st.ID)+" is unreadable")})
			return false
		}
		if sl.Complete {
			clear(want)
			complete = true
		}
		for key, h := range sl.Digests {
			e := expectation{entry: st.ID, sealed: true}
			if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
				e.invalid = true
			} else {
				copy(e.digest[:], b)
			}
			want[key] = e
		}
		return complete
	case st.After == nil:
		want[st.Record] = expectation{entry: st.ID, deleted: true}
	default:
		want[st.Record] = expectation{entry: st.ID, digest: stateDigest(st.After)}
	}
	return false
}

// sortedHas reports whether the sorted keys hold key.
func sortedHas(keys []string, key string) bool {
	_, ok := slices.BinarySearch(keys, key)
	return ok
}

// compareChunk is how many records compareKind holds against their
// expectations at a time.
const compareChunk = 1000

// compareKind holds the records of a kind (keys, sorted), a chunk at a
// time, against what lookup says the log expects of them, and names in r
// those that differ, have no entry, or were deleted by one. Those the log
// expects and that are gone are the caller's to name.
func compareKind(ctx context.Context, tx *store.Tx, kind string, keys []string, lookup func(chunk []string) (map[string]expectation, error),
	r *Reconciliation, pace *pacer) error {
	for i := 0; i < len(keys); i += compareChunk {
		chunk := keys[i:min(i+compareChunk, len(keys))]
		want, err := lookup(chunk)
		if err != nil {
			return err
		}
		var differ []mismatch
		err = eachState(tx, kind, chunk, func(key string, st any) error {
			if err := pace.step(ctx); err != nil {
				return err
			}
			raw, err := json.Marshal(st)
			if err != nil {
				return err
			}
			r.Records++
			exp, ok := want[key]
			switch {
			case !ok:
				r.Problems = append(r.Problems, recordProblem(kind, key, 0, nil,
					"در سیاههٔ ممیزی نیست: بیرون از پیشران نوشته شده است", "has no audit entry: it was written behind Pishran's back"))
			case exp.deleted:
				r.Problems = append(r.Problems, recordProblem(kind, key, exp.entry, nil,
					"هست، هرچند مدخل "+faNum(exp.entry)+" حذف آن را ثبت کرده است: بیرون از پیشران بازگردانده شده است",
					"exists, though entry "+itoa64(exp.entry)+" recorded its deletion: it was put back behind Pishran's back"))
			case exp.invalid || exp.digest != stateDigest(raw):
				differ = append(differ, mismatch{key: key, exp: exp, have: raw})
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Which fields differ: read once the chunk's states are (one query
		// at a time on a transaction).
		for _, m := range differ {
			p, err := differProblem(tx, kind, m)
			if err != nil {
				return err
			}
			r.Problems = append(r.Problems, p)
		}
	}
	return nil
}

func differProblem(tx *store.Tx, kind string, m mismatch) (AuditProblem, error) {
	var fields []string
	if !m.exp.sealed {
		e, err := tx.AuditEntry(m.exp.entry)
		if err != nil {
			return AuditProblem{}, err
		}
		if e != nil {
			fields = diffJSON(e.After, m.have)
		}
	}
	where := " (" + strings.Join(fields, ", ") + ")"
	whereFA := " (" + strings.Join(fields, "، ") + ")"
	if len(fields) == 0 {
		where, whereFA = "", ""
	}
	return labelledProblem(recordLabel(kind, m.key, m.have), kind, m.key, m.exp.entry, fields,
		"با وضعیتی که مدخل "+faNum(m.exp.entry)+" ثبت کرده نمی‌خواند"+whereFA+": بیرون از پیشران تغییر کرده است",
		"differs from the state entry "+itoa64(m.exp.entry)+" recorded"+where+": it was changed behind Pishran's back"), nil
}

func goneProblem(kind, key string, e int64) AuditProblem {
	return recordProblem(kind, key, e, nil,
		"نیست، هرچند مدخل "+faNum(e)+" آن را ثبت کرده است: بیرون از پیشران حذف شده است",
		"is gone, though entry "+itoa64(e)+" recorded it: it was deleted behind Pishran's back")
}

func recordProblem(kind, key string, entry int64, fields []string, fa, en string) AuditProblem {
	return labelledProblem(recordLabel(kind, key, nil), kind, key, entry, fields, fa, en)
}

func labelledProblem(label domain.Text, kind, key string, entry int64, fields []string, fa, en string) AuditProblem {
	return AuditProblem{What: ProblemRecord, Entry: entry, Kind: kind, Record: key, Fields: fields,
		Message: domain.T(label.FA+" "+fa, label.EN+" "+en)}
}

// recordLabel names a record in a message: its kind and key, and for a
// meeting's decision, its resolution number (state is the record's JSON,
// when at hand).
func recordLabel(kind, key string, state []byte) domain.Text {
	if kind == "outcome" && state != nil {
		var o struct {
			Kind       string `json:"kind"`
			Meeting    string `json:"meeting"`
			Resolution string `json:"resolution"`
		}
		if json.Unmarshal(state, &o) == nil && o.Kind == string(domain.OutcomeDecision) {
			return domain.T("مصوبه "+o.Resolution+" جلسه "+o.Meeting+" (برآمد "+key+")",
				"decision "+o.Resolution+" of meeting "+o.Meeting+" (outcome "+key+")")
		}
	}
	return domain.T(kindNames[kind].FA+" "+key, kindNames[kind].EN+" "+key)
}

// kindNames name the audited kinds in messages.
var kindNames = map[string]domain.Text{
	"term":        domain.T("دولت", "term"),
	"agency":      domain.T("دستگاه", "agency"),
	"law":         domain.T("قانون", "law"),
	"project":     domain.T("پروژه", "project"),
	"program":     domain.T("برنامه", "program"),
	"membership":  domain.T("عضویت", "membership"),
	"series":      domain.T("دوره جلسات", "meeting series"),
	"meeting":     domain.T("جلسه", "meeting"),
	"outcome":     domain.T("برآمد جلسه", "meeting outcome"),
	"action":      domain.T("اقدام", "action"),
	"report":      domain.T("گزارش پیشرفت", "progress report"),
	"milestone":   domain.T("نقطه عطف", "milestone"),
	"kpi":         domain.T("شاخص", "KPI"),
	"rating":      domain.T("ارزیابی", "rating"),
	"baseline":    domain.T("خط مبنا", "baseline"),
	"user":        domain.T("حساب کاربری", "account"),
	"token":       domain.T("توکن", "API token"),
	"signing_key": domain.T("کلید امضا", "signing key"),
}

// maxDiffFields bounds the fields a difference names.
const maxDiffFields = 12

// diffJSON names the fields where two JSON values differ, as paths
// ("title.en", "outcomes[2].text"), down to a few levels.
func diffJSON(a, b []byte) []string {
	var x, y any
	da := json.NewDecoder(strings.NewReader(string(a)))
	da.UseNumber()
	db := json.NewDecoder(strings.NewReader(string(b)))
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return nil
	}
	var out []string
	diffValue("", x, y, 0, &out)
	return out
}

func diffValue(path string, x, y any, depth int, out *[]string) {
	if len(*out) >= maxDiffFields || reflect.DeepEqual(x, y) {
		return
	}
	name := path
	if name == "" {
		name = "(all)"
	}
	if depth >= 4 {
		*out = append(*out, name)
		return
	}
	switch xv := x.(type) {
	case map[string]any:
		yv, ok := y.(map[string]any)
		if !ok {
			*out = append(*out, name)
			return
		}
		keys := make([]string, 0, len(xv)+len(yv))
		for k := range xv {
			keys = append(keys, k)
		}
		for k := range yv {
			if _, ok := xv[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			diffValue(p, xv[k], yv[k], depth+1, out)
		}
	case []any:
		yv, ok := y.([]any)
		if !ok || len(xv) != len(yv) {
			*out = append(*out, name)
			return
		}
		for i := range xv {
			diffValue(path+"["+strconv.Itoa(i)+"]", xv[i], yv[i], depth+1, out)
		}
	default:
		*out = append(*out, name)
	}
}

// sealNew appends seal entries listing the state of every record of the
// kinds that is not in before (the keys there were before a bulk load): a
// load of thousands of records is covered by a few entries rather than one
// each. A kind that had no records before is sealed complete.
func sealNew(tx *store.Tx, kinds []string, before map[string]map[string]bool, reason string) error {
	for _, kind := range kinds {
		keys, err := tx.RecordKeys(kind)
		if err != nil {
			return err
		}
		complete := len(before[kind]) == 0
		digests := map[string]string{}
		flush := func() error {
			if len(digests) == 0 {
				return nil
			}
			err := tx.Audit(actionSeal, kind, "bulk", nil, seal{Complete: complete, Reason: reason, Digests: digests})
			complete, digests = false, map[string]string{}
			return err
		}
		fresh := make([]string, 0, len(keys))
		for _, key := range keys {
			if !before[kind][key] {
				fresh = append(fresh, key)
			}
		}
		err = eachState(tx, kind, fresh, func(key string, st any) error {
			raw, err := json.Marshal(st)
			if err != nil {
				return err
			}
			d := stateDigest(raw)
			digests[key] = hex.EncodeToString(d[:])
			if len(digests) == sealChunk {
				return flush()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

// keysOf returns the keys of every record of the kinds, by kind: what a
// bulk load finds before it loads.
func keysOf(tx *store.Tx, kinds []string) (map[string]map[string]bool, error) {
	out := map[string]map[string]bool{}
	for _, kind := range kinds {
		keys, err := tx.RecordKeys(kind)
		if err != nil {
			return nil, err
		}
		set := make(map[string]bool, len(keys))
		for _, k := range keys {
			set[k] = true
		}
		out[kind] = set
	}
	return out, nil
}

// sealEntries is how many seal entries sealNew writes for n new records of
// one kind.
func sealEntries(n int) int { return (n + sealChunk - 1) / sealChunk }

// BulkAuditEntries is how many audit entries loading these records into a
// blank database writes (Import, LoadFollowUp, LoadMeetings): each load's
// own entry and the seals of what it loaded. A generator that promises a
// log of a given length counts them.
func BulkAuditEntries(doc *domain.Document, f *domain.FollowUp, series []domain.Series, meetings []domain.Meeting, actions []domain.Action) int {
	n := 0
	if doc != nil {
		pairs := map[[2]string]bool{}
		for _, e := range doc.Events {
			pairs[[2]string{e.Program, e.Project}] = true
		}
		n += 1 + sealEntries(len(doc.Terms)) + sealEntries(len(doc.Agencies)) + sealEntries(len(doc.Laws)) +
			sealEntries(len(doc.Projects)) + sealEntries(len(doc.Programs)) + sealEntries(len(pairs))
	}
	if f != nil {
		n += 1 + sealEntries(len(f.Baselines)) + sealEntries(len(f.Milestones)) + sealEntries(len(f.Reports)) + sealEntries(len(f.Ratings))
	}
	if meetings != nil || series != nil || actions != nil {
		outcomes := 0
		for i := range meetings {
			outcomes += len(meetings[i].Outcomes)
		}
		n += 1 + sealEntries(len(series)) + sealEntries(len(meetings)) + sealEntries(outcomes) + sealEntries(len(actions))
	}
	return n
}

// SealBaseline seals, once, every audited record of a database whose audit
// log was begun before reconciliation existed: that log recorded less than
// each record's whole state, so the records are taken as found. What was
// changed behind Pishran's back before then cannot be told; from then on
// it can. It reports whether it sealed (false when there was nothing to
// do, or another instance did it). `pishran serve` calls it at start.
func (s *Service) SealBaseline(ctx context.Context) (sealed bool, err error) {
	err = s.update(ctx, System, func(tx *store.Tx) error {
		n, claimed, err := tx.ClaimReconcileBaseline()
		if err != nil || !claimed {
			return err
		}
		sealed = true
		if err := tx.Audit("baseline", "audit", "baseline", nil, map[string]any{"log_length": n,
			"note": "records sealed as found: the log before entry " + itoa64(n+1) + " does not hold their whole state"}); err != nil {
			return err
		}
		return sealNew(tx, AuditedKinds(), nil, "baseline")
	})
	if errors.Is(err, store.ErrBaselineTaken) {
		return false, nil
	}
	return sealed, err
}
