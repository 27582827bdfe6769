package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/curation"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
)

// Options configures the GraphQL handler.
type Options struct {
	// Version is reported by the `about` field.
	Version string
	// Logger receives internal errors and recovered panics, with the request id.
	Logger *slog.Logger
	// QueryCacheBytes bounds the parsed and validated queries kept (LRU, by query length);
	// 0: DefaultQueryCacheBytes.
	QueryCacheBytes int64
	// Limits bound the cost, shape and input sizes of an operation, checked before it runs; the
	// zero value means limits.Defaults.
	Limits *limits.Limits
	// MaxTokens bounds the tokens the parser reads from one query (0: 15,000).
	MaxTokens int
	// RateLimiter charges the cost of each operation to its caller's budget and caps the scans
	// of the graph running at once; nil: neither.
	RateLimiter *ratelimit.Limiter
	// State keeps the automatic persisted queries (shared between instances when it is);
	// nil: an in-memory store of DefaultPersistedQueryBytes.
	State sharedstate.Store
	// MaxPersistedQueryBytes bounds the text of one persisted query (0: 64 KiB).
	MaxPersistedQueryBytes int
	// AroundFields, when set, wraps every field resolver (tests use it to make one fail).
	AroundFields graphql.FieldMiddleware
	// Introspection says which roles may introspect and get schema facts (suggestions, the
	// valid values of an enum) in error messages; the zero value lets every role that reads.
	Introspection reqctx.Introspection
	// CurationApprover is the least role that approves and rejects change sets (CURATION_APPROVER);
	// 0: RoleAdmin.
	CurationApprover reqctx.Role
	// MutationAllowlist, when not nil, holds the SHA-256 (hex) of the only mutation documents that
	// run (MUTATION_ALLOWLIST_FILE): the persisted operations of the project's own front ends.
	MutationAllowlist map[string]bool
	// Telemetry names operations for the metrics, times root fields and opens the resolvers'
	// spans; nil: none.
	Telemetry *telemetry.Telemetry
}

// Defaults of the caches.
const (
	DefaultQueryCacheBytes        = 32 << 20
	DefaultPersistedQueryBytes    = 32 << 20
	DefaultMaxPersistedQueryBytes = 64 << 10
)

// NewHandler builds the GraphQL HTTP handler: POST and GET transports, a query cache and
// automatic persisted queries (both bounded in bytes), strict variable coercion, operation
// limits, scan caps and rate limiting before execution, per-operation loaders and the one error
// presenter. "Did you mean" suggestions and the valid values of an enum reach only the callers
// whose role may introspect.
func NewHandler(s *store.Store, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.QueryCacheBytes <= 0 {
		opts.QueryCacheBytes = DefaultQueryCacheBytes
	}
	if opts.Limits == nil {
		opts.Limits = &limits.Defaults
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = DefaultMaxTokens
	}
	if opts.State == nil {
		opts.State = sharedstate.NewMemory(map[string]int64{persistedQueryCache: DefaultPersistedQueryBytes})
	}
	if opts.MaxPersistedQueryBytes <= 0 {
		opts.MaxPersistedQueryBytes = DefaultMaxPersistedQueryBytes
	}
	if opts.CurationApprover == 0 {
		opts.CurationApprover = reqctx.RoleAdmin
	}
	resolver := &Resolver{Store: s, Version: opts.Version,
		Curation: &curation.Service{Store: s, State: opts.State, Approver: opts.CurationApprover}}
	schema := NewExecutableSchema(Config{Resolvers: resolver})
	resolver.satisfies = typeConditions()
	srv := newServer(schema, s, opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(&deadlineGuard{ResponseWriter: w, ctx: r.Context()}, r)
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

func newServer(schema graphql.ExecutableSchema, s *store.Store, opts Options) *handler.Server {
	srv := handler.New(schema)
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpGET{maxTokens: opts.MaxTokens})
	srv.AddTransport(httpPOST{})
	cache := newQueryCache(opts.QueryCacheBytes)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.Use(extension.Introspection{})
	srv.Use(fieldCount{max: opts.Limits.MaxFields, maxTokens: opts.MaxTokens, cache: cache})
	srv.Use(numberNormaliser{})
	// Order matters: limits run before persisted queries register, so only a query that parsed,
	// validated and passed every limit is kept.
	sizes := newGraphSizes(s)
	// Read the graph's sizes now, so that the first requests need not wait for them.
	go sizes.get(context.Background())
	if opts.Telemetry != nil {
		// Before the limits, so that refused operations are counted under their name.
		srv.Use(opts.Telemetry.GraphQL())
	}
	srv.Use(&operationLimits{limits: *opts.Limits, budget: opts.RateLimiter, sizes: sizes, introspection: opts.Introspection})
	if opts.MutationAllowlist != nil {
		// Before persisted queries register: a mutation off the allowlist is never kept, and one
		// sent by hash alone is checked on the text the hash stands for.
		srv.Use(mutationAllowlist{allowed: opts.MutationAllowlist})
	}
	srv.Use(persistedQueries{state: opts.State, maxBytes: opts.MaxPersistedQueryBytes})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		c := reqctx.CallerOf(ctx)
		ctx = store.WithRequestSlots(ctx, statementsPerRequest, c != nil && !c.Keyed)
		if release, refused := admitScan(ctx, opts.RateLimiter); refused != nil {
			return refused
		} else if release != nil {
			context.AfterFunc(ctx, release) // also when the response is never asked for
			h := next(withLoaders(ctx, newLoaders(s)))
			return func(ctx context.Context) *graphql.Response {
				defer release()
				return h(ctx)
			}
		}
		return next(withLoaders(ctx, newLoaders(s)))
	})
	if opts.AroundFields != nil {
		srv.AroundFields(opts.AroundFields)
	}
	presenter := errorPresenter{log: opts.Logger, schema: schema.Schema(), introspection: opts.Introspection}
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		out := presenter.present(ctx, err)
		if code, ok := out.Extensions["code"].(string); ok {
			telemetry.NoteError(ctx, code)
		}
		return out
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

