package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
)

// evidencePost adds evidence (service.AddEvidence): a link, or a file sent
// with the form as multipart/form-data. A file is read whole within the
// evidence limit; the service checks its type against what its content
// is. A refusal (too large, a type not accepted, content that is not what
// it claims) comes back as the form, naming the file field, and nothing
// is written.
func (s *Site) evidencePost(q *req) error {
	if !q.isAgency() {
		return forbidden() // before a file is read
	}
	id, err := reportID(q)
	if err != nil {
		return err
	}
	var f evidenceForm
	var up service.EvidenceUpload
	status := 0
	if mt, _, _ := mime.ParseMediaType(q.Header.Get("Content-Type")); mt == "multipart/form-data" {
		status, err = s.readEvidenceFile(q, &up)
		if q.MultipartForm != nil {
			defer q.MultipartForm.RemoveAll()
		}
	} else {
		err = parseForm(q)
		if err != nil {
			return err
		}
	}
	f.URL, f.Title = strings.TrimSpace(q.PostFormValue("url")), formText(q, "title")
	up.URL, up.Title = f.URL, f.Title
	switch {
	case err != nil:
	case f.URL == "" && up.Content == nil:
		err = domain.Invalid("url", "پیوندی بنویسید یا پرونده‌ای برگزینید", "give a link or choose a file")
	default:
		_, err = s.svc.AddEvidence(q.Context(), q.actor, id, version(q), up)
		if e, ok := domain.AsError(err); ok && up.Content != nil && (e.Field == "content_type" || e.Field == "name") {
			// The form's file input is where the type and the name came from.
			e2 := *e
			e2.Field = "file"
			err = &e2
		}
	}
	if err != nil {
		st, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		if status == 0 {
			status = st
		}
		f.Error = fe
		return s.reportRender(q, status, func(rv *reportView) {
			rv.Evidence = f
			if !rv.Editable {
				rv.Error = fe // no form to show it on (the report was submitted meanwhile)
			}
		})
	}
	return redirect(q, "/staff/reports/"+itoa(id)+"?done=evidence#evidence")
}

// readEvidenceFile reads a multipart evidence form: its text inputs into
// the request's form, its "file" input (if a file was chosen) into up. The
// body is bounded by the evidence limit and a form's size; a file over the
// limit is refused with 413 before it reaches the service.
func (s *Site) readEvidenceFile(q *req, up *service.EvidenceUpload) (int, error) {
	limit := s.svc.EvidenceLimit()
	tooLarge := func() (int, error) {
		mib := strconv.FormatFloat(float64(limit)/(1<<20), 'f', -1, 64)
		return http.StatusRequestEntityTooLarge, domain.Invalid("file",
			"پرونده از سقف مجاز مدرک ("+persianDigits(mib)+" مگابایت) بزرگ‌تر است؛ پرونده کوچک‌تری برگزینید",
			"the file is larger than the evidence limit of "+mib+" MiB; choose a smaller file")
	}
	q.Body = http.MaxBytesReader(q.w, q.Body, limit+maxForm)
	if err := q.ParseMultipartForm(maxForm); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return 0, badRequest("فرم خوانا نیست", "the form cannot be read")
	}
	fhs := q.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return 0, nil
	}
	if len(fhs) > 1 {
		return 0, domain.Invalid("file", "در هر بار یک پرونده بفرستید", "send one file at a time")
	}
	fh := fhs[0]
	if fh.Size > limit {
		return tooLarge()
	}
	file, err := fh.Open()
	if err != nil {
		return 0, err
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return 0, err
	}
	if int64(len(b)) > limit {
		return tooLarge()
	}
	up.Name, up.Declared, up.Content = fh.Filename, fh.Header.Get("Content-Type"), b
	return 0, nil
}

// evidenceFile serves an evidence file of a report the person may see, as
// a download: its recorded type, never sniffed, never shown in the page.
func (s *Site) evidenceFile(q *req) error {
	id, err := reportID(q)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(q.PathValue("n"))
	if err != nil || n <= 0 {
		return notFound()
	}
	e, content, err := s.svc.Evidence(q.Context(), q.actor, id, n)
	if err != nil {
		return err
	}
	if e.Kind != domain.EvidenceFile {
		return notFound()
	}
	h := q.w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	q.w.WriteHeader(http.StatusOK)
	if q.Method == http.MethodHead {
		return nil
	}
	_, err = q.w.Write(content)
	return err
}
