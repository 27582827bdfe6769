package sharedstate

import (
	"context"
	"strings"
	"testing"
	"time"
)

var ctx = context.Background()

func TestCacheIsBoundedInBytes(t *testing.T) {
	m := NewMemory(map[string]int64{"apq": 100})
	for i, k := range []string{"a", "b", "c"} {
		if err := m.Put(ctx, "apq", k, strings.Repeat("x", 39)); err != nil {
			t.Fatal(err)
		}
		if got := m.CacheBytes("apq"); got > 100 || got < int64(40*min(i+1, 2)) {
			t.Fatalf("after %d puts the cache holds %d bytes", i+1, got)
		}
	}
	if _, ok, _ := m.Get(ctx, "apq", "a"); ok {
		t.Error("the least recently used entry was kept past the byte bound")
	}
	if v, ok, _ := m.Get(ctx, "apq", "c"); !ok || len(v) != 39 {
		t.Error("the newest entry is missing")
	}
	_ = m.Put(ctx, "apq", "huge", strings.Repeat("x", 200))
	if _, ok, _ := m.Get(ctx, "apq", "huge"); ok {
		t.Error("an entry larger than the cache was kept")
	}
	if _, ok, _ := m.Get(ctx, "apq", "c"); !ok {
		t.Error("an oversized entry evicted the others")
	}
	if _ = m.Put(ctx, "other", "k", "v"); m.CacheBytes("other") != 0 {
		t.Error("a namespace without a size keeps entries")
	}
}

func TestSlotsExpireAndRelease(t *testing.T) {
	m := NewMemory(nil)
	now := time.Unix(0, 0)
	SetClock(m, func() time.Time { return now })
	r1, ok1, _ := m.Acquire(ctx, "k", 2, time.Minute)
	_, ok2, _ := m.Acquire(ctx, "k", 2, time.Minute)
	_, ok3, _ := m.Acquire(ctx, "k", 2, time.Minute)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("acquire: %v %v %v, want true true false", ok1, ok2, ok3)
	}
	r1()
	if m.Held("k") != 1 {
		t.Fatalf("held %d after a release, want 1", m.Held("k"))
	}
	now = now.Add(2 * time.Minute)
	if _, ok, _ := m.Acquire(ctx, "k", 1, time.Minute); !ok {
		t.Fatal("a slot never released did not expire")
	}
}

func TestPutIfAbsentStoresOnceUntilExpiry(t *testing.T) {
	m := NewMemory(nil)
	now := time.Unix(1_000_000, 0)
	SetClock(m, func() time.Time { return now })
	if v, stored, err := m.PutIfAbsent(ctx, "k", "first", time.Minute); err != nil || !stored || v != "first" {
		t.Fatalf("first put: %q %v %v", v, stored, err)
	}
	if v, stored, _ := m.PutIfAbsent(ctx, "k", "second", time.Minute); stored || v != "first" {
		t.Fatalf("second put stored=%v and answered %q; want the first value kept", stored, v)
	}
	if err := m.Replace(ctx, "k", "replaced", time.Minute); err != nil {
		t.Fatal(err)
	}
	if v, stored, _ := m.PutIfAbsent(ctx, "k", "third", time.Minute); stored || v != "replaced" {
		t.Fatalf("after Replace: stored=%v, %q", stored, v)
	}
	now = now.Add(time.Minute)
	if v, stored, _ := m.PutIfAbsent(ctx, "k", "after expiry", time.Minute); !stored || v != "after expiry" {
		t.Fatalf("an expired value was kept: stored=%v, %q", stored, v)
	}
	_ = m.Delete(ctx, "k")
	if _, stored, _ := m.PutIfAbsent(ctx, "k", "after delete", time.Minute); !stored {
		t.Fatal("a deleted value was kept")
	}
}

func TestPutIfAbsentHasOneWinnerAmongConcurrentCallers(t *testing.T) {
	m := NewMemory(nil)
	wins := make(chan bool, 50)
	for i := 0; i < 50; i++ {
		go func() {
			_, stored, _ := m.PutIfAbsent(ctx, "race", "v", time.Minute)
			wins <- stored
		}()
	}
	n := 0
	for i := 0; i < 50; i++ {
		if <-wins {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d callers stored; want exactly 1", n)
	}
}
