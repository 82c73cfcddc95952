package service

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// The audited state of a record. Every write of a record appends an audit
// entry whose after is the record's whole state as the store holds it
// once the write is done, read back in the same transaction (auditState):
// the state a later reconciliation expects to find. A record's state is
// what the store keeps of it and nothing it derives on read or that other
// records' writes touch (an action's overdue flag, a meeting's updated_at,
// a baseline's current flag). Secrets are not in it; a fingerprint of a
// password or token hash is, so a credential swapped behind Pishran's back
// shows.

// auditedKind says how to read one kind of record's state.
type auditedKind struct {
	// state reads the record with key; found is false when there is none.
	state func(tx *store.Tx, key string) (state any, found bool, err error)
	// group, for records keyed "parent/n" (a meeting's outcomes, a
	// project's milestones), reads every record under one parent at once,
	// by key: what a pass over all records reads instead of state.
	group func(tx *store.Tx, parent string) (map[string]any, error)
	// batch, when set, reads many records at once, by key: what a pass
	// over all records reads instead of state.
	batch func(tx *store.Tx, keys []string) (map[string]any, error)
	// events are the actions that record something about a record
	// without changing its state (a sign-in); their entries say nothing
	// of the state, and reconciliation passes them by.
	events []string
}

// auditedKinds are the kinds of record reconciliation covers, by the kind
// their audit entries name.
var auditedKinds = map[string]auditedKind{
	"term":        {state: termState},
	"agency":      {state: agencyState},
	"law":         {state: lawState},
	"project":     {state: projectState},
	"program":     {state: programState},
	"membership":  {state: membershipState},
	"series":      {state: seriesState},
	"meeting":     {state: meetingState},
	"outcome":     grouped(outcomeStates),
	"action":      {state: actionState, batch: actionStates},
	"report":      {state: reportState, batch: reportStates},
	"milestone":   grouped(milestoneStates),
	"kpi":         grouped(kpiStates),
	"rating":      grouped(ratingStates),
	"baseline":    grouped(baselineStates),
	"user":        {state: userState, events: []string{"sign-in", "lock", "revoke-sessions", "issue-link"}},
	"token":       {state: tokenState},
	"signing_key": {state: signingKeyState},
}

