// Package limits measures a GraphQL operation before it runs (its cost, its shape and the size of
// its inputs) and compares the measure with configured maximums.
package limits

import (
	"fmt"
	"math"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Limits are the largest operation the API runs. Zero means no limit.
type Limits struct {
	MaxCost       int // points; see Of
	MaxDepth      int // nesting of fields, through fragments
	MaxAliases    int // fields renamed with an alias
	MaxRootFields int // fields at the top of the operation
	MaxDirectives int // directives anywhere in the operation, fragments included
	MaxFields     int // field selections written in the document, checked before validation

	MaxFilterDepth      int // nesting of AND, OR, NOT and relationship filters (...Some, ...None)
	MaxFilterConditions int // conditions in all the filters (input objects) of the operation
	MaxFilterRows       int // rows the nested relationship filters of the operation may make Neo4j read (estimated)
	MaxListItems        int // items of all list arguments, inline and in variables
	MaxStringBytes      int // bytes of all string arguments, inline and in variables
}

// Defaults are the limits when configuration gives none. The input limits keep the worst filter
// they allow cheap for Neo4j to plan and run (see the README's "Query cost" for the measurements).
var Defaults = Limits{
	MaxCost: 50_000, MaxDepth: 15, MaxAliases: 30, MaxRootFields: 20, MaxDirectives: 20, MaxFields: 250,
	MaxFilterDepth: 4, MaxFilterConditions: 40, MaxFilterRows: 200_000, MaxListItems: 1000, MaxStringBytes: 8192,
}

// Prices are the points of work the schema's `@cost` directive refers to.
type Prices struct {
	// Scan is what reading across the whole graph costs: one point per ten projects in the graph,
	// at least MinScan (ScanPrice computes it).
	Scan int
	// Graph gives the sizes behind the work of relationship filters; nil: every kind holds
	// DefaultRows nodes and every relationship filter reaches DefaultFanout nodes.
	Graph Graph
}

// Graph is what the walker needs to know of the graph's size to estimate the rows a filter
// makes Neo4j read.
type Graph interface {
	// Rows is the number of nodes of a kind (the type name of the listed nodes).
	Rows(kind string) float64
	// Fanout is how many nodes one node of kind reaches, on average, through the relationship
	// of its relationship filter (donorsSome, projectsNone...).
	Fanout(kind, filter string) float64
}

// Sizes of the graph assumed when Prices.Graph is nil.
const (
	DefaultRows   = 1000
	DefaultFanout = 10
)

type assumedGraph struct{}

func (assumedGraph) Rows(string) float64 { return DefaultRows }
func (assumedGraph) Fanout(_, filter string) float64 {
	if filterKey(filter) && filter != "AND" && filter != "OR" && filter != "NOT" {
		return DefaultFanout
	}
	return 0
}

// rowsPerPoint is how many rows of filter work cost one point.
const rowsPerPoint = 100

// MinScan is the least a scan of the graph costs, whatever its size.
const MinScan = 100

// ScanPrice is the price of a scan of a graph holding that many projects.
func ScanPrice(projects int) int { return max(MinScan, projects/10) }

// conditionPoints is what one condition of a filter costs; the rows its relationship filters
// make Neo4j read cost one point per rowsPerPoint on top.
const conditionPoints = 1

// Measure is the size of one operation.
type Measure struct {
	Cost       int
	Depth      int
	Aliases    int
	RootFields int
	Directives int

	FilterDepth      int
	FilterConditions int
	FilterRows       int // rows the relationship filters are estimated to make Neo4j read
	ListItems        int
	StringBytes      int

	// Scans tells that some field of the operation is priced as a scan of the graph (an
	// unnarrowed analysis or aggregate, or a root list sorted by a computed key): the API runs
	// few of those at once.
	Scans bool
	// Analyses tells that some field of the operation is priced by `@cost` at all, narrowed or
	// not: the API runs a bounded number of those at once.
	Analyses bool
}

// costCap bounds every computed cost, so multiplying page sizes never overflows.
const costCap = math.MaxInt32

// maxWalk bounds the recursion, whatever the document or the variables (fragment cycles are
// refused by validation before this runs, but the walk does not rely on it).
const maxWalk = 64

// maxSteps bounds the selections the walk visits, fragments expanded: past it the operation
// costs the cap (and is refused), however its fragments nest.
const maxSteps = 100_000

// Of measures an operation whose variables have been coerced (the values the resolvers receive).
//
// Cost: a field that returns an object or list costs 1 point, a leaf 0, and everything selected
// below a list is multiplied by how many items it can return: `first` or `last` for connections
// and the analytics, `limit` for `neighbourhood`, the number of `ids` for `nodes`. A field's
// filters add their points (1 per condition, 10 per relationship filter). A field marked
// `@cost` in the schema adds the scan price unless one of its `narrowedBy` arguments is given,
// and then its `narrowed` points; a list ordered by an enum value marked `@cost` adds the scan
// price at the root and the `narrowed` points when nested. All type branches of fragments
// count, so the cost is an upper bound.
func Of(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any, prices Prices) Measure {
	if prices.Scan < MinScan {
		prices.Scan = MinScan
	}
	if prices.Graph == nil {
		prices.Graph = assumedGraph{}
	}
	w := &walker{schema: schema, vars: vars, prices: prices}
	m := Measure{}
	m.Directives += len(op.Directives)
	m.Cost, m.Depth, m.RootFields = w.selections(op.SelectionSet, 0, 1)
	m.Aliases, m.Directives = w.aliases, m.Directives+w.directives
	m.FilterDepth, m.FilterConditions, m.ListItems, m.StringBytes = w.in.depth, w.in.conditions, w.in.items, w.in.bytes
	if math.IsNaN(w.in.rows) || w.in.rows >= costCap {
		m.FilterRows = costCap
	} else {
		m.FilterRows = int(w.in.rows)
	}
	m.Scans, m.Analyses = w.scans, w.scans || w.analyses
	return m
}

type walker struct {
	schema     *ast.Schema
	vars       map[string]any
	prices     Prices
	aliases    int
	directives int
	scans      bool
	analyses   bool
	steps      int
	in         inputs
}

// selections returns the cost and depth of a selection set, and the number of fields at its top.
// mult is how many times the selection set runs: the product of the page sizes above it.
func (w *walker) selections(set ast.SelectionSet, level, mult int) (cost, depth, fields int) {
	if level > maxWalk || w.steps > maxSteps {
		return costCap, level, 0
	}
	// A fragment spread twice in one selection set runs once (the executor merges the fields);
	// counting it once also keeps the walk linear in the document.
	spread := map[string]bool{}
	for _, sel := range set {
		w.steps++
		if w.steps > maxSteps {
			return costCap, depth, fields
		}
		switch s := sel.(type) {
		case *ast.Field:
			fields++
			c, d := w.field(s, level, mult)
			cost = add(cost, c)
			depth = max(depth, d)
		case *ast.InlineFragment:
			w.directives += len(s.Directives)
			c, d, f := w.selections(s.SelectionSet, level, mult)
			cost, depth, fields = add(cost, c), max(depth, d), fields+f
		case *ast.FragmentSpread:
			w.directives += len(s.Directives)
			if s.Definition != nil && !spread[s.Name] {
				spread[s.Name] = true
				w.directives += len(s.Definition.Directives)
				c, d, f := w.selections(s.Definition.SelectionSet, level, mult)
				cost, depth, fields = add(cost, c), max(depth, d), fields+f
			}
		}
	}
	return cost, depth, fields
}

func (w *walker) field(f *ast.Field, level, mult int) (cost, depth int) {
	w.directives += len(f.Directives)
	if f.Alias != "" && f.Alias != f.Name {
		w.aliases++
	}
	var args map[string]any
	if f.Definition != nil {
		args = f.ArgumentMap(w.vars)
	}
	own := add(w.arguments(f, args, level, mult), w.priced(f, args, level))
	if len(f.SelectionSet) == 0 {
		return own, level + 1
	}
	n := items(f, args)
	children, d, _ := w.selections(f.SelectionSet, level+1, mul(mult, n))
	return add(add(1, own), mul(n, children)), max(d, level+1)
}

// arguments measures a field's arguments and returns the points of its filters: one per
// condition, and one per rowsPerPoint rows its relationship filters make Neo4j read, estimated
// from the graph's sizes. Filters are the arguments named `where` or `...Where`; the others count
// only for their lists and strings.
func (w *walker) arguments(f *ast.Field, args map[string]any, level, mult int) int {
	points := 0
	for name, v := range args {
		if name != "where" && !strings.HasSuffix(name, "Where") {
			other := inputs{}
			other.value(v, 0, false)
			w.in.items, w.in.bytes = w.in.items+other.items, w.in.bytes+other.bytes
			continue
		}
		obj, ok := v.(map[string]any)
		def := w.inputType(f.Definition.Arguments.ForName(name))
		if !ok || def == nil {
			w.in.value(v, 0, false)
			continue
		}
		kind := strings.TrimSuffix(def.Name, "Where")
		before := w.in.conditions
		perRow := w.where(obj, def, kind, 0)
		points = add(points, (w.in.conditions-before)*conditionPoints)
		// The rows a filter is tried on: every node of the kind at the root; below, about the
		// share of one parent (nodes of the kind over nodes of the parent's kind).
		candidates := w.prices.Graph.Rows(kind)
		if level > 0 && f.ObjectDefinition != nil {
			if parents := w.prices.Graph.Rows(f.ObjectDefinition.Name); parents > 0 {
				candidates = max(1, candidates/parents)
			}
		}
		extra := candidates * (perRow - 1)
		if math.IsNaN(extra) || extra > costCap {
			w.in.rows = math.Inf(1)
			points = costCap
			continue
		}
		w.in.rows += extra * float64(mult)
		points = add(points, int(math.Ceil(extra/rowsPerPoint)))
	}
	return points
}

func (w *walker) inputType(arg *ast.ArgumentDefinition) *ast.Definition {
	if arg == nil || w.schema == nil {
		return nil
	}
	if def := w.schema.Types[arg.Type.Name()]; def != nil && def.Kind == ast.InputObject {
		return def
	}
	return nil
}

// where measures one filter object on nodes of kind (input type def) and returns the rows it
// reads per candidate row: 1 for the row itself, plus, for every relationship it follows, the
// related nodes reached times what the nested filter reads for each.
func (w *walker) where(obj map[string]any, def *ast.Definition, kind string, nesting int) float64 {
	if nesting > maxWalk {
		w.in.depth = max(w.in.depth, nesting)
		return math.Inf(1)
	}
	perRow := 1.0
	for key, v := range obj {
		if v == nil {
			continue
		}
		switch {
		case key == "AND" || key == "OR" || key == "NOT":
			w.in.depth = max(w.in.depth, nesting+1)
			list, isList := v.([]any)
			if !isList {
				list = []any{v}
			} else {
				w.in.items += len(list)
			}
			for _, e := range list {
				if m, ok := e.(map[string]any); ok {
					perRow += w.where(m, def, kind, nesting+1) - 1
				}
			}
		case filterKey(key):
			w.in.depth = max(w.in.depth, nesting+1)
			inner, _ := v.(map[string]any)
			var innerDef *ast.Definition
			if fd := def.Fields.ForName(key); fd != nil && w.schema != nil {
				innerDef = w.schema.Types[fd.Type.Name()]
			}
			if innerDef == nil || inner == nil {
				continue
			}
			perRow += w.prices.Graph.Fanout(kind, key) * w.where(inner, innerDef, strings.TrimSuffix(innerDef.Name, "Where"), nesting+1)
		default:
			// A condition on the node, or a list of related nodes' keys (`countries`, `donors`):
			// at most one existence check per candidate, linear in the list, which the planner
			// runs after the node's own indexed conditions. Only nested filters multiply.
			w.in.value(v, nesting, true)
		}
	}
	return perRow
}

// priced is what the schema's @cost directive adds for a field: on the field itself, or on the
// enum values it is ordered by.
func (w *walker) priced(f *ast.Field, args map[string]any, level int) int {
	if f.Definition == nil {
		return 0
	}
	points := 0
	if d := f.Definition.Directives.ForName("cost"); d != nil {
		points = add(points, w.price(d, args, level, false))
	}
	orders, _ := args["orderBy"].([]any)
	if o, ok := args["orderBy"].(map[string]any); ok {
		orders = []any{o}
	}
	orderArg := f.Definition.Arguments.ForName("orderBy")
	if orderArg == nil || len(orders) == 0 {
		return points
	}
	enum := w.orderFieldEnum(orderArg.Type)
	for _, o := range orders {
		m, _ := o.(map[string]any)
		name, _ := m["field"].(string)
		if enum == nil || name == "" {
			continue
		}
		if v := enum.EnumValues.ForName(name); v != nil {
			if d := v.Directives.ForName("cost"); d != nil {
				points = add(points, w.price(d, nil, level, true))
			}
		}
	}
	return points
}

// orderFieldEnum is the enum behind the `field` of an order input type (`[ProjectOrder!]`).
func (w *walker) orderFieldEnum(t *ast.Type) *ast.Definition {
	if t == nil || w.schema == nil {
		return nil
	}
	input := w.schema.Types[t.Name()]
	if input == nil || input.Kind != ast.InputObject {
		return nil
	}
	f := input.Fields.ForName("field")
	if f == nil {
		return nil
	}
	if e := w.schema.Types[f.Type.Name()]; e != nil && e.Kind == ast.Enum {
		return e
	}
	return nil
}

// price is what one @cost directive charges: its `narrowed` points when the field is nested
// (enum values on nested lists) or narrowed by one of its `narrowedBy` arguments, the scan price
// otherwise.
func (w *walker) price(d *ast.Directive, args map[string]any, level int, onEnum bool) int {
	narrowed := 0
	if a := d.Arguments.ForName("narrowed"); a != nil && a.Value != nil {
		if v, err := a.Value.Value(nil); err == nil {
			narrowed, _ = number(v)
		}
	}
	if onEnum && level > 0 {
		return narrowed // a computed sort of a nested list: per parent, not an analysis
	}
	w.analyses = true
	if a := d.Arguments.ForName("narrowedBy"); a != nil && a.Value != nil {
		for _, c := range a.Value.Children {
			path, _ := c.Value.Value(nil)
			if s, ok := path.(string); ok && given(args, s) {
				return narrowed
			}
		}
	}
	w.scans = true
	return w.prices.Scan
}

// given tells whether the dotted argument path (such as `where.countries`) holds a value.
func given(args map[string]any, path string) bool {
	var v any = args
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[part]; !ok || v == nil {
			return false
		}
	}
	if l, ok := v.([]any); ok {
		// A long list narrows nothing: all 200 countries are the whole graph.
		return len(l) > 0 && len(l) <= maxNarrowingItems
	}
	return true
}

