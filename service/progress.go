package service

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http" // only for http.DetectContentType, the sniffer the evidence check is defined by
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Follow-up acts: milestones and indicators (the secretariat or the
// project's lead agency), progress reports (written by the agencies on a
// project, reviewed by the secretariat), evidence, ratings and baselines.
// The parliamentary review found the earlier follow-up ran on
// self-reported, never-verified data; so an agency's report counts for
// nothing until the secretariat accepts it, and the council rates each
// project independently of the agency's own rating.

// DefaultEvidenceMax is the largest evidence file accepted unless the
// operator sets another limit: 10 MiB.
const DefaultEvidenceMax = 10 << 20

// SetEvidenceLimit sets the largest evidence file, in bytes (0: the default).
func (s *Service) SetEvidenceLimit(n int64) { s.evidenceMax = n }

// EvidenceLimit returns the largest evidence file accepted, in bytes.
func (s *Service) EvidenceLimit() int64 {
	if s.evidenceMax <= 0 {
		return DefaultEvidenceMax
	}
	return s.evidenceMax
}

func txDay(tx *store.Tx) domain.Date { return domain.DateOf(tx.Now()) }

// visibleProject returns the project if the actor may see it, or a 404
// naming field.
func seenProject(tx *store.Tx, a Actor, field, slug string) (*domain.Project, error) {
	p, err := tx.Project(slug, a.Viewer())
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, domain.NotFound(field, "project")
	}
	return p, err
}

func forbiddenAt(field, fa, en string) error {
	return &domain.Error{Kind: domain.KindForbidden, Field: field, Message: domain.T(fa, en)}
}

func notAfterToday(tx *store.Tx, field string, d *domain.Date) error {
	if d != nil && txDay(tx).Before(*d) {
		return domain.Invalid(field, "این تاریخ هنوز نرسیده است", "this date is in the future")
	}
	return nil
}

// ---- milestones and indicators ----

// Milestones lists a project's milestones.
func (s *Service) Milestones(ctx context.Context, a Actor, project string) (out []*domain.Milestone, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Milestones(project)
		return err
	})
	return out, err
}

// CreateMilestone adds a milestone; the secretariat or the project's lead
// agency may. A milestone is marked done only by an accepted report.
func (s *Service) CreateMilestone(ctx context.Context, a Actor, m *domain.Milestone) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	if m.Actual != nil {
		return domain.Invalid("actual", "انجام نقطه عطف را گزارش پذیرفته‌شده ثبت می‌کند", "a milestone is marked done by an accepted progress report, not on creation")
	}
	m.Percent = 0
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", m.Project)
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(p); err != nil {
			return err
		}
		if err := tx.InsertMilestone(m); err != nil {
			return err
		}
		return auditState(tx, "create", "milestone", m.Project+"/"+strconv.FormatInt(m.ID, 10), nil)
	})
}

// KPIs lists a project's indicators, each with whether its latest accepted
// value meets the target.
func (s *Service) KPIs(ctx context.Context, a Actor, project string) (out []*domain.KPI, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.KPIs(project)
		return err
	})
	return out, err
}

// CreateKPI adds an indicator; the secretariat or the project's lead agency
// may.
func (s *Service) CreateKPI(ctx context.Context, a Actor, k *domain.KPI) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if err := k.Validate(); err != nil {
		return err
	}
	k.Latest, k.LatestPeriod, k.Met = nil, "", nil
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", k.Project)
		if err != nil {
			return err
		}
		if err := a.mustOwnProject(p); err != nil {
			return err
		}
		if err := tx.InsertKPI(k); err != nil {
			return err
		}
		return auditState(tx, "create", "kpi", k.Project+"/"+strconv.FormatInt(k.ID, 10), nil)
	})
}

// ---- progress reports ----

// Reports lists the reports the actor may see: until accepted, a report is
// seen only by its agency and the secretariat.
func (s *Service) Reports(ctx context.Context, a Actor, f store.ReportFilter, p store.Page) (out []*domain.Report, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Reports(f, a.Viewer(), p); err != nil {
			return err
		}
		return sealReports(tx, out)
	})
	return out, err
}

