package curation_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/graph"
	"github.com/partnership-graph/partnership-graph/internal/auth"
	"github.com/partnership-graph/partnership-graph/internal/httpapi"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/reqctx"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// BenchmarkCurationUnderLoad runs 8 editors writing and 8 readers reading through the HTTP API
// for CURATION_LOAD_SECONDS (default 60) over the test fixture graph, once whatever b.N:
//
//	go test ./internal/curation -run '^$' -bench CurationUnderLoad -benchtime 1x
//
// Each editor reads one of two shared nodes, proposes to count its description up by one
// against the version it read, and has an admin approve it; a CONFLICT (another editor got there
// first) sends it back to read again. At the end each node's count must equal the writes
// approved for it (no lost update), and no request may have failed with a top-level error
// (INTERNAL or any other). It reports the p50 and p99 of a write (propose and approve) in ms,
// the writes and reads per second and the conflicts.
func BenchmarkCurationUnderLoad(b *testing.B) {
	seconds := 60
	if v, err := strconv.Atoi(os.Getenv("CURATION_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	st := testenv.EmptyStore(b)
	testenv.LoadDataset(b, st, "internal/httpapi/testdata/fixture")
	keys := auth.Keys{auth.Hash("admin"): {Name: "admin", Role: reqctx.RoleAdmin}, auth.Hash("reader"): {Name: "reader", Role: reqctx.RoleReader}}
	for i := range 8 {
		keys[auth.Hash(fmt.Sprintf("editor-%d", i))] = auth.Key{Name: fmt.Sprintf("editor-%d", i), Role: reqctx.RoleEditor}
	}
	srv := httptest.NewServer(httpapi.NewRouter(httpapi.Options{
		GraphQL: graph.NewHandler(st, graph.Options{Version: "load", Limits: &limits.Defaults, Logger: quiet}),
		Ready:   st.Ping, RequestTimeout: 30 * time.Second, Keys: keys, Anonymous: reqctx.RoleAnonymous, Logger: quiet,
	}))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	var failures atomic.Int64
	var firstFailure sync.Once
	call := func(key, q string, vars map[string]any) map[string]any {
		body, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := client.Do(req)
		if err != nil {
			failures.Add(1)
			return nil
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out struct {
			Data   map[string]any   `json:"data"`
			Errors []map[string]any `json:"errors"`
		}
		if json.Unmarshal(raw, &out) != nil || len(out.Errors) > 0 {
			failures.Add(1)
			firstFailure.Do(func() { b.Logf("first failure: %s", raw) })
			return nil
		}
		return out.Data
	}
	nodes := []string{"project:sn-1", "project:reg-1"}
	for _, n := range nodes {
		if p := propose(call, "editor-0", n); p != "" {
			approve(call, p)
		}
	}
	var applied [2]atomic.Int64
	var conflicts atomic.Int64
	var mu sync.Mutex
	var writes []time.Duration
	var reads atomic.Int64
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	var wg sync.WaitGroup
	b.ResetTimer()
	for e := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("editor-%d", e)
			for i := 0; time.Now().Before(deadline); i++ {
				target := (e + i) % 2
				start := time.Now()
				id := propose(call, key, nodes[target])
				if id == "" {
					conflicts.Add(1)
					continue
				}
				if !approve(call, id) {
					conflicts.Add(1)
					continue
				}
				applied[target].Add(1)
				mu.Lock()
				writes = append(writes, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if call("reader", `{ projects(first: 20) { totalCount nodes { key version title description countries(first: 5) { nodes { name } } } } }`, nil) != nil {
					reads.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	for i, n := range nodes {
		data := call("reader", `query($k: String!) { nodeByKey(key: $k) { ... on Project { description } } }`, map[string]any{"k": n})
		got := dig(data, "nodeByKey", "description")
		// The first write of each node (before the load) set the count to 1.
		if want := strconv.FormatInt(applied[i].Load()+1, 10); got != "count "+want {
			b.Errorf("%s reads %q after %d approved writes: an update was lost", n, got, applied[i].Load()+1)
		}
	}
	if f := failures.Load(); f > 0 {
		b.Errorf("%d requests failed with a top-level error", f)
	}
	if len(writes) == 0 {
		b.Fatal("no write was approved")
	}
	sort.Slice(writes, func(i, j int) bool { return writes[i] < writes[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(writes[len(writes)/2]), "write-p50-ms")
	b.ReportMetric(ms(writes[len(writes)*99/100]), "write-p99-ms")
	b.ReportMetric(float64(len(writes))/float64(seconds), "writes/s")
	b.ReportMetric(float64(reads.Load())/float64(seconds), "reads/s")
	b.ReportMetric(float64(conflicts.Load()), "conflicts")
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

type caller func(key, q string, vars map[string]any) map[string]any

// propose reads node's version and description and proposes the next count; "" on a conflict.
func propose(call caller, key, node string) string {
	data := call(key, `query($k: String!) { nodeByKey(key: $k) { version ... on Project { description } } }`, map[string]any{"k": node})
	version, _ := dig(data, "nodeByKey", "version").(string)
	desc, _ := dig(data, "nodeByKey", "description").(string)
	n, _ := strconv.Atoi(trimCount(desc))
	data = call(key, `mutation($input: UpdateNodeInput!) { updateNode(input: $input) { changeSet { id } userErrors { code } } }`,
		map[string]any{"input": map[string]any{"id": node, "version": version, "comment": "count up", "fields": []any{map[string]any{"name": "description", "value": fmt.Sprintf("count %d", n+1)}},
			"source": map[string]any{"key": "source:doc-a", "status": "VERIFIED"}}})
	id, _ := dig(data, "updateNode", "changeSet", "id").(string)
	return id
}

func approve(call caller, id string) bool {
	data := call("admin", `mutation($input: ReviewChangeSetInput!) { approveChangeSet(input: $input) { changeSet { status } userErrors { code } } }`,
		map[string]any{"input": map[string]any{"id": id, "comment": "ok"}})
	return dig(data, "approveChangeSet", "changeSet", "status") == "APPLIED"
}

func trimCount(desc string) string {
	if len(desc) > 6 && desc[:6] == "count " {
		return desc[6:]
	}
	return "0"
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	return v
}
