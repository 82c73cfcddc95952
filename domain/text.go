package domain

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pishran/pishran/jalali"
)

// Text is a user-facing string in both of Pishran's languages. Persian comes
// first because most readers read Persian; English sits beside it. On the wire
// it is always the object {"fa": …, "en": …}.
type Text struct {
	FA string `json:"fa"`
	EN string `json:"en"`
}

// T builds a Text.
func T(fa, en string) Text { return Text{FA: fa, EN: en} }

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return strings.TrimSpace(t.FA) == "" && strings.TrimSpace(t.EN) == "" }

// In returns the text in lang ("fa" or "en"), falling back to the other
// language when the asked one is missing.
func (t Text) In(lang string) string {
	if lang == "en" {
		if t.EN != "" {
			return t.EN
		}
		return t.FA
	}
	if t.FA != "" {
		return t.FA
	}
	return t.EN
}

// validText checks a localized field: valid UTF-8, bounded length, only
// characters that belong in text (see badRune), and, when required, at least
// one language with a visible character. A field bounded at title length
// (max <= maxTitle: names, titles, roles) is a single line; a longer one
// (texts, notes, reasons) may hold line breaks and tabs.
func validText(field string, t Text, required bool, max int) error {
	for _, l := range [...]struct{ lang, s string }{{"fa", t.FA}, {"en", t.EN}} {
		if err := checkString(field+"."+l.lang, l.s, max, max > maxTitle); err != nil {
			return err
		}
	}
	if required && !visible(t.FA) && !visible(t.EN) {
		return Invalid(field, "این فیلد الزامی است (دست‌کم به یکی از دو زبان)", "this field is required (in at least one language)")
	}
	return nil
}

// checkString checks one string of free text: valid UTF-8, at most max
// characters, and no character badRune refuses.
func checkString(field, s string, max int, multiline bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "متن باید UTF-8 معتبر باشد", "text must be valid UTF-8")
	}
	if utf8.RuneCountInString(s) > max {
		return Invalid(field, "متن بیش از حد طولانی است", "text is longer than the allowed maximum")
	}
	n := 0
	for _, r := range s {
		n++
		if r >= 0x20 && r < 0x7F {
			continue // printable ASCII, the common case
		}
		if fa, en, bad := badRune(r, multiline); bad {
			at := strconv.Itoa(n)
			code := fmt.Sprintf("U+%04X", r)
			return Invalid(field,
				"متن نویسه ناروا دارد: "+code+" ("+fa+") در نویسه "+jalali.PersianDigits(at)+"؛ آن را بردارید",
				"text holds a character that is not allowed: "+code+" ("+en+") at character "+at+"; remove it")
		}
	}
	return nil
}

// badRune reports whether r has no place in Pishran's text, and names what
// it is. Refused everywhere:
//
//   - control characters (C0, DEL, C1), except that a multi-line field keeps
//     tab, line feed and carriage return (a browser's textarea sends CR LF);
//   - the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069): they reorder what follows them, so a title can show
//     one thing and hold another, or spill its direction into the page,
//     feed or spreadsheet that prints it;
//   - the byte-order mark U+FEFF, the deprecated format controls
//     U+206A–U+206F, the interlinear annotation controls U+FFF9–U+FFFB, the
//     tag characters U+E0000–U+E007F and the invisible U+200B, U+2060–U+2064
//     and U+180E: they render as nothing, so two names that look alike would
//     differ, and text could carry what no reader sees;
//   - noncharacters (U+FDD0–U+FDEF, U+xxFFFE, U+xxFFFF) and code points
//     Unicode has not assigned (as of the Go release's tables).
//
// A single-line field also refuses the line and paragraph separators
// U+2028 and U+2029. Kept, because Persian needs them: the zero-width
// non-joiner U+200C (نیم‌فاصله) and joiner U+200D, and the implicit
// direction marks LRM U+200E, RLM U+200F and ALM U+061C, which place
// punctuation beside mixed Persian and Latin text without reordering
// anything else.
func badRune(r rune, multiline bool) (fa, en string, bad bool) {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		if multiline {
			return "", "", false
		}
		return "شکست سطر یا جهش در متن یک‌سطری", "a line break or tab in a single-line field", true
	case r < 0x20 || (r >= 0x7F && r <= 0x9F):
		return "نویسه کنترلی", "a control character", true
	case (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
		return "نویسه کنترل جهت متن", "a bidirectional embedding, override or isolate control", true
	case r == 0xFEFF:
		return "نشانه ترتیب بایت", "a byte-order mark", true
	case r == 0x2028 || r == 0x2029:
		if multiline {
			return "", "", false
		}
		return "جداکننده سطر در متن یک‌سطری", "a line separator in a single-line field", true
	case r == 0x200B || r == 0x180E || (r >= 0x2060 && r <= 0x2064) || (r >= 0x206A && r <= 0x206F) ||
		(r >= 0xFFF9 && r <= 0xFFFB) || (r >= 0xE0000 && r <= 0xE007F):
		return "نویسه قالب‌بندی نامرئی", "an invisible formatting character", true
	case (r >= 0xFDD0 && r <= 0xFDEF) || r&0xFFFE == 0xFFFE:
		return "نانویسه یونیکد", "a Unicode noncharacter", true
	// Go's unicode.C also covers the unassigned code points, so the
	// assigned categories are named one by one.
	case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs):
		return "نقطه کد تعریف‌نشده در یونیکد", "a code point Unicode has not assigned", true
	}
	return "", "", false
}

// visible reports whether s holds a character a reader can see: not only
// spaces and zero-width marks.
func visible(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}

// ValidTitle checks a {fa, en} title or name given outside a record's own
// Validate (an evidence file's title): single-line, at most a title's length.
func ValidTitle(field string, t Text, required bool) error {
	return validText(field, t, required, maxTitle)
}

// CleanLine returns s without the characters a single-line field refuses
// (see badRune), with runs of spaces made one: for text Pishran takes from
// a system it trusts but does not control, such as a single sign-on
// provider's display name, which is better shown cleaned than refused.
func CleanLine(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch _, _, bad := badRune(r, false); {
		case r == '\t' || r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029:
			return ' '
		case bad:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// CheckLine checks a plain single-line string field (a resolution number,
// an article number, a source reference, a unit): at most max characters,
// none that badRune refuses.
func CheckLine(field, s string, max int) error { return checkString(field, s, max, false) }
