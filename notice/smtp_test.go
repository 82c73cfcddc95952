package notice_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit/mailtest"
	"github.com/pishran/pishran/notice"
)

func sampleNotice() notice.Notice {
	due := domain.NewDate(2026, 11, 21) // 30 Aban 1405
	return notice.Notice{
		Kind:    notice.ReportOverdue,
		Key:     notice.Key(notice.ReportOverdue, "e-prescription", "1405-08", "ali"),
		To:      notice.Recipient{Username: "ali", Name: domain.T("علی رضایی", "Ali Rezaei"), Address: "ali@moh.example.ir"},
		At:      time.Date(2026, 11, 24, 5, 30, 0, 0, time.UTC), // 3 Azar 1405, 09:00 in Tehran
		Path:    "/work/reports/42",
		Project: &notice.Ref{ID: "e-prescription", Name: domain.T("نسخه الکترونیک", "Electronic prescription")},
		Agency:  &notice.Ref{ID: "moh", Name: domain.T("وزارت بهداشت", "Ministry of Health")},
		Period:  "1405-08",
		Due:     &due,
	}
}

func compose(t *testing.T, n notice.Notice) *notice.Message {
	t.Helper()
	m, err := exampleComposer().Compose(n)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sender(t *testing.T, ts *mailtest.Server, mode notice.TLSMode, user, pass string) *notice.SMTPSender {
	t.Helper()
	cfg := notice.Config{
		Host: "127.0.0.1", Port: ts.Port, TLS: mode, Username: user, Password: pass,
		From:    notice.Address{Address: "no-reply@pishran.example.ir"},
		Timeout: 5 * time.Second,
	}
	if ts.Pool != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: ts.Pool}
	}
	s, err := notice.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// parsed is a received message taken apart as a mail reader would.
type parsed struct {
	Header     mail.Header
	Subject    string
	Text, HTML string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var p parsed
	p.Header = msg.Header
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: want multipart/alternative (%v)", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil || !strings.EqualFold(cp["charset"], "utf-8") {
			t.Fatalf("part Content-Type %q: want a UTF-8 charset (%v)", part.Header.Get("Content-Type"), err)
		}
		b, err := io.ReadAll(part) // multipart decodes quoted-printable
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, ct)
		switch ct {
		case "text/plain":
			p.Text = string(b)
		case "text/html":
			p.HTML = string(b)
		}
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Fatalf("parts %v: want text/plain then text/html", types)
	}
	return p
}

