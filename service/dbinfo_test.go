package service_test

import (
	"context"
	"testing"

	"github.com/pishran/pishran/internal/testkit"
	"github.com/pishran/pishran/internal/testkit/scenario"
)

// TestPingEngineAndPools checks what the doors read of the database through
// the service (the health check and the pool metrics) instead of svc.DB().
func TestPingEngineAndPools(t *testing.T) {
	testkit.EachEngine(t, func(t *testing.T, e testkit.Engine) {
		env := scenario.New(t, e)
		db, svc := env.DB, env.Svc
		if err := svc.Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if got := svc.Engine(); got != e.Name || got != string(db.Engine()) {
			t.Errorf("Engine() = %q, want %q", got, e.Name)
		}
		w, r := svc.Pools()
		dw, dr := db.Pools()
		if w == nil || r == nil || w != dw || r != dr {
			t.Errorf("Pools() = %p, %p; the store's are %p, %p", w, r, dw, dr)
		}
		if e.Name == "sqlite" && w == r {
			t.Error("SQLite's write and read pools are the same pool")
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := svc.Ping(ctx); err == nil {
			t.Error("Ping with a cancelled context succeeded")
		}
	})
}
