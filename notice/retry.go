package notice

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Failure says what a failed send means for the notice.
type Failure int

const (
	// Temporary: the server said "try later" (4xx), or the network failed;
	// retry after Backoff.
	Temporary Failure = iota + 1
	// Permanent: the server refused this message for good (5xx: no such
	// mailbox, message refused); mark it failed and show it to admins.
	Permanent
	// Setup: the server refused us, not the message — authentication
	// failed, TLS could not be had or verified, the server refused the
	// session. No message can go until an admin fixes the configuration:
	// keep the notice, back off, and alert the admins.
	Setup
)

func (f Failure) String() string {
	switch f {
	case Temporary:
		return "temporary"
	case Permanent:
		return "permanent"
	case Setup:
		return "setup"
	}
	return "none"
}

// Error is a failed send, classified. The SMTP sender returns only these.
type Error struct {
	Failure Failure
	Code    int // the SMTP reply code, or 0 when the server gave none
	Err     error
}

func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("smtp (%s, %d): %v", e.Failure, e.Code, e.Err)
	}
	return fmt.Sprintf("smtp (%s): %v", e.Failure, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Classify says what err means for the notice. An error that is not an
// *Error (from a fake sender, or anything unforeseen) is Temporary, so that
// it is retried and, if it goes on, given up by Backoff rather than lost.
func Classify(err error) Failure {
	if err == nil {
		return 0
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Failure
	}
	return Temporary
}

// classifyDial classifies an error met while connecting, greeting, starting
// TLS or authenticating: before any message was offered.
func classifyDial(err error) *Error {
	var tp *textproto.Error
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return &Error{Failure: Temporary, Err: err}
	case isTLSError(err):
		return &Error{Failure: Setup, Err: err}
	case errors.As(err, &tp):
		if tp.Code/100 == 4 {
			return &Error{Failure: Temporary, Code: tp.Code, Err: err}
		}
		return &Error{Failure: Setup, Code: tp.Code, Err: err}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return &Error{Failure: Temporary, Err: err}
	}
	return &Error{Failure: Setup, Err: err}
}

// classifySend classifies an error met while sending one message.
func classifySend(err error) *Error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		switch {
		case code/100 == 5:
			return &Error{Failure: Permanent, Code: code, Err: err}
		case code/100 == 4 || se.IsTemp():
			return &Error{Failure: Temporary, Code: code, Err: err}
		case se.Reason == gomail.ErrGetSender || se.Reason == gomail.ErrGetRcpts || se.Reason == gomail.ErrNoUnencoded:
			return &Error{Failure: Permanent, Err: err}
		}
		return &Error{Failure: Temporary, Err: err} // the connection broke mid-message
	}
	return classifyDial(err)
}

func isTLSError(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		rh tls.RecordHeaderError
		al tls.AlertError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) ||
		errors.As(err, &rh) || errors.As(err, &al) || errors.Is(err, errNoSTARTTLS)
}

// errNoSTARTTLS stands for go-mail's refusal to go on without STARTTLS.
var errNoSTARTTLS = errors.New("the server does not offer STARTTLS")

// backoff is the wait before each retry: quick at first for a server's
// passing hiccup, then hours, so a notice keeps trying through a day-long
// outage of the mail server.
var backoff = []time.Duration{
	1 * time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	1 * time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 12 * time.Hour, 12 * time.Hour,
}

// MaxAttempts is how many sends a notice gets before it is given up: the
// last retry comes about 40 hours after the first try.
const MaxAttempts = 11

// Backoff returns how long to wait after the attempt-th failed send
// (1-based) before the next one, and false when the notice should be given
// up (marked failed and shown to admins) instead. The outbox worker may add
// jitter; the lease already spreads instances apart.
func Backoff(attempt int) (time.Duration, bool) {
	if attempt < 1 {
		attempt = 1
	}
	if attempt >= MaxAttempts {
		return 0, false
	}
	return backoff[attempt-1], true
}
