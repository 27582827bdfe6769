package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Options configures the GraphQL handler.
type Options struct {
	// Version is reported by the `about` field.
	Version string
	// Logger receives internal errors and recovered panics, with the request id.
	Logger *slog.Logger
	// QueryCacheSize is the number of parsed and validated queries kept (LRU).
	QueryCacheSize int
	// APQCacheSize is the number of automatic persisted queries kept (LRU).
	APQCacheSize int
	// Limits bound the cost and shape of an operation, checked before it runs; the zero value
	// means limits.Defaults.
	Limits *limits.Limits
	// MaxTokens bounds the tokens the parser reads from one query (0: 15,000).
	MaxTokens int
	// RateLimiter charges the cost of each operation to its caller's budget; nil: no budget.
	RateLimiter *ratelimit.Limiter
	// AroundFields, when set, wraps every field resolver (tests use it to make one fail).
	AroundFields graphql.FieldMiddleware
}

// NewHandler builds the GraphQL HTTP handler: POST and GET transports, a query cache, automatic
// persisted queries, operation limits and rate limiting before execution, per-operation loaders
// and the one error presenter. Callers whose role may introspect (reqctx.Caller) also get field
// suggestions ("did you mean") in validation errors; the others do not.
func NewHandler(s *store.Store, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.QueryCacheSize <= 0 {
		opts.QueryCacheSize = 1000
	}
	if opts.APQCacheSize <= 0 {
		opts.APQCacheSize = 1000
	}
	if opts.Limits == nil {
		opts.Limits = &limits.Defaults
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = DefaultMaxTokens
	}
	resolver := &Resolver{Store: s, Version: opts.Version}
	schema := NewExecutableSchema(Config{Resolvers: resolver})
	resolver.satisfies = satisfiesOf(schema.Schema())
	withSuggestions, without := newServer(schema, s, opts, false), newServer(schema, s, opts, true)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w = &deadlineGuard{ResponseWriter: w, ctx: r.Context()}
		if c := reqctx.CallerOf(r.Context()); c == nil || c.Role.MayIntrospect() {
			withSuggestions.ServeHTTP(w, r)
			return
		}
		without.ServeHTTP(w, r)
	})
}

// deadlineGuard answers TIMEOUT where gqlgen, finding the request's context already done before
// the operation starts, would answer a bare `null` (no data, no error).
type deadlineGuard struct {
	http.ResponseWriter
	ctx     context.Context
	started bool
}

func (g *deadlineGuard) Write(b []byte) (int, error) {
	if !g.started {
		g.started = true
		if g.ctx.Err() != nil && string(bytes.TrimSpace(b)) == "null" {
			body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
				"message":    apperr.PublicMessage(g.ctx.Err()),
				"extensions": map[string]any{"code": string(apperr.Timeout), "requestId": reqctx.RequestID(g.ctx)},
			}}})
			if _, err := g.ResponseWriter.Write(body); err != nil {
				return 0, err
			}
			return len(b), nil
		}
	}
	return g.ResponseWriter.Write(b)
}

func newServer(schema graphql.ExecutableSchema, s *store.Store, opts Options, noSuggestions bool) *handler.Server {
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpGET{maxTokens: opts.MaxTokens})
	srv.AddTransport(httpPOST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.SetDisableSuggestion(noSuggestions)
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	srv.Use(operationLimits{limits: *opts.Limits, budget: opts.RateLimiter})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, newLoaders(s)))
	})
	if opts.AroundFields != nil {
		srv.AroundFields(opts.AroundFields)
	}
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, opts.Logger, err)
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		opts.Logger.ErrorContext(ctx, "panic in resolver", "request_id", reqctx.RequestID(ctx),
			"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return apperr.Wrap(apperr.Internal, fmt.Errorf("panic: %v", p), "internal error")
	})
	return srv
}

// DefaultMaxTokens is the parser's token limit when Options gives none: GraphiQL's introspection
// query is about 250 tokens, the largest example query a few hundred.
const DefaultMaxTokens = 15000

