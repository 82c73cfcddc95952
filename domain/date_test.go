package domain

import "testing"

func TestParseDate(t *testing.T) {
	ok := map[string]string{
		"2023-12-10": "2023-12-10", "1402/09/19": "2023-12-10", "۱۴۰۲/۰۹/۱۹": "2023-12-10",
		"۲۰۲۳-۱۲-۱۰": "2023-12-10", "1397/01/22": "2018-04-11", " 1402-09-19 ": "2023-12-10",
	}
	for in, want := range ok {
		d, err := ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "2023-02-30", "1402/13/01", "1402/12/30", "tomorrow", "2023/12/10", "۲۰۲۳-۰۲-۳۰"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v; want an error", in, d)
		}
	}
	if got := MustDate("2018-04-11").Jalali(); got != "1397/01/22" {
		t.Errorf("Jalali() = %s", got)
	}
}

// TestParseDateRange: every accepted day's Jalali form reads back as the
// same day, at both ends of the range (the fuzzer found 2700-01-10).
func TestParseDateRange(t *testing.T) {
	for _, s := range []string{"1700-03-21", "2320-12-31", "2000-02-29"} {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if back, err := ParseDate(d.Jalali()); err != nil || back != d {
			t.Errorf("%s → %s → %v, %v", s, d.Jalali(), back, err)
		}
	}
	for _, s := range []string{"2321-01-01", "2700-01-10"} {
		if d, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v; want an error", s, d)
		}
	}
}