// statementsPerRequest bounds the statements one request sends at once.
const statementsPerRequest = 4

// scanRetry is the Retry-After of an operation refused because the scans cap is reached.
const scanRetry = 2 * time.Second

// admitScan holds the slots an operation priced by @cost needs (operationLimits marks it): one of
// the analyses cap, and one of the scans cap when it scans the graph. It returns their release,
// or the response of a refusal.
func admitScan(ctx context.Context, l *ratelimit.Limiter) (release func(), refused graphql.ResponseHandler) {
	caller := reqctx.CallerOf(ctx)
	if l == nil || caller == nil {
		return nil, nil
	}
	analyses, scans := caller.Priced()
	if !analyses {
		return nil, nil
	}
	releaseAnalysis, ok := l.EnterAnalysis(ctx, !caller.Keyed)
	what := "analyses"
	if ok && scans {
		var releaseScan func()
		if releaseScan, ok = l.EnterScan(ctx, !caller.Keyed); ok {
			return func() { releaseScan(); releaseAnalysis() }, nil
		}
		releaseAnalysis()
		what = "graph-wide analyses"
	} else if ok {
		return releaseAnalysis, nil
	}
	caller.Overload(scanRetry)
	err := &gqlerror.Error{
		Message:    fmt.Sprintf("the API is running as many %s as it allows at once; retry in %d s, or narrow the question (see the field's @cost in the schema)", what, int(scanRetry.Seconds())),
		Extensions: withCode(map[string]any{"retryAfterSeconds": int(scanRetry.Seconds())}, string(apperr.ServiceUnavailable), reqctx.RequestID(ctx)),
	}
	return nil, func(context.Context) *graphql.Response {
		return &graphql.Response{Errors: gqlerror.List{err}}
	}
}

// operationLimits runs after validation and before any resolver: it refuses variables the
// specification does not coerce (BAD_USER_INPUT), introspection to roles that may not
// introspect (FORBIDDEN), an operation over the limits (COMPLEXITY_LIMIT_EXCEEDED, with the
// measure), and an operation whose cost the caller's budget cannot pay (RATE_LIMITED; the HTTP
// layer answers 429). It sets the RateLimit headers and marks operations that scan the graph.
type operationLimits struct {
	limits        limits.Limits
	budget        *ratelimit.Limiter
	sizes         *graphSizes
	schema        *ast.Schema
	introspection reqctx.Introspection
}

func (*operationLimits) ExtensionName() string { return "OperationLimits" }
func (o *operationLimits) Validate(s graphql.ExecutableSchema) error {
	o.schema = s.Schema()
	return nil
}

