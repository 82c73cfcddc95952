// Package mailtest is a real SMTP server (github.com/emersion/go-smtp)
// started in the test's process on a loopback port — by default speaking
// STARTTLS with a certificate of its own (testcert) and requiring
// authentication, as a production relay does — and a reader of the
// messages it received. It knows nothing of the sender under test
// (package notice), so notice's own tests use it; mailsend configures
// notice's real sender for it.
package mailtest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/pishran/pishran/internal/testkit/testcert"
)

// The account the server accepts.
const (
	Username = "pishran"
	Password = "s3cret-گذرواژه"
)

// From is the sender address the tests send as.
const From = "no-reply@pishran.example.ir"

// Mode is how the server speaks TLS.
type Mode int

const (
	STARTTLS Mode = iota // offers STARTTLS (the default)
	Implicit             // speaks TLS from the first byte
	Plain                // no TLS at all
)

// Options choose how a server started by StartWith behaves.
type Options struct {
	TLS    Mode
	NoAuth bool // accept mail without authentication
}

// Server is the running server.
type Server struct {
	Host string
	Port int
	Pool *x509.CertPool // trusts the server's certificate; nil when it speaks no TLS
	Mode Mode
	// Username and Password are the account it requires ("" when none).
	Username, Password string

	mu     sync.Mutex
	msgs   []Received
	refuse map[string]*smtp.SMTPError
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the session was encrypted when the message came
	User string // who authenticated ("" when nobody did)
}

// Start starts a server speaking STARTTLS and requiring authentication,
// stopped when t ends.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith starts a server as o says, stopped when t ends.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	ts := &Server{Host: "127.0.0.1", Mode: o.TLS, refuse: map[string]*smtp.SMTPError{}}
	if !o.NoAuth {
		ts.Username, ts.Password = Username, Password
	}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ts: ts, conn: c}, nil }))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 4 << 20
	s.ErrorLog = discard{}
	var l net.Listener
	var err error
	if o.TLS != Plain {
		cert, pool := testcert.New(t)
		ts.Pool = pool
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if o.TLS == Implicit {
		l, err = tls.Listen("tcp", "127.0.0.1:0", s.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ts.Port = l.Addr().(*net.TCPAddr).Port
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return ts
}

// Refuse makes the server answer RCPT TO for address with an SMTP error
// (code 550 refuses for good, 450 asks to try later); nil accepts again.
func (ts *Server) Refuse(address string, code int) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if code == 0 {
		delete(ts.refuse, address)
		return
	}
	ts.refuse[address] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: "refused by the test"}
}

// Messages returns what the server accepted so far.
func (ts *Server) Messages() []Received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]Received(nil), ts.msgs...)
}

type session struct {
	ts   *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string {
	if s.ts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.ts.Username || password != s.ts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.Username != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.ts.mu.Lock()
	e := s.ts.refuse[to]
	s.ts.mu.Unlock()
	if e != nil {
		return e
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	s.ts.msgs = append(s.ts.msgs, Received{From: s.from, To: s.to, Data: b, TLS: isTLS, User: s.user})
	s.ts.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// Mail is a received message, read: its headers (Subject decoded) and its
// two parts, decoded.
type Mail struct {
	Header      mail.Header
	Subject     string
	ContentType string // the top-level media type
	Text, HTML  string
	PartTypes   []string // the parts' media types, in order
}

// Parse reads a received message.
func Parse(t testing.TB, data []byte) *Mail {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	out := &Mail{Header: m.Header}
	dec := new(mime.WordDecoder)
	if out.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("mailtest: subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("mailtest: content type: %v", err)
	}
	out.ContentType = mt
	if !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("mailtest: a %s message, want multipart", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("mailtest: part: %v", err)
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out.PartTypes = append(out.PartTypes, pt)
		var r io.Reader = p // multipart decodes quoted-printable itself
		if enc := p.Header.Get("Content-Transfer-Encoding"); strings.EqualFold(enc, "quoted-printable") {
			r = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("mailtest: read part: %v", err)
		}
		switch pt {
		case "text/plain":
			out.Text = string(b)
		case "text/html":
			out.HTML = string(b)
		}
	}
	return out
}
