package ratelimit

import (
	"testing"
	"time"
)

// TestLimiter: an address's bucket empties after the burst and refills
// with time; other addresses are untouched.
func TestLimiter(t *testing.T) {
	now := time.Unix(0, 0)
	l := New(3, 10*time.Second)
	l.Now = func() time.Time { return now }
	for range 3 {
		if d := l.Wait("a"); d != 0 {
			t.Fatalf("waited %v within the burst", d)
		}
		l.Fail("a")
	}
	if d := l.Wait("a"); d != 10*time.Second {
		t.Errorf("after the burst: wait %v, want 10s", d)
	}
	if d := l.Wait("b"); d != 0 {
		t.Errorf("another address waits %v", d)
	}
	now = now.Add(10 * time.Second)
	if d := l.Wait("a"); d != 0 {
		t.Errorf("after a refill: wait %v", d)
	}
}
