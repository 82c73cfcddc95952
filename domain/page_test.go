package domain

import (
	"errors"
	"strconv"
	"testing"
)

// numbers is a paged list of n items keyed by their decimal value (1…n); it
// records the pages asked for.
type numbers struct {
	n     int
	fail  int // the call (1-based) that fails; 0: none
	calls []Page
}

var errFetch = errors.New("fetch failed")

func (l *numbers) fetch(p Page) ([]int, error) {
	l.calls = append(l.calls, p)
	if len(l.calls) == l.fail {
		return nil, errFetch
	}
	after := 0
	if p.After != "" {
		var err error
		if after, err = strconv.Atoi(p.After); err != nil {
			return nil, err
		}
	}
	var out []int
	for i := after + 1; i <= l.n && len(out) < p.Limit; i++ {
		out = append(out, i)
	}
	return out, nil
}

func key(i int) string { return strconv.Itoa(i) }

func TestWalkStopsOnShortPage(t *testing.T) {
	for _, n := range []int{0, 1, WalkPage - 1, WalkPage, WalkPage + 1, 2*WalkPage + 7} {
		l := &numbers{n: n}
		got := 0
		for it, err := range Walk(l.fetch, key) {
			if err != nil {
				t.Fatalf("n=%d: %v", n, err)
			}
			got++
			if it != got {
				t.Fatalf("n=%d: item %d is %d", n, got, it)
			}
		}
		if got != n {
			t.Errorf("n=%d: walked %d items", n, got)
		}
		// One fetch per full page, plus the short (maybe empty) one that ends it.
		if want := n/WalkPage + 1; len(l.calls) != want {
			t.Errorf("n=%d: %d fetches, want %d", n, len(l.calls), want)
		}
		for i, p := range l.calls {
			if p.Limit != WalkPage {
				t.Errorf("n=%d: fetch %d asked for %d items", n, i, p.Limit)
			}
			if want := key(i * WalkPage); i > 0 && p.After != want {
				t.Errorf("n=%d: fetch %d after %q, want %q", n, i, p.After, want)
			}
			if i == 0 && p.After != "" {
				t.Errorf("n=%d: first fetch after %q", n, p.After)
			}
		}
	}
}

func TestWalkStopsAtError(t *testing.T) {
	l := &numbers{n: 3 * WalkPage, fail: 2}
	items, errs := 0, 0
	for it, err := range Walk(l.fetch, key) {
		if err != nil {
			errs++
			if !errors.Is(err, errFetch) {
				t.Errorf("error %v, want %v", err, errFetch)
			}
			if it != 0 {
				t.Errorf("error yielded with item %d, want the zero value", it)
			}
			continue // Walk must stop by itself
		}
		items++
	}
	if items != WalkPage || errs != 1 || len(l.calls) != 2 {
		t.Errorf("%d items, %d errors, %d fetches; want %d, 1, 2", items, errs, len(l.calls), WalkPage)
	}
}

func TestWalkBreak(t *testing.T) {
	l := &numbers{n: 3 * WalkPage}
	last := 0
	for it, err := range Walk(l.fetch, key) {
		if err != nil {
			t.Fatal(err)
		}
		last = it
		if it == WalkPage+5 {
			break
		}
	}
	if last != WalkPage+5 || len(l.calls) != 2 {
		t.Errorf("stopped at %d after %d fetches; want %d after 2", last, len(l.calls), WalkPage+5)
	}
}

// TestWalkSeparateKeys is the shape of a list whose keys come beside its items
// (service.Meetings): fetch keeps the page's keys and key returns the last.
func TestWalkSeparateKeys(t *testing.T) {
	l := &numbers{n: WalkPage + 3}
	var keys []string
	fetch := func(p Page) ([]string, error) {
		nums, err := l.fetch(p)
		keys = keys[:0]
		var names []string
		for _, n := range nums {
			keys = append(keys, key(n))
			names = append(names, "item "+key(n))
		}
		return names, err
	}
	var got []string
	for name, err := range Walk(fetch, func(string) string { return keys[len(keys)-1] }) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	if len(got) != WalkPage+3 || got[len(got)-1] != "item "+key(WalkPage+3) {
		t.Errorf("walked %d items, last %q", len(got), got[len(got)-1])
	}
}
