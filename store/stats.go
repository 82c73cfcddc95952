package store

import "sync/atomic"

// ReadStats counts what the database was asked: read transactions (View)
// and statements (every query of a transaction, and Version). A page's
// budget of queries is checked against these counts by tests (web, api),
// so a change that adds a read to a hot path is seen.
type ReadStats struct {
	Views      int64 // read-only transactions begun
	Statements int64 // statements run, in any transaction or alone
}

type counters struct {
	views, statements atomic.Int64
}

// Stats returns the counts since the database was opened. They are shared
// by every goroutine: a test that measures one request runs it alone.
func (db *DB) Stats() ReadStats {
	return ReadStats{Views: db.counts.views.Load(), Statements: db.counts.statements.Load()}
}

// Sub is the difference s − o: what ran between two readings.
func (s ReadStats) Sub(o ReadStats) ReadStats {
	return ReadStats{Views: s.Views - o.Views, Statements: s.Statements - o.Statements}
}
