package service

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// The outbox worker. Delivery is at least once, with an idempotency key:
//
//  1. A batch of due notices is claimed in one statement with a lease
//     (store.Tx.ClaimNotices): while the lease holds, no other worker on
//     any instance takes them.
//  2. Each is composed and sent; as soon as the server's answer is known
//     it is recorded in a transaction of its own, so only the messages in
//     flight are unmarked when a worker dies: one with a sender that sends
//     one at a time, at most the batch (Notify.Batch) with the SMTP
//     sender, which sends a batch over one connection.
//  3. A refused send is retried after notice.Backoff (a temporary
//     failure, or a setup failure: the server refused us, not the
//     message), or given up at once on a permanent failure (5xx) and after
//     notice.MaxAttempts: a failed notice is listed to admins
//     (FailedNotices), who may queue it again (RetryNotice).
//  4. A worker that dies after claiming leaves its notices claimed until
//     the lease runs out; another worker then sends them, the one in flight
//     again — with the same Message-ID and X-Pishran-Notice header, derived
//     from the key, so the duplicate can be recognised. Nothing is lost.

// errMailOff is returned by DeliverNotices when e-mail is not configured.
var errMailOff = errors.New("service: e-mail is not configured")

// batchSender is a sender that sends several messages over one connection
// (notice.SMTPSender).
type batchSender interface {
	SendBatch(ctx context.Context, ms []*notice.Message) []error
}

