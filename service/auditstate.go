package service

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	"outcome":     {state: outcomeState},
	"action":      {state: actionState},
	"report":      {state: reportState},
	"milestone":   {state: milestoneState},
	"kpi":         {state: kpiState},
	"rating":      {state: ratingState},
	"baseline":    {state: baselineState},
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
// state's JSON in a normal form (object members sorted, numbers as
// written), so the same state digests alike however it was encoded.
func stateDigest(raw []byte) ([32]byte, error) {
	n, err := normalJSON(raw)
	if err != nil {
		return [32]byte{}, err
	}
	return sha256.Sum256(n), nil
}

func normalJSON(raw []byte) ([]byte, error) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

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
	v, err := tx.Project(key, store.Viewer{All: true})
	found, err := notFound(err)
	return v, found, err
}

func programState(tx *store.Tx, key string) (any, bool, error) {
	v, err := tx.Program(key, store.Viewer{All: true})
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
	m, err := tx.MeetingRecord(key, store.Viewer{All: true})
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

// outcomeState is one outcome of a meeting (a decision's text among them);
// its key is the meeting's id and the outcome's.
func outcomeState(tx *store.Tx, key string) (any, bool, error) {
	meeting, id, ok := splitID(key)
	if !ok {
		return nil, false, nil
	}
	m, err := tx.MeetingRecord(meeting, store.Viewer{All: true})
	if found, err := notFound(err); !found {
		return nil, false, err
	}
	for _, o := range m.Outcomes {
		if o.ID == id {
			o.Owner, o.Due = "", nil // an action outcome shows its action's owner and due date: the action's state
			return o, true, nil
		}
	}
	return nil, false, nil
}

func actionState(tx *store.Tx, key string) (any, bool, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, false, nil
	}
	v, err := tx.Action(id, store.Viewer{All: true})
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
	v, err := tx.Report(id, store.Viewer{All: true})
	found, err := notFound(err)
	return v, found, err
}

func milestoneState(tx *store.Tx, key string) (any, bool, error) {
	project, id, ok := splitID(key)
	if !ok {
		return nil, false, nil
	}
	ms, err := tx.Milestones(project)
	if err != nil {
		return nil, false, err
	}
	for _, m := range ms {
		if m.ID == id {
			return m, true, nil
		}
	}
	return nil, false, nil
}

func kpiState(tx *store.Tx, key string) (any, bool, error) {
	project, id, ok := splitID(key)
	if !ok {
		return nil, false, nil
	}
	ks, err := tx.KPIs(project)
	if err != nil {
		return nil, false, err
	}
	for _, k := range ks {
		if k.ID == id {
			return k, true, nil
		}
	}
	return nil, false, nil
}

func ratingState(tx *store.Tx, key string) (any, bool, error) {
	project, id, ok := splitID(key)
	if !ok {
		return nil, false, nil
	}
	rs, err := tx.Ratings(project)
	if err != nil {
		return nil, false, err
	}
	for _, r := range rs {
		if r.ID == id {
			return r, true, nil
		}
	}
	return nil, false, nil
}

// baselineState leaves out whether the baseline is the current one: a
// newer baseline changes that, not a write of this one.
func baselineState(tx *store.Tx, key string) (any, bool, error) {
	project, n, ok := splitID(key)
	if !ok {
		return nil, false, nil
	}
	bs, err := tx.Baselines(project)
	if err != nil {
		return nil, false, err
	}
	for _, b := range bs {
		if int64(b.Number) == n {
			b.Current, b.Supersedes = false, 0
			return b, true, nil
		}
	}
	return nil, false, nil
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
