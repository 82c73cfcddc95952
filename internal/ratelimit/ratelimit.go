// Package ratelimit is a token bucket per client address, in memory: each
// failed sign-in from an address takes a token, and tokens come back at a
// steady rate up to the burst. It slows down guessing across many accounts
// from one place, which the per-account lock (kept in the database) does
// not. Being in memory, each instance counts on its own; behind a proxy
// every client shares the proxy's address (forwarding headers are not
// trusted). The API and the sign-in page share one Limiter.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter holds one bucket per address.
type Limiter struct {
	mu      sync.Mutex
	burst   float64
	refill  time.Duration
	buckets map[string]*bucket
	// Now is the clock; tests may replace it.
	Now func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxTracked is how many addresses are tracked before full buckets are swept.
const maxTracked = 10000

// New returns a limiter letting burst failures through at once, then one
// more every refill. Zero values take the defaults (20, 6 s).
func New(burst int, refill time.Duration) *Limiter {
	if burst <= 0 {
		burst = 20
	}
	if refill <= 0 {
		refill = 6 * time.Second
	}
	return &Limiter{burst: float64(burst), refill: refill, buckets: map[string]*bucket{}, Now: time.Now}
}

// level brings an address's bucket up to now; the lock is held.
func (l *Limiter) level(addr string, now time.Time) *bucket {
	b := l.buckets[addr]
	if b == nil {
		if len(l.buckets) >= maxTracked {
			for k, x := range l.buckets {
				if x.tokens+float64(now.Sub(x.at))/float64(l.refill) >= l.burst {
					delete(l.buckets, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[addr] = b
		return b
	}
	b.tokens = math.Min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.refill))
	b.at = now
	return b
}

// Wait returns how long the address must wait before its next attempt (0:
// it may try now).
func (l *Limiter) Wait(addr string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.level(addr, l.Now())
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(l.refill))
}

// Fail takes a token for a failed attempt.
func (l *Limiter) Fail(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.level(addr, l.Now())
	b.tokens = math.Max(0, b.tokens-1)
}
