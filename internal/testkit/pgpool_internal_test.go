package testkit

import (
	"testing"
)

// A test that ends hands its pool schema back: no advisory lock of the
// pool stays held by the connections database/sql keeps open, or another
// test process would wait on it, or never use that schema again. Only this
// process's sessions count: the other packages' test processes hold locks
// of the same pool while they run.
func TestPoolReleasesItsLocks(t *testing.T) {
	for range 2 {
		t.Run("open", func(t *testing.T) { Open(t, Postgres) })
	}
	var held int
	if err := pool.admin.QueryRow(`SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.classid::int4 = $1 AND a.application_name = $2`,
		pool.key, adminApp).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("%d advisory locks of the pool are still held after its tests ended", held)
	}
}
