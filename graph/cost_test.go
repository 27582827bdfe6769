package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2"

	"github.com/partnership-graph/partnership-graph/internal/limits"
)

// graphOf20k is the synthetic graph of 20,000 projects as the cost sees it: two donors per project.
type graphOf20k struct{}

func (graphOf20k) Rows(kind string) float64 {
	return map[string]float64{"Project": 20_000, "Country": 200, "Organisation": 2000, "Instrument": 500}[kind]
}
func (graphOf20k) Fanout(kind, filter string) float64 {
	if kind == "Project" && filter == "donorsSome" {
		return 2
	}
	return 0
}

// TestCostExamplesOfTheREADME keeps the README's table of query costs true.
func TestCostExamplesOfTheREADME(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	prices := limits.Prices{Scan: limits.ScanPrice(20_000), Graph: graphOf20k{}}
	for q, want := range map[string]int{
		`{ projects(first: 20) { nodes { title } } }`:                                                21,
		`{ countries(first: 100) { nodes { projects(first: 50) { totalCount } } } }`:                 201,
		`{ instruments(first: 100) { nodes { parties(first: 50) { nodes { __typename } } } } }`:      5201,
		`{ projects(first: 20, where: {donorsSome: {kind: [EU_INSTITUTION]}}) { totalCount } }`:      402,
		`{ overlappingFunding(first: 1) { windowCount } }`:                                           2001,
		`{ overlappingFunding(country: "SN", first: 50) { windows { from } } }`:                      251,
		`{ projects(first: 20, orderBy: [{field: FUNDING_TOTAL, currency: "EUR"}]) { totalCount } }`: 2001,
		`{ sources(first: 10) { nodes { supports(first: 20) { edges { locator } } } } }`:             721,
	} {
		doc, errs := gqlparser.LoadQuery(schema, q)
		if errs != nil {
			t.Fatalf("%s: %v", q, errs)
		}
		if got := limits.Of(schema, doc.Operations[0], nil, prices).Cost; got != want {
			t.Errorf("%s: cost %d, the README says %d", q, got, want)
		}
	}
}

// Source.supports costs its narrowed points per source with its page size left out too (the
// default of 20 is given), not the scan price.
func TestSupportsCostsPerSource(t *testing.T) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	prices := limits.Prices{Scan: limits.ScanPrice(20_000), Graph: graphOf20k{}}
	doc, errs := gqlparser.LoadQuery(schema, `{ sources(first: 10) { nodes { supports { totalCount } } } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	m := limits.Of(schema, doc.Operations[0], nil, prices)
	if want := 1 + 10*(1+1+50); m.Cost != want || m.Scans {
		t.Errorf("cost %d (scans: %v), want %d and no scan", m.Cost, m.Scans, want)
	}
}
