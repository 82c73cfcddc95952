package jalali

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type date struct{ y, m, d int }

var knownPairs = []struct {
	j, g date
}{
	{date{1397, 1, 22}, date{2018, 4, 11}},
	{date{1402, 9, 19}, date{2023, 12, 10}},
	{date{1399, 12, 30}, date{2021, 3, 20}}, // 1399 is leap
	{date{1403, 1, 1}, date{2024, 3, 20}},
	{date{1404, 1, 1}, date{2025, 3, 21}},
	{date{1379, 12, 29}, date{2001, 3, 19}},
	{date{1403, 12, 30}, date{2025, 3, 20}}, // 1403 is leap
	// From the jalaali-js test suite.
	{date{1360, 5, 26}, date{1981, 8, 17}},
	{date{1391, 10, 21}, date{2013, 1, 10}},
	{date{1393, 5, 13}, date{2014, 8, 4}},
	// Start of the Persian era and of the supported range.
	{date{1, 1, 1}, date{622, 3, 22}},
}

func TestKnownPairs(t *testing.T) {
	for _, p := range knownPairs {
		y, m, d, err := ToGregorian(p.j.y, p.j.m, p.j.d)
		if err != nil || (date{y, m, d}) != p.g {
			t.Errorf("ToGregorian(%v) = %v, %v; want %v", p.j, date{y, m, d}, err, p.g)
		}
		jy, jm, jd := FromGregorian(p.g.y, p.g.m, p.g.d)
		if (date{jy, jm, jd}) != p.j {
			t.Errorf("FromGregorian(%v) = %v; want %v", p.g, date{jy, jm, jd}, p.j)
		}
	}
}

func TestIsLeap(t *testing.T) {
	leap := []int{1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412}
	notLeap := []int{1393, 1394, 1396, 1400, 1401, 1402, 1404, 1405, 1406, 1407}
	for _, y := range leap {
		if !IsLeap(y) {
			t.Errorf("IsLeap(%d) = false; want true", y)
		}
	}
	for _, y := range notLeap {
		if IsLeap(y) {
			t.Errorf("IsLeap(%d) = true; want false", y)
		}
	}
}

// TestYearLengths checks that IsLeap agrees with the calendar arithmetic
// (the distance between consecutive 1 Farvardin) across the whole range.
func TestYearLengths(t *testing.T) {
	for jy := MinYear; jy <= MaxYear; jy++ {
		n := j2d(jy+1, 1, 1) - j2d(jy, 1, 1)
		want := 365
		if IsLeap(jy) {
			want = 366
		}
		if n != want {
			t.Fatalf("year %d has %d days; IsLeap says %d", jy, n, want)
		}
	}
}

func TestMonthLength(t *testing.T) {
	tests := []struct{ y, m, want int }{
		{1393, 1, 31}, {1393, 4, 31}, {1393, 6, 31}, {1393, 7, 30},
		{1393, 11, 30}, {1393, 12, 29}, {1394, 12, 29}, {1395, 12, 30},
		{1403, 12, 30}, {1402, 12, 29}, {1402, 0, 0}, {1402, 13, 0},
	}
	for _, tt := range tests {
		if got := MonthLength(tt.y, tt.m); got != tt.want {
			t.Errorf("MonthLength(%d, %d) = %d; want %d", tt.y, tt.m, got, tt.want)
		}
	}
}

// TestRoundTrip walks every day from 1900-01-01 to 2100-12-31.
func TestRoundTrip(t *testing.T) {
	start := time.Date(1900, 1, 1, 12, 0, 0, 0, time.UTC)
	end := time.Date(2100, 12, 31, 12, 0, 0, 0, time.UTC)
	var prev date
	days := 0
	for day := start; !day.After(end); day = day.AddDate(0, 0, 1) {
		g := date{day.Year(), int(day.Month()), day.Day()}
		jy, jm, jd := FromGregorian(g.y, g.m, g.d)
		j := date{jy, jm, jd}
		y, m, d, err := ToGregorian(jy, jm, jd)
		if err != nil || (date{y, m, d}) != g {
			t.Fatalf("%v -> %v -> %v, %v", g, j, date{y, m, d}, err)
		}
		if days > 0 {
			var next date
			switch {
			case prev.d < MonthLength(prev.y, prev.m):
				next = date{prev.y, prev.m, prev.d + 1}
			case prev.m < 12:
				next = date{prev.y, prev.m + 1, 1}
			default:
				next = date{prev.y + 1, 1, 1}
			}
			if j != next {
				t.Fatalf("%v maps to %v; expected day after %v to be %v", g, j, prev, next)
			}
		}
		prev = j
		days++
	}
	if days != 73414 {
		t.Errorf("walked %d days; want 73414", days)
	}
}

