package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// rootList resolves a top-level list ("Query.projects") and fetches ahead what the query selects
// below it.
func (r *Resolver) rootList(ctx context.Context, name string) (*model.Connection, error) {
	field := graphql.GetFieldContext(ctx).Field
	req, err := listRequest(fieldArgs(ctx), wants(ctx, field))
	if err != nil {
		return nil, err
	}
	counts := r.foldableCounts(ctx, field)
	countOnly := map[*ast.Field]bool{}
	for _, c := range counts {
		req.NestedCounts = append(req.NestedCounts, c.name)
		countOnly[c.field] = true
	}
	var plans []nestedPlan
	if kind, ok := rootKinds[name]; ok {
		plans = r.nestedPlans(ctx, field, kind, 1, countOnly)
		req.Nested = nestedLists(plans)
	}
	page, err := r.Store.List(ctx, name, req)
	if refusedNested(err, req) {
		// A nested list the store refuses (a forged cursor, an unknown code) is left to its own
		// resolvers, which report it at its path: the list itself is read again without it.
		plans, req.Nested = nil, nil
		page, err = r.Store.List(ctx, name, req)
	}
	if err != nil {
		return nil, err
	}
	ld := loadersFrom(ctx)
	for _, c := range counts {
		pages := make(map[string]*store.Page, len(page.Edges))
		for _, e := range page.Edges {
			k := nodeKey(e.Node)
			pages[k] = &store.Page{Edges: []*model.Edge{}, Total: page.NestedTotals[c.name][k]}
		}
		ld.related(c.name, c.req, c.args).Prime(pages)
		ld.fold(c.field)
	}
	r.primeNested(ctx, plans, []*store.Page{page})
	r.prefetchBelowList(ctx, field, page.Edges)
	r.prefetchBelowNested(ctx, plans, []*store.Page{page})
	return connection(page), nil
}

// refusedNested tells whether the store refused a request with nested lists for its input (the
// lists' arguments): read without them, the list itself may well answer.
func refusedNested(err error, req store.ListRequest) bool {
	return err != nil && len(req.Nested) > 0 && apperr.CodeOf(err) == apperr.BadUserInput
}

// rootKinds are the kinds of the nodes of the top-level lists of one kind, below which lists can
// be read in the list's own statement.
var rootKinds = map[string]string{
	"Query.countries": store.KindCountry, "Query.regionalProcesses": store.KindRegionalProcess,
	"Query.instruments": store.KindInstrument, "Query.organisations": store.KindOrganisation,
	"Query.donors": store.KindOrganisation, "Query.projects": store.KindProject,
	"Query.thematicAreas": store.KindThematicArea, "Query.priorities": store.KindPriority,
	"Query.sources": store.KindSource,
}

// nestedPlan is a list selected below the nodes of a list, read in that list's own statement
// (store.NestedList), with the lists selected below its own nodes.
type nestedPlan struct {
	name  string
	field graphql.CollectedField
	req   store.ListRequest // as the field's resolver asks for it (without Nested)
	args  map[string]any
	below []nestedPlan
}

// nestedPlans finds the lists of one kind selected below the nodes (of kind) of the list field
// list, down to store.MaxNestedDepth levels. It leaves out the lists in skip, those whose
// arguments are invalid (their resolvers report the error) and those of several kinds (the
// look-ahead fetches them, at any level: prefetchBelowNested).
func (r *Resolver) nestedPlans(ctx context.Context, list graphql.CollectedField, kind string, level int, skip map[*ast.Field]bool) []nestedPlan {
	if level > store.MaxNestedDepth {
		return nil
	}
	op := graphql.GetOperationContext(ctx)
	var out []nestedPlan
	seen := map[*ast.Field]bool{}
	below := func(sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, r.satisfies[kind]) {
			name := kind + "." + f.Name
			childKind, ok := store.NestedKind(name)
			if !ok || skip[f.Field] || seen[f.Field] {
				continue
			}
			args := argsOf(f, op.Variables)
			req, err := listRequest(args, wants(ctx, f))
			if err != nil {
				continue
			}
			seen[f.Field] = true
			out = append(out, nestedPlan{name: name, field: f, req: req, args: args,
				below: r.nestedPlans(ctx, f, childKind, level+1, nil)})
		}
	}
	for _, f := range graphql.CollectFields(op, list.Selections, []string{list.Definition.Type.Name()}) {
		switch f.Name {
		case "nodes":
			below(f.Selections)
		case "edges":
			for _, ef := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Elem.Name()}) {
				if ef.Name == "node" {
					below(ef.Selections)
				}
			}
		}
	}
	return out
}

