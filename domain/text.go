package domain

import (
	"strings"
	"unicode/utf8"
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

// validText checks a localized field: valid UTF-8, bounded length, and, when
// required, at least one language present.
func validText(field string, t Text, required bool, max int) error {
	for lang, s := range map[string]string{"fa": t.FA, "en": t.EN} {
		if !utf8.ValidString(s) {
			return Invalid(field+"."+lang, "متن باید UTF-8 معتبر باشد", "text must be valid UTF-8")
		}
		if utf8.RuneCountInString(s) > max {
			return Invalid(field+"."+lang, "متن بیش از حد طولانی است", "text is longer than the allowed maximum")
		}
	}
	if required && t.IsZero() {
		return Invalid(field, "این فیلد الزامی است (دست‌کم به یکی از دو زبان)", "this field is required (in at least one language)")
	}
	return nil
}
