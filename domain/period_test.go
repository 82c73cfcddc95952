package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pishran/pishran/jalali"
)

func TestParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{
		"1405-08": "1405-08", " 1405-8 ": "1405-08", "1405/08": "1405-08", "۱۴۰۵-۰۸": "1405-08",
		"۱۴۰۵/۸": "1405-08", "1300-01": "1300-01", "1699-12": "1699-12",
	} {
		got, err := ParsePeriod(in)
		if err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1405", "1405-13", "1405-00", "1405-", "-08", "140-08", "1405-008",
		"1405-+8", "+405-08", "1405--1", "1299-12", "abcd-ef", "1405-08-01", "1405.08"} {
		if p, err := ParsePeriod(in); err == nil {
			t.Errorf("ParsePeriod(%q) = %q, want an error", in, p)
		}
	}
}

// A Gregorian month is refused with a message that says it is one and
// what to write instead, in both languages.
func TestParsePeriodRefusesGregorian(t *testing.T) {
	for _, in := range []string{"2026-11", "2024-05", "۲۰۲۶-۱۱", "1700-01"} {
		_, err := ParsePeriod(in)
		var pe *PeriodError
		if !errors.As(err, &pe) {
			t.Fatalf("ParsePeriod(%q) = %v, want a *PeriodError", in, err)
		}
		if !strings.Contains(pe.EN, "Gregorian") || !strings.Contains(pe.EN, "1405-08") ||
			!strings.Contains(pe.FA, "میلادی") || !strings.Contains(pe.FA, "۱۴۰۵-۰۸") {
			t.Errorf("ParsePeriod(%q): %q / %q does not say it is Gregorian and what to write", in, pe.FA, pe.EN)
		}
		if strings.ContainsAny(pe.FA, "0123456789") {
			t.Errorf("ParsePeriod(%q): the Persian message %q carries Latin digits", in, pe.FA)
		}
	}
}

func TestPeriodName(t *testing.T) {
	for p, want := range map[Period][2]string{
		"1405-08": {"آبان ۱۴۰۵", "Aban 1405"},
		"1403-01": {"فروردین ۱۴۰۳", "Farvardin 1403"},
		"1402-12": {"اسفند ۱۴۰۲", "Esfand 1402"},
		"junk":    {"junk", "junk"},
	} {
		if fa, en := p.Name("fa"), p.Name("en"); fa != want[0] || en != want[1] {
			t.Errorf("%q.Name = %q, %q; want %q, %q", p, fa, en, want[0], want[1])
		}
	}
}

func TestPeriodNextPrevAdd(t *testing.T) {
	for _, c := range []struct {
		p    Period
		n    int
		want Period
	}{
		{"1405-08", 1, "1405-09"}, {"1405-12", 1, "1406-01"}, {"1406-01", -1, "1405-12"},
		{"1405-08", -20, "1403-12"}, {"1405-08", 0, "1405-08"}, {"1405-03", 24, "1407-03"},
	} {
		if got := c.p.Add(c.n); got != c.want {
			t.Errorf("%q.Add(%d) = %q, want %q", c.p, c.n, got, c.want)
		}
		if got := c.p.MonthsUntil(c.want); got != c.n {
			t.Errorf("%q.MonthsUntil(%q) = %d, want %d", c.p, c.want, got, c.n)
		}
	}
	if p := Period("1405-12"); p.Next() != "1406-01" || p.Prev() != "1405-11" || p.Next().Prev() != p {
		t.Errorf("Next/Prev of %q: %q, %q", p, p.Next(), p.Prev())
	}
}

// Start and End bound the Jalali month in Gregorian days, Esfand's length
// following the leap years.
func TestPeriodStartEnd(t *testing.T) {
	for _, c := range []struct {
		p          Period
		start, end string
	}{
		{"1405-08", "2026-10-23", "2026-11-21"},
		{"1403-01", "2024-03-20", "2024-04-19"},
		{"1403-12", "2025-02-19", "2025-03-20"}, // 1403 is a leap year: Esfand has 30 days
		{"1404-12", "2026-02-20", "2026-03-20"},
	} {
		if s, e := c.p.Start().String(), c.p.End().String(); s != c.start || e != c.end {
			t.Errorf("%q runs %s to %s, want %s to %s", c.p, s, e, c.start, c.end)
		}
		if PeriodOf(c.p.Start()) != c.p || PeriodOf(c.p.End()) != c.p || PeriodOf(c.p.End().AddDays(1)) != c.p.Next() {
			t.Errorf("PeriodOf disagrees with %q's bounds", c.p)
		}
	}
}

// Contains and PeriodAt count in Tehran: 2026-10-22 21:00 UTC is already
// 1 Aban 1405 in Tehran (00:30, UTC+3:30).
func TestPeriodContainsTehran(t *testing.T) {
	at := time.Date(2026, 10, 22, 21, 0, 0, 0, time.UTC)
	if !Period("1405-08").Contains(at) || Period("1405-07").Contains(at) {
		t.Errorf("%v is in %q in Tehran, not Mehr", at, PeriodAt(at))
	}
	if before := at.Add(-time.Hour); !Period("1405-07").Contains(before) {
		t.Errorf("%v is in %q in Tehran, want 1405-07", before, PeriodAt(before))
	}
}

// The migration's mapping: a Gregorian month goes to the Jalali month of its
// 15th day, one to one, and the arithmetic migration 00012 does in SQL
// (Gregorian month m ↦ Jalali month (m+8) mod 12 + 1, year y−621 from April,
// y−622 before) agrees with the calendar for every month Pishran can hold.
func TestPeriodOfGregorianMonth(t *testing.T) {
	if got := PeriodOfGregorianMonth(2026, 11); got != "1405-08" {
		t.Errorf("2026-11 → %q, want 1405-08", got)
	}
	if got := PeriodOfGregorianMonth(2024, 3); got != "1402-12" {
		t.Errorf("2024-03 → %q, want 1402-12", got)
	}
	seen := map[Period]bool{}
	prev := Period("")
	for y := 1900; y <= 2300; y++ {
		for m := 1; m <= 12; m++ {
			p := PeriodOfGregorianMonth(y, m)
			sqlY, sqlM := y-621, (m+8)%12+1
			if m < 4 {
				sqlY = y - 622
			}
			if p != NewPeriod(sqlY, sqlM) {
				t.Fatalf("%04d-%02d → %q by the calendar, %04d-%02d by the migration's arithmetic", y, m, p, sqlY, sqlM)
			}
			if seen[p] || (prev != "" && prev.Next() != p) {
				t.Fatalf("%04d-%02d → %q: not one to one with the months before", y, m, p)
			}
			seen[p], prev = true, p
			if jy, jm, _ := jalali.FromGregorian(y, m, 15); NewPeriod(jy, jm) != p {
				t.Fatalf("%04d-%02d: 15th not in %q", y, m, p)
			}
		}
	}
}

func TestTehranDate(t *testing.T) {
	if d := TehranDate(time.Date(2026, 11, 27, 20, 45, 0, 0, time.UTC)); d.String() != "2026-11-28" {
		t.Errorf("20:45 UTC on 2026-11-27 is %s in Tehran, want 2026-11-28", d)
	}
	if Tehran.String() != "Asia/Tehran" {
		t.Errorf("Tehran = %v", Tehran)
	}
}
