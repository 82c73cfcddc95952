// Package keep keeps values computed from the data — rendered pages,
// encoded answers, a dashboard's figures — under the data version they were
// read at, and serves them until the version moves.
//
// The caller reads the version before it reads the data, so what it puts
// is at least as new as the version it is kept under; a value put under an
// older version than the one kept is dropped, a newer version empties the
// cache. The cache holds a budget (of bytes, or of entries: the caller's
// size function says); when a value does not fit, the oldest kept values
// make room.
package keep

import (
	"slices"
	"sync"
)

// Version is a data version: comparable, and ordered by Before.
type Version[V any] interface {
	comparable
	Before(V) bool
}

// Cache keeps values of type T by key K under one version V at a time.
type Cache[V Version[V], K comparable, T any] struct {
	budget int
	size   func(T) int

	mu    sync.Mutex
	ver   V
	m     map[K]kept[T]
	order []put[K] // oldest first; a put whose seq is not its key's is stale
	seq   uint64
	used  int
}

// kept is a value with the sequence number of its put.
type kept[T any] struct {
	x   T
	seq uint64
}

// put is one Put in order. Putting a key again leaves its old put in
// order, stale (its seq no longer the key's), rather than finding and
// removing it: that search was a walk of the whole order, under the lock,
// for every repeated put (two misses of one page at once).
type put[K comparable] struct {
	k   K
	seq uint64
}

// New returns a cache holding up to budget, as size measures each value.
func New[V Version[V], K comparable, T any](budget int, size func(T) int) *Cache[V, K, T] {
	return &Cache[V, K, T]{budget: budget, size: size}
}

// Get returns the value kept for k at version v.
func (c *Cache[V, K, T]) Get(v V, k K) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ver != v || c.m == nil {
		var zero T
		return zero, false
	}
	e, ok := c.m[k]
	return e.x, ok
}

// Put keeps x for k, read at version v.
func (c *Cache[V, K, T]) Put(v V, k K, x T) {
	n := c.size(x)
	c.mu.Lock()
	defer c.mu.Unlock()
	if v.Before(c.ver) || n > c.budget {
		return
	}
	if v != c.ver || c.m == nil {
		c.ver, c.m, c.order, c.used = v, map[K]kept[T]{}, nil, 0
	}
	if old, ok := c.m[k]; ok {
		c.used -= c.size(old.x)
		delete(c.m, k)
	}
	for c.used+n > c.budget && len(c.order) > 0 {
		oldest := c.order[0]
		c.order = c.order[1:]
		if e, ok := c.m[oldest.k]; ok && e.seq == oldest.seq {
			c.used -= c.size(e.x)
			delete(c.m, oldest.k)
		}
	}
	if len(c.order) > 2*len(c.m)+64 { // mostly stale: keep the live puts only
		c.order = slices.DeleteFunc(c.order, func(p put[K]) bool { e, ok := c.m[p.k]; return !ok || e.seq != p.seq })
	}
	c.seq++
	c.m[k] = kept[T]{x: x, seq: c.seq}
	c.order = append(c.order, put[K]{k: k, seq: c.seq})
	c.used += n
}

// Used is how much of the budget the kept values take.
func (c *Cache[V, K, T]) Used() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
