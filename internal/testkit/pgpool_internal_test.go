package testkit

import (
	"testing"
)

// A test that ends hands its pool schema back: no advisory lock of the
// pool stays held by the connections database/sql keeps open, or another
// test process would wait on it, or never use that schema again.
func TestPoolReleasesItsLocks(t *testing.T) {
	for range 2 {
		t.Run("open", func(t *testing.T) { Open(t, Postgres) })
	}
	var held int
	if err := pool.admin.QueryRow("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::int4 = $1",
		pool.key).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("%d advisory locks of the pool are still held after its tests ended", held)
	}
}
