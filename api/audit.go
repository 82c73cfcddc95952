package api

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// auditRoutes serves the audit log: a record's history, the signed
// checkpoints (public) and the whole check.
func (s *Server) auditRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/audit", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			q := r.URL.Query()
			es, err := s.svc.AuditHistory(r.Context(), a, q.Get("kind"), q.Get("record"))
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, map[string]any{"items": auditEntries(es)}, 0)
		}},
		{"GET", "/api/v1/audit/checkpoints", s.auditCheckpoints},
		{"GET", "/api/v1/audit/verify", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			rep, err := s.svc.VerifyAudit(r.Context(), a)
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, auditReport(rep), 0)
		}},
	}
}

// auditCheckpoints lists the signed audit checkpoints, oldest first, a
// page at a time: public, so that anyone can keep them and later hold the
// log to them.
func (s *Server) auditCheckpoints(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if err := numericCursor(page); err != nil {
		return err
	}
	out, err := s.svc.Checkpoints(r.Context(), page)
	if err != nil {
		return err
	}
	return pageAnswer(w, r, out, keysOf(out, func(c signing.SignedCheckpoint) string { return strconv.FormatInt(c.ID, 10) }), limit)
}
