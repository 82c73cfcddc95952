// Package textnorm folds Persian (and English) text into one form for
// matching: the search index and its queries, near-duplicate titles, and
// the keys a spreadsheet's headers and labels are matched by. Text typed
// on an Arabic keyboard layout, with or without the half-space, with
// diacritics, tatweel or any of three digit sets, folds to the same words
// as the text it means.
//
// What is kept is never changed here: the folded form is for comparing,
// the stored text stays as its author wrote it.
package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Version names the folding rules; an index built under another version
// is rebuilt (store), so a change to the rules below bumps it.
const Version = 1

// Letter forms and digits, rune by rune. The rules:
//
//   - Arabic yeh ي and alef maksura ى → Persian yeh ی; Arabic kaf ك →
//     Persian kaf ک; teh marbuta ة and heh with yeh above ۀ → heh ه.
//   - Hamza carriers → their base letter: أ إ آ ٱ → ا, ؤ → و, ئ → ی; a
//     hamza alone (ء) is dropped.
//   - Persian ۰–۹ and Arabic-Indic ٠–٩ digits → ASCII 0–9.
//   - Letters (Latin and others) in lower case.
func Letter(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r == 'ي' || r == 'ى' || r == 'ئ' || r == 'ۍ' || r == 'ې':
		return 'ی'
	case r == 'ك' || r == 'ڪ':
		return 'ک'
	case r == 'ة' || r == 'ۀ' || r == 'ە' || r == 'ہ':
		return 'ه'
	case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
		return 'ا'
	case r == 'ؤ':
		return 'و'
	case r >= '۰' && r <= '۹':
		return '0' + (r - '۰')
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠')
	}
	return unicode.ToLower(r)
}

// Ignorable reports whether r is dropped for matching, joining what is on
// either side of it: diacritics (harakat, tanwin, shadda, sukun, the
// superscript alef, Quranic marks), tatweel, a lone hamza, the zero-width
// joiner, direction marks and the byte-order mark.
func Ignorable(r rune) bool {
	switch {
	case r >= 0x064B && r <= 0x065F, // fathatan … wavy hamza below
		r == 0x0670,                // superscript alef
		r >= 0x0610 && r <= 0x061A, // honorific and Quranic signs
		r >= 0x06D6 && r <= 0x06DC, // small high ligatures
		r >= 0x06DF && r <= 0x06E4,
		r == 0x06E7 || r == 0x06E8,
		r >= 0x06EA && r <= 0x06ED,
		r == 0x0640, // tatweel
		r == 0x0621, // hamza on its own
		r == 0x200D, // zero-width joiner
		r == 0x200E || r == 0x200F || r == 0x061C || r == 0x202A || r == 0x202B || r == 0x202C ||
			r == 0x202D || r == 0x202E || r == 0x2066 || r == 0x2067 || r == 0x2068 || r == 0x2069,
		r == 0xFEFF:
		return true
	}
	return false
}

// wordRune reports whether a folded rune belongs to a word: a letter or a
// digit. Everything else — spaces, the zero-width non-joiner (the
// half-space: «فناوری‌اطلاعات» is two words, as «فناوری اطلاعات» is),
// punctuation — separates words.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Token is one word of a text: its place in the original (bytes start to
// end, the diacritics inside it included) and its folded form.
type Token struct {
	Start, End int
	Word       string
}

// Tokens splits s into its words, each folded. Invalid UTF-8 separates
// words and is otherwise dropped.
func Tokens(s string) []Token {
	var out []Token
	var b strings.Builder
	start, last := -1, 0
	flush := func() {
		if start >= 0 && b.Len() > 0 {
			out = append(out, Token{Start: start, End: last, Word: b.String()})
		}
		b.Reset()
		start = -1
	}
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				flush()
				continue
			}
		}
		if Ignorable(r) {
			if start >= 0 {
				last = i + size
			}
			continue
		}
		f := Letter(r)
		if !wordRune(f) {
			flush()
			continue
		}
		if start < 0 {
			start = i
		}
		b.WriteRune(f)
		last = i + size
	}
	flush()
	return out
}

// Words is s's folded words, in order.
func Words(s string) []string {
	toks := Tokens(s)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Word
	}
	return out
}

// Fold is s's folded words joined by single spaces: the form two texts are
// compared in. Fold(Fold(s)) == Fold(s).
func Fold(s string) string { return strings.Join(Words(s), " ") }

// Squash is s folded with no spaces at all: two titles that differ only in
// letter forms, digits, diacritics, punctuation, half-spaces or spacing
// ("سامانه‌ملی" and "سامانه ملی") squash alike.
func Squash(s string) string { return strings.Join(Words(s), "") }

// Joined lists the compounds of s written with a half-space: for
// «فناوری‌اطلاعات», «فناوریاطلاعات». An index holds them beside the words,
// so the compound typed without its half-space finds the text too. With
// pairs set, every two neighbouring words are joined, whatever separates
// them (for short texts such as titles).
func Joined(s string, pairs bool) []string {
	toks := Tokens(s)
	var out []string
	for i := 1; i < len(toks); i++ {
		gap := s[toks[i-1].End:toks[i].Start]
		if pairs || onlyHalfSpaces(gap) {
			out = append(out, toks[i-1].Word+toks[i].Word)
		}
	}
	return out
}

func onlyHalfSpaces(gap string) bool {
	if gap == "" {
		return false
	}
	for _, r := range gap {
		if r != '\u200c' && !Ignorable(r) {
			return false
		}
	}
	return true
}
