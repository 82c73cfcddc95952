package service

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// Notifications (package notice for the e-mails themselves). A write that
// causes an event — a report returned or accepted, a decision, an agenda
// saved, a password link the admin chose to send — raises its notices in
// its own transaction: for each person they concern, a notice in the
// person's workspace inbox and, when e-mail is configured and the person's
// choice allows, a row in the outbox (store/notices.go), sent by the
// worker (notify_worker.go) immediately or bundled into the person's daily
// digest. Each notice has an idempotency key (notice.Key: kind, record,
// period or due date, person), so an event raised twice — a daily job run
// again after its instance died — is kept once in the inbox and sent once
// from the outbox. The daily job (notify_daily.go) raises what is due soon
// or overdue and makes the digests.

// Notify configures notifications.
type Notify struct {
	// Sender sends the e-mails; nil: e-mail is off (the default), nothing
	// goes into the outbox and no connection is ever made. Inbox notices
	// are kept either way.
	Sender notice.Sender
	// BaseURL is where people reach Pishran (serve --public-url): every
	// link in an e-mail starts with it. Required with a Sender.
	BaseURL string
	From    notice.Address
	// DueSoon is how many days ahead a report or action is "due soon"
	// (5 when 0).
	DueSoon int
	// Batch is how many notices a worker claims at once (20 when 0);
	// Lease how long it may hold them before another worker may take
	// them over (5 minutes when 0).
	Batch int
	Lease time.Duration
}

// SetNotify configures notifications; it is set when the service starts.
func (s *Service) SetNotify(n Notify) {
	if n.DueSoon <= 0 {
		n.DueSoon = 5
	}
	if n.Batch <= 0 {
		n.Batch = 20
	}
	if n.Lease <= 0 {
		n.Lease = 5 * time.Minute
	}
	s.notify = n
}

// MailEnabled reports whether e-mail notices are configured.
func (s *Service) MailEnabled() bool { return s.notify.Sender != nil }

// recipientOf is a notice's recipient for an account.
func recipientOf(r store.Recipient) notice.Recipient {
	return notice.Recipient{Username: r.Username, Name: domain.T(r.Name[0], r.Name[1]), Address: r.Email}
}

// actorOf is how an account reads: the rule a notice's content must pass
// for it.
func actorOf(r store.Recipient) Actor {
	return Actor{Name: "user:" + r.Username, Role: Role(r.Role), Agency: r.Agency}
}

// raise delivers notice n to each of to that may read what it is about:
// its key is notice.Key(n.Kind, parts…, username). It returns how many
// people it reached (inbox or outbox) for the first time.
func (s *Service) raise(tx *store.Tx, n notice.Notice, parts []string, to []store.Recipient) (int, error) {
	added := 0
	seen := map[string]bool{}
	for _, r := range to {
		if seen[r.Username] {
			continue
		}
		seen[r.Username] = true
		if n.Project != nil && !n.Kind.Account() && !s.refsFor(tx, actorOf(r)).sees(n.Project.ID) {
			continue // a confidential project's notice reaches only those who may read it
		}
		m := n
		m.To = recipientOf(r)
		m.Key = notice.Key(n.Kind, append(parts, r.Username)...)
		if m.At.IsZero() {
			m.At = tx.Now()
		}
		body, err := json.Marshal(m)
		if err != nil {
			return added, err
		}
		fresh := false
		if !n.Kind.Account() {
			if fresh, err = tx.AddInboxNotice(r.ID, &store.InboxNotice{Key: m.Key, Kind: string(m.Kind), Body: body}); err != nil {
				return added, err
			}
		}
		queued, err := s.enqueue(tx, r, &m, body)
		if err != nil {
			return added, err
		}
		if fresh || queued {
			added++
		}
	}
	return added, nil
}

// enqueue puts a notice in the outbox as the person chose: at once, for
// the daily digest, or not at all; an account message always goes, to the
// account's own address.
func (s *Service) enqueue(tx *store.Tx, r store.Recipient, m *notice.Notice, body []byte) (bool, error) {
	if s.notify.Sender == nil {
		return false, nil
	}
	state, addr := store.OutboxPending, r.Email
	if !m.Kind.Account() {
		p, err := tx.NoticePrefsOf(r.ID)
		if err != nil {
			return false, err
		}
		switch p.Mode {
		case store.NoticeOff:
			return false, nil
		case store.NoticeDaily:
			state = store.OutboxDigest
		}
		if p.Address != "" {
			addr = p.Address
		}
	}
	if addr == "" {
		return false, nil
	}
	if addr != m.To.Address {
		m.To.Address = addr
		var err error
		if body, err = json.Marshal(m); err != nil {
			return false, err
		}
	}
	return tx.EnqueueNotice(&store.OutboxNotice{Key: m.Key, Username: r.Username, Address: addr, Kind: string(m.Kind),
		Body: body, State: state})
}

// auditRaised records the notices a transaction raised (when it raised
// any), so every outbox row has its audit entry.
func auditRaised(tx *store.Tx, kind notice.Kind, record string, n int) error {
	if n == 0 {
		return nil
	}
	return tx.Audit("raise", "notice", string(kind)+"/"+record, nil, map[string]int{"people": n})
}

// ---- what the notices name ----

func projectRef(tx *store.Tx, slug string) (*notice.Ref, error) {
	p, err := tx.Project(slug, domain.Viewer{All: true})
	if err != nil {
		return nil, err
	}
	return &notice.Ref{ID: p.Slug, Name: p.Title}, nil
}

func agencyRef(tx *store.Tx, code string) (*notice.Ref, error) {
	ag, err := tx.Agency(code)
	if err != nil {
		return nil, err
	}
	return &notice.Ref{ID: ag.Code, Name: ag.Name}, nil
}

// meetingRef names a meeting: its title, or its series' name and number.
func meetingRef(tx *store.Tx, m *domain.Meeting) (*notice.Meeting, error) {
	title := m.Title
	if title.IsZero() {
		name := domain.T(m.Series, m.Series)
		if sr, err := tx.Series(m.Series); err == nil {
			name = sr.Name
		} else if !domain.IsKind(err, domain.KindNotFound) {
			return nil, err
		}
		n := strconv.Itoa(m.Number)
		title = domain.T(name.In("fa")+"، جلسه "+jalali.PersianDigits(n), name.In("en")+", session "+n)
	}
	return &notice.Meeting{ID: m.ID, Title: title, Date: m.Date}, nil
}

// reportPath is the page a report notice leads to: the report itself, or
// the form that starts it.
func reportPath(id int64, project string, period domain.Period) string {
	if id != 0 {
		return "/staff/reports/" + strconv.FormatInt(id, 10)
	}
	return "/staff/reports/new?project=" + project + "&period=" + string(period)
}
