package exchange

import (
	"encoding/binary"
	"errors"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pishran/pishran/domain"
)

// This file holds the JSON primitives of the reader: small functions over a
// byte slice that hold the whole of the value being read, or report errMore
// when the slice ends first, so the reader can refill its buffer and run
// them again from the start of the value. They validate JSON's grammar as
// they go (RFC 8259) and copy nothing: strings are returned as spans of the
// buffer, which the reader either decodes (the few fields it keeps) or
// forgets.

// errMore says the buffered bytes end inside the value.
var errMore = errors.New("exchange: need more input")

// syntaxErr is a JSON grammar error at byte pos of the buffer.
type syntaxErr struct {
	pos int
	msg domain.Text
}

func (e *syntaxErr) Error() string { return e.msg.EN }

func synErr(pos int, fa, en string) error { return &syntaxErr{pos, domain.T(fa, en)} }

func badByte(pos int, c byte, want string) error {
	h := "0x" + strconv.FormatUint(uint64(c), 16)
	return synErr(pos, "نویسه نابجا ("+h+") در JSON؛ انتظار می‌رفت: "+want, "unexpected byte "+h+" in JSON; expected "+want)
}

// strStop marks the bytes that end the fast path of a string: the quote,
// the backslash and the control characters JSON forbids unescaped.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// stopMask has the high bit set in each byte of v that is a quote, a
// backslash or below 0x20, and possibly in bytes above the first such
// (borrows run upwards); the lowest set bit is always exact.
func stopMask(v uint64) uint64 {
	q := v ^ (lsb * '"')
	s := v ^ (lsb * '\\')
	return ((q-lsb)&^q | (s-lsb)&^s | (v-lsb*0x20)&^v) & msb
}

func isWS(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isWS(b[i]) {
		i++
	}
	return i
}

// scanString reads the string starting at b[i] == '"'. It returns the index
// just past the closing quote and whether the string holds escapes.
func scanString(b []byte, i int) (end int, esc bool, err error) {
	i++
	for {
		// Eight bytes at a time while none of them stops the string, then
		// byte by byte from the first that may.
		for i+8 <= len(b) {
			v := binary.LittleEndian.Uint64(b[i:])
			if m := stopMask(v); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(b) && !strStop[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, errMore
		}
		switch c := b[i]; c {
		case '"':
			return i + 1, esc, nil
		case '\\':
			esc = true
			if i+1 >= len(b) {
				return 0, false, errMore
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return 0, false, errMore
				}
				for k := i + 2; k < i+6; k++ {
					if hexVal(b[k]) < 0 {
						return 0, false, badByte(k, b[k], "a hex digit of \\u")
					}
				}
				i += 6
			default:
				return 0, false, badByte(i+1, b[i+1], "an escape character")
			}
		default:
			return 0, false, synErr(i, "نویسه کنترلی بی‌گریز درون رشته JSON", "an unescaped control character inside a JSON string")
		}
	}
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// unescape appends the decoded content of a string body s (the bytes
// between the quotes, already checked by scanString) to dst. Lone
// surrogates become U+FFFD, as in encoding/json.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch s[i+1] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := rune(hex4(s[i+2:]))
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if r2 := utf16.DecodeRune(r, rune(hex4(s[i+2:]))); r2 != utf8.RuneError {
						dst = utf8.AppendRune(dst, r2)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default: // " \ /
			dst = append(dst, s[i+1])
		}
		i += 2
	}
	return dst
}

func hex4(s []byte) int {
	return hexVal(s[0])<<12 | hexVal(s[1])<<8 | hexVal(s[2])<<4 | hexVal(s[3])
}

// number is what scanNumber learnt of a JSON number.
type number struct {
	v      int64 // the value, when integral and within int64
	isInt  bool  // v holds the exact value
	simple bool  // written as plain digits (with an optional minus)
}

