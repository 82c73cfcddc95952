// Package signing makes Pishran's published documents verifiable by anyone:
// a document is wrapped in an envelope, the envelope is put in a canonical
// form (RFC 8785, JSON Canonicalization Scheme), and the canonical bytes are
// signed with Ed25519. A short verification code, printed on the document,
// finds it again on the server; the signed-document file and the operator's
// published public keys let anyone check it offline.
//
// The package is pure: no storage, no HTTP, only the standard library's
// crypto. Storage of keys and documents is the store's; who may publish is
// the service's.
package signing

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxSafeInteger is the largest integer JCS can carry exactly: JCS writes
// numbers as IEEE 754 doubles do, and beyond 2^53−1 a double is no longer
// exact, so two different integers could canonicalize alike.
const MaxSafeInteger = 1<<53 - 1

// maxDepth bounds nesting, so a hostile file cannot exhaust the stack.
const maxDepth = 64

// Canonicalize returns the RFC 8785 (JCS) canonical form of the JSON text
// in: object members sorted by their names' UTF-16 code units, no
// insignificant whitespace, strings in UTF-8 with only the escapes JCS
// prescribes, numbers as ECMAScript writes them.
//
// It covers the JSON Pishran produces: strings, integers, booleans, null,
// arrays and objects. The rule for numbers: a number must have an integer
// value within ±(2^53−1), in any JSON spelling (10, 1e1, 10.0 and 1.0e1 all
// canonicalize to 10; -0 to 0). A fraction or a larger integer is refused
// rather than rounded, so the canonical form never hides a change; a
// producer that needs one writes it as a string.
//
// It is strict where JCS (through I-JSON) is: invalid UTF-8, an escaped lone
// surrogate and a repeated member name are refused.
func Canonicalize(in []byte) ([]byte, error) {
	p := &parser{in: in}
	var out bytes.Buffer
	out.Grow(len(in))
	p.space()
	if err := p.value(&out, 0); err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.in) {
		return nil, p.errorf("unexpected data after the JSON value")
	}
	return out.Bytes(), nil
}

// parser reads JSON text and writes its canonical form as it goes.
type parser struct {
	in []byte
	i  int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("canonical JSON: offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *parser) space() {
	for p.i < len(p.in) {
		switch p.in[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(out *bytes.Buffer, depth int) error {
	if depth > maxDepth {
		return p.errorf("nested deeper than %d levels", maxDepth)
	}
	if p.i >= len(p.in) {
		return p.errorf("unexpected end of input")
	}
	switch c := p.in[p.i]; {
	case c == '{':
		return p.object(out, depth)
	case c == '[':
		return p.array(out, depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return err
		}
		writeString(out, s)
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(out)
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.in[p.i:], []byte(lit)) {
				p.i += len(lit)
				out.WriteString(lit)
				return nil
			}
		}
		return p.errorf("unexpected character %q", c)
	}
}

type member struct {
	name  string
	key   []uint16 // the name in UTF-16 code units: JCS sorts by these
	value []byte
}

func (p *parser) object(out *bytes.Buffer, depth int) error {
	p.i++ // {
	var ms []member
	seen := map[string]bool{}
	p.space()
	if p.i < len(p.in) && p.in[p.i] == '}' {
		p.i++
		out.WriteString("{}")
		return nil
	}
	for {
		p.space()
		if p.i >= len(p.in) || p.in[p.i] != '"' {
			return p.errorf("expected a member name")
		}
		name, err := p.str()
		if err != nil {
			return err
		}
		if seen[name] {
			return p.errorf("member %q appears twice", name)
		}
		seen[name] = true
		p.space()
		if p.i >= len(p.in) || p.in[p.i] != ':' {
			return p.errorf("expected ':' after member name")
		}
		p.i++
		p.space()
		var v bytes.Buffer
		if err := p.value(&v, depth+1); err != nil {
			return err
		}
		ms = append(ms, member{name: name, key: utf16.Encode([]rune(name)), value: v.Bytes()})
		p.space()
		if p.i >= len(p.in) {
			return p.errorf("unexpected end of input in an object")
		}
		if p.in[p.i] == ',' {
			p.i++
			continue
		}
		if p.in[p.i] == '}' {
			p.i++
			break
		}
		return p.errorf("expected ',' or '}' in an object")
	}
	sortMembers(ms)
	out.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			out.WriteByte(',')
		}
		writeString(out, m.name)
		out.WriteByte(':')
		out.Write(m.value)
	}
	out.WriteByte('}')
	return nil
}

// sortMembers orders members by their names' UTF-16 code units, as RFC 8785
// §3.2.3 requires (this differs from code point order for characters
// beyond U+FFFF against U+E000–U+FFFF).
func sortMembers(ms []member) {
	slices.SortFunc(ms, func(a, b member) int { return slices.Compare(a.key, b.key) })
}

func (p *parser) array(out *bytes.Buffer, depth int) error {
	p.i++ // [
	out.WriteByte('[')
	p.space()
	if p.i < len(p.in) && p.in[p.i] == ']' {
		p.i++
		out.WriteByte(']')
		return nil
	}
	for n := 0; ; n++ {
		if n > 0 {
			out.WriteByte(',')
		}
		p.space()
		if err := p.value(out, depth+1); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.in) {
			return p.errorf("unexpected end of input in an array")
		}
		if p.in[p.i] == ',' {
			p.i++
			continue
		}
		if p.in[p.i] == ']' {
			p.i++
			out.WriteByte(']')
			return nil
		}
		return p.errorf("expected ',' or ']' in an array")
	}
}

