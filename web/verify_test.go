package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
	"github.com/pishran/pishran/service"
	"github.com/pishran/pishran/signing"
)

func TestVerifyPage(t *testing.T) {
	for _, e := range testkit.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := testkit.Open(t, e)
			db.SetClock(func() time.Time { return time.Date(2024, 5, 1, 10, 30, 45, 0, time.UTC) })
			env := scenario.Over(t, db)
			svc, srv := env.Svc, env.Serve()
			sec := service.Actor{Name: "user:sara", Role: service.RoleSecretariat}
			content := map[string]any{
				"resolution": domain.T("سامانه نسخه الکترونیک تا پایان سال سراسری شود", "Roll e-prescription out nationwide"),
				"due":        "2025-03-20",
				"votes":      12,
				"unanimous":  true,
				"projects":   []string{"e-prescription", "smart-health"},
				"note":       "<script>alert(1)</script>",
			}
			doc, err := svc.Publish(ctx, sec, signing.KindDecision, "council-14/3#2", domain.T("مصوبه دوم جلسه سوم", "Second decision of the third meeting"), content)
			if err != nil {
				t.Fatal(err)
			}

			// The page, in Persian first, with English beside it.
			code, h, body := srv.Accepting("/verify/"+strings.ToLower(doc.Code), "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").Parts()
			if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Pishran-Verdict") != "intact" {
				t.Fatalf("page: %d %v\n%s", code, h, body)
			}
			for _, want := range []string{
				`<html lang="fa" dir="rtl">`,
				"سند سالم است", "Intact.", "✓",
				"مصوبه دوم جلسه سوم", "Second decision of the third meeting",
				"مصوبه", "Decision", doc.Code, "council-14/3#2",
				`<time datetime="2024-05-01T10:30:45Z">۱۴۰۳/۰۲/۱۲ ساعت ۱۴:۰۰ به وقت تهران</time>`, "2024-05-01 14:00 &#43;03:30 (Tehran) | 10:30 UTC", // html/template writes + as &#43;
				"سامانه نسخه الکترونیک تا پایان سال سراسری شود", "Roll e-prescription out nationwide",
				`<time datetime="2025-03-20">۱۴۰۳/۱۲/۳۰</time>`, // the due date, Jalali beside ISO
				"smart-health", "بله", "12",
				"&lt;script&gt;alert(1)&lt;/script&gt;", // content is text, never markup
				doc.KeyID, "کلید جاری", "/verify/" + doc.Code + "?format=json", "/api/v1/signing/keys",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Contains(body, "<script") {
				t.Error("the page has a script element")
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP = %q", csp)
			}
			if strings.Index(body, "سند سالم است") > strings.Index(body, "Intact.") {
				t.Error("Persian should come before English")
			}

			// The JSON form: the signed-document file, which verifies offline
			// with the published keys.
			for _, c := range []struct{ path, accept string }{
				{"/verify/" + doc.Code, "application/json"},
				{"/verify/" + doc.Code + "?format=json", ""},
				{"/verify/" + doc.Code + "?format=json", "text/html"},
			} {
				code, h, body = srv.Accepting(c.path, c.accept).Parts()
				if code != http.StatusOK || h.Get("Content-Type") != "application/json" || h.Get("Pishran-Verdict") != "intact" {
					t.Fatalf("JSON %s (Accept %q): %d %v %s", c.path, c.accept, code, h, body)
				}
			}
			var file signing.File
			if err := json.Unmarshal([]byte(body), &file); err != nil || file.Envelope.Code != doc.Code || file.KeyID != doc.KeyID || file.PublicKey == "" {
				t.Fatalf("file: %+v %v", file, err)
			}
			kcode, _, kbody := srv.Accepting("/api/v1/signing/keys", "").Parts()
			keys, err := signing.ParseKeys([]byte(kbody))
			if kcode != http.StatusOK || err != nil || len(keys) != 1 || keys[0].KeyID != doc.KeyID {
				t.Fatalf("keys: %d %v %s", kcode, err, kbody)
			}
			if r, err := signing.VerifyFile([]byte(body), keys); err != nil || !r.Intact {
				t.Fatalf("the served file does not verify offline: %+v %v", r, err)
			}

			// Tampered behind Pishran's back: the page says so.
			write, _ := db.Pools()
			q := "UPDATE signed_documents SET title_fa = 'مصوبه جعلی' WHERE code = ?"
			if e.Name == "postgres" {
				q = strings.Replace(q, "?", "$1", 1)
			}
			if _, err := write.ExecContext(ctx, q, doc.Code); err != nil {
				t.Fatal(err)
			}
			code, h, body = srv.Accepting("/verify/"+doc.Code, "").Parts()
			if code != http.StatusOK || h.Get("Pishran-Verdict") != "not-intact" {
				t.Fatalf("tampered page: %d %v", code, h)
			}
			for _, want := range []string{"سند سالم نیست", "NOT intact", "✗", "مصوبه جعلی", "the signature does not match"} {
				if !strings.Contains(body, want) {
					t.Errorf("the tampered page lacks %q", want)
				}
			}
			if strings.Contains(body, "سند سالم است") {
				t.Error("the tampered page says intact")
			}
			_, _, body = srv.Accepting("/verify/"+doc.Code+"?format=json", "").Parts()
			if r, err := signing.VerifyFile([]byte(body), keys); err != nil || r.Intact {
				t.Fatalf("the tampered file verifies offline: %+v %v", r, err)
			}

			// Unknown and malformed codes: a 404 page, or problem+json.
			for _, path := range []string{"/verify/" + signing.NewCode(), "/verify/hello", "/verify/" + strings.Repeat("Z", 80)} {
				code, h, body := srv.Accepting(path, "").Parts()
				if code != http.StatusNotFound || !strings.HasPrefix(h.Get("Content-Type"), "text/html") ||
					!strings.Contains(body, "کد ناشناخته") || !strings.Contains(body, "Unknown code") || strings.Contains(body, "سند سالم") {
					t.Errorf("%s: %d %s\n%s", path, code, h.Get("Content-Type"), body)
				}
				code, h, body = srv.Accepting(path, "application/json").Parts()
				var p struct {
					Status int `json:"status"`
				}
				if code != http.StatusNotFound || h.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(body), &p) != nil || p.Status != 404 {
					t.Errorf("%s as JSON: %d %s %s", path, code, h.Get("Content-Type"), body)
				}
			}
			if code, h, _ := srv.Accepting("/verify/"+doc.Code+"?format=xml", "").Parts(); code != http.StatusBadRequest || h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("format=xml: %d %s", code, h.Get("Content-Type"))
			}
		})
	}
}
