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
		if err == nil && hidesAccounts(a) {
			e.AddedBy = ""
		}
		return err
	})
	return e, content, err
}
