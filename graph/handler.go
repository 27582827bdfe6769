package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/limits"
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
}

// NewHandler builds the GraphQL HTTP handler: POST and GET transports, a query cache, automatic
// persisted queries, introspection, per-operation batch loaders and the one error presenter.
func NewHandler(s *store.Store, opts Options) *handler.Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.QueryCacheSize <= 0 {
		opts.QueryCacheSize = 1000
	}
	if opts.APQCacheSize <= 0 {
		opts.APQCacheSize = 1000
	}
	resolver := &Resolver{Store: s, Version: opts.Version}
	schema := NewExecutableSchema(Config{Resolvers: resolver})
	resolver.satisfies = satisfiesOf(schema.Schema())
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	if opts.Limits == nil {
		opts.Limits = &limits.Defaults
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = DefaultMaxTokens
	}
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.Use(operationLimits{*opts.Limits})
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](opts.APQCacheSize)})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, newLoaders(s)))
	})
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

// operationLimits refuses an operation over the limits before any resolver runs, with the
// measure in the error's extensions.
type operationLimits struct{ limits limits.Limits }

func (operationLimits) ExtensionName() string                   { return "OperationLimits" }
func (operationLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (o operationLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	m := limits.Of(op.Operation, op.Variables)
	if ex := o.limits.Check(m); ex != nil {
		return &gqlerror.Error{Message: ex.Error(), Extensions: map[string]any{
			"code": string(apperr.ComplexityLimit), "limit": ex.Limit, "max": ex.Max, "actual": ex.Actual, "cost": m.Cost,
		}}
	}
	return nil
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
