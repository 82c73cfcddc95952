package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/jalali"
)

// Date is a calendar day with no time of day. Pishran stores and sends it in
// ISO form (2018-04-11); on input it also takes the Jalali form that Iranian
// documents use (1397/01/22, with Latin or Persian digits). A nil *Date means
// the day is unknown, which the reference data needs often.
type Date struct {
	Y, M, D int
}

// NewDate returns the Date for a Gregorian year, month and day.
func NewDate(y, m, d int) Date { return Date{y, m, d} }

// DateOf returns the calendar day of t in UTC.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{y, int(m), d}
}

// maxGregorianYear is the last Gregorian year whose Jalali form stays below
// Jalali 1700, the line ParseDate draws between the two calendars.
const maxGregorianYear = 2320

// ParseDate reads an ISO date (YYYY-MM-DD) or a Jalali date (YYYY/MM/DD, or
// YYYY-MM-DD with a year below 1700, since no Gregorian date in Pishran's
// records is that old).
func ParseDate(s string) (Date, error) {
	s = asciiDigits(strings.TrimSpace(s))
	if s == "" {
		return Date{}, fmt.Errorf("empty date")
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil && t.Year() >= 1700 {
		// Gregorian 2321 is Jalali 1700: past it a date's Jalali form would
		// read back as a Gregorian one, and no record is dated that far on.
		if t.Year() > maxGregorianYear {
			return Date{}, fmt.Errorf("date %q is after %d: too late for Pishran's records", s, maxGregorianYear)
		}
		return DateOf(t), nil
	}
	// A dash-separated date with a Gregorian year is an ISO date, even when
	// it names no real day (2023-02-30): it must not be re-read as Jalali.
	if y, _, ok := strings.Cut(s, "-"); ok && !strings.Contains(s, "/") {
		if n, err := strconv.Atoi(y); err == nil && n >= 1700 {
			return Date{}, fmt.Errorf("date %q is not a valid ISO date (YYYY-MM-DD) nor a Jalali one (1402/09/19)", s)
		}
	}
	// A slash date with a four-digit year from 1700 on is a Gregorian date
	// in the wrong form (2023/12/10), not a Jalali year six centuries ahead.
	if y, _, ok := strings.Cut(s, "/"); ok {
		if n, err := strconv.Atoi(y); err == nil && n >= 1700 {
			return Date{}, fmt.Errorf("date %q: a Jalali year is below 1700; write a Gregorian date as YYYY-MM-DD", s)
		}
	}
	y, m, d, err := jalali.Parse(s)
	if err != nil {
		if !strings.Contains(s, "/") {
			return Date{}, fmt.Errorf("date %q is neither ISO (2023-12-10) nor Jalali (1402/09/19)", s)
		}
		return Date{}, err
	}
	// Its ISO form would read back as Jalali (see above), so such a day
	// could not round-trip; and no record is that old.
	if y > maxGregorianYear {
		return Date{}, fmt.Errorf("date %q is Gregorian %04d-%02d-%02d, after %d: too late for Pishran's records", s, y, m, d, maxGregorianYear)
	}
	if y < 1700 {
		return Date{}, fmt.Errorf("date %q is Gregorian %04d-%02d-%02d, before 1700: too early for Pishran's records", s, y, m, d)
	}
	return Date{y, m, d}, nil
}

// asciiDigits writes Persian (۰–۹) and Arabic-Indic (٠–٩) digits as ASCII,
// so that "۲۰۲۳-۱۲-۱۰" is read as the ISO date it is.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		}
		return r
	}, s)
}

// MustDate parses s or panics; for literals in code and tests only.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time { return time.Date(d.Y, time.Month(d.M), d.D, 0, 0, 0, 0, time.UTC) }

// String returns the ISO form.
func (d Date) String() string { return jalali.FormatYMD(d.Y, d.M, d.D, '-') }

// Jalali returns the Jalali form, e.g. 1397/01/22.
func (d Date) Jalali() string { return jalali.Format(d.Y, d.M, d.D) }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool {
	if d.Y != o.Y {
		return d.Y < o.Y
	}
	if d.M != o.M {
		return d.M < o.M
	}
	return d.D < o.D
}

// MarshalJSON writes the ISO form.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON accepts ISO or Jalali.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a date must be a string such as \"2023-12-10\" or \"1402/09/19\"")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// DatePtr returns a pointer to a parsed date, or nil for "".
func DatePtr(s string) *Date {
	if s == "" {
		return nil
	}
	d := MustDate(s)
	return &d
}
