package batch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestConcurrentLoadsShareOneFetch(t *testing.T) {
	var calls atomic.Int32
	var sizes []int
	var mu sync.Mutex
	l := New(func(ctx context.Context, keys []string) (map[string]string, error) {
		calls.Add(1)
		mu.Lock()
		sizes = append(sizes, len(keys))
		mu.Unlock()
		out := map[string]string{}
		for _, k := range keys {
			if k != "missing" {
				out[k] = "v" + k
			}
		}
		return out, nil
	}, 5*time.Millisecond)

	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			key := fmt.Sprint(i % 100) // every key asked twice
			v, ok, err := l.Load(ctx, key)
			if err != nil || !ok || v != "v"+key {
				errs <- fmt.Errorf("Load(%s) = %q %v %v", key, v, ok, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if calls.Load() != 1 || sizes[0] != 100 {
		t.Errorf("fetches = %d with sizes %v, want 1 fetch of 100 distinct keys", calls.Load(), sizes)
	}
	// Cached for the rest of the request.
	if _, _, err := l.Load(ctx, "5"); err != nil || calls.Load() != 1 {
		t.Errorf("cached load fetched again: calls=%d err=%v", calls.Load(), err)
	}
	if _, ok, err := l.Load(ctx, "missing"); ok || err != nil {
		t.Errorf("missing key: ok=%v err=%v", ok, err)
	}
}

func TestLoadManyKeepsOrderAndSkipsMissing(t *testing.T) {
	l := New(func(ctx context.Context, keys []string) (map[string]int, error) {
		return map[string]int{"a": 1, "c": 3}, nil
	}, time.Millisecond)
	got, err := l.LoadMany(context.Background(), []string{"c", "b", "a"})
	if err != nil || fmt.Sprint(got) != "[3 1]" {
		t.Errorf("LoadMany = %v %v, want [3 1]", got, err)
	}
}

func TestFailedFetchIsNotCached(t *testing.T) {
	var calls atomic.Int32
	l := New(func(ctx context.Context, keys []string) (map[string]int, error) {
		if calls.Add(1) == 1 {
			return nil, errors.New("database away")
		}
		return map[string]int{"k": 7}, nil
	}, time.Millisecond)
	if _, _, err := l.Load(context.Background(), "k"); err == nil {
		t.Fatal("first load: want the fetch error")
	}
	v, ok, err := l.Load(context.Background(), "k")
	if err != nil || !ok || v != 7 {
		t.Errorf("second load = %v %v %v, want 7", v, ok, err)
	}
}

func TestCancelledContextStopsWaiting(t *testing.T) {
	release := make(chan struct{})
	l := New(func(ctx context.Context, keys []string) (map[string]int, error) {
		<-release
		return nil, nil
	}, time.Millisecond)
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, _, err := l.Load(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
}

func TestPrimedKeysAreNotFetched(t *testing.T) {
	var fetched []string
	l := New(func(_ context.Context, keys []string) (map[string]int, error) {
		fetched = append(fetched, keys...)
		out := map[string]int{}
		for _, k := range keys {
			out[k] = len(k)
		}
		return out, nil
	}, time.Millisecond)
	l.Prime(map[string]int{"a": 42})
	v, ok, err := l.Load(context.Background(), "a")
	if err != nil || !ok || v != 42 {
		t.Fatalf("primed key: got %v %v %v, want 42 true nil", v, ok, err)
	}
	if v, _, _ := l.Load(context.Background(), "bb"); v != 2 {
		t.Fatalf("unprimed key: got %v, want 2", v)
	}
	if len(fetched) != 1 || fetched[0] != "bb" {
		t.Fatalf("fetched %v, want only [bb]", fetched)
	}
}