func TestFromGregorianNormalizes(t *testing.T) {
	// 2023-02-30 is normalized to 2023-03-02 = 1401/12/11.
	jy, jm, jd := FromGregorian(2023, 2, 30)
	if got, want := (date{jy, jm, jd}), (date{1401, 12, 11}); got != want {
		t.Errorf("FromGregorian(2023, 2, 30) = %v; want %v", got, want)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want date
	}{
		{"1402/09/19", date{2023, 12, 10}},
		{"1402-09-19", date{2023, 12, 10}},
		{"1402/9/19", date{2023, 12, 10}},
		{"  1402-9-19\t\n", date{2023, 12, 10}},
		{"۱۴۰۲/۰۹/۱۹", date{2023, 12, 10}},
		{"١٤٠٢/٠٩/١٩", date{2023, 12, 10}},
		{"۱۴۰۲/09/١٩", date{2023, 12, 10}},
		{"1397/1/22", date{2018, 4, 11}},
		{"1403/12/30", date{2025, 3, 20}},
		{"1399/12/30", date{2021, 3, 20}},
		{"1/1/1", date{622, 3, 22}},
	}
	for _, tt := range tests {
		y, m, d, err := Parse(tt.in)
		if err != nil || (date{y, m, d}) != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, date{y, m, d}, err, tt.want)
		}
	}
}

