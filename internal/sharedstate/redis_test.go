package sharedstate_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// twoInstances returns two Redis stores over one redis-server, as two API instances have.
func twoInstances(t *testing.T, server *testenv.RedisServer) (a, b *sharedstate.Redis) {
	t.Helper()
	prefix := "test:" + t.Name() + ":"
	for _, p := range []**sharedstate.Redis{&a, &b} {
		o, err := sharedstate.ParseRedisURL(server.URL)
		if err != nil {
			t.Fatal(err)
		}
		*p = sharedstate.NewRedis(o, prefix)
		t.Cleanup(func() { _ = (*p).Close() })
	}
	return a, b
}

// sharedRedis starts the test's own redis-server (tests of the package run one at a time).
func sharedRedis(t *testing.T) *testenv.RedisServer { return testenv.Redis(t, testenv.Port(5)) }

func TestRedisBudgetIsOneAcrossInstances(t *testing.T) {
	a, b := twoInstances(t, sharedRedis(t))
	ctx := context.Background()
	rate := sharedstate.Rate{Burst: 100, PerSecond: 1}
	if _, ok, err := a.Take(ctx, "budget:c", 60, rate); err != nil || !ok {
		t.Fatalf("first 60 of 100 points on A: ok %v, err %v", ok, err)
	}
	got, ok, err := b.Take(ctx, "budget:c", 60, rate)
	if err != nil || ok {
		t.Fatalf("60 more points on B: ok %v, err %v; want refused (one budget)", ok, err)
	}
	if got.Limit != 100 || got.RetryAfter < time.Second || got.Remaining > 40 {
		t.Errorf("refusal on B: %+v, want limit 100, at most 40 left, a retry after", got)
	}
	read, ok, err := b.Take(ctx, "budget:c", 0, rate)
	if err != nil || !ok || read.Remaining < 39 || read.Remaining > 40 {
		t.Errorf("a cost of 0 reads the bucket: %+v ok %v err %v, want about 40 left", read, ok, err)
	}
	if _, ok, _ := a.Take(ctx, "budget:c", 40, rate); !ok && read.Remaining == 40 {
		t.Error("what remains cannot be spent")
	}
	huge, ok, _ := a.Take(ctx, "budget:other", 101, rate)
	if ok || huge.RetryAfter != 100*time.Second {
		t.Errorf("a cost above the bucket: ok %v, retry after %v; want refused, retry after a full refill (100s)", ok, huge.RetryAfter)
	}
}

func TestRedisSlotsAreSharedAndExpire(t *testing.T) {
	a, b := twoInstances(t, sharedRedis(t))
	ctx := context.Background()
	r1, ok1, err1 := a.Acquire(ctx, "inflight:all", 2, time.Minute)
	_, ok2, err2 := b.Acquire(ctx, "inflight:all", 2, time.Minute)
	_, ok3, err3 := b.Acquire(ctx, "inflight:all", 2, time.Minute)
	if err := errors.Join(err1, err2, err3); err != nil || !ok1 || !ok2 || ok3 {
		t.Fatalf("acquire on A, B, B: %v %v %v (err %v), want true true false", ok1, ok2, ok3, err)
	}
	r1()
	r1() // twice is harmless
	if _, ok, _ := b.Acquire(ctx, "inflight:all", 2, time.Minute); !ok {
		t.Fatal("a slot released on A is not free on B")
	}
	// A holder that dies never releases: its slot goes with its ttl.
	if _, ok, _ := a.Acquire(ctx, "inflight:dead", 1, 300*time.Millisecond); !ok {
		t.Fatal("first slot refused")
	}
	if _, ok, _ := b.Acquire(ctx, "inflight:dead", 1, time.Minute); ok {
		t.Fatal("a held slot was given twice")
	}
	time.Sleep(400 * time.Millisecond)
	if _, ok, _ := b.Acquire(ctx, "inflight:dead", 1, time.Minute); !ok {
		t.Fatal("a slot never released did not expire")
	}
}