// Report returns one report with its review history.
func (s *Service) Report(ctx context.Context, a Actor, id int64) (out *domain.Report, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if out, err = tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		return sealReports(tx, []*domain.Report{out})
	})
	return out, err
}

// mustReport checks the actor is an agency and may report as agency.
func (a Actor) mustReport() error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	if a.Role != RoleAgency {
		return domain.Forbidden("گزارش پیشرفت را دستگاه اجرایی می‌نویسد و دبیرخانه بررسی می‌کند",
			"progress reports are written by an agency on the project and reviewed by the secretariat")
	}
	return nil
}

// checkReport checks what a report says against the registry: the agency
// is on the project, the period has begun.
func checkReport(tx *store.Tx, a Actor, r *domain.Report) error {
	p, err := seenProject(tx, a, "project", r.Project)
	if err != nil {
		return err
	}
	if !p.HasAgency(a.Agency) {
		return forbiddenAt("project", "دستگاه شما در این پروژه نیست و نمی‌تواند درباره آن گزارش دهد",
			"your agency is not on this project (neither lead nor participant), so it cannot report on it")
	}
	if txDay(tx).Before(r.Period.Start()) {
		return domain.Invalid("period", "این دوره هنوز آغاز نشده است", "this period has not begun yet")
	}
	for i, m := range r.Milestones {
		if err := notAfterToday(tx, "milestones["+strconv.Itoa(i)+"].done", m.Done); err != nil {
			return err
		}
	}
	return nil
}

// CreateReport records a draft report by the actor's agency.
func (s *Service) CreateReport(ctx context.Context, a Actor, r *domain.Report) error {
	if err := a.mustReport(); err != nil {
		return err
	}
	if r.Agency == "" {
		r.Agency = a.Agency
	}
	if r.Agency != a.Agency {
		return forbiddenAt("agency", "هر دستگاه فقط به نام خودش گزارش می‌دهد", "an agency reports only in its own name")
	}
	if err := r.Validate(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		if err := checkReport(tx, a, r); err != nil {
			return err
		}
		if err := tx.InsertReport(r, a.Name); err != nil {
			return err
		}
		got, err := tx.Report(r.ID, a.Viewer())
		if err != nil {
			return err
		}
		*r = *got
		return auditState(tx, "create", "report", strconv.FormatInt(r.ID, 10), nil)
	})
}

// ownReport loads a report and checks the actor's agency wrote it and the
// actor's version (when given) is current.
func ownReport(tx *store.Tx, a Actor, id, version int64) (*domain.Report, error) {
	old, err := tx.Report(id, a.Viewer())
	if err != nil {
		return nil, err
	}
	if a.Role != RoleAgency || old.Agency != a.Agency {
		return nil, domain.Forbidden("فقط دستگاهی که گزارش را نوشته می‌تواند آن را تغییر دهد یا ارسال کند",
			"only the agency that wrote the report may change or submit it")
	}
	if version != 0 && version != old.Version {
		return nil, domain.Stale("report")
	}
	return old, nil
}

func notEditable(r *domain.Report) error {
	return domain.Conflict("state", "گزارش در وضعیت «"+string(r.State)+"» است و فقط پیش‌نویس یا برگشتی ویرایش می‌شود",
		"the report is "+string(r.State)+": only a draft or returned report can be changed")
}

