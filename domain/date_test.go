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