// maxNarrowingItems is the longest list argument that still narrows a priced field.
const maxNarrowingItems = 5

// items is how many items a field can return, as its arguments say: page size for lists with
// first/last (or limit, for neighbourhood), the number of ids for `nodes`, 1 for anything else.
func items(f *ast.Field, args map[string]any) int {
	n := 1
	for _, name := range []string{"first", "last", "limit"} {
		v := args[name]
		if v == nil && f.Definition != nil {
			// An explicit null takes the schema's default, as the resolvers do.
			if a := f.Definition.Arguments.ForName(name); a != nil && a.DefaultValue != nil {
				v, _ = a.DefaultValue.Value(nil)
			}
		}
		if v, ok := number(v); ok {
			n = max(n, v)
		}
	}
	if ids, ok := args["ids"].([]any); ok && strings.HasPrefix(f.Name, "nodes") {
		n = max(n, len(ids))
	}
	return n
}

// number reads a coerced Int: int64 from a variable, int or json.Number inside input objects.
// Strings never count (variables are checked before, and a string is never an Int here).
func number(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return clamp(x), true
	case int:
		return clamp(int64(x)), true
	case int32:
		return clamp(int64(x)), true
	case float64:
		return clamp(int64(x)), true
	case interface{ Int64() (int64, error) }:
		i, err := x.Int64()
		return clamp(i), err == nil
	}
	return 0, false
}

