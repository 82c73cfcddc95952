package api

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/service"
)

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
	version, err := httpx.IfMatchOptional(r)
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
	if httpx.ETagMatch(r.Header.Get("If-None-Match"), etag) {
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
