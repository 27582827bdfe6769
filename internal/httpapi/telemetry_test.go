package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/telemetry"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// observed is an API over a store, both measured by one telemetry.
type observed struct {
	api *httptest.Server
	tel *telemetry.Telemetry
}

// serveObserved loads dataset and serves the router with telemetry built from opts.
func serveObserved(t *testing.T, dataset string, opts telemetry.Options, metricsOnAPI bool, limiter *ratelimit.Limiter) observed {
	t.Helper()
	tel := telemetry.New(opts)
	st := store.New(testenv.Driver(t), "neo4j", store.WithInstrument(tel))
	testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, dataset)
	tel.Metrics.WatchStore(st)
	api := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL:        graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &testLimits, RateLimiter: limiter, Telemetry: tel}),
		Ready:          st.Ping,
		RequestTimeout: 10 * time.Second,
		Logger:         quiet,
		Anonymous:      reqctx.RoleAnalyst,
		Limiter:        limiter,
		Telemetry:      tel,
		MetricsOnAPI:   metricsOnAPI,
		Exports:        &httpapi.Exports{Store: st, BaseURL: "http://127.0.0.1:8080", Timeout: time.Minute},
	}))
	t.Cleanup(api.Close)
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return observed{api: api, tel: tel}
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

// sample returns the value of one series of a scrape ("" when it is missing).
func sample(scraped, series string) string {
	for _, line := range strings.Split(scraped, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}

const countryPage = `query CountryPage { country(code: "SN") { name projects(first: 5) { totalCount edges { node { title donors(first: 3) { edges { node { name } } } } } } } }`

func TestMetricsAfterKnownTraffic(t *testing.T) {
	limiter := ratelimit.New(sharedstate.NewMemory(nil), ratelimit.Policy{Burst: 1_000_000, PerSecond: 1, PerClient: 8})
	o := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{MaxOperations: 3}, false, limiter)
	for range 3 {
		query(t, o.api, countryPage, nil)
	}
	query(t, o.api, `{ about { name } }`, nil)                                                     // unnamed
	query(t, o.api, `query Missing { node(id: "country:none") { id } }`, nil)                      // not a global id: data null and an error
	query(t, o.api, `query Broken { country(code: "SN") { noSuchField } }`, nil)                   // invalid: never an operation
	query(t, o.api, `query Third { about { name } }`, nil)                                         // the third name: its own series
	query(t, o.api, `query Fourth { about { name } }`, nil)                                        // past METRICS_MAX_OPERATIONS
	query(t, o.api, `query Failing($c: String!) { country(code: $c) { name } }`, map[string]any{}) // variable missing: never an operation

	resp := exportGet(t, o.api.URL+"/export/projects.ndjson", nil)
	exported, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	rows := strconv.Itoa(strings.Count(string(exported), "\n"))
	exportGet(t, o.api.URL+"/export/projects.ndjson?where=not-json", nil).Body.Close()

	m := scrape(t, o.tel.Metrics.Handler())
	for series, want := range map[string]string{
		`partnership_graph_export_runs_total{format="projects.ndjson",outcome="success"}`:                              "1",
		`partnership_graph_export_runs_total{format="projects.ndjson",outcome="refused"}`:                              "1",
		`partnership_graph_export_rows_total{format="projects.ndjson"}`:                                                rows,
		`partnership_graph_export_duration_seconds_count{format="projects.ndjson"}`:                                    "1",
		`partnership_graph_graphql_requests_total{code="none",operation="CountryPage",outcome="success"}`:              "3",
		`partnership_graph_graphql_requests_total{code="none",operation="_unnamed",outcome="success"}`:                 "1",
		`partnership_graph_graphql_requests_total{code="BAD_USER_INPUT",operation="Missing",outcome="partial"}`:        "1",
		`partnership_graph_graphql_requests_total{code="GRAPHQL_VALIDATION_FAILED",operation="_none",outcome="error"}`: "1",
		`partnership_graph_graphql_requests_total{code="none",operation="Third",outcome="success"}`:                    "1",
		`partnership_graph_graphql_requests_total{code="none",operation="_other",outcome="success"}`:                   "1",
		`partnership_graph_graphql_requests_total{code="BAD_USER_INPUT",operation="_none",outcome="error"}`:            "1",
		`partnership_graph_graphql_request_duration_seconds_count{operation="CountryPage"}`:                            "3",
		`partnership_graph_graphql_root_field_duration_seconds_count{field="Query.country"}`:                           "3",
		`partnership_graph_graphql_root_field_duration_seconds_count{field="Query.about"}`:                             "3",
		`partnership_graph_cypher_statements_per_request_count`:                                                        "9",
		`partnership_graph_neo4j_sessions_max`:                                                                         "45",
		`partnership_graph_neo4j_anonymous_sessions_max`:                                                               "8",
		`partnership_graph_neo4j_breaker_open`:                                                                         "0",
		`partnership_graph_neo4j_sessions_in_use`:                                                                      "0",
	} {
		if got := sample(m, series); got != want {
			t.Errorf("%s = %q, want %s", series, got, want)
		}
	}
	if t.Failed() {
		t.Logf("scraped:\n%s", regexp.MustCompile(`(?m)^partnership_graph_graphql_requests_total.*$`).FindAllString(m, -1))
	}
	// Three country pages ran their root field's statement three times, each priced.
	if got := regexp.MustCompile(`partnership_graph_cypher_statement_duration_seconds_count\{statement="([^"]+)"\} (\d+)`).FindAllStringSubmatch(m, -1); len(got) < 2 {
		t.Errorf("statement latencies by name: %v", got)
	}
	if got := sample(m, `partnership_graph_graphql_operation_cost_count`); got == "" || got == "0" {
		t.Errorf("no operation cost observed: %q", got)
	}
	for _, family := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes"} {
		if !strings.Contains(m, "\n"+family+" ") {
			t.Errorf("no %s in the scrape", family)
		}
	}

	// A budget spent: the next request is refused with 429 and counted as a rate-limit refusal.
	spent := ratelimit.New(sharedstate.NewMemory(nil), ratelimit.Policy{Burst: 1, PerSecond: 1, PerClient: 8})
	r := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{}, false, spent)
	statuses := []int{}
	for range 3 {
		resp, _ := post(t, r.api, map[string]any{"query": `query Cheap { about { name } }`})
		statuses = append(statuses, resp.StatusCode)
	}
	m = scrape(t, r.tel.Metrics.Handler())
	refused := 0
	for _, s := range statuses {
		if s == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Fatalf("statuses %v: the spent budget refused nothing", statuses)
	}
	if got, want := sample(m, `partnership_graph_rate_limit_refusals_total{reason="rate_limited",route="graphql"}`), strconv.Itoa(refused); got != want {
		t.Errorf("refusals = %q, want %s (statuses %v)", got, want, statuses)
	}
	if got := sample(m, `partnership_graph_graphql_requests_total{code="RATE_LIMITED",operation="_none",outcome="error"}`); got != strconv.Itoa(refused) {
		t.Errorf("requests refused at the door = %q, want %d", got, refused)
	}
}

