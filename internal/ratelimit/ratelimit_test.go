package ratelimit

import (
	"context"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
)

var ctx = context.Background()

func TestBucketSpendsAndRefills(t *testing.T) {
	state := sharedstate.NewMemory(nil)
	now := time.Unix(0, 0)
	sharedstate.SetClock(state, func() time.Time { return now })
	l := New(state, Policy{Burst: 100, PerSecond: 10})
	if ok, b := l.Take(ctx, "a", 60); !ok || b.Remaining != 40 || b.Limit != 100 || b.Reset != 6*time.Second {
		t.Fatalf("first take: %v %+v", ok, b)
	}
	if ok, b := l.Take(ctx, "a", 50); ok || b.Remaining != 40 || b.RetryAfter != time.Second {
		t.Fatalf("over budget: %v %+v", ok, b)
	}
	if ok, _ := l.Take(ctx, "b", 100); !ok {
		t.Fatal("another client shares the budget")
	}
	now = now.Add(time.Second)
	if ok, b := l.Take(ctx, "a", 50); !ok || b.Remaining != 0 {
		t.Fatalf("after a second: %v %+v", ok, b)
	}
	now = now.Add(time.Hour)
	if ok, b := l.Take(ctx, "a", 0); !ok || b.Remaining != 100 {
		t.Fatalf("a cost of 0 reads the bucket, which never overfills: %v %+v", ok, b)
	}
	if ok, b := l.Take(ctx, "a", 1000); ok || b.RetryAfter != 10*time.Second {
		t.Fatalf("a cost above the bucket: %v %+v", ok, b)
	}
}

func TestConcurrencyCaps(t *testing.T) {
	l := New(sharedstate.NewMemory(nil), Policy{PerClient: 2, InFlight: 4, Reserved: 1})
	ra, why := l.Enter(ctx, "a", true)
	rb, why2 := l.Enter(ctx, "a", true)
	if why != Admitted || why2 != Admitted {
		t.Fatal("two requests refused")
	}
	if _, why := l.Enter(ctx, "a", true); why != ClientBusy {
		t.Fatalf("a third concurrent request: %v, want ClientBusy", why)
	}
	if _, why := l.Enter(ctx, "b", true); why != Admitted {
		t.Fatal("another client was refused")
	}
	// Anonymous callers hold 3 of 4: the last slot is kept for a key.
	if _, why := l.Enter(ctx, "c", true); why != Overloaded {
		t.Fatalf("anonymous caller past the anonymous share: %v, want Overloaded", why)
	}
	rk, why := l.Enter(ctx, "key", false)
	if why != Admitted {
		t.Fatalf("keyed caller refused with room reserved: %v", why)
	}
	if _, why := l.Enter(ctx, "key2", false); why != Overloaded {
		t.Fatalf("past the overall cap: %v, want Overloaded", why)
	}
	ra()
	ra() // twice is harmless
	if _, why := l.Enter(ctx, "a", true); why != Admitted {
		t.Fatal("refused after one left")
	}
	rb()
	rk()
}

func TestScanCapKeepsRoomForKeys(t *testing.T) {
	l := New(sharedstate.NewMemory(nil), Policy{Scans: 2, ScansReserved: 1})
	r1, ok := l.EnterScan(ctx, true)
	if !ok {
		t.Fatal("first anonymous scan refused")
	}
	if _, ok := l.EnterScan(ctx, true); ok {
		t.Fatal("a second anonymous scan took the reserved slot")
	}
	r2, ok := l.EnterScan(ctx, false)
	if !ok {
		t.Fatal("keyed scan refused")
	}
	if _, ok := l.EnterScan(ctx, false); ok {
		t.Fatal("a third scan passed the cap of 2")
	}
	r1()
	r2()
	if _, ok := l.EnterScan(ctx, true); !ok {
		t.Fatal("refused after both ended")
	}
}

func TestAnalysesCapKeepsRoomForKeys(t *testing.T) {
	l := New(sharedstate.NewMemory(nil), Policy{Analyses: 3, AnalysesReserved: 1})
	r1, ok1 := l.EnterAnalysis(ctx, true)
	r2, ok2 := l.EnterAnalysis(ctx, true)
	_, ok3 := l.EnterAnalysis(ctx, true)
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("anonymous analyses: %v %v %v, want two of three", ok1, ok2, ok3)
	}
	r4, ok4 := l.EnterAnalysis(ctx, false)
	if !ok4 {
		t.Fatal("a keyed analysis was refused with a slot reserved")
	}
	if _, ok := l.EnterAnalysis(ctx, false); ok {
		t.Fatal("past the cap of 3")
	}
	r1()
	r2()
	r4()
}
