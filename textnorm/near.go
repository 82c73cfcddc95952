package textnorm

import "unicode"

// Near reports whether two squashed titles (Squash) are the same title
// as far as a reader can tell: equal, or — when long enough for one slip
// to be a typo rather than another name — one letter apart, with the same
// digits ("phase 1" and "phase 2" are two projects, not a typo).
func Near(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if min(len(ra), len(rb)) < nearMin || digitsOf(ra) != digitsOf(rb) {
		return false
	}
	return withinOne(ra, rb)
}

// nearMin is the shortest squashed title one letter of which may be a slip.
const nearMin = 10

func digitsOf(rs []rune) string {
	var out []rune
	for _, r := range rs {
		if unicode.IsDigit(r) {
			out = append(out, r)
		}
	}
	return string(out)
}

// withinOne reports whether a and b are at most one insertion, deletion
// or substitution apart.
func withinOne(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) == len(b) {
		return string(a[i+1:]) == string(b[i+1:]) || i == len(a)
	}
	return string(a[i:]) == string(b[i+1:])
}
