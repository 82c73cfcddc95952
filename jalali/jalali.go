// Package jalali converts between the Gregorian calendar and the Persian
// (Solar Hijri, "Jalali") calendar used officially in Iran and Afghanistan.
//
// The conversions use the widely used arithmetic algorithm of the
// jalaali-js / jalaali-go projects (originally by Kazimierz M. Borkowski,
// as published by Behrooz Khorshidi and others). Leap years follow a table of
// 33-year cycle "breaks" that was fitted to the astronomical calendar and is
// accurate for Jalali years -61 through 3177. This package supports (and
// validates) Jalali years 1 through 3000.
//
// Months 1–6 have 31 days, months 7–11 have 30 days and month 12 (Esfand)
// has 29 days, or 30 in a leap year.
//
// All dates are plain (year, month, day) integer triples; no time zone or
// time of day is involved.
package jalali

import (
	"fmt"
	"strings"
	"time"
)

const (
	// MinYear is the smallest Jalali year accepted by ToGregorian and Parse.
	MinYear = 1
	// MaxYear is the largest Jalali year accepted by ToGregorian and Parse.
	MaxYear = 3000
)

// breaks holds the Jalali years at which the 33-year leap cycle is
// perturbed (from jalaali-js).
var breaks = [...]int{
	-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181,
	1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
}

// jalCal computes, for the Jalali year jy, the Gregorian year gy in which
// it begins, the day of March (march) of 1 Farvardin in that Gregorian
// year, and the number of years since the last leap year (leap == 0 means
// jy itself is a leap year).
//
// It never panics. For years outside [-61, 3177] the result is an
// extrapolation of the nearest cycle and has no astronomical basis.
func jalCal(jy int) (leap, gy, march int) {
	gy = jy + 621
	leapJ := -14
	jp := breaks[0]
	jump := 0
	for i := 1; i < len(breaks); i++ {
		jm := breaks[i]
		jump = jm - jp
		if jy < jm {
			break
		}
		leapJ += jump/33*8 + jump%33/4
		jp = jm
	}
	n := jy - jp

	// Number of leap years from AD 621 to the beginning of the current
	// Jalali year in the Persian calendar.
	leapJ += n/33*8 + (n%33+3)/4
	if jump%33 == 4 && jump-n == 4 {
		leapJ++
	}

	// And the same in the Gregorian calendar (until the year gy).
	leapG := gy/4 - (gy/100+1)*3/4 - 150

	// Gregorian day of March on which 1 Farvardin falls.
	march = 20 + leapJ - leapG

	// Years since the last leap year.
	if jump-n < 6 {
		n = n - jump + (jump+4)/33*33
	}
	leap = ((n+1)%33 - 1) % 4
	if leap == -1 {
		leap = 4
	}
	return leap, gy, march
}

// g2d converts a Gregorian date to a Julian Day Number.
func g2d(gy, gm, gd int) int {
	d := (gy+(gm-8)/6+100100)*1461/4 + (153*((gm+9)%12)+2)/5 + gd - 34840408
	return d - (gy+100100+(gm-8)/6)/100*3/4 + 752
}

// d2g converts a Julian Day Number to a Gregorian date.
func d2g(jdn int) (gy, gm, gd int) {
	j := 4*jdn + 139361631
	j += (4*jdn+183187720)/146097*3/4*4 - 3908
	i := j%1461/4*5 + 308
	gd = i%153/5 + 1
	gm = i/153%12 + 1
	gy = j/1461 - 100100 + (8-gm)/6
	return gy, gm, gd
}

// j2d converts a Jalali date to a Julian Day Number (no validation).
func j2d(jy, jm, jd int) int {
	_, gy, march := jalCal(jy)
	return g2d(gy, 3, march) + (jm-1)*31 - jm/7*(jm-7) + jd - 1
}

// d2j converts a Julian Day Number to a Jalali date.
func d2j(jdn int) (jy, jm, jd int) {
	gy, _, _ := d2g(jdn)
	jy = gy - 621
	leap, _, march := jalCal(jy)
	k := jdn - g2d(gy, 3, march) // days since 1 Farvardin
	if k >= 0 {
		if k <= 185 { // first six months, 31 days each
			return jy, 1 + k/31, k%31 + 1
		}
		k -= 186
	} else { // still in the previous Jalali year
		jy--
		k += 179
		if leap == 1 {
			k++
		}
	}
	return jy, 7 + k/30, k%30 + 1
}

// IsLeap reports whether the Jalali year jy is a leap year, i.e. whether
// its 12th month (Esfand) has 30 days. The result is accurate for years
// -61 through 3177.
func IsLeap(jy int) bool {
	leap, _, _ := jalCal(jy)
	return leap == 0
}

// MonthLength returns the number of days in month jm of Jalali year jy,
// or 0 if jm is not in 1..12.
func MonthLength(jy, jm int) int {
	switch {
	case jm >= 1 && jm <= 6:
		return 31
	case jm >= 7 && jm <= 11:
		return 30
	case jm == 12:
		if IsLeap(jy) {
			return 30
		}
		return 29
	}
	return 0
}

// validate checks that jy/jm/jd is a valid Jalali date in the supported
// range.
func validate(jy, jm, jd int) error {
	if jy < MinYear || jy > MaxYear {
		return fmt.Errorf("jalali: year %d out of range [%d, %d]", jy, MinYear, MaxYear)
	}
	if jm < 1 || jm > 12 {
		return fmt.Errorf("jalali: month %d out of range [1, 12]", jm)
	}
	if n := MonthLength(jy, jm); jd < 1 || jd > n {
		return fmt.Errorf("jalali: day %d out of range for month %d (%d days)", jd, jm, n)
	}
	return nil
}

