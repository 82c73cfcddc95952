package service

import (
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/store"
)

// The events a write raises in its own transaction, and who each reaches.

// raiseReviewed tells the report's agency's focal points that the
// secretariat returned the report (with its comment) or accepted it.
func (s *Service) raiseReviewed(tx *store.Tx, r *domain.Report, comment domain.Text) error {
	kind, path := notice.ReportAccepted, reportPath(r.ID, r.Project, r.Period)
	if r.State == domain.ReportReturned {
		kind, path = notice.ReportReturned, path+"/edit"
	}
	to, err := tx.FocalPoints(r.Agency)
	if err != nil || len(to) == 0 {
		return err
	}
	p, err := projectRef(tx, r.Project)
	if err != nil {
		return err
	}
	ag, err := agencyRef(tx, r.Agency)
	if err != nil {
		return err
	}
	n := notice.Notice{Kind: kind, Path: path, Project: p, Agency: ag, Period: string(r.Period), Comment: comment}
	// A report returned twice is told twice: the key holds its version.
	id := strconv.FormatInt(r.ID, 10)
	k, err := s.raise(tx, n, []string{id, strconv.FormatInt(r.Version, 10)}, to)
	if err != nil {
		return err
	}
	return auditRaised(tx, kind, id, k)
}

// raiseDecision tells the focal points of every agency on a project a
// decision names that the council decided about it (those who may read
// every project it names).
func (s *Service) raiseDecision(tx *store.Tx, m *domain.Meeting, o *domain.Outcome) error {
	if o.Kind != domain.OutcomeDecision || len(o.Projects) == 0 {
		return nil
	}
	mt, err := meetingRef(tx, m)
	if err != nil {
		return err
	}
	first := map[string]string{} // agency → the first project of the decision it is on
	var order []string
	for _, slug := range o.Projects {
		p, err := tx.Project(slug, domain.Viewer{All: true})
		if err != nil {
			return err
		}
		for _, pa := range p.Agencies {
			if _, ok := first[pa.Agency]; !ok {
				first[pa.Agency] = slug
				order = append(order, pa.Agency)
			}
		}
	}
	id := strconv.FormatInt(o.ID, 10)
	total := 0
	for _, code := range order {
		all, err := tx.FocalPoints(code)
		if err != nil {
			return err
		}
		// The decision names all its projects: it reaches only those who
		// may read every one of them.
		var to []store.Recipient
		for _, r := range all {
			refs := s.refsFor(tx, actorOf(r))
			ok := true
			for _, slug := range o.Projects {
				ok = ok && refs.sees(slug)
			}
			if err := refs.Err(); err != nil {
				return err
			}
			if ok {
				to = append(to, r)
			}
		}
		if len(to) == 0 {
			continue
		}
		p, err := projectRef(tx, first[code])
		if err != nil {
			return err
		}
		ag, err := agencyRef(tx, code)
		if err != nil {
			return err
		}
		n := notice.Notice{Kind: notice.DecisionMade, Path: "/staff/meetings/" + m.ID, Project: p, Agency: ag, Meeting: mt,
			Resolution: o.Resolution, Decision: o.Text}
		k, err := s.raise(tx, n, []string{m.ID, id}, to)
		if err != nil {
			return err
		}
		total += k
	}
	return auditRaised(tx, notice.DecisionMade, m.ID+"/"+id, total)
}

// raiseAgenda tells a meeting's attendees — the focal points of the
// agencies its attendance list names, and of the agencies its agenda's
// actions and projects are for — that its agenda is out. Each person is
// told once per meeting: a later change to the agenda is on the page the
// notice leads to.
func (s *Service) raiseAgenda(tx *store.Tx, m *domain.Meeting) error {
	if m.State != domain.MeetingPlanned && m.State != domain.MeetingHeld {
		return nil
	}
	var codes []string
	for _, at := range m.Attendees {
		if at.Agency != "" {
			codes = append(codes, at.Agency)
		}
	}
	for _, it := range m.Agenda {
		if it.Dropped {
			continue
		}
		switch it.Kind {
		case domain.AgendaAction:
			if act, err := tx.Action(it.Action, domain.Viewer{All: true}); err == nil {
				codes = append(codes, act.Owner)
			}
		case domain.AgendaProject:
			if p, err := tx.Project(it.Project, domain.Viewer{All: true}); err == nil && p.Lead() != "" {
				codes = append(codes, p.Lead())
			}
		}
	}
	var to []store.Recipient
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		fp, err := tx.FocalPoints(c)
		if err != nil {
			return err
		}
		to = append(to, fp...)
	}
	if len(to) == 0 {
		return nil
	}
	mt, err := meetingRef(tx, m)
	if err != nil {
		return err
	}
	n := notice.Notice{Kind: notice.AgendaPublished, Path: "/staff/meetings/" + m.ID, Meeting: mt}
	k, err := s.raise(tx, n, []string{m.ID}, to)
	if err != nil {
		return err
	}
	return auditRaised(tx, notice.AgendaPublished, m.ID, k)
}

// LinkDelivery says how an admin hands a set-password or reset link over.
type LinkDelivery int

// LinkByEmail sends the link to the account's e-mail address (the link is
// still returned, for the admin to see it was made).
const LinkByEmail LinkDelivery = 1

// wantsMail reports whether the options ask for e-mail.
func wantsMail(opts []LinkDelivery) bool {
	for _, o := range opts {
		if o == LinkByEmail {
			return true
		}
	}
	return false
}

// mailLink queues a password link for the account's own address, in the
// transaction that made it. The outbox holds the token until the message
// is sent (then it is scrubbed: notify_worker.go), as the e-mail itself
// does.
func (s *Service) mailLink(tx *store.Tx, username string, kind notice.Kind, l *Link) error {
	if s.notify.Sender == nil {
		return domain.Invalid("send", "ارسال رایانامه در این سامانه پیکربندی نشده است؛ پیوند را خودتان برسانید",
			"e-mail is not configured on this server: hand the link over yourself")
	}
	r, err := tx.RecipientByName(username)
	if err != nil {
		return err
	}
	if r == nil {
		return domain.NotFound("username", "user")
	}
	if r.Email == "" {
		return domain.Invalid("email", "این حساب نشانی رایانامه ندارد؛ نخست نشانی را ثبت کنید",
			"the account has no e-mail address: record one first")
	}
	n := notice.Notice{Kind: kind, Path: "/reset/" + l.Token, Expires: l.Expires}
	k, err := s.raise(tx, n, []string{strconv.FormatInt(l.Expires.UnixNano(), 36)}, []store.Recipient{*r})
	if err != nil {
		return err
	}
	return auditRaised(tx, kind, username, k)
}