// operationLimits runs after validation and before any resolver: it refuses introspection to
// roles that may not introspect (FORBIDDEN), an operation over the limits
// (COMPLEXITY_LIMIT_EXCEEDED, with the measure), and an operation whose cost the caller's budget
// cannot pay (RATE_LIMITED; the HTTP layer answers 429). It sets the RateLimit headers.
type operationLimits struct {
	limits limits.Limits
	budget *ratelimit.Limiter
}

func (operationLimits) ExtensionName() string                   { return "OperationLimits" }
func (operationLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (o operationLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	caller := reqctx.CallerOf(ctx)
	if caller != nil && !caller.Role.MayIntrospect() && introspects(op) {
		return &gqlerror.Error{Message: "introspection needs an analyst or admin API key", Extensions: map[string]any{"code": string(apperr.Forbidden)}}
	}
	m := limits.Of(op.Operation, op.Variables)
	if caller != nil {
		caller.SetCost(m.Cost)
	}
	if ex := o.limits.Check(m); ex != nil {
		return &gqlerror.Error{Message: ex.Error(), Extensions: map[string]any{
			"code": string(apperr.ComplexityLimit), "limit": ex.Limit, "max": ex.Max, "actual": ex.Actual, "cost": m.Cost,
		}}
	}
	if caller == nil || o.budget == nil {
		return nil
	}
	ok, b := o.budget.Take(caller.Client, m.Cost)
	if caller.Header != nil {
		caller.Header.Set("RateLimit-Limit", strconv.Itoa(b.Limit))
		caller.Header.Set("RateLimit-Remaining", strconv.Itoa(b.Remaining))
		caller.Header.Set("RateLimit-Reset", strconv.Itoa(int(b.Reset.Seconds())))
	}
	if !ok {
		caller.Limit(b.RetryAfter)
		return &gqlerror.Error{
			Message: fmt.Sprintf("rate limit: this operation costs %d points and %d of %d are left; retry in %d s",
				max(m.Cost, 1), b.Remaining, b.Limit, int(b.RetryAfter.Seconds())),
			Extensions: map[string]any{"code": string(apperr.RateLimited), "cost": m.Cost, "remaining": b.Remaining,
				"retryAfterSeconds": int(b.RetryAfter.Seconds())},
		}
	}
	return nil
}

// introspects tells whether an operation asks for the schema (__schema or __type; __typename is
// not introspection).
func introspects(op *graphql.OperationContext) bool {
	for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"}) {
		if f.Name == "__schema" || f.Name == "__type" {
			return true
		}
	}
	return false
}

// presentError is the one place where errors become GraphQL errors: each gets a code in
// extensions.code and the request id in extensions.requestId; internal details stay in the logs.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	requestID := reqctx.RequestID(ctx)
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Made by gqlgen itself (parse, validation, argument coercion): safe to show as is.
		out := *gqlErr
		out.Extensions = withCode(out.Extensions, string(apperr.BadUserInput), requestID)
		return &out
	}
	code := apperr.CodeOf(err)
	if code == apperr.Internal || code == apperr.ServiceUnavailable || code == apperr.Timeout {
		log.ErrorContext(ctx, "request failed", "request_id", requestID, "code", string(code), "error", err.Error())
	}
	return &gqlerror.Error{
		Message:    apperr.PublicMessage(err),
		Path:       graphql.GetPath(ctx),
		Extensions: withCode(nil, string(code), requestID),
	}
}

// withCode sets extensions.code unless one is there already, and extensions.requestId.
func withCode(ext map[string]any, code, requestID string) map[string]any {
	out := make(map[string]any, len(ext)+2)
	for k, v := range ext {
		out[k] = v
	}
	if _, ok := out["code"]; !ok {
		out["code"] = code
	}
	if requestID != "" {
		out["requestId"] = requestID
	}
	return out
}
