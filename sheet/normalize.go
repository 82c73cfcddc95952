package sheet

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/jalali"
	"github.com/pishran/pishran/textnorm"
)

// What normalisation does to a cell, by the column's type:
//
//   - Every cell: leading and trailing white space (including the no-break
//     space U+00A0 and the direction marks LRM/RLM a paste can carry) is
//     trimmed; U+00A0 inside becomes a space; the zero-width non-joiner
//     (نیم‌فاصله) is kept.
//   - Text (names, titles, narratives): the Arabic letter forms a keyboard
//     layout leaves in Persian — ي and ى (Arabic yeh, alef maksura) and ك
//     (Arabic kaf) — become ی and ک, and Arabic-Indic digits ٠–٩ become the
//     Persian ۰–۹. ة (teh marbuta) is kept in text: some Persian spellings
//     use it, and a title is stored as its author wrote it.
//   - Identifiers, codes, enum values, numbers, dates and months: every digit
//     becomes ASCII (Persian ۰–۹ and Arabic-Indic ٠–٩), and they are matched
//     through Key, which also folds ة into ه, case and spacing.
//   - Headers, sheet names, enum labels and agency names are matched through
//     Key too, so "نوع دستگاه", "نوع  دستگاه" and "نوع دستگاه" written with
//     an Arabic yeh find the same column.

// Digits returns s with Persian (۰–۹) and Arabic-Indic (٠–٩) digits written
// as ASCII.
func Digits(s string) string { return textnorm.Digits(s) }

// Letters returns s with the Arabic letter forms of Persian letters
// replaced: ي ى → ی, ك → ک, and Arabic-Indic digits → Persian digits. It
// does not touch ة (see the package's normalisation rules).
func Letters(s string) string { return textnorm.PersianLetters(s) }

// Key folds s for matching a header, sheet name, enum label or name: Letters
// and Digits, ة → ه, lower case, the ZWNJ and runs of spaces, underscores
// and hyphens made one space, and the edges trimmed.
func Key(s string) string {
	s = Digits(Letters(Trim(s)))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == 'ة':
			r = 'ه'
		case r == '\u200c' || r == '_' || r == '-' || unicode.IsSpace(r):
			space = true
			continue
		case r == 'ـ': // tatweel, the stretching stroke
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Trim removes white space, the no-break space and the direction marks
// (U+200E, U+200F, U+061C) at either end of s, and makes each no-break
// space inside an ordinary one.
func Trim(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u00a0' || r == '\u200e' || r == '\u200f' || r == '\u061c' || r == '\ufeff'
	})
	if strings.IndexRune(s, '\u00a0') >= 0 {
		s = strings.ReplaceAll(s, "\u00a0", " ")
	}
	return s
}

