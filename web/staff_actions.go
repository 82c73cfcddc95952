package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// carried lists the open actions decided at earlier sessions of the
// meeting's series: what this session follows up.
func (s *Site) carried(q *req, m *domain.Meeting, look *lookup) ([]carriedRow, error) {
	var out []carriedRow
	openActions := func(p domain.Page) ([]*domain.Action, error) {
		return s.svc.Actions(q.Context(), q.actor, domain.ActionFilter{OpenOnly: true}, p)
	}
	for a, err := range domain.Walk(openActions, func(a *domain.Action) string { return strconv.FormatInt(a.ID, 10) }) {
		if err != nil {
			return nil, err
		}
		if a.Series != m.Series || a.Meeting == m.ID {
			continue
		}
		row := carriedRow{Action: a, OwnerName: look.agency(a.Owner), Meeting: a.Meeting}
		for _, p := range a.Projects {
			if lv := look.project(p); lv != nil {
				row.Projects = append(row.Projects, *lv)
			}
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b carriedRow) int { return strings.Compare(a.Due.String(), b.Due.String()) })
	return out, nil
}

// actionPost follows up an open action at this session: discussed, or
// closed (service.DiscussAction, service.CloseAction).
func (s *Site) actionPost(q *req) error {
	if !q.isSecretariat() {
		return forbidden()
	}
	if err := parseForm(q); err != nil {
		return err
	}
	id := q.PathValue("id")
	act, err := strconv.ParseInt(q.PathValue("action"), 10, 64)
	if err != nil {
		return notFound()
	}
	u := service.ActionUpdate{Meeting: id, Note: formText(q, "note")}
	switch q.PathValue("act") {
	case "discuss":
		_, err = s.svc.DiscussAction(q.Context(), q.actor, act, version(q), u)
	case "close":
		_, err = s.svc.CloseAction(q.Context(), q.actor, act, version(q), u)
	default:
		return notFound()
	}
	if err != nil {
		return s.meetingRefused(q, err, func(v *meetingView, fe *formError) { v.CarryErr = fe })
	}
	return redirect(q, "/staff/meetings/"+url.PathEscape(id)+"?done=action#carried")
}
