package store

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// A record and the small lists that hang off it (a project's agencies,
// mandates, dependencies…) used to take one statement per list. They are
// read instead in the record's own statement, each list as a correlated
// subquery that folds its rows into one JSON array of arrays of text:
// one statement for one project, one for a page of a hundred. The two
// engines spell the aggregate differently; jsonRows writes it for the
// engine, and parseRows reads it back without reflection.

// jsonRows is a scalar subquery giving the rows of "SELECT cols FROM from
// ORDER BY order" as a JSON array of arrays. Every column must be text (a
// CAST where it is not), so both engines write strings; an empty result is
// [].
func jsonRows(e Engine, cols, from, order string) string {
	if e == Postgres {
		return "(SELECT COALESCE(json_agg(json_build_array(" + cols + ") ORDER BY " + order + "), '[]')::text FROM " + from + ")"
	}
	// SQLite: the rows are ordered in a subquery and aggregated as it
	// yields them. An ORDER BY inside the aggregate built and sorted an
	// ephemeral table for every list of every row, even when an index
	// gave the order (~10% of a project page's statement). SQLite does not
	// flatten an ordered subquery into an aggregate, so the order holds
	// (TestJSONRowsOrder keeps it so). The subquery gives the columns, not
	// the array: a JSON value read back from a subquery is text to
	// json_group_array, which would quote it.
	names := columnNames(cols)
	return "(SELECT json_group_array(json_array(" + strings.Join(names, ", ") + ")) FROM (SELECT " + aliased(cols, names) + " FROM " + from + " ORDER BY " + order + "))"
}

// columnNames names the columns of a select list c0, c1, … (one per
// top-level comma).
func columnNames(cols string) []string {
	n := len(splitCols(cols))
	out := make([]string, n)
	for i := range out {
		out[i] = "c" + strconv.Itoa(i)
	}
	return out
}

// aliased is the select list with each column named as names says.
func aliased(cols string, names []string) string {
	parts := splitCols(cols)
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i]) + " AS " + names[i]
	}
	return strings.Join(parts, ", ")
}

// splitCols splits a select list at its top-level commas (not those in
// parentheses or quotes).
func splitCols(cols string) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(cols); i++ {
		switch c := cols[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, cols[start:i])
			start = i + 1
		}
	}
	return append(out, cols[start:])
}

var errRows = errors.New("store: malformed JSON rows")

// parseRows reads what jsonRows wrote: an array of arrays of strings (a
// null reads as ""). Strings without escapes are sliced from s, not
// copied.
func parseRows(s string) ([][]string, error) {
	p := rowParser{s: s}
	p.space()
	if !p.eat('[') {
		return nil, errRows
	}
	var out [][]string
	p.space()
	if p.eat(']') {
		return out, nil
	}
	for {
		p.space()
		if !p.eat('[') {
			return nil, errRows
		}
		var row []string
		p.space()
		if !p.eat(']') {
			for {
				p.space()
				v, err := p.value()
				if err != nil {
					return nil, err
				}
				row = append(row, v)
				p.space()
				if p.eat(']') {
					break
				}
				if !p.eat(',') {
					return nil, errRows
				}
			}
		}
		out = append(out, row)
		p.space()
		if p.eat(']') {
			return out, nil
		}
		if !p.eat(',') {
			return nil, errRows
		}
	}
}

type rowParser struct {
	s string
	i int
}

func (p *rowParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\n' || p.s[p.i] == '\t' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *rowParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// value reads a string, a null, or a bare number or boolean (as its text).
func (p *rowParser) value() (string, error) {
	if p.i >= len(p.s) {
		return "", errRows
	}
	if p.s[p.i] != '"' {
		j := p.i
		for j < len(p.s) && p.s[j] != ',' && p.s[j] != ']' && p.s[j] != ' ' {
			j++
		}
		v := p.s[p.i:j]
		p.i = j
		if v == "null" {
			return "", nil
		}
		if v == "" {
			return "", errRows
		}
		return v, nil
	}
	start, escaped := p.i, false
	for j := p.i + 1; j < len(p.s); j++ {
		switch p.s[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			p.i = j + 1
			if !escaped {
				return p.s[start+1 : j], nil
			}
			var v string
			if err := json.Unmarshal([]byte(p.s[start:j+1]), &v); err != nil {
				return "", err
			}
			return v, nil
		}
	}
	return "", errRows
}

// field is row[i], or "" past its end.
func field(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// textCols casts each column to text for jsonRows where the engine would
// write it otherwise (a number in PostgreSQL's json_build_array).
func textCols(e Engine, cols ...string) string {
	if e != Postgres {
		return strings.Join(cols, ", ")
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = "CAST(" + c + " AS TEXT)"
	}
	return strings.Join(out, ", ")
}
