package store

import (
	"strconv"
	"strings"
)

// IN lists: ids inlined, and keys bound in chunks that keep every statement
// within both engines' limits (or read the whole table when there are
// thousands of them).

// inInts renders database ids as an IN list; they are integers from the
// database, so inlining them is safe.
func inInts(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// inKeys runs fn over slugs in chunks, each with its "(?, ?, …)" list and
// arguments, keeping every statement well within both engines' limits.
func inKeys(slugs []string, fn func(in string, args []any) error) error {
	const chunk = 500
	if len(slugs) > wholeTable {
		// Thousands of slugs (the agenda builder's followed projects):
		// one pass over the table, kept by the caller's set, costs less
		// than binding them in chunks.
		return fn("", nil)
	}
	for len(slugs) > 0 {
		part := slugs[:min(chunk, len(slugs))]
		slugs = slugs[len(part):]
		args := make([]any, len(part))
		for i, s := range part {
			args[i] = s
		}
		if err := fn("(?"+strings.Repeat(", ?", len(part)-1)+")", args); err != nil {
			return err
		}
	}
	return nil
}

// wholeTable is the number of slugs above which a read by slug scans the
// whole table instead (see inKeys).
const wholeTable = 2000

// keySet is the set a whole-table read keeps rows by; nil when the read
// binds the slugs.
func keySet(slugs []string) map[string]bool {
	if len(slugs) <= wholeTable {
		return nil
	}
	m := make(map[string]bool, len(slugs))
	for _, s := range slugs {
		m[s] = true
	}
	return m
}
