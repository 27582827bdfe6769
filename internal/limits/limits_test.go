package limits

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const testSchema = `
type Query { items(first: Int, last: Int): ItemConnection! item: Item nodes(ids: [ID!]!): [Item]! near(limit: Int = 100): [Item!]! name: String }
type ItemConnection { edges: [ItemEdge!]! nodes: [Item!]! totalCount: Int! }
type ItemEdge { cursor: String! node: Item! }
type Item { id: ID! name: String children(first: Int): ItemConnection! parent: Item }
`

func measure(t *testing.T, q string, vars map[string]any) Measure {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	doc, errs := gqlparser.LoadQuery(schema, q)
	if errs != nil {
		t.Fatalf("query does not validate: %v", errs)
	}
	return Of(doc.Operations[0], vars)
}

func TestCostMultipliesByPageSize(t *testing.T) {
	cases := []struct {
		query string
		vars  map[string]any
		cost  int
	}{
		{`{ name }`, nil, 0},
		{`{ item { id name } }`, nil, 1},
		{`{ item { parent { parent { id } } } }`, nil, 3},
		// items: 1 + 10 x (edges: 1 + node: 1) = 21
		{`{ items(first: 10) { edges { node { id } } } }`, nil, 21},
		// items: 1 + 10 x (nodes: 1 + children: 1 + 5 x (nodes: 1)) = 1 + 10 x 7 = 71
		{`{ items(first: 10) { nodes { children(first: 5) { nodes { id } } } } }`, nil, 71},
		{`query($n: Int) { items(last: $n) { totalCount nodes { id } } }`, map[string]any{"n": int64(40)}, 41},
		{`{ nodes(ids: ["a", "b", "c"]) { id parent { id } } }`, nil, 4},
		// limit counts like first, defaults included: 1 + 100 x (1 + 1)
		{`{ near { parent { children(first: 1) { totalCount } } } }`, nil, 201},
		// a missing or non-positive size counts as one item
		{`{ items { nodes { id } } }`, nil, 2},
		{`{ items(first: -5) { nodes { id } } }`, nil, 2},
	}
	for _, c := range cases {
		if got := measure(t, c.query, c.vars).Cost; got != c.cost {
			t.Errorf("%s: cost %d, want %d", c.query, got, c.cost)
		}
	}
}

func TestCostNeverOverflows(t *testing.T) {
	q := "{ items(first: 2147483647) { nodes { " + strings.Repeat("children(first: 2147483647) { nodes { ", 12) + "id" + strings.Repeat(" } }", 12) + " } } }"
	m := measure(t, q, nil)
	if m.Cost != costCap {
		t.Errorf("cost %d, want the cap %d", m.Cost, costCap)
	}
	if Defaults.Check(m) == nil {
		t.Error("a capped cost passes the default limits")
	}
}

func TestShapeCountsThroughFragments(t *testing.T) {
	m := measure(t, `
	  query {
	    a: item { ...F @skip(if: false) }
	    b: item { ... on Item @include(if: true) { parent { id } } }
	    name
	  }
	  fragment F on Item { parent { parent { parent { id @include(if: true) } } } }`, nil)
	want := Measure{Cost: 6, Depth: 5, Aliases: 2, RootFields: 3, Directives: 3}
	if m != want {
		t.Errorf("measure %+v, want %+v", m, want)
	}
}

func TestCheckNamesTheLimit(t *testing.T) {
	l := Limits{MaxCost: 10, MaxDepth: 3, MaxAliases: 1, MaxRootFields: 2, MaxDirectives: 1}
	for _, c := range []struct {
		m    Measure
		want string
	}{
		{Measure{Cost: 10, Depth: 3, Aliases: 1, RootFields: 2, Directives: 1}, ""},
		{Measure{Cost: 11}, "cost"},
		{Measure{Depth: 4, Cost: 11}, "depth"},
		{Measure{Aliases: 2}, "aliases"},
		{Measure{RootFields: 3}, "rootFields"},
		{Measure{Directives: 2}, "directives"},
	} {
		got := ""
		if e := l.Check(c.m); e != nil {
			got = e.Limit
			if !strings.Contains(e.Error(), "exceeds the limit") {
				t.Errorf("message %q", e.Error())
			}
		}
		if got != c.want {
			t.Errorf("%+v: limit %q, want %q", c.m, got, c.want)
		}
	}
	if (Limits{}).Check(Measure{Cost: costCap, Depth: 1000}) != nil {
		t.Error("zero limits must not limit")
	}
}
