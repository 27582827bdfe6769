package sharedstate

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Remote is a store kept elsewhere (Redis) that can be probed.
type Remote interface {
	Store
	Ping(ctx context.Context) error
}

// ErrUnavailable is the answer of PutIfAbsent, Replace and Delete while the shared store is
// away: what they keep (idempotency keys) is only correct when every instance sees it.
var ErrUnavailable = errors.New("shared state: the shared store is not reachable")

// DegradedReason is what /readyz says while the shared store is away.
const DegradedReason = "redis unreachable: limits and persisted queries are per instance, writes with an idempotency key are refused"

// Fallback is the store of an instance configured with a shared store: the shared one while it
// answers; while it does not, this instance's memory for budgets, slots and caches (reads go
// on, with per-instance limits), and ErrUnavailable for the values that must be shared to be
// correct. The first failure is logged once, a probe then pings the shared store every
// probeEvery, and the first answer switches back (logged once too).
type Fallback struct {
	shared     Remote
	local      *Memory
	log        *slog.Logger
	probeEvery time.Duration

	mu      sync.Mutex
	down    bool
	probing bool
	stop    chan struct{}
}

// NewFallback returns the store over shared, falling back to local; log receives the changes.
func NewFallback(shared Remote, local *Memory, log *slog.Logger) *Fallback {
	if log == nil {
		log = slog.Default()
	}
	return &Fallback{shared: shared, local: local, log: log, probeEvery: 500 * time.Millisecond, stop: make(chan struct{})}
}

// Degraded is DegradedReason while the shared store is away, else "".
func (f *Fallback) Degraded() string {
	if f.isDown() {
		return DegradedReason
	}
	return ""
}

// Close stops the probe.
func (f *Fallback) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.stop:
	default:
		close(f.stop)
	}
}

func (f *Fallback) isDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.down
}

// failed notes that the shared store failed a call made with ctx; a call given up by its own
// caller (cancelled, past its deadline) says nothing of the store.
func (f *Fallback) failed(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.down {
		f.down = true
		f.log.Warn("shared state unreachable: falling back to per-instance limits and caches; writes with an idempotency key are refused until it is back",
			"error", err.Error())
	}
	if !f.probing {
		f.probing = true
		go f.probe()
	}
}

func (f *Fallback) probe() {
	t := time.NewTicker(f.probeEvery)
	defer t.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := f.shared.Ping(ctx)
		cancel()
		if err == nil {
			f.mu.Lock()
			f.down, f.probing = false, false
			f.mu.Unlock()
			f.log.Info("shared state reachable again: limits and caches are shared again")
			return
		}
	}
}

// Take implements Store.
func (f *Fallback) Take(ctx context.Context, key string, cost int, rate Rate) (Budget, bool, error) {
	if !f.isDown() {
		b, ok, err := f.shared.Take(ctx, key, cost, rate)
		if err == nil {
			return b, ok, nil
		}
		f.failed(ctx, err)
	}
	return f.local.Take(ctx, key, cost, rate)
}

// Acquire implements Store.
func (f *Fallback) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (func(), bool, error) {
	if !f.isDown() {
		release, ok, err := f.shared.Acquire(ctx, key, limit, ttl)
		if err == nil {
			return release, ok, nil
		}
		f.failed(ctx, err)
	}
	return f.local.Acquire(ctx, key, limit, ttl)
}

// Get implements Store.
func (f *Fallback) Get(ctx context.Context, ns, key string) (string, bool, error) {
	if !f.isDown() {
		v, ok, err := f.shared.Get(ctx, ns, key)
		if err == nil {
			return v, ok, nil
		}
		f.failed(ctx, err)
	}
	return f.local.Get(ctx, ns, key)
}

// Put implements Store.
func (f *Fallback) Put(ctx context.Context, ns, key, value string) error {
	if !f.isDown() {
		err := f.shared.Put(ctx, ns, key, value)
		if err == nil {
			return nil
		}
		f.failed(ctx, err)
	}
	return f.local.Put(ctx, ns, key, value)
}

// PutIfAbsent implements Store; ErrUnavailable while the shared store is away.
func (f *Fallback) PutIfAbsent(ctx context.Context, key, value string, ttl time.Duration) (string, bool, error) {
	if f.isDown() {
		return "", false, ErrUnavailable
	}
	current, stored, err := f.shared.PutIfAbsent(ctx, key, value, ttl)
	if err != nil {
		f.failed(ctx, err)
	}
	return current, stored, err
}

// Replace implements Store; ErrUnavailable while the shared store is away.
func (f *Fallback) Replace(ctx context.Context, key, value string, ttl time.Duration) error {
	if f.isDown() {
		return ErrUnavailable
	}
	err := f.shared.Replace(ctx, key, value, ttl)
	if err != nil {
		f.failed(ctx, err)
	}
	return err
}

// Delete implements Store; ErrUnavailable while the shared store is away.
func (f *Fallback) Delete(ctx context.Context, key string) error {
	if f.isDown() {
		return ErrUnavailable
	}
	err := f.shared.Delete(ctx, key)
	if err != nil {
		f.failed(ctx, err)
	}
	return err
}

// Open returns the store of one instance: memory alone when redisURL is empty (one instance),
// else Redis (keys prefixed "partnership-graph:") with the fallback to memory, which it returns
// too so that readiness and metrics can report it (nil for memory alone). close ends it.
func Open(redisURL string, cacheBytes map[string]int64, log *slog.Logger) (s Store, fallback *Fallback, close func(), err error) {
	local := NewMemory(cacheBytes)
	if redisURL == "" {
		return local, nil, func() {}, nil
	}
	o, err := ParseRedisURL(redisURL)
	if err != nil {
		return nil, nil, nil, err
	}
	remote := NewRedis(o, "partnership-graph:")
	f := NewFallback(remote, local, log)
	return f, f, func() { f.Close(); _ = remote.Close() }, nil
}
