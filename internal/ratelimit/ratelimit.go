// Package ratelimit keeps a cost budget (token bucket) and a cap on concurrent requests per client.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter holds one bucket and one concurrency counter per client.
type Limiter struct {
	burst      float64 // bucket size, in cost points
	perSecond  float64 // refill rate
	concurrent int     // requests in flight per client
	now        func() time.Time

	mu      sync.Mutex
	clients map[string]*client
}

type client struct {
	tokens   float64
	updated  time.Time
	inFlight int
}

// New returns a limiter: each client may spend burst points at once, gets perSecond points back
// every second, and may have `concurrent` requests in flight.
func New(burst, perSecond, concurrent int) *Limiter {
	return &Limiter{burst: float64(burst), perSecond: float64(perSecond), concurrent: concurrent,
		now: time.Now, clients: map[string]*client{}}
}

// Budget is the state of a client's bucket after a request.
type Budget struct {
	Limit      int           // bucket size
	Remaining  int           // points left
	Reset      time.Duration // until the bucket is full again
	RetryAfter time.Duration // when refused: until enough points are back
}

// Take spends cost points of client's budget; ok is false (and nothing is spent) when the budget
// holds less than cost. A cost above the bucket size can never pass.
func (l *Limiter) Take(name string, cost int) (ok bool, b Budget) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.client(name)
	need := float64(max(cost, 1))
	ok = c.tokens >= need
	if ok {
		c.tokens -= need
	}
	b = Budget{Limit: int(l.burst), Remaining: int(math.Floor(c.tokens)), Reset: l.seconds(l.burst - c.tokens)}
	if !ok {
		b.RetryAfter = l.seconds(need - c.tokens)
		if need > l.burst {
			b.RetryAfter = l.seconds(l.burst) // never enough: the caller must ask for less
		}
	}
	return ok, b
}

// Enter counts a request in flight for client; ok is false when the client has the maximum in
// flight already. Every successful Enter must be followed by Leave.
func (l *Limiter) Enter(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.client(name)
	if c.inFlight >= l.concurrent {
		return false
	}
	c.inFlight++
	return true
}

// Leave ends a request counted by Enter.
func (l *Limiter) Leave(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.client(name).inFlight--
}

// client returns the refilled bucket of a client; full buckets of idle clients are forgotten
// when the map grows, so it holds only the clients that have spent something lately.
func (l *Limiter) client(name string) *client {
	now := l.now()
	c, ok := l.clients[name]
	if !ok {
		if len(l.clients) > 10_000 {
			l.forgetIdle(now)
		}
		c = &client{tokens: l.burst, updated: now}
		l.clients[name] = c
	}
	c.tokens = math.Min(l.burst, c.tokens+now.Sub(c.updated).Seconds()*l.perSecond)
	c.updated = now
	return c
}

func (l *Limiter) forgetIdle(now time.Time) {
	for name, c := range l.clients {
		if c.inFlight == 0 && c.tokens+now.Sub(c.updated).Seconds()*l.perSecond >= l.burst {
			delete(l.clients, name)
		}
	}
}

func (l *Limiter) seconds(points float64) time.Duration {
	if points <= 0 || l.perSecond <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(points/l.perSecond)) * time.Second
}
