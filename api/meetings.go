package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/minutes"
	"github.com/pishran/pishran/service"
)

// meetingRoutes serves meetings, agendas, outcomes, actions, minutes and the
// decisions feed.
func (s *Server) meetingRoutes() []Route {
	return []Route{
		{"GET", "/api/v1/series", s.seriesList},
		{"POST", "/api/v1/series", s.seriesCreate},
		{"GET", "/api/v1/series/{code}", s.seriesGet},
		{"GET", "/api/v1/meetings", s.meetingList},
		{"POST", "/api/v1/meetings", s.meetingCreate},
		{"GET", "/api/v1/meetings/{id}", s.meetingGet},
		{"PUT", "/api/v1/meetings/{id}", s.meetingUpdate},
		{"POST", "/api/v1/meetings/{id}/hold", s.meetingHold},
		{"POST", "/api/v1/meetings/{id}/close", s.meetingClose},
		{"POST", "/api/v1/meetings/{id}/amendments", s.meetingAmend},
		{"GET", "/api/v1/meetings/{id}/agenda/proposal", s.meetingProposal},
		{"PUT", "/api/v1/meetings/{id}/agenda", s.meetingAgenda},
		{"POST", "/api/v1/meetings/{id}/outcomes", s.meetingOutcome},
		{"GET", "/api/v1/meetings/{id}/minutes", s.meetingMinutes},
		{"GET", "/api/v1/actions", s.actionList},
		{"GET", "/api/v1/actions/{id}", s.actionGet},
		{"POST", "/api/v1/actions/{id}/redate", s.actionRedate},
		{"POST", "/api/v1/actions/{id}/discuss", s.actionDiscuss},
		{"POST", "/api/v1/actions/{id}/close", s.actionClose},
		{"GET", "/api/v1/decisions", s.decisionList},
		{"GET", "/api/v1/decisions.atom", s.decisionFeed},
	}
}

// ---- series ----

func (s *Server) seriesList(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	out, err := s.svc.SeriesList(r.Context(), page)
	if err != nil {
		return err
	}
	return pageAnswer(w, r, out, keysOf(out, func(x *domain.Series) string { return x.Code }), limit)
}

func (s *Server) seriesCreate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var v domain.Series
	if err := decodeRequest(r, &v); err != nil {
		return err
	}
	if err := s.svc.CreateSeries(r.Context(), a, &v); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/series/"+v.Code)
	return writeJSON(w, r, http.StatusCreated, v, v.Version)
}

func (s *Server) seriesGet(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	v, err := s.svc.Series(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, v, v.Version)
}

// ---- meetings ----

// meetingSummary is a meeting as lists show it: no agenda, outcomes or
// attendees.
type meetingSummary struct {
	ID       string              `json:"id"`
	Series   string              `json:"series"`
	Number   int                 `json:"number"`
	Title    domain.Text         `json:"title"`
	Date     domain.Date         `json:"date"`
	State    domain.MeetingState `json:"state"`
	HeldAt   *time.Time          `json:"held_at,omitempty"`
	ClosedAt *time.Time          `json:"closed_at,omitempty"`
	Version  int64               `json:"version"`
}

func (s *Server) meetingList(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if err := numericCursor(page); err != nil {
		return err
	}
	q := r.URL.Query()
	f := domain.MeetingFilter{Series: q.Get("series")}
	if f.Series != "" && !domain.ValidSlug(f.Series) {
		return badRequest("series", "کد دوره نامعتبر است", "invalid series code")
	}
	if st := q.Get("state"); st != "" {
		for _, x := range strings.Split(st, ",") {
			if !contains(domain.MeetingStates, domain.MeetingState(x)) {
				return badRequest("state", "وضعیت باید planned، held یا closed باشد", "state must be planned, held or closed (comma-separated)")
			}
			f.States = append(f.States, domain.MeetingState(x))
		}
	}
	ms, keys, err := s.svc.Meetings(r.Context(), a, f, page)
	if err != nil {
		return err
	}
	out := make([]meetingSummary, len(ms))
	for i, m := range ms {
		out[i] = meetingSummary{ID: m.ID, Series: m.Series, Number: m.Number, Title: m.Title, Date: m.Date, State: m.State,
			HeldAt: m.HeldAt, ClosedAt: m.ClosedAt, Version: m.Version}
	}
	return pageAnswer(w, r, out, keys, limit)
}

func (s *Server) meetingCreate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in service.MeetingInput
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	m, err := s.svc.CreateMeeting(r.Context(), a, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/meetings/"+m.ID)
	return writeJSON(w, r, http.StatusCreated, m, m.Version)
}

