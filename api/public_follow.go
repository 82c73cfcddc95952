package api

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// The public's reads of the council's actions (issue 14): without a token,
// GET /api/v1/actions lists the actions about public projects alone —
// every project they name is public — newest decision first (status
// overdue: most overdue first), and GET /api/v1/actions/{id} reads one;
// any other action is not found. The answer is the Action shape, with the
// events' recorded_by left empty: the public reads which agency owes what,
// not which account typed it. The cursor is the number of actions already
// read.

func (s *Server) publicActionList(w http.ResponseWriter, r *http.Request) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if err := numericCursor(page); err != nil {
		return err
	}
	offset, _ := strconv.Atoi(page.After)
	q := r.URL.Query()
	f := service.ActionQuery{Agency: q.Get("agency"), Status: q.Get("status"), Project: q.Get("project"), Meeting: q.Get("meeting")}
	if f.Status != "" && !contains(service.ActionStatuses, f.Status) {
		return badRequest("status", "status باید open، overdue یا closed باشد", "status must be open, overdue or closed")
	}
	for _, x := range [][2]string{{"agency", f.Agency}, {"project", f.Project}, {"meeting", f.Meeting}} {
		if field, v := x[0], x[1]; v != "" && !domain.ValidSlug(v) {
			return badRequest(field, field+" نامعتبر است", "invalid "+field)
		}
	}
	switch q.Get("open") {
	case "", "false":
	case "true":
		if f.Status == "" {
			f.Status = "open"
		}
	default:
		return badRequest("open", "open باید true یا false باشد", "open must be true or false")
	}
	pg, err := s.svc.PublicActions(r.Context(), f, offset, page.Limit)
	if err != nil {
		return err
	}
	keys := make([]string, len(pg.Actions))
	for i := range pg.Actions {
		keys[i] = strconv.Itoa(offset + i + 1)
	}
	return pageAnswer(w, r, pg.Actions, keys, limit)
}

func (s *Server) publicActionGet(w http.ResponseWriter, r *http.Request) error {
	id, err := actionID(r)
	if err != nil {
		return err
	}
	act, err := s.svc.PublicAction(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, act, act.Version)
}
