package store_test

import (
	"context"

	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/store"
	"github.com/partnership-graph/partnership-graph/internal/synthetic"
	"github.com/partnership-graph/partnership-graph/internal/testenv"
)

// analysisParams gives every parameter any analysis statement uses a value of the right type.
var analysisParams = map[string]any{
	"countries": []string{"country:SN"}, "country": "country:SN", "theme": "theme:x", "process": "process:x",
	"donor": "org:x", "instrument": "instrument:x", "nationalOnly": false, "includeEU": false, "viaProcesses": true,
	"from": "2020-01-01", "to": "2021-01-01", "donors": []string{"org:x"}, "frontier": []string{"country:SN"},
	"visited": []string{"country:SN"}, "keys": []string{"country:SN"}, "types": []string{"TARGETS"}, "room": int64(10), "first": int64(10),
}

// Every analysis statement is planned without a cartesian product, and those that start from
// nodes named by key seek the id index instead of scanning.
func TestAnalysisPlans(t *testing.T) {
	testenv.EmptyStore(t) // migrated: the indexes exist, as in production
	driver := testenv.Driver(t)
	replan(t)
	for _, s := range store.AnalysisStatements() {
		res, err := neo4j.ExecuteQuery(context.Background(), driver, "EXPLAIN "+s.Cypher, analysisParams, neo4j.EagerResultTransformer)
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		// The plan's text holds every operator (the driver's tree of children loses some branches).
		joined, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
		if joined == "" {
			t.Fatalf("%s: Neo4j sent no plan text", s.Name)
		}
		if strings.Contains(joined, "CartesianProduct") {
			t.Errorf("%s: plan has a cartesian product: %s", s.Name, joined)
		}
		if s.Anchored && !strings.Contains(joined, "IndexSeek") {
			t.Errorf("%s: plan seeks no index: %s", s.Name, joined)
		}
		// Paths must be found by breadth-first search from both ends, not by listing every path.
		if strings.HasPrefix(s.Name, "analysis_shortest_paths") && (!strings.Contains(joined, "ShortestPath") || strings.Contains(joined, "VarLengthExpand")) {
			t.Errorf("%s: plan does not search shortest paths breadth first: %s", s.Name, joined)
		}
	}
}

// syntheticStore empties the test graph and fills it with a small synthetic one.
func syntheticStore(t *testing.T, projects, organisations, countries int) *store.Store {
	t.Helper()
	st := testenv.EmptyStore(t)
	size := synthetic.Scale
	size.Projects, size.Organisations, size.Countries = projects, organisations, countries
	d, err := synthetic.Generate(size, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceGraphInBatches(context.Background(), store.DatasetSynthetic, d, 10000); err != nil {
		t.Fatal(err)
	}
	return st
}

// replan refreshes Neo4j's statistics and empties its plan cache, so that plans follow the graph
// the test built, not what earlier tests left in the statistics.
func replan(t *testing.T) {
	t.Helper()
	if _, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), "CALL db.prepareForReplanning()", nil,
		neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j")); err != nil {
		t.Fatalf("refreshing statistics: %v", err)
	}
}

// profiled runs a statement with PROFILE and returns the rows each operator produced, by
// operator name (summed).
func profiled(t *testing.T, cypher string, params map[string]any) map[string]int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), testenv.Driver(t), "PROFILE "+cypher, params, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatalf("%v\n%s", err, cypher)
	}
	rows := map[string]int64{}
	var walk func(p neo4j.ProfiledPlan)
	walk = func(p neo4j.ProfiledPlan) {
		name, _, _ := strings.Cut(p.Operator(), "@")
		rows[name] += p.Records()
		for _, c := range p.Children() {
			walk(c)
		}
	}
	walk(res.Summary.Profile())
	return rows
}