// TestMetricsAreNotOnTheAPIPortByDefault: as shipped, /metrics is served by a listener of its
// own (METRICS_ADDR, loopback); the API's port serves it only with METRICS_ADDR=api.
func TestMetricsAreNotOnTheAPIPortByDefault(t *testing.T) {
	o := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{}, false, nil)
	resp := get(t, o.api.URL+"/metrics", nil)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), "partnership_graph_") {
		t.Errorf("the API port serves the metrics without METRICS_ADDR=api: %d", resp.StatusCode)
	}
	on := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{}, true, nil)
	query(t, on.api, `query Ping { about { name } }`, nil)
	resp = get(t, on.api.URL+"/metrics", nil)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `partnership_graph_graphql_requests_total{code="none",operation="Ping",outcome="success"} 1`) {
		t.Errorf("METRICS_ADDR=api: GET /metrics answered %d without the request's series", resp.StatusCode)
	}
}

// spanTree renders the spans of one trace as an indented tree of names, children sorted by name
// (siblings run concurrently).
func spanTree(t *testing.T, spans tracetest.SpanStubs, traceID string) string {
	t.Helper()
	children := map[string][]tracetest.SpanStub{}
	for _, s := range spans {
		if s.SpanContext.TraceID().String() != traceID {
			continue // loading the test data, the graph's sizes read in the background
		}
		parent := ""
		if s.Parent.IsValid() && !s.Parent.IsRemote() {
			parent = s.Parent.SpanID().String()
		}
		children[parent] = append(children[parent], s)
	}
	var b strings.Builder
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		list := children[parent]
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && list[j].Name < list[j-1].Name; j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
		for _, s := range list {
			b.WriteString(strings.Repeat("  ", depth) + s.Name + "\n")
			walk(s.SpanContext.SpanID().String(), depth+1)
		}
	}
	walk("", 0)
	return b.String()
}

