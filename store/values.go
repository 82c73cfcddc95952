package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"github.com/pishran/pishran/domain"
)

// How values are kept: timestamps and dates as text, optional numbers as
// NULL, lists and objects as JSON.

const stampLayout = domain.StampLayout

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(stampLayout, s)
	return t
}

func dateArg(d *domain.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func scanDate(s sql.NullString) *domain.Date {
	if !s.Valid || s.String == "" {
		return nil
	}
	if d, ok := isoDate(s.String); ok {
		return &d
	}
	d, err := domain.ParseDate(s.String)
	if err != nil {
		return nil
	}
	return &d
}

// isoDate reads the YYYY-MM-DD form the store writes, without the cost of
// time.Parse on every row of a large listing.
func isoDate(s string) (domain.Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return domain.Date{}, false
	}
	n := func(b string) (int, bool) {
		v := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
			v = v*10 + int(b[i]-'0')
		}
		return v, true
	}
	y, ok1 := n(s[:4])
	m, ok2 := n(s[5:7])
	d, ok3 := n(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return domain.Date{}, false
	}
	return domain.NewDate(y, m, d), true
}

func intArg(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func scanInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

func jsonArg(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only domain values are passed; they always marshal
	}
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func scanJSON[T any](s string, into *T) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), into)
}
