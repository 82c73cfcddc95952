package api

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

//go:embed templates/verify.html.tmpl
var verifyFiles embed.FS

var verifyTmpl = template.Must(template.New("verify.html.tmpl").ParseFS(verifyFiles, "templates/verify.html.tmpl"))

// verifyRoutes serves the verification of signed documents: the page a
// reader reaches by typing a document's code, and the public keys that let
// anyone check a document offline.
func (s *Server) verifyRoutes() []Route {
	return []Route{
		{"GET", "/verify/{code}", s.verifyDocument},
		{"GET", "/api/v1/signing/keys", func(w http.ResponseWriter, r *http.Request, a service.Actor) error {
			keys, err := s.svc.PublicKeys(r.Context())
			if err != nil {
				return err
			}
			return writeJSON(w, r, http.StatusOK, keys, 0)
		}},
	}
}

// verifyDocument answers a verification code: an HTML page for people, or,
// asked for JSON (Accept: application/json, or ?format=json), the
// signed-document file as stored now — checked offline with `pishran verify`,
// it reaches the same verdict as the page.
func (s *Server) verifyDocument(w http.ResponseWriter, r *http.Request, a service.Actor) error {
	asJSON, err := wantsJSON(r)
	if err != nil {
		return err
	}
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "no-cache") // the verdict is worked out afresh on every request
	v, err := s.svc.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		if !asJSON && domain.IsKind(err, domain.KindNotFound) {
			code := r.PathValue("code")
			if utf8.RuneCountInString(code) > 40 {
				code = string([]rune(code)[:40]) + "…"
			}
			return renderVerify(w, http.StatusNotFound, verifyView{Code: code})
		}
		return err
	}
	verdict := "not-intact"
	if v.Intact {
		verdict = "intact"
	}
	w.Header().Set("Pishran-Verdict", verdict)
	if asJSON {
		return writeJSON(w, r, http.StatusOK, v.Document, 0)
	}
	return renderVerify(w, http.StatusOK, viewVerification(v))
}

// wantsJSON reads ?format= (json or html), else the Accept header: JSON
// when the caller ranks application/json above text/html.
func wantsJSON(r *http.Request) (bool, error) {
	switch r.URL.Query().Get("format") {
	case "json":
		return true, nil
	case "html":
		return false, nil
	case "":
	default:
		return false, badRequest("format", "format باید json یا html باشد", "format must be json or html")
	}
	var jsonQ, htmlQ float64
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		media, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(val, 64); err == nil {
					q = f
				}
			}
		}
		switch strings.ToLower(strings.TrimSpace(media)) {
		case "application/json":
			jsonQ = max(jsonQ, q)
		case "text/html":
			htmlQ = max(htmlQ, q)
		case "*/*", "application/*":
			jsonQ = max(jsonQ, q*0.999) // a wildcard never beats an explicit type
		}
	}
	return jsonQ > htmlQ, nil
}

func renderVerify(w http.ResponseWriter, status int, v verifyView) error {
	var body bytes.Buffer
	if err := verifyTmpl.Execute(&body, v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", "fa, en")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// No script; the one stylesheet comes from this origin (headers.go).
	h.Set("Content-Security-Policy", PageCSP)
	w.WriteHeader(status)
	_, err := w.Write(body.Bytes())
	return err
}

// ---- the page's view ----

// verifyView is what the page shows. Known is false for an unknown code.
type verifyView struct {
	Code     string
	Known    bool
	Intact   bool
	Kind     domain.Text
	Title    domain.Text
	Ref      string
	IssuedAt string // RFC 3339, for <time datetime>
	IssuedFA string // Jalali, Persian digits
	IssuedEN string // ISO
	KeyID    string
	KeyState domain.Text // current, or retired on …
	Problems []domain.Text
	Content  contentNode
	JSONURL  string
	KeysURL  string
}

var kindNames = map[string]domain.Text{
	signing.KindDecision: domain.T("مصوبه", "Decision"),
	signing.KindMinutes:  domain.T("صورت‌جلسه", "Minutes"),
	signing.KindReport:   domain.T("گزارش", "Report"),
}

func viewVerification(v *service.Verification) verifyView {
	e := v.Document.Envelope
	out := verifyView{Code: v.Document.Code, Known: true, Intact: v.Intact, Title: e.Title, Ref: e.Ref,
		KeyID: e.KeyID, Problems: v.Problems, Content: contentOf(e.Content),
		JSONURL: service.VerifyPath(v.Document.Code) + "?format=json", KeysURL: "/api/v1/signing/keys"}
	if k, ok := kindNames[e.Kind]; ok {
		out.Kind = k
	} else {
		out.Kind = domain.T(e.Kind, e.Kind)
	}
	if t, err := time.Parse(signing.TimeLayout, e.IssuedAt); err == nil {
		out.IssuedAt = e.IssuedAt
		out.IssuedFA = jalali.PersianDigits(domain.DateOf(t).Jalali()+" ساعت "+t.Format("15:04")) + " به وقت جهانی"
		out.IssuedEN = t.Format("2006-01-02 15:04") + " UTC"
	}
	switch {
	case v.Key == nil:
		out.KeyState = domain.T("ناشناخته", "unknown")
	case v.Key.RetiredAt != nil:
		d := domain.DateOf(*v.Key.RetiredAt)
		out.KeyState = domain.T("بازنشسته از "+jalali.PersianDigits(d.Jalali()), "retired on "+d.String())
	default:
		out.KeyState = domain.T("کلید جاری", "current key")
	}
	return out
}

// contentNode is a document's JSON content, shaped for reading: objects as
// labelled fields, arrays as lists, {fa, en} pairs as the two texts side
// by side, ISO dates with their Jalali day beside.
type contentNode struct {
	Kind   string // text, date, pair, yes, no, none, list, fields
	Text   string
	FA, EN string
	Items  []contentNode
	Fields []contentField
}

type contentField struct {
	Name  string
	Value contentNode
}

var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func contentOf(raw json.RawMessage) contentNode {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return contentNode{Kind: "text", Text: string(raw)}
	}
	return nodeOf(v)
}

func nodeOf(v any) contentNode {
	switch x := v.(type) {
	case nil:
		return contentNode{Kind: "none"}
	case bool:
		if x {
			return contentNode{Kind: "yes"}
		}
		return contentNode{Kind: "no"}
	case json.Number:
		return contentNode{Kind: "text", Text: x.String()}
	case string:
		if isoDay.MatchString(x) {
			if d, err := domain.ParseDate(x); err == nil {
				return contentNode{Kind: "date", Text: x, FA: jalali.PersianDigits(d.Jalali())}
			}
		}
		return contentNode{Kind: "text", Text: x}
	case []any:
		n := contentNode{Kind: "list"}
		for _, item := range x {
			n.Items = append(n.Items, nodeOf(item))
		}
		return n
	case map[string]any:
		if fa, en, ok := textPair(x); ok {
			return contentNode{Kind: "pair", FA: fa, EN: en}
		}
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		n := contentNode{Kind: "fields"}
		for _, k := range names {
			n.Fields = append(n.Fields, contentField{Name: strings.ReplaceAll(k, "_", " "), Value: nodeOf(x[k])})
		}
		return n
	}
	return contentNode{Kind: "text"}
}

// textPair recognizes a localized text: an object of exactly fa and en.
func textPair(m map[string]any) (fa, en string, ok bool) {
	if len(m) != 2 {
		return "", "", false
	}
	fa, ok1 := m["fa"].(string)
	en, ok2 := m["en"].(string)
	return fa, en, ok1 && ok2
}
