package api

import (
	"net/http"
	"strconv"

	"github.com/pishran/pishran/designation"
	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

func projectFilter(r *http.Request) (domain.ProjectFilter, error) {
	q := r.URL.Query()
	f := domain.ProjectFilter{Kind: domain.ProjectKind(q.Get("kind")), Status: domain.Lifecycle(q.Get("status")), Agency: q.Get("agency")}
	if f.Kind != "" && f.Kind != domain.KindService && f.Kind != domain.KindInfrastructure {
		return f, badRequest("kind", "kind باید service یا infrastructure باشد", "kind must be service or infrastructure")
	}
	if f.Status != "" && !contains(domain.Lifecycles, f.Status) {
		return f, badRequest("status", "وضعیت نامعتبر", "invalid status")
	}
	if f.Agency != "" && !domain.ValidSlug(f.Agency) {
		return f, badRequest("agency", "کد دستگاه نامعتبر", "invalid agency code")
	}
	return f, nil
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (s *Server) members(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	var f domain.MemberFilter
	switch r.URL.Query().Get("active") {
	case "", "false":
	case "true":
		f.ActiveOnly = true
	default:
		return badRequest("active", "active باید true یا false باشد", "active must be true or false")
	}
	ms, hidden, err := s.svc.Members(r.Context(), a, r.PathValue("id"), f, page)
	if err != nil {
		return err
	}
	l := memberList{List: pageList(ms, keysOf(ms, func(m *domain.Member) string { return m.Project }), limit), HiddenConfidential: hidden}
	return writeJSON(w, r, http.StatusOK, l, 0)
}

// designated is the answer to a designation: the recorded event and any
// warnings the rules raised.
type designated struct {
	Event    *domain.MembershipEvent `json:"event"`
	Warnings []domain.Violation      `json:"warnings"`
}

func (s *Server) designate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var d service.Designation
	if err := decodeRequest(r, &d); err != nil {
		return err
	}
	d.Program = r.PathValue("id")
	ev, warnings, err := s.svc.Designate(r.Context(), a, d)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/programs/"+d.Program+"/members/"+d.Project+"/events")
	return writeJSON(w, r, http.StatusCreated, designated{ev, warnings}, 0)
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	project := r.URL.Query().Get("project")
	if project == "" {
		return badRequest("project", "پارامتر project لازم است", "the project query parameter is required")
	}
	v, err := s.svc.Preview(r.Context(), a, r.PathValue("id"), project)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, v, 0)
}

func (s *Server) check(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	vs, err := s.svc.CheckProgram(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []service.Verdict{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": vs}, 0)
}

func (s *Server) leave(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var d service.Departure
	if err := decodeRequest(r, &d); err != nil {
		return err
	}
	d.Program, d.Project = r.PathValue("id"), r.PathValue("project")
	ev, err := s.svc.Leave(r.Context(), a, d)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusCreated, map[string]any{"event": ev}, 0)
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	evs, err := s.svc.History(r.Context(), a, r.PathValue("id"), r.PathValue("project"))
	if err != nil {
		return err
	}
	if evs == nil {
		evs = []*domain.MembershipEvent{}
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": evs}, 0)
}

func (s *Server) void(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := strconv.ParseInt(r.PathValue("event"), 10, 64)
	if err != nil || id <= 0 {
		return badRequest("event", "شناسه رویداد باید عدد مثبت باشد", "the event id must be a positive number")
	}
	var body struct {
		Note domain.Text `json:"note"`
	}
	if err := decodeRequest(r, &body); err != nil {
		return err
	}
	ev, err := s.svc.Void(r.Context(), a, r.PathValue("id"), r.PathValue("project"), id, body.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusCreated, map[string]any{"event": ev}, 0)
}

// ruleView describes one designation rule.
type ruleView struct {
	ID       string          `json:"id"`
	Severity domain.Severity `json:"severity"`
	Title    domain.Text     `json:"title"`
	Explain  domain.Text     `json:"explain"`
}

func (s *Server) rules(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var out []ruleView
	for _, rule := range designation.Rules() {
		out = append(out, ruleView{rule.ID, rule.Severity, rule.Title, rule.Explain})
	}
	return writeJSON(w, r, http.StatusOK, map[string]any{"items": out}, 0)
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	q := r.URL.Query()
	res, err := s.svc.Compare(r.Context(), a, q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, res, 0)
}

func (s *Server) propose(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var body struct {
		Project string `json:"project"`
	}
	if err := decodeRequest(r, &body); err != nil {
		return err
	}
	if body.Project == "" {
		return domain.Invalid("project", "پروژه مشخص نیست", "the project is required")
	}
	v, err := s.svc.Propose(r.Context(), a, r.PathValue("id"), body.Project)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusCreated, v, 0)
}

func (s *Server) recordStage(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var d service.StageDecision
	if err := decodeRequest(r, &d); err != nil {
		return err
	}
	d.Program = r.PathValue("id")
	row, err := s.svc.RecordStage(r.Context(), a, d)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/programs/"+d.Program)
	return writeJSON(w, r, http.StatusCreated, viewProgram(row), row.Version)
}
