package httpapi_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/ratelimit"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// hardened is the API as the server wires it by default (limits, policy, shared state), over
// the fixture, with API keys and a statement log.
type hardened struct {
	srv   *httptest.Server
	store *store.Store
	log   *statementLog
	state *sharedstate.Memory
}

func hardenedAPI(t *testing.T, policy ratelimit.Policy) *hardened {
	t.Helper()
	testenv.LoadDataset(t, testenv.EmptyStore(t), "internal/httpapi/testdata/fixture")
	return hardenedOver(t, policy)
}

// hardenedOver serves whatever graph the test Neo4j holds.
func hardenedOver(t testing.TB, policy ratelimit.Policy) *hardened {
	t.Helper()
	return hardenedWithDeadline(t, policy, 10*time.Second)
}

func hardenedWithDeadline(t testing.TB, policy ratelimit.Policy, deadline time.Duration) *hardened {
	t.Helper()
	h := &hardened{log: &statementLog{}, state: sharedstate.NewMemory(map[string]int64{"apq": 4096})}
	h.store = store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(h.log.observe))
	t.Cleanup(h.store.Close)
	keys := testKeys(t)
	limiter := ratelimit.New(h.state, policy)
	h.srv = httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(h.store, graph.Options{Version: "test", Logger: quiet, Limits: &limits.Defaults,
			RateLimiter: limiter, State: h.state, MaxPersistedQueryBytes: 2048}),
		Ready:          h.store.Ping,
		RequestTimeout: deadline,
		Logger:         quiet,
		Keys:           keys,
		Anonymous:      reqctx.RoleAnonymous,
		Limiter:        limiter,
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hardened) post(t *testing.T, body map[string]any, header http.Header) (*http.Response, gqlResponse) {
	t.Helper()
	b, _ := json.Marshal(body)
	return send(t, h.srv, http.MethodPost, "application/json", string(b), header)
}

// expectHealthy checks what every refusal must leave behind: the API answers, the breaker is
// closed, Neo4j runs nothing and is idle, and the heap is back near where it was.
func (h *hardened) expectHealthy(t *testing.T, heapBefore uint64) {
	t.Helper()
	if h.store.BreakerOpen() {
		t.Error("the breaker is open")
	}
	testenv.ExpectNeo4jIdle(t)
	_, out := h.post(t, map[string]any{"query": `{ thematicAreas(first: 1) { totalCount } }`}, bearer(readerKey))
	if len(out.Errors) > 0 || out.Data["thematicAreas"] == nil {
		t.Errorf("a plain query after the refusal: %+v", out.Errors)
	}
	if after := testenv.HeapInUse(); after > heapBefore+64<<20 {
		t.Errorf("heap %d MB after, %d MB before", after>>20, heapBefore>>20)
	}
}

func nested(key string, levels int, leaf any) any {
	v := leaf
	for i := 0; i < levels; i++ {
		v = map[string]any{key: v}
	}
	return v
}

func keys(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprintf("project:p-%d", i)
	}
	return out
}

// alternating nests donorsSome and fundsSome (projects -> donors -> projects...) levels deep.
func alternating(levels int, leaf any) any {
	v := leaf
	for i := 0; i < levels; i++ {
		key := "donorsSome"
		if i%2 == 0 {
			key = "fundsSome"
		}
		v = map[string]any{key: v}
	}
	return v
}

