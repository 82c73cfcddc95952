package notice_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/notice"
)

// allKinds returns one notice of each kind but the digest.
func allKinds() []notice.Notice {
	base := sampleNotice()
	due := domain.NewDate(2026, 11, 27)
	meeting := &notice.Meeting{ID: "itec-26", Title: domain.T("جلسه ۲۶ شورای اجرایی فناوری اطلاعات", "IT Executive Council session 26"), Date: domain.NewDate(2026, 12, 1)}
	mk := func(k notice.Kind, f func(n *notice.Notice)) notice.Notice {
		n := base
		n.Kind = k
		n.Key = notice.Key(k, "x", "ali")
		f(&n)
		return n
	}
	return []notice.Notice{
		mk(notice.ReportDueSoon, func(n *notice.Notice) { n.Due = &due }),
		mk(notice.ReportOverdue, func(n *notice.Notice) {}),
		mk(notice.ReportReturned, func(n *notice.Notice) {
			n.Comment = domain.T("شاخص ۲ مستند ندارد <script>alert(1)</script>", "KPI 2 has no evidence")
		}),
		mk(notice.ReportAccepted, func(n *notice.Notice) {}),
		mk(notice.ActionDueSoon, func(n *notice.Notice) {
			n.Due, n.Path, n.Action, n.Meeting = &due, "/work/actions/7", domain.T("تهیه پیش‌نویس آیین‌نامه", "Draft the by-law"), meeting
		}),
		mk(notice.ActionOverdue, func(n *notice.Notice) {
			n.Path, n.Action = "/work/actions/7", domain.T("تهیه پیش‌نویس آیین‌نامه", "Draft the by-law")
		}),
		mk(notice.AgendaPublished, func(n *notice.Notice) { n.Path, n.Meeting = "/work/meetings/itec-26", meeting }),
		mk(notice.DecisionMade, func(n *notice.Notice) {
			n.Path, n.Meeting, n.Resolution = "/decisions/91", meeting, "26/3"
			n.Decision = domain.T("وزارت بهداشت تا پایان آذر گزارش یکپارچگی را ارائه کند.", "The Ministry of Health presents the integration report by the end of Azar.")
		}),
		mk(notice.SetPassword, func(n *notice.Notice) {
			n.Path, n.Expires = "/account/set-password?token=abc123", n.At.Add(72*time.Hour)
		}),
		mk(notice.ResetPassword, func(n *notice.Notice) {
			n.Path, n.Expires = "/account/reset?token=def456", n.At.Add(24*time.Hour)
		}),
	}
}

var asciiDigit = regexp.MustCompile(`[0-9]`)

func TestEveryKindComposes(t *testing.T) {
	seen := map[notice.Kind]bool{}
	for _, n := range allKinds() {
		seen[n.Kind] = true
		m := compose(t, n)
		fa, en, ok := strings.Cut(m.Subject, " — ")
		if !ok || fa == "" || en == "" {
			t.Errorf("%s: subject %q is not \"Persian — English\"", n.Kind, m.Subject)
		}
		// Persian text carries Persian digits only (Latin names are
		// isolated and hold none here).
		if asciiDigit.MatchString(fa) {
			t.Errorf("%s: Persian subject %q has Latin digits", n.Kind, fa)
		}
		faText, _, _ := strings.Cut(m.Text, "----------------------------------------")
		faText = strings.ReplaceAll(faText, "https://pishran.example.ir"+n.Path, "")
		faText = regexp.MustCompile(`(?m)^>.*$`).ReplaceAllString(faText, "") // the comment, as its author wrote it
		if asciiDigit.MatchString(faText) {
			t.Errorf("%s: Persian text part has Latin digits:\n%s", n.Kind, faText)
		}
		if strings.Contains(m.Text, "<no value>") || strings.Contains(m.HTML, "<no value>") {
			t.Errorf("%s: a template read a missing field", n.Kind)
		}
		if !strings.Contains(m.HTML, `href="https://pishran.example.ir`+strings.ReplaceAll(n.Path, "&", "&amp;")+`"`) {
			t.Errorf("%s: HTML does not link to the page %s", n.Kind, n.Path)
		}
		if n.Kind.Account() != (m.Unsubscribe == "") {
			t.Errorf("%s: unsubscribe %q; account messages carry none, the others one", n.Kind, m.Unsubscribe)
		}
		if strings.Contains(m.HTML, "<script>") {
			t.Errorf("%s: user text reached the HTML unescaped", n.Kind)
		}
	}
	for _, k := range notice.Kinds {
		if !seen[k] && k != notice.Digest {
			t.Errorf("kind %s has no case here", k)
		}
	}
}

