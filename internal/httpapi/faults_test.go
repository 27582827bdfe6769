package httpapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/dataset"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// outcome is what one request of the steady stream got.
type outcome struct {
	phase string
	ok    bool
	code  string // extensions.code of the first error
	hung  bool   // the client gave up: no answer within deadline + slack
}

// TestNeo4jStopsAndComesBack stops Neo4j under a steady stream of requests and starts it again:
// no crash, no request hung past its deadline, every error coded, success again without
// restarting the API, and no goroutines left behind.
func TestNeo4jStopsAndComesBack(t *testing.T) {
	neo := testenv.OwnNeo4j(t, "neo4j-faults", testenv.Port(3))
	const deadline = 3 * time.Second
	driver, err := store.NewDriver(store.DriverOptions{URI: neo.URI, User: "neo4j", Password: neo.Password, RequestTimeout: deadline})
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(context.Background())
	st := store.New(driver, "neo4j")
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	root, _ := testenv.RepoRoot()
	d, err := dataset.Read(root + "/internal/httpapi/testdata/fixture")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.ReplaceDataset(ctx, store.DatasetCurated, d); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet}),
		Ready:   st.Ping, RequestTimeout: deadline, Logger: quiet, Anonymous: reqctx.RoleAnonymous,
	}))
	defer srv.Close()
	client := &http.Client{Timeout: deadline + 2*time.Second}
	body := gql(`{ countries(first: 3) { nodes { name projects(first: 2) { totalCount } } } }`)

	ask := func() (bool, string, bool) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			var ne interface{ Timeout() bool }
			return false, "", errors.As(err, &ne) && ne.Timeout()
		}
		out := decode(t, resp)
		if len(out.Errors) > 0 {
			code, _ := out.Errors[0].Extensions["code"].(string)
			return false, code, false
		}
		return out.Data["countries"] != nil, "", false
	}
	ask() // warm up
	baseline := runtime.NumGoroutine()

	var (
		mu       sync.Mutex
		outcomes []outcome
		phase    = "before"
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				mu.Lock()
				p := phase
				mu.Unlock()
				ok, code, hung := ask()
				mu.Lock()
				outcomes = append(outcomes, outcome{phase: p, ok: ok, code: code, hung: hung})
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	setPhase := func(p string) {
		mu.Lock()
		phase = p
		mu.Unlock()
	}

	time.Sleep(time.Second)
	setPhase("down")
	neo.Stop(t)
	time.Sleep(3 * time.Second)
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz while Neo4j is down: %d", resp.StatusCode)
	}
	if resp := get(t, srv.URL+"/readyz", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz while Neo4j is down: %d", resp.StatusCode)
	}
	setPhase("restarting")
	neo.Start(t) // returns once Bolt answers
	restarted := time.Now()
	var recovered time.Duration
	for time.Since(restarted) < 60*time.Second {
		if ok, _, _ := ask(); ok {
			recovered = time.Since(restarted)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if recovered == 0 {
		t.Fatal("no success within 60 s of Neo4j answering again")
	}
	setPhase("after")
	time.Sleep(2 * time.Second)
	close(stop)
	wg.Wait()

	counts := map[string]map[string]int{}
	for _, o := range outcomes {
		if counts[o.phase] == nil {
			counts[o.phase] = map[string]int{}
		}
		key := "ok"
		switch {
		case o.hung:
			key = "hung"
		case !o.ok:
			key = "error:" + o.code
		}
		counts[o.phase][key]++
	}
	t.Logf("outcomes by phase: %v; first success %s after Neo4j answered again", counts, recovered.Round(time.Millisecond))
	for p, byKey := range counts {
		for key, n := range byKey {
			switch {
			case key == "hung":
				t.Errorf("%s: %d requests got no answer within the deadline", p, n)
			case key == "error:SERVICE_UNAVAILABLE", key == "error:TIMEOUT":
			case strings.HasPrefix(key, "error:"):
				t.Errorf("%s: %d requests failed with %s", p, n, key)
			case p == "down" || p == "restarting":
			}
		}
	}
	if counts["before"]["ok"] == 0 || counts["after"]["ok"] == 0 {
		t.Errorf("want successes before and after: %v", counts)
	}
	if len(counts["after"]) != 1 {
		t.Errorf("after recovery every request must succeed: %v", counts["after"])
	}
	if counts["down"]["error:SERVICE_UNAVAILABLE"]+counts["down"]["error:TIMEOUT"] == 0 {
		t.Errorf("no coded errors while Neo4j was down: %v", counts["down"])
	}

	// Neo4j hangs (stopped with SIGSTOP, sockets open): the first requests run out of their
	// deadline, two probes that follow cannot reach Neo4j within their own deadline, the breaker
	// opens, and the next requests are answered SERVICE_UNAVAILABLE at once instead of each
	// waiting for its deadline. When Neo4j resumes, a probe closes the breaker.
	pid, err := neo.PID()
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			_ = syscall.Kill(pid, syscall.SIGCONT)
		}
	}
	defer resume()
	if ok, code, hung := ask(); ok || hung || (code != "TIMEOUT" && code != "SERVICE_UNAVAILABLE") {
		t.Errorf("first request to a hung Neo4j: ok=%v code=%q hung=%v", ok, code, hung)
	}
	for i := 0; i < 80 && !st.BreakerOpen(); i++ { // two probes of 2 s each
		time.Sleep(100 * time.Millisecond)
	}
	if !st.BreakerOpen() {
		t.Error("the breaker did not open while Neo4j hung")
	}
	start := time.Now()
	ok, code, _ := ask()
	if took := time.Since(start); ok || code != "SERVICE_UNAVAILABLE" || took > deadline/2 {
		t.Errorf("a request while Neo4j hangs and the breaker is open: ok=%v code=%q after %s (deadline %s)", ok, code, took, deadline)
	}
	resume()
	var closedAfter time.Duration
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(100 * time.Millisecond) {
		if ok, _, _ := ask(); ok && !st.BreakerOpen() {
			closedAfter = time.Since(start)
			break
		}
	}
	if closedAfter == 0 {
		t.Error("no success within 30 s of Neo4j resuming")
	}
	t.Logf("hung Neo4j: breaker open while it hung, first success %s after it resumed", closedAfter.Round(time.Millisecond))

	// Goroutines come back to where they were (idle keep-alive connections closed first).
	client.CloseIdleConnections()
	srv.CloseClientConnections()
	var now int
	for range 50 {
		if now = runtime.NumGoroutine(); now <= baseline+5 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if now > baseline+5 {
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Errorf("%d goroutines after the run, %d before\n%s", now, baseline, fmt.Sprint(string(buf[:n])))
	}
}

