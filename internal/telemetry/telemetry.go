package telemetry

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkresource "go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// Options configure the telemetry of one server.
type Options struct {
	// Version is the service.version of the spans.
	Version string
	// Exporter receives the finished spans; nil: tracing is off (spans are not recorded, but
	// every request still gets a trace id, its request id, and keeps the caller's trace context).
	Exporter sdktrace.SpanExporter
	// SyncExport exports each span when it ends instead of in batches (tests).
	SyncExport bool
	// SampleRatio is the share of new traces recorded (a caller's sampled trace is always
	// continued); 0: all of them.
	SampleRatio float64
	// MaxOperations bounds the operation names with series of their own (0: DefaultMaxOperations).
	MaxOperations int
	// SlowRequest is the time past which a request is logged with its statements; 0: never.
	SlowRequest time.Duration
	// Logger receives the slow-request log; nil: slog.Default().
	Logger *slog.Logger
}

// Telemetry holds the metrics, the tracer and the slow-query log of a server. A nil
// *Telemetry measures nothing: every method and middleware passes through.
type Telemetry struct {
	Metrics    *Metrics
	provider   *sdktrace.TracerProvider
	tracer     trace.Tracer
	tracing    bool
	propagator propagation.TextMapPropagator
	slow       time.Duration
	explain    func(ctx context.Context, cypher string, params map[string]any) (string, error)
	log        *slog.Logger
}

// New builds the telemetry of a server.
func New(o Options) *Telemetry {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	sampler := sdktrace.NeverSample()
	var opts []sdktrace.TracerProviderOption
	if o.Exporter != nil {
		ratio := o.SampleRatio
		if ratio <= 0 || ratio > 1 {
			ratio = 1
		}
		sampler = sdktrace.TraceIDRatioBased(ratio)
		if o.SyncExport {
			opts = append(opts, sdktrace.WithSyncer(o.Exporter))
		} else {
			opts = append(opts, sdktrace.WithBatcher(o.Exporter))
		}
	}
	res, err := sdkresource.Merge(sdkresource.Default(), sdkresource.NewSchemaless(
		attribute.String("service.name", "partnership-graph"), attribute.String("service.version", o.Version)))
	if err != nil {
		res = sdkresource.Default()
	}
	opts = append(opts, sdktrace.WithSampler(sdktrace.ParentBased(sampler)), sdktrace.WithResource(res))
	provider := sdktrace.NewTracerProvider(opts...)
	t := &Telemetry{
		Metrics:    NewMetrics(o.MaxOperations),
		provider:   provider,
		tracer:     provider.Tracer("github.com/partnership-graph/partnership-graph"),
		tracing:    o.Exporter != nil,
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		slow:       o.SlowRequest,
		log:        o.Logger,
	}
	return t
}

// SetExplain turns the debug mode of the slow-request log on (DEBUG_EXPLAIN_SLOW): the EXPLAIN
// plans of a slow request's statements follow its log line (explain is the store's Explain), so
// each request keeps its statements' text and parameters until it ends. It does nothing without
// a slow-request threshold. Call it before serving.
func (t *Telemetry) SetExplain(explain func(ctx context.Context, cypher string, params map[string]any) (string, error)) {
	if t.slow > 0 {
		t.explain = explain
	}
}

// Shutdown exports the spans still buffered and stops the tracer.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

// Statement is one Cypher statement a request ran, as the slow-query log shows it. It never
// holds the statement's parameters (the values of variables, which may be personal data).
type Statement struct {
	Name         string  `json:"name"`
	DurationMS   float64 `json:"duration_ms"`
	DatabaseMS   float64 `json:"database_ms"`
	Rows         int     `json:"rows"`
	Failed       bool    `json:"failed,omitempty"`
	Plan         string  `json:"plan,omitempty"`
	cypher       string
	params       map[string]any
	explainLater bool
}

// request is what the telemetry learns of one HTTP request while it runs.
type request struct {
	mu         sync.Mutex
	operation  string // the label; "" until a valid operation was seen
	code       string // of the first error
	hasData    bool
	cost       int
	statements []Statement
	keep       bool // keep statements' text and parameters for EXPLAIN
}

type requestKey struct{}

func requestOf(ctx context.Context) *request {
	r, _ := ctx.Value(requestKey{}).(*request)
	return r
}

// NoteError records the code of an error answered to the request (the first one is the
// request's code in the metrics); outside a measured request it does nothing.
func NoteError(ctx context.Context, code string) {
	if r := requestOf(ctx); r != nil {
		r.mu.Lock()
		if r.code == "" {
			r.code = code
		}
		r.mu.Unlock()
	}
}

// NoteCost records the cost of the request's operation, in points.
func NoteCost(ctx context.Context, cost int) {
	if r := requestOf(ctx); r != nil {
		r.mu.Lock()
		r.cost = cost
		r.mu.Unlock()
	}
}

// RequestID is the request id a request gets when its caller sent none: the trace id of its
// span (the caller's, from traceparent, or a new one); "" when there is no valid span.
func RequestID(ctx context.Context) string {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		return sc.TraceID().String()
	}
	return ""
}

