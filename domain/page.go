package domain

import "iter"

// Page is a window on an ordered list. After is the last key of the previous
// page ("" for the first); Limit is the most items to return.
type Page struct {
	After string
	Limit int
}

// MaxPage is the most items one page may ask for; the API's largest page
// (1000) plus the one extra item it reads to learn whether more follow.
const MaxPage = 1001

// WalkPage is the page size Walk asks for: the API's largest page, so a walk
// reads a long list in as few round trips as a client could.
const WalkPage = 1000

// Walk yields every item of a list read a page at a time: fetch reads the page
// after a key, key gives an item's key (Walk calls it only on a full page's last
// item). It stops after a short page, at the first error (yielded with the zero T),
// or when the loop breaks.
//
// It is the one page-through loop: callers that need every item of a paged
// list (a form's choices, an export) range over it instead of writing their own.
func Walk[T any](fetch func(Page) ([]T, error), key func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		p := Page{Limit: WalkPage}
		for {
			items, err := fetch(p)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if len(items) < WalkPage {
				return
			}
			p.After = key(items[len(items)-1])
		}
	}
}
