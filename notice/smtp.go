package notice

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Sender sends composed messages. The outbox worker depends on this
// interface, so it can be tested with a fake; SMTPSender is the real one.
// Send returns nil once the server accepted the message, or an error that
// Classify understands.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// SMTPSender sends through an SMTP server with go-mail.
type SMTPSender struct {
	cfg Config
}

// NewSMTPSender checks cfg and returns a sender for it.
func NewSMTPSender(cfg Config) (*SMTPSender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &SMTPSender{cfg: cfg}, nil
}

// Send sends one message on a connection of its own.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	return s.SendBatch(ctx, []*Message{m})[0]
}

// SendBatch sends messages over one connection and returns one error per
// message (nil: accepted). When the connection cannot be set up every
// message gets that error.
func (s *SMTPSender) SendBatch(ctx context.Context, ms []*Message) []error {
	errs := make([]error, len(ms))
	msgs := make([]*gomail.Msg, len(ms))
	for i, m := range ms {
		gm, err := m.msg()
		if err != nil {
			errs[i] = &Error{Failure: Permanent, Err: err}
			continue
		}
		msgs[i] = gm
	}
	c, err := s.client()
	if err != nil {
		return fill(errs, &Error{Failure: Setup, Err: err})
	}
	if err := c.DialWithContext(ctx); err != nil {
		if strings.Contains(err.Error(), "does not support STARTTLS") {
			err = fmt.Errorf("%w: %v", errNoSTARTTLS, err)
		}
		return fill(errs, classifyDial(err))
	}
	defer c.Close()
	for i, gm := range msgs {
		if gm == nil {
			continue
		}
		if ctx.Err() != nil {
			errs[i] = &Error{Failure: Temporary, Err: ctx.Err()}
			continue
		}
		if err := c.Send(gm); err != nil {
			errs[i] = classifySend(err)
		}
	}
	return errs
}

func fill(errs []error, err error) []error {
	for i := range errs {
		if errs[i] == nil {
			errs[i] = err
		}
	}
	return errs
}

func (s *SMTPSender) client() (*gomail.Client, error) {
	cfg := s.cfg
	tc := cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	} else {
		tc = tc.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = cfg.Host
	}
	if tc.MinVersion == 0 {
		tc.MinVersion = tls.VersionTLS12
	}
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithTLSConfig(tc),
	}
	switch cfg.TLS {
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(cfg.HELO))
	}
	if cfg.Username != "" {
		auth := map[string]gomail.SMTPAuthType{
			"plain": gomail.SMTPAuthPlain, "login": gomail.SMTPAuthLogin, "scram-sha-256": gomail.SMTPAuthSCRAMSHA256,
		}[cfg.Auth]
		if cfg.TLS == NoTLS && auth == gomail.SMTPAuthPlain {
			auth = gomail.SMTPAuthPlainNoEnc // a loopback relay (Validate allows none only there)
		}
		if cfg.TLS == NoTLS && auth == gomail.SMTPAuthLogin {
			auth = gomail.SMTPAuthLoginNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return gomail.NewClient(cfg.Host, opts...)
}

// msg builds go-mail's message: headers, then a multipart/alternative of
// the plain-text part and the HTML part (the preferred one last, per RFC
// 2046), both UTF-8 quoted-printable.
func (m *Message) msg() (*gomail.Msg, error) {
	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(gomail.EncodingQP), gomail.WithCharset(gomail.CharsetUTF8))
	if err := gm.FromFormat(m.From.Name, m.From.Address); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := gm.AddToFormat(m.To.Name, m.To.Address); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	gm.Subject(m.Subject)
	gm.SetMessageIDWithValue(m.MessageID)
	gm.SetDateWithValue(m.Date.In(tehran))
	gm.SetGenHeader(HeaderNotice, m.Key)
	gm.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies
	gm.SetGenHeader(gomail.HeaderContentLang, "fa, en")
	gm.SetUserAgent("Pishran")
	if m.Unsubscribe != "" {
		gm.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, "<"+m.Unsubscribe+">")
		gm.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return gm, nil
}

// WriteTo writes the message as it goes on the wire (RFC 5322), for an
// outbox that keeps what it sent, or a preview.
func (m *Message) WriteTo(w io.Writer) (int64, error) {
	gm, err := m.msg()
	if err != nil {
		return 0, err
	}
	return gm.WriteTo(w)
}