// TestSlowRequestsTimeOutAndFreeTheirConnections gives requests a deadline too short for any
// Cypher round trip: each answers TIMEOUT, and after more of them than the driver's connection
// pool holds (100), a request with a normal deadline still gets a connection and succeeds.
func TestSlowRequestsTimeOutAndFreeTheirConnections(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	router := func(deadline time.Duration) *httptest.Server {
		srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
			GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet}),
			Ready:   st.Ping, RequestTimeout: deadline, Logger: quiet, Anonymous: reqctx.RoleAnonymous,
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	hurried, normal := router(time.Microsecond), router(10*time.Second)
	q := map[string]any{"query": `{ countries(first: 3) { nodes { name projects(first: 3) { totalCount } } } }`}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[any]int{}
	for range 120 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, out := post(t, hurried, q)
			mu.Lock()
			defer mu.Unlock()
			if len(out.Errors) == 0 {
				codes["none"]++
				return
			}
			codes[out.Errors[0].Extensions["code"]]++
		}()
	}
	wg.Wait()
	if codes["TIMEOUT"] != 120 {
		t.Errorf("answers under a 1 µs deadline: %v, want 120 TIMEOUT", codes)
	}
	_, out := post(t, normal, q)
	if len(out.Errors) > 0 || out.Data["countries"] == nil {
		t.Errorf("after the timeouts: %+v", out.Errors)
	}
}

// TestPanicInOneFieldLeavesSiblingsAndTheServer makes one field's resolver panic: that field
// gets an INTERNAL error without the panic's text, its siblings resolve, the server goes on.
func TestPanicInOneFieldLeavesSiblingsAndTheServer(t *testing.T) {
	st := testenv.EmptyStore(t)
	testenv.LoadDataset(t, st, "internal/httpapi/testdata/fixture")
	panicky := func(ctx context.Context, next graphql.Resolver) (any, error) {
		if fc := graphql.GetFieldContext(ctx); fc.Field.Name == "country" {
			panic("secret detail: bolt://10.0.0.7:7687")
		}
		return next(ctx)
	}
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "test", Logger: quiet, AroundFields: panicky}),
		Ready:   st.Ping, RequestTimeout: 10 * time.Second, Logger: quiet, Anonymous: reqctx.RoleAnonymous,
	}))
	defer srv.Close()
	for range 3 {
		_, out := post(t, srv, map[string]any{"query": `{ country(code: "SN") { name } countries(first: 3) { totalCount } }`})
		if len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "INTERNAL" || strings.Contains(out.Errors[0].Message, "bolt") {
			t.Fatalf("errors %+v", out.Errors)
		}
		if dig(t, out.Data, "countries", "totalCount") != 3.0 {
			t.Errorf("sibling field: %v", out.Data)
		}
	}
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
}
