package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// BenchmarkTelemetryOverhead compares the country page of the scale graph through three routers
// over the same Neo4j: one without telemetry ("off"), one with metrics only, tracing off
// ("metrics"), and one with metrics and tracing, every span exported over OTLP/HTTP to a local
// collector that discards them ("traced"). Rounds rotate between the three, each sending
// overheadRequests requests from overheadClients clients, so that the load of a shared machine
// falls on all alike; it reports the throughput and p99 of each and their ratios to off (1 is
// telemetry costing nothing; throughput below 1 and p99 above 1 are its cost), and the CPU time
// the process spent per request in each. The throughput ratio is the median over rounds of each
// round's ratio to the off run next to it in time, so that a neighbour's burst of load, which
// moves whole rounds, moves the ratio much less; the p99s pool every round's latencies. Run with -benchtime=1x (make bench-telemetry).
func BenchmarkTelemetryOverhead(b *testing.B) {
	const overheadRounds, overheadRequests, overheadClients = 40, 150, 4
	driver := testenv.Driver(b)
	plain := store.New(driver, "neo4j")
	ensureScaleGraph(b, plain)

	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	defer collector.Close()
	exporter, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(collector.URL+"/v1/traces"))
	if err != nil {
		b.Fatal(err)
	}
	counted := &countingExporter{SpanExporter: exporter}
	traced := telemetry.New(telemetry.Options{Version: "bench", Exporter: counted, SlowRequest: time.Second, Logger: quiet})
	defer func() { _ = traced.Shutdown(context.Background()) }()
	metered := telemetry.New(telemetry.Options{Version: "bench", SlowRequest: time.Second, Logger: quiet})
	defer func() { _ = metered.Shutdown(context.Background()) }()
	measured := func(tel *telemetry.Telemetry) *store.Store {
		st := store.New(driver, "neo4j", store.WithInstrument(tel))
		tel.Metrics.WatchStore(st)
		return st
	}

	router := func(st *store.Store, tel *telemetry.Telemetry) *httptest.Server {
		return httptest.NewServer(httpapi.NewRouter(httpapi.Options{
			GraphQL:        graph.NewHandler(st, graph.Options{Version: "bench", Logger: quiet, Limits: &testLimits, Telemetry: tel}),
			Ready:          st.Ping,
			RequestTimeout: 10 * time.Second,
			Logger:         quiet,
			Anonymous:      reqctx.RoleAnalyst,
			Telemetry:      tel,
		}))
	}
	modes := []string{"off", "metrics", "traced"}
	servers := []*httptest.Server{router(store.New(driver, "neo4j"), nil), router(measured(metered), metered), router(measured(traced), traced)}
	for _, srv := range servers {
		defer srv.Close()
	}
	body, _ := json.Marshal(map[string]any{"query": benchQueries["CountryPage"]})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: overheadClients}}

	// cpu is the CPU time of this process (API and clients alike): on a shared machine, wall times
	// move with the neighbours' load, CPU time much less.
	cpu := func() time.Duration {
		var u syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
		return time.Duration(u.Utime.Nano() + u.Stime.Nano())
	}
	round := func(url string) (perSecond float64, latencies []time.Duration) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		jobs := make(chan struct{}, overheadRequests)
		for range overheadRequests {
			jobs <- struct{}{}
		}
		close(jobs)
		start := time.Now()
		for range overheadClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					t0 := time.Now()
					resp, err := client.Post(url+"/graphql", "application/json", bytes.NewReader(body))
					if err != nil {
						b.Error(err)
						return
					}
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
						b.Errorf("status %d: %s", resp.StatusCode, raw)
						return
					}
					mu.Lock()
					latencies = append(latencies, time.Since(t0))
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return float64(len(latencies)) / time.Since(start).Seconds(), latencies
	}
	quantile := func(d []time.Duration, q float64) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[int(float64(len(d)-1)*q)]
	}
	// One measurement, however many times the framework asks (b.N): the rounds are the repeats.
	for _, srv := range servers {
		round(srv.URL) // warm each: query cache, Neo4j's plans and page cache
	}
	rates := make([][]float64, len(modes))
	latencies := make([][]time.Duration, len(modes))
	cpus := make([]time.Duration, len(modes))
	counted.spans.Store(0) // the warm-up's spans still buffered are counted with the rounds': a small excess
	for r := range overheadRounds {
		for i := range modes {
			m := (i + r) % len(modes) // each mode first, second and third in turn
			runtime.GC()              // each round starts clean and pays the collection of its own garbage
			before := cpu()
			rate, lat := round(servers[m].URL)
			cpus[m] += cpu() - before
			rates[m], latencies[m] = append(rates[m], rate), append(latencies[m], lat...)
		}
	}
	median := func(v []float64) float64 {
		sort.Float64s(v)
		return v[len(v)/2]
	}
	_ = traced.Shutdown(context.Background()) // exports the spans still buffered
	b.ReportMetric(float64(counted.spans.Load())/float64(len(latencies[2])), "traced-spans/req")
	offP99 := quantile(latencies[0], 0.99)
	for m, mode := range modes {
		paired := make([]float64, overheadRounds)
		for r := range paired {
			paired[r] = rates[m][r] / rates[0][r]
		}
		rate, p99 := median(append([]float64(nil), rates[m]...)), quantile(latencies[m], 0.99)
		b.ReportMetric(rate, mode+"-req/s")
		b.ReportMetric(float64(p99.Microseconds())/1000, mode+"-p99-ms")
		b.ReportMetric(float64(cpus[m].Microseconds())/1000/float64(len(latencies[m])), mode+"-cpu-ms/req")
		if m > 0 {
			b.ReportMetric(median(paired), mode+"/off-throughput")
			b.ReportMetric(float64(p99)/float64(offP99), mode+"/off-p99")
		}
	}
}

// countingExporter counts the spans it passes on.
type countingExporter struct {
	sdktrace.SpanExporter
	spans atomic.Int64
}

func (c *countingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	c.spans.Add(int64(len(spans)))
	return c.SpanExporter.ExportSpans(ctx, spans)
}
