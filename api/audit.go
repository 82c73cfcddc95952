package api

import (
	"net/http"

	"github.com/pishran/pishran/service"
)

// auditRoutes serves the audit log: a record's history and the chain check.
func (s *Server) auditRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/audit", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			q := r.URL.Query()
			es, err := s.svc.AuditHistory(r.Context(), a, q.Get("kind"), q.Get("record"))
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, map[string]any{"items": es}, 0)
		}},
		{"GET", "/api/v1/audit/verify", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			rep, err := s.svc.VerifyAudit(r.Context(), a)
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, rep, 0)
		}},
	}
}
