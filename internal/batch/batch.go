// Package batch gathers the keys that concurrent resolvers ask for during a short window and
// fetches them with one call, so a GraphQL request costs one round trip per field and level.
package batch

import (
	"context"
	"sync"
	"time"
)

// FetchFunc fetches the values of many keys at once. Keys without a value are left out of the map.
type FetchFunc[V any] func(ctx context.Context, keys []string) (map[string]V, error)

// Loader batches and caches look-ups for the lifetime of one request.
type Loader[V any] struct {
	fetch FetchFunc[V]
	wait  time.Duration
	max   time.Duration

	mu      sync.Mutex
	pending *call[V]
	done    map[string]*call[V]
}

type call[V any] struct {
	opened time.Time
	last   time.Time // when the latest key joined
	keys   []string
	seen   map[string]bool
	ready  chan struct{}
	values map[string]V
	err    error
}

// New returns a loader whose batches close once no key has joined for `wait`, or 10 x wait after
// they opened, whichever comes first.
func New[V any](fetch FetchFunc[V], wait time.Duration) *Loader[V] {
	return &Loader[V]{fetch: fetch, wait: wait, max: 10 * wait, done: map[string]*call[V]{}}
}

// Load returns the value for key, and whether one exists.
func (l *Loader[V]) Load(ctx context.Context, key string) (V, bool, error) {
	c := l.enqueue(ctx, key)
	select {
	case <-c.ready:
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
	if c.err != nil {
		var zero V
		return zero, false, c.err
	}
	v, ok := c.values[key]
	return v, ok, nil
}

func (l *Loader[V]) enqueue(ctx context.Context, key string) *call[V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.done[key]; ok {
		return c
	}
	now := time.Now()
	if l.pending == nil {
		c := &call[V]{opened: now, seen: map[string]bool{}, ready: make(chan struct{})}
		l.pending = c
		// The batch runs under the context of the caller that opened it: all callers of one
		// loader belong to the same GraphQL request, so they share its deadline.
		go l.run(ctx, c)
	}
	c := l.pending
	c.last = now
	if !c.seen[key] {
		c.seen[key] = true
		c.keys = append(c.keys, key)
	}
	l.done[key] = c
	return c
}

func (l *Loader[V]) run(ctx context.Context, c *call[V]) {
	// Keys of sibling resolvers arrive in a burst; wait until the burst is over.
	for {
		time.Sleep(l.wait)
		l.mu.Lock()
		now := time.Now()
		if now.Sub(c.last) >= l.wait || now.Sub(c.opened) >= l.max {
			l.pending = nil
			l.mu.Unlock()
			break
		}
		l.mu.Unlock()
	}
	// Keys are read only after the batch is closed, so no lock is needed from here on.
	c.values, c.err = l.fetch(ctx, c.keys)
	if c.err != nil {
		// A failed batch is not cached: a later look-up in the same request tries again.
		l.mu.Lock()
		for _, k := range c.keys {
			if l.done[k] == c {
				delete(l.done, k)
			}
		}
		l.mu.Unlock()
	}
	close(c.ready)
}

// LoadMany returns the values for several keys from as few batches as possible, in key order;
// keys without a value are skipped.
func (l *Loader[V]) LoadMany(ctx context.Context, keys []string) ([]V, error) {
	calls := make([]*call[V], len(keys))
	for i, k := range keys {
		calls[i] = l.enqueue(ctx, k)
	}
	out := make([]V, 0, len(keys))
	for i, c := range calls {
		select {
		case <-c.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if c.err != nil {
			return nil, c.err
		}
		if v, ok := c.values[keys[i]]; ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// Prime stores values fetched elsewhere (for example by a look-ahead over the query) as if a
// batch had fetched them; keys already loaded or pending keep what they have.
func (l *Loader[V]) Prime(values map[string]V) {
	c := &call[V]{values: values, ready: make(chan struct{})}
	close(c.ready)
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range values {
		if _, ok := l.done[k]; !ok {
			l.done[k] = c
		}
	}
}