func TestSendSTARTTLSWithAuth(t *testing.T) {
	ts := mailtest.Start(t)
	n := sampleNotice()
	m := compose(t, n)
	if err := sender(t, ts, notice.STARTTLS, mailtest.Username, mailtest.Password).Send(context.Background(), m); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := ts.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	r := got[0]
	if !r.TLS || r.User != mailtest.Username {
		t.Errorf("session: TLS %v, user %q; want TLS and user pishran", r.TLS, r.User)
	}
	if r.From != "no-reply@pishran.example.ir" || len(r.To) != 1 || r.To[0] != "ali@moh.example.ir" {
		t.Errorf("envelope: from %q to %v", r.From, r.To)
	}
	p := parse(t, r.Data)

	// Headers.
	from, err := mail.ParseAddress(p.Header.Get("From"))
	if err != nil || from.Address != "no-reply@pishran.example.ir" || from.Name != notice.DefaultFromName {
		t.Errorf("From %q → %v, %v", p.Header.Get("From"), from, err)
	}
	to, err := mail.ParseAddress(p.Header.Get("To"))
	if err != nil || to.Address != "ali@moh.example.ir" || to.Name != "علی رضایی (Ali Rezaei)" {
		t.Errorf("To %q → %v, %v", p.Header.Get("To"), to, err)
	}
	wantSubject := "گزارش آبان ۱۴۰۵ پروژه «نسخه الکترونیک» عقب افتاده است — Report for Aban 1405 (1405-08) on \"Electronic prescription\" is overdue"
	if p.Subject != wantSubject {
		t.Errorf("Subject\n got %q\nwant %q", p.Subject, wantSubject)
	}
	if got := p.Header.Get("Message-ID"); got != "<"+m.MessageID+">" || !strings.HasSuffix(got, "@pishran.example.ir>") {
		t.Errorf("Message-ID %q, want <%s>", got, m.MessageID)
	}
	if got := p.Header.Get(notice.HeaderNotice); got != "report-overdue/e-prescription/1405-08/ali" {
		t.Errorf("%s %q", notice.HeaderNotice, got)
	}
	unsub := p.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(unsub, "<https://pishran.example.ir/unsubscribe?t=") || !strings.HasSuffix(unsub, ">") {
		t.Errorf("List-Unsubscribe %q", unsub)
	}
	if got := p.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", got)
	}
	unsubURL := strings.Trim(unsub, "<>")
	if user, ok := notice.VerifyUnsubscribe([]byte("0123456789abcdef0123456789abcdef"), strings.TrimPrefix(unsubURL, "https://pishran.example.ir/unsubscribe?t=")); !ok || user != "ali" {
		t.Errorf("the unsubscribe token does not verify as ali's: %q, %v", user, ok)
	}
	if d, err := p.Header.Date(); err != nil || !d.Equal(time.Date(2026, 11, 3, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("Date %q → %v, %v", p.Header.Get("Date"), d, err)
	}

	// The HTML part: Persian first, right to left; English in its own block.
	for _, want := range []string{
		`<html lang="fa" dir="rtl">`,
		`<div dir="rtl" lang="fa"`,
		`<div dir="ltr" lang="en"`,
		`href="https://pishran.example.ir/work/reports/42"`,
		`href="` + strings.ReplaceAll(unsubURL, "&", "&amp;") + `"`,
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML part lacks %s", want)
		}
	}
	fa, en, ok := strings.Cut(p.HTML, `<div dir="ltr" lang="en"`)
	if !ok {
		t.Fatal("no English block")
	}
	// Jalali due date and elapsed days, Persian digits, Tehran calendar day.
	for _, want := range []string{"۳۰ آبان ۱۴۰۵", "آبان ۱۴۰۵", "۳ روز", "وزارت بهداشت"} {
		if !strings.Contains(fa, want) {
			t.Errorf("Persian block lacks %q", want)
		}
	}
	for _, want := range []string{"2026-11-21", "Aban 1405 (1405-08)", "3 days ago", "Ministry of Health"} {
		if !strings.Contains(en, want) {
			t.Errorf("English block lacks %q", want)
		}
	}
	if strings.Index(p.HTML, "عقب افتاده") > strings.Index(p.HTML, "is overdue") {
		t.Error("HTML part: English before Persian")
	}

	// The plain-text part: the same, Persian first.
	fi, ei := strings.Index(p.Text, "۳۰ آبان ۱۴۰۵"), strings.Index(p.Text, "2026-11-21")
	if fi < 0 || ei < 0 || fi > ei {
		t.Errorf("text part: Persian date at %d, ISO date at %d; want both, Persian first", fi, ei)
	}
	// The page's link and the unsubscribe link, once in each language.
	for _, want := range []string{"https://pishran.example.ir/work/reports/42", unsubURL} {
		if n := strings.Count(p.Text, want); n < 2 {
			t.Errorf("text part has %s %d times, want it in both languages", want, n)
		}
	}
	if n := strings.Count(p.HTML, `href="`+strings.ReplaceAll(unsubURL, "&", "&amp;")+`"`); n != 2 {
		t.Errorf("HTML part links to the unsubscribe page %d times, want 2 (fa and en)", n)
	}
}

func TestSendImplicitTLS(t *testing.T) {
	ts := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.Implicit})
	if err := sender(t, ts, notice.ImplicitTLS, mailtest.Username, mailtest.Password).Send(context.Background(), compose(t, sampleNotice())); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got := ts.Messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %+v, want one message over TLS", got)
	}
}

func TestRefusalsAreClassified(t *testing.T) {
	ts := mailtest.StartWith(t, mailtest.Options{NoAuth: true})
	ts.Refuse("gone@moh.example.ir", 550)
	ts.Refuse("full@moh.example.ir", 452)
	s := sender(t, ts, notice.STARTTLS, "", "")

	for _, c := range []struct {
		to   string
		want notice.Failure
		code int
	}{
		{"gone@moh.example.ir", notice.Permanent, 550},
		{"full@moh.example.ir", notice.Temporary, 452},
	} {
		n := sampleNotice()
		n.To.Address = c.to
		err := s.Send(context.Background(), compose(t, n))
		if got := notice.Classify(err); got != c.want {
			t.Errorf("%s: %v classified %s, want %s", c.to, err, got, c.want)
		}
		var e *notice.Error
		if !asError(err, &e) || e.Code != c.code {
			t.Errorf("%s: error %v, want code %d", c.to, err, c.code)
		}
	}
	if got := ts.Messages(); len(got) != 0 {
		t.Errorf("refused messages were received: %d", len(got))
	}
}

