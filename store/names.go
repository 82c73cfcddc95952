package store

import "github.com/pishran/pishran/domain"

// Titles and names by key: what a document needs to name the projects and
// agencies it refers to.

// ProjectTitles returns the titles of the given projects; unknown slugs are
// left out.
func (t *Tx) ProjectTitles(slugs []string) (map[string]domain.Text, error) {
	return t.textsByKey("projects", "slug", "title", slugs)
}

// AgencyNames returns the names of the given agencies; unknown codes are
// left out.
func (t *Tx) AgencyNames(codes []string) (map[string]domain.Text, error) {
	return t.textsByKey("agencies", "code", "name", codes)
}

// textsByKey reads the bilingual column (col_fa, col_en) of the rows of
// table whose key column holds one of keys (see inKeys).
func (t *Tx) textsByKey(table, key, col string, keys []string) (map[string]domain.Text, error) {
	out := map[string]domain.Text{}
	want := keySet(keys)
	err := inKeys(keys, func(in string, args []any) error {
		q := "SELECT " + key + ", " + col + "_fa, " + col + "_en FROM " + table
		if in != "" {
			q += " WHERE " + key + " IN " + in
		}
		rows, err := t.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var x domain.Text
			if err := rows.Scan(&k, &x.FA, &x.EN); err != nil {
				return err
			}
			if want == nil || want[k] {
				out[k] = x
			}
		}
		return rows.Err()
	})
	return out, err
}
