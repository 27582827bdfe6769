package telemetry

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// GraphQL is the gqlgen extension of the telemetry: it names the request's operation (bounded,
// for the metrics), times every root field, and opens a span per root field and per resolver of
// a list or an analysis (a field priced by @cost). Add it before the extensions that may refuse
// an operation, so refused operations keep their name.
func (t *Telemetry) GraphQL() graphql.HandlerExtension {
	return graphQLExtension{t: t}
}

type graphQLExtension struct{ t *Telemetry }

func (graphQLExtension) ExtensionName() string                   { return "Telemetry" }
func (graphQLExtension) Validate(graphql.ExecutableSchema) error { return nil }

func (e graphQLExtension) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if r := requestOf(ctx); r != nil && op.Operation != nil {
		label := e.t.Metrics.operations.label(op.Operation.Name)
		r.mu.Lock()
		r.operation = label
		r.mu.Unlock()
	}
	return nil
}

// InterceptOperation notes the response's first error code and whether it carries data; as the
// outermost operation interceptor it also sees the answers of those that refuse an operation.
func (e graphQLExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	h := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := h(ctx)
		r := requestOf(ctx)
		if r == nil || resp == nil {
			return resp
		}
		for _, err := range resp.Errors {
			if code, ok := err.Extensions["code"].(string); ok {
				NoteError(ctx, code)
				break
			}
		}
		data := strings.TrimSpace(string(resp.Data))
		r.mu.Lock()
		r.hasData = r.hasData || (data != "" && data != "null")
		r.mu.Unlock()
		return resp
	}
}

func (e graphQLExtension) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	fc := graphql.GetRootFieldContext(ctx)
	if fc == nil {
		return next(ctx)
	}
	name := fc.Field.Name
	if fc.Field.ObjectDefinition != nil {
		name = fc.Field.ObjectDefinition.Name + "." + name
	}
	start := time.Now()
	var span trace.Span
	var lists *listSpans
	if e.t.recording(ctx) {
		ctx, span = e.t.tracer.Start(ctx, name, trace.WithAttributes(
			attribute.String("graphql.field.path", fc.Field.Alias), attribute.String("graphql.field.name", name)))
		lists = &listSpans{open: map[listSpanKey]*listSpan{}}
		ctx = context.WithValue(ctx, listSpansKey{}, lists)
	}
	// Every field below has been resolved when next returns (the marshaler waits for them).
	res := next(ctx)
	e.t.Metrics.rootFieldDuration.WithLabelValues(name).Observe(time.Since(start).Seconds())
	if span != nil {
		lists.end()
		span.End()
	}
	return res
}

// InterceptField opens the span of a list or analysis field, one per field of the query document
// and parent span: the resolver calls of all the elements of a list (Project.donors of each
// project) share it, as the loaders share one statement between them. Without a recorded trace
// it costs a context look-up.
func (e graphQLExtension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if !e.t.recording(ctx) {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || fc.Object == "Query" || fc.Object == "Mutation" || !spanned(fc) {
		return next(ctx)
	}
	lists, _ := ctx.Value(listSpansKey{}).(*listSpans)
	if lists == nil { // outside a root field: a span of its own
		ctx, span := e.t.tracer.Start(ctx, fc.Object+"."+fc.Field.Name,
			trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
		res, err := next(ctx)
		if err != nil {
			span.SetStatus(codes.Error, "resolver failed")
		}
		span.End()
		return res, err
	}
	ls := lists.join(ctx, e.t.tracer, fc)
	res, err := next(trace.ContextWithSpan(ctx, ls.span))
	lists.leave(ls, err)
	return res, err
}

// listSpans are the open field spans below one root field, ended with it.
type listSpans struct {
	mu   sync.Mutex
	open map[listSpanKey]*listSpan
}

type listSpansKey struct{}

// listSpanKey is one field of the query document (on one object type) under one parent span.
type listSpanKey struct {
	parent trace.SpanID
	object string
	field  *ast.Field
}

// listSpan is the span shared by the resolver calls of one field: it starts with the first call
// and ends at the end of the last.
type listSpan struct {
	span   trace.Span
	calls  int
	failed int
	last   time.Time
}

// join returns the span of the field being resolved, started on its first call.
func (l *listSpans) join(ctx context.Context, tracer trace.Tracer, fc *graphql.FieldContext) *listSpan {
	key := listSpanKey{parent: trace.SpanContextFromContext(ctx).SpanID(), object: fc.Object, field: fc.Field.Field}
	l.mu.Lock()
	defer l.mu.Unlock()
	ls := l.open[key]
	if ls == nil {
		_, span := tracer.Start(ctx, fc.Object+"."+fc.Field.Name,
			trace.WithAttributes(attribute.String("graphql.field.path", listPath(fc))))
		ls = &listSpan{span: span}
		l.open[key] = ls
	}
	ls.calls++
	return ls
}

// leave records the end of one resolver call of ls.
func (l *listSpans) leave(ls *listSpan, err error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		ls.failed++
	}
	if now.After(ls.last) {
		ls.last = now
	}
}

// end ends every span, at the end of its last call, with the number of calls (and of failed
// ones).
func (l *listSpans) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for key, ls := range l.open {
		ls.span.SetAttributes(attribute.Int("graphql.resolver.calls", ls.calls))
		if ls.failed > 0 {
			ls.span.SetAttributes(attribute.Int("graphql.resolver.failed_calls", ls.failed))
			ls.span.SetStatus(codes.Error, "resolver failed")
		}
		ls.span.End(trace.WithTimestamp(ls.last))
		delete(l.open, key)
	}
}

// listPath is the path of the field being resolved without list indexes
// (country.projects.edges.node.donors): the same for every element of the lists above it.
func listPath(fc *graphql.FieldContext) string {
	var names []string
	for p := fc; p != nil; p = p.Parent {
		if p.Field.Field != nil && p.Index == nil {
			names = append(names, p.Field.Alias)
		}
	}
	slices.Reverse(names)
	return strings.Join(names, ".")
}

// spanned tells whether a resolver gets a span of its own: it returns a list or a connection,
// or it is an analysis (priced by @cost).
func spanned(fc *graphql.FieldContext) bool {
	def := fc.Field.Definition
	if def == nil || def.Type == nil {
		return false
	}
	return def.Type.Elem != nil || strings.HasSuffix(def.Type.Name(), "Connection") || def.Directives.ForName("cost") != nil
}
