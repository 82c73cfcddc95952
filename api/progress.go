package api

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/store"
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
	var he *httpError
	if errors.As(err, &he) && he.field == "" {
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

// ifMatchOptional reads If-Match when given (0 when not): state changes
// take it to refuse acting on a report changed since it was read.
func ifMatchOptional(r *http.Request) (int64, error) {
	if strings.TrimSpace(r.Header.Get("If-Match")) == "" {
		return 0, nil
	}
	return ifMatch(r)
}

func positiveID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest(name, "شناسه باید عدد مثبت باشد", "the "+name+" must be a positive number")
	}
	return id, nil
}

func asOfQuery(r *http.Request) (*domain.Date, error) {
	s := r.URL.Query().Get("as_of")
	if s == "" {
		return nil, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return nil, badRequest("as_of", "تاریخ نامعتبر: "+err.Error(), "invalid date: "+err.Error())
	}
	return &d, nil
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
	f := store.ReportFilter{Project: q.Get("project"), Agency: q.Get("agency"), State: domain.ReportState(q.Get("state"))}
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
	l := List[*domain.Report]{Items: rs}
	if l.Items == nil {
		l.Items = []*domain.Report{}
	}
	if len(rs) > limit {
		l.Items = rs[:limit]
		c := encodeCursor(strconv.FormatInt(rs[limit-1].ID, 10))
		l.NextCursor = &c
	}
	return writeJSON(w, r, http.StatusOK, l, 0)
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
	version, err := ifMatchOptional(r)
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

// ---- evidence ----

// linkBody is evidence given as a link.
type linkBody struct {
	URL   string      `json:"url"`
	Title domain.Text `json:"title"`
}

func tooLarge(limit int64) error {
	mb := strconv.FormatFloat(float64(limit)/(1<<20), 'f', -1, 64)
	return statusError(http.StatusRequestEntityTooLarge, "file", "پرونده از سقف "+mb+" مگابایت بزرگ‌تر است",
		"the file is larger than the evidence limit of "+mb+" MiB")
}

func unsupportedType(field, mt string) error {
	return statusError(http.StatusUnsupportedMediaType, field,
		"نوع پرونده پذیرفته نیست ("+mt+"): PDF، PNG، JPEG، متن، CSV یا پرونده‌های اداری (docx، xlsx، pptx، odt، ods، odp)",
		"file type not accepted ("+mt+"): PDF, PNG, JPEG, plain text, CSV or office files (docx, xlsx, pptx, odt, ods, odp)")
}

// readLimited reads at most limit bytes, refusing more with 413.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, badRequest("file", "خواندن پرونده ممکن نشد", "could not read the file")
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

// addEvidence takes a link (a JSON body), a file as the raw body (its
// Content-Type, and ?name=), or a file as multipart/form-data (a "file"
// part; optional "title_fa" and "title_en" parts).
func (s *Server) addEvidence(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	version, err := ifMatchOptional(r)
	if err != nil {
		return err
	}
	limit := s.svc.EvidenceLimit()
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return statusError(http.StatusUnsupportedMediaType, "Content-Type", "نوع محتوا (Content-Type) لازم است",
			"a Content-Type is required: application/json for a link, the file's type for a file")
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return statusError(http.StatusUnsupportedMediaType, "Content-Type", "Content-Type نامعتبر", "invalid Content-Type")
	}
	var up service.EvidenceUpload
	switch {
	case mt == "application/json":
		var body linkBody
		if err := decodeRequest(r, &body); err != nil {
			return err
		}
		if body.URL == "" {
			return domain.Invalid("url", "پیوند لازم است", "the url is required")
		}
		up = service.EvidenceUpload{URL: body.URL, Title: body.Title}
	case mt == "multipart/form-data":
		up, err = readMultipart(w, r, params["boundary"], limit)
		if err != nil {
			return err
		}
	default:
		if _, ok := service.EvidenceType(ct); !ok {
			return unsupportedType("Content-Type", mt)
		}
		if r.ContentLength > limit {
			return tooLarge(limit)
		}
		up = service.EvidenceUpload{Name: r.URL.Query().Get("name"), Declared: ct,
			Title: domain.T(r.URL.Query().Get("title_fa"), r.URL.Query().Get("title_en"))}
		if strings.TrimSpace(up.Name) == "" {
			return domain.Invalid("name", "نام پرونده را با ?name= بدهید", "give the file's name with ?name=")
		}
		if up.Content, err = readLimited(http.MaxBytesReader(w, r.Body, limit+1), limit); err != nil {
			return err
		}
	}
	e, err := s.svc.AddEvidence(r.Context(), a, id, version, up)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/reports/"+strconv.FormatInt(id, 10)+"/evidence/"+strconv.Itoa(e.N))
	return writeJSON(w, r, http.StatusCreated, e, 0)
}

func readMultipart(w http.ResponseWriter, r *http.Request, boundary string, limit int64) (service.EvidenceUpload, error) {
	var up service.EvidenceUpload
	if boundary == "" {
		return up, badRequest("Content-Type", "مرز multipart مشخص نیست", "the multipart boundary is missing")
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, limit+MaxBody), boundary)
	seen := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return up, tooLarge(limit)
			}
			return up, badRequest("", "بدنه multipart خوانا نیست", "the multipart body cannot be read")
		}
		switch part.FormName() {
		case "file":
			if seen {
				return up, badRequest("file", "فقط یک پرونده در هر درخواست", "one file per request")
			}
			seen = true
			up.Name, up.Declared = part.FileName(), part.Header.Get("Content-Type")
			if _, ok := service.EvidenceType(up.Declared); !ok {
				return up, unsupportedType("file", up.Declared)
			}
			if up.Content, err = readLimited(part, limit); err != nil {
				return up, err
			}
		case "title_fa", "title_en":
			b, err := readLimited(part, 10000)
			if err != nil {
				return up, badRequest(part.FormName(), "عنوان بیش از حد طولانی است", "the title is too long")
			}
			if part.FormName() == "title_fa" {
				up.Title.FA = string(b)
			} else {
				up.Title.EN = string(b)
			}
		default:
			return up, badRequest(part.FormName(), "بخش ناشناخته: "+part.FormName(), "unknown form part: "+part.FormName())
		}
	}
	if !seen {
		return up, domain.Invalid("file", "پرونده‌ای (بخش file) فرستاده نشده است", "no file part was sent")
	}
	return up, nil
}

func (s *Server) evidence(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	id, err := positiveID(r, "id")
	if err != nil {
		return err
	}
	n, err := positiveID(r, "n")
	if err != nil {
		return err
	}
	e, content, err := s.svc.Evidence(r.Context(), a, id, int(n))
	if err != nil {
		return err
	}
	if e.Kind != domain.EvidenceFile {
		return writeJSON(w, r, http.StatusOK, e, 0)
	}
	etag := `"` + e.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+extValue(e.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	if sum, err := hex.DecodeString(e.SHA256); err == nil {
		h.Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.Itoa(len(content)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(content)
	return err
}

// extValue percent-encodes a file name for a Content-Disposition filename*
// parameter (RFC 8187): every byte outside attr-char is escaped.
func extValue(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
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
	l := List[service.BoardRow]{Items: rows}
	if l.Items == nil {
		l.Items = []service.BoardRow{}
	}
	if len(rows) > limit {
		l.Items = rows[:limit]
		c := encodeCursor(rows[limit-1].Project)
		l.NextCursor = &c
	}
	return writeJSON(w, r, http.StatusOK, l, 0)
}

func (s *Server) followUpPolicy(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	return writeJSON(w, r, http.StatusOK, s.svc.Policy(), 0)
}
