package graph

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// maxPageSize bounds every `first` and `last`.
const maxPageSize = 100

// maxSearchText bounds the text of a search.
const maxSearchText = 200

// fieldArgs returns the arguments of the field being resolved as the request gave them (after
// variables and defaults), with JSON numbers turned into int64 or float64. List resolvers read
// their arguments this way, the same way the look-ahead in lists.go reads them for nested lists
// whose resolvers have not run yet, so both agree on what was asked; the filter and sort inputs
// gqlgen passes to the resolvers (bound to maps in gqlgen.yml) stay unread.
func fieldArgs(ctx context.Context) map[string]any {
	return argsOf(graphql.GetFieldContext(ctx).Field, graphql.GetOperationContext(ctx).Variables)
}

func argsOf(f graphql.CollectedField, vars map[string]any) map[string]any {
	m, _ := normalise(f.ArgumentMap(vars)).(map[string]any)
	return m
}

func normalise(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalise(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalise(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case int:
		return int64(x)
	}
	return v
}

// argsKey identifies a set of arguments, so loaders for the same list and arguments are shared.
func argsKey(args map[string]any) string {
	b, _ := json.Marshal(args) // maps marshal with sorted keys
	return string(b)
}

// listRequest checks the paging arguments (first, after, last, before) and takes the filter and
// sort keys as given; the store checks those and reads the cursors. withTotal says whether the
// selection asks for totalCount.
func listRequest(args map[string]any, want selected) (store.ListRequest, error) {
	page, err := pageRequest(args)
	if err != nil {
		return store.ListRequest{}, err
	}
	req := store.ListRequest{Page: page, WithTotal: want.total, CountOnly: want.total && !want.page, SkipReferences: !want.references,
		NodeFields: want.nodeFields, EdgeFields: want.edgeFields}
	req.Where, _ = args["where"].(map[string]any)
	req.OrderBy, _ = args["orderBy"].([]any)
	return req, nil
}

func pageRequest(args map[string]any) (store.PageRequest, error) {
	var p store.PageRequest
	first, err := pageSize(args, "first")
	if err != nil {
		return p, err
	}
	last, err := pageSize(args, "last")
	if err != nil {
		return p, err
	}
	switch {
	case first == nil && last == nil:
		return p, apperr.BadInput("give first (to page forwards) or last (to page backwards), a number from 1 to %d", maxPageSize)
	case first != nil && last != nil:
		return p, apperr.BadInput("give first or last, not both")
	}
	p.First, p.Last = first, last
	p.After, p.Before = cursorArg(args, "after"), cursorArg(args, "before")
	return p, nil
}

func pageSize(args map[string]any, name string) (*int, error) {
	v, ok := args[name]
	if !ok || v == nil {
		return nil, nil
	}
	n, _ := v.(int64)
	if n < 1 || n > maxPageSize {
		return nil, apperr.BadInput("argument %s must be from 1 to %d, got %v", name, maxPageSize, v)
	}
	i := int(n)
	return &i, nil
}

// cursorArg is a cursor argument as given; the store reads it (cursors hold sort values, which
// only the store's order knows).
func cursorArg(args map[string]any, name string) *string {
	s, ok := args[name].(string)
	if !ok {
		return nil
	}
	return &s
}

// connection turns a page into a GraphQL connection. Pages may be shared between parents, so
// edges are copied rather than changed.
func connection(p *store.Page) *model.Connection {
	c := &model.Connection{Edges: make([]*model.Edge, len(p.Edges)), TotalCount: p.Total, PageInfo: &model.PageInfo{
		HasPreviousPage: p.HasPrevious,
		HasNextPage:     p.HasNext,
	}}
	for i, e := range p.Edges {
		edge := *e
		c.Edges[i] = &edge
	}
	if n := len(c.Edges); n > 0 {
		start, end := c.Edges[0].Cursor(), c.Edges[n-1].Cursor()
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &start, &end
	}
	return c
}

// selected is what a connection's selection asks for: its totalCount, anything of its page
// (edges, nodes, pageInfo; __typename counts as the page too, to stay simple), whether a
// field of its nodes reads their single references (referenceFields), and the fields asked of
// its nodes when they are of one object type (nil otherwise: the store then reads every property).
type selected struct {
	total, page, references bool
	nodeFields              []string
	// edgeFields are the fields asked of its edges (never nil: an unselected edge asks none).
	edgeFields []string
}

func wants(ctx context.Context, f graphql.CollectedField) selected {
	var w selected
	if f.Definition == nil {
		return selected{total: true, page: true, references: true}
	}
	op := graphql.GetOperationContext(ctx)
	fields, edgeFields, oneType := map[string]bool{}, map[string]bool{}, true
	askedOfNodes := func(typ *ast.Type, sel ast.SelectionSet) {
		name := typ.Name()
		conditions, isObject := typeConditions()[name]
		if !isObject {
			oneType = false
			return
		}
		for _, nf := range graphql.CollectFields(op, sel, conditions) {
			fields[nf.Name] = true
		}
	}
	for _, sel := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Name()}) {
		switch sel.Name {
		case "totalCount":
			w.total = true
		case "nodes":
			w.page = true
			w.references = w.references || readsReferences(op, sel.Selections)
			askedOfNodes(sel.Definition.Type, sel.Selections)
		case "edges":
			w.page = true
			for _, ef := range graphql.CollectFields(op, sel.Selections, []string{sel.Definition.Type.Name()}) {
				edgeFields[ef.Name] = true
				if ef.Name == "node" {
					w.references = w.references || readsReferences(op, ef.Selections)
					askedOfNodes(ef.Definition.Type, ef.Selections)
				}
			}
		default:
			w.page = true
		}
	}
	// Never nil when known: nil would read every property.
	if oneType {
		w.nodeFields = append([]string{}, slices.Sorted(maps.Keys(fields))...)
	}
	w.edgeFields = append([]string{}, slices.Sorted(maps.Keys(edgeFields))...)
	return w
}

