package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit. With synchronous=FULL SQLite syncs the disk at every
// commit, and on a small machine that sync is the largest single cost of a
// write. Writers queue for SQLite's one write connection anyway, so the
// queue is served by one goroutine that takes every transaction waiting in
// it and runs them one after the other inside one SQLite transaction, each
// under a savepoint of its own: one that fails is rolled back to its
// savepoint and leaves the others be; one commit — one sync — makes the
// rest durable, and only then is each caller answered. Each transaction
// sees those before it, as it would have one after the other, and none is
// acknowledged before it is on disk. With a single writer the group is
// that writer alone and nothing waits.

// maxGroup bounds the transactions committed together.
const maxGroup = 64

var errClosed = errors.New("store: the database is closed")

// writer is the SQLite write queue.
type writer struct {
	jobs   chan *writeJob
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup

	groups, grouped atomic.Int64 // commits, and transactions in them (GroupStats)
}

type writeJob struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan writeResult
}

type writeResult struct {
	err   error
	panic any
}

func (db *DB) startWriter() {
	db.writer = &writer{jobs: make(chan *writeJob), closed: make(chan struct{})}
	db.writer.wg.Add(1)
	go db.serveWrites()
}

func (db *DB) stopWriter() {
	if db.writer == nil {
		return
	}
	db.writer.once.Do(func() { close(db.writer.closed) })
	db.writer.wg.Wait()
}

// GroupStats says how many commits the write queue made and how many
// transactions they held.
func (db *DB) GroupStats() (commits, transactions int64) {
	if db.writer == nil {
		return 0, 0
	}
	return db.writer.groups.Load(), db.writer.grouped.Load()
}

// queueUpdate hands fn to the write queue and waits for its outcome. Once
// handed over, fn is waited for even if ctx ends: it may be committing.
func (db *DB) queueUpdate(ctx context.Context, fn func(*Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan writeResult, 1)}
	select {
	case db.writer.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.writer.closed:
		return errClosed
	}
	r := <-j.done
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (db *DB) serveWrites() {
	w := db.writer
	defer w.wg.Done()
	for {
		var first *writeJob
		select {
		case first = <-w.jobs:
		case <-w.closed:
			return
		}
		group := []*writeJob{first}
	drain:
		for len(group) < maxGroup {
			select {
			case j := <-w.jobs:
				group = append(group, j)
			default:
				break drain
			}
		}
		db.runGroup(group)
	}
}

// runGroup runs a group of transactions in one SQLite transaction and
// answers each.
func (db *DB) runGroup(group []*writeJob) {
	results := make([]writeResult, len(group))
	pending := make([]bool, len(group)) // ran and awaits the commit
	answer := func() {
		for i, j := range group {
			j.done <- results[i]
		}
	}
	// abort fails every transaction not already failed on its own.
	abort := func(err error) {
		for i := range group {
			if results[i].err == nil && results[i].panic == nil {
				results[i].err = err
			}
		}
		answer()
	}
	bg := context.Background()
	tx, err := db.write.BeginTx(bg, nil)
	if err != nil {
		abort(fmt.Errorf("begin: %w", err))
		return
	}
	// What the transactions leave to do before the commit — the data
	// versions of the areas they wrote, the search index's rows of the
	// records they wrote (flushAreas) — is done once for the group, after
	// the last savepoint: a version is the newest of the group's, and the
	// index rows are read from the group's final state, as they would be
	// after the last transaction. Flushed inside each savepoint, the index
	// cost a full-text segment, and its merges, per transaction: SQLite's
	// FTS5 writes its pending rows out at every savepoint.
	after := &Tx{ctx: bg, tx: tx, db: db, now: db.now()}
	for i, j := range group {
		if err := j.ctx.Err(); err != nil {
			results[i].err = err
			continue
		}
		if _, err := tx.ExecContext(bg, "SAVEPOINT w"); err != nil {
			tx.Rollback()
			abort(mapErr(err))
			return
		}
		t := &Tx{ctx: j.ctx, tx: tx, db: db, now: db.now()}
		err, p := runFn(j.fn, t)
		if err != nil || p != nil {
			results[i] = writeResult{err: mapErr(err), panic: p}
			if _, rerr := tx.ExecContext(bg, "ROLLBACK TO w"); rerr != nil {
				tx.Rollback()
				abort(mapErr(rerr))
				return
			}
		}
		if _, err := tx.ExecContext(bg, "RELEASE w"); err != nil {
			tx.Rollback()
			abort(mapErr(err))
			return
		}
		pending[i] = err == nil && p == nil
		if pending[i] {
			after.absorb(t)
		}
	}
	err = after.flushAreas()
	if err == nil {
		err = tx.Commit()
	} else {
		tx.Rollback()
	}
	if err != nil {
		for i := range group {
			if pending[i] {
				results[i].err = mapErr(fmt.Errorf("commit: %w", err))
			}
		}
	}
	db.writer.groups.Add(1)
	db.writer.grouped.Add(int64(len(group)))
	answer()
}

// runFn calls fn, catching a panic to hand to its caller.
func runFn(fn func(*Tx) error, t *Tx) (err error, p any) {
	defer func() {
		if r := recover(); r != nil {
			p = r
		}
	}()
	return fn(t), nil
}