// nestedLists is what the store reads for the plans.
func nestedLists(plans []nestedPlan) []store.NestedList {
	if len(plans) == 0 {
		return nil
	}
	out := make([]store.NestedList, len(plans))
	for i, p := range plans {
		req := p.req
		req.Nested = nestedLists(p.below)
		out[i] = store.NestedList{Name: p.name, Request: req}
	}
	return out
}

// primeNested primes the loaders of the planned lists with the pages read below the nodes of
// these pages, level by level, and marks their fields as fetched (the look-ahead leaves them).
func (r *Resolver) primeNested(ctx context.Context, plans []nestedPlan, pages []*store.Page) {
	ld := loadersFrom(ctx)
	for i, p := range plans {
		got := map[string]*store.Page{}
		var next []*store.Page
		for _, page := range pages {
			if i >= len(page.Nested) {
				continue
			}
			for k, np := range page.Nested[i] {
				got[k] = np
				next = append(next, np)
			}
		}
		ld.related(p.name, p.req, p.args).Prime(got)
		ld.fold(p.field.Field)
		r.primeNested(ctx, p.below, next)
	}
}

// prefetchBelowNested goes on, below the pages of the planned lists, with the lists that were not
// read in their statement (lists of several kinds, lists deeper than the nesting allows): the
// look-ahead fetches those for all the nodes of a level at once, as below any other list.
func (r *Resolver) prefetchBelowNested(ctx context.Context, plans []nestedPlan, pages []*store.Page) {
	for i, p := range plans {
		var edges []*model.Edge
		var next []*store.Page
		for _, page := range pages {
			if i >= len(page.Nested) {
				continue
			}
			for _, np := range page.Nested[i] {
				edges = append(edges, np.Edges...)
				next = append(next, np)
			}
		}
		r.prefetchBelowList(ctx, p.field, edges)
		r.prefetchBelowNested(ctx, p.below, next)
	}
}

// foldedCount is a nested list whose totalCount alone is selected, without arguments that
// narrow or order it: the statement of the list above counts it for every node of its page.
type foldedCount struct {
	name  string
	field *ast.Field
	req   store.ListRequest
	args  map[string]any
}

// foldableCounts finds, below a root list's `edges { node }` and `nodes`, the nested lists that
// ask for totalCount alone and have no where, orderBy, after or before (those it leaves to the
// look-ahead, and their errors to the resolvers).
func (r *Resolver) foldableCounts(ctx context.Context, list graphql.CollectedField) []foldedCount {
	op := graphql.GetOperationContext(ctx)
	var out []foldedCount
	seen := map[*ast.Field]bool{}
	below := func(nodeType string, sel ast.SelectionSet) {
		for _, f := range graphql.CollectFields(op, sel, r.satisfies[nodeType]) {
			name := nodeType + "." + f.Name
			if !store.HasRelation(name) || seen[f.Field] {
				continue
			}
			args := argsOf(f, op.Variables)
			if args["where"] != nil || args["orderBy"] != nil || args["after"] != nil || args["before"] != nil {
				continue
			}
			req, err := listRequest(args, wants(ctx, f))
			if err != nil || !req.CountOnly {
				continue
			}
			seen[f.Field] = true
			out = append(out, foldedCount{name: name, field: f.Field, req: req, args: args})
		}
	}
	for _, f := range graphql.CollectFields(op, list.Selections, []string{list.Definition.Type.Name()}) {
		switch f.Name {
		case "nodes":
			below(f.Definition.Type.Elem.Name(), f.Selections)
		case "edges":
			for _, ef := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Elem.Name()}) {
				if ef.Name == "node" {
					below(ef.Definition.Type.Name(), ef.Selections)
				}
			}
		}
	}
	return out
}

