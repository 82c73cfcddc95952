package service

import (
	"fmt"
	"testing"

	"github.com/pishran/pishran/domain"
)

// The list cache holds at most listCacheProjects projects: the oldest
// pages make room, a new generation empties it, an older one is ignored.
func TestPageCacheBudget(t *testing.T) {
	c := newBudgetCache[listKey](listCacheProjects, func(v []*domain.Project) int { return len(v) })
	page := func(n int) []*domain.Project {
		out := make([]*domain.Project, n)
		for i := range out {
			out[i] = &domain.Project{Slug: fmt.Sprintf("p%d", i)}
		}
		return out
	}
	key := func(after string) listKey { return listKey{page: domain.Page{After: after, Limit: 101}} }
	pages := listCacheProjects / 100
	for i := range pages {
		c.Put(1, key(fmt.Sprint(i)), page(100))
	}
	if !has(c, 1, key("0")) || c.Used() != pages*100 {
		t.Fatalf("a full budget was not kept: %d items", c.Used())
	}
	c.Put(1, key("new"), page(100))
	if has(c, 1, key("0")) || !has(c, 1, key("1")) || !has(c, 1, key("new")) {
		t.Fatal("the oldest page did not make room for the new one")
	}
	if c.Used() > listCacheProjects {
		t.Fatalf("%d items over the budget of %d", c.Used(), listCacheProjects)
	}
	if has(c, 2, key("1")) {
		t.Fatal("a page of generation 1 was served for generation 2")
	}
	c.Put(2, key("a"), page(10))
	c.Put(1, key("stale"), page(10))
	if !has(c, 2, key("a")) || has(c, 2, key("stale")) || c.Used() != 10 {
		t.Fatalf("generation 2: items %d", c.Used())
	}
	c.Put(2, key("huge"), page(listCacheProjects+1))
	if has(c, 2, key("huge")) {
		t.Fatal("a page over the whole budget was kept")
	}
}

func has[K comparable, V any](c *budgetCache[K, V], gen generation, k K) bool {
	_, ok := c.Get(gen, k)
	return ok
}
