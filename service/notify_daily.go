package service

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// The daily notices job: for every agency, the reports and actions due
// within Notify.DueSoon days and those overdue, told to its focal points
// (each once per period or due date: the key holds it, so a run repeated
// after a crash, or the next day's run, adds nothing); then each person's
// daily digest of the notices they chose to receive that way. Like the
// reminders (reminders.go), what is owed is read from a snapshot agency
// by agency and written in a short transaction of its own.

// raising is one notice to raise, with its key's parts.
type raising struct {
	n     notice.Notice
	parts []string
}

func dailyNotices(ctx context.Context, s *Service, a Actor, now time.Time) (string, error) {
	day := domain.DateOf(now)
	pace := s.newPacer()
	var codes []string
	err := s.db.View(ctx, func(tx *store.Tx) error {
		for ag, err := range domain.Walk(tx.Agencies, agencyKey) {
			if err != nil {
				return err
			}
			codes = append(codes, ag.Code)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	raised := 0
	for _, code := range codes {
		if err := pace.wait(ctx); err != nil {
			return "", err
		}
		var todo []raising
		var to []store.Recipient
		err := s.db.View(ctx, func(tx *store.Tx) error {
			var err error
			if to, err = tx.FocalPoints(code); err != nil || len(to) == 0 {
				return err
			}
			todo, err = s.dueNotices(tx, code, day)
			return err
		})
		pace.worked()
		if err != nil {
			return "", err
		}
		if len(todo) == 0 || len(to) == 0 {
			continue
		}
		err = s.update(ctx, a, func(tx *store.Tx) error {
			n := 0
			for _, r := range todo {
				r.n.At = now
				k, err := s.raise(tx, r.n, r.parts, to)
				if err != nil {
					return err
				}
				n += k
			}
			raised += n
			return auditRaised(tx, "due", code+"/"+day.String(), n)
		})
		if err != nil {
			return "", err
		}
	}
	digests, err := s.makeDigests(ctx, a, now)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(raised) + " notices, " + strconv.Itoa(digests) + " digests", nil
}

// dueNotices lists what agency code should be told on day.
func (s *Service) dueNotices(tx *store.Tx, code string, day domain.Date) ([]raising, error) {
	ag, err := tx.Agency(code)
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o, err := s.obligationsIn(tx, Actor{Role: RoleAdmin}, ag, day)
	if err != nil {
		return nil, err
	}
	agRef := &notice.Ref{ID: ag.Code, Name: ag.Name}
	soon := func(due domain.Date) bool { d := day.DaysUntil(due); return d >= 0 && d <= s.notify.DueSoon }
	var out []raising
	for _, r := range o.Reports {
		if r.State == "submitted" {
			continue
		}
		kind := notice.ReportOverdue
		if !r.Overdue {
			if !soon(r.Due) {
				continue
			}
			kind = notice.ReportDueSoon
		}
		due := r.Due
		out = append(out, raising{
			n: notice.Notice{Kind: kind, Path: reportPath(r.Report, r.Project, r.Period), Project: &notice.Ref{ID: r.Project, Name: r.Title},
				Agency: agRef, Period: string(r.Period), Due: &due},
			parts: []string{r.Project, string(r.Period)},
		})
	}
	for _, act := range o.Actions {
		kind := notice.ActionOverdue
		if !act.Overdue {
			if !soon(act.Due) {
				continue
			}
			kind = notice.ActionDueSoon
		}
		due := act.Due
		n := notice.Notice{Kind: kind, Path: "/staff/meetings/" + act.Meeting, Agency: agRef, Action: act.Description, Due: &due}
		if m, err := tx.Meeting(act.Meeting); err == nil {
			if n.Meeting, err = meetingRef(tx, m); err != nil {
				return nil, err
			}
		}
		out = append(out, raising{n: n, parts: []string{strconv.FormatInt(act.ID, 10), act.Due.String()}})
	}
	return out, nil
}

// makeDigests bundles, person by person, the notices waiting for a digest
// into one Digest notice, queued to send now; each person's in one
// transaction, so a digest holds every notice it marks bundled.
func (s *Service) makeDigests(ctx context.Context, a Actor, now time.Time) (int, error) {
	if s.notify.Sender == nil {
		return 0, nil
	}
	// The digest takes every notice raised up to now, this run's too.
	if t := s.db.Now(); t.After(now) {
		now = t
	}
	now = now.Add(time.Second)
	var people []string
	if err := s.db.View(ctx, func(tx *store.Tx) error {
		var err error
		people, err = tx.DigestWaiting(now)
		return err
	}); err != nil {
		return 0, err
	}
	made := 0
	day := domain.DateOf(now.Add(-time.Second)).String()
	for _, user := range people {
		err := s.update(ctx, a, func(tx *store.Tx) error {
			rows, err := tx.DigestItems(user, now)
			if err != nil || len(rows) == 0 {
				return err
			}
			d := notice.Notice{Kind: notice.Digest, Key: notice.Key(notice.Digest, user, day), At: now, Path: "/staff/inbox"}
			ids := make([]int64, 0, len(rows))
			for i := len(rows) - 1; i >= 0; i-- { // newest first
				var it notice.Notice
				if err := json.Unmarshal(rows[i].Body, &it); err != nil {
					return err
				}
				if d.To.Address == "" {
					d.To = it.To
				}
				d.Items = append(d.Items, it)
				ids = append(ids, rows[i].ID)
			}
			body, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if _, err := tx.EnqueueNotice(&store.OutboxNotice{Key: d.Key, Username: user, Address: d.To.Address,
				Kind: string(notice.Digest), Body: body, State: store.OutboxPending}); err != nil {
				return err
			}
			if err := tx.BundleNotices(ids, d.Key); err != nil {
				return err
			}
			made++
			return tx.Audit("digest", "notice", d.Key, nil, map[string]int{"notices": len(ids)})
		})
		if err != nil {
			return made, err
		}
	}
	return made, nil
}
