package keep_test

import (
	"testing"

	"github.com/pishran/pishran/internal/keep"
)

type ver int

func (v ver) Before(o ver) bool { return v < o }

// A value is served only at the version it was kept under; an older
// version's value is dropped, a newer one starts afresh; the budget holds.
func TestCache(t *testing.T) {
	c := keep.New[ver, string](10, func(s string) int { return len(s) })
	c.Put(2, "a", "aaaa")
	if x, ok := c.Get(2, "a"); !ok || x != "aaaa" {
		t.Fatal("a kept value was not served")
	}
	if _, ok := c.Get(3, "a"); ok {
		t.Fatal("a value of version 2 was served at version 3")
	}
	c.Put(1, "old", "x")
	if _, ok := c.Get(1, "old"); ok {
		t.Fatal("a value read at an older version was kept")
	}
	c.Put(2, "b", "bbbb")
	c.Put(2, "c", "cccc") // 12 > 10: one of a, b makes room
	_, okA := c.Get(2, "a")
	_, okB := c.Get(2, "b")
	if x, ok := c.Get(2, "c"); !ok || x != "cccc" || (okA && okB) {
		t.Fatalf("budget: a %v b %v c %v", okA, okB, ok)
	}
	c.Put(2, "huge", "0123456789x")
	if _, ok := c.Get(2, "huge"); ok {
		t.Fatal("a value over the whole budget was kept")
	}
	c.Put(3, "d", "d")
	if _, ok := c.Get(2, "c"); ok {
		t.Fatal("version 3 did not empty the cache")
	}
	if x, ok := c.Get(3, "d"); !ok || x != "d" {
		t.Fatal("d")
	}
}

// Putting a key again makes it the newest: the oldest other key makes room
// first; repeated puts keep the accounting exact.
func TestCacheRepeatedPut(t *testing.T) {
	c := keep.New[ver, string](3, func(s string) int { return len(s) })
	c.Put(1, "a", "1")
	c.Put(1, "b", "1")
	c.Put(1, "a", "1") // a is now newer than b
	c.Put(1, "c", "1")
	c.Put(1, "d", "1") // over budget: b goes, not a
	if _, ok := c.Get(1, "b"); ok {
		t.Fatal("b outlived a key put after it")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.Get(1, k); !ok {
			t.Fatalf("%s was dropped", k)
		}
	}
	for i := 0; i < 10000; i++ {
		c.Put(1, "a", "11")
	}
	if got := c.Used(); got != 3 { // a (2) and one of c, d
		t.Fatalf("used %d after repeated puts, want 3", got)
	}
	if x, ok := c.Get(1, "a"); !ok || x != "11" {
		t.Fatal("the last put of a is not served")
	}
}

// BenchmarkCacheRePut puts keys of a full cache again, as two misses of
// one page at once do: it should cost what a first put costs, whatever
// the number of keys kept.
func BenchmarkCacheRePut(b *testing.B) {
	const n = 5000
	c := keep.New[ver, int](n, func(int) int { return 1 })
	for i := 0; i < n; i++ {
		c.Put(1, i, i)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Put(1, i%n, i)
	}
}
