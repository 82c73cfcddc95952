package signing

import (
	"regexp"
	"strings"
	"testing"
)

func TestCodeFormatAndRoundTrip(t *testing.T) {
	shape := regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)
	seen := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := NewCode()
		if !shape.MatchString(c) {
			t.Fatalf("code %q is not XXXXX-XXXXX in Crockford base32", c)
		}
		if seen[c] {
			t.Fatalf("code %q came twice in 2000 draws of 45 random bits", c)
		}
		seen[c] = true
		for _, typed := range []string{c, strings.ToLower(c), strings.ReplaceAll(c, "-", ""), " " + c[:3] + " " + c[3:] + " "} {
			got, err := ParseCode(typed)
			if err != nil || got != c {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", typed, got, err, c)
			}
		}
	}
}

// codeWith builds a valid code whose data symbols are given.
func codeWith(data string) string {
	vals := make([]byte, 0, codeLen)
	for _, r := range data {
		v, _ := symbol(r)
		vals = append(vals, v)
	}
	return format(append(vals, checkSymbol(vals)))
}

func TestCodeFoldsAmbiguousSymbols(t *testing.T) {
	c := codeWith("10A1B0C01")
	typed := strings.NewReplacer("1", "l", "0", "o").Replace(strings.ToLower(c))
	if got, err := ParseCode(typed); err != nil || got != c {
		t.Errorf("ParseCode(%q) = %q, %v; want %q", typed, got, err, c)
	}
	typed = strings.NewReplacer("1", "I", "0", "O").Replace(c)
	if got, err := ParseCode(typed); err != nil || got != c {
		t.Errorf("ParseCode(%q) = %q, %v; want %q", typed, got, err, c)
	}
	persian := strings.NewReplacer("0", "۰", "1", "۱").Replace(c)
	if got, err := ParseCode(persian); err != nil || got != c {
		t.Errorf("ParseCode(%q) = %q, %v; want %q", persian, got, err, c)
	}
}

// TestCodeCheckSymbol: every single substitution and every swap of two
// different neighbouring symbols is caught.
func TestCodeCheckSymbol(t *testing.T) {
	for i := 0; i < 200; i++ {
		c := strings.ReplaceAll(NewCode(), "-", "")
		for pos := 0; pos < codeLen; pos++ {
			for _, r := range alphabet {
				if byte(r) == c[pos] {
					continue
				}
				bad := c[:pos] + string(r) + c[pos+1:]
				if _, err := ParseCode(bad); err == nil {
					t.Fatalf("substitution %s → %s accepted", c, bad)
				}
			}
			if pos+1 < codeLen && c[pos] != c[pos+1] {
				bad := c[:pos] + string(c[pos+1]) + string(c[pos]) + c[pos+2:]
				if _, err := ParseCode(bad); err == nil {
					t.Fatalf("transposition %s → %s accepted", c, bad)
				}
			}
		}
	}
}

func TestCodeRefuses(t *testing.T) {
	good := NewCode()
	for _, s := range []string{"", good[:10], good + "0", "UUUUU-UUUUU", "ABCDE_FGHJK", "*****-*****", strings.Repeat("0", 100), "../../etc"} {
		if _, err := ParseCode(s); err == nil {
			t.Errorf("ParseCode(%q) accepted", s)
		}
	}
}
