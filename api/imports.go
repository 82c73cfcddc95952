package api

import (
	"net/http"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/sheet"
)

// Spreadsheet import over the API (issue 16): POST the file as the body
// (an XLSX workbook or a UTF-8 CSV file; ?name= names it) to get its
// validation report and, without issues, its preview; POST
// /imports/{digest}/apply applies it, all or nothing, once. The secretariat
// imports registry records, an agency its figures (service.CheckSheet).

// importIssue is one issue of the report: where Excel shows it.
type importIssue struct {
	Sheet   string      `json:"sheet"`
	Row     int         `json:"row"`
	Column  string      `json:"column,omitempty"` // the column's letter, "C"; absent for the whole row
	Header  string      `json:"header,omitempty"`
	Message domain.Text `json:"message"`
}

// importItem is one record the import creates, changes or finds unchanged.
type importItem struct {
	Op      string      `json:"op"`
	Kind    string      `json:"kind"`
	Key     string      `json:"key"`
	Title   domain.Text `json:"title"`
	Detail  domain.Text `json:"detail"`
	Sheet   string      `json:"sheet"`
	Row     int         `json:"row"`
	Version int64       `json:"version,omitempty"`
}

// importPreview is what applying the file would do; plan is its digest,
// to send back to apply.
type importPreview struct {
	Plan   string         `json:"plan"`
	Counts map[string]int `json:"counts"`
	Items  []importItem   `json:"items"`
}

// importReport is an upload's answer.
type importReport struct {
	Digest  string         `json:"digest"`
	Kind    string         `json:"kind"`
	Name    string         `json:"name"`
	Size    int            `json:"size"`
	OK      bool           `json:"ok"`
	Applied *string        `json:"applied_at,omitempty"`
	Issues  []importIssue  `json:"issues"`
	Preview *importPreview `json:"preview"`
}

// importApplied is an applied import.
type importApplied struct {
	Digest string         `json:"digest"`
	Kind   string         `json:"kind"`
	Counts map[string]int `json:"counts"`
	Items  []importItem   `json:"items"`
}

type applyBody struct {
	Plan string `json:"plan"`
}

func viewItems(in []service.SheetItem) []importItem {
	out := make([]importItem, len(in))
	for i, x := range in {
		out[i] = importItem(x)
	}
	return out
}

func (s *Server) createImport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	if _, err := service.SheetKindOf(a); err != nil {
		return err // before the body is read
	}
	if r.ContentLength > sheet.MaxFileBytes {
		return tooLarge(sheet.MaxFileBytes)
	}
	content, err := readLimited(http.MaxBytesReader(w, r.Body, sheet.MaxFileBytes+1), sheet.MaxFileBytes)
	if err != nil {
		return err
	}
	c, err := s.svc.CheckSheet(r.Context(), a, r.URL.Query().Get("name"), content)
	if err != nil {
		return err
	}
	v := importReport{Digest: c.Digest, Kind: c.Kind, Name: c.Name, Size: c.Size, OK: c.Report.OK(), Issues: []importIssue{}}
	if c.Applied != nil {
		at := c.Applied.UTC().Format("2006-01-02T15:04:05Z")
		v.Applied = &at
	}
	for _, i := range c.Report.Issues {
		v.Issues = append(v.Issues, importIssue{Sheet: i.Sheet, Row: i.Row, Column: i.Column, Header: i.Header, Message: i.Message})
	}
	if c.Preview != nil {
		v.Preview = &importPreview{Plan: c.Preview.Plan, Counts: c.Preview.Counts, Items: viewItems(c.Preview.Items)}
	}
	w.Header().Set("Location", "/api/v1/imports/"+c.Digest)
	return writeJSON(w, r, http.StatusOK, v, 0)
}

func (s *Server) applyImport(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	var body applyBody
	if r.ContentLength != 0 {
		if err := decodeRequest(r, &body); err != nil {
			return err
		}
	}
	res, err := s.svc.ApplySheet(r.Context(), a, r.PathValue("digest"), body.Plan)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, importApplied{Digest: res.Digest, Kind: res.Kind, Counts: res.Counts, Items: viewItems(res.Items)}, 0)
}

func (s *Server) importRoutes() []Route {
	return []Route{
		{"POST", "/api/v1/imports", s.createImport},
		{"POST", "/api/v1/imports/{digest}/apply", s.applyImport},
	}
}
