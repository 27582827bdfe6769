package store

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func newTestBreaker(probe func(context.Context) error) *breaker {
	return &breaker{probe: probe, interval: 10 * time.Millisecond, stop: make(chan struct{})}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("never: %s", what)
}

func TestBreakerClosesOnlyWhenAProbeSucceeds(t *testing.T) {
	var up atomic.Bool
	b := newTestBreaker(func(context.Context) error {
		if up.Load() {
			return nil
		}
		return errors.New("away")
	})
	defer close(b.stop)
	b.trip()
	time.Sleep(50 * time.Millisecond)
	if !b.open() {
		t.Fatal("the breaker closed while every probe failed")
	}
	up.Store(true)
	eventually(t, "the breaker closes once a probe succeeds", func() bool { return !b.open() })
}

func TestBreakerTrippedDuringASuspicionProbeStillCloses(t *testing.T) {
	// A timeout starts a probe; while it runs a connectivity failure trips the breaker; the
	// probe then succeeds. The breaker must not stay open with nobody probing.
	release := make(chan struct{})
	var calls atomic.Int32
	b := newTestBreaker(func(context.Context) error {
		if calls.Add(1) == 1 {
			<-release
		}
		return nil
	})
	defer close(b.stop)
	b.suspect()
	eventually(t, "the suspicion probe starts", func() bool { return calls.Load() == 1 })
	b.trip()
	close(release)
	eventually(t, "the breaker closes", func() bool { return !b.open() })
	b.mu.Lock()
	probing := b.probing
	b.mu.Unlock()
	if probing {
		t.Error("still marked as probing after closing")
	}
}

func TestSuspicionOpensOnlyAfterTwoFailedProbes(t *testing.T) {
	var calls atomic.Int32
	b := newTestBreaker(func(context.Context) error {
		if calls.Add(1) == 1 {
			return errors.New("slow once")
		}
		return nil
	})
	defer close(b.stop)
	b.suspect()
	eventually(t, "two probes ran", func() bool { return calls.Load() >= 2 })
	time.Sleep(20 * time.Millisecond)
	if b.open() {
		t.Error("one failed probe opened the breaker")
	}
	failing := newTestBreaker(func(context.Context) error { return errors.New("hung") })
	defer close(failing.stop)
	failing.suspect()
	eventually(t, "two failed probes open the breaker", failing.open)
}

func TestOverloadNeverTripsTheBreaker(t *testing.T) {
	s := &Store{breaker: newTestBreaker(func(context.Context) error { return nil }), sessions: make(chan struct{}, 1), sessionWait: 20 * time.Millisecond}
	defer close(s.breaker.stop)
	release, err := s.turn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = s.turn(context.Background())
	if !errors.Is(err, ErrOverloaded) {
		t.Fatalf("second statement with one session: %v, want ErrOverloaded", err)
	}
	if s.breaker.open() {
		t.Error("an overload opened the breaker")
	}
	// A request's own slots make its statements wait for each other, not fail.
	s2 := &Store{breaker: s.breaker, sessions: make(chan struct{}, 8), sessionWait: time.Second}
	ctx := WithRequestSlots(context.Background(), 1, false)
	r1, _ := s2.turn(ctx)
	done := make(chan error, 1)
	go func() {
		r, err := s2.turn(ctx)
		if err == nil {
			r()
		}
		done <- err
	}()
	select {
	case <-done:
		t.Fatal("a second statement of a one-slot request did not wait")
	case <-time.After(30 * time.Millisecond):
	}
	r1()
	if err := <-done; err != nil {
		t.Errorf("the waiting statement: %v", err)
	}
}

func TestAnonymousStatementsLeaveSessionsForKeys(t *testing.T) {
	s := &Store{breaker: newTestBreaker(func(context.Context) error { return nil }), sessions: make(chan struct{}, 3),
		anonymousSessions: make(chan struct{}, 1), sessionWait: 20 * time.Millisecond}
	defer close(s.breaker.stop)
	anon := WithRequestSlots(context.Background(), 4, true)
	r1, err := s.turn(anon)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.turn(WithRequestSlots(context.Background(), 4, true)); !errors.Is(err, ErrOverloaded) {
		t.Errorf("a second anonymous statement with one anonymous session: %v, want ErrOverloaded", err)
	}
	keyed := WithRequestSlots(context.Background(), 4, false)
	r2, err := s.turn(keyed)
	if err != nil {
		t.Errorf("a keyed statement: %v", err)
	}
	r1()
	r2()
	if len(s.sessions) != 0 || len(s.anonymousSessions) != 0 {
		t.Errorf("sessions held after release: %d, anonymous %d", len(s.sessions), len(s.anonymousSessions))
	}
}