// ToGregorian converts the Jalali date jy/jm/jd to a Gregorian date.
// It returns an error if the year is outside [MinYear, MaxYear], the month
// is outside 1..12 or the day does not exist in that month.
func ToGregorian(jy, jm, jd int) (y, m, d int, err error) {
	if err := validate(jy, jm, jd); err != nil {
		return 0, 0, 0, err
	}
	y, m, d = d2g(j2d(jy, jm, jd))
	return y, m, d, nil
}

// FromGregorian converts the Gregorian date y-m-d to a Jalali date.
//
// Out-of-range month and day values are normalized the way time.Date
// normalizes them (for example, 2023-02-30 becomes 2023-03-02). Results
// are only meaningful for Gregorian years 560 through 3798 (Jalali years
// -61 through 3177); outside that range they are an extrapolation.
func FromGregorian(y, m, d int) (jy, jm, jd int) {
	if m < 1 || m > 12 || d < 1 || d > 28 {
		t := time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC)
		var tm time.Month
		y, tm, d = t.Date()
		m = int(tm)
	}
	return d2j(g2d(y, m, d))
}

// Format converts the Gregorian date y-m-d to the Jalali calendar and
// returns it as "yyyy/mm/dd" with ASCII digits, e.g. "1397/01/22" for
// 2018-04-11. Use PersianDigits to render it with Persian digits.
func Format(y, m, d int) string {
	jy, jm, jd := FromGregorian(y, m, d)
	return FormatYMD(jy, jm, jd, '/')
}

// FormatYMD writes a numeric date of either calendar: the year in four
// digits, the month and the day in two, joined by sep — as
// fmt.Sprintf("%04d/%02d/%02d") writes them, which it falls back to
// outside those widths. Pages write several dates each, and fmt's cost
// was most of theirs (issue 12).
func FormatYMD(y, m, d int, sep byte) string {
	if y < 0 || y > 9999 || m < 0 || m > 99 || d < 0 || d > 99 {
		s := string(sep)
		return fmt.Sprintf("%04d"+s+"%02d"+s+"%02d", y, m, d)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), sep,
		byte('0' + m/10), byte('0' + m%10), sep, byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

// PersianDigits returns s with every ASCII digit 0-9 replaced by the
// corresponding Extended Arabic-Indic (Persian) digit ۰-۹ (U+06F0..U+06F9).
// All other characters are left unchanged.
func PersianDigits(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r = '۰' + (r - '0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

var monthNames = [12][2]string{
	{"فروردین", "Farvardin"},
	{"اردیبهشت", "Ordibehesht"},
	{"خرداد", "Khordad"},
	{"تیر", "Tir"},
	{"مرداد", "Mordad"},
	{"شهریور", "Shahrivar"},
	{"مهر", "Mehr"},
	{"آبان", "Aban"},
	{"آذر", "Azar"},
	{"دی", "Dey"},
	{"بهمن", "Bahman"},
	{"اسفند", "Esfand"},
}

// MonthName returns the Persian name and the English transliteration of
// Jalali month m (1 = فروردین / Farvardin … 12 = اسفند / Esfand).
// It returns two empty strings if m is not in 1..12.
func MonthName(m int) (fa, en string) {
	if m < 1 || m > 12 {
		return "", ""
	}
	return monthNames[m-1][0], monthNames[m-1][1]
}

// digitValue returns the value of r if it is an ASCII, Persian
// (U+06F0..U+06F9) or Arabic-Indic (U+0660..U+0669) digit.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '۰' && r <= '۹':
		return int(r - '۰'), true
	case r >= '٠' && r <= '٩':
		return int(r - '٠'), true
	}
	return 0, false
}

// parseField parses a non-empty run of at most maxDigits digits.
func parseField(s, name string, maxDigits int) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("jalali: missing %s", name)
	}
	v, n := 0, 0
	for _, r := range s {
		dv, ok := digitValue(r)
		if !ok {
			return 0, fmt.Errorf("jalali: invalid character %q in %s %q", r, name, s)
		}
		if n++; n > maxDigits {
			return 0, fmt.Errorf("jalali: %s %q has more than %d digits", name, s, maxDigits)
		}
		v = v*10 + dv
	}
	return v, nil
}

// Parse parses a Jalali date written as year/month/day or year-month-day,
// such as "1402/09/19", "1402-9-19" or "۱۴۰۲/۰۹/۱۹", and returns the
// corresponding GREGORIAN date (here 2023-12-10).
//
// Leading and trailing white space is ignored. Digits may be ASCII,
// Persian (۰-۹) or Arabic-Indic (٠-٩), and may be mixed. The year has 1 to
// 4 digits and must be in [MinYear, MaxYear]; month and day have 1 or 2
// digits. Both separators must be the same character. The month must be in
// 1..12 and the day must exist in that month (so 1402/12/30 is rejected
// because 1402 is not a leap year). Parse never panics; malformed input
// yields a descriptive error.
func Parse(s string) (y, m, d int, err error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, 0, 0, fmt.Errorf("jalali: empty date")
	}
	i := strings.IndexAny(t, "/-")
	if i < 0 {
		return 0, 0, 0, fmt.Errorf("jalali: date %q is not of the form yyyy/mm/dd", s)
	}
	parts := strings.Split(t, t[i:i+1])
	if len(parts) != 3 {
		return 0, 0, 0, fmt.Errorf("jalali: date %q is not of the form yyyy/mm/dd", s)
	}
	jy, err := parseField(parts[0], "year", 4)
	if err != nil {
		return 0, 0, 0, err
	}
	jm, err := parseField(parts[1], "month", 2)
	if err != nil {
		return 0, 0, 0, err
	}
	jd, err := parseField(parts[2], "day", 2)
	if err != nil {
		return 0, 0, 0, err
	}
	return ToGregorian(jy, jm, jd)
}