func TestFilterBombsAreRefusedBeforeAnyCypherRuns(t *testing.T) {
	h := hardenedAPI(t, ratelimit.DefaultPolicy)
	heap := testenv.HeapInUse()
	title := map[string]any{"title": map[string]any{"contains": "x"}}
	inline := "{title: {contains: \"x\"}}"
	for i := 0; i < 300; i++ {
		inline = "{NOT: " + inline + "}"
	}
	ors := make([]any, 1000)
	for i := range ors {
		ors[i] = map[string]any{"title": map[string]any{"equals": fmt.Sprintf("t%d", i)}}
	}
	cases := []struct {
		name, query string
		vars        map[string]any
		limit       string
	}{
		{"NOT 300 deep inline", `{ projects(first: 5, where: ` + inline + `) { totalCount } }`, nil, "filterDepth"},
		{"NOT 2000 deep in variables", `query($w: ProjectWhere) { projects(first: 5, where: $w) { totalCount } }`,
			map[string]any{"w": nested("NOT", 2000, title)}, "filterDepth"},
		{"donorsSome 600 deep in variables", `query($w: ProjectWhere) { projects(first: 5, where: $w) { totalCount } }`,
			map[string]any{"w": alternating(300, title)}, "filterDepth"},
		{"OR of 1000 titles", `query($w: ProjectWhere) { projects(first: 5, where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"OR": ors}}, "filterConditions"},
		{"5000 keys", `query($k: [String!]) { projects(first: 5, where: {keys: $k}) { totalCount } }`,
			map[string]any{"k": keys(5000)}, "listItems"},
		{"long strings", `query($w: ProjectWhere) { projects(first: 5, where: $w) { totalCount } }`,
			map[string]any{"w": map[string]any{"title": map[string]any{"contains": strings.Repeat("y", 9000)}}}, "stringBytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.log.take()
			resp, out := h.post(t, map[string]any{"query": c.query, "variables": c.vars}, nil)
			if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" || out.Errors[0].Extensions["limit"] != c.limit {
				t.Fatalf("status %d, errors %.300v", resp.StatusCode, out.Errors)
			}
			ext := out.Errors[0].Extensions
			if ext["actual"].(float64) <= ext["max"].(float64) {
				t.Errorf("measure %v", ext)
			}
			if len(out.Errors[0].Message) > 400 {
				t.Errorf("the message echoes the input: %d bytes", len(out.Errors[0].Message))
			}
			if sent := h.log.take(); len(sent) > 0 {
				t.Errorf("statements ran before the refusal: %v", sent)
			}
		})
	}
	h.expectHealthy(t, heap)
}

func TestRelationshipFilterWorkIsEstimatedFromTheGraph(t *testing.T) {
	h := hardenedAPI(t, ratelimit.DefaultPolicy)
	// Over the small fixture a two-level filter reads few rows and runs; the same shape is
	// refused over 20,000 projects (TestKeyedReaderStaysFastUnderAnalyticsLoad), and the
	// estimate itself is checked in limits_test.go (TestFilterRowsFollowTheGraphsFanout).
	_, out := h.post(t, map[string]any{"query": `{ projects(first: 5, where: {donorsSome: {fundsSome: {title: {contains: "a"}}}}) { totalCount } }`}, nil)
	if len(out.Errors) > 0 {
		t.Fatalf("a small relationship filter over the fixture: %+v", out.Errors)
	}
}

func TestIntVariablesAreCoercedAsTheSpecificationSays(t *testing.T) {
	h := hardenedAPI(t, ratelimit.DefaultPolicy)
	q := `query($n: Int) { projects(first: $n) { totalCount nodes { key } } }`
	cases := []struct {
		value any
		want  string // "" when it runs
	}{
		{"100", `variable $n: want an Int, got the string "100"`},
		{2.5, "want an Int, a whole number"},
		{1e12, "want an Int, a whole number"},
		{2.0, ""},
		{json.Number("3"), ""},
	}
	for _, c := range cases {
		resp, out := h.post(t, map[string]any{"query": q, "variables": map[string]any{"n": c.value}}, nil)
		if c.want == "" {
			if len(out.Errors) > 0 {
				t.Errorf("%v: %+v", c.value, out.Errors)
			}
			continue
		}
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(out.Errors[0].Message, c.want) {
			t.Errorf("%v: status %d errors %+v, want %q", c.value, resp.StatusCode, out.Errors, c.want)
		}
	}
	// The bypass of the review: an overlap query whose size hides in a string variable.
	_, out := h.post(t, map[string]any{"query": `query($n: Int) { overlappingFunding(first: $n) { windowCount } }`,
		"variables": map[string]any{"n": "100"}}, nil)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("string page size: %+v", out.Errors)
	}
	// Nested in an input object, too: a Decimal bound takes a string or an integer, never a
	// floating-point number, which may have lost digits already.
	_, out = h.post(t, map[string]any{"query": `query($w: ProjectWhere) { projects(first: 1, where: $w) { totalCount } }`,
		"variables": map[string]any{"w": map[string]any{"budget": map[string]any{"gte": 1000.5}}}}, nil)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(out.Errors[0].Message, "not the floating-point number 1000.5") {
		t.Errorf("float inside an input: %+v", out.Errors)
	}
}

// spent reads what a request cost from the bucket: RateLimit-Remaining before and after.
func spent(t *testing.T, h *hardened, body map[string]any, key string) (int, gqlResponse) {
	t.Helper()
	probe := map[string]any{"query": `{ about { version } }`}
	r1, _ := h.post(t, probe, bearer(key))
	before, _ := strconv.Atoi(r1.Header.Get("RateLimit-Remaining"))
	_, out := h.post(t, body, bearer(key))
	r2, _ := h.post(t, probe, bearer(key))
	after, _ := strconv.Atoi(r2.Header.Get("RateLimit-Remaining"))
	// The probes cost 1 point each (one charged before, one after the request).
	return before - after - 1, out
}

func TestScansCostTheScanPriceAndNarrowedAnalysesLess(t *testing.T) {
	// No refill (PerSecond 0 in memory): a point given back during a slow request would make
	// the cost look one point lower.
	h := hardenedAPI(t, ratelimit.Policy{Burst: 1_000_000, PerSecond: 0, PerClient: 8, InFlight: 32, Reserved: 8, Scans: 2, ScansReserved: 1})
	scan := limits.ScanPrice(0) // the fixture is small: the minimum price
	for _, c := range []struct {
		query    string
		atLeast  int
		atMost   int
		scanning bool
	}{
		{`{ overlappingFunding(first: 1) { windowCount } }`, scan, scan + 10, true},
		{`{ overlappingFunding(first: 1, country: "SN") { windowCount } }`, 200, 210, false},
		{`{ fundingFlows(first: 1) { links { fundingCount } } }`, scan, scan + 10, true},
		{`{ missingNationalFollowUp(first: 1) { missingCount } }`, scan, scan + 10, true},
		{`{ projects(first: 1, orderBy: [{field: FUNDING_TOTAL, currency: "EUR"}]) { totalCount } }`, scan, scan + 10, true},
		{`{ projects(first: 1, orderBy: [{field: TITLE}]) { totalCount } }`, 1, 2, false},
		// 1 + the scan + 100 groups (the default first) x totals
		{`{ fundingSummary(groupBy: [DONOR]) { totals { amount } } }`, scan + 101, scan + 110, true},
		{`{ fundingSummary(groupBy: [DONOR], where: {countries: ["SN"]}) { totals { amount } } }`, 301, 320, false},
	} {
		cost, out := spent(t, h, map[string]any{"query": c.query}, readerKey)
		if len(out.Errors) > 0 {
			t.Errorf("%s: %+v", c.query, out.Errors)
		}
		if cost < c.atLeast || cost > c.atMost {
			t.Errorf("%s cost %d points, want %d to %d", c.query, cost, c.atLeast, c.atMost)
		}
	}
}

func TestScansAndRequestsInFlightAreCappedWithRoomForKeys(t *testing.T) {
	// Overlapping requests for sure: every statement waits until the gate opens.
	gate := make(chan struct{})
	arrived := make(chan struct{}, 100)
	testenv.LoadDataset(t, testenv.EmptyStore(t), "internal/httpapi/testdata/fixture")
	policy := ratelimit.Policy{Burst: 1_000_000, PerSecond: 1000, PerClient: 8, InFlight: 6, Reserved: 2, Scans: 2, ScansReserved: 1}
	state := sharedstate.NewMemory(nil)
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(func(context.Context, string) {
		arrived <- struct{}{}
		<-gate
	}))
	t.Cleanup(st.Close)
	limiter := ratelimit.New(state, policy)
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, Limits: &limits.Defaults,
			RateLimiter: limiter, State: state}),
		Ready: st.Ping, RequestTimeout: 10 * time.Second, Logger: quiet,
		Keys: auth.Keys{auth.Hash(readerKey): {Name: "front-end", Role: reqctx.RoleReader}}, Anonymous: reqctx.RoleAnonymous,
		Limiter: limiter,
	}))
	defer srv.Close()

	type answer struct {
		status int
		code   string
		retry  string
	}
	results := make(chan answer, 20)
	run := func(query string, header http.Header) {
		resp, out := send(t, srv, http.MethodPost, "application/json", gql(query), header)
		a := answer{status: resp.StatusCode, retry: resp.Header.Get("Retry-After")}
		if len(out.Errors) > 0 {
			a.code, _ = out.Errors[0].Extensions["code"].(string)
		}
		results <- a
	}
	held := func(query string, header http.Header) {
		go run(query, header)
		<-arrived
	}
	refused := func(what, query string, header http.Header, status int) {
		t.Helper()
		run(query, header)
		if a := <-results; a.status != status || a.retry == "" {
			t.Errorf("%s: %+v, want %d with Retry-After", what, a, status)
		}
	}
	// One anonymous scan runs; a second anonymous scan is refused at once (the other slot is
	// kept for keys); a keyed scan takes that slot; a third scan is refused.
	scan := `{ overlappingFunding(first: 1) { windowCount } }`
	held(scan, nil)
	refused("second anonymous scan", scan, nil, http.StatusServiceUnavailable)
	held(scan, bearer(readerKey))
	refused("third scan", scan, bearer(readerKey), http.StatusServiceUnavailable)
	// In flight: 2 scans. Anonymous callers may hold 4 of 6: two more run, the next is refused
	// (forwarding headers from an untrusted peer change nothing), a keyed request still gets in,
	// and past 6 everyone is refused.
	plain := `{ country(code: "SN") { name } }`
	held(plain, nil)
	held(plain, nil)
	held(plain, http.Header{"X-Forwarded-For": {"203.0.113.9"}})
	refused("anonymous past its share", plain, http.Header{"X-Forwarded-For": {"203.0.113.10"}}, http.StatusServiceUnavailable)
	held(plain, bearer(readerKey))
	refused("keyed past the overall cap", plain, bearer(readerKey), http.StatusServiceUnavailable)
	close(gate)
	for i := 0; i < 6; i++ {
		if a := <-results; a.status != http.StatusOK || a.code != "" {
			t.Errorf("an admitted request: %+v", a)
		}
	}
	for _, key := range []string{"inflight:all", "inflight:anonymous", "scans:all", "scans:anonymous"} {
		if n := state.Held(key); n != 0 {
			t.Errorf("%s: %d slots still held after every request ended", key, n)
		}
	}
}

func TestPersistedQueriesKeepOnlyValidQueries(t *testing.T) {
	h := hardenedAPI(t, ratelimit.DefaultPolicy)
	apq := func(query string, withText bool) (*http.Response, gqlResponse) {
		sum := sha256.Sum256([]byte(query))
		body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}}
		if withText {
			body["query"] = query
		}
		return h.post(t, body, nil)
	}
	notFound := func(query string) bool {
		_, out := apq(query, false)
		return len(out.Errors) == 1 && out.Errors[0].Message == "PersistedQueryNotFound"
	}
	heap := testenv.HeapInUse()
	// A comment-only "query", one that does not validate, one over the limits, one too long.
	refused := []string{
		"# " + strings.Repeat("x", 1000),
		`{ nosuchfield }`,
		`{ countries(first: 100) { nodes { projects(first: 100) { nodes { donors(first: 100) { nodes { name } } } } } } }`,
		`{ about { version } } # ` + strings.Repeat("y", 3000),
	}
	for _, q := range refused {
		_, out := apq(q, true)
		if len(out.Errors) == 0 {
			t.Errorf("%.40q ran", q)
		}
		if !notFound(q) {
			t.Errorf("%.40q was registered", q)
		}
	}
	good := `{ about { version } }`
	if !notFound(good) {
		t.Fatal("registered before being sent")
	}
	if _, out := apq(good, true); len(out.Errors) > 0 {
		t.Fatalf("registering: %+v", out.Errors)
	}
	if _, out := apq(good, false); len(out.Errors) > 0 || out.Data["about"] == nil {
		t.Errorf("by hash: %+v", out.Errors)
	}
	// The cache holds at most its bytes however many queries arrive.
	for i := 0; i < 200; i++ {
		apq(fmt.Sprintf(`{ about { version } } # %d %s`, i, strings.Repeat("z", 500)), true)
	}
	if b := h.state.CacheBytes("apq"); b > 4096 {
		t.Errorf("persisted queries hold %d bytes, over the 4096 configured", b)
	}
	h.expectHealthy(t, heap)
}

func TestRefusedRequestsCostAPoint(t *testing.T) {
	h := hardenedAPI(t, ratelimit.Policy{Burst: 10, PerSecond: 1, PerClient: 8})
	for i := 0; i < 10; i++ {
		h.post(t, map[string]any{"query": "{ not valid"}, nil)
	}
	resp, out := h.post(t, map[string]any{"query": "{ not valid"}, nil)
	if resp.StatusCode != http.StatusTooManyRequests || len(out.Errors) == 0 || out.Errors[0].Extensions["code"] != "RATE_LIMITED" {
		t.Errorf("the 11th unparsable request: %d %+v, want 429 RATE_LIMITED", resp.StatusCode, out.Errors)
	}
}

func TestLowFindings(t *testing.T) {
	h := hardenedAPI(t, ratelimit.DefaultPolicy)
	heap := testenv.HeapInUse()
	t.Run("forged cursor", func(t *testing.T) {
		for _, pos := range []string{"9223372036854775807", "1000000001"} {
			cursor := base64.RawURLEncoding.EncodeToString([]byte("pg1:pos:" + pos))
			_, out := h.post(t, map[string]any{"query": `query($c: String) { projects(first: 2, after: $c) { totalCount } }`, "variables": map[string]any{"c": cursor}}, nil)
			if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
				t.Errorf("cursor at %s: %+v", pos, out.Errors)
			}
		}
	})
	t.Run("suggestions for every role under the default rule", func(t *testing.T) {
		for _, q := range []string{`{ projects(first: 1, where: {titel: {equals: "x"}}) { totalCount } }`, `{ projcts(first: 1) { totalCount } }`} {
			for name, header := range map[string]http.Header{"anonymous": nil, "reader": bearer(readerKey), "analyst": bearer(analystKey)} {
				if _, out := h.post(t, map[string]any{"query": q}, header); len(out.Errors) == 0 || !strings.Contains(out.Errors[0].Message, "Did you mean") {
					t.Errorf("%s lost the suggestion: %q: %+v", name, q, out.Errors)
				}
			}
		}
	})
	t.Run("documents with too many fields are refused before validation", func(t *testing.T) {
		q := "{ about { " + strings.Repeat("version ", 2000) + "} }"
		h.log.take()
		_, out := h.post(t, map[string]any{"query": q}, nil)
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" || out.Errors[0].Extensions["limit"] != "fields" {
			t.Errorf("2,000 fields: %+v", out.Errors)
		}
	})
	t.Run("echoed input is truncated", func(t *testing.T) {
		long := strings.Repeat("a", 50_000)
		resp, out := h.post(t, map[string]any{"query": `{ country(code: "` + long + `") { name } }`}, nil)
		raw, _ := json.Marshal(out)
		if len(out.Errors) == 0 || len(raw) > 2000 {
			t.Errorf("status %d, a 50 KB argument gave a %d-byte answer", resp.StatusCode, len(raw))
		}
	})
	t.Run("default CORS allows no origin", func(t *testing.T) {
		srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
			GraphQL: http.NotFoundHandler(), Ready: func(context.Context) error { return nil },
			RequestTimeout: time.Second, Logger: quiet, Anonymous: reqctx.RoleAnonymous,
		}))
		defer srv.Close()
		for _, method := range []string{http.MethodOptions, http.MethodGet} {
			req, _ := http.NewRequest(method, srv.URL+"/graphql", nil)
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Access-Control-Request-Method", "POST")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s from any origin: Access-Control-Allow-Origin %q", method, got)
			}
		}
	})
	h.expectHealthy(t, heap)
}

