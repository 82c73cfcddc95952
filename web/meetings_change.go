package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// Changing a planned session (re-dating it or cancelling it, each with a
// reason), closing a held one after a confirmation, and re-dating an
// action: the secretariat's acts that need a reason or a second thought.
// Each is its own page with a plain form, so it works without JavaScript,
// and each carries the version it was rendered from (a stale one is
// refused with 412).

// reasonForm is a form that asks a reason, and perhaps a day.
type reasonForm struct {
	Date    string
	Reason  domain.Text
	Confirm bool
	Error   *formError
}

// reasonFields is what the shared reason-fields template draws: one
// template for re-dating a meeting or an action and for cancelling.
type reasonFields struct {
	Prefix    string // the element ids' prefix
	DateLabel string // the day's label; empty: no day asked
	F         reasonForm
}

func newReasonFields(prefix, dateLabel string, f reasonForm) reasonFields {
	return reasonFields{Prefix: prefix, DateLabel: dateLabel, F: f}
}

func reasonFromForm(q *req) reasonForm {
	return reasonForm{Date: strings.TrimSpace(q.PostFormValue("date")), Reason: formText(q, "reason"),
		Confirm: q.PostFormValue("confirm") == "on"}
}

type meetingChangeView struct {
	M       *domain.Meeting
	Title   domain.Text
	Changes []domain.MeetingChange
	Redate  reasonForm
	Cancel  reasonForm
}

func (s *Site) meetingChangePage(q *req) error { return s.meetingChangeRender(q, http.StatusOK, nil) }

func (s *Site) meetingChangeRender(q *req, status int, fill func(*meetingChangeView)) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	ctx, id := q.Context(), q.PathValue("id")
	m, err := s.svc.Meeting(ctx, q.actor, id)
	if err != nil {
		return err
	}
	names, _, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	v := meetingChangeView{M: m, Title: meetingTitle(m, names)}
	if v.Changes, err = s.svc.MeetingChanges(ctx, q.actor, id); err != nil {
		return err
	}
	if fill != nil {
		fill(&v)
	}
	return s.renderStaff(q, status, "staff/meeting_change", q.lang.T("mchange.title", q.lang.Text(v.Title)), "meetings", v)
}

// meetingRedatePost moves a planned session (service.RedateMeeting).
func (s *Site) meetingRedatePost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id, f := q.PathValue("id"), reasonFromForm(q)
	date, err := formDate(q, "date")
	if err == nil {
		_, err = s.svc.RedateMeeting(q.Context(), q.actor, id, version(q), date, f.Reason)
	}
	if err == nil {
		return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=redated")
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	return s.meetingChangeRender(q, status, func(v *meetingChangeView) { v.Redate = f })
}

// meetingCancelPost cancels a planned session (service.CancelMeeting).
func (s *Site) meetingCancelPost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id, f := q.PathValue("id"), reasonFromForm(q)
	var err error
	if !f.Confirm {
		err = domain.Invalid("confirm", "لغو جلسه را تأیید کنید", "confirm that the session is cancelled")
	} else {
		_, err = s.svc.CancelMeeting(q.Context(), q.actor, id, version(q), f.Reason)
	}
	if err == nil {
		return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=cancelled")
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	return s.meetingChangeRender(q, status, func(v *meetingChangeView) { v.Cancel = f })
}

// closeView is the confirmation asked before a session is closed.
type closeView struct {
	M        *domain.Meeting
	Title    domain.Text
	Outcomes int
	Actions  int // action outcomes among them
	Form     reasonForm
}

func (s *Site) closeConfirmPage(q *req) error { return s.closeRender(q, http.StatusOK, reasonForm{}) }

func (s *Site) closeRender(q *req, status int, f reasonForm) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	m, err := s.svc.Meeting(q.Context(), q.actor, q.PathValue("id"))
	if err != nil {
		return err
	}
	names, _, err := s.seriesNames(q)
	if err != nil {
		return err
	}
	v := closeView{M: m, Title: meetingTitle(m, names), Outcomes: len(m.Outcomes), Form: f}
	for _, o := range m.Outcomes {
		if o.Kind == domain.OutcomeAction {
			v.Actions++
		}
	}
	return s.renderStaff(q, status, "staff/meeting_close", q.lang.T("mclose.title", q.lang.Text(v.Title)), "meetings", v)
}

// closePost closes a held session (service.CloseMeeting) once the
// confirmation box is ticked: closing signs the minutes and cannot be
// undone.
func (s *Site) closePost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	f := reasonFromForm(q)
	var err error
	if !f.Confirm {
		err = domain.Invalid("confirm", "بستن جلسه برگشت‌ناپذیر است؛ برای بستن، کادر تأیید را علامت بزنید",
			"closing cannot be undone; tick the confirmation box to close the session")
	} else {
		_, err = s.svc.CloseMeeting(q.Context(), q.actor, id, version(q))
	}
	if err == nil {
		return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=closed")
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	f.Error = fe
	return s.closeRender(q, status, f)
}

// actionRedateView is the form that moves an action's due date.
type actionRedateView struct {
	A         *domain.Action
	OwnerName domain.Text
	Back      string // the meeting page to return to, if any
	Done      bool   // just re-dated
	Form      reasonForm
}

func (s *Site) actionRedatePage(q *req) error {
	return s.actionRedateRender(q, http.StatusOK, reasonForm{})
}

func (s *Site) actionRedateRender(q *req, status int, f reasonForm) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	id, err := strconv.ParseInt(q.PathValue("action"), 10, 64)
	if err != nil {
		return notFound()
	}
	a, err := s.svc.Action(q.Context(), q.actor, id)
	if err != nil {
		return err
	}
	look := s.lookups(q)
	v := actionRedateView{A: a, OwnerName: look.agency(a.Owner), Form: f, Done: q.URL.Query().Get("done") == "redated"}
	if err := look.err; err != nil {
		return err
	}
	if back := q.URL.Query().Get("back"); back != "" && !strings.ContainsAny(back, "/?#") {
		v.Back = back
	}
	if v.Form.Date == "" && v.Form.Error == nil {
		v.Form.Date = a.Due.String()
	}
	return s.renderStaff(q, status, "staff/action_redate", q.lang.T("aredate.title"), "meetings", v)
}

// actionRedatePost moves an open action's due date (service.RedateAction).
func (s *Site) actionRedatePost(q *req) error {
	if err := secretariatPost(q); err != nil {
		return err
	}
	id, err := strconv.ParseInt(q.PathValue("action"), 10, 64)
	if err != nil {
		return notFound()
	}
	f := reasonFromForm(q)
	var due *domain.Date
	if due, err = formDate(q, "date"); err == nil {
		if due == nil {
			err = domain.Invalid("due", "مهلت تازه لازم است", "the new due date is required")
		} else {
			_, err = s.svc.RedateAction(q.Context(), q.actor, id, version(q), service.ActionUpdate{Due: due, Reason: f.Reason})
		}
	}
	if err == nil {
		next := "/staff/actions/" + strconv.FormatInt(id, 10) + "/redate?done=redated"
		if back := q.URL.Query().Get("back"); back != "" && !strings.ContainsAny(back, "/?#") {
			next = "/staff/meetings/" + url.PathEscape(back) + "?done=redated_action"
		}
		return redirect(q, next)
	}
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	if fe.Field == "due" {
		fe.Field = "date" // the form's field
	}
	f.Error = fe
	return s.actionRedateRender(q, status, f)
}
