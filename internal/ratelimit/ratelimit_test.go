package ratelimit

import (
	"testing"
	"time"
)

func TestBucketSpendsAndRefills(t *testing.T) {
	l := New(100, 10, 2)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	if ok, b := l.Take("a", 60); !ok || b.Remaining != 40 || b.Limit != 100 || b.Reset != 6*time.Second {
		t.Fatalf("first take: %v %+v", ok, b)
	}
	if ok, b := l.Take("a", 50); ok || b.Remaining != 40 || b.RetryAfter != time.Second {
		t.Fatalf("over budget: %v %+v", ok, b)
	}
	if ok, _ := l.Take("b", 100); !ok {
		t.Fatal("another client shares the budget")
	}
	now = now.Add(time.Second)
	if ok, b := l.Take("a", 50); !ok || b.Remaining != 0 {
		t.Fatalf("after a second: %v %+v", ok, b)
	}
	now = now.Add(time.Hour)
	if ok, b := l.Take("a", 0); !ok || b.Remaining != 99 {
		t.Fatalf("a cost of 0 still costs 1 and the bucket never overfills: %v %+v", ok, b)
	}
	if ok, b := l.Take("a", 1000); ok || b.RetryAfter != 10*time.Second {
		t.Fatalf("a cost above the bucket: %v %+v", ok, b)
	}
}

func TestConcurrencyCap(t *testing.T) {
	l := New(100, 10, 2)
	if !l.Enter("a") || !l.Enter("a") {
		t.Fatal("two requests refused")
	}
	if l.Enter("a") {
		t.Fatal("a third concurrent request passed")
	}
	if !l.Enter("b") {
		t.Fatal("another client was refused")
	}
	l.Leave("a")
	if !l.Enter("a") {
		t.Fatal("refused after one left")
	}
}