func TestParseRangeEnds(t *testing.T) {
	for _, in := range []string{"1/01/01", "3000/01/01", "3000/12/29"} {
		if _, _, _, err := Parse(in); err != nil {
			t.Errorf("Parse(%q): %v", in, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // substring of the error
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"14020919", "not of the form"},
		{"1402/09", "not of the form"},
		{"1402/09/19/1", "not of the form"},
		{"1402/09-19", "not of the form"},
		{"1402-09/19", "not of the form"},
		{"1402-09-1/9", "invalid character"},
		{"-1402-09-19", "not of the form"},
		{"1402//19", "missing month"},
		{"1402/09/", "missing day"},
		{"/09/19", "missing year"},
		{"1402/13/01", "month 13 out of range"},
		{"1402/00/01", "month 0 out of range"},
		{"1402/07/31", "day 31 out of range for month 7 (30 days)"},
		{"1402/01/00", "day 0 out of range"},
		{"1402/12/30", "day 30 out of range for month 12 (29 days)"},
		{"0/01/01", "year 0 out of range"},
		{"3001/01/01", "year 3001 out of range"},
		{"99999999999999999999999/01/01", "more than 4 digits"},
		{"1402/001/01", "more than 2 digits"},
		{"1402/01/999999999999999999999", "more than 2 digits"},
		{"1402/+1/01", "invalid character"},
		{"1402/ 9/19", "invalid character"},
		{"\xff\xfe/01/01", "invalid character"},
		{"1402.09.19", "not of the form"},
		{"abcd/ef/gh", "invalid character"},
	}
	for _, tt := range tests {
		_, _, _, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded; want error containing %q", tt.in, tt.wantErr)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "jalali: ") {
			t.Errorf("Parse(%q) error = %q; want it to contain %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestToGregorianErrors(t *testing.T) {
	bad := []date{{1402, 12, 30}, {1402, 7, 31}, {1402, 0, 1}, {1402, 13, 1},
		{1402, 1, 0}, {0, 1, 1}, {3001, 1, 1}, {-5, 1, 1}}
	for _, j := range bad {
		if _, _, _, err := ToGregorian(j.y, j.m, j.d); err == nil {
			t.Errorf("ToGregorian(%v) succeeded; want error", j)
		}
	}
	_, _, _, err := ToGregorian(1402, 7, 31)
	if want := "jalali: day 31 out of range for month 7 (30 days)"; err == nil || err.Error() != want {
		t.Errorf("ToGregorian(1402, 7, 31) error = %v; want %q", err, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		g    date
		want string
	}{
		{date{2018, 4, 11}, "1397/01/22"},
		{date{2023, 12, 10}, "1402/09/19"},
		{date{2025, 3, 21}, "1404/01/01"},
		{date{622, 3, 22}, "0001/01/01"},
	}
	for _, tt := range tests {
		if got := Format(tt.g.y, tt.g.m, tt.g.d); got != tt.want {
			t.Errorf("Format(%v) = %q; want %q", tt.g, got, tt.want)
		}
	}
}

func TestPersianDigits(t *testing.T) {
	if got, want := PersianDigits("1397/01/22"), "۱۳۹۷/۰۱/۲۲"; got != want {
		t.Errorf("PersianDigits = %q; want %q", got, want)
	}
	if got, want := PersianDigits("a0-9b ۵"), "a۰-۹b ۵"; got != want {
		t.Errorf("PersianDigits = %q; want %q", got, want)
	}
	// Persian digits reparse to the same date.
	y, m, d, err := Parse(PersianDigits(Format(2023, 12, 10)))
	if err != nil || (date{y, m, d}) != (date{2023, 12, 10}) {
		t.Errorf("Parse(PersianDigits(Format(...))) = %v, %v", date{y, m, d}, err)
	}
}

func TestMonthName(t *testing.T) {
	tests := []struct {
		m      int
		fa, en string
	}{
		{1, "فروردین", "Farvardin"}, {2, "اردیبهشت", "Ordibehesht"},
		{3, "خرداد", "Khordad"}, {4, "تیر", "Tir"}, {5, "مرداد", "Mordad"},
		{6, "شهریور", "Shahrivar"}, {7, "مهر", "Mehr"}, {8, "آبان", "Aban"},
		{9, "آذر", "Azar"}, {10, "دی", "Dey"}, {11, "بهمن", "Bahman"},
		{12, "اسفند", "Esfand"}, {0, "", ""}, {13, "", ""},
	}
	for _, tt := range tests {
		fa, en := MonthName(tt.m)
		if fa != tt.fa || en != tt.en {
			t.Errorf("MonthName(%d) = %q, %q; want %q, %q", tt.m, fa, en, tt.fa, tt.en)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"1402/09/19", "1402-9-19", "۱۴۰۲/۰۹/۱۹", "١٤٠٢-٠٩-١٩",
		"1403/12/30", "1402/12/30", "3000/12/29", "0/0/0", "",
		"\xff/01/01", "99999999999/1/1", "1402/09-19",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, m, d, err := Parse(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "jalali: ") {
				t.Fatalf("Parse(%q) error %q lacks the jalali: prefix", s, err)
			}
			return
		}
		if m < 1 || m > 12 || d < 1 || d > 31 {
			t.Fatalf("Parse(%q) = %d-%d-%d is not a Gregorian date", s, y, m, d)
		}
		f := Format(y, m, d)
		y2, m2, d2, err := Parse(f)
		if err != nil {
			t.Fatalf("Parse(%q) = %d-%d-%d; Format = %q fails to reparse: %v", s, y, m, d, f, err)
		}
		if y2 != y || m2 != m || d2 != d {
			t.Fatalf("Parse(%q) = %d-%d-%d; Format = %q reparses to %d-%d-%d", s, y, m, d, f, y2, m2, d2)
		}
		if _, _, _, err := Parse(PersianDigits(f)); err != nil {
			t.Fatalf("Parse(PersianDigits(%q)): %v", f, err)
		}
	})
}

// FormatYMD writes what fmt.Sprintf("%04d/%02d/%02d") writes, for every
// width, sign and separator.
func TestFormatYMDIsSprintf(t *testing.T) {
	for _, y := range []int{0, 1, 9, 10, 99, 100, 999, 1000, 1397, 2026, 9999, 10000, -1, -2026} {
		for _, m := range []int{0, 1, 9, 10, 12, 99, 100, -1} {
			for _, d := range []int{0, 1, 9, 10, 31, 99, 100, -5} {
				for _, sep := range []byte{'/', '-'} {
					want := fmt.Sprintf("%04d%c%02d%c%02d", y, sep, m, sep, d)
					if got := FormatYMD(y, m, d, sep); got != want {
						t.Errorf("FormatYMD(%d, %d, %d, %q) = %q, want %q", y, m, d, sep, got, want)
					}
				}
			}
		}
	}
}
