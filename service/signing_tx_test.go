package service

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/signing"
	"github.com/pishran/pishran/store"
)

// TestPublishTx: a publication made inside another write lands with it, or
// not at all.
func TestPublishTx(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		ctx := context.Background()
		s := New(testkit.Open(t, e), slog.New(slog.DiscardHandler))
		title := domain.T("صورت‌جلسه", "Minutes")
		content := map[string]any{"meeting": "council-14/3", "held": "2024-05-01"}

		var code string
		boom := errors.New("the caller's write failed")
		err := s.update(ctx, System, func(tx *store.Tx) error {
			doc, err := s.publishTx(tx, System, signing.KindMinutes, "council-14/3", title, content)
			if err != nil {
				return err
			}
			code = doc.Code
			return boom
		})
		if !errors.Is(err, boom) || code == "" {
			t.Fatalf("update = %v, code %q", err, code)
		}
		if _, err := s.Verify(ctx, code); !domain.IsKind(err, domain.KindNotFound) {
			t.Fatalf("a rolled-back publication is visible: %v", err)
		}
		if keys, _ := s.PublicKeys(ctx); len(keys) != 0 {
			t.Fatalf("a rolled-back first publication left a key: %+v", keys)
		}

		err = s.update(ctx, System, func(tx *store.Tx) error {
			doc, err := s.publishTx(tx, System, signing.KindMinutes, "council-14/3", title, content)
			if err != nil {
				return err
			}
			code = doc.Code
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if v, err := s.Verify(ctx, code); err != nil || !v.Intact {
			t.Fatalf("published inside a transaction: %+v %v", v, err)
		}
	})
}