func TestKindSpecificTexts(t *testing.T) {
	byKind := map[notice.Kind]*notice.Message{}
	for _, n := range allKinds() {
		byKind[n.Kind] = compose(t, n)
	}
	for _, c := range []struct {
		kind notice.Kind
		want []string
	}{
		{notice.ReportDueSoon, []string{"۶ آذر ۱۴۰۵", "2026-11-27", "in 3 days", "۳ روز دیگر"}},
		{notice.ReportReturned, []string{"شاخص ۲ مستند ندارد &lt;script&gt;", "KPI 2 has no evidence"}},
		{notice.ActionDueSoon, []string{"تهیه پیش‌نویس آیین‌نامه", "Draft the by-law", "IT Executive Council session 26"}},
		{notice.AgendaPublished, []string{"۱۰ آذر ۱۴۰۵", "2026-12-01"}},
		{notice.DecisionMade, []string{"۲۶/۳", "resolution 26/3", "presents the integration report"}},
		{notice.SetPassword, []string{"ساعت ۰۹:۰۰ به وقت تهران", "2026-11-27 09:00 Tehran time (UTC+03:30)", "token=abc123"}},
	} {
		m := byKind[c.kind]
		for _, w := range c.want {
			if !strings.Contains(m.HTML+m.Text, w) {
				t.Errorf("%s: message lacks %q:\n%s", c.kind, w, m.Text)
			}
		}
	}
}

func TestDigestBundlesNotices(t *testing.T) {
	items := allKinds()[:4]
	n := notice.Notice{
		Kind: notice.Digest, Key: notice.Key(notice.Digest, "ali", "1405-09-03"),
		To: sampleNotice().To, At: sampleNotice().At, Path: "/work/inbox", Items: items,
	}
	m := compose(t, n)
	if !strings.HasPrefix(m.Subject, "خلاصه روزانه پیشران: ۴ اعلان — Pishran daily digest: 4 notices") {
		t.Errorf("subject %q", m.Subject)
	}
	for _, it := range items {
		if !strings.Contains(m.HTML, `href="https://pishran.example.ir`+it.Path+`"`) {
			t.Errorf("digest lacks the link of %s", it.Kind)
		}
		sub := compose(t, it).Subject
		fa, en, _ := strings.Cut(sub, " — ")
		if !strings.Contains(m.Text, fa) || !strings.Contains(m.Text, en) {
			t.Errorf("digest text lacks the titles of %s: %q", it.Kind, sub)
		}
	}
	n.Items = append(n.Items, allKinds()[8]) // a set-password link
	if _, err := exampleComposer().Compose(n); err == nil {
		t.Error("a digest bundled a password link")
	}
}

func TestComposeRefusesIncompleteNotices(t *testing.T) {
	for name, f := range map[string]func(n *notice.Notice){
		"no key":           func(n *notice.Notice) { n.Key = "" },
		"key with space":   func(n *notice.Notice) { n.Key = "a b" },
		"no address":       func(n *notice.Notice) { n.To.Address = "" },
		"bad address":      func(n *notice.Notice) { n.To.Address = "ali at moh" },
		"no username":      func(n *notice.Notice) { n.To.Username = "" },
		"no project":       func(n *notice.Notice) { n.Project = nil },
		"gregorian period": func(n *notice.Notice) { n.Period = "2026-11" },
		"no due":           func(n *notice.Notice) { n.Due = nil },
		"relative path":    func(n *notice.Notice) { n.Path = "work/reports/42" },
		"other host":       func(n *notice.Notice) { n.Path = "//evil.example/x" },
		"unknown kind":     func(n *notice.Notice) { n.Kind = "gossip" },
		"no time":          func(n *notice.Notice) { n.At = time.Time{} },
	} {
		n := sampleNotice()
		f(&n)
		if _, err := exampleComposer().Compose(n); err == nil {
			t.Errorf("%s: composed", name)
		}
	}
	c := exampleComposer()
	c.Secret = nil
	if _, err := c.Compose(sampleNotice()); err == nil {
		t.Error("composed a notice with no unsubscribe secret")
	}
}

func TestMessageIDFollowsTheKey(t *testing.T) {
	a, b := compose(t, sampleNotice()), compose(t, sampleNotice())
	if a.MessageID != b.MessageID {
		t.Errorf("two compositions of one notice have Message-IDs %s and %s", a.MessageID, b.MessageID)
	}
	n := sampleNotice()
	n.Key += "x"
	if compose(t, n).MessageID == a.MessageID {
		t.Error("two keys share a Message-ID")
	}
}

