package sheet

import (
	"testing"

	"github.com/pishran/pishran/domain"
)

func TestNormalise(t *testing.T) {
	if got := Digits("۱۴۰۲/٠٩/19"); got != "1402/09/19" {
		t.Errorf("Digits: %q", got)
	}
	if got := Letters("علي كريمي ٤"); got != "علی کریمی ۴" {
		t.Errorf("Letters: %q", got)
	}
	if got := CleanText("  وزارت  ارتباطات\u00a0و فناوری‌اطلاعات \u200f", false); got != "وزارت ارتباطات و فناوری‌اطلاعات" {
		t.Errorf("CleanText: %q (the ZWNJ must stay)", got)
	}
	if Key("نوع دستگاه") != Key(" نوع  دستگاه") || Key("دبيرخانة") != Key("دبیرخانه") || Key("Lead_Agency") != Key("lead agency") {
		t.Error("Key does not fold Arabic letters, ة, case or spacing")
	}
	if CleanText("دبيرخانة", false) != "دبیرخانة" {
		t.Error("CleanText must keep ة in text")
	}
}

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"1234": 1234, "۱۲۳۴": 1234, "١٢٣٤": 1234, "۱٬۲۳۴٬۵۶۷": 1234567, "1,234,567": 1234567, "۱۲٫۵": 12.5,
		"۲/۵": 2.5, "-3.25": -3.25, "−۷": -7, "1.5E+10": 1.5e10, " 42 ": 42, "۱٬۰۰۰٫۲۵": 1000.25,
	} {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1,5", "1٬23", "12.5.3", "۱۲ریال", "1,234.5,6", "/5"} {
		if v, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q) = %v; want an error", in, v)
		}
	}
	if v, err := ParseInt("۹٬۰۰۷٬۱۹۹٬۲۵۴٬۷۴۰٬۹۹۳"); err != nil || v != 9007199254740993 {
		t.Errorf("ParseInt kept %d, %v; want 9007199254740993 exactly", v, err)
	}
	if v, err := ParseInt("1.2E+10"); err != nil || v != 12000000000 {
		t.Errorf("ParseInt(1.2E+10) = %d, %v", v, err)
	}
	if _, err := ParseInt("12.5"); err == nil {
		t.Error("ParseInt took a fraction")
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"1402/09/19": "2023-12-10", "۱۴۰۲/۰۹/۱۹": "2023-12-10", "1402-09-19": "2023-12-10", "١٤٠٢/٩/١٩": "2023-12-10",
		"2023-12-10": "2023-12-10", "2023/12/10": "2023-12-10", "2023-12-10 00:00:00": "2023-12-10",
		"45270": "2023-12-10", "45270.5": "2023-12-10", "1": "1900-01-01", "61": "1900-03-01",
		"1403/12/30": "2025-03-20", // 1403 is a leap year
	} {
		got, err := ParseDate(in, false)
		if err != nil || got.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	if got, err := ParseDate("43808", true); err != nil || got.String() != "2023-12-10" {
		t.Errorf("1904 serial: %v, %v", got, err)
	}
	for _, in := range []string{"", "1402/13/01", "1402/12/30", "19/09/1402", "2023-02-30", "yesterday", "0", "1402/09"} {
		if d, err := ParseDate(in, false); err == nil {
			t.Errorf("ParseDate(%q) = %v; want an error", in, d)
		}
	}
}

func TestParseMonth(t *testing.T) {
	for _, in := range []string{"1405-08", "1405/8", "۱۴۰۵-۰۸", "آبان ۱۴۰۵", "۱۴۰۵ آبان", "Aban 1405", "آبان1405", " 1405 / 08 "} {
		m, err := ParseMonth(in)
		if err != nil || m != (Month{1405, 8}) {
			t.Errorf("ParseMonth(%q) = %v, %v", in, m, err)
		}
	}
	if m, _ := ParseMonth("دي ۱۴۰۴"); m != (Month{1404, 10}) {
		t.Errorf("Dey with an Arabic yeh: %v", m)
	}
	for _, in := range []string{"2026-11", "1405-13", "آبانماه", "1405", "105-08"} {
		if m, err := ParseMonth(in); err == nil {
			t.Errorf("ParseMonth(%q) = %v; want an error", in, m)
		}
	}
	m := Month{1405, 8}
	if m.String() != "1405-08" || m.FA() != "آبان ۱۴۰۵" || m.Start() != domain.NewDate(2026, 10, 23) || m.End() != domain.NewDate(2026, 11, 21) {
		t.Errorf("month %s %s %v %v", m, m.FA(), m.Start(), m.End())
	}
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"بله": true, "خیر": false, "yes": true, "No": false, "1": true, "": false, "۱": true} {
		if got, err := ParseBool(in); err != nil || got != want {
			t.Errorf("ParseBool(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseBool("maybe"); err == nil {
		t.Error("ParseBool(maybe)")
	}
}