// AuditedKinds lists the kinds of record reconciliation covers, sorted.
func AuditedKinds() []string {
	out := make([]string, 0, len(auditedKinds))
	for k := range auditedKinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// recordState reads a record's audited state.
func recordState(tx *store.Tx, kind, key string) (any, bool, error) {
	k, ok := auditedKinds[kind]
	if !ok {
		return nil, false, fmt.Errorf("service: %q is not an audited kind", kind)
	}
	return k.state(tx, key)
}

// grouped makes the kind of a record kept under a parent (keys
// "parent/n") from the reader of a parent's records.
func grouped(group func(tx *store.Tx, parent string) (map[string]any, error)) auditedKind {
	return auditedKind{group: group, state: func(tx *store.Tx, key string) (any, bool, error) {
		parent, _, ok := splitKey(key)
		if !ok {
			return nil, false, nil
		}
		all, err := group(tx, parent)
		st, found := all[key]
		return st, found, err
	}}
}

// stateReader reads records' states in key order, reading each parent's
// records once for the kinds kept under a parent.
type stateReader struct {
	tx     *store.Tx
	kind   auditedKind
	parent string
	states map[string]any
}

func (r *stateReader) read(key string) (any, bool, error) {
	if r.kind.group == nil {
		return r.kind.state(r.tx, key)
	}
	parent, _, ok := splitKey(key)
	if !ok {
		return nil, false, nil
	}
	if r.states == nil || parent != r.parent {
		all, err := r.kind.group(r.tx, parent)
		if err != nil {
			return nil, false, err
		}
		r.parent, r.states = parent, all
	}
	st, found := r.states[key]
	return st, found, nil
}

// stateBatch is how many records a batch read takes.
const stateBatch = 500

// eachState calls fn with the state of every record of a kind among keys
// (in order) that exists, reading them as a pass over many records best
// can: in batches, or a parent's records at once.
func eachState(tx *store.Tx, kind string, keys []string, fn func(key string, st any) error) error {
	k := auditedKinds[kind]
	if k.batch != nil {
		for i := 0; i < len(keys); i += stateBatch {
			chunk := keys[i:min(i+stateBatch, len(keys))]
			states, err := k.batch(tx, chunk)
			if err != nil {
				return err
			}
			for _, key := range chunk {
				if st, ok := states[key]; ok {
					if err := fn(key, st); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	rd := &stateReader{tx: tx, kind: k}
	for _, key := range keys {
		st, found, err := rd.read(key)
		if err != nil {
			return err
		}
		if found {
			if err := fn(key, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// auditState appends an audit entry whose after is the record's state as
// the transaction now holds it.
func auditState(tx *store.Tx, action, kind, key string, before any) error {
	st, found, err := recordState(tx, kind, key)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("service: the %s %q just written cannot be read back", kind, key)
	}
	return tx.Audit(action, kind, key, before, st)
}

// stateDigest is the digest reconciliation compares: the SHA-256 of the
// state's JSON as encoding/json writes it. The after of an entry and the
// state read now are both written by json.Marshal from the same types
// (auditState), so the same state gives the same bytes.
func stateDigest(raw []byte) [32]byte { return sha256.Sum256(raw) }

// notFound turns a store's NotFound into found = false.
func notFound(err error) (bool, error) {
	if domain.IsKind(err, domain.KindNotFound) {
		return false, nil
	}
	return err == nil, err
}

// splitKey splits "a/b" keys; b must be a number for numbered parts.
func splitKey(key string) (string, string, bool) {
	i := strings.LastIndexByte(key, '/')
	if i <= 0 || i == len(key)-1 {
		return "", "", false
	}
	return key[:i], key[i+1:], true
}

func splitID(key string) (string, int64, bool) {
	a, b, ok := splitKey(key)
	if !ok {
		return "", 0, false
	}
	n, err := strconv.ParseInt(b, 10, 64)
	return a, n, err == nil
}

func termState(tx *store.Tx, key string) (any, bool, error) {
	n, err := strconv.Atoi(key)
	if err != nil {
		return nil, false, nil
	}
	v, err := tx.Term(n)
	found, err := notFound(err)
	return v, found, err
}

func agencyState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Agency(key)
	found, err := notFound(err)
	return v, found, err
}

func lawState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Law(key)
	found, err := notFound(err)
	return v, found, err
}

func projectState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Project(key, domain.Viewer{All: true})
	found, err := notFound(err)
	return v, found, err
}

func programState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Program(key, domain.Viewer{All: true})
	found, err := notFound(err)
	return v, found, err
}

// membershipState is a project's history on a list, and its standing
// folded from that history.
func membershipState(tx *store.Tx, key string) (any, bool, error) {
	program, project, ok := strings.Cut(key, "/")
	if !ok {
		return nil, false, nil
	}
	evs, err := tx.Events(program, project)
	if err != nil {
		return nil, false, err
	}
	m, ok, err := tx.Membership(program, project)
	if err != nil || (!ok && len(evs) == 0) {
		return nil, false, err
	}
	st := map[string]any{"events": evs, "standing": nil}
	if ok {
		st["standing"] = m.Membership
	}
	return st, true, nil
}

func seriesState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Series(key)
	found, err := notFound(err)
	return v, found, err
}

// meetingState is a meeting's own record, agenda and amendments. Its
// outcomes are records of their own; what the agenda shows of an action,
// and the follow-up of earlier actions at it, are the actions'; its
// updated_at moves whenever something is recorded at it.
func meetingState(tx *store.Tx, key string) (any, bool, error) {
	m, err := tx.MeetingRecord(key, domain.Viewer{All: true})
	if found, err := notFound(err); !found {
		return nil, false, err
	}
	m.Outcomes, m.FollowUps = nil, nil
	m.UpdatedAt = time.Time{}
	for i := range m.Agenda {
		if m.Agenda[i].Kind == domain.AgendaAction {
			m.Agenda[i].Owner, m.Agenda[i].Due, m.Agenda[i].Projects = "", nil, nil
		}
	}
	return m, true, nil
}

// outcomeStates are a meeting's outcomes (a decision's text among them),
// keyed by the meeting's id and the outcome's.
func outcomeStates(tx *store.Tx, meeting string) (map[string]any, error) {
	m, err := tx.MeetingRecord(meeting, domain.Viewer{All: true})
	if found, err := notFound(err); !found {
		return nil, err
	}
	out := make(map[string]any, len(m.Outcomes))
	for _, o := range m.Outcomes {
		o.Owner, o.Due = "", nil // an action outcome shows its action's owner and due date: the action's state
		out[meeting+"/"+strconv.FormatInt(o.ID, 10)] = o
	}
	return out, nil
}

func actionState(tx *store.Tx, key string) (any, bool, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, false, nil
	}
	v, err := tx.Action(id, domain.Viewer{All: true})
	if found, err := notFound(err); !found {
		return nil, false, err
	}
	v.Overdue = false // a matter of today's date
	return v, true, nil
}

func reportState(tx *store.Tx, key string) (any, bool, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, false, nil
	}
	v, err := tx.Report(id, domain.Viewer{All: true})
	found, err := notFound(err)
	return v, found, err
}

// actionStates reads actions as actionState does, a batch at a time.
func actionStates(tx *store.Tx, keys []string) (map[string]any, error) {
	as, err := tx.ActionsByID(numericKeys(keys))
	out := make(map[string]any, len(as))
	for id, a := range as {
		a.Overdue = false
		out[strconv.FormatInt(id, 10)] = a
	}
	return out, err
}

func numericKeys(keys []string) []int64 {
	ids := make([]int64, 0, len(keys))
	for _, k := range keys {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// reportStates reads reports as reportState does, a batch at a time.
func reportStates(tx *store.Tx, keys []string) (map[string]any, error) {
	rs, err := tx.ReportsByID(numericKeys(keys))
	out := make(map[string]any, len(rs))
	for id, r := range rs {
		out[strconv.FormatInt(id, 10)] = r
	}
	return out, err
}

func milestoneStates(tx *store.Tx, project string) (map[string]any, error) {
	ms, err := tx.Milestones(project)
	out := make(map[string]any, len(ms))
	for _, m := range ms {
		out[project+"/"+strconv.FormatInt(m.ID, 10)] = m
	}
	return out, err
}

func kpiStates(tx *store.Tx, project string) (map[string]any, error) {
	ks, err := tx.KPIs(project)
	out := make(map[string]any, len(ks))
	for _, k := range ks {
		out[project+"/"+strconv.FormatInt(k.ID, 10)] = k
	}
	return out, err
}

func ratingStates(tx *store.Tx, project string) (map[string]any, error) {
	rs, err := tx.Ratings(project)
	out := make(map[string]any, len(rs))
	for _, r := range rs {
		out[project+"/"+strconv.FormatInt(r.ID, 10)] = r
	}
	return out, err
}

// baselineStates leave out whether a baseline is the current one: a newer
// baseline changes that, not a write of this one.
func baselineStates(tx *store.Tx, project string) (map[string]any, error) {
	bs, err := tx.Baselines(project)
	out := make(map[string]any, len(bs))
	for _, b := range bs {
		b.Current, b.Supersedes = false, 0
		out[project+"/"+strconv.Itoa(b.Number)] = b
	}
	return out, err
}

// userState is an account as userView shows it, with how it signs in: the
// single sign-on identity it is bound to, and a fingerprint of its
// password hash (not the hash). When it last signed in, and whether it is
// locked out for now, are not part of it.
func userState(tx *store.Tx, key string) (any, bool, error) {
	c, err := tx.Account(key)
	if found, err := notFound(err); !found {
		return nil, false, err
	}
	v := userView(&c.User)
	v["has_password"], v["sso"] = c.User.HasPassword, c.User.SSO
	v["oidc_issuer"], v["oidc_subject"] = c.OIDCIssuer, c.OIDCSubject
	v["password"] = fingerprint(c.PasswordHash)
	v["version"], v["created_at"] = c.User.Version, c.User.CreatedAt
	return v, true, nil
}

// fingerprint names a secret's hash without giving it away: the first 16
// hex digits of its SHA-256 ("" for none).
func fingerprint(hash string) string {
	if hash == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(sum[:8])
}

func tokenState(tx *store.Tx, key string) (any, bool, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, false, nil
	}
	k, err := tx.TokenRecord(id)
	if err != nil || k == nil {
		return nil, false, err
	}
	return map[string]any{"name": k.Name, "role": k.Role, "agency": k.Agency, "secret": fingerprint(k.Hash),
		"created_at": k.CreatedAt, "revoked_at": k.RevokedAt}, true, nil
}

func signingKeyState(tx *store.Tx, key string) (any, bool, error) {
	k, err := tx.SigningKey(key)
	if err != nil || k == nil {
		return nil, false, err
	}
	return signing.NewPublicKey(k.Public, k.CreatedAt, k.RetiredAt), true, nil
}