func clamp(v int64) int {
	switch {
	case v < 1:
		return 1
	case v > costCap:
		return costCap
	}
	return int(v)
}

func add(a, b int) int {
	if a > costCap-b {
		return costCap
	}
	return a + b
}

func mul(a, b int) int {
	if a != 0 && b > costCap/a {
		return costCap
	}
	return a * b
}

// inputs accumulates the size of every argument value of an operation.
type inputs struct {
	depth      int     // deepest nesting of logical and relationship filters
	conditions int     // leaf values inside input objects
	rows       float64 // rows relationship filters read, estimated
	items      int     // items of lists
	bytes      int     // bytes of strings
}

// value measures one argument value; nesting is the number of logical or relationship filters
// above it, inObject whether it sits inside an input object (where a leaf is a condition).
func (in *inputs) value(v any, nesting int, inObject bool) int {
	if nesting > maxWalk {
		in.depth = max(in.depth, nesting)
		return costCap
	}
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		in.bytes += len(x)
	case []any:
		in.items += len(x)
		points := 0
		for _, e := range x {
			if _, isObject := e.(map[string]any); isObject {
				points = add(points, in.value(e, nesting, inObject))
			} else if s, ok := e.(string); ok {
				in.bytes += len(s)
			}
		}
		if inObject && !allObjects(x) {
			in.conditions++
			points = add(points, conditionPoints)
		}
		return points
	case map[string]any:
		points := 0
		for k, e := range x {
			if e == nil {
				continue
			}
			n := nesting
			if filterKey(k) {
				n++
				in.depth = max(in.depth, n)
			}
			points = add(points, in.value(e, n, true))
		}
		return points
	}
	if inObject {
		in.conditions++
		return conditionPoints
	}
	return 0
}