func (o *operationLimits) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if err := checkVariables(o.schema, op.Operation, op.Variables); err != nil {
		return err
	}
	caller := reqctx.CallerOf(ctx)
	if caller != nil && !o.introspection.Allows(caller.Role) && introspects(op) {
		return introspectionRefused(o.introspection, caller.Role)
	}
	m := limits.Of(o.schema, op.Operation, op.Variables, o.sizes.get(ctx))
	if caller != nil {
		caller.SetCost(m.Cost)
	}
	if ex := o.limits.Check(m); ex != nil {
		return &gqlerror.Error{Message: ex.Error(), Extensions: map[string]any{
			"code": string(apperr.ComplexityLimit), "limit": ex.Limit, "max": ex.Max, "actual": ex.Actual, "cost": m.Cost,
		}}
	}
	if m.Analyses && caller != nil {
		caller.MarkPriced(m.Scans)
	}
	if caller == nil || o.budget == nil {
		return nil
	}
	// The HTTP layer charged one point when the request arrived; the rest is charged here.
	ok, b := o.budget.Take(ctx, caller.Client, max(m.Cost-1, 0))
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

// introspectionRefused is the FORBIDDEN answer to an introspection the rule does not allow the
// caller's role: it names the roles that may (extensions.introspectingRoles) and the caller's own
// (extensions.role), so that GraphiQL can say which key is needed.
func introspectionRefused(rule reqctx.Introspection, role reqctx.Role) *gqlerror.Error {
	roles := rule.Roles()
	msg := "introspection is turned off on this server (INTROSPECTION=none); queries still run"
	if len(roles) > 0 {
		msg = fmt.Sprintf("introspection needs the role %s; this request's role is %s (send an API key of that role); queries still run without it",
			strings.Join(roles, " or "), role)
	}
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{
		"code": string(apperr.Forbidden), "role": role.String(), "introspectingRoles": append([]string{}, roles...),
	}}
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

// errorPresenter is the one place where errors become GraphQL errors: each gets a code in
// extensions.code and the request id in extensions.requestId; internal details stay in the logs.
type errorPresenter struct {
	log           *slog.Logger
	schema        *ast.Schema
	introspection reqctx.Introspection
}

