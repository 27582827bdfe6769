// Package reqctx carries per-request values (the request id, the caller) through a context.
package reqctx

import (
	"context"
	"net/http"
	"sync"
	"time"
)

type requestIDKey struct{}

// WithRequestID returns a context carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of ctx, or "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Caller is who sends a request and what it has spent: set by the HTTP layer, read and updated
// by the GraphQL layer, logged at the end. It never holds the API key itself.
type Caller struct {
	Client string // the key's name, or "anonymous@<ip>"
	Role   Role
	Keyed  bool // the caller presented an API key (anonymous callers may hold a role too)
	// Header is the response's header, where the GraphQL layer puts the RateLimit headers.
	Header http.Header

	mu         sync.Mutex
	cost       int
	refusal    int // HTTP status the request was refused with (429, 503), or 0
	scans      bool
	analyses   bool
	retryAfter time.Duration
}

// Role is what a caller may do; each role may do everything the ones before it may.
type Role int

const (
	RoleAnonymous Role = iota + 1
	RoleReader
	RoleAnalyst
	// RoleEditor may also propose change sets (and approve others' when CURATION_APPROVER=editor).
	RoleEditor
	RoleAdmin
)

var roleNames = map[Role]string{RoleAnonymous: "anonymous", RoleReader: "reader", RoleAnalyst: "analyst", RoleEditor: "editor", RoleAdmin: "admin"}

func (r Role) String() string { return roleNames[r] }

// ParseRole reads a role name.
func ParseRole(s string) (Role, bool) {
	for r, n := range roleNames {
		if n == s {
			return r, true
		}
	}
	return 0, false
}

// Introspection is the operator's rule (INTROSPECTION) for which roles may query the schema
// (__schema, __type) and learn schema facts from error messages: "did you mean" suggestions and
// the valid values of an enum. Its zero value is the default.
type Introspection int

const (
	// IntrospectionReaders lets every role that may read introspect, anonymous callers included
	// (when ANONYMOUS_ROLE lets them in at all): the schema is as public as the data.
	IntrospectionReaders Introspection = iota
	// IntrospectionAnalysts lets only analysts and admins introspect.
	IntrospectionAnalysts
	// IntrospectionNone lets no role introspect.
	IntrospectionNone
)

var introspectionNames = map[Introspection]string{IntrospectionReaders: "readers", IntrospectionAnalysts: "analysts", IntrospectionNone: "none"}

func (i Introspection) String() string { return introspectionNames[i] }

// ParseIntrospection reads an introspection rule: readers, analysts or none.
func ParseIntrospection(s string) (Introspection, bool) {
	for i, n := range introspectionNames {
		if n == s {
			return i, true
		}
	}
	return 0, false
}

// Allows tells whether the role may introspect under the rule.
func (i Introspection) Allows(r Role) bool {
	switch i {
	case IntrospectionReaders:
		return r >= RoleAnonymous
	case IntrospectionAnalysts:
		return r >= RoleAnalyst
	}
	return false
}

// Roles lists the roles the rule lets introspect, weakest first.
func (i Introspection) Roles() []string {
	var out []string
	for r := RoleAnonymous; r <= RoleAdmin; r++ {
		if i.Allows(r) {
			out = append(out, r.String())
		}
	}
	return out
}

// SetCost records the cost of the caller's operation.
func (c *Caller) SetCost(cost int) {
	c.mu.Lock()
	c.cost = cost
	c.mu.Unlock()
}

// Cost is the recorded cost of the caller's operation.
func (c *Caller) Cost() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cost
}

// MarkPriced records that the caller's operation has fields priced by @cost (analyses) and
// whether one of them scans the graph.
func (c *Caller) MarkPriced(scans bool) {
	c.mu.Lock()
	c.analyses, c.scans = true, scans
	c.mu.Unlock()
}

// Priced tells whether the caller's operation has fields priced by @cost, and whether one of
// them scans the graph.
func (c *Caller) Priced() (analyses, scans bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.analyses, c.scans
}

// Limit marks the request as refused by the rate limiter: the HTTP layer answers 429.
func (c *Caller) Limit(retryAfter time.Duration) { c.refuse(http.StatusTooManyRequests, retryAfter) }

// Overload marks the request as refused because the API runs all it may at once: the HTTP layer
// answers 503.
func (c *Caller) Overload(retryAfter time.Duration) {
	c.refuse(http.StatusServiceUnavailable, retryAfter)
}

func (c *Caller) refuse(status int, retryAfter time.Duration) {
	c.mu.Lock()
	c.refusal, c.retryAfter = status, retryAfter
	c.mu.Unlock()
}

// Refused returns the HTTP status the request was refused with (0 when it was not) and when to
// retry.
func (c *Caller) Refused() (status int, retryAfter time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refusal, c.retryAfter
}

type callerKey struct{}

// WithCaller returns a context carrying the caller.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerOf returns the caller of ctx, or nil outside an authenticated request.
func CallerOf(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}
