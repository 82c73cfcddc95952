// Package mailtest is a real SMTP server (github.com/emersion/go-smtp)
// started in the test's process on a loopback port, speaking STARTTLS with
// a certificate of its own and requiring authentication, as a production
// relay does; and a reader of the messages it received. Tests of e-mail
// send through it with the real sender (notice.SMTPSender), so nothing
// reaches the network.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
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
	"github.com/pishran/pishran/notice"
)

// The account the server accepts.
const (
	Username = "pishran"
	Password = "s3cret-گذرواژه"
)

// Server is the running server.
type Server struct {
	Config notice.Config // what a sender needs to reach it: STARTTLS, authentication, trust in its certificate

	mu     sync.Mutex
	msgs   []Received
	refuse map[string]*smtp.SMTPError
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

// Start starts a server, stopped when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ts := &Server{refuse: map[string]*smtp.SMTPError{}}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{ts: ts, conn: c}, nil }))
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 4 << 20
	s.ErrorLog = discard{}
	cert, pool := selfSigned(t)
	s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	ts.Config = notice.Config{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: notice.STARTTLS,
		Username: Username, Password: Password, From: notice.Address{Address: "no-reply@pishran.example.ir"},
		Timeout: 10 * time.Second, TLSConfig: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}}
	return ts
}

// Sender is a real SMTP sender configured for the server.
func (ts *Server) Sender(t testing.TB) *notice.SMTPSender {
	t.Helper()
	s, err := notice.NewSMTPSender(ts.Config)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
	ts     *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != Username || password != Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "authentication failed"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
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
	s.ts.msgs = append(s.ts.msgs, Received{From: s.from, To: s.to, Data: b, TLS: isTLS})
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

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pishran test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