func allObjects(list []any) bool {
	for _, e := range list {
		if _, ok := e.(map[string]any); !ok {
			return false
		}
	}
	return len(list) > 0
}

// filterKey tells whether an input field nests a filter: AND, OR, NOT, or a relationship filter
// (`donorsSome`, `projectsNone`...).
func filterKey(k string) bool {
	switch k {
	case "AND", "OR", "NOT":
		return true
	}
	return len(k) > 4 && (strings.HasSuffix(k, "Some") || strings.HasSuffix(k, "None"))
}

// Exceeded describes the first limit a measure goes over.
type Exceeded struct {
	Limit  string // cost, depth, aliases, rootFields, directives, filterDepth, filterConditions, filterRows, listItems or stringBytes
	Max    int
	Actual int
}

func (e *Exceeded) Error() string {
	switch e.Limit {
	case "cost":
		return fmt.Sprintf("query cost %d exceeds the limit of %d points: ask for fewer items (first/last), fewer nested lists, or narrow an analysis", e.Actual, e.Max)
	case "filterDepth":
		return fmt.Sprintf("filters nest %d levels of AND, OR, NOT and relationship filters (...Some, ...None); the limit is %d", e.Actual, e.Max)
	case "filterConditions":
		return fmt.Sprintf("filters hold %d conditions; the limit is %d: use a list condition (in, keys, countries...) instead of many alternatives", e.Actual, e.Max)
	case "filterRows":
		return fmt.Sprintf("filters would make the database read about %d rows through relationship filters (...Some, ...None); the limit is %d: nest fewer of them, filter on less connected relationships, or start from the related node's own list", e.Actual, e.Max)
	case "listItems":
		return fmt.Sprintf("arguments hold %d list items in all; the limit is %d", e.Actual, e.Max)
	case "stringBytes":
		return fmt.Sprintf("string arguments hold %d bytes in all; the limit is %d", e.Actual, e.Max)
	}
	return fmt.Sprintf("query %s %d exceeds the limit of %d", names[e.Limit], e.Actual, e.Max)
}

var names = map[string]string{"depth": "depth", "aliases": "aliases", "rootFields": "root fields", "directives": "directives"}

// Check returns the first limit m goes over, or nil. Input sizes come first: an oversized
// filter is named as such, not only by the cost it adds.
func (l Limits) Check(m Measure) *Exceeded {
	for _, c := range []struct {
		name        string
		max, actual int
	}{
		{"filterDepth", l.MaxFilterDepth, m.FilterDepth},
		{"filterConditions", l.MaxFilterConditions, m.FilterConditions},
		{"filterRows", l.MaxFilterRows, m.FilterRows},
		{"listItems", l.MaxListItems, m.ListItems},
		{"stringBytes", l.MaxStringBytes, m.StringBytes},
		{"depth", l.MaxDepth, m.Depth},
		{"aliases", l.MaxAliases, m.Aliases},
		{"rootFields", l.MaxRootFields, m.RootFields},
		{"directives", l.MaxDirectives, m.Directives},
		{"cost", l.MaxCost, m.Cost},
	} {
		if c.max > 0 && c.actual > c.max {
			return &Exceeded{Limit: c.name, Max: c.max, Actual: c.actual}
		}
	}
	return nil
}
