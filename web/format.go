package web

import (
	"html/template"
	"strconv"
	"strings"
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

// Stamp writes an instant to the minute in Tehran time, the clock the
// secretariat and the agencies live by, whatever zone the server runs in:
// ۱۴۰۵/۰۹/۰۶ ۱۲:۴۲, or 2026-11-27 12:42 (09:12 UTC). The zone data is
// embedded in the binary (domain.Tehran).
func (l Lang) Stamp(t time.Time) string {
	t = t.In(domain.Tehran)
	return l.Date(domain.TehranDate(t)) + " " + l.Digits(t.Format("15:04"))
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

// stampHTML renders an instant as a <time> element: Tehran time for the
// reader (its title says so), the UTC instant for machines.
//
// A time of day means nothing without its zone, so the zone is said beside
// it, visibly, not only in a tooltip: "۱۴۰۵/۰۹/۱۵ ۱۴:۳۰ به وقت تهران".
func (l Lang) stampHTML(t time.Time) template.HTML {
	zone := template.HTMLEscapeString(l.T("time.tehran"))
	return template.HTML(`<time datetime="` + t.UTC().Format(time.RFC3339) + `" title="` + zone + `">` + l.Stamp(t) +
		`</time> <span class="zone">` + zone + `</span>`)
}

// optNum writes a number the records may not know.
func (l Lang) optNum(n *int) string {
	if n == nil {
		return l.T("value.unknown")
	}
	return l.Num(*n)
}

// anyNum writes a whole number of any width, or a pointer to one; nil is
// "unknown".
func (l Lang) anyNum(v any) string {
	switch x := v.(type) {
	case int:
		return l.Num(x)
	case int64:
		return l.Num(int(x))
	case uint64: // the exchange's counters
		return l.Num(int(min(x, 1<<62)))
	case *int:
		if x != nil {
			return l.Num(*x)
		}
	case *int64:
		if x != nil {
			return l.Num(int(*x))
		}
	}
	return l.T("value.unknown")
}

// fnum writes a decimal number (or a pointer to one) with at most one
// decimal, in the page's digits; nil is "unknown".
func (l Lang) fnum(v any) string {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case *float64:
		if x == nil {
			return l.T("value.unknown")
		}
		f = *x
	case int:
		f = float64(x)
	default:
		return l.T("value.unknown")
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if l == FA {
		s = strings.Replace(s, ".", "٫", 1)
	}
	return l.Digits(s)
}
