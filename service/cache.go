package service

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// cache keeps values derived from the registry for one registry generation
// (see store.Tx.Generation). A new generation empties it, so a value is
// never served after the data it came from changed, on this instance or
// any other sharing the database.
type cache[K comparable, V any] struct {
	mu  sync.Mutex
	gen int64
	m   map[K]V
}

// maxCached bounds the entries kept for one generation.
const maxCached = 256

func (c *cache[K, V]) get(gen int64, k K) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	if c.gen != gen || c.m == nil {
		return zero
	}
	return c.m[k]
}

func (c *cache[K, V]) put(gen int64, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen < c.gen {
		return // computed from an older snapshot than what is cached
	}
	if gen > c.gen || c.m == nil || len(c.m) >= maxCached {
		c.gen, c.m = gen, map[K]V{}
	}
	c.m[k] = v
}

type compareKey struct {
	from, to         string
	showConfidential bool
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// sortBy sorts xs by a string key, keeping equal keys in order.
func sortBy[T any](xs []T, key func(T) string) {
	slices.SortStableFunc(xs, func(a, b T) int { return strings.Compare(key(a), key(b)) })
}
