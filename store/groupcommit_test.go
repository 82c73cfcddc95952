package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/store"
)

// Concurrent writers share commits (the group commit), and a group keeps
// every writer's outcome apart: the ones that fail or panic leave nothing,
// the others all land, the audit chain stays one unbroken sequence, and a
// panic reaches the writer whose function panicked.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	db := testkit.Open(t, testkit.SQLite) // the group commit is SQLite's
	const writers, each = 16, 40
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed := map[string]bool{}
	refused := map[string]bool{}
	errBoom := errors.New("refused on purpose")
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				key := fmt.Sprintf("w%d-%d", w, i)
				var err error
				func() {
					defer func() {
						if p := recover(); p != nil {
							err = fmt.Errorf("panic: %v", p)
						}
					}()
					err = db.Update(ctx, func(tx *store.Tx) error {
						if err := tx.Audit("test", "group", key, nil, map[string]int{"i": i}); err != nil {
							return err
						}
						switch i % 5 {
						case 3:
							return errBoom
						case 4:
							panic("boom " + key)
						}
						return nil
					})
				}()
				mu.Lock()
				switch {
				case err == nil:
					landed[key] = true
				case i%5 == 3 && errors.Is(err, errBoom), i%5 == 4 && err != nil && err.Error() == "panic: boom "+key:
					refused[key] = true
				default:
					t.Errorf("%s: %v", key, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(landed) != writers*each*3/5 || len(refused) != writers*each*2/5 {
		t.Fatalf("%d landed, %d refused", len(landed), len(refused))
	}
	if err := db.View(ctx, func(tx *store.Tx) error {
		for key := range refused {
			if h, err := tx.History("group", key); err != nil || len(h) != 0 {
				return fmt.Errorf("the refused write %s left %d audit entries (%v)", key, len(h), err)
			}
		}
		for key := range landed {
			if h, err := tx.History("group", key); err != nil || len(h) != 1 {
				return fmt.Errorf("the acknowledged write %s has %d audit entries (%v)", key, len(h), err)
			}
		}
		n, broken, err := tx.VerifyAudit()
		if err != nil || broken != nil || n != int64(len(landed)) {
			return fmt.Errorf("audit chain: %d entries checked, break %+v, %v", n, broken, err)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
	commits, txs := db.GroupStats()
	t.Logf("%d transactions in %d commits", txs, commits)
	if txs != writers*each || commits >= txs {
		t.Errorf("%d transactions in %d commits: no commit was shared", txs, commits)
	}
}

// What a group commit does once for its transactions — the search index's
// rows of the records they wrote, the data version of the areas they
// wrote — follows every transaction that landed and none that was refused.
func TestGroupCommitIndexesAndVersions(t *testing.T) {
	ctx := context.Background()
	db := testkit.Open(t, testkit.SQLite)
	const writers, each = 8, 12
	errBoom := errors.New("refused on purpose")
	word := func(w, i int) string { return fmt.Sprintf("zq%dx%dq", w, i) } // no word a prefix of another
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				a := &domain.Agency{Code: fmt.Sprintf("ag-%d-%d", w, i), Kind: domain.AgencyMinistry,
					Name: domain.T("دستگاه "+word(w, i), "Agency "+word(w, i))}
				err := db.Update(ctx, func(tx *store.Tx) error {
					if err := tx.InsertAgency(a); err != nil {
						return err
					}
					if err := tx.Audit("create", "agency", a.Code, nil, a); err != nil {
						return err
					}
					if i%3 == 2 {
						return errBoom
					}
					return nil
				})
				if refused := i%3 == 2; (refused && !errors.Is(err, errBoom)) || (!refused && err != nil) {
					t.Errorf("%s: %v", a.Code, err)
				}
			}
		}()
	}
	wg.Wait()
	var entries int64
	testkit.Must(t, db.View(ctx, func(tx *store.Tx) error {
		for w := range writers {
			for i := range each {
				hits, _, _, err := tx.Search(store.SearchQuery{Terms: []string{word(w, i)}, Kinds: []string{store.SearchAgency},
					Viewer: domain.Viewer{All: true}, Limit: 5})
				if err != nil {
					return err
				}
				if want := i%3 != 2; (len(hits) == 1) != want {
					t.Errorf("search %s: %d hits, want the agency: %v", word(w, i), len(hits), want)
				}
			}
		}
		var err error
		entries, _, err = tx.VerifyAudit()
		return err
	}))
	v, err := db.Versions(ctx)
	testkit.Must(t, err)
	if entries != writers*each*2/3 || v[store.AreaRegistry] != entries {
		t.Errorf("%d audit entries, registry version %d: want %d and the newest entry", entries, v[store.AreaRegistry], writers*each*2/3)
	}
	if commits, txs := db.GroupStats(); commits >= txs {
		t.Errorf("%d transactions in %d commits: no commit was shared", txs, commits)
	}
}