// UpdateReport replaces a draft or returned report's content; r.Version
// must be the version the caller read.
func (s *Service) UpdateReport(ctx context.Context, a Actor, r *domain.Report) error {
	if err := a.mustReport(); err != nil {
		return err
	}
	return s.update(ctx, a, func(tx *store.Tx) error {
		old, err := ownReport(tx, a, r.ID, r.Version)
		if err != nil {
			return err
		}
		if r.Project == "" {
			r.Project = old.Project
		}
		if r.Agency == "" {
			r.Agency = old.Agency
		}
		if r.Project != old.Project {
			return domain.Invalid("project", "پروژه گزارش تغییر نمی‌کند", "a report's project cannot change")
		}
		if r.Agency != old.Agency {
			return domain.Invalid("agency", "دستگاه گزارش تغییر نمی‌کند", "a report's agency cannot change")
		}
		if !old.State.Editable() {
			return notEditable(old)
		}
		if err := r.Validate(); err != nil {
			return err
		}
		if err := checkReport(tx, a, r); err != nil {
			return err
		}
		r.State = old.State
		if err := tx.UpdateReport(r, a.Name); err != nil {
			return err
		}
		got, err := tx.Report(r.ID, a.Viewer())
		if err != nil {
			return err
		}
		*r = *got
		return auditState(tx, "update", "report", strconv.FormatInt(r.ID, 10), old)
	})
}

// SubmitReport sends a draft or returned report to the secretariat.
// version, when not 0, must be the version the caller read.
func (s *Service) SubmitReport(ctx context.Context, a Actor, id, version int64) (out *domain.Report, err error) {
	if err := a.mustReport(); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		old, err := ownReport(tx, a, id, version)
		if err != nil {
			return err
		}
		if !old.State.Editable() {
			return domain.Conflict("state", "گزارش در وضعیت «"+string(old.State)+"» است و ارسال نمی‌شود",
				"the report is "+string(old.State)+": only a draft or returned report can be submitted")
		}
		if err := tx.Transition(id, old.Version, domain.ReviewEvent{Type: domain.ReviewSubmitted, From: old.State,
			To: domain.ReportSubmitted, By: a.Name}); err != nil {
			return err
		}
		if out, err = tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		return auditState(tx, "submit", "report", strconv.FormatInt(id, 10), old)
	})
	return out, err
}

// AcceptReport accepts a submitted report: from now on it counts. comment
// is optional.
func (s *Service) AcceptReport(ctx context.Context, a Actor, id, version int64, comment domain.Text) (*domain.Report, error) {
	return s.review(ctx, a, id, version, domain.ReviewAccepted, domain.ReportAccepted, comment)
}

// ReturnReport sends a submitted report back to its agency, with a
// comment saying what to fix.
func (s *Service) ReturnReport(ctx context.Context, a Actor, id, version int64, comment domain.Text) (*domain.Report, error) {
	if comment.IsZero() {
		if err := a.mustBeSecretariat(); err != nil {
			return nil, err
		}
		return nil, domain.Invalid("comment", "برگرداندن گزارش بدون توضیح ممکن نیست: بگویید چه باید اصلاح شود",
			"returning a report needs a comment saying what to fix")
	}
	return s.review(ctx, a, id, version, domain.ReviewReturned, domain.ReportReturned, comment)
}

func (s *Service) review(ctx context.Context, a Actor, id, version int64, typ string, to domain.ReportState, comment domain.Text) (out *domain.Report, err error) {
	if err := a.mustBeSecretariat(); err != nil {
		return nil, err
	}
	if err := domain.ValidText("comment", comment, false); err != nil {
		return nil, err
	}
	err = s.update(ctx, a, func(tx *store.Tx) error {
		old, err := tx.Report(id, a.Viewer())
		if err != nil {
			return err
		}
		if version != 0 && version != old.Version {
			return domain.Stale("report")
		}
		if old.State != domain.ReportSubmitted {
			return domain.Conflict("state", "گزارش در وضعیت «"+string(old.State)+"» است؛ فقط گزارش ارسال‌شده بررسی می‌شود",
				"the report is "+string(old.State)+": only a submitted report can be accepted or returned")
		}
		if err := tx.Transition(id, old.Version, domain.ReviewEvent{Type: typ, From: old.State, To: to,
			Comment: comment, By: a.Name}); err != nil {
			return err
		}
		if out, err = tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		if to == domain.ReportAccepted {
			if err := s.publishReport(tx, a, out); err != nil {
				return err
			}
		}
		if err := auditState(tx, typ, "report", strconv.FormatInt(id, 10), old); err != nil {
			return err
		}
		if to == domain.ReportAccepted {
			// The report's word moved its milestones and indicators.
			for _, m := range out.Milestones {
				if err := auditState(tx, "accept-report", "milestone", out.Project+"/"+strconv.FormatInt(m.Milestone, 10),
					map[string]any{"report": id}); err != nil {
					return err
				}
			}
			for _, k := range out.KPIs {
				if err := auditState(tx, "accept-report", "kpi", out.Project+"/"+strconv.FormatInt(k.KPI, 10),
					map[string]any{"report": id}); err != nil {
					return err
				}
			}
		}
		// The answer shows the code just published.
		return sealReports(tx, []*domain.Report{out})
	})
	return out, err
}

