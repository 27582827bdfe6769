package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// limitedRouter serves st with the limiter and persisted queries kept in state, as the server
// does (anonymous callers are analysts, so every request takes the anonymous caps too).
func limitedRouter(st *store.Store, state sharedstate.Store, policy ratelimit.Policy) *httptest.Server {
	limiter := ratelimit.New(state, policy)
	return httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "bench", Logger: quiet, Limits: &testLimits, RateLimiter: limiter, State: state}),
		Ready:   st.Ping, RequestTimeout: 10 * time.Second, Logger: quiet, Anonymous: reqctx.RoleAnalyst, Limiter: limiter,
	}))
}

// postOK sends body to srv's /graphql and fails the benchmark on any error.
func postOK(b *testing.B, client *http.Client, url string, body []byte) {
	if err := sendQuery(client, url, body); err != nil {
		b.Fatal(err)
	}
}

func sendQuery(client *http.Client, url string, body []byte) error {
	resp, err := client.Post(url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
		return fmt.Errorf("status %d: %s", resp.StatusCode, raw)
	}
	return nil
}

// BenchmarkSharedStateOverhead measures what keeping the limits in Redis (REDIS_URL) adds to a
// cheap query (the first country's name: one small statement), against the in-memory store:
// one client, rounds alternating between the two routers over the same Neo4j so that a shared
// machine's load falls on both alike. It reports p50 and p99 of each, in ms, and the difference
// at p50. Every request costs the budget's GCRA, three in-flight slots taken and given back and
// the GraphQL layer's charge: about eight Redis round trips. Run with -benchtime=1x.
func BenchmarkSharedStateOverhead(b *testing.B) {
	const rounds, perRound = 10, 300
	st := store.New(testenv.Driver(b), "neo4j")
	redis := testenv.Redis(b, testenv.Port(6))
	shared, _, closeShared, err := sharedstate.Open(redis.URL, map[string]int64{"apq": 1 << 20}, quiet)
	if err != nil {
		b.Fatal(err)
	}
	defer closeShared()
	modes := []string{"memory", "redis"}
	servers := []*httptest.Server{limitedRouter(st, sharedstate.NewMemory(map[string]int64{"apq": 1 << 20}), ratelimit.DefaultPolicy),
		limitedRouter(st, shared, ratelimit.DefaultPolicy)}
	for _, srv := range servers {
		defer srv.Close()
	}
	body, _ := json.Marshal(map[string]any{"query": `{ countries(first: 1) { edges { node { name } } } }`})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	for _, srv := range servers {
		for range 50 {
			postOK(b, client, srv.URL, body) // warm caches, connections and plans
		}
	}
	latencies := make([][]time.Duration, len(servers))
	b.ResetTimer()
	for range b.N {
		for r := range rounds {
			for i := range servers {
				m := (i + r) % len(servers) // alternate which goes first
				for range perRound {
					start := time.Now()
					postOK(b, client, servers[m].URL, body)
					latencies[m] = append(latencies[m], time.Since(start))
				}
			}
		}
	}
	b.StopTimer()
	p50 := make([]float64, len(servers))
	for m, l := range latencies {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
		p50[m] = ms(l[len(l)/2])
		b.ReportMetric(p50[m], modes[m]+"-p50-ms")
		b.ReportMetric(ms(l[len(l)*99/100]), modes[m]+"-p99-ms")
	}
	b.ReportMetric(p50[1]-p50[0], "added-p50-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkThroughputPerCore measures the CPU one request of each main shape costs the API and
// Neo4j on the synthetic graph (BENCH_PROJECTS projects, 100,000 by default): throughputClients
// clients send throughputRequests requests of a shape, and the CPU time this process (the API,
// and the load generator's HTTP clients with it: an upper bound for the API) and the Neo4j
// process used meanwhile is divided by the requests. Requests a second per core is 1000 over
// the ms. CPU time, unlike wall time, holds steady on a machine shared with other work.
// Run with -benchtime=1x; the README's "Sizing" table is made from its figures.
func BenchmarkThroughputPerCore(b *testing.B) {
	const throughputRequests, throughputClients = 400, 4
	st := store.New(testenv.Driver(b), "neo4j")
	ensureScaleGraph(b, st)
	neo4jPID, err := testenv.Neo4jPID()
	if err != nil {
		b.Fatal(err)
	}
	// One client sends everything: a budget it never exhausts, and no cap on analyses and scans
	// (4 clients of one shape would hit them), the other caps as shipped.
	unmetered := ratelimit.DefaultPolicy
	unmetered.Burst, unmetered.PerSecond = 1<<30, 1<<30
	unmetered.Scans, unmetered.Analyses = 0, 0
	srv := limitedRouter(st, sharedstate.NewMemory(map[string]int64{"apq": 1 << 20}), unmetered)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: throughputClients}}
	shapes := []string{"CountryPage", "FilteredProjects", "Search", "FundingByDonorAndYearInCountry", "NeighbourhoodDepth2", "OverlapInCountry"}
	for _, name := range shapes {
		body, _ := json.Marshal(map[string]any{"query": benchQueries[name]})
		b.Run(name, func(b *testing.B) {
			for range 20 {
				postOK(b, client, srv.URL, body)
			}
			var apiCPU, dbCPU, wall time.Duration
			for range b.N {
				api0, db0 := selfCPU(), neo4jCPU(b, neo4jPID)
				start := time.Now()
				var wg sync.WaitGroup
				for c := range throughputClients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := c; i < throughputRequests; i += throughputClients {
							if err := sendQuery(client, srv.URL, body); err != nil {
								b.Error(err)
								return
							}
						}
					}()
				}
				wg.Wait()
				wall += time.Since(start)
				apiCPU += selfCPU() - api0
				dbCPU += neo4jCPU(b, neo4jPID) - db0
			}
			n := float64(b.N * throughputRequests)
			apiMS, dbMS := ms(apiCPU)/n, ms(dbCPU)/n
			b.ReportMetric(apiMS, "api-cpu-ms/op")
			b.ReportMetric(dbMS, "neo4j-cpu-ms/op")
			b.ReportMetric(n/wall.Seconds(), "req/s")
			b.Logf("%s: API %.2f ms CPU a request (%.0f req/s per core), Neo4j %.2f ms (%.0f req/s per core)",
				name, apiMS, 1000/apiMS, dbMS, 1000/dbMS)
		})
	}
}

func selfCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func neo4jCPU(b *testing.B, pid int) time.Duration {
	d, err := testenv.CPUTime(pid)
	if err != nil {
		b.Fatal(fmt.Errorf("CPU time of Neo4j: %w", err))
	}
	return d
}