func attr(s tracetest.SpanStub, key string) (string, bool) {
	for _, a := range s.Attributes {
		if string(a.Key) == key {
			return a.Value.Emit(), true
		}
	}
	return "", false
}

func TestSpanTreeOfANestedQueryAndOfAnAnalysis(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	o := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{Exporter: exp, SyncExport: true}, false, nil)

	// The caller's W3C trace context is continued: the request id is its trace id.
	const traceID, parentID = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req, _ := http.NewRequest(http.MethodPost, o.api.URL+"/graphql", strings.NewReader(mustJSON(map[string]any{"query": countryPage})))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+traceID+"-"+parentID+"-01")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if out := decode(t, resp); len(out.Errors) > 0 {
		t.Fatalf("errors: %+v", out.Errors)
	}
	if got := resp.Header.Get("X-Request-Id"); got != traceID {
		t.Errorf("X-Request-Id = %q, want the trace id %s", got, traceID)
	}
	spans := exp.GetSpans()
	// The country is read under the key the reference index (read here for the first time) gives
	// its code, in the statement of its projects, read ahead with their donors (one subquery per
	// project); the list resolvers then read what was fetched, one span per list field and
	// level: the Project.donors of both projects share one.
	want := `graphql CountryPage
  Query.country
    Country.projects
      Project.donors
    cypher Country.projects
    cypher reference_index
`
	if got := spanTree(t, spans, traceID); got != want {
		t.Errorf("span tree of the nested query:\n%s\nwant:\n%s", got, want)
	}
	for _, s := range spans {
		if s.Name != "Project.donors" {
			continue
		}
		calls, _ := attr(s, "graphql.resolver.calls")
		path, _ := attr(s, "graphql.field.path")
		if calls != "2" || path != "country.projects.edges.node.donors" {
			t.Errorf("span Project.donors: calls %q path %q, want the 2 projects' calls at country.projects.edges.node.donors", calls, path)
		}
	}
	for _, s := range spans {
		if s.SpanContext.TraceID().String() != traceID || (s.Parent.IsValid() && !s.Parent.IsRemote()) {
			continue
		}
		if s.Parent.SpanID().String() != parentID || s.SpanKind.String() != "server" {
			t.Errorf("root span %s: parent %s kind %s, want the caller's %s, server", s.Name, s.Parent.SpanID(), s.SpanKind, parentID)
		}
	}
	for _, s := range spans {
		if !strings.HasPrefix(s.Name, "cypher ") {
			continue
		}
		name, _ := attr(s, "db.query.summary")
		rows, hasRows := attr(s, "db.response.returned_rows")
		_, hasTime := attr(s, "neo4j.database_time_ms")
		if "cypher "+name != s.Name || !hasRows || !hasTime || rows == "" {
			t.Errorf("statement span %s: attributes %v", s.Name, s.Attributes)
		}
	}

	// An analysis: its root field's span holds the analysis statement's.
	exp.Reset()
	a := serveObserved(t, "internal/httpapi/testdata/analytics", telemetry.Options{Exporter: exp, SyncExport: true}, false, nil)
	resp, out := post(t, a.api, map[string]any{"query": `query Overlaps { overlappingFunding(asOf: "` + analyticsAsOf + `") { windowCount } }`})
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %+v", out.Errors)
	}
	tree := spanTree(t, exp.GetSpans(), resp.Header.Get("X-Request-Id"))
	if !regexp.MustCompile(`^graphql Overlaps\n  Query.overlappingFunding\n(    cypher [a-z_]+\n)+$`).MatchString(tree) {
		t.Errorf("span tree of the analysis:\n%s", tree)
	}
	if !strings.Contains(tree, "cypher analysis_") {
		t.Errorf("no analysis statement in the span tree:\n%s", tree)
	}

	// A caller's trace that is not sampled is followed: no span of it is recorded.
	exp.Reset()
	const unsampled = "5bf92f3577b34da6a3ce929d0e0e4737"
	req, _ = http.NewRequest(http.MethodPost, a.api.URL+"/graphql", strings.NewReader(mustJSON(map[string]any{"query": countryPage})))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("traceparent", "00-"+unsampled+"-"+parentID+"-00")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if tree := spanTree(t, exp.GetSpans(), unsampled); tree != "" || resp.Header.Get("X-Request-Id") != unsampled {
		t.Errorf("an unsampled trace (request id %s) recorded spans:\n%s", resp.Header.Get("X-Request-Id"), tree)
	}
}