// relatedList resolves a nested list ("Country.projects") of the node with this key, from the
// look-ahead's results when it fetched them, else through a batch loader.
func (r *Resolver) relatedList(ctx context.Context, name, key string) (*model.Connection, error) {
	ld, err := loadersFrom(ctx).relatedOfField(ctx, name)
	if err != nil {
		return nil, err
	}
	page, ok, err := ld.Load(ctx, key)
	if err != nil {
		return nil, err
	}
	if !ok {
		page = &store.Page{}
	}
	return connection(page), nil
}

// rootNode finishes a top-level field that returns one node: it fetches ahead what the query
// selects below the node.
func (r *Resolver) rootNode(ctx context.Context, n model.Node) {
	if n == nil {
		return
	}
	r.prefetchBelowNodes(ctx, graphql.GetFieldContext(ctx).Field.Selections, []model.Node{n})
}

// countryByKnownCode reads the country of a code the reference index knows, and the lists the
// query selects below it, at once: the lists need only the country's key, and the first of them
// reads the country too, so the country costs no statement of its own (it does when no list is
// selected below it, or that list fails: then it is read by key afterwards). ok is false when
// the index does not know the code, or the country read under its key no longer has it (the
// caller then looks the code up in the graph).
func (r *Resolver) countryByKnownCode(ctx context.Context, code string) (c *model.Country, ok bool, err error) {
	key, known := r.Store.CountryKeyByCode(ctx, code)
	if !known {
		return nil, false, nil
	}
	// The first list below the country reads the country too, in its own statement; without a
	// list below it (or when that list fails), the country is read by key.
	if parent := r.prefetchBelowParent(ctx, fieldSelections(ctx), &model.Country{Key: key}); parent != nil {
		c, _ = parent.(*model.Country)
	} else {
		nodes, err := r.Store.NodesByKey(ctx, []string{key})
		if err != nil {
			return nil, false, err
		}
		c, _ = nodes[key].(*model.Country)
	}
	if c == nil || (c.Iso2 != code && c.Iso3 != code) {
		return nil, false, nil
	}
	return c, true, nil
}

// prefetchBelowList looks ahead from a list field (its `edges { node }` and `nodes`) to the
// nested lists selected on its nodes.
func (r *Resolver) prefetchBelowList(ctx context.Context, list graphql.CollectedField, edges []*model.Edge) {
	if len(edges) == 0 {
		return
	}
	nodes := make([]model.Node, len(edges))
	for i, e := range edges {
		nodes[i] = e.Node
	}
	op := graphql.GetOperationContext(ctx)
	for _, f := range graphql.CollectFields(op, list.Selections, []string{list.Definition.Type.Name()}) {
		switch f.Name {
		case "nodes":
			r.prefetchBelowNodes(ctx, f.Selections, nodes)
		case "edges":
			for _, ef := range graphql.CollectFields(op, f.Selections, []string{f.Definition.Type.Name()}) {
				if ef.Name == "node" {
					r.prefetchBelowNodes(ctx, ef.Selections, nodes)
				}
			}
		}
	}
}

// prefetchBelowNodes fetches, for all these nodes at once, each nested list the selection asks of
// them (one statement per list field and level, whatever the number of nodes), primes the
// loaders with the pages, and goes on below those lists. Anything it cannot do (invalid
// arguments, a failing statement) it leaves to the resolvers, which report it.
func (r *Resolver) prefetchBelowNodes(ctx context.Context, sel ast.SelectionSet, nodes []model.Node) {
	r.prefetchBelow(ctx, sel, nodes, false)
}

// prefetchBelowParent is prefetchBelowNodes for one node known by its key alone: the first list
// it fetches reads the node too (store.ListRequest.WithParent), which it returns; nil when no
// list below the node was read.
func (r *Resolver) prefetchBelowParent(ctx context.Context, sel ast.SelectionSet, n model.Node) model.Node {
	return r.prefetchBelow(ctx, sel, []model.Node{n}, true)
}

