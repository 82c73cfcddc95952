package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pishran/pishran/domain"
)

// Lang is a page language. Persian comes first: it is the default for every
// visitor who has not asked for English.
type Lang string

const (
	FA Lang = "fa"
	EN Lang = "en"
)

// Langs lists the languages every page is served in.
var Langs = []Lang{FA, EN}

// langCookie remembers a visitor's choice of language.
const langCookie = "pishran_lang"

// Dir is the writing direction of the language, for the dir attribute.
func (l Lang) Dir() string {
	if l == FA {
		return "rtl"
	}
	return "ltr"
}

// Other is the language the toggle switches to.
func (l Lang) Other() Lang {
	if l == FA {
		return EN
	}
	return FA
}

func parseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case FA, EN:
		return Lang(s), true
	}
	return "", false
}

// requestLang picks the page language: an explicit ?lang= (which is then
// remembered in a cookie, so the choice survives plain links with no JS),
// else the cookie, else Persian.
func requestLang(w http.ResponseWriter, r *http.Request) Lang {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		if c, err := r.Cookie(langCookie); err != nil || c.Value != string(l) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		}
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return FA
}

// langURL is the current page's address with ?lang= set to l: the toggle's
// link, which works without JavaScript.
func langURL(r *http.Request, l Lang) string {
	q := r.URL.Query()
	q.Set("lang", string(l))
	return (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
}

// Num writes n with the language's digits and digit grouping: ۱۲٬۳۴۵ in
// Persian, 12,345 in English.
func (l Lang) Num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := ","
	if l == FA {
		sep = "٬" // U+066C ARABIC THOUSANDS SEPARATOR
	}
	if len(s) > 4 {
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(c)
		}
		s = b.String()
	}
	if neg {
		s = "-" + s
	}
	return l.Digits(s)
}

// Digits writes the ASCII digits of s as Persian digits in Persian pages.
func (l Lang) Digits(s string) string {
	if l == FA {
		return persianDigits(s)
	}
	return s
}

// Text picks the language's side of a bilingual record text.
func (l Lang) Text(t domain.Text) string { return t.In(string(l)) }