func TestSlowRequestsAreLoggedWithStatementsAndPlansButNoValues(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	o := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{SlowRequest: time.Nanosecond, Logger: logger}, false, nil)
	st := store.New(testenv.Driver(t), "neo4j")
	o.tel.SetExplain(st.Explain)

	const secret = "Senegal-secret-words"
	_, out := post(t, o.api, map[string]any{"query": `query Find($text: String!) { search(text: $text, first: 3) { totalCount } }`,
		"variables": map[string]any{"text": secret}})
	if len(out.Errors) > 0 {
		t.Fatalf("errors: %+v", out.Errors)
	}
	var plans string
	for i := 0; i < 100 && plans == ""; i++ {
		for _, line := range strings.Split(logs.String(), "\n") {
			if strings.Contains(line, `"msg":"slow request plans"`) {
				plans = line
			}
		}
		if plans == "" {
			time.Sleep(50 * time.Millisecond)
		}
	}
	all := logs.String()
	if !regexp.MustCompile(`"msg":"slow request".*"operation":"Find".*"cost":\d+.*"statements":\[\{"name":"[a-z_.A-Z]+","duration_ms":[0-9.]+,"database_ms":[0-9.]+,"rows":\d+`).MatchString(all) {
		t.Errorf("no slow-request line with operation, cost and timed statements:\n%s", all)
	}
	if !strings.Contains(plans, `"plan":"+ProduceResults`) {
		t.Errorf("no EXPLAIN plan in debug mode:\n%s", all)
	}
	if strings.Contains(all, secret) {
		t.Errorf("the log holds a variable's value:\n%s", all)
	}

	// Off by default: no threshold, no line.
	quietLogs := &syncBuffer{}
	q := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{Logger: slog.New(slog.NewJSONHandler(quietLogs, nil))}, false, nil)
	q.tel.SetExplain(st.Explain)
	query(t, q.api, countryPage, nil)
	if strings.Contains(quietLogs.String(), "slow request") {
		t.Errorf("slow-request log without a threshold:\n%s", quietLogs.String())
	}
}

// TestRequestIDIsTheTraceID: with tracing off, a request's id is still its trace id (the
// caller's traceparent, or a new one); a caller's own X-Request-Id is kept as before.
func TestRequestIDIsTheTraceID(t *testing.T) {
	o := serveObserved(t, "internal/httpapi/testdata/fixture", telemetry.Options{}, false, nil)
	send := func(header map[string]string) (string, gqlResponse) {
		req, _ := http.NewRequest(http.MethodPost, o.api.URL+"/graphql", strings.NewReader(`{"query":"{ country(code: 1) { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Get("X-Request-Id"), decode(t, resp)
	}
	const traceID = "0af7651916cd43dd8448eb211c80319c"
	for _, c := range []struct {
		header map[string]string
		want   string
	}{
		{nil, `^[0-9a-f]{32}$`},
		{map[string]string{"traceparent": "00-" + traceID + "-b7ad6b7169203331-01"}, "^" + traceID + "$"},
		{map[string]string{"X-Request-Id": "client-chosen.1", "traceparent": "00-" + traceID + "-b7ad6b7169203331-01"}, `^client-chosen\.1$`},
	} {
		id, out := send(c.header)
		if !regexp.MustCompile(c.want).MatchString(id) || len(out.Errors) == 0 || out.Errors[0].Extensions["requestId"] != id {
			t.Errorf("headers %v: X-Request-Id %q, errors %+v; want %s in both", c.header, id, out.Errors, c.want)
		}
	}
}
