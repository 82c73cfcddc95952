package web

import (
	"html/template"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
)

func persianDigits(s string) string { return jalali.PersianDigits(s) }

// Date writes a calendar day the way the page's readers count: the Jalali
// calendar with Persian digits in Persian (۱۳۹۷/۰۱/۲۲), ISO in English
// (2018-04-11).
func (l Lang) Date(d domain.Date) string {
	if l == FA {
		return persianDigits(d.Jalali())
	}
	return d.String()
}

// Stamp writes an instant to the minute, in UTC so that it reads the same
// for everyone: ۱۴۰۵/۰۹/۰۶ ۰۹:۱۲ UTC, or 2026-11-27 09:12 UTC.
func (l Lang) Stamp(t time.Time) string {
	t = t.UTC()
	return l.Date(domain.DateOf(t)) + " " + l.Digits(t.Format("15:04")) + " UTC"
}

// dateHTML renders a day as a <time> element, or the catalog's "date
// unknown" when the records do not know it (a nil *Date).
func (l Lang) dateHTML(v any) template.HTML {
	var d *domain.Date
	switch x := v.(type) {
	case domain.Date:
		d = &x
	case *domain.Date:
		d = x
	}
	if d == nil {
		return template.HTML(`<span class="unknown">` + template.HTMLEscapeString(l.T("date.unknown")) + `</span>`)
	}
	return template.HTML(`<time datetime="` + d.String() + `">` + l.Date(*d) + `</time>`)
}

// stampHTML renders an instant as a <time> element.
func (l Lang) stampHTML(t time.Time) template.HTML {
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `">` + l.Stamp(t) + `</time>`)
}

// optNum writes a number the records may not know.
func (l Lang) optNum(n *int) string {
	if n == nil {
		return l.T("value.unknown")
	}
	return l.Num(*n)
}
