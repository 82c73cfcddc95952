package web_test

import (
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// TestSourcesAsCitations: a source is shown as a citation — what it is,
// who published it, when (or that the date is unknown), and a link to it
// — never as the dataset's internal label.
func TestSourcesAsCitations(t *testing.T) {
	env := newEnv(t, testkit.Engines()[0])
	want := map[string][]string{
		"fa": {
			`<a class="source-link" href="https://akharinkhabar.ir/tech/6707593" rel="external noopener noreferrer"><bdi dir="ltr">akharinkhabar.ir/tech/6707593</bdi></a>`,
			"گزارش سازمان فناوری اطلاعات ایران با فهرست ۲۳ پروژه اولویت‌دار</cite> — آخرین خبر",
			"گفت‌وگو با رضا باقری، دبیر شورای اجرایی فناوری اطلاعات</cite> — ایستنا، <time datetime=\"2023-12-10\">۱۴۰۲/۰۹/۱۹</time> <span class=\"muted\">(نشانی برخط ثبت نشده است)</span>",
			`<cite><bdi dir="ltr">vakilyar.com</bdi></cite>، <span class="unknown">`,
		},
		"en": {
			`href="https://akharinkhabar.ir/tech/6707593" rel="external noopener noreferrer"`,
			"Interview with Reza Bagheri, secretary of the IT Executive Council</cite> — ICTNA, <time datetime=\"2023-12-10\">2023-12-10</time>",
			`<cite>ICTNA</cite>, <span class="unknown">date unknown</span> <a class="source-link" href="https://ictna.ir/id/089605"`,
		},
	}
	for lang, pieces := range want {
		var all strings.Builder
		for _, p := range []string{"/programs/gov12-egov-priority", "/programs/gov13-smart-driving", "/projects/e-health", "/projects/smart-health", "/projects/nix"} {
			r := env.Page("", p, lang)
			r.CheckPage(t, 200, lang)
			all.WriteString(r.Text())
		}
		for _, w := range pieces {
			if !strings.Contains(all.String(), w) {
				t.Errorf("%s: no %s", lang, w)
			}
		}
	}
	for _, p := range pages {
		for _, lang := range []string{"fa", "en"} {
			if body := env.Page("", p, lang).Text(); strings.Contains(body, "seed:") {
				t.Errorf("%s (%s) shows the dataset's label “seed:”", p, lang)
			}
		}
	}
}