func TestBatchSendsTheOthers(t *testing.T) {
	ts := mailtest.StartWith(t, mailtest.Options{NoAuth: true})
	ts.Refuse("gone@moh.example.ir", 550)
	var ms []*notice.Message
	for i, to := range []string{"a@moh.example.ir", "gone@moh.example.ir", "b@moh.example.ir"} {
		n := sampleNotice()
		n.To.Address, n.Key = to, notice.Key(notice.ReportOverdue, "e-prescription", "1405-08", string(rune('a'+i)))
		ms = append(ms, compose(t, n))
	}
	errs := sender(t, ts, notice.STARTTLS, "", "").SendBatch(context.Background(), ms)
	if errs[0] != nil || errs[2] != nil || notice.Classify(errs[1]) != notice.Permanent {
		t.Fatalf("errors %v: want nil, permanent, nil", errs)
	}
	got := ts.Messages()
	if len(got) != 2 || got[0].To[0] != "a@moh.example.ir" || got[1].To[0] != "b@moh.example.ir" {
		t.Fatalf("received %d messages: %+v", len(got), got)
	}
	// Each carries its own key.
	if k := parse(t, got[1].Data).Header.Get(notice.HeaderNotice); k != ms[2].Key {
		t.Errorf("second delivered message carries key %q, want %q", k, ms[2].Key)
	}
}

func TestSetupFailures(t *testing.T) {
	m := compose(t, sampleNotice())
	t.Run("wrong password", func(t *testing.T) {
		ts := mailtest.Start(t)
		err := sender(t, ts, notice.STARTTLS, mailtest.Username, "wrong").Send(context.Background(), m)
		if notice.Classify(err) != notice.Setup {
			t.Errorf("%v classified %s, want setup", err, notice.Classify(err))
		}
	})
	t.Run("no STARTTLS offered", func(t *testing.T) {
		ts := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.Plain, NoAuth: true})
		err := sender(t, ts, notice.STARTTLS, "", "").Send(context.Background(), m)
		if notice.Classify(err) != notice.Setup {
			t.Errorf("%v classified %s, want setup", err, notice.Classify(err))
		}
		if len(ts.Messages()) != 0 {
			t.Error("sent in the clear although STARTTLS is required")
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		ts := mailtest.StartWith(t, mailtest.Options{NoAuth: true})
		ts.Pool = nil // the client does not trust the self-signed certificate
		err := sender(t, ts, notice.STARTTLS, "", "").Send(context.Background(), m)
		if notice.Classify(err) != notice.Setup {
			t.Errorf("%v classified %s, want setup", err, notice.Classify(err))
		}
		if len(ts.Messages()) != 0 {
			t.Error("sent to a server whose certificate is not trusted")
		}
	})
	t.Run("server down", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		s, err := notice.NewSMTPSender(notice.Config{Host: "127.0.0.1", Port: port, TLS: notice.NoTLS,
			From: notice.Address{Address: "no-reply@pishran.example.ir"}, Timeout: 2 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), m)
		if notice.Classify(err) != notice.Temporary {
			t.Errorf("%v classified %s, want temporary", err, notice.Classify(err))
		}
	})
}

func TestNoTLSToLoopbackOnly(t *testing.T) {
	ts := mailtest.StartWith(t, mailtest.Options{TLS: mailtest.Plain, NoAuth: true})
	if err := sender(t, ts, notice.NoTLS, "", "").Send(context.Background(), compose(t, sampleNotice())); err != nil {
		t.Fatal(err)
	}
	if got := ts.Messages(); len(got) != 1 || got[0].TLS {
		t.Fatalf("received %+v", got)
	}
	_, err := notice.NewSMTPSender(notice.Config{Host: "smtp.example.ir", TLS: notice.NoTLS, From: notice.Address{Address: "a@example.ir"}})
	if err == nil {
		t.Error("TLS none towards a remote host was accepted")
	}
}

func asError(err error, target **notice.Error) bool {
	e, ok := err.(*notice.Error)
	*target = e
	return ok
}
