package textnorm

import (
	"strings"
	"unicode/utf8"
)

// Forms for storing rather than matching: what a keyboard layout leaves
// in Persian text is corrected, and nothing else (ة, hamza and diacritics
// stay as written). The spreadsheet import (sheet) cleans cells with them.

// Digits returns s with Persian (۰–۹) and Arabic-Indic (٠–٩) digits written
// as ASCII: for identifiers, numbers and dates.
func Digits(s string) string {
	if isASCII(s) {
		return s
	}
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

// PersianLetters returns s with the Arabic forms of Persian letters
// replaced — ي ى → ی, ك → ک — and Arabic-Indic digits written as Persian
// ones: Persian text as its author meant it.
func PersianLetters(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == 'ي' || r == 'ى':
			return 'ی'
		case r == 'ك':
			return 'ک'
		case r >= '٠' && r <= '٩':
			return '۰' + (r - '٠')
		}
		return r
	}, s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