// scanNumber reads the number starting at b[i] (a '-' or a digit). It
// returns the index just past it.
func scanNumber(b []byte, i int) (end int, n number, err error) {
	start := i
	neg := false
	if b[i] == '-' {
		neg = true
		i++
		if i >= len(b) {
			return 0, n, errMore
		}
	}
	if b[i] < '0' || b[i] > '9' {
		return 0, n, badByte(i, b[i], "a digit")
	}
	var v uint64
	digits := 0
	if b[i] == '0' {
		i++
		digits = 1
	} else {
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			v = v*10 + uint64(b[i]-'0')
			digits++
			i++
		}
	}
	if i >= len(b) {
		return 0, n, errMore
	}
	simple := true
	if b[i] == '.' {
		simple = false
		i++
		k := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i >= len(b) {
			return 0, n, errMore
		}
		if i == k {
			return 0, n, badByte(i, b[i], "a digit after the decimal point")
		}
	}
	if b[i] == 'e' || b[i] == 'E' {
		simple = false
		i++
		if i >= len(b) {
			return 0, n, errMore
		}
		if b[i] == '+' || b[i] == '-' {
			i++
		}
		k := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i >= len(b) {
			return 0, n, errMore
		}
		if i == k {
			return 0, n, badByte(i, b[i], "a digit of the exponent")
		}
	}
	if simple && digits <= 18 {
		n.v, n.isInt, n.simple = int64(v), true, true
		if neg {
			n.v = -n.v
		}
		return i, n, nil
	}
	// Rare: a fraction, an exponent or many digits. Accept it when it is
	// still a whole number within int64 (1.7e12 is a fine timestamp).
	s := string(b[start:i])
	if iv, err := strconv.ParseInt(s, 10, 64); err == nil {
		n.v, n.isInt = iv, true
	} else if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int64(f)) && f > -9.2e18 && f < 9.2e18 {
		n.v, n.isInt = int64(f), true
	}
	return i, n, nil
}

// scanLiteral reads true, false or null at b[i].
func scanLiteral(b []byte, i int, lit string) (int, error) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(b) {
			return 0, errMore
		}
		if b[i+k] != lit[k] {
			return 0, badByte(i+k, b[i+k], "the literal "+lit)
		}
	}
	return i + len(lit), nil
}

// maxDepth bounds the nesting of skipped values, so that a hostile input
// cannot make the reader recurse without end.
const maxDepth = 64

// skipValue reads any JSON value starting at b[i] (after white space) and
// returns the index just past it.
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, errMore
	}
	switch c := b[i]; {
	case c == '"':
		end, _, err := scanString(b, i)
		return end, err
	case c == '-' || (c >= '0' && c <= '9'):
		end, _, err := scanNumber(b, i)
		return end, err
	case c == 't':
		return scanLiteral(b, i, "true")
	case c == 'f':
		return scanLiteral(b, i, "false")
	case c == 'n':
		return scanLiteral(b, i, "null")
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return 0, synErr(i, "تودرتویی JSON بیش از اندازه است", "JSON nested too deeply")
		}
		return skipContainer(b, i, depth+1)
	default:
		return 0, badByte(i, c, "a JSON value")
	}
}

// skipContainer reads the object or array starting at b[i].
func skipContainer(b []byte, i, depth int) (int, error) {
	obj := b[i] == '{'
	closer := byte(']')
	if obj {
		closer = '}'
	}
	i = skipWS(b, i+1)
	if i >= len(b) {
		return 0, errMore
	}
	if b[i] == closer {
		return i + 1, nil
	}
	for {
		var err error
		if obj {
			if b[i] != '"' {
				return 0, badByte(i, b[i], "a quoted key")
			}
			if i, _, err = scanString(b, i); err != nil {
				return 0, err
			}
			if i = skipWS(b, i); i >= len(b) {
				return 0, errMore
			}
			if b[i] != ':' {
				return 0, badByte(i, b[i], "':'")
			}
			i = skipWS(b, i+1)
		}
		if i, err = skipValue(b, i, depth); err != nil {
			return 0, err
		}
		if i = skipWS(b, i); i >= len(b) {
			return 0, errMore
		}
		switch b[i] {
		case ',':
			if i = skipWS(b, i+1); i >= len(b) {
				return 0, errMore
			}
		case closer:
			return i + 1, nil
		default:
			return 0, badByte(i, b[i], "',' or '"+string(closer)+"'")
		}
	}
}
