package testkit

import (
	"sync"
	"time"

	"github.com/pishran/pishran/domain"
	"github.com/pishran/pishran/store"
)

// Clock is a clock a test sets and moves; On makes it a database's clock.
// It is safe to read while a server answers requests and the test moves it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// DayClock is a clock standing at 10:00 UTC on day (YYYY-MM-DD): a time
// within the day in Tehran as well as in UTC.
func DayClock(day string) *Clock { return NewClock(dayTime(day)) }

func dayTime(day string) time.Time { return domain.MustDate(day).Time().Add(10 * time.Hour) }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// SetDay puts the clock at 10:00 UTC on day, as DayClock does.
func (c *Clock) SetDay(day string) { c.Set(dayTime(day)) }

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// On makes c the clock of db and returns c.
func (c *Clock) On(db *store.DB) *Clock {
	db.SetClock(c.Now)
	return c
}