// Pages of root lists ordered by an indexed property come from the index, and lists filtered by
// the codes of related nodes start from those nodes: over 2,000 projects no operator scans the
// label or sorts every row, the seek past a cursor is a range on the index, and a count alone
// reads the count store (root) or the degree store (nested).
func TestPagePlans(t *testing.T) {
	syntheticStore(t, 2000, 100, 20)
	replan(t)
	first := 20
	title := []any{map[string]any{"field": "TITLE"}}
	cursor := store.PageCursorForTest("kind:Project,TITLE:false:", []any{"Project 001000", "project:syn-001000"})
	byStart := store.PageCursorForTest("kind:Project,default:Project", []any{"2015-06-01", "Project 001000", "project:syn-001000"})
	noScan := []string{"NodeByLabelScan", "Sort", "Top", "Expand(All)"}
	for _, c := range []struct {
		name   string
		req    store.ListRequest
		index  string // the index operator that must produce the rows
		most   int64  // at most this many rows from it
		forbid []string
	}{
		{"first page by title", store.ListRequest{OrderBy: title, Page: store.PageRequest{First: &first}}, "NodeIndexScan", 25, noScan},
		{"deep page by title", store.ListRequest{OrderBy: title, Page: store.PageRequest{First: &first, After: &cursor}}, "NodeIndexSeekByRange", 25, noScan},
		{"last page by title", store.ListRequest{OrderBy: title, Page: store.PageRequest{Last: &first, Before: &cursor}}, "NodeIndexSeekByRange", 25, noScan},
		// The default order (start, latest first, then title) reads the start index in order:
		// only the rows of the page's start dates pass.
		{"first page by the default order", store.ListRequest{Page: store.PageRequest{First: &first}}, "NodeIndexScan", 100, noScan},
		{"deep page by the default order", store.ListRequest{Page: store.PageRequest{First: &first, After: &byStart}}, "NodeIndexSeekByRange", 100, noScan},
		{"last page by the default order", store.ListRequest{Page: store.PageRequest{Last: &first, Before: &byStart}}, "NodeIndexSeekByRange", 100, noScan},
		{"a count alone", store.ListRequest{WithTotal: true, CountOnly: true, Page: store.PageRequest{First: &first}}, "", 0, noScan},
		// Filtered by two countries: start from them (unique codes), never from every project.
		{"filtered by countries", store.ListRequest{Where: map[string]any{"countries": []any{"AA", "AB"}}, WithTotal: true, Page: store.PageRequest{First: &first}},
			"NodeUniqueIndexSeek", 4, []string{"NodeByLabelScan", "NodeIndexScan", "Sort"}},
		// Filtered by a source: start from the citation index, never from every project.
		{"filtered by a source", store.ListRequest{Where: map[string]any{"cites": "source:x"}, WithTotal: true, Page: store.PageRequest{First: &first}},
			"", 0, []string{"NodeByLabelScan", "NodeIndexScan", "AllNodesScan"}},
	} {
		cypher, params, err := store.PageStatement("Query.projects", c.req, nil)
		if err != nil {
			t.Fatal(err)
		}
		rows := profiled(t, cypher, params)
		for _, op := range c.forbid {
			if rows[op] > 0 {
				t.Errorf("%s: %s produced %d rows: %v", c.name, op, rows[op], rows)
			}
		}
		if _, read := rows["ProcedureCall"]; c.req.Where["cites"] != nil && !read {
			t.Errorf("%s: the citation index is not read: %v", c.name, rows)
		}
		if c.index != "" && (rows[c.index] == 0 || rows[c.index] > c.most) {
			t.Errorf("%s: %s produced %d rows, want 1 to %d: %v", c.name, c.index, rows[c.index], c.most, rows)
		}
	}
	cypher, params, err := store.PageStatement("Country.projects", store.ListRequest{WithTotal: true, CountOnly: true, Page: store.PageRequest{First: &first}},
		[]string{"country:syn-AA", "country:syn-AB"})
	if err != nil {
		t.Fatal(err)
	}
	if rows := profiled(t, cypher, params); rows["Expand(All)"] > 0 || rows["Top"] > 0 {
		t.Errorf("nested count alone: want the degree store, no expansion: %v", rows)
	}
}

// A list filtered by related nodes and ordered by an indexed property keeps its filter: the
// anchor and the index order never mix up (and its count is the filtered one).
func TestAnchoredListsKeepTheirFilter(t *testing.T) {
	st := syntheticStore(t, 500, 50, 10)
	ctx := context.Background()
	hundred := 100
	title := []any{map[string]any{"field": "TITLE"}}
	all, err := st.List(ctx, "Query.projects", store.ListRequest{OrderBy: title, WithTotal: true, Page: store.PageRequest{First: &hundred}})
	if err != nil {
		t.Fatal(err)
	}
	one, err := st.List(ctx, "Query.projects", store.ListRequest{Where: map[string]any{"countries": []any{"AA"}}, OrderBy: title, WithTotal: true,
		Page: store.PageRequest{First: &hundred}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Total == 0 || one.Total >= all.Total {
		t.Fatalf("projects in country AA: %d of %d", one.Total, all.Total)
	}
	var keys []string
	for _, e := range one.Edges {
		keys = append(keys, e.Node.(*model.Project).Key)
	}
	countries, err := st.Related(ctx, "Project.countries", store.ListRequest{Page: store.PageRequest{First: &hundred}}, keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		found := false
		for _, e := range countries[k].Edges {
			found = found || e.Node.(*model.Country).Key == "country:syn-AA"
		}
		if !found {
			t.Errorf("%s does not target AA", k)
		}
	}
	for i := 1; i < len(one.Edges); i++ {
		if a, b := one.Edges[i-1].Node.(*model.Project).Title, one.Edges[i].Node.(*model.Project).Title; a > b {
			t.Errorf("not in title order: %q before %q", a, b)
		}
	}
}
