package web

import (
	"context"
	"regexp"
	"strings"
)

// Open data is opened in spreadsheets, which read a cell that begins with
// =, +, - or @ (or a tab or a line break before one) as a formula: a
// project title planted as =HYPERLINK("http://…") would become a live
// link, and worse. Every CSV cell Pishran writes goes through csvSafe,
// which does what the OWASP guidance on CSV injection says: such a cell
// gets a single quote in front, so the spreadsheet shows it as the text it
// is. A true number stays a number: -5 and +2.5 are left alone, -2+3 is
// not. The XLSX files need none of this: their cells are typed strings
// and numbers, never formulas.

// plainNumber is a decimal number with an optional sign and exponent:
// what a spreadsheet reads as a value, not as a formula.
var plainNumber = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// csvSafe neutralises a CSV cell a spreadsheet would take as a formula.
func csvSafe(s string) string {
	t := strings.TrimLeft(s, " \t\r\n")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@':
	default:
		if t == s {
			return s
		}
		// Leading white space alone: a tab or a line break starts a
		// formula in some spreadsheets.
		if !strings.ContainsAny(s[:len(s)-len(t)], "\t\r\n") {
			return s
		}
		return "'" + s
	}
	if t == s && plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// baseKey carries the server's address to the datasets that hand out
// addresses (the decisions' verify_url), without widening Dataset.Load.
type baseKey struct{}

func withBase(ctx context.Context, base string) context.Context {
	return context.WithValue(ctx, baseKey{}, base)
}

func baseFrom(ctx context.Context) string {
	s, _ := ctx.Value(baseKey{}).(string)
	return s
}
