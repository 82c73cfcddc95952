package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/sheet"
)

// Spreadsheet import (issue 16): /staff/import. The secretariat imports
// registry records, an agency's focal point its monthly figures. The
// journey is plain forms: download the template; upload a file (multipart);
// the validation report lists every issue by sheet, row and column and
// offers the same workbook back with an errors column; a file without
// issues shows its preview — exactly what would be created and changed —
// and is applied with a confirmation, all or nothing. Each step is its own
// address (/staff/import/{digest}), so the report and the preview survive
// a reload and a second tab.

// importShown is how many issues or preview items a page lists; the rest
// are counted (and every issue is in the annotated workbook).
const importShown = 1000

type importView struct {
	Kind    string // registry or figures
	Agency  string
	Error   *formError
	Check   *service.SheetCheck
	Issues  []sheet.Issue
	More    int // issues or items not listed
	Items   []service.SheetItem
	Counts  []importCount
	Done    bool // just applied
	Confirm bool // the confirmation box was left unticked
	// AppliedAt is when the file was applied (Check.Applied).
	AppliedAt time.Time
}

type importCount struct {
	Op, Kind string
	N        int
}

func (s *Site) importRoutes() []Route {
	return []Route{
		{Pattern: "GET /staff/import", Handler: s.staff(s.importPage)},
		{Pattern: "POST /staff/import", Handler: s.staff(s.importUpload)},
		{Pattern: "GET /staff/import/template", Handler: s.staff(s.importTemplate)},
		{Pattern: "GET /staff/import/{digest}", Handler: s.staff(s.importCheck)},
		{Pattern: "GET /staff/import/{digest}/annotated", Handler: s.staff(s.importAnnotated)},
		{Pattern: "POST /staff/import/{digest}/apply", Handler: s.staff(s.importApply)},
	}
}

// importKind is the import the person makes; other roles are refused.
func importKind(q *req) (string, error) {
	k, err := service.SheetKindOf(q.actor)
	if err != nil {
		return "", forbidden()
	}
	return k, nil
}

func (s *Site) importPage(q *req) error {
	k, err := importKind(q)
	if err != nil {
		return err
	}
	return s.importRender(q, http.StatusOK, &importView{Kind: k, Agency: q.who.Agency})
}

func (s *Site) importRender(q *req, status int, v *importView) error {
	title := q.lang.T("import.title")
	return s.renderStaff(q, status, "staff/import", title, "import", v)
}

// importTemplate downloads the person's template.
func (s *Site) importTemplate(q *req) error {
	k, err := importKind(q)
	if err != nil {
		return err
	}
	agency := q.URL.Query().Get("agency")
	if want := q.URL.Query().Get("kind"); want == service.SheetFigures && k == service.SheetRegistry && agency != "" {
		k = service.SheetFigures // the secretariat may fetch an agency's figures template
	}
	var buf bytes.Buffer
	if err := s.svc.SheetTemplate(q.Context(), q.actor, k, agency, &buf); err != nil {
		return err
	}
	name := "pishran-" + k + ".xlsx"
	if k == service.SheetFigures {
		name = "pishran-figures-" + q.who.Agency + agency + ".xlsx"
	}
	return download(q, name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// download answers a file to save, never shown in the page.
func download(q *req, name, ctype string, b []byte) error {
	h := q.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	q.w.WriteHeader(http.StatusOK)
	if q.Method == http.MethodHead {
		return nil
	}
	_, err := q.w.Write(b)
	return err
}

// importUpload reads the uploaded file (one, within sheet.MaxFileBytes),
// checks it, and sends the person to its report or preview. A file that
// cannot be read comes back as the form, the error next to the file input.
func (s *Site) importUpload(q *req) error {
	k, err := importKind(q)
	if err != nil {
		return err // before the body is read
	}
	v := &importView{Kind: k, Agency: q.who.Agency}
	name, content, status, err := readUpload(q)
	if q.MultipartForm != nil {
		defer q.MultipartForm.RemoveAll()
	}
	var c *service.SheetCheck
	if err == nil {
		c, err = s.svc.CheckSheet(q.Context(), q.actor, name, content)
	}
	if err != nil {
		st, fe, fatal := s.refusal(q, err)
		if fatal != nil {
			return fatal
		}
		if status == 0 {
			status = st
		}
		v.Error = fe
		return s.importRender(q, status, v)
	}
	return redirect(q, "/staff/import/"+c.Digest)
}

func readUpload(q *req) (string, []byte, int, error) {
	tooLarge := func() (string, []byte, int, error) {
		return "", nil, http.StatusRequestEntityTooLarge, domain.Invalid("file",
			"پرونده از سقف "+persianDigits("32")+" مگابایت بزرگ‌تر است", "the file is larger than the limit of 32 MiB")
	}
	if mt, _, _ := mime.ParseMediaType(q.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", nil, http.StatusBadRequest, domain.Invalid("file", "پرونده‌ای برگزینید", "choose a file")
	}
	q.Body = http.MaxBytesReader(q.w, q.Body, sheet.MaxFileBytes+maxForm)
	if err := q.ParseMultipartForm(maxForm); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return "", nil, 0, badRequest("فرم خوانا نیست", "the form cannot be read")
	}
	fhs := q.MultipartForm.File["file"]
	if len(fhs) != 1 {
		return "", nil, http.StatusUnprocessableEntity, domain.Invalid("file", "یک پرونده برگزینید", "choose one file")
	}
	f, err := fhs[0].Open()
	if err != nil {
		return "", nil, 0, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, sheet.MaxFileBytes+1))
	if err != nil {
		return "", nil, 0, err
	}
	if len(b) > sheet.MaxFileBytes {
		return tooLarge()
	}
	return fhs[0].Filename, b, 0, nil
}

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func importDigest(q *req) (string, error) {
	d := q.PathValue("digest")
	if !digestPattern.MatchString(d) {
		return "", notFound()
	}
	return d, nil
}

