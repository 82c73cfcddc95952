package api

import (
	"bufio"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/exchange"
	"github.com/pishran/pishran/service"
)

// The National Information Exchange (issue 15): the operator's push of
// telemetry, the identities and services the secretariat keeps, a
// project's declared integrations with the exchange's judgement of each,
// and a report's divergences from the exchange.

// MaxExchangePush bounds one pushed file (after the transport, before
// gzip is inflated): a day of national traffic in gzip is some 2 GiB.
const MaxExchangePush = 4 << 30

func (s *Server) exchangeRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/exchange/imports", s.exchangePush},
		{"GET", "/api/v1/exchange/identities", s.exchangeIdentities},
		{"POST", "/api/v1/exchange/identities", s.saveIdentity},
		{"GET", "/api/v1/exchange/services", s.exchangeServices},
		{"POST", "/api/v1/exchange/services", s.saveExchangeService},
		{"GET", "/api/v1/projects/{slug}/integrations", s.integrations},
		{"POST", "/api/v1/projects/{slug}/integrations", s.declare},
		{"PUT", "/api/v1/projects/{slug}/integrations/{n}", s.updateDeclared},
		{"DELETE", "/api/v1/projects/{slug}/integrations/{n}", s.undeclare},
		{"GET", "/api/v1/reports/{id}/divergences", s.divergences},
	}
}

// importAnswer is the answer to a push: the import report, and whether the
// records had been imported before (then nothing changed).
type importAnswer struct {
	Repeat     bool             `json:"repeat"`
	ImportedAt time.Time        `json:"imported_at"`
	Hours      int64            `json:"hour_rows"`
	Days       int64            `json:"day_rows"`
	Report     *exchange.Report `json:"report"`
}

// exchangePush takes one file of operational-monitoring records as the
// body: JSON ({"records":[…]}, an array or JSON Lines) or gzip, whatever
// the transport said. 201 with the report; 200 when the same records were
// taken before; 422 problem+json when the body is neither or breaks off.
func (s *Server) exchangePush(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || mt == "application/gzip" || mt == "application/x-ndjson" ||
			mt == "application/jsonl" || mt == "application/octet-stream" || strings.HasSuffix(mt, "+json")) {
			return statusError(http.StatusUnsupportedMediaType, "Content-Type",
				"بدنه باید JSON یا gzip باشد", "the body must be JSON or gzip (application/json, application/gzip)")
		}
	}
	// A day of national traffic takes minutes to send: the server's read
	// deadline, fit for a form, is moved for this body alone.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(time.Hour))
	body := http.MaxBytesReader(w, r.Body, MaxExchangePush)
	res, err := s.svc.ImportExchange(r.Context(), a, bufio.NewReaderSize(body, 1<<20), "api:"+a.Name)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Repeat {
		status = http.StatusOK
	}
	return writeJSON(w, r, status, importAnswer{Repeat: res.Repeat, ImportedAt: res.ImportedAt, Hours: res.Hours, Days: res.Days, Report: res.Report}, 0)
}

func (s *Server) exchangeIdentities(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	ms, err := s.svc.Mappings(r.Context(), a, r.URL.Query().Get("agency"))
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []*exchange.Mapping{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": ms}, 0)
}

// saveIdentity maps an identity (version 0 or absent: a new mapping) or
// changes a mapping at the version given (a stale one is refused, 409).
func (s *Server) saveIdentity(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var m exchange.Mapping
	if err := decodeRequest(r, &m); err != nil {
		return err
	}
	created := m.Version == 0
	if err := s.svc.SaveMapping(r.Context(), a, &m); err != nil {
		return err
	}
	return writeJSON(w, r, createdOr(created), m, m.Version)
}

func (s *Server) exchangeServices(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	ss, err := s.svc.ExchangeServices(r.Context(), a)
	if err != nil {
		return err
	}
	if ss == nil {
		ss = []*exchange.ServiceInfo{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": ss}, 0)
}

func (s *Server) saveExchangeService(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var v exchange.ServiceInfo
	if err := decodeRequest(r, &v); err != nil {
		return err
	}
	created := v.Version == 0
	if err := s.svc.SaveExchangeService(r.Context(), a, &v); err != nil {
		return err
	}
	return writeJSON(w, r, createdOr(created), v, v.Version)
}

func createdOr(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// integrations answers a project's declared integrations, each with the
// exchange's judgement (status, first seen, last success, the daily
// series), as the caller may see the project.
func (s *Server) integrations(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	js, err := s.svc.Integrations(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if js == nil {
		js = []exchange.Judged{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": js}, 0)
}

func (s *Server) declare(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var d exchange.Declared
	if err := decodeRecord(r, &d, []string{"id", "version", "created_at", "updated_at"}); err != nil {
		return err
	}
	if err := sameKey("project", &d.Project, r.PathValue("slug")); err != nil {
		return err
	}
	d.Project = r.PathValue("slug")
	if err := s.svc.Declare(r.Context(), a, &d); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusCreated, d, d.Version)
}

// declaredID is the {n} of the path, a declaration of the {slug}'s project
// as the caller may see it (another project's is not found).
func (s *Server) declaredID(r *http.Request, a service.Actor) (int64, error) {
	id, err := positiveID(r, "n")
	if err != nil {
		return 0, err
	}
	ds, err := s.svc.Declared(r.Context(), a, r.PathValue("slug"))
	if err != nil {
		return 0, err
	}
	for _, d := range ds {
		if d.ID == id {
			return id, nil
		}
	}
	return 0, domain.NotFound("n", "integration")
}

// updateDeclared changes a declaration's milestone, thresholds and note;
// If-Match must carry the ETag of the caller's last read of it.
func (s *Server) updateDeclared(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := s.declaredID(r, a)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var d exchange.Declared
	if err := decodeRecord(r, &d, []string{"id", "version", "created_at", "updated_at", "project", "integration"}); err != nil {
		return err
	}
	d.ID, d.Version = id, version
	if err := s.svc.UpdateDeclared(r.Context(), a, &d); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, d, d.Version)
}

func (s *Server) undeclare(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := s.declaredID(r, a)
	if err != nil {
		return err
	}
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	if err := s.svc.Undeclare(r.Context(), a, id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) divergences(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	ds, err := s.svc.ReportDivergences(r.Context(), a, id)
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []service.Divergence{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": ds}, 0)
}
