package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Tehran's time zone, whatever the host has installed
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/httpx"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/seal"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

// The verification of signed documents: the page a reader reaches by
// typing a document's code or scanning its QR code, the same answer as
// JSON for programs (the signed-document file, which `pishran verify`
// checks offline), and the QR code itself. The page is not one of the
// site's: it has no layout, no script, no session in its header, and a
// stricter policy (httpx.VerifyCSP); it answers errors as the API does
// (problem+json) when asked for JSON.

var verifyTmpl = template.Must(template.New("verify.html.tmpl").ParseFS(templateFS, "templates/verify.html.tmpl"))

// verifyRoutes are the verification routes; the page and the QR code are
// in the API's OpenAPI document too.
func (s *Site) verifyRoutes() []Route {
	return []Route{
		{Pattern: "GET /verify/{code}", Handler: s.verifyHandler(s.verifyDocument), OpenAPI: true},
		{Pattern: "GET /verify/{code}/qr.svg", Handler: s.verifyHandler(s.verifyQR), OpenAPI: true},
		{Pattern: "GET " + verifyStylePath, Handler: http.HandlerFunc(serveVerifyStyle)},
	}
}

// verifyHandler runs a verification handler as the API runs its routes:
// a URL that is not valid UTF-8 is refused (400), an Authorization header
// must hold a live token (401 otherwise) and a session cookie is read (so a
// session stays alive), though the answer is the same for everyone; an
// error or a panic is answered as problem+json.
func (s *Site) verifyHandler(h func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				httpx.WriteProblem(w, r, s.log, fmt.Errorf("panic: %v", p))
			}
		}()
		err := httpx.CheckURL(r)
		if err == nil {
			var sent bool
			if _, sent, err = httpx.Bearer(r, s.svc); !sent {
				_, _, _, err = httpx.Session(r, s.svc, s.opt.Session)
			}
		}
		if err == nil {
			err = h(w, r)
		}
		if err != nil {
			httpx.WriteProblem(w, r, s.log, err)
		}
	})
}

// verifyDocument answers a verification code: an HTML page for people, or,
// asked for JSON (Accept: application/json, or ?format=json), the
// signed-document file as stored now — checked offline with `pishran verify`,
// it reaches the same verdict as the page.
func (s *Site) verifyDocument(w http.ResponseWriter, r *http.Request) error {
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
		if v.About != nil && v.About.Withheld {
			// The page withholds what the document says about a project made
			// confidential since; the file would say it all, so it is not
			// served (the verdict stays in Pishran-Verdict).
			return domain.Forbidden("این سند دربارهٔ پروژه‌ای است که اکنون عمومی نیست؛ حکم تصدیق در سرآیند Pishran-Verdict آمده است و پرونده ارائه نمی‌شود",
				"this document concerns a project that is not public now: the verdict is in the Pishran-Verdict header, and the file is not served")
		}
		return verifyJSON(w, r, v.Document)
	}
	return renderVerify(w, http.StatusOK, viewVerification(v, s.verifyBase(r)))
}

// verifyJSON answers v as the API answers a read: JSON with a strong ETag
// over the body, 304 to a matching If-None-Match.
func verifyJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	etag := httpx.BodyETag(body, 0)
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodGet && httpx.ETagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(append(body, '\n'))
	return err
}

// verifyQR answers the QR code of a published document's verification
// address, as an SVG image: what the pages and printouts show beside the
// code. An unknown code is not found.
func (s *Site) verifyQR(w http.ResponseWriter, r *http.Request) error {
	code, err := s.svc.PublishedCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	svg, err := seal.SVG(seal.URL(s.verifyBase(r), code), 240)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	// The image depends only on the code and the server's address, which
	// is part of the URL a cache keeps it under.
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = w.Write(svg)
	return err
}

// verifyBase is the server's address in the verification addresses the
// page and the QR code hold: the public URL when set, else the scheme and
// host the request came to.
func (s *Site) verifyBase(r *http.Request) string {
	return httpx.BaseURL(s.publicURL(), r, r.TLS != nil)
}

// ---- the page's stylesheet ----

// verifyStylePath is where the verification page's stylesheet is served.
// The page links to it rather than carrying a <style> block, so that its
// policy can say style-src 'self' with no 'unsafe-inline' and no hashes.
const verifyStylePath = "/verify/style.css"

var verifyStyle, _ = templateFS.ReadFile("templates/verify.css")

