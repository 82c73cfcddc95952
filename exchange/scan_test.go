package exchange

import (
	"math/rand/v2"
	"testing"
)

// TestStopMask checks the eight-byte scan of strings against a byte loop.
func TestStopMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte{'a', 'Z', '0', ' ', '"', '\\', 0x00, 0x1f, 0x20, 0x7f, 0x80, 0xa0, 0xff, 0xe2, 0x21, 0x5b, 0x5d}
	for range 200000 {
		var b [8]byte
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = byte(rng.IntN(256))
			}
		}
		v := uint64(0)
		for i := 7; i >= 0; i-- {
			v = v<<8 | uint64(b[i])
		}
		want := 8
		for i, c := range b {
			if strStop[c] {
				want = i
				break
			}
		}
		got := 8
		if m := stopMask(v); m != 0 {
			got = 0
			for m&0xff == 0 {
				m >>= 8
				got++
			}
		}
		if got != want {
			t.Fatalf("%q: first stop at %d, mask says %d", b, want, got)
		}
	}
}

func TestScanString(t *testing.T) {
	for in, want := range map[string]int{
		`"abcdefghijklmnopqrstuvwxyz"`:     28,
		`"abcdefgh\"ijklmnop"x`:            20,
		`"\u0627\u06cc\u0631\u0627\u0646"`: 32,
		`"ایران و جهان ـ ۱۴۰۲"`:            len(`"ایران و جهان ـ ۱۴۰۲"`),
	} {
		end, _, err := scanString([]byte(in), 0)
		if err != nil || end != want {
			t.Errorf("%s: %d %v, want %d", in, end, err, want)
		}
	}
	for _, in := range []string{"\"abcdefghij\x01\"", `"abc\x"`, `"abc\u12G4"`} {
		if _, _, err := scanString([]byte(in), 0); err == nil || err == errMore {
			t.Errorf("%q: %v", in, err)
		}
	}
	if _, _, err := scanString([]byte(`"abcdefghijklmnop`), 0); err != errMore {
		t.Errorf("unterminated: %v", err)
	}
}
