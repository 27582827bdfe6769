package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// fuzzQueries pass the fuzzed text ($s) to every string argument and every string filter.
var fuzzQueries = []string{
	`query($s: String!) { country(code: $s) { name } }`,
	`query($s: String!) { nodeByKey(key: $s) { id } regionalProcess(key: $s) { name } instrument(key: $s) { name } organisation(key: $s) { name } project(key: $s) { title } thematicArea(key: $s) { name } }`,
	`query($s: ID!) { node(id: $s) { id } nodes(ids: [$s]) { id } }`,
	`query($s: String!) { search(text: $s, first: 5) { totalCount nodes { id } } }`,
	`query($s: String) { countries(first: 5, after: $s) { totalCount } projects(last: 5, before: $s) { totalCount } }`,
	`query($s: String!) { projects(first: 5, where: { title: { contains: $s, startsWith: $s, equals: $s, in: [$s] }, keys: [$s], iatiIdentifier: { equals: $s },
	  countries: [$s], themes: [$s], donors: [$s], implementers: [$s], instruments: [$s], processes: [$s], budgetCurrency: [$s] }) { totalCount } }`,
	`query($s: String!) { projects(first: 5, where: { OR: [{ start: { onOrAfter: $s } }, { activeOn: $s }, { donorsSome: { name: { contains: $s } } }] }) { totalCount } }`,
	`query($s: String!) { countries(first: 5, where: { codes: [$s], name: { contains: $s }, region: { equals: $s }, processes: [$s] }, orderBy: [{ field: FUNDING_TOTAL, currency: $s }]) { totalCount } }`,
	`query($s: String!) { organisations(first: 5, where: { shortName: { startsWith: $s }, countries: [$s] }) { totalCount } regionalProcesses(first: 5, where: { launched: { onOrBefore: $s } }) { totalCount } }`,
	`query($s: String!) { fundingSummary(groupBy: [DONOR, YEAR], where: { themes: [$s], title: { contains: $s } }, donorWhere: { name: { contains: $s } }) { groupCount } }`,
	`query($s: String!) { sources(first: 5, where: { title: { contains: $s } }) { totalCount } thematicAreas(first: 5, where: { dacCodes: [$s] }) { totalCount } }`,
	`query($s: ID!) { overlappingFunding(country: $s, theme: $s) { windowCount } priorityGaps(country: $s) { countryCount } neighbourhood(id: $s) { truncated } }`,
	`query($s: String!) { overlappingFunding(asOf: $s, period: { from: $s, to: $s }) { windowCount } missingNationalFollowUp(asOf: $s) { missingCount } }`,
	`query($s: ID!) { paths(from: $s, to: "SN") { length } fundingFlows(donor: $s, instrument: $s) { linkCount } missingNationalFollowUp(process: $s) { missingCount } donorCoordination(country: $s) { opportunityCount } }`,
}

// fuzzClient gives up well after the request deadline (10 s): a request still open then hangs.
var fuzzClient = &http.Client{Timeout: 15 * time.Second}

// graphSize counts nodes and relationships, to check that no input changed the graph.
func graphSize(tb testing.TB) string {
	tb.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(tb),
		`MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels`, nil, neo4j.EagerResultTransformer)
	if err != nil {
		tb.Fatal(err)
	}
	n, _ := res.Records[0].Get("nodes")
	r, _ := res.Records[0].Get("rels")
	return mustJSON([]any{n, r})
}

// FuzzStringArguments sends arbitrary text to every string argument: the answer is never a
// server error or an INTERNAL error, and the graph never changes. `make fuzz` runs it with
// generated inputs (CI: a bounded time); `make test` runs the seeds below.
func FuzzStringArguments(f *testing.F) {
	st := testenv.EmptyStore(f)
	testenv.LoadDataset(f, st, "internal/httpapi/testdata/fixture")
	srv := serve(f, st)
	before := graphSize(f)
	for _, seed := range []string{"", "SN", "sen", "country:SN", "project:sn-1", "2016-01-01", "EUR", "cGcxOnBvczox",
		"' OR 1=1 //", "\") DETACH DELETE n //", "$w0", "__MATCH__", "`", "\\", "\x00", "*", "name:*", "a~2", "\"quoted\"",
		"{}", "[]", "Türkiye", "🌍", strings.Repeat("x", 300)} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, q := range fuzzQueries {
			body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]any{"s": s}})
			resp, err := fuzzClient.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%q: no answer (%v) for %.80s", s, err, q)
			}
			out := decode(t, resp)
			if resp.StatusCode >= http.StatusInternalServerError {
				t.Fatalf("%q: status %d for %.80s", s, resp.StatusCode, q)
			}
			for _, e := range out.Errors {
				if code := e.Extensions["code"]; code == "INTERNAL" || code == nil {
					t.Fatalf("%q: error %q (%v) for %.80s", s, e.Message, code, q)
				}
			}
		}
		if after := graphSize(t); after != before {
			t.Fatalf("%q changed the graph: %s -> %s", s, before, after)
		}
	})
}
