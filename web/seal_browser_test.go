package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pishran/pishran/internal/qrdecode"
	"github.com/pishran/pishran/internal/testkit"
)

// TestBrowserEvidence: a reader finds the verification code and the QR
// code on the decisions page, on the printable minutes and on an accepted
// report; the QR code, as the browser draws it, reads back as the
// verification address; following the link, the verification page says
// "intact", in Persian and in English. After the stored decision is edited
// in the database, the same page says "not intact" and why.
func TestBrowserEvidence(t *testing.T) {
	if chromiumPath() == "" {
		t.Skip("browser tests skipped: no Chromium found (apt-get install -y chromium, or set PISHRAN_CHROMIUM)")
	}
	se := newStaffEnv(t, testkit.Engines()[0])
	decision, minutes, report := se.sealed(t)
	wired := serveWired(t, se.Staff.Env)
	b := startBrowser(t, wired)
	verifyURL := func(code string) string { return b.URL + "/verify/" + code }

	// readQR photographs the QR code the page shows (sel) and reads it.
	readQR := func(tb *tab, sel string) string {
		t.Helper()
		tb.waitFor(t, `(e => e && (e.tagName.toLowerCase() !== 'img' || (e.complete && e.naturalWidth > 0)))(document.querySelector(`+strconv.Quote(sel)+`))`)
		png, err := chromedp.Run(tb.ctx, chromedp.ScreenshotScale(chromedp.CSS(sel), 3))
		if err != nil {
			t.Fatal(err)
		}
		got, err := qrdecode.PNG(png)
		if err != nil {
			t.Fatalf("the QR code %s does not read: %v", sel, err)
		}
		return got
	}
	// follow clicks a link to the verification page and checks what every
	// verification page must satisfy: Persian first, right to left, no
	// error, nothing from another origin.
	follow := func(tb *tab, link, code string) {
		t.Helper()
		tb.do(t, chromedp.Click(chromedp.CSS(link)))
		tb.waitFor(t, `location.pathname === "/verify/`+code+`" && document.querySelector('.verdict')`)
		dir, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.documentElement.lang + " " + document.documentElement.dir`))
		if err != nil || dir != "fa rtl" {
			t.Errorf("the verification page is %q (%v)", dir, err)
		}
		time.Sleep(100 * time.Millisecond)
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.errors {
			t.Errorf("browser error: %s", e)
		}
		origin, _ := url.Parse(b.URL)
		for _, r := range tb.requests {
			if u, err := url.Parse(r); err != nil || (u.Scheme != "data" && u.Host != origin.Host) {
				t.Errorf("request to another origin: %s", r)
			}
		}
	}
	intact := func(tb *tab, what string) {
		t.Helper()
		text := tb.text(t)
		for _, want := range []string{"سند سالم است", "Intact.", "کد تصدیق", "Verification code"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the verification page does not say %q:\n%s", what, want, text)
			}
		}
		if strings.Contains(text, "سالم نیست") || strings.Contains(text, "NOT intact") || strings.Contains(text, "user:") {
			t.Errorf("%s: the verification page:\n%s", what, text)
		}
	}

	// The decisions page.
	tb := b.open(t, "/decisions?lang=fa", 1280, 900)
	b.check(t, tb, "fa")
	item := `li:has(a[href="` + verifyURL(decision) + `"])`
	if !strings.Contains(tb.text(t), decision) {
		t.Fatalf("the decisions page does not show the code %s", decision)
	}
	if got := readQR(tb, item+" img.seal-qr"); got != verifyURL(decision) {
		t.Errorf("the decision's QR code reads %q, want %q", got, verifyURL(decision))
	}
	b.screenshot(t, tb, "evidence-decisions-fa")
	follow(tb, item+" .seal-code a", decision)
	intact(tb, "decision")
	for _, want := range []string{"IT Executive Council", "Secretariat of the IT Executive Council — sec", "Roll e-prescription out in every province"} {
		if !strings.Contains(tb.text(t), want) {
			t.Errorf("the decision's verification page does not name %q", want)
		}
	}
	b.screenshot(t, tb, "evidence-verify-decision-intact")

	// The printable minutes.
	tb = b.open(t, "/api/v1/meetings/itec-29/minutes?format=html&lang=fa", 1000, 900)
	if !strings.Contains(tb.text(t), minutes) {
		t.Fatalf("the minutes do not show the code %s", minutes)
	}
	if got := readQR(tb, "section.seal svg"); got != verifyURL(minutes) {
		t.Errorf("the minutes' QR code reads %q, want %q", got, verifyURL(minutes))
	}
	b.screenshot(t, tb, "evidence-minutes-fa")
	follow(tb, `section.seal a[href="`+verifyURL(minutes)+`"]`, minutes)
	intact(tb, "minutes")
	b.screenshot(t, tb, "evidence-verify-minutes-intact")

	// The accepted report, in the workspace.
	tb = b.open(t, "/staff/reports/"+strconv.FormatInt(se.MohReport, 10)+"?lang=fa", 1280, 900, b.signedIn(t, se, "moh-focal"))
	b.check(t, tb, "fa")
	if got := readQR(tb, ".seal-box img.seal-qr"); got != verifyURL(report) {
		t.Errorf("the report's QR code reads %q, want %q", got, verifyURL(report))
	}
	b.screenshot(t, tb, "evidence-report-fa")
	follow(tb, ".seal-box .seal-code a", report)
	intact(tb, "report")
	if text := tb.text(t); !strings.Contains(text, "وزارت بهداشت") || !strings.Contains(text, "Ministry of Health") {
		t.Errorf("the report's verification page does not name the reporting agency:\n%s", text)
	}
	b.screenshot(t, tb, "evidence-verify-report-intact")

	// The stored decision edited behind Pishran's back.
	write, _ := se.svc.DB().Pools()
	q := "UPDATE signed_documents SET content = REPLACE(content, 'every province', 'no province') WHERE code = ?"
	if testkit.Engines()[0].Name == "postgres" {
		q = strings.Replace(q, "?", "$1", 1)
	}
	if res, err := write.ExecContext(se.Ctx, q, decision); err != nil {
		t.Fatal(err)
	} else if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%d rows edited", n)
	}
	tb = b.open(t, "/verify/"+decision, 1280, 900)
	text := tb.text(t)
	for _, want := range []string{"سند سالم نیست", "NOT intact",
		"پس از انتشار تغییر کرده است", "it was changed after publication",
		"امضا با سند نمی‌خواند", "the signature does not match the document"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the edit the verification page does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "سند سالم است") || strings.Contains(text, "Intact.") {
		t.Error("after the edit the verification page still says intact")
	}
	b.screenshot(t, tb, "evidence-verify-decision-not-intact")
}