func (r *Resolver) prefetchBelow(ctx context.Context, sel ast.SelectionSet, nodes []model.Node, withParent bool) model.Node {
	op := graphql.GetOperationContext(ctx)
	byType := map[string][]string{}
	var types []string
	for _, n := range nodes {
		t := typeName(n)
		if _, ok := byType[t]; !ok {
			types = append(types, t)
		}
		byType[t] = append(byType[t], nodeKey(n))
	}
	// Sibling lists do not depend on each other: their statements run at once, so a level costs
	// the slowest of its lists rather than their sum.
	var wg sync.WaitGroup
	var parent model.Node
	for _, t := range types {
		keys := unique(byType[t])
		for _, f := range graphql.CollectFields(op, sel, r.satisfies[t]) {
			name := t + "." + f.Name
			if !store.HasRelation(name) || loadersFrom(ctx).folded(f.Field) {
				continue
			}
			first := withParent
			withParent = false
			wg.Add(1)
			go func() {
				defer wg.Done()
				if p := r.prefetchList(ctx, name, f, keys, first); first {
					parent = p
				}
			}()
		}
	}
	wg.Wait()
	return parent
}

// prefetchList fetches the list field f (named name) for all the parents with these keys,
// primes its loader with the pages and goes on below it. withParent: the list reads its one
// parent too, which it returns (nil when it could not).
func (r *Resolver) prefetchList(ctx context.Context, name string, f graphql.CollectedField, keys []string, withParent bool) model.Node {
	args := argsOf(f, graphql.GetOperationContext(ctx).Variables)
	req, err := listRequest(args, wants(ctx, f))
	if err != nil {
		return nil
	}
	var plans []nestedPlan
	if kind, ok := store.NestedKind(name); ok {
		plans = r.nestedPlans(ctx, f, kind, 1, nil)
	}
	asked := req
	asked.Nested = nestedLists(plans)
	asked.WithParent = withParent && len(keys) == 1
	pages, err := r.Store.Related(ctx, name, asked, keys)
	if refusedNested(err, asked) {
		// As in rootList: the nested lists are left to their resolvers, which report the error.
		plans, asked.Nested = nil, nil
		pages, err = r.Store.Related(ctx, name, asked, keys)
	}
	if err != nil {
		return nil // the resolvers read the lists on their own and report what failed
	}
	loadersFrom(ctx).related(name, req, args).Prime(pages)
	var below []*model.Edge
	var read []*store.Page
	for _, k := range keys {
		below = append(below, pages[k].Edges...)
		read = append(read, pages[k])
	}
	r.primeNested(ctx, plans, read)
	r.prefetchBelowList(ctx, f, below)
	r.prefetchBelowNested(ctx, plans, read)
	if asked.WithParent {
		return pages[keys[0]].Parent
	}
	return nil
}

func unique(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// typeName is the GraphQL type of a node.
func typeName(n model.Node) string {
	switch n.(type) {
	case *model.Country:
		return "Country"
	case *model.RegionalProcess:
		return "RegionalProcess"
	case *model.Instrument:
		return "Instrument"
	case *model.Organisation:
		return "Organisation"
	case *model.Project:
		return "Project"
	case *model.ThematicArea:
		return "ThematicArea"
	case *model.Priority:
		return "Priority"
	case *model.Claim:
		return "Claim"
	case *model.Source:
		return "Source"
	}
	return ""
}

// nodeKey is the key of a node.
func nodeKey(n model.Node) string {
	switch v := n.(type) {
	case *model.Country:
		return v.Key
	case *model.RegionalProcess:
		return v.Key
	case *model.Instrument:
		return v.Key
	case *model.Organisation:
		return v.Key
	case *model.Project:
		return v.Key
	case *model.ThematicArea:
		return v.Key
	case *model.Priority:
		return v.Key
	case *model.Claim:
		return v.Key
	case *model.Source:
		return v.Key
	}
	return ""
}

// satisfiesOf lists, per object type, the type conditions its fields answer to: itself, its
// interfaces and the unions it belongs to (what graphql.CollectFields needs for fragments).
func satisfiesOf(schema *ast.Schema) map[string][]string {
	out := map[string][]string{}
	for name, def := range schema.Types {
		if def.Kind != ast.Object {
			continue
		}
		s := []string{name}
		s = append(s, def.Interfaces...)
		for _, u := range schema.Types {
			if u.Kind != ast.Union {
				continue
			}
			for _, member := range u.Types {
				if member == name {
					s = append(s, u.Name)
				}
			}
		}
		out[name] = s
	}
	return out
}

// fieldSelections is the selection set of the field being resolved.
func fieldSelections(ctx context.Context) ast.SelectionSet {
	return graphql.GetFieldContext(ctx).Field.Selections
}
