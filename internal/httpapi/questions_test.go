package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// shippedRateLimit is the rate limit as the server ships it (RATE_LIMIT_BURST,
// RATE_LIMIT_PER_SECOND, MAX_CONCURRENT_PER_CLIENT).
var shippedRateLimit = ratelimit.Policy{Burst: 100_000, PerSecond: 1000, PerClient: 8}

// TestAnalystQuestionsFitOneRequest asks the questions an analyst brings (testdata/questions: a
// folder per question with query.graphql and expected.json) of the default graph (the curated
// seed and the EUTF export) as the API ships: default limits (MAX_QUERY_COST 50,000), default
// rate limit, an anonymous caller. Each question is one request that answers without an error;
// expected.json holds its cost (computed as the server computes it) and its answer, and the
// whole set costs less than one client's burst, so a script asking them all never waits.
// -update rewrites expected.json.
func TestAnalystQuestionsFitOneRequest(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDefaultGraph(t, st)
	limiter := ratelimit.New(sharedstate.NewMemory(nil), shippedRateLimit)
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL:        graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &limits.Defaults, RateLimiter: limiter}),
		Ready:          st.Ping,
		RequestTimeout: 10 * time.Second,
		Logger:         quiet,
		Anonymous:      reqctx.RoleAnonymous,
		Limiter:        limiter,
	}))
	t.Cleanup(srv.Close)

	stats, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	prices := limits.Prices{Scan: limits.ScanPrice(int(stats.Rows(store.KindProject))), Graph: stats}
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()

	dirs, err := filepath.Glob("testdata/questions/*")
	if err != nil || len(dirs) < 15 {
		t.Fatalf("want at least 15 questions, found %d (%v)", len(dirs), err)
	}
	total := 0
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			q, err := os.ReadFile(filepath.Join(dir, "query.graphql"))
			if err != nil {
				t.Fatal(err)
			}
			doc, errs := gqlparser.LoadQuery(schema, string(q))
			if errs != nil {
				t.Fatalf("query does not validate: %v", errs)
			}
			cost := limits.Of(schema, doc.Operations[0], nil, prices).Cost
			total += cost
			if cost > limits.Defaults.MaxCost {
				t.Errorf("costs %d points, over the default MAX_QUERY_COST of %d", cost, limits.Defaults.MaxCost)
			}
			resp, out := post(t, srv, map[string]any{"query": string(q)})
			if resp.StatusCode != 200 || len(out.Errors) > 0 {
				t.Fatalf("status %d, errors %+v", resp.StatusCode, out.Errors)
			}
			got, _ := json.MarshalIndent(map[string]any{"cost": cost, "data": out.Data}, "", "  ")
			got = append(got, '\n')
			if file, same := matchesExpected(t, dir, got); !same {
				t.Errorf("answer (cost %d) differs from %s:\n%s", cost, file, got)
			}
		})
	}
	t.Logf("the %d questions cost %d points in all", len(dirs), total)
	if total >= shippedRateLimit.Burst {
		t.Errorf("the questions cost %s points, more than one client's burst of %d", strconv.Itoa(total), shippedRateLimit.Burst)
	}
}