func TestAnalysesReadAtMostTheirRowBound(t *testing.T) {
	testenv.LoadDataset(t, testenv.EmptyStore(t), "internal/httpapi/testdata/fixture")
	st := store.New(testenv.Driver(t), "neo4j", store.WithMaxAnalysisRows(3))
	t.Cleanup(st.Close)
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet}),
		Ready:   st.Ping, RequestTimeout: 10 * time.Second, Logger: quiet, Anonymous: reqctx.RoleAnalyst,
	}))
	defer srv.Close()
	_, out := send(t, srv, http.MethodPost, "application/json", gql(`{ overlappingFunding(first: 5) { windowCount } }`), nil)
	if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" || !strings.Contains(out.Errors[0].Message, "narrow") {
		t.Errorf("an analysis over its row bound: %+v", out.Errors)
	}
	testenv.ExpectNeo4jIdle(t)
}

func TestReadinessTellsAuthFailureFromOutage(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{apperr.Wrap(apperr.Misconfigured, errors.New("Neo.ClientError.Security.Unauthorized"), "refused"), "authentication failed"},
		{apperr.Wrap(apperr.ServiceUnavailable, errors.New("connection refused"), "away"), "unreachable"},
	} {
		srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
			GraphQL: http.NotFoundHandler(), Ready: func(context.Context) error { return c.err },
			RequestTimeout: time.Second, Logger: quiet, Anonymous: reqctx.RoleAnonymous,
		}))
		resp := get(t, srv.URL+"/readyz", nil)
		var body map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&body)
		srv.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || body["neo4j"] != c.want {
			t.Errorf("%v: %d %v, want 503 and neo4j %q", c.err, resp.StatusCode, body, c.want)
		}
	}
}