var verifyStyleETag = func() string {
	sum := sha256.Sum256(verifyStyle)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// serveVerifyStyle answers GET /verify/style.css, cached for a day, with
// an ETag a conditional request matches. (Written out rather than through
// http.ServeContent: a 3 KiB file needs no Range support.) It is sent with
// the root's default headers only.
func serveVerifyStyle(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", verifyStyleETag)
	if httpx.ETagMatch(r.Header.Get("If-None-Match"), verifyStyleETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(verifyStyle)))
	w.Write(verifyStyle)
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
		return false, httpx.BadRequest("format", "format باید json یا html باشد", "format must be json or html")
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
	// No script; the one stylesheet comes from this origin.
	h.Set("Content-Security-Policy", httpx.VerifyCSP)
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
	Problems []domain.Text
	Kind     domain.Text
	Title    domain.Text
	Ref      string
	// What it belongs to and who issued it.
	Issuer     domain.Text
	Publisher  domain.Text
	Meeting    *verifyMeeting
	Resolution string
	Report     *verifyReport
	Projects   []service.ProjectRef
	Hidden     int
	Decisions  string // the public decisions page, for a decision
	Newer      string // a newer publication's page
	// Withheld: the document concerns a project that is not public now
	// (made confidential since), so its content is not shown.
	Withheld bool
	// When.
	IssuedAt string // RFC 3339, for <time datetime>
	IssuedFA string // Jalali, Tehran time, Persian digits
	IssuedEN string // ISO, Tehran time with its offset
	KeyID    string
	KeyState domain.Text // current, or retired on …
	Content  contentNode
	URL      string        // this page's address, as the QR code holds it
	QR       template.HTML // inline SVG
	JSONURL  string
	KeysURL  string
}

type verifyMeeting struct {
	ID                   string
	Series               domain.Text
	Number               string // Persian digits
	NumberEN             string
	DateFA, DateEN       string
	MinutesFA, MinutesEN string // the published minutes' addresses
}

type verifyReport struct {
	ID       string
	Period   string
	PeriodFA string
}

var kindNames = map[string]domain.Text{
	signing.KindDecision: domain.T("مصوبه", "Decision"),
	signing.KindMinutes:  domain.T("صورت‌جلسه", "Minutes"),
	signing.KindReport:   domain.T("گزارش پیشرفت پذیرفته‌شده", "Accepted progress report"),
}

// tehran is the time zone the page gives times in, beside UTC.
var tehran = domain.Tehran

// viewReportPeriod names a signed report's period. A report signed before
// migration 00012 carries the Gregorian month it was kept under then (its
// signature binds that text), so such a month is named as Gregorian, with
// the Jalali month its 15th fell in — the month the report is kept under
// now.
func viewReportPeriod(id string, p domain.Period) *verifyReport {
	rv := &verifyReport{ID: id, Period: p.Name("en"), PeriodFA: p.Name("fa")}
	if p.Valid() {
		return rv
	}
	if y, m := p.Year(), p.Month(); y >= 1700 && m >= 1 && m <= 12 {
		now := domain.PeriodOfGregorianMonth(y, m)
		rv.PeriodFA = jalali.PersianDigits(string(p)) + " میلادی (" + now.Name("fa") + ")"
		rv.Period = string(p) + " (Gregorian; " + now.Name("en") + ")"
	}
	return rv
}

