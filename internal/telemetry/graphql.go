package telemetry

import (
	"context"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
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
	if e.t.recording(ctx) {
		ctx, span = e.t.tracer.Start(ctx, name, trace.WithAttributes(
			attribute.String("graphql.field.path", fc.Field.Alias), attribute.String("graphql.field.name", name)))
	}
	res := next(ctx)
	e.t.Metrics.rootFieldDuration.WithLabelValues(name).Observe(time.Since(start).Seconds())
	if span != nil {
		span.End()
	}
	return res
}

func (e graphQLExtension) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	if !e.t.recording(ctx) {
		return next(ctx)
	}
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver || fc.Object == "Query" || fc.Object == "Mutation" || !spanned(fc) {
		return next(ctx)
	}
	ctx, span := e.t.tracer.Start(ctx, fc.Object+"."+fc.Field.Name,
		trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
	res, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, "resolver failed")
	}
	span.End()
	return res, err
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