func (p errorPresenter) present(ctx context.Context, err error) *gqlerror.Error {
	requestID := reqctx.RequestID(ctx)
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err == nil {
		// Made by gqlgen itself (parse, validation, argument coercion) or by the limits: safe to
		// show, once shortened, and without schema facts (suggestions, an enum's values) for
		// callers who may not see the schema.
		out := *gqlErr
		c := reqctx.CallerOf(ctx)
		schemaFacts := c == nil || p.introspection.Allows(c.Role)
		msg := clarifyCoercion(&out)
		if !schemaFacts {
			msg = withoutSuggestions(msg)
		}
		// A message about an enum value quotes at most a bounded part of the input, so the list of
		// valid values it ends with is never cut.
		enum, isEnum := unknownEnumValue(p.schema, &out, msg)
		if isEnum {
			out.Message = enum.message(schemaFacts)
			if schemaFacts {
				out.Extensions = maps.Clone(out.Extensions)
				if out.Extensions == nil {
					out.Extensions = map[string]any{}
				}
				out.Extensions["validValues"] = enum.valid
			}
		} else {
			out.Message = truncate(msg)
		}
		if len(out.Path) > 1 && out.Path[0] == ast.PathName("variable") {
			// A variable's value is the client's input, whoever found it wrong; the message names it.
			if where := variablePath(out.Path); !strings.HasPrefix(out.Message, "variable ") {
				out.Message = where + ": " + out.Message
				if !isEnum {
					out.Message = truncate(out.Message)
				}
			}
			out.Extensions = withCode(out.Extensions, "", requestID)
			out.Extensions["code"] = string(apperr.BadUserInput)
		}
		out.Extensions = withCode(out.Extensions, string(apperr.BadUserInput), requestID)
		return &out
	}
	if msg, ok := inputCoercion(ctx, err); ok {
		return &gqlerror.Error{Message: truncate(msg), Path: graphql.GetPath(ctx), Extensions: withCode(nil, string(apperr.BadUserInput), requestID)}
	}
	code := apperr.CodeOf(err)
	if errors.Is(err, store.ErrOverloaded) || errors.Is(err, store.ErrUnreachable) {
		// Answered 503 with Retry-After: the client should come back, not retry at once.
		if c := reqctx.CallerOf(ctx); c != nil {
			c.Overload(time.Second)
		}
	}
	switch {
	case errors.Is(err, store.ErrOverloaded), errors.Is(err, store.ErrUnreachable):
		p.log.WarnContext(ctx, "request refused", "request_id", requestID, "code", string(code), "error", err.Error())
	case code == apperr.Internal || code == apperr.ServiceUnavailable || code == apperr.Timeout:
		p.log.ErrorContext(ctx, "request failed", "request_id", requestID, "code", string(code), "error", err.Error())
	}
	return &gqlerror.Error{
		Message:    truncate(apperr.PublicMessage(err)),
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

// maxMessage bounds the length of an error message: messages may quote what a client sent.
const maxMessage = 300

// truncate shortens a message to maxMessage bytes.
func truncate(msg string) string { return truncateTo(msg, maxMessage) }

// truncateTo shortens a message to limit bytes (on a character boundary), marking the cut.
func truncateTo(msg string, limit int) string {
	if len(msg) <= limit {
		return msg
	}
	end := limit
	for end > 0 && !utf8.RuneStart(msg[end]) {
		end--
	}
	return msg[:end] + "… (truncated)"
}

// suggestion matches the "did you mean" part that validation rules add to their messages.
var suggestion = regexp.MustCompile(`\s*Did you mean [^?]*\?`)

func withoutSuggestions(msg string) string { return suggestion.ReplaceAllString(msg, "") }

// clarifyCoercion rewrites the parser's message for a variable number that is not an Int
// ("cannot use value 0 as Int", whatever the value) into one that says what is wanted.
func clarifyCoercion(e *gqlerror.Error) string {
	if len(e.Path) == 2 && e.Path[0] == ast.PathName("variable") && strings.HasPrefix(e.Message, "cannot use value ") {
		if name, ok := e.Path[1].(ast.PathName); ok {
			return fmt.Sprintf("variable $%s: want an Int, a whole number from -2147483648 to 2147483647", string(name))
		}
	}
	return e.Message
}

// variablePath writes the path of an error in a variable's value: variable $w.OR[2].title.
// inputCoercion is the message of an input value a scalar refused (Decimal, Date, DateTime: their
// Unmarshal functions return BAD_USER_INPUT errors), naming the argument's path below the field.
func inputCoercion(ctx context.Context, err error) (string, bool) {
	var gqlErr *gqlerror.Error
	var refused *model.InputError
	if !errors.As(err, &gqlErr) || gqlErr.Err == nil || !errors.As(gqlErr.Err, &refused) {
		return "", false
	}
	field := graphql.GetPath(ctx)
	input := gqlErr.Path
	if len(input) > len(field) && input[:len(field)].String() == field.String() {
		input = input[len(field):]
	}
	if len(input) == 0 {
		return refused.Error(), true
	}
	return "argument " + input.String() + ": " + refused.Error(), true
}

func variablePath(p ast.Path) string {
	var b strings.Builder
	b.WriteString("variable $")
	for i, e := range p[1:] {
		switch v := e.(type) {
		case ast.PathName:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(v))
		case ast.PathIndex:
			fmt.Fprintf(&b, "[%d]", int(v))
		}
	}
	return b.String()
}

// mutationAllowlist refuses (FORBIDDEN) a mutation whose document is not one of the persisted
// operations the operator allows; queries are not affected.
type mutationAllowlist struct{ allowed map[string]bool }

func (mutationAllowlist) ExtensionName() string                   { return "MutationAllowlist" }
func (mutationAllowlist) Validate(graphql.ExecutableSchema) error { return nil }

func (m mutationAllowlist) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || op.Operation.Operation != ast.Mutation {
		return nil
	}
	sum := sha256.Sum256([]byte(op.RawQuery))
	if m.allowed[hex.EncodeToString(sum[:])] {
		return nil
	}
	return &gqlerror.Error{Message: "this server runs only the persisted mutations of its allowlist (MUTATION_ALLOWLIST_FILE); this document is not one of them",
		Extensions: map[string]any{"code": string(apperr.Forbidden)}}
}

// LoadMutationAllowlist reads a mutation allowlist: one SHA-256 (64 hex digits) of a mutation
// document per line; blank lines and lines starting with # are skipped.
func LoadMutationAllowlist(text string) (map[string]bool, error) {
	out := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(line) != 64 || strings.Trim(strings.ToLower(line), "0123456789abcdef") != "" {
			return nil, fmt.Errorf("line %d: want the SHA-256 of a mutation document (64 hex digits), got %q", i+1, line)
		}
		out[strings.ToLower(line)] = true
	}
	return out, nil
}
