package domain

import (
	"strings"
	"testing"
)

// TestTextCharacters checks which characters text may hold: the ones that
// reorder or hide text are refused in every field, naming the field and the
// language; what Persian needs (ZWNJ, ZWJ, the direction marks) is kept.
func TestTextCharacters(t *testing.T) {
	ok := []string{
		"نسخه الکترونیک",
		"سامانه‌های پرداخت",             // ZWNJ
		"پنجره\u200dواحد",               // ZWJ
		"قانون CSS3\u200f (نسخه ۲)",     // RLM
		"\u200eDNS\u200e در شبکه ملی",   // LRM
		"\u061cالف",                     // ALM
		"Ministry of Health — e-health", // ordinary punctuation
		"😀 🇮🇷",                          // emoji and a flag
		"ماده ۶۷(ث) تبصره ۲",
	}
	for _, s := range ok {
		for _, max := range []int{maxTitle, maxLong} {
			if err := validText("title", T(s, ""), true, max); err != nil {
				t.Errorf("%q (max %d) refused: %v", s, max, err)
			}
		}
	}
	bad := map[string]string{
		"abc\u202edcba":       "U+202E", // right-to-left override
		"\u202aembedded":      "U+202A",
		"x\u202cy":            "U+202C",
		"\u2066isolate\u2069": "U+2066",
		"a\u2067b":            "U+2067",
		"a\u2068b":            "U+2068",
		"a\ufeffb":            "U+FEFF",
		"a\x00b":              "U+0000",
		"a\x07b":              "U+0007",
		"a\x1bb":              "U+001B",
		"a\x7fb":              "U+007F",
		"a\u0085b":            "U+0085",
		"a\u009bb":            "U+009B",
		"a\u200bb":            "U+200B",
		"a\u2060b":            "U+2060",
		"a\u206ab":            "U+206A",
		"a\ufff9b":            "U+FFF9",
		"a\U000e0041b":        "U+E0041",
		"a\ufdd0b":            "U+FDD0",
		"a\uffffb":            "U+FFFF",
		"a\U0001fffeb":        "U+1FFFE",
		"a\u0378b":            "U+0378", // unassigned
		"a\U000e0080b":        "U+E0080",
	}
	for s, code := range bad {
		for _, max := range []int{maxTitle, maxLong} {
			err := validText("title", T("ok", s), true, max)
			e, isErr := AsError(err)
			if !isErr || e.Kind != KindInvalid || e.Field != "title.en" || !strings.Contains(e.Message.EN, code) ||
				!strings.Contains(e.Message.FA, code) {
				t.Errorf("%q (max %d): %v, want invalid title.en naming %s", s, max, err, code)
			}
		}
	}
	// Line breaks and tabs: a single-line field refuses them, a multi-line
	// field keeps them (a browser's textarea sends CR LF).
	for _, s := range []string{"one\ntwo", "one\r\ntwo", "a\tb", "a\u2028b", "a\u2029b"} {
		if err := validText("title", T(s, ""), true, maxTitle); err == nil || !strings.Contains(err.Error(), "title.fa") {
			t.Errorf("%q in a single-line field: %v, want refused naming title.fa", s, err)
		}
		if err := validText("text", T(s, ""), true, maxLong); err != nil {
			t.Errorf("%q in a multi-line field refused: %v", s, err)
		}
	}
	// The position is told, counted in characters.
	if err := validText("name", T("ابج\u202e", ""), true, maxTitle); err == nil || !strings.Contains(err.Error(), "at character 4") {
		t.Errorf("position: %v", err)
	}
	// A required field of zero-width marks only is empty to a reader.
	for _, s := range []string{"\u200c", "\u200f\u200e", " \u200d "} {
		if err := validText("title", T(s, s), true, maxTitle); err == nil || !strings.Contains(err.Error(), "required") {
			t.Errorf("%q as the only text of a required field: %v, want required", s, err)
		}
	}
}