func TestRedisPutIfAbsentStoresOnceAcrossInstances(t *testing.T) {
	a, b := twoInstances(t, sharedRedis(t))
	ctx := context.Background()
	var stored sync.Map
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func(s *sharedstate.Redis, v string) {
			defer wg.Done()
			if _, ok, err := s.PutIfAbsent(ctx, "idempotency:k", v, time.Minute); err != nil {
				t.Error(err)
			} else if ok {
				stored.Store(v, true)
			}
		}([]*sharedstate.Redis{a, b}[i%2], string(rune('a'+i)))
	}
	wg.Wait()
	n := 0
	stored.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Fatalf("%d of 20 concurrent callers stored, want exactly 1", n)
	}
	if err := a.Replace(ctx, "idempotency:k", "done", time.Minute); err != nil {
		t.Fatal(err)
	}
	if cur, ok, _ := b.PutIfAbsent(ctx, "idempotency:k", "again", time.Minute); ok || cur != "done" {
		t.Fatalf("after Replace on A, B sees %q (stored %v), want done", cur, ok)
	}
	if err := b.Delete(ctx, "idempotency:k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.PutIfAbsent(ctx, "idempotency:k", "new", time.Minute); !ok {
		t.Fatal("a deleted key is still held")
	}
}

func TestRedisCacheIsShared(t *testing.T) {
	a, b := twoInstances(t, sharedRedis(t))
	ctx := context.Background()
	if _, ok, err := b.Get(ctx, "apq", "h"); ok || err != nil {
		t.Fatalf("empty cache: ok %v err %v", ok, err)
	}
	if err := a.Put(ctx, "apq", "h", "{ about { version } }"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := b.Get(ctx, "apq", "h"); !ok || err != nil || v != "{ about { version } }" {
		t.Fatalf("put on A, get on B: %q %v %v", v, ok, err)
	}
}

func TestFallbackWhileRedisIsAway(t *testing.T) {
	server := sharedRedis(t)
	shared, other := twoInstances(t, server)
	f := sharedstate.NewFallback(shared, sharedstate.NewMemory(map[string]int64{"apq": 1 << 20}), nil)
	defer f.Close()
	ctx := context.Background()
	rate := sharedstate.Rate{Burst: 10, PerSecond: 1}
	if _, ok, err := f.Take(ctx, "budget:c", 10, rate); !ok || err != nil || f.Degraded() != "" {
		t.Fatalf("with Redis up: ok %v err %v degraded %q", ok, err, f.Degraded())
	}

	server.Stop(t)
	// Reads go on: budgets, slots and caches come from this instance's memory.
	if _, ok, err := f.Take(ctx, "budget:c", 5, rate); !ok || err != nil {
		t.Fatalf("budget with Redis away: ok %v err %v, want the per-instance budget", ok, err)
	}
	if f.Degraded() != sharedstate.DegradedReason {
		t.Fatalf("degraded %q, want %q", f.Degraded(), sharedstate.DegradedReason)
	}
	release, ok, err := f.Acquire(ctx, "inflight:all", 1, time.Minute)
	if !ok || err != nil {
		t.Fatalf("slot with Redis away: ok %v err %v", ok, err)
	}
	if _, ok, _ := f.Acquire(ctx, "inflight:all", 1, time.Minute); ok {
		t.Error("the per-instance slots do not bound")
	}
	release()
	if err := f.Put(ctx, "apq", "h", "q"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := f.Get(ctx, "apq", "h"); !ok || v != "q" {
		t.Error("the per-instance cache does not answer")
	}
	// What must be shared to be correct is refused.
	if _, _, err := f.PutIfAbsent(ctx, "idempotency:k", "v", time.Minute); !errors.Is(err, sharedstate.ErrUnavailable) {
		t.Errorf("PutIfAbsent with Redis away: %v, want ErrUnavailable", err)
	}
	if err := f.Replace(ctx, "idempotency:k", "v", time.Minute); !errors.Is(err, sharedstate.ErrUnavailable) {
		t.Errorf("Replace with Redis away: %v, want ErrUnavailable", err)
	}

	server.Start(t)
	deadline := time.Now().Add(10 * time.Second)
	for f.Degraded() != "" {
		if time.Now().After(deadline) {
			t.Fatal("still degraded 10s after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Shared again: what this instance spends, the other one sees.
	if _, ok, err := f.Take(ctx, "budget:again", 10, rate); !ok || err != nil {
		t.Fatalf("after the restart: ok %v err %v", ok, err)
	}
	if _, ok, _ := other.Take(ctx, "budget:again", 1, rate); ok {
		t.Error("after the restart the budget is not shared")
	}
	if _, stored, err := f.PutIfAbsent(ctx, "idempotency:k", "v", time.Minute); !stored || err != nil {
		t.Errorf("idempotency keys after the restart: stored %v err %v", stored, err)
	}
}