// referenceFields are the fields, by object type, whose resolvers read a single reference that
// the store returns with each node (model ParentID, CountryID, SecretariatID...): a list
// whose nodes are asked for none of them is read without the references.
var referenceFields = map[string][]string{
	"Project":         {"parent"},
	"Organisation":    {"country", "parent"},
	"Instrument":      {"parent"},
	"RegionalProcess": {"secretariat", "predecessor", "successor"},
	"Priority":        {"holder", "theme"},
	"Claim":           {"subject"},
}

// readsReferences tells whether a selection on listed nodes asks, for any type the nodes may
// have, one of its referenceFields.
func readsReferences(op *graphql.OperationContext, sel ast.SelectionSet) bool {
	for typ, fields := range referenceFields {
		for _, f := range graphql.CollectFields(op, sel, typeConditions()[typ]) {
			if slices.Contains(fields, f.Name) {
				return true
			}
		}
	}
	return false
}

// typeConditions are, per object type of the schema, the type conditions its fields answer to
// (satisfiesOf).
var typeConditions = sync.OnceValue(func() map[string][]string {
	return satisfiesOf(NewExecutableSchema(Config{}).Schema())
})

// countryCode normalises an ISO 3166-1 alpha-2 or alpha-3 code to upper case.
func countryCode(arg, code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) < 2 || len(c) > 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return "", apperr.BadInput("argument %s must be an ISO 3166-1 alpha-2 or alpha-3 code such as SN or SEN, got %q", arg, code)
	}
	return c, nil
}

// searchKinds maps the schema's SearchKind values to node kinds in the graph.
var searchKinds = map[model.SearchKind]string{
	model.SearchKindCountry:         store.KindCountry,
	model.SearchKindRegionalProcess: store.KindRegionalProcess,
	model.SearchKindInstrument:      store.KindInstrument,
	model.SearchKindOrganisation:    store.KindOrganisation,
	model.SearchKindProject:         store.KindProject,
	model.SearchKindThematicArea:    store.KindThematicArea,
}

// searchKindOf is the schema's SearchKind of each node kind search finds.
var searchKindOf = func() map[string]model.SearchKind {
	out := make(map[string]model.SearchKind, len(searchKinds))
	for k, kind := range searchKinds {
		out[kind] = k
	}
	return out
}()

// searchText checks the text of `search`.
func searchText(text string) (string, error) {
	t := strings.TrimSpace(text)
	if t == "" || len([]rune(t)) > maxSearchText {
		return "", apperr.BadInput("argument text must have 1 to %d characters", maxSearchText)
	}
	return t, nil
}

// globalKey returns the key inside a global id.
func globalKey(arg, id string) (string, error) {
	key, err := model.KeyOfGlobalID(id)
	if err != nil {
		return "", apperr.BadInput("argument %s: %q is not a global id of this API (ids come from the `id` field)", arg, id)
	}
	return key, nil
}
