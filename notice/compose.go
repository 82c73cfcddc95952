package notice

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/pishran/pishran/domain"
)

//go:embed templates
var templateFS embed.FS

// Address is an e-mail address with its display name.
type Address struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// String writes the address as a header would show it (the name unencoded).
func (a Address) String() string { return (&mail.Address{Name: a.Name, Address: a.Address}).String() }

// Message is a composed e-mail, ready to send: what Sender takes.
type Message struct {
	Key       string    // the notice's idempotency key, sent as X-Pishran-Notice
	MessageID string    // without angle brackets; derived from the key, so a resend carries the same one
	From      Address   //
	To        Address   //
	Subject   string    // "فارسی — English", unencoded
	Date      time.Time //
	Text      string    // the plain-text part
	HTML      string    // the HTML part
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058), or "" for
	// account messages.
	Unsubscribe string
}

// HeaderNotice is the header that carries a notice's idempotency key.
const HeaderNotice = "X-Pishran-Notice"

// Composer turns notices into messages. Its fields are settings; the zero
// values of the optional ones are documented beside them.
type Composer struct {
	// BaseURL is the absolute URL people reach Pishran at
	// ("https://pishran.example.ir"); every link is made absolute with it.
	BaseURL string
	From    Address
	// Secret signs unsubscribe tokens (at least 32 bytes); required for
	// every kind but the account messages.
	Secret []byte
	// UnsubscribePath is where the unsubscribe page lives; "/unsubscribe"
	// when empty. The token goes in the query: ?t=TOKEN.
	UnsubscribePath string
	// Now gives the Date header; time.Now when nil.
	Now func() time.Time
}

// Language-specific functions for the kind templates.
var (
	faFuncs = texttemplate.FuncMap{
		"name":   func(r *Ref) string { return isolate(r.Name.In("fa")) },
		"text":   func(t domain.Text) string { return isolate(t.In("fa")) },
		"latin":  isolate,
		"date":   func(d any) string { return faDate(dateOf(d)) },
		"time":   faTime,
		"period": faPeriod,
		"num":    faDigits,
		"days":   func(n *Notice) int { return absDays(n) },
	}
	enFuncs = texttemplate.FuncMap{
		"name":   func(r *Ref) string { return r.Name.In("en") },
		"text":   func(t domain.Text) string { return t.In("en") },
		"latin":  func(s string) string { return s },
		"date":   func(d any) string { return enDate(dateOf(d)) },
		"time":   enTime,
		"period": enPeriod,
		"num":    func(v any) string { return fmt.Sprint(v) },
		"days": func(n *Notice) string {
			if d := absDays(n); d != 1 {
				return fmt.Sprintf("%d days", d)
			}
			return "1 day"
		},
	}
	kindTexts = map[string]*texttemplate.Template{
		"fa": texttemplate.Must(texttemplate.New("fa").Funcs(faFuncs).ParseFS(templateFS, "templates/fa.tmpl")),
		"en": texttemplate.Must(texttemplate.New("en").Funcs(enFuncs).ParseFS(templateFS, "templates/en.tmpl")),
	}
	htmlLayout = htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html"))
	textLayout = texttemplate.Must(texttemplate.New("layout.txt").Funcs(texttemplate.FuncMap{
		"quote": func(s string) string { return "> " + strings.ReplaceAll(s, "\n", "\n> ") },
	}).ParseFS(templateFS, "templates/layout.txt"))
)

func dateOf(v any) domain.Date {
	switch d := v.(type) {
	case domain.Date:
		return d
	case *domain.Date:
		if d != nil {
			return *d
		}
	}
	return domain.Date{}
}

func absDays(n *Notice) int {
	if n.Due == nil {
		return 0
	}
	d := daysBetween(n.At, *n.Due)
	if d < 0 {
		d = -d
	}
	return d
}

// isolate wraps text holding no right-to-left letter in the first-strong
// isolate U+2068 … U+2069, so a Latin name inside Persian keeps its own
// order and leaves the Persian around it in place (the plain-text part has no
// <bdi>; the isolates work in both parts).
func isolate(s string) string {
	for _, r := range s {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew) {
			return s
		}
	}
	if strings.TrimSpace(s) == "" {
		return s
	}
	return "\u2068" + s + "\u2069"
}

// part is one language's share of a message, as the layouts read it.
type part struct {
	Lang, Dir, Align, Edge, Font string
	Subject                      string
	Paragraphs                   []string
	Quote                        string
	Items                        []item
	Button                       string
	Link                         string
	Footer, UnsubscribeLabel     string
}

type item struct{ Title, Detail, Link string }

type view struct {
	FA, EN      part
	Unsubscribe string
}