// str reads a JSON string (p.in[p.i] is the opening quote) and returns its
// value.
func (p *parser) str() (string, error) {
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.in) {
			return "", p.errorf("unterminated string")
		}
		c := p.in[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\':
			if p.i+1 >= len(p.in) {
				return "", p.errorf("unterminated escape")
			}
			e := p.in[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, err := p.hex4()
				if err != nil {
					return "", err
				}
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || !bytes.HasPrefix(p.in[p.i:], []byte(`\u`)) {
						return "", p.errorf("lone surrogate in a \\u escape")
					}
					p.i += 2
					r2, err := p.hex4()
					if err != nil {
						return "", err
					}
					if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
						return "", p.errorf("lone surrogate in a \\u escape")
					}
				}
				b.WriteRune(r)
			default:
				return "", p.errorf("invalid escape \\%c", e)
			}
		case c < 0x20:
			return "", p.errorf("control character in a string")
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			p.i++
		default:
			r, n := utf8.DecodeRune(p.in[p.i:])
			if r == utf8.RuneError && n <= 1 {
				return "", p.errorf("invalid UTF-8")
			}
			b.Write(p.in[p.i : p.i+n])
			p.i += n
		}
	}
}

func (p *parser) hex4() (rune, error) {
	if p.i+4 > len(p.in) {
		return 0, p.errorf("short \\u escape")
	}
	n, err := strconv.ParseUint(string(p.in[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape")
	}
	p.i += 4
	return rune(n), nil
}

// writeString writes s as JCS does (ECMAScript's JSON.stringify): only the
// quote, the backslash and control characters are escaped; \b \t \n \f \r
// in their short forms, other controls as \u00xx in lower-case hex.
func writeString(out *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	out.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			out.WriteString(`\"`)
		case '\\':
			out.WriteString(`\\`)
		case '\b':
			out.WriteString(`\b`)
		case '\t':
			out.WriteString(`\t`)
		case '\n':
			out.WriteString(`\n`)
		case '\f':
			out.WriteString(`\f`)
		case '\r':
			out.WriteString(`\r`)
		default:
			if c < 0x20 {
				out.WriteString(`\u00`)
				out.WriteByte(hex[c>>4])
				out.WriteByte(hex[c&0xF])
			} else {
				out.WriteByte(c)
			}
		}
	}
	out.WriteByte('"')
}

// errNumber explains the number rule.
var errNumber = errors.New("only integers within ±(2^53−1) are allowed; write other numbers as strings")

// number reads a JSON number and writes it in canonical form, under the
// integer rule of Canonicalize.
func (p *parser) number(out *bytes.Buffer) error {
	start := p.i
	neg := false
	if p.in[p.i] == '-' {
		neg = true
		p.i++
	}
	digits := func() string {
		s := p.i
		for p.i < len(p.in) && p.in[p.i] >= '0' && p.in[p.i] <= '9' {
			p.i++
		}
		return string(p.in[s:p.i])
	}
	intPart := digits()
	if intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return p.errorf("invalid number")
	}
	frac := ""
	if p.i < len(p.in) && p.in[p.i] == '.' {
		p.i++
		if frac = digits(); frac == "" {
			return p.errorf("invalid number")
		}
	}
	exp := 0
	if p.i < len(p.in) && (p.in[p.i] == 'e' || p.in[p.i] == 'E') {
		p.i++
		expNeg := false
		if p.i < len(p.in) && (p.in[p.i] == '+' || p.in[p.i] == '-') {
			expNeg = p.in[p.i] == '-'
			p.i++
		}
		e := digits()
		if e == "" {
			return p.errorf("invalid number")
		}
		e = strings.TrimLeft(e, "0")
		if len(e) > 6 {
			e = "999999" // far beyond any integer allowed; only zero survives it
		}
		if e != "" {
			exp, _ = strconv.Atoi(e)
		}
		if expNeg {
			exp = -exp
		}
	}
	literal := string(p.in[start:p.i])
	// The value is mantissa × 10^exp10 with the mantissa's digits stripped
	// of leading and trailing zeros.
	mant := strings.TrimLeft(intPart+frac, "0")
	exp10 := exp - len(frac)
	for strings.HasSuffix(mant, "0") {
		mant = mant[:len(mant)-1]
		exp10++
	}
	if mant == "" {
		out.WriteByte('0') // 0, -0, 0.0, 0e5: all zero
		return nil
	}
	if exp10 < 0 || len(mant)+exp10 > 16 {
		return fmt.Errorf("canonical JSON: number %s: %w", literal, errNumber)
	}
	n, err := strconv.ParseInt(mant+strings.Repeat("0", exp10), 10, 64)
	if err != nil || n > MaxSafeInteger {
		return fmt.Errorf("canonical JSON: number %s: %w", literal, errNumber)
	}
	if neg {
		out.WriteByte('-')
	}
	out.WriteString(strconv.FormatInt(n, 10))
	return nil
}
