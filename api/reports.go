package api

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// ---- reports ----

func (s *Server) reports(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if page.After != "" {
		if n, err := strconv.ParseInt(page.After, 10, 64); err != nil || n <= 0 {
			return badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
		}
	}
	q := r.URL.Query()
	f := domain.ReportFilter{Project: q.Get("project"), Agency: q.Get("agency"), State: domain.ReportState(q.Get("state"))}
	if f.State != "" && !contains(domain.ReportStates, f.State) {
		return badRequest("state", "وضعیت باید draft، submitted، returned یا accepted باشد", "state must be draft, submitted, returned or accepted")
	}
	rs, err := s.svc.Reports(r.Context(), a, f, page)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	for _, x := range rs {
		x.Locate(base)
	}
	return pageAnswer(w, r, rs, keysOf(rs, func(x *domain.Report) string { return strconv.FormatInt(x.ID, 10) }), limit)
}

func (s *Server) createReport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var rep domain.Report
	if err := decodeFollowUp(r, &rep); err != nil {
		return err
	}
	if err := s.svc.CreateReport(r.Context(), a, &rep); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+strconv.FormatInt(rep.ID, 10))
	return writeJSON(w, r, http.StatusCreated, rep, rep.Version)
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	rep, err := s.svc.Report(r.Context(), a, id)
	if err != nil {
		return err
	}
	rep.Locate(s.baseURL(r))
	return writeJSON(w, r, http.StatusOK, rep, rep.Version)
}

func (s *Server) updateReport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatchFor(r, func() error { return s.svc.MayEditReport(r.Context(), a, id) })
	if err != nil {
		return err
	}
	var rep domain.Report
	if err := decodeFollowUp(r, &rep); err != nil {
		return err
	}
	if rep.ID != 0 && rep.ID != id {
		return badRequest("id", "شناسه بدنه با شناسه نشانی یکی نیست", "the body's id differs from the one in the URL")
	}
	rep.ID, rep.Version = id, version
	if err := s.svc.UpdateReport(r.Context(), a, &rep); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, rep, rep.Version)
}

// reviewBody is the body of a report's state change.
type reviewBody struct {
	Comment domain.Text `json:"comment"`
}

func (s *Server) transition(w http.ResponseWriter, r *http.Request, a service.Actor,
	act func(id, version int64, comment domain.Text) (*domain.Report, error)) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	version, err := httpx.IfMatchOptional(r)
	if err != nil {
		return err
	}
	var body reviewBody
	if err := decodeOptional(r, &body); err != nil {
		return err
	}
	rep, err := act(id, version, body.Comment)
	if err != nil {
		return err
	}
	rep.Locate(s.baseURL(r))
	return writeJSON(w, r, http.StatusOK, rep, rep.Version)
}

func (s *Server) submitReport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return s.transition(w, r, a, func(id, version int64, comment domain.Text) (*domain.Report, error) {
		if !comment.IsZero() {
			return nil, badRequest("comment", "ارسال توضیح نمی‌گیرد؛ آن را در شرح گزارش بنویسید",
				"submitting takes no comment; put it in the report's narrative")
		}
		return s.svc.SubmitReport(r.Context(), a, id, version)
	})
}

func (s *Server) acceptReport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return s.transition(w, r, a, func(id, version int64, comment domain.Text) (*domain.Report, error) {
		return s.svc.AcceptReport(r.Context(), a, id, version, comment)
	})
}

func (s *Server) returnReport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return s.transition(w, r, a, func(id, version int64, comment domain.Text) (*domain.Report, error) {
		return s.svc.ReturnReport(r.Context(), a, id, version, comment)
	})
}
