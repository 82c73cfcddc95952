package store

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The copy's rows: read in key order from the source, converted to the
// destination's column kinds and written in batches (see Copy).

// selfRef is a single-column foreign key of a table to itself, whose
// values may name a row copied later: such a value is written NULL first
// and set once the whole table is in.
type selfRef struct {
	col  int    // index in the copied columns
	name string // column name
	ref  int    // index of the referenced column
	seen map[any]bool
}

type pendingRef struct {
	ref   *selfRef
	key   []any
	value any
}

// copyRows copies one table and returns the rows copied.
func copyRows(src, dst *Tx, from, to *copyTable) (int64, error) {
	cols := to.cols // the destination's order and kinds; the names match the source's
	names := make([]string, len(cols))
	index := map[string]int{}
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
		index[c.name] = i
	}
	var refs []*selfRef
	for _, fk := range to.fks {
		if fk.ref != to.name || len(fk.cols) != 1 || len(fk.refCols) != 1 {
			continue
		}
		if len(to.pk) == 0 {
			return 0, errors.New("a table referring to itself needs a primary key to be copied")
		}
		refs = append(refs, &selfRef{col: index[fk.cols[0]], name: fk.cols[0], ref: index[fk.refCols[0]], seen: map[any]bool{}})
	}
	pkIdx := make([]int, len(to.pk))
	for i, k := range to.pk {
		pkIdx[i] = index[k]
	}
	query := "SELECT " + strings.Join(names, ", ") + " FROM " + quoteIdent(from.name)
	if len(from.pk) > 0 {
		order := make([]string, len(from.pk))
		for i, k := range from.pk {
			order[i] = quoteIdent(k)
		}
		query += " ORDER BY " + strings.Join(order, ", ")
	}
	rows, err := src.query(query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()

	batchRows := max(1, min(copyBatchRows, copyMaxParams/len(cols)))
	var (
		buf     = make([]any, 0, batchRows*len(cols))
		bytes   int
		n       int64
		pending []pendingRef
	)
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		if err := dst.insertBatch(to.name, names, buf); err != nil {
			return err
		}
		n += int64(len(buf) / len(cols))
		buf, bytes = buf[:0], 0
		return nil
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, c := range cols {
			v, err := convertValue(vals[i], c.kind, dst.db.engine)
			if err != nil {
				return n, fmt.Errorf("column %s: %w", c.name, err)
			}
			vals[i] = v
			bytes += valueSize(v)
		}
		for _, r := range refs {
			if v := vals[r.col]; v != nil && !r.seen[v] {
				key := make([]any, len(pkIdx))
				for i, k := range pkIdx {
					key[i] = vals[k]
				}
				pending = append(pending, pendingRef{ref: r, key: key, value: v})
				vals[r.col] = nil
			}
		}
		for _, r := range refs {
			r.seen[vals[r.ref]] = true
		}
		buf = append(buf, vals...)
		if len(buf)/len(cols) >= batchRows || bytes >= copyBatchBytes {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	rows.Close()
	if err := flush(); err != nil {
		return n, err
	}
	for _, p := range pending {
		where := make([]string, len(to.pk))
		for i, k := range to.pk {
			where[i] = quoteIdent(k) + " = ?"
		}
		args := append([]any{p.value}, p.key...)
		if _, err := dst.exec("UPDATE "+quoteIdent(to.name)+" SET "+quoteIdent(p.ref.name)+" = ? WHERE "+strings.Join(where, " AND "), args...); err != nil {
			return n, err
		}
	}
	return n, nil
}

// insertBatch inserts the rows of vals (len(names) values each) in one
// statement. The placeholders are written for the engine directly: the
// batches' many shapes would only fill the rebinding cache.
func (t *Tx) insertBatch(table string, names []string, vals []any) error {
	var b strings.Builder
	b.WriteString("INSERT INTO " + quoteIdent(table) + " (" + strings.Join(names, ", ") + ") VALUES ")
	for i := range vals {
		switch {
		case i == 0:
			b.WriteString("(")
		case i%len(names) == 0:
			b.WriteString("), (")
		default:
			b.WriteString(", ")
		}
		if t.db.engine == Postgres {
			b.WriteString("$" + strconv.Itoa(i+1))
		} else {
			b.WriteString("?")
		}
	}
	b.WriteString(")")
	t.wrote = true
	_, err := t.tx.ExecContext(t.ctx, b.String(), vals...)
	return err
}

func valueSize(v any) int {
	switch x := v.(type) {
	case string:
		return len(x)
	case []byte:
		return len(x)
	}
	return 8
}

// convertValue turns a value read from the source into what the
// destination's column keeps: SQLite's 0 and 1 into PostgreSQL's booleans
// and back, text into bytes and so on.
func convertValue(v any, kind colKind, engine Engine) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case kindBool:
		var b bool
		switch x := v.(type) {
		case bool:
			b = x
		case int64:
			b = x != 0
		case float64:
			b = x != 0
		case string:
			p, err := parseBool(x)
			if err != nil {
				return nil, err
			}
			b = p
		case []byte:
			p, err := parseBool(string(x))
			if err != nil {
				return nil, err
			}
			b = p
		default:
			return nil, fmt.Errorf("%T is not a boolean", v)
		}
		if engine == SQLite {
			if b {
				return int64(1), nil
			}
			return int64(0), nil
		}
		return b, nil
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
			return nil, fmt.Errorf("%v is not an integer", x)
		case string:
			return strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		case []byte:
			return strconv.ParseInt(strings.TrimSpace(string(x)), 10, 64)
		}
		return nil, fmt.Errorf("%T is not an integer", v)
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case string:
			return strconv.ParseFloat(strings.TrimSpace(x), 64)
		case []byte:
			return strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		}
		return nil, fmt.Errorf("%T is not a number", v)
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case bool:
			return strconv.FormatBool(x), nil
		case time.Time:
			return stamp(x), nil
		}
		return nil, fmt.Errorf("%T is not text", v)
	case kindBlob:
		switch x := v.(type) {
		case []byte:
			return append([]byte(nil), x...), nil
		case string:
			return []byte(x), nil
		}
		return nil, fmt.Errorf("%T is not bytes", v)
	}
	if b, ok := v.([]byte); ok { // the driver may reuse its buffer
		return append([]byte(nil), b...), nil
	}
	return v, nil
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true":
		return true, nil
	case "0", "f", "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean", s)
}

// resetSequences moves every identity sequence past the largest id the
// copy wrote, so the next record PostgreSQL numbers does not collide.
func (t *Tx) resetSequences(schema map[string]*copyTable) error {
	for _, name := range sortedKeys(schema) {
		for _, c := range schema[name].cols {
			if !c.identity {
				continue
			}
			if err := t.syncIdentity(name, c.name); err != nil {
				return fmt.Errorf("copy %s: reset the sequence of %s: %v", name, c.name, err)
			}
		}
	}
	return nil
}
