package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// TestDefaultLimitsRefuseBeforeAnyCypherRuns sends operations over each default limit and checks
// the code, the measure in the error, that no statement reached Neo4j, and that the service
// still answers afterwards.
func TestDefaultLimitsRefuseBeforeAnyCypherRuns(t *testing.T) {
	log := &statementLog{}
	st := store.New(testenv.Driver(t), "neo4j", store.WithStatementObserver(log.observe))
	testenv.LoadDataset(t, testenv.EmptyStore(t), "internal/httpapi/testdata/fixture")
	srv := serveWith(t, st, limits.Defaults)

	many := func(n int, f func(i int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = f(i)
		}
		return strings.Join(parts, " ")
	}
	cases := []struct {
		name, query, limit string
	}{
		{"cost", `{ countries(first: 100) { nodes { projects(first: 100) { nodes { donors(first: 100) { nodes { name } } } } } } }`, "cost"},
		{"depth", `{ project(key: "project:sn-1") { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { projects(first: 1) { nodes { countries(first: 1) { nodes { name } } } } } } } } } } } } } } } }`, "depth"},
		{"aliases", "{ " + many(31, func(i int) string {
			return "a" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `: country(code: "SN") { name }`
		}) + " }", "aliases"},
		{"root fields", "{ " + many(21, func(int) string { return "about { version }" }) + " }", "rootFields"},
		{"directives", `{ about { ` + many(21, func(int) string { return "version @include(if: true)" }) + ` } }`, "directives"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			log.take()
			resp, out := post(t, srv, map[string]any{"query": c.query})
			if len(out.Errors) != 1 {
				t.Fatalf("status %d, errors %+v", resp.StatusCode, out.Errors)
			}
			ext := out.Errors[0].Extensions
			if ext["code"] != "COMPLEXITY_LIMIT_EXCEEDED" || ext["limit"] != c.limit || ext["requestId"] == nil {
				t.Errorf("extensions %v", ext)
			}
			if actual, max := ext["actual"].(float64), ext["max"].(float64); actual <= max {
				t.Errorf("actual %v not over max %v", actual, max)
			}
			if sent := log.take(); len(sent) > 0 {
				t.Errorf("statements ran before the refusal: %v", sent)
			}
		})
	}
	// The computed cost is in the error even when another limit was hit first.
	_, out := post(t, srv, map[string]any{"query": cases[0].query})
	if cost := out.Errors[0].Extensions["cost"].(float64); cost < 1_000_000 {
		t.Errorf("cost %v, want 100 x 100 x 100 items and more", cost)
	}
	// Within the limits, and the service still answers.
	_, out = post(t, srv, map[string]any{"query": `{ countries(first: 10) { nodes { projects(first: 10) { nodes { donors(first: 5) { nodes { name } } } } } } }`})
	if len(out.Errors) > 0 || out.Data["countries"] == nil {
		t.Errorf("a query within the limits: %v", out.Errors)
	}
	if resp := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
}

// TestParserTokenLimit refuses a query with more tokens than the parser reads.
func TestParserTokenLimit(t *testing.T) {
	srv := newAPI(t)
	q := "{ about { " + strings.Repeat("version ", 20000) + "} }"
	_, out := post(t, srv, map[string]any{"query": q})
	if len(out.Errors) != 1 || !strings.Contains(out.Errors[0].Message, "token limit") {
		t.Fatalf("errors %+v", out.Errors)
	}
}
