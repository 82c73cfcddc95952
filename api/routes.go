package api

import (
	"context"
	_ "embed"
	"net/http"
	"strconv"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the OpenAPI 3.1 document describing the API.
func OpenAPI() []byte { return openapiDoc }

func (s *Server) apiRoutes() []Route {
	svc := s.svc
	var rs []Route
	rs = append(rs,
		Route{"GET", "/healthz", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			if err := svc.Ping(r.Context()); err != nil {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, err := w.Write([]byte(`{"status":"unavailable"}` + "\n"))
				return err
			}
			return writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok", "engine": svc.Engine()}, 0)
		}},
		Route{"GET", "/api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			w.Header().Set("Content-Type", "application/json")
			_, err := w.Write(openapiDoc)
			return err
		}},
	)

	rs = append(rs, resource[domain.Term, *domain.Term]{
		path: "/api/v1/terms", param: "number",
		keyOf: func(v *domain.Term) string { return strconv.Itoa(v.Number) },
		setKey: func(v *domain.Term, key string) error {
			n, err := termNumber(key)
			if err != nil {
				return err
			}
			if v.Number != 0 && v.Number != n {
				return badRequest("number", "شماره دولت بدنه با نشانی یکی نیست", "the body's number differs from the one in the URL")
			}
			v.Number = n
			return nil
		},
		list: func(r *http.Request, a service.Actor, p domain.Page) ([]any, []string, error) {
			all, err := svc.Terms(r.Context())
			if err != nil {
				return nil, nil, err
			}
			var out []*domain.Term // terms are few; page over them in memory
			after := 0
			if p.After != "" {
				if after, err = strconv.Atoi(p.After); err != nil {
					return nil, nil, badRequest("cursor", "cursor نامعتبر است", "invalid cursor")
				}
			}
			for _, t := range all {
				if t.Number > after {
					out = append(out, t)
				}
			}
			if len(out) > p.Limit {
				out = out[:p.Limit]
			}
			items, keys := listed(out, itself, func(t *domain.Term) string { return strconv.Itoa(t.Number) })
			return items, keys, nil
		},
		get: func(ctx context.Context, a service.Actor, key string) (any, int64, error) {
			n, err := termNumber(key)
			if err != nil {
				return nil, 0, err
			}
			v, err := svc.Term(ctx, n)
			if err != nil {
				return nil, 0, err
			}
			return v, v.Version, nil
		},
		create: svc.CreateTerm,
		update: svc.UpdateTerm,
		delete: func(ctx context.Context, a service.Actor, key string, version int64) error {
			n, err := termNumber(key)
			if err != nil {
				return err
			}
			return svc.DeleteTerm(ctx, a, n, version)
		},
	}.routes()...)

	rs = append(rs, resource[domain.Agency, *domain.Agency]{
		path: "/api/v1/agencies", param: "code",
		keyOf:  func(v *domain.Agency) string { return v.Code },
		setKey: func(v *domain.Agency, key string) error { return sameKey("code", &v.Code, key) },
		list: func(r *http.Request, a service.Actor, p domain.Page) ([]any, []string, error) {
			v, err := svc.Agencies(r.Context(), p)
			items, keys := listed(v, itself, func(x *domain.Agency) string { return x.Code })
			return items, keys, err
		},
		get: func(ctx context.Context, a service.Actor, key string) (any, int64, error) {
			v, err := svc.Agency(ctx, key)
			if err != nil {
				return nil, 0, err
			}
			return v, v.Version, nil
		},
		create: svc.CreateAgency, update: svc.UpdateAgency, delete: svc.DeleteAgency, mayUpdate: svc.MayEditAgency,
	}.routes()...)

	rs = append(rs, resource[domain.Law, *domain.Law]{
		path: "/api/v1/laws", param: "slug",
		keyOf:  func(v *domain.Law) string { return v.Slug },
		setKey: func(v *domain.Law, key string) error { return sameKey("slug", &v.Slug, key) },
		list: func(r *http.Request, a service.Actor, p domain.Page) ([]any, []string, error) {
			v, err := svc.Laws(r.Context(), p)
			items, keys := listed(v, itself, func(x *domain.Law) string { return x.Slug })
			return items, keys, err
		},
		get: func(ctx context.Context, a service.Actor, key string) (any, int64, error) {
			v, err := svc.Law(ctx, key)
			if err != nil {
				return nil, 0, err
			}
			return v, v.Version, nil
		},
		create: svc.CreateLaw, update: svc.UpdateLaw, delete: svc.DeleteLaw,
	}.routes()...)

	rs = append(rs, resource[domain.Project, *domain.Project]{
		path: "/api/v1/projects", param: "slug",
		keyOf:  func(v *domain.Project) string { return v.Slug },
		setKey: func(v *domain.Project, key string) error { return sameKey("slug", &v.Slug, key) },
		listEncoded: func(r *http.Request, a service.Actor, p domain.Page) ([][]byte, []string, error) {
			f, err := projectFilter(r)
			if err != nil {
				return nil, nil, err
			}
			return svc.ProjectsJSON(r.Context(), a, f, p)
		},
		get: func(ctx context.Context, a service.Actor, key string) (any, int64, error) {
			v, err := svc.Project(ctx, a, key)
			if err != nil {
				return nil, 0, err
			}
			return v, v.Version, nil
		},
		create: svc.CreateProject, update: svc.UpdateProject, delete: svc.DeleteProject, mayUpdate: svc.MayEditProject,
		readOnly: []string{"memberships", "hidden_links"}, warn: similarProjects(svc),
	}.routes()...)

	rs = append(rs, resource[domain.Program, *domain.Program]{
		path: "/api/v1/programs", param: "id",
		keyOf:  func(v *domain.Program) string { return v.Slug },
		setKey: func(v *domain.Program, key string) error { return sameKey("id", &v.Slug, key) },
		list: func(r *http.Request, a service.Actor, p domain.Page) ([]any, []string, error) {
			rows, err := svc.Programs(r.Context(), a, p)
			items, keys := listed(rows, func(x domain.ProgramRow) any { return viewProgram(x) },
				func(x domain.ProgramRow) string { return x.Slug })
			return items, keys, err
		},
		get: func(ctx context.Context, a service.Actor, key string) (any, int64, error) {
			row, err := svc.Program(ctx, a, key)
			if err != nil {
				return nil, 0, err
			}
			return viewProgram(row), row.Version, nil
		},
		create: svc.CreateProgram, update: svc.UpdateProgram, delete: svc.DeleteProgram,
		readOnly: []string{"named_count", "active_count", "main_count", "confidential_count", "completeness",
			"stages[].size", "stages[].size_basis", "hidden_links", "stages[].hidden_links"},
	}.routes()...)

	rs = append(rs,
		Route{"GET", "/api/v1/programs/{id}/projects", s.members},
		Route{"POST", "/api/v1/programs/{id}/members", s.designate},
		Route{"POST", "/api/v1/programs/{id}/candidates", s.propose},
		Route{"POST", "/api/v1/programs/{id}/stages", s.recordStage},
		Route{"GET", "/api/v1/programs/{id}/preview", s.preview},
		Route{"GET", "/api/v1/programs/{id}/check", s.check},
		Route{"POST", "/api/v1/programs/{id}/members/{project}/leave", s.leave},
		Route{"GET", "/api/v1/programs/{id}/members/{project}/events", s.events},
		Route{"POST", "/api/v1/programs/{id}/members/{project}/events/{event}/void", s.void},
		Route{"GET", "/api/v1/rules", s.rules},
		Route{"GET", "/api/v1/compare", s.compare},
		Route{"GET", "/api/v1/agencies/{code}/obligations", s.obligations},
		Route{"GET", "/api/v1/agencies/{code}/reminders", s.reminders},
	)
	rs = append(rs, s.meetingRoutes()...)
	rs = append(rs, s.progressRoutes()...)
	rs = append(rs, s.authRoutes()...)
	rs = append(rs, s.signingRoutes()...)
	rs = append(rs, s.auditRoutes()...)
	rs = append(rs, s.importRoutes()...)
	rs = append(rs, s.portalRoutes()...)
	rs = append(rs, s.searchRoutes()...)
	rs = append(rs, s.exchangeRoutes()...)
	return rs
}

func termNumber(key string) (int, error) {
	n, err := strconv.Atoi(key)
	if err != nil || n < 1 || n > 1000 {
		return 0, badRequest("number", "شماره دولت باید عددی بین ۱ و ۱۰۰۰ باشد", "the term number must be a number from 1 to 1000")
	}
	return n, nil
}
