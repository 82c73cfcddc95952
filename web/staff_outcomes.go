package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// meetingRefused renders the workspace with a refusal where it belongs.
func (s *Site) meetingRefused(q *req, err error, put func(*meetingView, *formError)) error {
	status, fe, fatal := s.refusal(q, err)
	if fatal != nil {
		return fatal
	}
	return s.meetingRender(q, status, func(v *meetingView) { put(v, fe) })
}

// meetingState holds (planned → held) or closes (held → closed) the session.
func (s *Site) meetingState(to domain.MeetingState) pageFunc {
	return func(q *req) error {
		if !q.isSecretariat() {
			return forbidden()
		}
		id := q.PathValue("id")
		var err error
		if to == domain.MeetingHeld {
			_, err = s.svc.HoldMeeting(q.Context(), q.actor, id, version(q))
		} else {
			_, err = s.svc.CloseMeeting(q.Context(), q.actor, id, version(q))
		}
		if err != nil {
			return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { v.StateErr = fe })
		}
		return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done="+string(to))
	}
}

// outcomePost records one outcome of a held session (service.RecordOutcome).
func (s *Site) outcomePost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	f := outcomeForm{Kind: q.PostFormValue("kind"), Resolution: strings.TrimSpace(q.PostFormValue("resolution")),
		Text: formText(q, "text"), Owner: q.PostFormValue("owner"), Due: strings.TrimSpace(q.PostFormValue("due")),
		Projects: q.PostForm["projects"], More: strings.TrimSpace(q.PostFormValue("more_projects"))}
	in := service.OutcomeInput{Kind: domain.OutcomeKind(f.Kind), Resolution: f.Resolution, Projects: append([]string{}, f.Projects...)}
	for _, p := range strings.FieldsFunc(f.More, func(r rune) bool { return r == ',' || r == '،' || r == ' ' || r == '\n' }) {
		if !slices.Contains(in.Projects, p) {
			in.Projects = append(in.Projects, p)
		}
	}
	if in.Kind == domain.OutcomeAction {
		in.Description, in.Owner = f.Text, f.Owner
	} else {
		in.Text = f.Text
	}
	var err error
	if in.Kind == domain.OutcomeAction {
		in.Due, err = formDate(q, "due")
	}
	if err == nil {
		_, _, err = s.svc.RecordOutcome(q.Context(), q.actor, id, in)
	}
	if err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { f.Error = fe; v.Outcome = f })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=outcome#outcomes")
}

// amendPost appends a correction to a closed session's record
// (service.Amend); the secretariat writes it in Persian and English.
func (s *Site) amendPost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	f := amendForm{Text: formText(q, "text")}
	if _, err := s.svc.Amend(q.Context(), q.actor, id, f.Text); err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { f.Error = fe; v.Amend = f })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=amended#amendments")
}
