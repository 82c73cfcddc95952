package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
	"github.com/pishran/pishran/service"
)

// Notifications in the workspace: the notices of each person's inbox
// (with the unread count in the navigation's badge), the person's choice
// of how notices reach them by e-mail (/staff/notifications), the
// unsubscribe page an e-mail's link opens without signing in
// (/unsubscribe/TOKEN, and /unsubscribe?t=TOKEN as the e-mails write it:
// GET asks to confirm, POST — the form's, or a mail program's RFC 8058
// one-click — turns e-mail off), and the admins' page of deliveries that
// failed (/staff/deliveries), with a retry.

func (s *Site) notifyRoutes() []Route {
	return []Route{
		{Pattern: "GET /staff/notifications", Handler: s.staff(s.prefsPage)},
		{Pattern: "POST /staff/notifications", Handler: s.staff(s.prefsPost)},
		{Pattern: "POST /staff/inbox/notices/read", Handler: s.staff(s.noticesRead)},
		{Pattern: "POST /staff/inbox/notices/{id}/read", Handler: s.staff(s.noticesRead)},
		{Pattern: "GET /staff/deliveries", Handler: s.staff(s.deliveriesPage)},
		{Pattern: "POST /staff/deliveries/{id}/retry", Handler: s.staff(s.deliveryRetry)},
		{Pattern: "GET /unsubscribe", Handler: s.page(s.unsubscribe)},
		{Pattern: "POST /unsubscribe", Handler: s.page(s.unsubscribe)},
		{Pattern: "GET /unsubscribe/{token}", Handler: s.page(s.unsubscribe)},
		{Pattern: "POST /unsubscribe/{token}", Handler: s.page(s.unsubscribe)},
	}
}

// ---- inbox notices ----

// noticeRow is one inbox notice as the inbox lists it.
type noticeRow struct {
	ID      int64
	Kind    string
	Title   domain.Text // the project, meeting or action it is about
	Period  domain.Period
	Due     *domain.Date
	Comment domain.Text
	Path    string
	At      time.Time
	Read    bool
}

func rowOf(n service.InboxNotice) noticeRow {
	x := n.Notice
	r := noticeRow{ID: n.ID, Kind: string(x.Kind), Period: domain.Period(x.Period), Due: x.Due, Path: x.Path, At: n.At, Read: n.Read}
	switch {
	case x.Project != nil:
		r.Title = x.Project.Name
	case !x.Action.IsZero():
		r.Title = x.Action
	case x.Meeting != nil:
		r.Title = x.Meeting.Title
	}
	switch x.Kind {
	case notice.ReportReturned:
		r.Comment = x.Comment
	case notice.DecisionMade:
		r.Comment = x.Decision
	}
	return r
}

// myNotices reads the person's inbox notices for the inbox page.
func (s *Site) myNotices(q *req) ([]noticeRow, int, error) {
	ns, unread, err := s.svc.MyNotices(q.Context(), q.actor, 200)
	if err != nil {
		if domain.IsKind(err, domain.KindUnauthorized) || domain.IsKind(err, domain.KindNotFound) {
			return nil, 0, nil // a token's holder, not a person: no notices
		}
		return nil, 0, err
	}
	rows := make([]noticeRow, 0, len(ns))
	for _, n := range ns {
		rows = append(rows, rowOf(n))
	}
	return rows, unread, nil
}

// noticesRead marks one notice (or all) read and goes back to the inbox.
func (s *Site) noticesRead(q *req) error {
	var id int64
	if v := q.PathValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return notFound()
		}
		id = n
	}
	if err := s.svc.MarkNoticesRead(q.Context(), q.actor, id); err != nil {
		return err
	}
	return redirect(q, "/staff/inbox")
}

// unreadCount is the unread notices' share of the badge; a failure leaves
// it out rather than the page.
func (s *Site) unreadCount(q *req) int {
	n, err := s.svc.UnreadNotices(q.Context(), q.actor)
	if err != nil {
		if !domain.IsKind(err, domain.KindNotFound) && !domain.IsKind(err, domain.KindUnauthorized) {
			s.log.Warn("unread notices", "err", err)
		}
		return 0
	}
	return n
}

// ---- preferences ----

type prefsView struct {
	P     service.NoticePrefs
	Modes []string
	Error *formError
	Saved bool
}

func (s *Site) prefsPage(q *req) error {
	p, err := s.svc.MyNoticePrefs(q.Context(), q.actor)
	if err != nil {
		return err
	}
	return s.renderStaff(q, http.StatusOK, "staff/notifications", q.lang.T("notify.prefs_title"), "notifications",
		prefsView{P: p, Modes: service.NoticeModes, Saved: q.URL.Query().Get("saved") == "1"})
}

func (s *Site) prefsPost(q *req) error {
	if err := parseForm(q); err != nil {
		return err
	}
	p := service.NoticePrefs{Mode: q.PostFormValue("mode"), Address: q.PostFormValue("address"), Version: version(q)}
	if err := s.svc.SetMyNoticePrefs(q.Context(), q.actor, p); err != nil {
		status, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		cur, err := s.svc.MyNoticePrefs(q.Context(), q.actor)
		if err != nil {
			return err
		}
		cur.Mode, cur.Address = p.Mode, p.Address
		return s.renderStaff(q, status, "staff/notifications", q.lang.T("notify.prefs_title"), "notifications",
			prefsView{P: cur, Modes: service.NoticeModes, Error: fe})
	}
	return redirect(q, "/staff/notifications?saved=1")
}

// ---- unsubscribe ----

type unsubscribeView struct {
	Token    string
	Username string
	Done     bool // e-mail is off now
}

// unsubscribe answers the link in every notice: without signing in, GET
// shows whose e-mail it turns off and a button, POST turns it off.
func (s *Site) unsubscribe(q *req) error {
	token := q.PathValue("token")
	if token == "" {
		token = q.URL.Query().Get("t")
	}
	q.w.Header().Set("Referrer-Policy", "no-referrer")
	var v unsubscribeView
	var err error
	if q.Method == http.MethodPost {
		v.Username, err = s.svc.Unsubscribe(q.Context(), token)
		v.Done = true
	} else {
		v.Username, v.Done, err = s.svc.UnsubscribeFor(q.Context(), token)
	}
	if err != nil {
		return err
	}
	v.Token = token
	return s.render(q, http.StatusOK, "unsubscribe", q.lang.T("notify.unsub_title"), "", v)
}

// ---- failed deliveries (admins) ----

type deliveriesView struct {
	Rows   []service.Delivery
	Counts map[string]int
	Mail   bool
	Done   bool
}

func (s *Site) deliveriesPage(q *req) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	rows, counts, err := s.svc.TroubledDeliveries(q.Context(), q.actor)
	if err != nil {
		return err
	}
	return s.renderStaff(q, http.StatusOK, "staff/deliveries", q.lang.T("notify.deliveries_title"), "deliveries",
		deliveriesView{Rows: rows, Counts: counts, Mail: s.svc.MailEnabled(), Done: q.URL.Query().Get("retried") == "1"})
}

func (s *Site) deliveryRetry(q *req) error {
	if err := mustAdmin(q); err != nil {
		return err
	}
	id, err := strconv.ParseInt(q.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound()
	}
	if err := s.svc.RetryDelivery(q.Context(), q.actor, id); err != nil {
		return err
	}
	return redirect(q, "/staff/deliveries?retried=1")
}