// CleanText normalises a text cell: Trim, then Letters. A single-line
// field also has its runs of white space made one space.
func CleanText(s string, multiline bool) string {
	s = Letters(Trim(s))
	if multiline {
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	if strings.ContainsAny(s, "\t\n\r  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// CleanID normalises an identifier cell (a slug, a code): Trim, Digits,
// lower case.
func CleanID(s string) string { return strings.ToLower(Digits(Trim(s))) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cellError is a problem with one cell's value, in both languages.
type cellError struct{ fa, en string }

func (e *cellError) Error() string { return e.en }

func errf(fa, en string, args ...any) *cellError {
	return &cellError{fa: jalali.PersianDigits(fmt.Sprintf(fa, args...)), en: fmt.Sprintf(en, args...)}
}

// ParseNumber reads a number as people write it: ASCII, Persian or
// Arabic-Indic digits; thousands separated by the Persian thousands
// separator ٬ (U+066C), a comma, the Arabic comma ، or a thin space, in
// groups of three; the decimal point "." or the Persian decimal separator ٫
// (U+066B) or a slash between digits (۲/۵); a leading minus (- or −).
// Excel's own forms (1.5E+10) are read too.
func ParseNumber(s string) (float64, error) {
	t, err := numberText(s)
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseFloat(t, 64)
	if perr != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errf("«%s» عدد نیست", "%q is not a number", s)
	}
	return v, nil
}

// ParseInt reads a whole number the way ParseNumber does, exactly (a cost in
// rials can exceed what a float holds exactly). A value Excel stored as a
// float with no fraction (12000000000) is taken.
func ParseInt(s string) (int64, error) {
	t, err := numberText(s)
	if err != nil {
		return 0, err
	}
	if v, err := strconv.ParseInt(t, 10, 64); err == nil {
		return v, nil
	}
	// 1.2E+10 as Excel writes a large number; or a fraction.
	f, _, perr := big.ParseFloat(t, 10, 128, big.ToNearestEven)
	if perr != nil {
		return 0, errf("«%s» عدد نیست", "%q is not a number", s)
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0, errf("«%s» باید عدد صحیح باشد", "%q must be a whole number", s)
	}
	return i, nil
}

// numberText rewrites a number into the form strconv reads.
func numberText(s string) (string, error) {
	orig := s
	s = Digits(Trim(s))
	if s == "" {
		return "", errf("خالی است", "empty")
	}
	var b strings.Builder
	neg := false
	if r, n := utf8.DecodeRuneInString(s); r == '-' || r == '−' || r == '\u2013' {
		neg = true
		s = s[n:]
	} else if r == '+' {
		s = s[n:]
	}
	if neg {
		b.WriteByte('-')
	}
	group := -1 // digits since the last thousands separator; -1 before any
	decimal, exp, digits := false, false, 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			digits++
			if group >= 0 && !decimal && !exp {
				group++
			}
		case r == '٬' || r == ',' || r == '،' || r == '\u2009' || r == '\u202f' || r == '\'':
			if decimal || exp || digits == 0 || (group >= 0 && group != 3) {
				return "", errf("«%s» عدد درستی نیست (جداکننده هزارگان)", "%q is not a well-formed number (thousands separator)", orig)
			}
			group = 0
		case r == '.' || r == '٫' || (r == '/' && i > 0 && i < len(s)-1):
			if decimal || exp || (group >= 0 && group != 3) {
				return "", errf("«%s» عدد درستی نیست", "%q is not a well-formed number", orig)
			}
			decimal = true
			group = -1
			b.WriteByte('.')
		case (r == 'e' || r == 'E') && digits > 0 && !exp:
			if group >= 0 && group != 3 {
				return "", errf("«%s» عدد درستی نیست", "%q is not a well-formed number", orig)
			}
			exp = true
			group = -1
			b.WriteByte('e')
		case (r == '+' || r == '-') && exp && strings.HasSuffix(b.String(), "e"):
			b.WriteRune(r)
		default:
			return "", errf("«%s» عدد نیست", "%q is not a number", orig)
		}
	}
	if digits == 0 || (group >= 0 && group != 3) {
		return "", errf("«%s» عدد درستی نیست", "%q is not a well-formed number", orig)
	}
	return b.String(), nil
}

// Excel's 1900 date system counts days from 1899-12-30 (its day 60 is the
// 29 February 1900 that never was, so serials from 61 on line up with it);
// the 1904 system, from 1904-01-01.
const (
	minSerial = 1
	maxSerial = 2958465 // 9999-12-31
)

// serialDate converts an Excel date serial to a day.
func serialDate(v float64, date1904 bool) (domain.Date, bool) {
	if v < minSerial || v > maxSerial {
		return domain.Date{}, false
	}
	n := int(math.Floor(v)) // a time of day is dropped
	if date1904 {
		return domain.NewDate(1904, 1, 1).AddDays(n), true
	}
	if n < 61 {
		n++ // before the phantom 29 February 1900
	}
	return domain.NewDate(1899, 12, 30).AddDays(n), true
}

// Gregorian years outside this range are refused, as domain.ParseDate does.
const minGregorian, maxGregorian = 1700, 2320

// ParseDate reads a day from a cell: Jalali (1402/09/19, ۱۴۰۲/۰۹/۱۹,
// 1402-09-19: any year below 1700 is Jalali), Gregorian ISO (2023-12-10,
// also 2023/12/10 and with a time after it, as spreadsheets export it), or
// an Excel date serial (45270, what a date-formatted cell holds).
func ParseDate(s string, date1904 bool) (domain.Date, error) {
	orig := s
	s = Digits(Trim(s))
	if s == "" {
		return domain.Date{}, errf("خالی است", "empty")
	}
	if serial, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "/-") {
		if d, ok := serialDate(serial, date1904); ok {
			return d, nil
		}
		return domain.Date{}, errf("«%s» تاریخ نیست", "%q is not a date", orig)
	}
	// A time after the day (2023-12-10 00:00:00, 2023-12-10T00:00:00Z).
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i]
	}
	sep := "/"
	if !strings.Contains(s, "/") {
		sep = "-"
		if !strings.Contains(s, "-") {
			sep = "."
		}
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return domain.Date{}, errf("«%s» تاریخ نیست؛ به شکل ۱۴۰۲/۰۹/۱۹ یا 2023-12-10 بنویسید",
			"%q is not a date: write it as 1402/09/19 (Jalali) or 2023-12-10", orig)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return domain.Date{}, errf("«%s» تاریخ نیست؛ به شکل ۱۴۰۲/۰۹/۱۹ یا 2023-12-10 بنویسید",
				"%q is not a date: write it as 1402/09/19 (Jalali) or 2023-12-10", orig)
		}
		n[i] = v
	}
	if len(parts[0]) != 4 {
		return domain.Date{}, errf("«%s»: سال را چهاررقمی و در آغاز بنویسید (۱۴۰۲/۰۹/۱۹)",
			"%q: write the year first, with four digits (1402/09/19 or 2023-12-10)", orig)
	}
	y, m, d := n[0], n[1], n[2]
	if y < minGregorian {
		gy, gm, gd, err := jalali.ToGregorian(y, m, d)
		if err != nil {
			return domain.Date{}, errf("«%s» تاریخ شمسی درستی نیست (ماه ۱ تا ۱۲؛ روز در اندازه ماه)",
				"%q is not a valid Jalali date (month 1–12, a day the month has)", orig)
		}
		if gy < minGregorian {
			return domain.Date{}, errf("«%s» پیش از سال ۱۷۰۰ میلادی است", "%q is before 1700", orig)
		}
		return domain.NewDate(gy, gm, gd), nil
	}
	if y > maxGregorian {
		return domain.Date{}, errf("«%s» پس از سال ۲۳۲۰ است", "%q is after 2320", orig)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return domain.Date{}, errf("«%s» تاریخ میلادی درستی نیست", "%q is not a valid Gregorian date", orig)
	}
	return domain.NewDate(y, m, d), nil
}

func daysIn(y, m int) int { return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// ParseBool reads yes/no: بله/خیر, آری/نه, yes/no, true/false, 1/0, ✓.
func ParseBool(s string) (bool, error) {
	switch Key(s) {
	case "بله", "بلی", "آری", "اری", "هست", "yes", "y", "true", "1", "✓", "✔", "x":
		return true, nil
	case "خیر", "نه", "نیست", "no", "n", "false", "0", "":
		return false, nil
	}
	return false, errf("«%s»: «بله» یا «خیر» بنویسید", "%q: write yes or no", s)
}
