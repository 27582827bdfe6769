package telemetry

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestUnsampledFieldsCostNoAllocation: below a trace that is not sampled, the field interceptor
// passes each resolver call through without allocating (no span, no attribute, no path).
func TestUnsampledFieldsCostNoAllocation(t *testing.T) {
	tel := New(Options{Exporter: tracetest.NewInMemoryExporter(), SyncExport: true})
	defer func() { _ = tel.Shutdown(context.Background()) }()
	ctx := trace.ContextWithSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}}))
	ext := tel.GraphQL().(graphQLExtension)
	resolve := func(context.Context) (any, error) { return nil, nil }
	if allocs := testing.AllocsPerRun(100, func() { _, _ = ext.InterceptField(ctx, resolve) }); allocs != 0 {
		t.Errorf("an unsampled resolver call allocated %v times", allocs)
	}
	if !tel.recording(trace.ContextWithSpanContext(ctx, trace.SpanContextFromContext(ctx).WithTraceFlags(trace.FlagsSampled))) {
		t.Error("a sampled trace is not recorded")
	}
}
