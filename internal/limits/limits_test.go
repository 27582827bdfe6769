package limits

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const testSchema = `
directive @cost(narrowed: Int! = 0, narrowedBy: [String!]! = []) on FIELD_DEFINITION | ENUM_VALUE
type Query {
  items(first: Int, last: Int, where: ItemWhere, orderBy: [ItemOrder!]): ItemConnection!
  item: Item nodes(ids: [ID!]!): [Item]! near(limit: Int = 100): [Item!]! name: String
  analysis(country: ID, where: ItemWhere, first: Int = 10): [Item!]! @cost(narrowed: 20, narrowedBy: ["country", "where.keys"])
  echo(text: String, tags: [String!]): String
}
input ItemWhere { AND: [ItemWhere!] OR: [ItemWhere!] NOT: ItemWhere keys: [ID!] name: TextFilter childrenSome: ItemWhere childrenNone: ItemWhere }
input TextFilter { equals: String contains: String in: [String!] }
input ItemOrder { field: ItemOrderField! }
enum ItemOrderField { NAME CHILD_COUNT @cost(narrowed: 5) }
type ItemConnection { edges: [ItemEdge!]! nodes: [Item!]! totalCount: Int! }
type ItemEdge { cursor: String! node: Item! }
type Item { id: ID! name: String children(first: Int, orderBy: [ItemOrder!]): ItemConnection! parent: Item }
`

func measure(t *testing.T, q string, vars map[string]any) Measure {
	t.Helper()
	return measureAt(t, q, vars, Prices{Scan: 1000})
}

