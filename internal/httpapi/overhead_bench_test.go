package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// BenchmarkTelemetryOverhead compares the country page of the scale graph through two routers
// over the same Neo4j: one without telemetry, one with metrics and tracing on (every span
// exported over OTLP/HTTP to a local collector that discards them). Rounds alternate between the
// two, each sending overheadRequests requests from overheadClients clients, so that the load of
// a shared machine falls on both alike; it reports the throughput and p99 of each and their
// ratios (on/off: 1 is telemetry costing nothing; throughput below 1 and p99 above 1 are its
// cost), and the CPU time the process spent per request in each (less moved by the neighbours'
// load than wall times). Run with -benchtime=1x (make bench-telemetry).
func BenchmarkTelemetryOverhead(b *testing.B) {
	const overheadRounds, overheadRequests, overheadClients = 20, 150, 4
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
	tel := telemetry.New(telemetry.Options{Version: "bench", Exporter: exporter, SlowRequest: time.Second, Logger: quiet})
	defer func() { _ = tel.Shutdown(context.Background()) }()
	measured := store.New(driver, "neo4j", store.WithInstrument(tel))
	tel.Metrics.WatchStore(measured)

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
	off, on := router(plain, nil), router(measured, tel)
	defer off.Close()
	defer on.Close()
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
	{
		round(off.URL) // warm both: query cache, Neo4j's plans and page cache
		round(on.URL)
		var offRate, onRate []float64
		var offLat, onLat []time.Duration
		var offCPU, onCPU time.Duration
		for r := range overheadRounds {
			first, second := off.URL, on.URL
			if r%2 == 1 {
				first, second = second, first
			}
			for _, url := range []string{first, second} {
				before := cpu()
				rate, lat := round(url)
				used := cpu() - before
				if url == off.URL {
					offRate, offLat, offCPU = append(offRate, rate), append(offLat, lat...), offCPU+used
				} else {
					onRate, onLat, onCPU = append(onRate, rate), append(onLat, lat...), onCPU+used
				}
			}
		}
		median := func(v []float64) float64 {
			sort.Float64s(v)
			return v[len(v)/2]
		}
		b.ReportMetric(median(offRate), "off-req/s")
		b.ReportMetric(median(onRate), "on-req/s")
		b.ReportMetric(median(onRate)/median(offRate), "on/off-throughput")
		b.ReportMetric(float64(offCPU.Microseconds())/1000/float64(len(offLat)), "off-cpu-ms/req")
		b.ReportMetric(float64(onCPU.Microseconds())/1000/float64(len(onLat)), "on-cpu-ms/req")
		for _, q := range []struct {
			name string
			q    float64
		}{{"p50", 0.5}, {"p99", 0.99}} {
			offQ, onQ := quantile(offLat, q.q), quantile(onLat, q.q)
			b.ReportMetric(float64(offQ.Microseconds())/1000, "off-"+q.name+"-ms")
			b.ReportMetric(float64(onQ.Microseconds())/1000, "on-"+q.name+"-ms")
			b.ReportMetric(float64(onQ)/float64(offQ), "on/off-"+q.name)
		}
	}
}
