package signing

import (
	"crypto/rand"
	"errors"
	"strings"
)

// A verification code is what a reader types to find a published document:
// ten Crockford base32 symbols written XXXXX-XXXXX, nine of them random (45
// bits) and the last a check symbol. Codes are random, not derived from the
// document, so a code tells nothing about the document it names; the
// server keeps them unique.
//
// Reading is forgiving the way Crockford's alphabet intends: case does not
// matter, I and L read as 1, O as 0, hyphens and spaces are ignored, and
// Persian or Arabic-Indic digits read as their Latin ones. U is not a
// symbol.
//
// The check symbol is a polynomial checksum over GF(32) (x^5 + x^2 + 1): a
// code is valid when Σ sᵢ·α^(9−i) = 0. Every single mistyped symbol and
// every swap of two neighbouring symbols changes the sum, so such slips are
// caught before the server is asked.

const (
	alphabet   = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeRandom = 9  // random symbols
	codeLen    = 10 // with the check symbol
)

// ErrCode is returned for a string that is not a well-formed verification code.
var ErrCode = errors.New("not a verification code: expected ten symbols XXXXX-XXXXX with a valid check symbol")

// NewCode returns a fresh random verification code, formatted XXXXX-XXXXX.
func NewCode() string {
	var b [6]byte
	rand.Read(b[:]) // crypto/rand.Read never fails
	var n uint64
	for _, x := range b {
		n = n<<8 | uint64(x)
	}
	vals := make([]byte, codeLen)
	for i := 0; i < codeRandom; i++ {
		vals[i] = byte(n & 31)
		n >>= 5
	}
	vals[codeRandom] = checkSymbol(vals[:codeRandom])
	return format(vals)
}

// ParseCode reads a code as a person may have typed it and returns it in
// canonical form (upper case, XXXXX-XXXXX), or ErrCode.
func ParseCode(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrCode
	}
	vals := make([]byte, 0, codeLen)
	for _, r := range s {
		switch {
		case r == '-' || r == ' ' || r == '\u200c': // hyphen, space, zero-width non-joiner
			continue
		case r >= '۰' && r <= '۹': // Persian digits
			r = '0' + (r - '۰')
		case r >= '٠' && r <= '٩': // Arabic-Indic digits
			r = '0' + (r - '٠')
		}
		v, ok := symbol(r)
		if !ok || len(vals) == codeLen {
			return "", ErrCode
		}
		vals = append(vals, v)
	}
	if len(vals) != codeLen || checkSymbol(vals[:codeRandom]) != vals[codeRandom] {
		return "", ErrCode
	}
	return format(vals), nil
}

func symbol(r rune) (byte, bool) {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	switch r {
	case 'I', 'L':
		r = '1'
	case 'O':
		r = '0'
	}
	if r > 0x7f {
		return 0, false
	}
	i := strings.IndexByte(alphabet, byte(r))
	if i < 0 {
		return 0, false
	}
	return byte(i), true
}

func format(vals []byte) string {
	b := make([]byte, 0, codeLen+1)
	for i, v := range vals {
		if i == codeLen/2 {
			b = append(b, '-')
		}
		b = append(b, alphabet[v])
	}
	return string(b)
}

// mulAlpha multiplies an element of GF(32) by α, modulo x^5 + x^2 + 1.
func mulAlpha(c byte) byte {
	c <<= 1
	if c&0x20 != 0 {
		c ^= 0x25
	}
	return c
}

// checkSymbol is the symbol c that makes Σ over data‖c of sᵢ·α^(n−i) zero.
func checkSymbol(data []byte) byte {
	var c byte
	for _, v := range data {
		c = mulAlpha(c) ^ v
	}
	return mulAlpha(c) // in GF(2^k), −x = x
}
