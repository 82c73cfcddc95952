package signing

import (
	"errors"
	"strings"
	"testing"
)

func canon(t *testing.T, in string) string {
	t.Helper()
	out, err := Canonicalize([]byte(in))
	if err != nil {
		t.Fatalf("Canonicalize(%s): %v", in, err)
	}
	return string(out)
}

// TestCanonicalSortsByUTF16 is RFC 8785 §3.2.3's own example: names sort
// by UTF-16 code units, so U+1F600 (a surrogate pair, D83D DE00) comes
// before U+FB33, though its code point is larger.
func TestCanonicalSortsByUTF16(t *testing.T) {
	in := `{
	  "\u20ac": "Euro Sign",
	  "\r": "Carriage Return",
	  "\ufb33": "Hebrew Letter Dalet With Dagesh",
	  "1": "One",
	  "\ud83d\ude00": "Emoji: Grinning Face",
	  "\u0080": "Control",
	  "\u00f6": "Latin Small Letter O With Diaeresis"
	}`
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\"," +
		"\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	if got := canon(t, in); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestCanonicalIndependentOfOrderAndWhitespace(t *testing.T) {
	a := `{"kind":"decision","title":{"fa":"مصوبه","en":"Resolution"},"content":{"b":[1,2,{"y":true,"x":null}],"a":"x"}}`
	b := "{ \"content\" : {\n\t\"a\" : \"x\",\r\n \"b\" : [ 1 , 2 , { \"x\" : null , \"y\" : true } ] } ,\n" +
		"  \"title\": {\"en\": \"Resolution\", \"fa\": \"\\u0645\\u0635\\u0648\\u0628\\u0647\"}, \"kind\": \"decision\" }"
	want := `{"content":{"a":"x","b":[1,2,{"x":null,"y":true}]},"kind":"decision","title":{"en":"Resolution","fa":"مصوبه"}}`
	if ga, gb := canon(t, a), canon(t, b); ga != want || gb != want {
		t.Errorf("a → %s\nb → %s\nwant %s", ga, gb, want)
	}
	// Arrays keep their order: it is meaningful.
	if canon(t, `[2,1]`) == canon(t, `[1,2]`) {
		t.Error("array order must be kept")
	}
}

func TestCanonicalStrings(t *testing.T) {
	for in, want := range map[string]string{
		`"a\/b"`:                           `"a/b"`,            // solidus needs no escape
		`"\u003c\u0026\u003e"`:             `"<&>"`,            // Go's HTML escapes undone
		`"\u0008\u0009\u000a\u000c\u000d"`: `"\b\t\n\f\r"`,     // short escapes
		`"\u0001\u001f"`:                   `"\u0001\u001f"`,   // other controls: \u00xx, lower case
		`"\u007f\u2028"`:                   "\"\u007f\u2028\"", // DEL and line separator are literal
		`"q\"b\\"`:                         `"q\"b\\"`,         // quote and backslash
		`"\uD83D\uDE00"`:                   `"😀"`,              // surrogate pair → UTF-8
		`"نسخه الکترونیک"`:                 `"نسخه الکترونیک"`,
	} {
		if got := canon(t, in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}

func TestCanonicalIntegers(t *testing.T) {
	for in, want := range map[string]string{
		`0`: `0`, `-0`: `0`, `0.0`: `0`, `0e99999999`: `0`,
		`10`: `10`, `1e1`: `10`, `10.0`: `10`, `1.0e1`: `10`, `100E-1`: `10`, `1.5e1`: `15`,
		`-42`: `-42`, `9007199254740991`: `9007199254740991`, `-9007199254740991`: `-9007199254740991`,
		`[1,-2,3e2]`: `[1,-2,300]`,
	} {
		if got := canon(t, in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
	for _, in := range []string{`1.5`, `0.1`, `1e-1`, `9007199254740992`, `-9007199254740992`, `1e16`, `1e400`, `123456789012345678901234`} {
		_, err := Canonicalize([]byte(in))
		if !errors.Is(err, errNumber) {
			t.Errorf("%s: err = %v, want the integer rule", in, err)
		}
	}
}

func TestCanonicalRefuses(t *testing.T) {
	for name, in := range map[string]string{
		"duplicate name":  `{"a":1,"a":2}`,
		"lone high":       `"\ud800"`,
		"lone low":        `"\udc00x"`,
		"high then ascii": `"\ud800\u0041"`,
		"invalid utf-8":   "\"\xff\"",
		"raw control":     "\"a\x01\"",
		"leading zero":    `01`,
		"bare dot":        `1.`,
		"plus sign":       `+1`,
		"trailing comma":  `[1,]`,
		"trailing data":   `{} {}`,
		"unterminated":    `{"a":`,
		"bad literal":     `nul`,
		"bad escape":      `"\x"`,
		"single quote":    `'a'`,
		"empty":           ``,
		"too deep":        strings.Repeat("[", 100) + strings.Repeat("]", 100),
	} {
		if out, err := Canonicalize([]byte(in)); err == nil {
			t.Errorf("%s: %q accepted as %s", name, in, out)
		}
	}
}