func (s *Server) meetingGet(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	m, err := s.svc.Meeting(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.locateMeeting(r, m)
	return writeJSON(w, r, http.StatusOK, m, m.Version)
}

// meetingReadOnly are the fields a meeting's GET shows but its PUT does not
// take: a body read from GET may carry them back (read → modify → PUT).
// The agenda is saved at its own URL, outcomes and amendments are
// appended, and the state moves by hold and close.
var meetingReadOnly = []string{"id", "state", "agenda", "outcomes", "follow_ups", "amendments", "held_at", "closed_at",
	"verification_code", "verify_url",
	"version", "created_at", "updated_at"}

func (s *Server) meetingUpdate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var in service.MeetingInput
	if err := decodeRecord(r, &in, meetingReadOnly); err != nil {
		return err
	}
	m, err := s.svc.UpdateMeeting(r.Context(), a, r.PathValue("id"), version, in)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, m, m.Version)
}

func (s *Server) meetingHold(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	version, err := httpx.IfMatchOptional(r)
	if err != nil {
		return err
	}
	m, err := s.svc.HoldMeeting(r.Context(), a, r.PathValue("id"), version)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, m, m.Version)
}

func (s *Server) meetingClose(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	version, err := httpx.IfMatchOptional(r)
	if err != nil {
		return err
	}
	m, err := s.svc.CloseMeeting(r.Context(), a, r.PathValue("id"), version)
	if err != nil {
		return err
	}
	s.locateMeeting(r, m)
	return writeJSON(w, r, http.StatusOK, m, m.Version)
}

func (s *Server) meetingAmend(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var body struct {
		Text domain.Text `json:"text"`
	}
	if err := decodeRequest(r, &body); err != nil {
		return err
	}
	am, err := s.svc.Amend(r.Context(), a, r.PathValue("id"), body.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusCreated, map[string]any{"amendment": am}, 0)
}

// agendaProposal is a proposed agenda.
type agendaProposal struct {
	Meeting string              `json:"meeting"`
	Date    domain.Date         `json:"date"`
	Items   []domain.AgendaItem `json:"items"`
}

func (s *Server) meetingProposal(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	m, items, err := s.svc.ProposeAgenda(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, agendaProposal{Meeting: m.ID, Date: m.Date, Items: items}, 0)
}

func (s *Server) meetingAgenda(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	version, err := ifMatch(r)
	if err != nil {
		return err
	}
	var body struct {
		Items []domain.AgendaItem `json:"items"`
	}
	if err := decodeRequest(r, &body); err != nil {
		return err
	}
	m, err := s.svc.SaveAgenda(r.Context(), a, r.PathValue("id"), version, body.Items)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, m, m.Version)
}

// outcomeAnswer is a recorded outcome, with the action it created.
type outcomeAnswer struct {
	Outcome *domain.Outcome `json:"outcome"`
	Action  *domain.Action  `json:"action,omitempty"`
}

func (s *Server) meetingOutcome(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var in service.OutcomeInput
	if err := decodeRequest(r, &in); err != nil {
		return err
	}
	o, act, err := s.svc.RecordOutcome(r.Context(), a, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	if act != nil {
		w.Header().Set("Location", "/api/v1/actions/"+strconv.FormatInt(act.ID, 10))
	}
	return writeJSON(w, r, http.StatusCreated, outcomeAnswer{o, act}, 0)
}

func (s *Server) meetingMinutes(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	q := r.URL.Query()
	lang, format := q.Get("lang"), q.Get("format")
	if lang == "" {
		lang = "fa"
	}
	if format == "" {
		format = "md"
	}
	if !contains(minutes.Langs, lang) {
		return badRequest("lang", "lang باید fa یا en باشد", "lang must be fa or en")
	}
	if !contains(minutes.Formats, format) {
		return badRequest("format", "format باید md یا html باشد", "format must be md or html")
	}
	in, err := s.svc.Minutes(r.Context(), a, r.PathValue("id"))
	if err != nil {
		return err
	}
	in.Base = s.baseURL(r)
	body, err := minutes.Render(in, lang, format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", minutes.ContentType(format))
	w.Header().Set("Content-Language", lang)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// The page is self-contained: inline style, no script, nothing fetched.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_, err = w.Write(body)
	return err
}

// ---- actions ----

func actionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("id", "شناسه اقدام باید عدد مثبت باشد", "the action id must be a positive number")
	}
	return id, nil
}