func TestKeyIsOneHeaderLine(t *testing.T) {
	k := notice.Key(notice.DecisionMade, "itec-26", "ali reza/\r\nBcc: x")
	if strings.ContainsAny(k, " \r\n") || k != "decision/itec-26/ali%20reza%2F%0D%0ABcc:%20x" {
		t.Errorf("key %q", k)
	}
}

func TestUnsubscribeToken(t *testing.T) {
	secret := []byte("0123456789abcdef0123456789abcdef")
	tok := notice.UnsubscribeToken(secret, "ali")
	if u, ok := notice.VerifyUnsubscribe(secret, tok); !ok || u != "ali" {
		t.Fatalf("own token: %q %v", u, ok)
	}
	forged := notice.UnsubscribeToken([]byte("another secret, 32 bytes long..."), "reza")
	// The same MAC spelled another way: one of its last character's unused
	// bits flipped (a lenient decoder reads the same bytes).
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	respelled := tok[:len(tok)-1] + string(alphabet[strings.IndexByte(alphabet, tok[len(tok)-1])^1])
	for _, bad := range []string{"", "ali", forged, strings.Replace(tok, "YWxp", "cmV6YQ", 1), tok + "x", respelled} {
		if u, ok := notice.VerifyUnsubscribe(secret, bad); ok {
			t.Errorf("token %q verified as %q", bad, u)
		}
	}
}

func TestConfigFromLookup(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	c, err := notice.ConfigFromLookup(env(nil))
	if err != nil || c.Enabled() {
		t.Fatalf("no host: %+v, %v; want disabled", c, err)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("from-file\n"), 0o600)
	c, err = notice.ConfigFromLookup(env(map[string]string{
		notice.EnvHost: "smtp.example.ir", notice.EnvUsername: "pishran", notice.EnvPassword: "from-env",
		notice.EnvPasswordFile: pw, notice.EnvFrom: "no-reply@example.ir", notice.EnvTimeout: "10s",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Enabled() || c.TLS != notice.STARTTLS || c.Port != 587 || c.Password != "from-file" ||
		c.Timeout != 10*time.Second || c.From.Name != notice.DefaultFromName || c.Auth != "plain" {
		t.Errorf("config %+v", c)
	}
	c, err = notice.ConfigFromLookup(env(map[string]string{notice.EnvHost: "smtp.example.ir", notice.EnvTLS: "TLS", notice.EnvFrom: "a@example.ir"}))
	if err != nil || c.Port != 465 || c.TLS != notice.ImplicitTLS {
		t.Errorf("implicit TLS: %+v, %v", c, err)
	}
	for name, m := range map[string]map[string]string{
		"no from":          {notice.EnvHost: "smtp.example.ir"},
		"bad port":         {notice.EnvHost: "smtp.example.ir", notice.EnvFrom: "a@example.ir", notice.EnvPort: "x"},
		"clear to remote":  {notice.EnvHost: "smtp.example.ir", notice.EnvFrom: "a@example.ir", notice.EnvTLS: "none"},
		"unknown tls":      {notice.EnvHost: "smtp.example.ir", notice.EnvFrom: "a@example.ir", notice.EnvTLS: "ssl3"},
		"password no user": {notice.EnvHost: "smtp.example.ir", notice.EnvFrom: "a@example.ir", notice.EnvPassword: "x"},
		"bad timeout":      {notice.EnvHost: "smtp.example.ir", notice.EnvFrom: "a@example.ir", notice.EnvTimeout: "soon"},
	} {
		if _, err := notice.ConfigFromLookup(env(m)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestBackoff(t *testing.T) {
	var prev, total time.Duration
	for a := 1; ; a++ {
		d, ok := notice.Backoff(a)
		if !ok {
			if a != notice.MaxAttempts {
				t.Errorf("gave up after attempt %d, want %d", a, notice.MaxAttempts)
			}
			break
		}
		if d < prev || d <= 0 {
			t.Errorf("attempt %d waits %v after %v", a, d, prev)
		}
		prev, total = d, total+d
	}
	if total < 24*time.Hour || total > 72*time.Hour {
		t.Errorf("retries span %v; want a day-long outage survived, and a give-up within three days", total)
	}
	if notice.Classify(nil) != 0 || notice.Classify(os.ErrDeadlineExceeded) != notice.Temporary {
		t.Error("Classify of nil, or of an unknown error")
	}
}
