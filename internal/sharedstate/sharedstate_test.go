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
