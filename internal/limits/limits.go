// Package limits measures a GraphQL operation before it runs (its cost and its shape) and
// compares the measure with configured maximums.
package limits

import (
	"fmt"
	"math"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Limits are the largest operation the API runs. Zero means no limit.
type Limits struct {
	MaxCost       int // points; see Measure
	MaxDepth      int // nesting of fields, through fragments
	MaxAliases    int // fields renamed with an alias
	MaxRootFields int // fields at the top of the operation
	MaxDirectives int // directives anywhere in the operation, fragments included
}

// Defaults are the limits when configuration gives none.
var Defaults = Limits{MaxCost: 1000, MaxDepth: 15, MaxAliases: 30, MaxRootFields: 20, MaxDirectives: 20}

// Measure is the size of one operation.
type Measure struct {
	Cost       int
	Depth      int
	Aliases    int
	RootFields int
	Directives int
}

// costCap bounds every computed cost, so multiplying page sizes never overflows.
const costCap = math.MaxInt32

// maxWalk bounds the recursion, whatever the document (fragment cycles are refused by validation
// before this runs, but the walk does not rely on it).
const maxWalk = 64

// Of measures an operation. Cost: a field that returns an object or list costs 1 point, a leaf
// costs 0, and everything selected below a list is multiplied by how many items it can return:
// `first` or `last` for connections and the analytics, `limit` for `neighbourhood`, the number of
// `ids` for `nodes`. All type branches of fragments count, so the cost is an upper bound (except
// for the evidence lists inside analytics answers, which take no size and count as one item).
func Of(op *ast.OperationDefinition, vars map[string]any) Measure {
	w := &walker{vars: vars}
	m := Measure{}
	m.Directives += len(op.Directives)
	m.Cost, m.Depth, m.RootFields = w.selections(op.SelectionSet, 0, true)
	m.Aliases, m.Directives = w.aliases, m.Directives+w.directives
	return m
}

type walker struct {
	vars       map[string]any
	aliases    int
	directives int
}

// selections returns the cost and depth of a selection set, and the number of fields at its top.
func (w *walker) selections(set ast.SelectionSet, level int, root bool) (cost, depth, fields int) {
	if level > maxWalk {
		return costCap, level, 0
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			fields++
			c, d := w.field(s, level)
			cost = add(cost, c)
			depth = max(depth, d)
		case *ast.InlineFragment:
			w.directives += len(s.Directives)
			c, d, f := w.selections(s.SelectionSet, level, root)
			cost, depth, fields = add(cost, c), max(depth, d), fields+f
		case *ast.FragmentSpread:
			w.directives += len(s.Directives)
			if s.Definition != nil {
				w.directives += len(s.Definition.Directives)
				c, d, f := w.selections(s.Definition.SelectionSet, level, root)
				cost, depth, fields = add(cost, c), max(depth, d), fields+f
			}
		}
	}
	return cost, depth, fields
}

func (w *walker) field(f *ast.Field, level int) (cost, depth int) {
	w.directives += len(f.Directives)
	if f.Alias != "" && f.Alias != f.Name {
		w.aliases++
	}
	if len(f.SelectionSet) == 0 {
		return 0, level + 1
	}
	children, d, _ := w.selections(f.SelectionSet, level+1, false)
	return add(1, mul(w.items(f), children)), max(d, level+1)
}

// items is how many items a field can return, as its arguments say: page size for lists with
// first/last (or limit, for neighbourhood), the number of ids for `nodes`, 1 for anything else.
func (w *walker) items(f *ast.Field) int {
	if f.Definition == nil {
		return 1
	}
	args := f.ArgumentMap(w.vars)
	n := 1
	for _, name := range []string{"first", "last", "limit"} {
		if v, ok := number(args[name]); ok {
			n = max(n, v)
		}
	}
	if ids, ok := args["ids"].([]any); ok && strings.HasPrefix(f.Name, "nodes") {
		n = max(n, len(ids))
	}
	return n
}

func number(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return clamp(x), true
	case int:
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

// Exceeded describes the first limit a measure goes over.
type Exceeded struct {
	Limit  string // cost, depth, aliases, rootFields or directives
	Max    int
	Actual int
}

func (e *Exceeded) Error() string {
	if e.Limit == "cost" {
		return fmt.Sprintf("query cost %d exceeds the limit of %d points: ask for fewer items (first/last) or fewer nested lists", e.Actual, e.Max)
	}
	return fmt.Sprintf("query %s %d exceeds the limit of %d", names[e.Limit], e.Actual, e.Max)
}

var names = map[string]string{"depth": "depth", "aliases": "aliases", "rootFields": "root fields", "directives": "directives"}

// Check returns the first limit m goes over, or nil.
func (l Limits) Check(m Measure) *Exceeded {
	for _, c := range []struct {
		name        string
		max, actual int
	}{
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
