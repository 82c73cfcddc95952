package testkit

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/pishran/pishran/store"
)

// SQL is q, written with ? placeholders, in db's dialect: $1, $2, … on
// PostgreSQL. A ? inside a quoted literal is not told apart: keep them out.
func SQL(db *store.DB, q string) string {
	if db.Engine() != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec runs q (? placeholders) on db behind the service's back — what
// someone with the database's password can do — and stops the test if it
// fails.
func Exec(t testing.TB, db *store.DB, q string, args ...any) {
	t.Helper()
	q = SQL(db, q)
	write, _ := db.Pools()
	if _, err := write.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