// Middleware measures every request: it continues the caller's W3C trace context, opens the
// request's span, and at the end counts it, and logs it when it was slow. It runs outside the
// request-id middleware, which takes the trace id as request id.
func (t *Telemetry) Middleware(next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := routeOf(r.URL.Path)
		ctx := t.propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := t.tracer.Start(ctx, r.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer))
		rec := &request{keep: t.explain != nil && route == "/graphql"}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(ctx, requestKey{}, rec)))
		elapsed := time.Since(start)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if span.IsRecording() {
			span.SetAttributes(attribute.String("http.request.method", r.Method), attribute.String("http.route", route),
				attribute.Int("http.response.status_code", sw.status))
			if rec.operation != "" {
				span.SetName("graphql " + rec.operation)
				span.SetAttributes(attribute.String("graphql.operation.name", rec.operation))
			}
			if rec.code != "" {
				span.SetAttributes(attribute.String("graphql.error.code", rec.code))
			}
			if sw.status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(sw.status))
			}
		}
		span.End()
		m := t.Metrics
		switch {
		case route == "/graphql":
			op := rec.operation
			if op == "" {
				op = OperationNone
			}
			outcome := "success"
			if rec.code != "" {
				outcome = "error"
				if rec.hasData {
					outcome = "partial"
				}
			}
			m.requests.WithLabelValues(op, outcome, codeLabel(rec.code)).Inc()
			m.requestDuration.WithLabelValues(op).Observe(elapsed.Seconds())
			if rec.cost > 0 {
				m.cost.Observe(float64(rec.cost))
			}
			m.statementsPerRequest.Observe(float64(len(rec.statements)))
			m.observeRefusal("graphql", sw.status, sw.Header().Get("Retry-After") != "")
			if t.slow > 0 && elapsed >= t.slow {
				t.logSlow(ctx, sw.Header().Get("X-Request-Id"), rec, op, elapsed)
			}
		case strings.HasPrefix(route, "/export/"):
			if sw.status != http.StatusNotFound {
				m.observeExport(strings.TrimPrefix(route, "/export/"), sw.status, sw.Header().Get("X-Total-Count"), elapsed)
			}
			m.observeRefusal("export", sw.status, sw.Header().Get("Retry-After") != "")
		}
	})
}

// routeOf is the route of a path, bounded: unknown paths share one name.
func routeOf(path string) string {
	switch {
	case path == "/graphql", path == "/healthz", path == "/readyz", path == "/metrics":
		return path
	case strings.HasPrefix(path, "/export/"):
		if name := strings.TrimPrefix(path, "/export/"); graphQLName.MatchString(strings.NewReplacer(".", "_").Replace(name)) {
			return path
		}
		return "/export/other"
	case strings.HasPrefix(path, "/id/"):
		return "/id/"
	}
	return "/"
}

// logSlow logs a request that took longer than the threshold, with its operation, cost and the
// statements it ran (names and times, never parameters); in debug mode the statements' plans
// follow in a second line, once Neo4j has planned them again.
func (t *Telemetry) logSlow(ctx context.Context, id string, rec *request, op string, elapsed time.Duration) {
	statements := make([]Statement, len(rec.statements))
	copy(statements, rec.statements)
	for i := range rec.statements {
		rec.statements[i].params = nil // the request is done: drop the values at once
	}
	attrs := []any{"request_id", id, "trace_id", RequestID(ctx), "operation", op,
		"cost", rec.cost, "duration_ms", ms(elapsed), "statements", statements}
	if rec.code != "" {
		attrs = append(attrs, "code", rec.code)
	}
	t.log.WarnContext(ctx, "slow request", attrs...)
	if t.explain == nil || len(statements) == 0 {
		return
	}
	// Planned after the response, off the request's deadline: the client is not kept waiting.
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		planned := map[string]string{}
		for i, s := range statements {
			if s.cypher == "" {
				continue
			}
			if p, ok := planned[s.Name]; ok {
				statements[i].Plan = p
				continue
			}
			plan, err := t.explain(ctx, s.cypher, s.params)
			if err != nil {
				plan = "no plan: " + err.Error()
			}
			planned[s.Name], statements[i].Plan = plan, plan
			statements[i].params = nil
		}
		t.log.InfoContext(ctx, "slow request plans", "request_id", id, "operation", op, "statements", statements)
	}()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// recording tells whether spans below ctx are recorded: tracing is on and the request's trace
// was sampled (a span under an unsampled parent would not be recorded either, so none is made).
// Statements outside a request (the graph's sizes, migrations) start a trace of their own.
func (t *Telemetry) recording(ctx context.Context) bool {
	if !t.tracing {
		return false
	}
	parent := trace.SpanFromContext(ctx).SpanContext()
	return !parent.IsValid() || parent.IsSampled()
}

// StartStatement opens the span of a Cypher statement and, when it has run, counts it, times it
// and adds it to the request's statements (store.Instrument).
func (t *Telemetry) StartStatement(ctx context.Context, name, cypher string, params map[string]any) (context.Context, func(store.StatementRun)) {
	start := time.Now()
	var span trace.Span
	if t.recording(ctx) {
		ctx, span = t.tracer.Start(ctx, "cypher "+name, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(attribute.String("db.system.name", "neo4j"), attribute.String("db.query.summary", name)))
	}
	rec := requestOf(ctx)
	return ctx, func(run store.StatementRun) {
		elapsed := time.Since(start)
		t.Metrics.statementDuration.WithLabelValues(name).Observe(elapsed.Seconds())
		if run.Err != nil {
			t.Metrics.statementErrors.WithLabelValues(name).Inc()
		}
		if span != nil {
			span.SetAttributes(attribute.Int("db.response.returned_rows", run.Rows),
				attribute.Float64("neo4j.database_time_ms", ms(run.DatabaseTime)))
			if run.Err != nil {
				span.SetStatus(codes.Error, "statement failed")
			}
			span.End()
		}
		if rec == nil {
			return
		}
		s := Statement{Name: name, DurationMS: ms(elapsed), DatabaseMS: ms(run.DatabaseTime), Rows: run.Rows, Failed: run.Err != nil}
		rec.mu.Lock()
		if rec.keep {
			s.cypher, s.params = cypher, params
		}
		rec.statements = append(rec.statements, s)
		rec.mu.Unlock()
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (exports set their write deadline
// and flush through it).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
