package store

// Reading rows. Each record has one scanX function that reads it from a
// row; list and listWithIDs run a query and read every row with it, so a
// list read is its query and its scanner, and nothing else.

// scanner is what *sql.Row and *sql.Rows share: a scanX function takes
// either, so one function reads a record from a one-row query or from a list.
type scanner interface{ Scan(dest ...any) error }

// list runs query and scans every row with scan, in order. It returns nil
// when the query finds no row (see orEmpty).
func list[T any](t *Tx, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// listWithIDs is list for scanners that also return the row id (projects,
// programs, meetings, terms), whose parts are then loaded by id. The ids
// are in the order of the records.
func listWithIDs[T any](t *Tx, scan func(scanner) (T, int64, error), query string, args ...any) ([]T, []int64, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var (
		out []T
		ids []int64
	)
	for rows.Next() {
		x, id, err := scan(rows)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, x)
		ids = append(ids, id)
	}
	return out, ids, rows.Err()
}

// orEmpty turns a list that found nothing into an empty one: the lists
// written out as JSON arrays answer [] rather than null.
func orEmpty[T any](xs []T, err error) ([]T, error) {
	if xs == nil && err == nil {
		return []T{}, nil
	}
	return xs, err
}

// scanString reads a one-column row of text.
func scanString(sc scanner) (string, error) {
	var s string
	err := sc.Scan(&s)
	return s, err
}
