package api

import (
	"net/http"

	"github.com/pishran/pishran/service"
)

// An agency's obligations (what it owes: reports, actions) and the
// reminders the daily job recorded for it.

func (s *Server) obligations(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	asOf, err := asOfQuery(r)
	if err != nil {
		return err
	}
	o, err := s.svc.Obligations(r.Context(), a, r.PathValue("code"), asOf)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, o, 0)
}

func (s *Server) reminders(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	rs, err := s.svc.Reminders(r.Context(), a, r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": reminderList(rs)}, 0)
}
