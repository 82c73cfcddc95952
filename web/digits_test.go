package web_test

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
)

// isolated are the elements whose text is not Persian prose: Latin text
// set apart (<bdi>), code and machine values, scripts.
var isolated = map[string]bool{"bdi": true, "code": true, "pre": true, "kbd": true, "samp": true, "script": true, "style": true,
	"textarea": true}

// void elements have no end tag.
var void = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

var (
	tagRe   = regexp.MustCompile(`(?s)<!--.*?-->|<!(?:[^>]*)>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>`)
	latinRe = regexp.MustCompile(`[0-9]+`)
	// Addresses (with a scheme, a host name, or a path), and names in
	// Latin letters with digits in them (UTF-8, SHA-256, Ed25519).
	urlRe    = regexp.MustCompile(`(?:https?://|www\.)\S+|\b[a-z0-9.-]+\.[a-z]{2,}/\S*|(?:^|[\s(])/[a-z]\S*|[A-Za-z][A-Za-z]*-?[0-9]+`)
	preRe    = regexp.MustCompile(`(?s)<pre[^>]*>.*?</pre>`)
	ltrAttrs = regexp.MustCompile(`\b(?:dir="(?:ltr|auto)"|lang="en")`)
)

// latinDigits returns the Latin digits a Persian page shows outside
// isolated text — <bdi>, code, an element marked dir="ltr"/"auto" or
// lang="en" — and outside addresses, each with some text around it.
// Attributes (ids, addresses, machine values of <time>) are not shown and
// not scanned.
func latinDigits(page string) []string {
	type open struct {
		name   string
		exempt bool
	}
	var stack []open
	exempt := func() bool {
		for _, o := range stack {
			if o.exempt {
				return true
			}
		}
		return false
	}
	var found []string
	scan := func(text string) {
		if exempt() {
			return
		}
		t := urlRe.ReplaceAllString(html.UnescapeString(text), "")
		r := []rune(t)
		for _, loc := range latinRe.FindAllStringIndex(t, -1) {
			at := len([]rune(t[:loc[0]]))
			from, to := max(0, at-30), min(len(r), at+30)
			found = append(found, strings.Join(strings.Fields(string(r[from:to])), " "))
		}
	}
	last := 0
	for _, m := range tagRe.FindAllStringSubmatchIndex(page, -1) {
		scan(page[last:m[0]])
		last = m[1]
		if m[4] < 0 { // a comment or a doctype
			continue
		}
		closing, name, attrs := page[m[2]:m[3]] == "/", strings.ToLower(page[m[4]:m[5]]), page[m[6]:m[7]]
		switch {
		case closing:
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].name == name {
					stack = stack[:i]
					break
				}
			}
		case void[name] || strings.HasSuffix(attrs, "/"):
		default:
			stack = append(stack, open{name, isolated[name] || ltrAttrs.MatchString(attrs)})
		}
	}
	scan(page[last:])
	return found
}

// The scanner itself: it finds what it should and passes what it should.
func TestLatinDigitsScanner(t *testing.T) {
	for page, want := range map[string]int{
		`<p>گزارش ۱۴۰۵</p>`:                                             0,
		`<p>گزارش 1405</p>`:                                             1,
		`<p>کد <bdi>e-rx 2</bdi> و <code>x1</code></p>`:                 0,
		`<p>نشانی https://example.org/a1 را ببینید</p>`:                 0,
		`<a href="/staff/reports/12" id="r12">گزارش ۱۲</a>`:             0,
		`<p><span lang="en" dir="ltr">Report 12</span> و 3</p>`:         1,
		`<time datetime="2026-11-27T09:12:00Z">۱۴۰۵/۰۹/۰۶</time>`:       0,
		`<p>a<br>2<input value="3"> <!-- 4 --></p>`:                     1,
		`<td><bdi>moh</bdi> ۳</td><td>4</td>`:                           1,
		`<option value="1405-08">آبان ۱۴۰۵</option>`:                    0,
		`<p>با UTF-8 و SHA-256 و /api/v1/keys و ictna.ir/id/133733</p>`: 0,
		`<p>مانند 2.5 یا RFC 8785</p>`:                                  3, // 2, 5 and 8785
		`<script>var x = 1;</script><style>.a{width:2px}</style>`:       0,
		`<p><input dir="ltr" value="5"> ۶</p><p dir="auto">7 x</p>`:     0,
	} {
		if got := latinDigits(page); len(got) != want {
			t.Errorf("%s: found %q, want %d", page, got, want)
		}
	}
}

// TestPersianPagesHaveNoLatinDigits renders the Persian pages — the portal
// and the staff workspace as the secretariat and as an agency's focal
// point, with reports, ratings, meetings and actions in them — and fails on
// any Latin digit shown outside isolated text.
func TestPersianPagesHaveNoLatinDigits(t *testing.T) {
	se := newStaffEnv(t, testkit.SQLite)
	id := strconv.FormatInt(se.MohReport, 10)
	public := append([]string{"/decisions", "/login"}, pages...)
	staff := map[string][]string{
		"sec": {"/staff", "/staff/reports", "/staff/reports/" + id, "/staff/projects/e-rx", "/staff/meetings",
			"/staff/meetings/itec-29", "/staff/meetings/itec-30", "/staff/agencies/moh/owes", "/staff/programs", "/staff/import"},
		"admin1": {"/staff/accounts", "/staff/accounts/moh-focal"},
		"moh-focal": {"/staff", "/staff/reports", "/staff/reports/" + id, "/staff/reports/" + id + "/edit", "/staff/reports/new?project=e-rx",
			"/staff/projects/e-rx", "/staff/agencies/moh/owes", "/staff/import"},
	}
	check := func(who, path string) {
		r := se.Page(se.SignIn(who), path, "fa")
		if r.Status != 200 {
			t.Errorf("%s as %q: status %d", path, who, r.Status)
			return
		}
		for _, f := range latinDigits(r.Text()) {
			t.Errorf("%s as %q: Latin digits in Persian text: %q", path, who, f)
		}
		// People are named, not shown by their ids (the audit log's raw
		// records, in <pre>, are the one place ids are the content).
		shown := preRe.ReplaceAllString(r.Text(), "")
		for _, id := range []string{"user:", "token:"} {
			if i := strings.Index(shown, id); i >= 0 {
				t.Errorf("%s as %q: an actor's id is shown: %q", path, who, shown[i:min(len(shown), i+40)])
			}
		}
	}
	for _, p := range public {
		check("", p)
	}
	for who, paths := range staff {
		for _, p := range paths {
			check(who, p)
		}
	}
}
