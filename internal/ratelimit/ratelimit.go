// Package ratelimit applies the API's admission policy over shared state: a cost budget per
// client, caps on requests in flight per client and overall (with room kept for callers with an
// API key), and a smaller cap on operations that scan the graph.
package ratelimit

import (
	"context"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
)

// Policy is what the limiter enforces. Zero caps mean no cap.
type Policy struct {
	Burst     int // cost points a client may spend at once
	PerSecond int // cost points a client gets back every second

	PerClient int // requests one client may have in flight
	InFlight  int // requests in flight overall, kept below the Neo4j driver's pool
	// Reserved of InFlight are kept for callers with an API key: anonymous callers together may
	// hold at most InFlight-Reserved.
	Reserved int

	Scans int // operations priced as a scan of the graph running at once
	// ScansReserved of Scans are kept for callers with an API key (anonymous callers always get
	// at least one when Scans allows any).
	ScansReserved int

	Analyses         int // operations with a field priced by @cost (narrowed or not) running at once
	AnalysesReserved int // of those, kept for callers with an API key

	// SlotTTL frees a slot whose holder never released it (a crashed instance); the request
	// deadline plus a margin.
	SlotTTL time.Duration
}

// DefaultPolicy is the policy of a server configured with defaults.
var DefaultPolicy = Policy{Burst: 100_000, PerSecond: 1_000, PerClient: 8, InFlight: 32, Reserved: 8, Scans: 2, ScansReserved: 1,
	Analyses: 4, AnalysesReserved: 2, SlotTTL: time.Minute}

// Limiter enforces a Policy.
type Limiter struct {
	state  sharedstate.Store
	policy Policy
}

// New returns a limiter keeping its counts in state.
func New(state sharedstate.Store, p Policy) *Limiter {
	if p.SlotTTL <= 0 {
		p.SlotTTL = time.Minute
	}
	return &Limiter{state: state, policy: p}
}

// Policy returns the enforced policy.
func (l *Limiter) Policy() Policy { return l.policy }

// Budget is the state of a client's bucket after a request.
type Budget = sharedstate.Budget

// Take spends cost points of client's budget; ok is false (and nothing is spent) when the budget
// holds less than cost (a cost of 0 only reads the bucket). A cost above the bucket size can never
// pass.
// When the shared state cannot be reached the request passes: limits protect the service, and
// refusing everyone would be the outage they guard against.
func (l *Limiter) Take(ctx context.Context, client string, cost int) (ok bool, b Budget) {
	b, ok, err := l.state.Take(ctx, "budget:"+client, cost, sharedstate.Rate{Burst: l.policy.Burst, PerSecond: l.policy.PerSecond})
	if err != nil {
		return true, Budget{Limit: l.policy.Burst, Remaining: l.policy.Burst}
	}
	return ok, b
}

// Refusal says why a request may not start.
type Refusal int

const (
	Admitted   Refusal = iota
	ClientBusy         // the client has its maximum of requests in flight (429)
	Overloaded         // the API has its maximum in flight (503)
)

// Enter admits a request of client (anonymous: without an API key) when neither the client's
// nor the overall cap is reached. The returned release must be called when the request ends.
func (l *Limiter) Enter(ctx context.Context, client string, anonymous bool) (release func(), why Refusal) {
	var held []func()
	release = func() {
		for _, r := range held {
			r()
		}
	}
	take := func(key string, limit int) bool {
		if limit <= 0 {
			return true
		}
		r, ok, err := l.state.Acquire(ctx, key, limit, l.policy.SlotTTL)
		if err != nil {
			return true
		}
		if ok && r != nil {
			held = append(held, r)
		}
		return ok
	}
	if !take("inflight:client:"+client, l.policy.PerClient) {
		return release, ClientBusy
	}
	if anonymous && l.policy.InFlight > 0 && !take("inflight:anonymous", max(1, l.policy.InFlight-l.policy.Reserved)) {
		release()
		return func() {}, Overloaded
	}
	if !take("inflight:all", l.policy.InFlight) {
		release()
		return func() {}, Overloaded
	}
	return release, Admitted
}

// EnterScan admits one operation priced as a scan of the graph when the scan cap allows it;
// release must be called when it ends.
func (l *Limiter) EnterScan(ctx context.Context, anonymous bool) (release func(), ok bool) {
	return l.enterCapped(ctx, "scans", l.policy.Scans, l.policy.ScansReserved, anonymous)
}

// EnterAnalysis admits one operation with a field priced by @cost when the analyses cap allows
// it; release must be called when it ends.
func (l *Limiter) EnterAnalysis(ctx context.Context, anonymous bool) (release func(), ok bool) {
	return l.enterCapped(ctx, "analyses", l.policy.Analyses, l.policy.AnalysesReserved, anonymous)
}

// enterCapped takes one of limit slots named name, of which reserved are kept for callers with
// a key (anonymous callers always get at least one).
func (l *Limiter) enterCapped(ctx context.Context, name string, limit, reserved int, anonymous bool) (release func(), ok bool) {
	if limit <= 0 {
		return func() {}, true
	}
	var anon func()
	if anonymous {
		r, ok, err := l.state.Acquire(ctx, name+":anonymous", max(1, limit-reserved), l.policy.SlotTTL)
		if err == nil && !ok {
			return func() {}, false
		}
		anon = r
	}
	r, ok, err := l.state.Acquire(ctx, name+":all", limit, l.policy.SlotTTL)
	if err == nil && !ok {
		if anon != nil {
			anon()
		}
		return func() {}, false
	}
	return func() {
		if r != nil {
			r()
		}
		if anon != nil {
			anon()
		}
	}, true
}