func (s *Server) actionList(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if a.Role == service.RoleAnonymous {
		return s.publicActionList(w, r) // public_follow.go
	}
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if err := numericCursor(page); err != nil {
		return err
	}
	q := r.URL.Query()
	f := domain.ActionFilter{Owner: q.Get("agency"), Project: q.Get("project")}
	if f.Owner != "" && !domain.ValidSlug(f.Owner) {
		return badRequest("agency", "کد دستگاه نامعتبر", "invalid agency code")
	}
	if f.Project != "" && !domain.ValidSlug(f.Project) {
		return badRequest("project", "شناسه پروژه نامعتبر", "invalid project slug")
	}
	switch q.Get("open") {
	case "", "false":
	case "true":
		f.OpenOnly = true
	default:
		return badRequest("open", "open باید true یا false باشد", "open must be true or false")
	}
	out, err := s.svc.Actions(r.Context(), a, f, page)
	if err != nil {
		return err
	}
	return pageAnswer(w, r, out, keysOf(out, func(x *domain.Action) string { return strconv.FormatInt(x.ID, 10) }), limit)
}

func (s *Server) actionGet(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if a.Role == service.RoleAnonymous {
		return s.publicActionGet(w, r) // public_follow.go
	}
	id, err := actionID(r)
	if err != nil {
		return err
	}
	act, err := s.svc.Action(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, act, act.Version)
}

// actionAct reads the action id, If-Match and a strictly decoded body, then
// runs one act on the action.
func actionAct[B any](s *Server, w http.ResponseWriter, r *http.Request, a service.Actor,
	may func(id int64) error, do func(id, version int64, body B) (*domain.Action, error)) error {
	id, err := actionID(r)
	if err != nil {
		return err
	}
	var mayAct func() error
	if may != nil {
		mayAct = func() error { return may(id) }
	}
	version, err := ifMatchFor(r, mayAct)
	if err != nil {
		return err
	}
	var body B
	if err := decodeRequest(r, &body); err != nil {
		return err
	}
	act, err := do(id, version, body)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, act, act.Version)
}

func (s *Server) actionRedate(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	type redate struct {
		Due     *domain.Date `json:"due"`
		Reason  domain.Text  `json:"reason"`
		Meeting string       `json:"meeting"`
	}
	return actionAct(s, w, r, a, nil, func(id, version int64, b redate) (*domain.Action, error) {
		return s.svc.RedateAction(r.Context(), a, id, version, service.ActionUpdate{Due: b.Due, Reason: b.Reason, Meeting: b.Meeting})
	})
}

func (s *Server) actionDiscuss(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	type discuss struct {
		Note    domain.Text `json:"note"`
		Meeting string      `json:"meeting"`
	}
	may := func(id int64) error { return s.svc.MayDiscussAction(r.Context(), a, id) }
	return actionAct(s, w, r, a, may, func(id, version int64, b discuss) (*domain.Action, error) {
		return s.svc.DiscussAction(r.Context(), a, id, version, service.ActionUpdate{Note: b.Note, Meeting: b.Meeting})
	})
}

func (s *Server) actionClose(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	type closing struct {
		Note    domain.Text  `json:"note"`
		Meeting string       `json:"meeting"`
		Date    *domain.Date `json:"date"`
	}
	return actionAct(s, w, r, a, nil, func(id, version int64, b closing) (*domain.Action, error) {
		return s.svc.CloseAction(r.Context(), a, id, version, service.ActionUpdate{Note: b.Note, Meeting: b.Meeting, Date: b.Date})
	})
}

// ---- decisions ----

func (s *Server) decisionList(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	page, limit, err := pageOf(r)
	if err != nil {
		return err
	}
	if err := numericCursor(page); err != nil {
		return err
	}
	out, err := s.svc.Decisions(r.Context(), a, page)
	if err != nil {
		return err
	}
	keys := make([]string, len(out))
	base := s.baseURL(r)
	for i, d := range out {
		keys[i] = strconv.FormatInt(d.ID, 10)
		d.Locate(base)
	}
	return pageAnswer(w, r, out, keys, limit)
}

// decisionFeed serves the newest decisions (50 by default, ?limit= up to
// 1000) as an Atom feed in ?lang= fa (default) or en.
func (s *Server) decisionFeed(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	q := r.URL.Query()
	lang := q.Get("lang")
	if lang == "" {
		lang = "fa"
	}
	if !contains(minutes.Langs, lang) {
		return badRequest("lang", "lang باید fa یا en باشد", "lang must be fa or en")
	}
	limit := 50
	if x := q.Get("limit"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > 1000 {
			return badRequest("limit", "limit باید عددی بین ۱ و ۱۰۰۰ باشد", "limit must be a number from 1 to 1000")
		}
		limit = n
	}
	out, err := s.svc.Decisions(r.Context(), a, domain.Page{Limit: limit})
	if err != nil {
		return err
	}
	// Links are on the public URL when it is set; otherwise relative to
	// the feed's own URL (RFC 4287 §4.2.7 IRIs may be relative), so no
	// Host header a client sends ends up in the feed.
	body, err := minutes.Atom(out, lang, s.auth.cfg.PublicURL, time.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(body)
	return err
}
