// Package sharedstate keeps the state that every instance of the API must agree on (cost
// budgets, counts of requests in flight, persisted queries) behind one small interface: in
// memory for a single instance, shared when several run behind one address.
package sharedstate

import (
	"container/list"
	"context"
	"errors"
	"math"
	"sync"
	"time"
)

// Store is the state shared by the instances of the API. Every method may fail when the state
// lives elsewhere; callers decide whether to fail open or closed.
type Store interface {
	// Take spends cost points (0 only reads the bucket) from the bucket named key, of size rate.Burst and
	// refilled at rate.PerSecond. When the bucket holds less than cost, nothing is spent and ok is
	// false.
	Take(ctx context.Context, key string, cost int, rate Rate) (b Budget, ok bool, err error)
	// Acquire takes one of limit slots named key. ok is false when all are held. release gives the
	// slot back (calling it twice is harmless); a slot not released within ttl is freed anyway,
	// so an instance that dies does not hold slots for ever.
	Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (release func(), ok bool, err error)
	// Get returns the value stored under key in the cache named ns.
	Get(ctx context.Context, ns, key string) (value string, ok bool, err error)
	// Put stores value under key in the cache named ns; the cache forgets its least recently used
	// entries beyond its size in bytes (keys and values).
	Put(ctx context.Context, ns, key, value string) error
	// PutIfAbsent stores value under key, for ttl, unless a value that has not expired is there:
	// then it returns that one and stored is false. Exactly one of several concurrent callers
	// stores (the idempotency keys of mutations rely on it).
	PutIfAbsent(ctx context.Context, key, value string, ttl time.Duration) (current string, stored bool, err error)
	// Replace stores value under key for ttl, whatever is there.
	Replace(ctx context.Context, key, value string, ttl time.Duration) error
	// Delete forgets key (a value PutIfAbsent or Replace stored).
	Delete(ctx context.Context, key string) error
}

// Rate is the size and refill of a cost bucket.
type Rate struct {
	Burst     int // points the bucket holds when full
	PerSecond int // points it gets back every second
}

// Budget is the state of a bucket after Take.
type Budget struct {
	Limit      int           // bucket size
	Remaining  int           // points left
	Reset      time.Duration // until the bucket is full again
	RetryAfter time.Duration // when refused: until enough points are back
}

// Memory is the Store of a single instance.
type Memory struct {
	now       func() time.Time
	cacheSize map[string]int64

	mu       sync.Mutex
	buckets  map[string]*bucket
	slots    map[string]*slotSet
	caches   map[string]*cache
	expiring map[string]expiringValue
}

// expiringValue is a value of PutIfAbsent or Replace and when it expires.
type expiringValue struct {
	value   string
	expires time.Time
}

// maxExpiring bounds the values kept by PutIfAbsent and Replace: past it, expired ones are
// dropped, and if none has expired the new one is refused (ErrFull).
const maxExpiring = 100_000

// ErrFull is the answer of PutIfAbsent and Replace when the store holds as many unexpired
// values as it may.
var ErrFull = errors.New("shared state: too many values held")

// NewMemory returns an in-memory store whose caches hold at most cacheBytes[ns] bytes each
// (a namespace not listed holds nothing).
func NewMemory(cacheBytes map[string]int64) *Memory {
	return &Memory{now: time.Now, cacheSize: cacheBytes, buckets: map[string]*bucket{},
		slots: map[string]*slotSet{}, caches: map[string]*cache{}, expiring: map[string]expiringValue{}}
}

type bucket struct {
	tokens  float64
	updated time.Time
	rate    Rate
}

// Take implements Store.
func (m *Memory) Take(_ context.Context, key string, cost int, rate Rate) (Budget, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	burst, per := float64(rate.Burst), float64(rate.PerSecond)
	b, found := m.buckets[key]
	if !found {
		if len(m.buckets) > 10_000 {
			m.forgetFullBuckets(now)
		}
		b = &bucket{tokens: burst, updated: now}
		m.buckets[key] = b
	}
	b.rate = rate
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.updated).Seconds()*per)
	b.updated = now
	need := float64(max(cost, 0))
	ok := b.tokens >= need
	if ok {
		b.tokens -= need
	}
	out := Budget{Limit: rate.Burst, Remaining: int(math.Floor(b.tokens)), Reset: seconds(burst-b.tokens, per)}
	if !ok {
		out.RetryAfter = seconds(need-b.tokens, per)
		if need > burst {
			out.RetryAfter = seconds(burst, per) // never enough: the caller must ask for less
		}
	}
	return out, ok, nil
}

