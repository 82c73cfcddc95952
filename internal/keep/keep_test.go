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