// Compose builds the message for n. It fails when the notice lacks what its
// kind needs, or the composer is not set up: a notice that cannot be
// composed is a bug to fix, not a message to retry.
func (c *Composer) Compose(n Notice) (*Message, error) {
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("notice: base URL %q must be an absolute http(s) URL", c.BaseURL)
	}
	if _, err := mail.ParseAddress(c.From.Address); err != nil {
		return nil, fmt.Errorf("notice: from address %q: %v", c.From.Address, err)
	}
	n.Items = slices.Clone(n.Items) // check fills the items' keys and recipients
	if err := n.check(); err != nil {
		return nil, err
	}
	if _, err := mail.ParseAddress(n.To.Address); err != nil {
		return nil, fmt.Errorf("notice %s: recipient address %q: %v", n.Key, n.To.Address, err)
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	link, err := c.link(base, n.Path)
	if err != nil {
		return nil, fmt.Errorf("notice %s: %v", n.Key, err)
	}
	v := view{
		FA: part{Lang: "fa", Dir: "rtl", Align: "right", Edge: "right", Font: "Vazirmatn,Tahoma,sans-serif", Link: link},
		EN: part{Lang: "en", Dir: "ltr", Align: "left", Edge: "left", Font: "Arial,Helvetica,sans-serif", Link: link},
	}
	if !n.Kind.Account() {
		if len(c.Secret) < 32 {
			return nil, fmt.Errorf("notice: the unsubscribe secret must be at least 32 bytes")
		}
		if n.To.Username == "" {
			return nil, fmt.Errorf("notice %s: the recipient's username is required for the unsubscribe link", n.Key)
		}
		p := c.UnsubscribePath
		if p == "" {
			p = "/unsubscribe"
		}
		u := base.JoinPath(p)
		u.RawQuery = url.Values{"t": {UnsubscribeToken(c.Secret, n.To.Username)}}.Encode()
		v.Unsubscribe = u.String()
	}
	for _, l := range []struct {
		lang string
		p    *part
	}{{"fa", &v.FA}, {"en", &v.EN}} {
		if err := c.fill(l.p, l.lang, &n, base); err != nil {
			return nil, err
		}
	}
	var html, text bytes.Buffer
	if err := htmlLayout.Execute(&html, v); err != nil {
		return nil, fmt.Errorf("notice %s: %v", n.Key, err)
	}
	if err := textLayout.Execute(&text, v); err != nil {
		return nil, fmt.Errorf("notice %s: %v", n.Key, err)
	}
	sum := sha256.Sum256([]byte(n.Key))
	return &Message{
		Key:         n.Key,
		MessageID:   hex.EncodeToString(sum[:16]) + "@" + base.Hostname(),
		From:        c.From,
		To:          Address{Name: displayName(n.To.Name), Address: n.To.Address},
		Subject:     v.FA.Subject + " — " + v.EN.Subject,
		Date:        now(),
		Text:        text.String(),
		HTML:        html.String(),
		Unsubscribe: v.Unsubscribe,
	}, nil
}

// displayName is the name a To header shows: Persian, with the English
// beside it when both are known.
func displayName(t domain.Text) string {
	switch {
	case t.FA != "" && t.EN != "" && t.FA != t.EN:
		return t.FA + " (" + t.EN + ")"
	default:
		return t.In("fa")
	}
}

func (c *Composer) link(base *url.URL, path string) (string, error) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", fmt.Errorf("path %q must start with a single /", path)
	}
	ref, err := url.Parse(path)
	if err != nil {
		return "", fmt.Errorf("path %q: %v", path, err)
	}
	u := *base
	u.Path = strings.TrimSuffix(base.Path, "/") + ref.Path
	u.RawPath = ""
	u.RawQuery = ref.RawQuery
	u.Fragment = ref.Fragment
	return u.String(), nil
}

// fill renders one language's texts of n into p.
func (c *Composer) fill(p *part, lang string, n *Notice, base *url.URL) error {
	t := kindTexts[lang]
	var err error
	if p.Subject, err = render(t, string(n.Kind)+"/subject", n); err != nil {
		return err
	}
	p.Subject = strings.Join(strings.Fields(p.Subject), " ")
	body, err := render(t, string(n.Kind)+"/body", n)
	if err != nil {
		return err
	}
	p.Paragraphs = paragraphs(body)
	if p.Button, err = render(t, string(n.Kind)+"/button", n); err != nil {
		return err
	}
	switch n.Kind {
	case ReportReturned:
		p.Quote = strings.TrimSpace(n.Comment.In(lang))
	case DecisionMade:
		p.Quote = strings.TrimSpace(n.Decision.In(lang))
	}
	for i := range n.Items {
		it := &n.Items[i]
		title, err := render(t, string(it.Kind)+"/subject", it)
		if err != nil {
			return err
		}
		body, err := render(t, string(it.Kind)+"/body", it)
		if err != nil {
			return err
		}
		link, err := c.link(base, it.Path)
		if err != nil {
			return fmt.Errorf("notice %s: %v", it.Key, err)
		}
		detail := ""
		if ps := paragraphs(body); len(ps) > 0 {
			detail = ps[0]
		}
		p.Items = append(p.Items, item{Title: strings.Join(strings.Fields(title), " "), Detail: detail, Link: link})
	}
	footer := "unsubscribe"
	if n.Kind.Account() {
		footer = "account"
	}
	if p.Footer, err = render(t, footer, n); err != nil {
		return err
	}
	p.UnsubscribeLabel, err = render(t, "unsubscribe/link", n)
	return err
}

func render(t *texttemplate.Template, name string, n *Notice) (string, error) {
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, n); err != nil {
		return "", fmt.Errorf("notice %s: %v", n.Key, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// paragraphs splits a rendered body at blank lines, each paragraph one line.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}