// importCheck shows an upload's report, or its preview and the apply form.
func (s *Site) importCheck(q *req) error {
	if _, err := importKind(q); err != nil {
		return err
	}
	d, err := importDigest(q)
	if err != nil {
		return err
	}
	c, err := s.svc.SheetUpload(q.Context(), q.actor, d)
	if err != nil {
		return err
	}
	v := &importView{Kind: c.Kind, Agency: q.who.Agency, Done: q.URL.Query().Get("done") == "applied"}
	return s.importShow(q, http.StatusOK, v, c)
}

func (s *Site) importShow(q *req, status int, v *importView, c *service.SheetCheck) error {
	v.Check = c
	if c.Applied != nil {
		v.AppliedAt = *c.Applied
	} else {
		v.Issues = c.Report.Issues
		if len(v.Issues) > importShown {
			v.More, v.Issues = len(v.Issues)-importShown, v.Issues[:importShown]
		}
		if c.Preview != nil {
			v.Items = c.Preview.Items
			if len(v.Items) > importShown {
				v.More, v.Items = len(v.Items)-importShown, v.Items[:importShown]
			}
			for _, op := range []string{"create", "update", "unchanged"} {
				for _, kind := range []string{"agency", "law", "project", "deliverable", "membership", "report"} {
					if n := c.Preview.Counts[op+" "+kind]; n > 0 {
						v.Counts = append(v.Counts, importCount{Op: op, Kind: kind, N: n})
					}
				}
			}
		}
	}
	return s.importRender(q, status, v)
}

// importAnnotated downloads the uploaded workbook with its errors column.
func (s *Site) importAnnotated(q *req) error {
	if _, err := importKind(q); err != nil {
		return err
	}
	d, err := importDigest(q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	name, err := s.svc.AnnotateSheet(q.Context(), q.actor, d, &buf)
	if err != nil {
		return err
	}
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if len(name) > 4 && name[len(name)-4:] == ".csv" {
		ctype = "text/csv; charset=utf-8"
	}
	return download(q, name, ctype, buf.Bytes())
}

// importApply applies an upload after its preview: the form carries the
// preview's plan and a confirmation box. A plan made stale by another
// write, a file applied already or one that no longer passes comes back as
// the page with the reason; nothing is written.
func (s *Site) importApply(q *req) error {
	if _, err := importKind(q); err != nil {
		return err
	}
	d, err := importDigest(q)
	if err != nil {
		return err
	}
	if err := parseForm(q); err != nil {
		return err
	}
	var applyErr error
	if q.PostFormValue("confirm") != "yes" {
		applyErr = domain.Invalid("confirm", "برای اعمال، درستی پیش‌نمایش را تأیید کنید", "tick the box to confirm the preview before applying")
	} else {
		_, applyErr = s.svc.ApplySheet(q.Context(), q.actor, d, q.PostFormValue("plan"))
	}
	if applyErr == nil {
		return redirect(q, "/staff/import/"+d+"?done=applied")
	}
	st, fe, fatal := s.refusal(q, applyErr)
	if fatal != nil {
		return fatal
	}
	if e, ok := domain.AsError(applyErr); ok && e.Kind == domain.KindStale {
		fe.Message = q.lang.T("import.stale")
	}
	c, err := s.svc.SheetUpload(q.Context(), q.actor, d)
	if err != nil {
		return err
	}
	v := &importView{Kind: c.Kind, Agency: q.who.Agency, Error: fe, Confirm: fe.Field == "confirm"}
	return s.importShow(q, st, v, c)
}