func measureAt(t *testing.T, q string, vars map[string]any, p Prices) Measure {
	t.Helper()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: testSchema})
	doc, errs := gqlparser.LoadQuery(schema, q)
	if errs != nil {
		t.Fatalf("query does not validate: %v", errs)
	}
	return Of(schema, doc.Operations[0], vars, p)
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
	l := Limits{MaxCost: 10, MaxDepth: 3, MaxAliases: 1, MaxRootFields: 2, MaxDirectives: 1,
		MaxFilterDepth: 2, MaxFilterConditions: 3, MaxListItems: 4, MaxStringBytes: 5}
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
		{Measure{FilterDepth: 3, Cost: 11}, "filterDepth"},
		{Measure{FilterConditions: 4}, "filterConditions"},
		{Measure{ListItems: 5}, "listItems"},
		{Measure{StringBytes: 6}, "stringBytes"},
	} {
		got := ""
		if e := l.Check(c.m); e != nil {
			got = e.Limit
			if !strings.Contains(e.Error(), "limit") || !strings.Contains(e.Error(), strconv.Itoa(e.Max)) {
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

func TestFiltersAreMeasuredInlineAndInVariables(t *testing.T) {
	inline := measure(t, `{ items(first: 1, where: {NOT: {NOT: {childrenSome: {name: {contains: "ab"}}}}}) { totalCount } }`, nil)
	vars := measure(t, `query($w: ItemWhere) { items(first: 1, where: $w) { totalCount } }`, map[string]any{
		"w": map[string]any{"NOT": map[string]any{"NOT": map[string]any{"childrenSome": map[string]any{"name": map[string]any{"contains": "ab"}}}}},
	})
	for _, m := range []Measure{inline, vars} {
		if m.FilterDepth != 3 || m.FilterConditions != 1 || m.StringBytes != 2 {
			t.Errorf("measure %+v, want filter depth 3, 1 condition, 2 bytes", m)
		}
		// items: 1 + 1 condition + rows through childrenSome (1000 items x 10 children = 10,000,
		// 100 points) + 1 x 0
		if m.Cost != 102 || m.FilterRows != 10_000 {
			t.Errorf("cost %d, filter rows %d, want 102 and 10000", m.Cost, m.FilterRows)
		}
	}
}

func TestFilterConditionsListsAndStrings(t *testing.T) {
	m := measure(t, `query($names: [String!]) { items(first: 2, where: {OR: [{name: {equals: "a"}}, {name: {in: $names}}, {keys: ["k1", "k2", "k3"]}]}) { totalCount }
	  echo(text: "hello", tags: ["x", "yz"]) }`, map[string]any{"names": []any{"bb", "cc"}})
	// conditions: equals, in, keys; lists: OR (3), names (2), keys (3), tags (2)
	if m.FilterConditions != 3 || m.ListItems != 10 || m.FilterDepth != 1 {
		t.Errorf("measure %+v, want 3 conditions, 10 list items, depth 1", m)
	}
	// bytes: a + bb + cc + k1 k2 k3 + hello + x + yz = 1+4+6+5+3
	if m.StringBytes != 19 {
		t.Errorf("string bytes %d, want 19", m.StringBytes)
	}
}

func TestDeepVariablesStopAtTheWalkBound(t *testing.T) {
	var w any = map[string]any{"keys": []any{"k"}}
	for i := 0; i < 10_000; i++ {
		w = map[string]any{"NOT": w}
	}
	m := measure(t, `query($w: ItemWhere) { items(first: 1, where: $w) { totalCount } }`, map[string]any{"w": w})
	if m.FilterDepth <= Defaults.MaxFilterDepth || m.Cost != costCap {
		t.Errorf("measure %+v: want a depth over the limit and the capped cost", m)
	}
	if e := Defaults.Check(m); e == nil || e.Limit != "filterDepth" {
		t.Errorf("check %v, want filterDepth", e)
	}
}

func TestCostDirectivePricesScans(t *testing.T) {
	cases := []struct {
		query string
		cost  int
		scans bool
	}{
		// unnarrowed: 1 + scan (1000) + 10 x 1
		{`{ analysis { parent { id } } }`, 1011, true},
		// narrowed by an argument or a dotted path into an input
		{`{ analysis(country: "SN") { parent { id } } }`, 31, false},
		{`{ analysis(where: {keys: ["a"]}) { parent { id } } }`, 32, false},
		// an empty list does not narrow
		{`{ analysis(where: {keys: []}) { parent { id } } }`, 1011 + 1, true},
		// a root list ordered by a priced enum value pays the scan, nested lists the narrowed points
		{`{ items(first: 1, orderBy: [{field: CHILD_COUNT}]) { totalCount } }`, 1001, true},
		{`{ items(first: 1, orderBy: [{field: NAME}]) { totalCount } }`, 1, false},
		{`{ items(first: 2) { nodes { children(first: 1, orderBy: [{field: CHILD_COUNT}]) { totalCount } } } }`, 1 + 2*(1+1+5), false},
	}
	for _, c := range cases {
		m := measure(t, c.query, nil)
		if m.Cost != c.cost || m.Scans != c.scans {
			t.Errorf("%s: cost %d scans %v, want %d %v", c.query, m.Cost, m.Scans, c.cost, c.scans)
		}
		// Every field priced by @cost is an analysis, narrowed or not; sorts only at the root.
		analysis := strings.Contains(c.query, "analysis") || strings.HasPrefix(c.query, "{ items(first: 1, orderBy: [{field: CHILD_COUNT")
		if m.Analyses != analysis {
			t.Errorf("%s: analyses %v, want %v", c.query, m.Analyses, analysis)
		}
	}
	if got := measureAt(t, `{ analysis { id } }`, nil, Prices{}).Cost; got != 1+MinScan+10*0 {
		t.Errorf("scan price below the minimum: cost %d, want %d", got, 1+MinScan)
	}
	if ScanPrice(100_000) != 10_000 || ScanPrice(15) != MinScan {
		t.Errorf("scan price %d, %d", ScanPrice(100_000), ScanPrice(15))
	}
}

type sizes struct {
	rows    map[string]float64
	fanouts map[string]float64
}

func (s sizes) Rows(kind string) float64           { return s.rows[kind] }
func (s sizes) Fanout(kind, filter string) float64 { return s.fanouts[kind+"."+filter] }

func TestFilterRowsFollowTheGraphsFanout(t *testing.T) {
	g := sizes{rows: map[string]float64{"Item": 20_000, "Query": 0}, fanouts: map[string]float64{"Item.childrenSome": 2, "Item.childrenNone": 2, "Item.keys": 0}}
	p := Prices{Scan: 1000, Graph: g}
	cases := []struct {
		where string
		rows  int
	}{
		{`{name: {equals: "a"}}`, 0},
		// one level: 20,000 items x 2 children
		{`{childrenSome: {name: {equals: "a"}}}`, 40_000},
		// two levels: 20,000 x (2 + 2 x 2)
		{`{childrenNone: {childrenSome: {name: {equals: "a"}}}}`, 20_000 * 6},
		// alternatives add up
		{`{OR: [{childrenSome: {keys: ["a"]}}, {childrenNone: {keys: ["b"]}}]}`, 80_000},
	}
	for _, c := range cases {
		m := measureAt(t, `{ items(first: 10, where: `+c.where+`) { totalCount } }`, nil, p)
		if m.FilterRows != c.rows {
			t.Errorf("%s: filter rows %d, want %d", c.where, m.FilterRows, c.rows)
		}
	}
	// Below a list, a filter reads per parent about the parent's share, and runs once per parent.
	m := measureAt(t, `{ items(first: 10) { nodes { children(first: 5) { totalCount } } } }`, nil, p)
	if m.FilterRows != 0 {
		t.Errorf("no filter, rows %d", m.FilterRows)
	}
	deep := measureAt(t, `{ items(first: 1, where: {childrenNone: {childrenNone: {childrenNone: {childrenSome: {name: {equals: "a"}}}}}}) { totalCount } }`, nil, p)
	if e := Defaults.Check(deep); e == nil || e.Limit != "filterRows" {
		t.Errorf("a four-level relationship filter over 20,000 items: check %v, want filterRows", e)
	}
}

func TestFragmentsSpreadManyTimesStayLinear(t *testing.T) {
	// F0 spreads F1 twice, F1 spreads F2 twice...: 2^40 expansions if walked naively.
	var b strings.Builder
	b.WriteString("{ ...F0 }\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i+1, i+1)
	}
	b.WriteString("fragment F40 on Query { item { id } }\n")
	m := measure(t, b.String(), nil)
	if m.Cost != 1 {
		t.Errorf("cost %d, want 1 (one item, however many times its fragment is spread)", m.Cost)
	}
	// Distinct fields that each spread the next fragment do multiply; the walk stops at its
	// step bound and the operation costs the cap.
	b.Reset()
	b.WriteString("{ ...G0 }\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "fragment G%d on Query { a: items(first: 1) { nodes { children(first: 1) { nodes { parent { id } } } } } ...G%d }\n", i, i+1)
	}
	b.WriteString("fragment G30 on Query { name }\n")
	if m := measure(t, b.String(), nil); m.Cost <= 0 {
		t.Errorf("cost %d", m.Cost)
	}
}

func TestExplicitNullTakesTheDefaultPageSize(t *testing.T) {
	// near(limit: Int = 100): null means 100 to the resolvers, and so to the cost.
	if got := measure(t, `{ near(limit: null) { parent { id } } }`, nil).Cost; got != 101 {
		t.Errorf("cost %d, want 1 + 100 x 1", got)
	}
}

func TestLongListsDoNotNarrow(t *testing.T) {
	few := measure(t, `{ analysis(where: {keys: ["a", "b"]}) { id } }`, nil)
	many := measure(t, `{ analysis(where: {keys: ["a", "b", "c", "d", "e", "f"]}) { id } }`, nil)
	if few.Scans || !many.Scans {
		t.Errorf("two keys scan=%v, six keys scan=%v; want false, true", few.Scans, many.Scans)
	}
}
