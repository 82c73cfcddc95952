// Package testdb is the old name of testkit's engines, kept so that tests
// not yet moved to internal/testkit compile; it forwards every name there
// and goes away once none imports it.
package testdb

import (
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/store"
)

// Engine is testkit.Engine.
type Engine = testkit.Engine

// PostgresURL is testkit.PostgresURL.
func PostgresURL() string { return testkit.PostgresURL() }

// Engines is testkit.Engines.
func Engines() []Engine { return testkit.Engines() }

// SQLiteDSN is testkit.SQLiteDSN.
func SQLiteDSN(t testing.TB) string { return testkit.SQLiteDSN(t) }

// PostgresDSN is testkit.PostgresDSN.
func PostgresDSN(t testing.TB) string { return testkit.PostgresDSN(t) }

// Open is testkit.Open.
func Open(t testing.TB, e Engine) *store.DB {
	t.Helper()
	return testkit.Open(t, e)
}