func viewVerification(v *service.Verification, base string) verifyView {
	e := v.Document.Envelope
	code := v.Document.Code
	out := verifyView{Code: code, Known: true, Intact: v.Intact, Title: e.Title, Ref: e.Ref,
		KeyID: e.KeyID, Problems: v.Problems, Content: contentOf(e.Content),
		URL: seal.URL(base, code), JSONURL: seal.Path(code) + "?format=json", KeysURL: "/api/v1/signing/keys"}
	if k, ok := kindNames[e.Kind]; ok {
		out.Kind = k
	} else {
		out.Kind = domain.T(e.Kind, e.Kind)
	}
	if qr, err := seal.Inline(out.URL, 160, "QR: "+out.URL); err == nil {
		out.QR = qr
	}
	if ab := v.About; ab != nil {
		out.Issuer, out.Publisher, out.Resolution, out.Projects, out.Hidden = ab.Issuer, ab.Publisher, ab.Resolution, ab.Projects, ab.Hidden
		if ab.Withheld {
			// The verdict stands; what the document says about a project
			// that is no longer public is not the public's any more.
			out.Withheld, out.Content = true, contentNode{}
			if e.Kind == signing.KindReport { // its title names the project
				out.Title = out.Kind
			}
		}
		if ab.Newer != "" {
			out.Newer = seal.Path(ab.Newer)
		}
		if m := ab.Meeting; m != nil {
			mv := &verifyMeeting{ID: m.ID, Series: m.Series, Number: jalali.PersianDigits(strconv.Itoa(m.Number)), NumberEN: strconv.Itoa(m.Number)}
			if m.Date != nil {
				mv.DateFA, mv.DateEN = jalali.PersianDigits(m.Date.Jalali()), m.Date.String()
			}
			if domain.ValidSlug(m.ID) {
				minutes := "/api/v1/meetings/" + m.ID + "/minutes?format=html&lang="
				mv.MinutesFA, mv.MinutesEN = minutes+"fa", minutes+"en"
			}
			out.Meeting = mv
		}
		if e.Kind == signing.KindDecision {
			out.Decisions = "/decisions"
		}
		if r := ab.Report; r != nil {
			out.Report = viewReportPeriod(strconv.FormatInt(r.ID, 10), r.Period)
		}
	}
	if t, err := time.Parse(signing.TimeLayout, e.IssuedAt); err == nil {
		local := t.In(tehran)
		y, m, d := local.Date()
		out.IssuedAt = e.IssuedAt
		out.IssuedFA = jalali.PersianDigits(domain.Date{Y: y, M: int(m), D: d}.Jalali()+" ساعت "+local.Format("15:04")) + " به وقت تهران"
		out.IssuedEN = local.Format("2006-01-02 15:04 -07:00") + " (Tehran) | " + t.UTC().Format("15:04") + " UTC"
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
// by side, ISO dates with their Jalali day beside. Who recorded what
// inside the registry (an account's or a token's internal name) is not the
// reader's business and is left out.
type contentNode struct {
	Kind   string // text, date, pair, yes, no, none, list, fields
	Text   string
	FA, EN string
	Items  []contentNode
	Fields []contentField
}

type contentField struct {
	Name  domain.Text
	Value contentNode
}

var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// actorName is how the registry names who acted: an account, a token, a
// job, the console.
var actorName = regexp.MustCompile(`^(user|token|job|oidc):`)

// internalField reports whether a content field records who acted inside
// the registry or its bookkeeping, which the page does not show.
func internalField(k string) bool {
	return k == "by" || strings.HasSuffix(k, "_by") || k == "version" || k == "created_at" || k == "updated_at"
}

// fieldNames labels the fields documents carry, in both languages.
var fieldNames = map[string]domain.Text{
	"meeting": domain.T("جلسه", "meeting"), "series": domain.T("مجموعه جلسات", "series"), "session": domain.T("شماره جلسه", "session"),
	"number": domain.T("شماره", "number"), "date": domain.T("تاریخ", "date"), "resolution": domain.T("شماره مصوبه", "resolution"),
	"text": domain.T("متن", "text"), "projects": domain.T("پروژه‌ها", "projects"), "project": domain.T("پروژه", "project"),
	"title": domain.T("عنوان", "title"), "state": domain.T("وضعیت", "state"), "outcomes": domain.T("نتایج", "outcomes"),
	"kind": domain.T("نوع", "kind"), "id": domain.T("شناسه", "id"), "attendees": domain.T("حاضران", "attendees"),
	"agenda": domain.T("دستور جلسه", "agenda"), "follow_ups": domain.T("پیگیری‌ها", "follow-ups"), "amendments": domain.T("الحاقیه‌ها", "amendments"),
	"held_at": domain.T("زمان برگزاری", "held at"), "closed_at": domain.T("زمان بستن", "closed at"), "recorded_at": domain.T("زمان ثبت", "recorded at"),
	"report": domain.T("گزارش", "report"), "project_title": domain.T("عنوان پروژه", "project title"), "agency": domain.T("دستگاه", "agency"),
	"period": domain.T("دوره", "period"), "narrative": domain.T("شرح", "narrative"), "risks": domain.T("ریسک‌ها", "risks"),
	"milestones": domain.T("نقاط عطف", "milestones"), "kpis": domain.T("شاخص‌ها", "indicators"), "projected_end": domain.T("پایان پیش‌بینی‌شده", "projected end"),
	"projected_cost": domain.T("هزینه پیش‌بینی‌شده (ریال)", "projected cost (IRR)"), "actual_cost": domain.T("هزینه واقعی تا کنون (ریال)", "actual cost to date (IRR)"),
	"evidence": domain.T("مستندات", "evidence"), "description": domain.T("شرح", "description"), "owner": domain.T("مسئول", "owner"),
	"due": domain.T("مهلت", "due"), "action": domain.T("اقدام", "action"), "value": domain.T("مقدار", "value"), "kpi": domain.T("شاخص", "indicator"),
	"url": domain.T("نشانی", "URL"), "name": domain.T("نام", "name"), "sha256": domain.T("چکیده SHA-256", "SHA-256"),
}

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
		if actorName.MatchString(x) {
			return contentNode{Kind: "none"}
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
			if !internalField(k) {
				names = append(names, k)
			}
		}
		sort.Strings(names)
		n := contentNode{Kind: "fields"}
		for _, k := range names {
			label, ok := fieldNames[k]
			if !ok {
				label = domain.T(strings.ReplaceAll(k, "_", " "), strings.ReplaceAll(k, "_", " "))
			}
			n.Fields = append(n.Fields, contentField{Name: label, Value: nodeOf(x[k])})
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