// ---- evidence ----

// EvidenceUpload is evidence as given: a link (URL), or a file (Name,
// Declared content type, Content).
type EvidenceUpload struct {
	URL      string
	Title    domain.Text
	Name     string
	Declared string
	Content  []byte
}

// Evidence families: a declared type and the sniffed one must fall in the
// same family.
var evidenceTypes = map[string]string{
	"application/pdf": "pdf",
	"image/png":       "png",
	"image/jpeg":      "jpeg",
	"text/plain":      "text",
	"text/csv":        "text",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   "office",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "office",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "office",
	"application/vnd.oasis.opendocument.text":                                   "office",
	"application/vnd.oasis.opendocument.spreadsheet":                            "office",
	"application/vnd.oasis.opendocument.presentation":                           "office",
}

// sniffedFamily maps what http.DetectContentType says to a family. Office
// files are zip archives, so the sniffer says application/zip.
var sniffedFamily = map[string]string{
	"application/pdf": "pdf",
	"image/png":       "png",
	"image/jpeg":      "jpeg",
	"text/plain":      "text",
	"application/zip": "office",
}

// EvidenceType returns the media type of a declared Content-Type and
// whether evidence of that type is accepted: PDF, PNG, JPEG, plain text or
// CSV, and the zip-based office formats (OOXML, OpenDocument).
func EvidenceType(declared string) (string, bool) {
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil {
		return "", false
	}
	mt = strings.ToLower(mt)
	return mt, evidenceTypes[mt] != ""
}

