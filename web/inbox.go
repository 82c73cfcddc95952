package web

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The inbox (service.Inbox): what the signed-in person owes, newest first.
// The workspace's navigation shows its count as a badge on every page.

type inboxRow struct {
	service.InboxItem
	Title      domain.Text
	AgencyName domain.Text
}

type inboxView struct {
	In    *service.Inbox
	Rows  []inboxRow
	Agent bool // an agency's focal point
	Sec   bool // the secretariat
	// Notices are the person's notices (notify.go), newest first; Unread
	// counts those not yet marked read.
	Notices []noticeRow
	Unread  int
}

func (s *Site) inboxPage(q *req) error {
	in, err := s.svc.Inbox(q.Context(), q.actor)
	if err != nil {
		return err
	}
	names, _, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	look := s.lookups(q)
	v := inboxView{In: in, Agent: q.isAgency(), Sec: q.isSecretariat()}
	if v.Notices, v.Unread, err = s.myNotices(q); err != nil {
		return err
	}
	for _, it := range in.Items {
		row := inboxRow{InboxItem: it, Title: it.Title}
		if it.Kind == service.InboxMeeting {
			row.Title = meetingTitle(&domain.Meeting{Series: it.Series, Number: it.Number, Title: it.Title}, names)
		}
		if it.Agency != "" {
			row.AgencyName = look.agency(it.Agency)
		}
		v.Rows = append(v.Rows, row)
	}
	if err := look.err; err != nil {
		return err
	}
	return s.renderStaff(q, http.StatusOK, "staff/inbox", q.lang.T("inbox.title"), "inbox", v)
}

// inboxCount is the navigation badge's number; a failure to count leaves
// the badge out rather than the page.
func (s *Site) inboxCount(q *req) int {
	n, err := s.svc.InboxCount(q.Context(), q.actor)
	if err != nil {
		s.log.Warn("inbox count", "err", err)
		n = 0
	}
	return n + s.unreadCount(q)
}
