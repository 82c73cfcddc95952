package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pishran/pishran/jalali"
)

// Period is a reporting month: a month of the Jalali calendar, the one
// Iranian agencies plan and report by, stored as "1405-08" (Aban 1405). The
// 1397 resolution asked for monthly indicators, so a month is the unit; a
// project reporting quarterly names the last month of the quarter.
//
// Its text form sorts as its months do ("1405-08" < "1405-09" < "1406-01"),
// so periods compare as strings. The jalali package does the calendar.
type Period string

// Period years: a Jalali year from 1300 to 1699. A four-digit year from 1700
// on is a Gregorian one (2026-11), which ParsePeriod refuses rather than
// guess: until migration 00012 periods were Gregorian months.
const (
	minPeriodYear = 1300
	maxPeriodYear = 1699
)

// NewPeriod returns the period for Jalali year y and month m (1–12). It does
// not validate; see ParsePeriod.
func NewPeriod(y, m int) Period { return Period(fmt.Sprintf("%04d-%02d", y, m)) }

// PeriodError is why a text is not a period, in both languages.
type PeriodError struct {
	Input  string
	FA, EN string
}

func (e *PeriodError) Error() string { return e.EN }

// ParsePeriod reads a Jalali month written as YYYY-MM or YYYY/MM, with
// Latin, Persian or Arabic-Indic digits ("1405-08", "۱۴۰۵/۸"), and returns it
// in the stored form "1405-08". A Gregorian month (a year from 1700 on) is
// refused with a message that says so and what to write instead.
func ParsePeriod(s string) (Period, error) {
	in := strings.TrimSpace(s)
	t := asciiDigits(in)
	y, m, ok := strings.Cut(t, "-")
	if !ok {
		y, m, ok = strings.Cut(t, "/")
	}
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(m) < 1 || len(m) > 2 || y[0] == '+' || m[0] == '+' || m[0] == '-' {
		return "", &PeriodError{Input: in,
			FA: "دوره باید یک ماه جلالی به شکل سال-ماه باشد، مانند ۱۴۰۵-۰۸ (آبان ۱۴۰۵)",
			EN: fmt.Sprintf("period %q must be a Jalali month written YYYY-MM, such as 1405-08 (Aban 1405)", in)}
	}
	if yy > maxPeriodYear {
		return "", &PeriodError{Input: in,
			FA: "«" + jalali.PersianDigits(in) + "» ماه میلادی است؛ دوره گزارش ماه جلالی است، مانند ۱۴۰۵-۰۸ (آبان ۱۴۰۵)",
			EN: fmt.Sprintf("period %q is a Gregorian month; reporting periods are Jalali months written YYYY-MM, such as 1405-08 (Aban 1405)", in)}
	}
	if yy < minPeriodYear || mm < 1 || mm > 12 {
		return "", &PeriodError{Input: in,
			FA: "دوره باید یک ماه جلالی از سال ۱۳۰۰ تا ۱۶۹۹ باشد، مانند ۱۴۰۵-۰۸ (آبان ۱۴۰۵)",
			EN: fmt.Sprintf("period %q must be a Jalali month of a year from 1300 to 1699, such as 1405-08 (Aban 1405)", in)}
	}
	return NewPeriod(yy, mm), nil
}

// MustPeriod parses s or panics; for literals in code and tests only.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// PeriodOf returns the Jalali month the (Gregorian) day d falls in.
func PeriodOf(d Date) Period {
	jy, jm, _ := jalali.FromGregorian(d.Y, d.M, d.D)
	return NewPeriod(jy, jm)
}

// PeriodAt returns the Jalali month it is in Tehran at the instant t.
func PeriodAt(t time.Time) Period { return PeriodOf(TehranDate(t)) }

// PeriodOfGregorianMonth is the Jalali month that holds the 15th day of
// Gregorian month m of year y: how migration 00012 carried the Gregorian
// periods of before (2026-11 → 1405-08, Aban 1405). Every Jalali month
// begins between the 19th and the 23rd of a Gregorian month, so the 15th
// always lies in the Jalali month that began in the Gregorian month before,
// and no two Gregorian months map to the same Jalali one.
func PeriodOfGregorianMonth(y, m int) Period { return PeriodOf(NewDate(y, m, 15)) }

// Year returns the Jalali year (0 when p is not a period).
func (p Period) Year() int { y, _ := p.ym(); return y }

// Month returns the Jalali month, 1–12 (0 when p is not a period).
func (p Period) Month() int { _, m := p.ym(); return m }

func (p Period) ym() (int, int) {
	if len(p) != 7 || p[4] != '-' {
		return 0, 0
	}
	n := func(s Period) int {
		v := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0
			}
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	return n(p[:4]), n(p[5:])
}

// Valid reports whether p is a period in its stored form.
func (p Period) Valid() bool {
	q, err := ParsePeriod(string(p))
	return err == nil && q == p
}

// String returns the stored form, 1405-08.
func (p Period) String() string { return string(p) }

// Name names the month for people: "آبان ۱۴۰۵" in Persian, "Aban 1405" in
// English. A text that is not a period is returned as it is (with Persian
// digits in Persian).
func (p Period) Name(lang string) string {
	y, m := p.ym()
	fa, en := jalali.MonthName(m)
	if y == 0 || fa == "" {
		if lang == "fa" {
			return jalali.PersianDigits(string(p))
		}
		return string(p)
	}
	if lang == "fa" {
		return fa + " " + jalali.PersianDigits(strconv.Itoa(y))
	}
	return en + " " + strconv.Itoa(y)
}

// Text names the month in both languages.
func (p Period) Text() Text { return T(p.Name("fa"), p.Name("en")) }

// Start returns the (Gregorian) first day of the month. p must be valid.
func (p Period) Start() Date {
	y, m := p.ym()
	gy, gm, gd, _ := jalali.ToGregorian(y, m, 1)
	return NewDate(gy, gm, gd)
}

// End returns the (Gregorian) last day of the month. p must be valid.
func (p Period) End() Date {
	y, m := p.ym()
	gy, gm, gd, _ := jalali.ToGregorian(y, m, jalali.MonthLength(y, m))
	return NewDate(gy, gm, gd)
}

// Add returns the period n months later (earlier when n < 0).
func (p Period) Add(n int) Period {
	y, m := p.ym()
	k := y*12 + (m - 1) + n
	return NewPeriod(k/12, k%12+1)
}

// Next returns the month after p.
func (p Period) Next() Period { return p.Add(1) }

// Prev returns the month before p.
func (p Period) Prev() Period { return p.Add(-1) }

// Contains reports whether the instant t falls in the month in Tehran.
func (p Period) Contains(t time.Time) bool { return PeriodAt(t) == p }

// MonthsUntil counts the months from p to o (negative when o is earlier).
func (p Period) MonthsUntil(o Period) int {
	py, pm := p.ym()
	oy, om := o.ym()
	return (oy*12 + om) - (py*12 + pm)
}