// TestRecordsRefuseBidiControls checks that every kind of record applies
// the rule to its names and titles, and to its plain one-line strings.
func TestRecordsRefuseBidiControls(t *testing.T) {
	const rlo = "\u202e"
	src := []Source{{Ref: "https://example.org"}}
	goodProject := func() *Project {
		return &Project{Slug: "p", Title: T("پروژه", "Project"), Kind: KindService, Confidentiality: Public,
			Status: Proposed, Sources: src}
	}
	cases := []struct {
		field string
		rec   interface{ Validate() error }
	}{
		{"name.fa", &Agency{Code: "a", Name: T("دستگاه"+rlo, ""), Kind: AgencyKinds[0]}},
		{"title.en", &Law{Slug: "l", Title: T("قانون", "Law"+rlo)}},
		{"number", &Law{Slug: "l", Title: T("قانون", ""), Number: "12" + rlo}},
		{"articles[0].number", &Law{Slug: "l", Title: T("قانون", ""), Articles: []Article{{Number: "1\u2066"}}}},
		{"name.fa", &Term{Number: 12, Name: T(rlo+"دوازدهم", "")}},
		{"title.fa", &Program{Slug: "g", Title: T("فهرست\u2067", ""), Term: 1}},
		{"title.fa", func() *Project { p := goodProject(); p.Title.FA = "نسخه" + rlo; return p }()},
		{"summary.en", func() *Project { p := goodProject(); p.Summary.EN = "x\u202dy"; return p }()},
		{"deliverables[0].title.en", func() *Project {
			p := goodProject()
			p.Deliverables = []Deliverable{{Title: T("", "Roll-out\n")}}
			return p
		}()},
		{"deliverables[0].target", func() *Project {
			p := goodProject()
			p.Deliverables = []Deliverable{{Title: T("", "Roll-out"), Target: "90%" + rlo}}
			return p
		}()},
		{"sources[0].ref", func() *Project { p := goodProject(); p.Sources = []Source{{Ref: "https://x\ufeff"}}; return p }()},
		{"name.fa", &Series{Code: "itec", Name: T("شورا\x1b", ""), Kind: SeriesKinds[0]}},
		{"title.fa", &Meeting{Series: "itec", Number: 1, Date: NewDate(2024, 1, 1), Title: T("جلسه"+rlo, "")}},
		{"attendees[0].name.en", &Meeting{Series: "itec", Number: 1, Date: NewDate(2024, 1, 1),
			Attendees: []Attendee{{Name: T("", "A\u2069")}}}},
		{"resolution", &Outcome{Kind: OutcomeDecision, Resolution: "12/" + rlo, Text: T("متن", "")}},
		{"text.fa", &Outcome{Kind: OutcomeDecision, Resolution: "12", Text: T("متن"+rlo, "")}},
		{"description.en", &Outcome{Kind: OutcomeAction, Owner: "ito", Due: &Date{Y: 2024, M: 1, D: 1}, Description: T("", "do"+rlo)}},
		{"display_name.fa", &User{Username: "ali", DisplayName: T("علی"+rlo, ""), Role: "reader"}},
		{"title.fa", &Milestone{Title: T("گام"+rlo, ""), Planned: &Date{Y: 2024, M: 1, D: 1}}},
		{"name.en", &KPI{Name: T("", "Share"+rlo), Direction: Up}},
	}
	for _, c := range cases {
		err := c.rec.Validate()
		e, ok := AsError(err)
		if !ok || e.Kind != KindInvalid || e.Field != c.field {
			t.Errorf("%T: %v, want invalid naming %s", c.rec, err, c.field)
		}
	}
}

// TestCleanLine checks that cleaning leaves text a single-line field takes.
func TestCleanLine(t *testing.T) {
	for in, want := range map[string]string{
		"علی\u202bرضایی\u202c":       "علیرضایی",
		"  Ali\tReza\n\u2028Rezaei ": "Ali Reza Rezaei",
		"سامانه‌ها\u200f":            "سامانه‌ها\u200f",
		"\ufeffname\x00\u0378":       "name",
		"bad\xffutf8":                "badutf8",
	} {
		got := CleanLine(in)
		if got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
		if err := CheckLine("name", got, maxTitle); err != nil {
			t.Errorf("CleanLine(%q) = %q, still refused: %v", in, got, err)
		}
	}
}
