package web

import "testing"

// TestCSVSafe: a cell a spreadsheet would take as a formula gets a quote
// in front; a true number and plain text do not.
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1+1":                       "'+1+1",
		"@SUM(A1)":                   "'@SUM(A1)",
		"-2+3":                       "'-2+3",
		"-=cmd":                      "'-=cmd",
		"\t=1+1":                     "'\t=1+1",
		"\r=1+1":                     "'\r=1+1",
		"\tplain":                    "'\tplain",
		" =1+1":                      "' =1+1",
		"-5":                         "-5",
		"+2.5":                       "+2.5",
		"-1.5e3":                     "-1.5e3",
		"42":                         "42",
		"":                           "",
		"سامانه نسخه الکترونیک": "سامانه نسخه الکترونیک",
		"a=b":            "a=b",
		" leading space": " leading space",
		"2024-05-01":     "2024-05-01",
		"-":              "'-",
		"--5":            "'--5",
		"- 5":            "'- 5",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