// DeliverNotices claims one batch of due notices for instance and sends
// them; it returns how many were sent. It makes no connection when nothing
// is due, and writes nothing either.
func (s *Service) DeliverNotices(ctx context.Context, instance string) (sent int, err error) {
	if s.notify.Sender == nil {
		return 0, errMailOff
	}
	a := Actor{Name: "notices:" + instance, Role: RoleAdmin}
	var due time.Time
	var secret []byte
	if err := s.db.View(ctx, func(tx *store.Tx) error {
		due, err = tx.NextNoticeDue()
		return err
	}); err != nil || due.IsZero() || due.After(s.db.Now()) {
		return 0, err
	}
	if secret, err = s.noticeSecret(ctx); err != nil {
		return 0, err
	}
	var claimed []*store.OutboxNotice
	err = s.update(ctx, a, func(tx *store.Tx) error {
		if claimed, err = tx.ClaimNotices(instance, s.notify.Lease, s.notify.Batch); err != nil || len(claimed) == 0 {
			return err
		}
		return tx.Audit("claim", "notice", "outbox", nil, map[string]any{"instance": instance, "notices": len(claimed)})
	})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	c := &notice.Composer{BaseURL: s.notify.BaseURL, From: s.notify.From, Secret: secret, Now: s.db.Now}
	msgs := make([]*notice.Message, len(claimed))
	var toSend []*notice.Message
	var at []int
	for i, row := range claimed {
		var n notice.Notice
		err := json.Unmarshal(row.Body, &n)
		if err == nil {
			msgs[i], err = c.Compose(n)
		}
		if err != nil { // a notice that cannot be composed is a bug, not a message to retry
			if ferr := s.endNotice(ctx, a, row, nil, err); ferr != nil {
				return sent, ferr
			}
			continue
		}
		toSend = append(toSend, msgs[i])
		at = append(at, i)
	}
	// Each message is marked as soon as its answer is known: with a batch
	// sender the answers come together, so send one at a time unless the
	// sender sends batches over one connection.
	send := func(i int, err error) error {
		row := claimed[at[i]]
		if err == nil {
			sent++
		}
		return s.endNotice(ctx, a, row, msgs[at[i]], err)
	}
	if bs, ok := s.notify.Sender.(batchSender); ok && len(toSend) > 1 {
		for i, err := range bs.SendBatch(ctx, toSend) {
			if err := send(i, err); err != nil {
				return sent, err
			}
		}
		return sent, nil
	}
	for i, m := range toSend {
		if ctx.Err() != nil {
			return sent, ctx.Err() // the rest stay claimed until the lease runs out
		}
		if err := send(i, s.notify.Sender.Send(ctx, m)); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// endNotice records how one send ended: sent, to retry, or given up.
func (s *Service) endNotice(ctx context.Context, a Actor, row *store.OutboxNotice, m *notice.Message, sendErr error) error {
	// The answer must be recorded even when the worker is being stopped.
	ctx = context.WithoutCancel(ctx)
	return s.update(ctx, a, func(tx *store.Tx) error {
		rec := strconv.FormatInt(row.ID, 10)
		if sendErr == nil {
			if _, err := tx.MarkNoticeSent(row.ID, scrubbed(row)); err != nil {
				return err
			}
			return tx.Audit("send", "notice", rec, nil, map[string]string{"key": row.Key, "message_id": m.MessageID})
		}
		msg := sendErr.Error()
		f := notice.Classify(sendErr)
		wait, again := notice.Backoff(row.Attempts)
		if m == nil || f == notice.Permanent || !again {
			if _, err := tx.FailNotice(row.ID, msg, nil); err != nil {
				return err
			}
			return tx.Audit("fail", "notice", rec, nil, map[string]any{"key": row.Key, "error": msg, "attempts": row.Attempts})
		}
		if f == notice.Setup {
			s.log.Error("e-mail: the mail server refused the connection; check the SMTP settings", "err", msg)
		}
		if err := tx.RetryNoticeAt(row.ID, tx.Now().Add(wait), msg); err != nil {
			return err
		}
		return tx.Audit("defer", "notice", rec, nil, map[string]any{"key": row.Key, "error": msg, "attempts": row.Attempts,
			"next_attempt_at": tx.Now().Add(wait)})
	})
}

// scrubbed is the body an account message keeps once sent: without the
// link's token, which lives on only in the person's mailbox.
func scrubbed(row *store.OutboxNotice) []byte {
	if !notice.Kind(row.Kind).Account() {
		return nil
	}
	var n notice.Notice
	if json.Unmarshal(row.Body, &n) != nil {
		return nil
	}
	n.Path = "/reset/-"
	b, _ := json.Marshal(n)
	return b
}

// StartNotices runs the outbox worker every interval until ctx ends; it
// does nothing when e-mail is off.
func (s *Service) StartNotices(ctx context.Context, instance string, interval time.Duration) {
	if s.notify.Sender == nil {
		return
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			for {
				n, err := s.DeliverNotices(ctx, instance)
				if err != nil && ctx.Err() == nil {
					s.log.Error("e-mail notices", "err", err)
				}
				if err != nil || n < s.notify.Batch {
					break
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Delivery is one notice as admins see it on the failed deliveries page.
type Delivery struct {
	ID          int64
	Key         string
	Kind        string
	Username    string
	Address     string
	State       string
	Attempts    int
	LastError   string
	NextAttempt time.Time
	CreatedAt   time.Time
}

// TroubledDeliveries lists, newest first, the notices given up and those
// whose last attempt failed; for admins.
func (s *Service) TroubledDeliveries(ctx context.Context, a Actor) (out []Delivery, counts map[string]int, err error) {
	if err := a.mustBeAdmin(); err != nil {
		return nil, nil, err
	}
	err = s.db.View(ctx, func(tx *store.Tx) error {
		rows, err := tx.TroubledNotices(500)
		if err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, Delivery{ID: r.ID, Key: r.Key, Kind: r.Kind, Username: r.Username, Address: r.Address, State: r.State,
				Attempts: r.Attempts, LastError: r.LastError, NextAttempt: r.NextAttempt, CreatedAt: r.CreatedAt})
		}
		counts, err = tx.OutboxCounts()
		return err
	})
	return out, counts, err
}

// RetryDelivery queues a failed notice again, due now; for admins.
func (s *Service) RetryDelivery(ctx context.Context, a Actor, id int64) error {
	if err := a.mustBeAdmin(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		ok, err := tx.RequeueNotice(id)
		if err != nil {
			return err
		}
		if !ok {
			return domain.NotFound("id", "failed notice")
		}
		return tx.Audit("retry", "notice", strconv.FormatInt(id, 10), nil, map[string]string{"by": a.Name})
	})
}