// checkEvidenceFile checks a file against the allow-list and the size
// limit, and that its content is what its declared type says, by sniffing.
func (s *Service) checkEvidenceFile(up *EvidenceUpload) (string, error) {
	name := strings.TrimSpace(up.Name)
	if name == "" || len(name) > 255 || strings.ContainsAny(name, `/\`) || strings.ContainsFunc(name, unicode.IsControl) {
		return "", domain.Invalid("name", "نام پرونده لازم است (بدون مسیر و نویسه کنترلی، حداکثر ۲۵۵ بایت)",
			"a file name is required (no path, no control characters, at most 255 bytes)")
	}
	// A bidirectional override would make "report\u202Efdp.exe" read as
	// "reportexe.pdf".
	if err := domain.CheckLine("name", name, 255); err != nil {
		return "", err
	}
	up.Name = name
	// Browsers on Windows declare a .csv file as Excel's old binary type,
	// and some declare a file they do not know as application/octet-stream:
	// for a file named .csv the name says what it is, and its content is
	// still checked to be text below.
	if dt, _, _ := mime.ParseMediaType(up.Declared); strings.EqualFold(filepath.Ext(name), ".csv") &&
		(strings.EqualFold(dt, "application/vnd.ms-excel") || strings.EqualFold(dt, "application/octet-stream")) {
		up.Declared = "text/csv"
	}
	mt, ok := EvidenceType(up.Declared)
	if !ok {
		return "", domain.Invalid("content_type", "نوع پرونده پذیرفته نیست: PDF، PNG، JPEG، متن، CSV یا پرونده‌های اداری (docx، xlsx، pptx، odt، ods، odp)",
			"file type not accepted: PDF, PNG, JPEG, plain text, CSV or office files (docx, xlsx, pptx, odt, ods, odp)")
	}
	if len(up.Content) == 0 {
		return "", domain.Invalid("file", "پرونده خالی است", "the file is empty")
	}
	if int64(len(up.Content)) > s.EvidenceLimit() {
		return "", domain.Invalid("file", "پرونده از سقف مجاز بزرگ‌تر است", "the file is larger than the evidence size limit")
	}
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(up.Content))
	if sniffedFamily[sniffed] != evidenceTypes[mt] {
		return "", domain.Invalid("file", "محتوای پرونده ("+sniffed+") با نوع اعلام‌شده ("+mt+") نمی‌خواند",
			"the file's content ("+sniffed+") does not match its declared type ("+mt+")")
	}
	if evidenceTypes[mt] == "office" && !officeZip(up.Content) {
		return "", domain.Invalid("file", "این پرونده zip یک سند اداری نیست", "this zip file is not an office document")
	}
	return mt, nil
}

// officeZip reports whether a zip archive is an office document: OOXML has
// [Content_Types].xml, OpenDocument a mimetype entry.
func officeZip(b []byte) bool {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return false
	}
	for _, f := range z.File {
		if f.Name == "[Content_Types].xml" || f.Name == "mimetype" {
			return true
		}
	}
	return false
}

// AddEvidence attaches a link or a file to a draft or returned report of
// the actor's agency. version, when not 0, must be the version read.
func (s *Service) AddEvidence(ctx context.Context, a Actor, id, version int64, up EvidenceUpload) (*domain.Evidence, error) {
	if err := a.mustReport(); err != nil {
		return nil, err
	}
	if err := domain.ValidTitle("title", up.Title, false); err != nil {
		return nil, err
	}
	e := &domain.Evidence{Title: up.Title, AddedBy: a.Name}
	var content []byte
	if up.URL != "" {
		if up.Content != nil {
			return nil, domain.Invalid("url", "مدرک یا پیوند است یا پرونده، نه هر دو", "evidence is a link or a file, not both")
		}
		if err := domain.ValidEvidenceURL(up.URL); err != nil {
			return nil, err
		}
		e.Kind, e.URL = domain.EvidenceLink, up.URL
	} else {
		mt, err := s.checkEvidenceFile(&up)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(up.Content)
		e.Kind, e.Name, e.ContentType, e.Size, e.SHA256 = domain.EvidenceFile, up.Name, mt, int64(len(up.Content)), hex.EncodeToString(sum[:])
		content = up.Content
	}
	err := s.update(ctx, a, func(tx *store.Tx) error {
		old, err := ownReport(tx, a, id, version)
		if err != nil {
			return err
		}
		if !old.State.Editable() {
			return notEditable(old)
		}
		if err := tx.AddEvidence(id, old.Version, e, content); err != nil {
			return err
		}
		return auditState(tx, "add-evidence", "report", strconv.FormatInt(id, 10), nil)
	})
	return e, err
}

// Evidence returns one evidence item of a report the actor may see, with a
// file's content.
func (s *Service) Evidence(ctx context.Context, a Actor, id int64, n int) (e *domain.Evidence, content []byte, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := tx.Report(id, a.Viewer()); err != nil {
			return err
		}
		e, content, err = tx.EvidenceItem(id, n)
		return err
	})
	return e, content, err
}

// ---- ratings ----

// Ratings lists a project's ratings, newest first.
func (s *Service) Ratings(ctx context.Context, a Actor, project string) (out []*domain.Rating, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Ratings(project)
		return err
	})
	return out, err
}

// Rate records a rating: a self rating by an agency on the project, or the
// council's rating, entered by the secretariat.
func (s *Service) Rate(ctx context.Context, a Actor, r *domain.Rating) error {
	if err := a.mustWrite(); err != nil {
		return err
	}
	switch r.Kind {
	case domain.SelfRating:
		if a.Role != RoleAgency {
			return forbiddenAt("kind", "خودارزیابی را دستگاه اجرایی ثبت می‌کند", "a self rating is entered by an agency on the project")
		}
		r.Agency = a.Agency
	case domain.CouncilRating:
		if !a.isSecretariat() {
			return forbiddenAt("kind", "ارزیابی شورا را دبیرخانه ثبت می‌کند", "the council's rating is entered by the secretariat")
		}
		r.Agency = ""
	}
	if err := r.Validate(); err != nil {
		return err
	}
	r.RecordedBy = a.Name
	return s.update(ctx, a, func(tx *store.Tx) error {
		p, err := seenProject(tx, a, "slug", r.Project)
		if err != nil {
			return err
		}
		if r.Kind == domain.SelfRating && !p.HasAgency(a.Agency) {
			return forbiddenAt("project", "دستگاه شما در این پروژه نیست", "your agency is not on this project")
		}
		if r.Date == nil {
			d := txDay(tx)
			r.Date = &d
		}
		if err := notAfterToday(tx, "date", r.Date); err != nil {
			return err
		}
		if err := tx.InsertRating(r); err != nil {
			return err
		}
		return auditState(tx, "rate", "rating", r.Project+"/"+strconv.FormatInt(r.ID, 10), nil)
	})
}

// ---- baselines ----

// Baselines lists a project's baselines, the current one first.
func (s *Service) Baselines(ctx context.Context, a Actor, project string) (out []*domain.Baseline, err error) {
	err = s.db.View(ctx, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", project); err != nil {
			return err
		}
		out, err = tx.Baselines(project)
		return err
	})
	return out, err
}

// CreateBaseline records an approved baseline; re-baselining keeps the old
// one. Only the secretariat records what the council approved.
func (s *Service) CreateBaseline(ctx context.Context, a Actor, b *domain.Baseline) error {
	if err := a.mustBeSecretariat(); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	b.RecordedBy = a.Name
	return s.update(ctx, a, func(tx *store.Tx) error {
		if _, err := seenProject(tx, a, "slug", b.Project); err != nil {
			return err
		}
		if err := notAfterToday(tx, "approved", b.Approved); err != nil {
			return err
		}
		if err := tx.InsertBaseline(b); err != nil {
			return err
		}
		return auditState(tx, "create", "baseline", b.Project+"/"+strconv.Itoa(b.Number), nil)
	})
}

// ---- bulk ----

// LoadFollowUp loads a batch of follow-up records in one transaction (the
// benchmark fixtures); only an admin may. Each record is validated; the
// reports are taken as accepted.
func (s *Service) LoadFollowUp(ctx context.Context, a Actor, f *domain.FollowUp) error {
	if a.Role != RoleAdmin {
		return domain.Forbidden("بارگذاری انبوه فقط برای مدیر است", "only an admin may bulk-load follow-up records")
	}
	for i := range f.Baselines {
		if err := f.Baselines[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Milestones {
		if err := f.Milestones[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Reports {
		if err := f.Reports[i].Validate(); err != nil {
			return err
		}
	}
	for i := range f.Ratings {
		if err := f.Ratings[i].Validate(); err != nil {
			return err
		}
	}
	kinds := []string{"baseline", "milestone", "report", "rating"}
	return s.update(ctx, a, func(tx *store.Tx) error {
		before, err := keysOf(tx, kinds)
		if err != nil {
			return err
		}
		if err := tx.LoadFollowUp(f, a.Name); err != nil {
			return err
		}
		if err := tx.Audit("load", "follow-up", "bulk", nil, map[string]int{"baselines": len(f.Baselines),
			"milestones": len(f.Milestones), "reports": len(f.Reports), "ratings": len(f.Ratings)}); err != nil {
			return err
		}
		return sealNew(tx, kinds, before, "load follow-up")
	})
}