// forgetFullBuckets drops the buckets that have refilled, so the map holds only the clients that
// spent something lately.
func (m *Memory) forgetFullBuckets(now time.Time) {
	for key, b := range m.buckets {
		if b.tokens+now.Sub(b.updated).Seconds()*float64(b.rate.PerSecond) >= float64(b.rate.Burst) {
			delete(m.buckets, key)
		}
	}
}

func seconds(points, perSecond float64) time.Duration {
	if points <= 0 || perSecond <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(points/perSecond)) * time.Second
}

type slotSet struct {
	next    uint64
	holders map[uint64]time.Time // holder -> expiry
}

// Acquire implements Store.
func (m *Memory) Acquire(_ context.Context, key string, limit int, ttl time.Duration) (func(), bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	s, found := m.slots[key]
	if !found {
		s = &slotSet{holders: map[uint64]time.Time{}}
		m.slots[key] = s
	}
	for id, expiry := range s.holders {
		if !now.Before(expiry) {
			delete(s.holders, id)
		}
	}
	if len(s.holders) >= limit {
		return func() {}, false, nil
	}
	s.next++
	id := s.next
	s.holders[id] = now.Add(ttl)
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			defer m.mu.Unlock()
			delete(s.holders, id)
			if len(s.holders) == 0 && m.slots[key] == s {
				delete(m.slots, key)
			}
		})
	}, true, nil
}

// Held returns how many slots named key are held (for tests and metrics).
func (m *Memory) Held(key string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.slots[key]; ok {
		return len(s.holders)
	}
	return 0
}

// cache is an LRU bounded in bytes.
type cache struct {
	max, used int64
	order     *list.List // front: most recently used
	entries   map[string]*list.Element
}

type entry struct{ key, value string }

func (m *Memory) cacheOf(ns string) *cache {
	c, ok := m.caches[ns]
	if !ok {
		c = &cache{max: m.cacheSize[ns], order: list.New(), entries: map[string]*list.Element{}}
		m.caches[ns] = c
	}
	return c
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, ns, key string) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cacheOf(ns)
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry).value, true, nil
	}
	return "", false, nil
}

// Put implements Store.
func (m *Memory) Put(_ context.Context, ns, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cacheOf(ns)
	size := int64(len(key) + len(value))
	if size > c.max {
		return nil // larger than the whole cache: never kept
	}
	if e, ok := c.entries[key]; ok {
		c.used -= int64(len(key) + len(e.Value.(*entry).value))
		c.order.Remove(e)
		delete(c.entries, key)
	}
	for c.used+size > c.max {
		last := c.order.Back()
		old := last.Value.(*entry)
		c.used -= int64(len(old.key) + len(old.value))
		c.order.Remove(last)
		delete(c.entries, old.key)
	}
	c.entries[key] = c.order.PushFront(&entry{key: key, value: value})
	c.used += size
	return nil
}

// CacheBytes returns the bytes held by the cache named ns (for tests and metrics).
func (m *Memory) CacheBytes(ns string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cacheOf(ns).used
}

// SetClock replaces the clock of an in-memory store (tests).
func SetClock(m *Memory, now func() time.Time) { m.now = now }

// PutIfAbsent implements Store.
func (m *Memory) PutIfAbsent(_ context.Context, key, value string, ttl time.Duration) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if v, ok := m.expiring[key]; ok && now.Before(v.expires) {
		return v.value, false, nil
	}
	if err := m.roomFor(key, now); err != nil {
		return "", false, err
	}
	m.expiring[key] = expiringValue{value: value, expires: now.Add(ttl)}
	return value, true, nil
}

// Replace implements Store.
func (m *Memory) Replace(_ context.Context, key, value string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if err := m.roomFor(key, now); err != nil {
		return err
	}
	m.expiring[key] = expiringValue{value: value, expires: now.Add(ttl)}
	return nil
}

// Delete implements Store.
func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.expiring, key)
	return nil
}

// roomFor makes room for one more expiring value under key, dropping expired ones when full.
func (m *Memory) roomFor(key string, now time.Time) error {
	if _, held := m.expiring[key]; held || len(m.expiring) < maxExpiring {
		return nil
	}
	for k, v := range m.expiring {
		if !now.Before(v.expires) {
			delete(m.expiring, k)
		}
	}
	if len(m.expiring) >= maxExpiring {
		return ErrFull
	}
	return nil
}
