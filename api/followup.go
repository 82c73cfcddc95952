package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

// progressRoutes serves progress reports, evidence, ratings, baselines,
// milestones, KPIs and project health.
func (s *Server) progressRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/projects/{slug}/milestones", projectRecords(s.svc.Milestones)},
		{"POST", "/api/v1/projects/{slug}/milestones", createProjectRecord("milestones", func(m *domain.Milestone) (*string, int64) { return &m.Project, m.Version }, s.svc.CreateMilestone)},
		{"GET", "/api/v1/projects/{slug}/kpis", projectRecords(s.svc.KPIs)},
		{"POST", "/api/v1/projects/{slug}/kpis", createProjectRecord("kpis", func(k *domain.KPI) (*string, int64) { return &k.Project, k.Version }, s.svc.CreateKPI)},
		{"GET", "/api/v1/reports", s.reports},
		{"POST", "/api/v1/reports", s.createReport},
		{"GET", "/api/v1/reports/{id}", s.report},
		{"PUT", "/api/v1/reports/{id}", s.updateReport},
		{"POST", "/api/v1/reports/{id}/submit", s.submitReport},
		{"POST", "/api/v1/reports/{id}/accept", s.acceptReport},
		{"POST", "/api/v1/reports/{id}/return", s.returnReport},
		{"POST", "/api/v1/reports/{id}/evidence", s.addEvidence},
		{"GET", "/api/v1/reports/{id}/evidence/{n}", s.evidence},
		{"GET", "/api/v1/projects/{slug}/ratings", projectRecords(s.svc.Ratings)},
		{"POST", "/api/v1/projects/{slug}/ratings", createProjectRecord("ratings", func(g *domain.Rating) (*string, int64) { return &g.Project, 0 }, s.svc.Rate)},
		{"GET", "/api/v1/ratings/scale", s.ratingScale},
		{"GET", "/api/v1/projects/{slug}/baselines", projectRecords(s.svc.Baselines)},
		{"POST", "/api/v1/projects/{slug}/baselines", createProjectRecord("baselines", func(b *domain.Baseline) (*string, int64) { return &b.Project, 0 }, s.svc.CreateBaseline)},
		{"GET", "/api/v1/projects/{slug}/health", s.projectHealth},
		{"GET", "/api/v1/status", s.statusBoard},
		{"GET", "/api/v1/follow-up/policy", s.followUpPolicy},
	}
}

// ---- decoding ----

// followUpDates are the JSON names of the follow-up records' date fields
// that the shared decoder does not know; an impossible date in one of them
// is answered naming it.
var followUpDates = map[string]bool{"planned": true, "actual": true, "projected_end": true, "done": true,
	"date": true, "start": true, "end": true, "approved": true}

// decodeFollowUp decodes a JSON body strictly, naming a bad date's field.
func decodeFollowUp(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	err = DecodeJSON(body, v)
	var he *httpx.Error
	if errors.As(err, &he) && he.Field == "" {
		if path, msg := badFollowUpDate(body); path != "" {
			return badRequest(path, "تاریخ نامعتبر: "+msg, "invalid date: "+msg)
		}
	}
	return err
}

// badFollowUpDate finds the first follow-up date field that does not parse.
func badFollowUpDate(body []byte) (path, msg string) {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return "", ""
	}
	var walk func(v any, at string) bool
	walk = func(v any, at string) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				p := k
				if at != "" {
					p = at + "." + k
				}
				if s, ok := val.(string); ok && followUpDates[k] {
					if _, err := domain.ParseDate(s); err != nil {
						path, msg = p, err.Error()
						return true
					}
				}
				if walk(val, p) {
					return true
				}
			}
		case []any:
			for i, val := range x {
				if walk(val, at+"["+strconv.Itoa(i)+"]") {
					return true
				}
			}
		}
		return false
	}
	walk(doc, "")
	return path, msg
}

// decodeOptional decodes a JSON body if there is one.
func decodeOptional(r *http.Request, v any) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(body)) == "" {
		return nil
	}
	return DecodeJSON(body, v)
}

func progressItems[T any](xs []T) map[string]any {
	if xs == nil {
		xs = []T{}
	}
	return map[string]any{"items": xs}
}

// ---- a project's records: milestones, indicators, ratings, baselines ----

// projectRecords serves a project's records of one kind as {"items": …}.
func projectRecords[T any](list func(context.Context, service.Actor, string) ([]T, error)) func(http.ResponseWriter, *http.Request, service.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		xs, err := list(r.Context(), a, r.PathValue("slug"))
		if err != nil {
			return err
		}
		return writeJSON(w, r, http.StatusOK, progressItems(xs), 0)
	}
}

// createProjectRecord decodes a record for the project the path names,
// creates it, and answers it with 201 and where the project's records of
// that kind are listed. keys gives the record's project field and the
// version its ETag carries (0: none).
func createProjectRecord[T any](kind string, keys func(*T) (*string, int64),
	create func(context.Context, service.Actor, *T) error) func(http.ResponseWriter, *http.Request, service.Actor) error {
	return func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
		var x T
		if err := decodeFollowUp(r, &x); err != nil {
			return err
		}
		project, _ := keys(&x)
		if err := sameKey("project", project, r.PathValue("slug")); err != nil {
			return err
		}
		if err := create(r.Context(), a, &x); err != nil {
			return err
		}
		project, version := keys(&x)
		w.Header().Set("Location", "/api/v1/projects/"+*project+"/"+kind)
		return writeJSON(w, r, http.StatusCreated, x, version)
	}
}

// ---- ratings and baselines ----

func (s *Server) ratingScale(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return writeJSON(w, r, http.StatusOK, progressItems(domain.RatingScale), 0)
}

// ---- health ----

func (s *Server) projectHealth(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	asOf, err := asOfQuery(r)
	if err != nil {
		return err
	}
	v, err := s.svc.ProjectHealth(r.Context(), a, r.PathValue("slug"), asOf)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, v, 0)
}

func (s *Server) statusBoard(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	asOf, err := asOfQuery(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rows, err := s.svc.StatusBoard(r.Context(), a, q.Get("program"), q.Get("agency"), page, asOf)
	if err != nil {
		return err
	}
	return pageAnswer(w, r, rows, keysOf(rows, func(b service.BoardRow) string { return b.Project }), limit)
}

func (s *Server) followUpPolicy(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return writeJSON(w, r, http.StatusOK, s.svc.Policy(), 0)
}
