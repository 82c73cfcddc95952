package designation

import (
	"strings"
	"unicode"

	"github.com/pishran/pishran/domain"
)

// An umbrella title names a whole domain rather than a system: "electronic
// banking", "e-government", "دولت الکترونیک". The council's secretary gave
// "electronic banking" as the example of a project that could not be
// implemented: which part of it — the integrated banking system or the
// payment systems? Such a title draws a warning, never a block: a project
// with a stated scope and measurable deliverables may still carry a broad
// name ("smart health").
//
// Two checks find one: a small list of known umbrella titles, and a
// structural heuristic — a title of at most three words made only of generic
// qualifiers (electronic, e-, smart, digital, …) and broad domain nouns
// (banking, health, government, services, …), with at least one of each.

// umbrellaTitles are whole titles (normalized) that name a domain by
// themselves, qualifier or not.
var umbrellaTitles = map[string]bool{
	"e-government":           true,
	"electronic government":  true,
	"smart government":       true,
	"electronic banking":     true,
	"e-banking":              true,
	"electronic services":    true,
	"e-services":             true,
	"digital transformation": true,
	"information technology": true,
	"ict":                    true,
	"digitalization":         true,
	"digitization":           true,
	"smartification":         true,
	"دولت الکترونیک":         true,
	"دولت الکترونیکی":        true,
	"دولت هوشمند":            true,
	"بانکداری الکترونیک":     true,
	"بانکداری الکترونیکی":    true,
	"خدمات الکترونیک":        true,
	"خدمات الکترونیکی":       true,
	"تحول دیجیتال":           true,
	"فناوری اطلاعات":         true,
	"فاوا":                   true,
	"هوشمندسازی":             true,
	"هوشمندسازی دولت":        true,
	"دیجیتالی سازی":          true,
}

// qualifiers are generic words that make a domain "electronic".
var qualifiers = map[string]bool{
	"e": true, "electronic": true, "smart": true, "digital": true, "online": true,
	"intelligent": true, "digitalization": true, "digitization": true, "smartification": true,
	"الکترونیک": true, "الکترونیکی": true, "هوشمند": true, "دیجیتال": true, "دیجیتالی": true,
	"برخط": true, "هوشمندسازی": true, "الکترونیکی‌سازی": true, "دیجیتالی‌سازی": true,
}

// domainNouns are nouns broad enough to name a whole field of government.
var domainNouns = map[string]bool{
	"banking": true, "bank": true, "health": true, "healthcare": true, "government": true,
	"gov": true, "governance": true, "services": true, "service": true, "commerce": true,
	"trade": true, "business": true, "education": true, "learning": true, "justice": true,
	"judiciary": true, "economy": true, "city": true, "cities": true, "insurance": true,
	"agriculture": true, "industry": true, "transport": true, "transportation": true,
	"welfare": true, "administration": true, "society": true, "culture": true,
	"بانکداری": true, "بانک": true, "سلامت": true, "بهداشت": true, "درمان": true,
	"دولت": true, "حکمرانی": true, "خدمات": true, "خدمت": true, "تجارت": true,
	"بازرگانی": true, "آموزش": true, "قضا": true, "دادگستری": true, "اقتصاد": true,
	"شهر": true, "بیمه": true, "کشاورزی": true, "صنعت": true, "حمل‌ونقل": true,
	"رفاه": true, "فرهنگ": true, "اداری": true,
}

// stopWords do not count as words of a title.
var stopWords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "in": true, "a": true, "an": true,
	"و": true, "در": true, "برای": true,
}

// normalizeTitle lower-cases s, unifies Arabic and Persian letter forms,
// drops diacritics and squeezes spaces.
func normalizeTitle(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch r {
		case 'ي', 'ى':
			r = 'ی'
		case 'ك':
			r = 'ک'
		case 'ة':
			r = 'ه'
		case 'أ', 'إ':
			r = 'ا'
		case '\u200f', '\u200e':
			continue
		}
		if unicode.Is(unicode.Mn, r) { // harakat, kasra of the ezafe, …
			continue
		}
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// titleWords splits a normalized title into words: letters, digits and the
// zero-width non-joiner of Persian compounds; hyphens split ("e-government"
// is "e" + "government").
func titleWords(s string) []string {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\u200c')
	})
	out := words[:0]
	for _, w := range words {
		w = strings.Trim(w, "\u200c")
		if w != "" && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// umbrella reports whether title names a whole domain, and which qualifier
// and domain words make it one (either may be empty when the title is one of
// the known umbrella titles).
func umbrella(title string) (ok bool, qual, noun []string) {
	n := normalizeTitle(title)
	if n == "" {
		return false, nil, nil
	}
	words := titleWords(n)
	// "eGovernment", "ehealth": a glued e- prefix.
	if len(words) == 1 && len(words[0]) > 1 && words[0][0] == 'e' && domainNouns[words[0][1:]] {
		words = []string{"e", words[0][1:]}
	}
	known := umbrellaTitles[n] || umbrellaTitles[strings.Join(words, " ")]
	if len(words) >= 1 && len(words) <= 3 {
		for _, w := range words {
			switch {
			case qualifiers[w]:
				qual = append(qual, w)
			case domainNouns[w]:
				noun = append(noun, w)
			default:
				return known, nil, nil
			}
		}
		if len(qual) > 0 && len(noun) > 0 {
			return true, qual, noun
		}
	}
	return known, nil, nil
}

// umbrellaViolation returns the specific-scope warning for an umbrella title,
// judging the Persian and the English title alike.
func umbrellaViolation(t domain.Text) (domain.Violation, bool) {
	for _, s := range []string{t.FA, t.EN} {
		ok, qual, noun := umbrella(s)
		if !ok {
			continue
		}
		whyFA, whyEN := "", ""
		if len(qual) > 0 {
			whyFA = " (صفتی کلی مانند «" + strings.Join(qual, " ") + "» بر حوزه‌ای گسترده مانند «" + strings.Join(noun, " ") + "»)"
			whyEN = " (a generic qualifier, \u201c" + strings.Join(qual, " ") + "\u201d, on a broad domain, \u201c" + strings.Join(noun, " ") + "\u201d)"
		}
		return violation(RuleSpecificScope, domain.Warning, "title",
			domain.T("عنوان "+quoteFA(strings.TrimSpace(s))+" نام یک حوزه کامل است، نه یک سامانه مشخص"+whyFA+
				"؛ چنین پروژه‌ای را نمی‌توان اجرا و پیگیری کرد، چون روشن نیست کدام بخش آن مقصود است — برای نمونه در بانکداری الکترونیک: سامانه یکپارچه بانکی یا سامانه‌های پرداخت؟",
				"the title "+quoteEN(strings.TrimSpace(s))+" names a whole domain rather than a system"+whyEN+
					"; such a project cannot be implemented or followed up because it does not say which part is meant — for electronic banking, for example: the integrated banking system or the payment systems?"),
			domain.T("پروژه را به نام سامانه مشخصی که می‌سازد بنامید، یا آن را به چند پروژه مشخص بشکنید.",
				"name the project after the specific system it builds, or split it into specific projects")), true
	}
	return domain.Violation{}, false
}
