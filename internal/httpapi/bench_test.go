package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// Benchmarks run on the synthetic graph at scale (synthetic.Scale: 100,000 projects), generated
// into the test Neo4j unless it already holds exactly that graph. Each reports the median latency
// of one request through the HTTP handler (p50-ms) and the Cypher statements it sent
// (statements/op). Run them with `make bench`; BENCH_PROJECTS=10000 runs them on a graph of that many
// projects instead, to compare how each query grows with the data.

var benchQueries = map[string]string{
	"CountryPage": `{ country(code: "AB") { name projects(first: 20) { totalCount edges { share node { title
	  donors(first: 5) { edges { amount { amount currency } node { name } } } themes(first: 5) { nodes { name } } } } } } }`,
	"FilteredProjects": `{ projects(first: 20, where: { status: [IMPLEMENTATION], countries: ["AC"], start: { onOrAfter: "2020-01-01" } },
	  orderBy: [{ field: FUNDING_TOTAL, currency: "EUR", direction: DESC }]) { totalCount nodes { title } } }`,
	"Search": `{ search(text: "project 0012", first: 20) { totalCount edges { score node { id } } } }`,
	"FundingByDonorAndYearInCountry": `{ fundingSummary(groupBy: [DONOR, YEAR], where: { countries: ["AB"] }, first: 20) {
	  groupCount totals { amount currency } groups { donor { name } year currency total projectCount } } }`,
	"FundingByThemeAndYear": `{ fundingSummary(groupBy: [THEME, YEAR], first: 20) { groupCount groups { theme { name } year currency total } } }`,

	// Relationship analytics.
	"OverlapInCountry": `{ overlappingFunding(country: "AB", asOf: "2026-01-01", first: 20) { windowCount windows { theme { name } from to days
	  donors { donor { name } projects { key } totals { amount currency } } totals { amount currency } } } }`,
	"OverlapOneThemeEverywhere": `{ overlappingFunding(theme: "theme:syn-01", asOf: "2026-01-01", first: 20) { windowCount windows { country { name } from to donors { donor { name } } } } }`,
	"FollowUpInCountry": `{ missingNationalFollowUp(country: "AB", includeEUMemberStates: true, asOf: "2026-01-01", first: 20) { foundCount pendingCount missingCount
	  activities { theme { name } kind process { name } project { title } start deadline status overdueDays } } }`,
	"FollowUpOneProcess": `{ missingNationalFollowUp(process: "process:syn-001", asOf: "2026-01-01", first: 20) { foundCount pendingCount missingCount
	  activities { country { name } theme { name } deadline status overdueDays } } }`,
	"FollowUpEverywhere": `{ missingNationalFollowUp(asOf: "2026-01-01", first: 20) { foundCount pendingCount missingCount activities { country { name } status } } }`,
	"PriorityGapsInCountry": `{ priorityGaps(country: "AB") { countries { priorities { priority { statement } projectCount unfunded totals { amount currency } }
	  unstatedThemes { theme { name } projectCount } shares { currency share } } } }`,
	"PriorityGapsFirst20Countries": `{ priorityGaps(first: 20) { countryCount countries { country { name } priorities { projectCount unfunded } shares { currency share } } } }`,
	"DonorCoordinationInCountry": `{ donorCoordination(country: "AB", period: { from: "2020-01-01", to: "2022-12-31" }) { donors { donor { name } totals { amount currency } }
	  sharedThemes { theme { name } } coFundedProjects { project { key } } opportunities { theme { key } donor { key } otherDonor { key } }
	  wholeOfGovernment { agencies { key } } } }`,
	"FundingFlowsInCountry": `{ fundingFlows(country: "AB", first: 100) { linkCount fundingCount nodes { key label } links { source target currency amount } } }`,
	"FundingFlowsOneDonor":  `{ fundingFlows(donor: "org:syn-00001", levels: [DONOR, INSTRUMENT, COUNTRY, THEME], first: 100) { linkCount links { source target currency amount } } }`,
	"NeighbourhoodDepth2":   `{ neighbourhood(id: "process:syn-001", depth: 2, limit: 200) { truncated nodes { distance node { key } } edges { type from { key } to { key } } } }`,
	"PathsBetweenCountries": `{ paths(from: "AB", to: "AC", maxHops: 4, first: 10) { length paths { nodes { key } edges { type } } } }`,
}

func BenchmarkQueriesAtScale(b *testing.B) {
	log := &statementLog{}
	st := store.New(testenv.Driver(b), "neo4j", store.WithStatementObserver(log.observe))
	ensureScaleGraph(b, st)
	srv := serve(b, st)
	names := make([]string, 0, len(benchQueries))
	for name := range benchQueries {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		body, _ := json.Marshal(map[string]any{"query": benchQueries[name]})
		b.Run(name, func(b *testing.B) {
			send := func() {
				resp, err := http.Post(srv.URL+"/graphql", "application/json", bytes.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || bytes.Contains(raw, []byte(`"errors"`)) {
					b.Fatalf("status %d: %s", resp.StatusCode, raw)
				}
			}
			send() // warm the query cache and Neo4j's plan cache
			log.take()
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				send()
				durations = append(durations, time.Since(start))
			}
			b.StopTimer()
			sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(len(log.take()))/float64(b.N), "statements/op")
		})
	}
}

// ensureScaleGraph makes the test Neo4j hold the synthetic graph at scale (BENCH_PROJECTS projects,
// other sizes as synthetic.Scale), replacing whatever else it holds.
func ensureScaleGraph(b *testing.B, st *store.Store) {
	b.Helper()
	size := synthetic.Scale
	if v := os.Getenv("BENCH_PROJECTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("BENCH_PROJECTS=%q: want a positive number of projects", v)
		}
		size.Projects = n
	}
	start := time.Now()
	wrote, sum, err := synthetic.Ensure(context.Background(), st, size, 1)
	if err != nil {
		b.Fatal(err)
	}
	if wrote {
		b.Logf("generated %d nodes and %d relationships in %s", sum.Nodes, sum.Rels, time.Since(start))
	}
}
