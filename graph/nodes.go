package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// maxNodeIDs bounds the ids of one `nodes` call.
const maxNodeIDs = 100

// nodeByKey resolves a top-level look-up of any node by key.
func (r *Resolver) nodeByKey(ctx context.Context, key string) (model.Node, error) {
	n, err := loadNode[model.Node](ctx, key)
	if err != nil || n == nil {
		return nil, err
	}
	r.rootNode(ctx, n)
	return n, nil
}

// rootNodeOf resolves a top-level look-up by key of a node of type T; a node of another kind
// under that key is no T, so the answer is null.
func rootNodeOf[T interface {
	comparable
	model.Node
}](ctx context.Context, r *Resolver, key string) (T, error) {
	n, err := loadNode[T](ctx, key)
	var zero T
	if err == nil && n == zero {
		// Not a key of this kind as written: the forms a person types (a key without its
		// prefix, an ISO code, a name), or NOT_FOUND with the closest matches.
		var resolved string
		if resolved, err = r.Store.ResolveKey(ctx, []string{kindOfModel(zero)}, key, "key"); err == nil && resolved != key {
			n, err = loadNode[T](ctx, resolved)
		}
	}
	if err != nil || n == zero {
		return zero, err
	}
	r.rootNode(ctx, n)
	return n, nil
}

// kindOfModel is the store's kind of a node model.
func kindOfModel(n model.Node) string {
	switch n.(type) {
	case *model.Country:
		return store.KindCountry
	case *model.RegionalProcess:
		return store.KindRegionalProcess
	case *model.Instrument:
		return store.KindInstrument
	case *model.Organisation:
		return store.KindOrganisation
	case *model.Project:
		return store.KindProject
	case *model.Source:
		return store.KindSource
	case *model.ThematicArea:
		return store.KindThematicArea
	case *model.Priority:
		return store.KindPriority
	case *model.Claim:
		return store.KindClaim
	}
	return ""
}

// nodesByID resolves `nodes`: the nodes in the order of ids, null where none has the id.
func (r *Resolver) nodesByID(ctx context.Context, ids []string) ([]model.Node, error) {
	if len(ids) == 0 || len(ids) > maxNodeIDs {
		return nil, apperr.BadInput("argument ids must hold 1 to %d ids, got %d", maxNodeIDs, len(ids))
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		key, err := globalKey("ids", id)
		if err != nil {
			return nil, err
		}
		keys[i] = key
	}
	found, err := r.Store.NodesByKey(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(keys))
	var present []model.Node
	for i, k := range keys {
		if n, ok := found[k]; ok {
			out[i] = n
			present = append(present, n)
		}
	}
	if len(present) > 0 {
		r.prefetchBelowNodes(ctx, fieldSelections(ctx), present)
	}
	return out, nil
}

// search resolves `search`.
func (r *Resolver) search(ctx context.Context, text string, types []model.SearchKind) (*model.Connection, error) {
	t, err := searchText(text)
	if err != nil {
		return nil, err
	}
	page, err := pageRequest(fieldArgs(ctx))
	if err != nil {
		return nil, err
	}
	kinds := make([]string, 0, len(types))
	for _, k := range types {
		kinds = append(kinds, searchKinds[k])
	}
	p, err := r.Store.Search(ctx, t, kinds, page, wants(ctx, graphql.GetFieldContext(ctx).Field).total)
	if err != nil {
		return nil, err
	}
	return connection(p), nil
}

// maxSearchGroupSize bounds the hits of each group of SearchConnection.groups.
const maxSearchGroupSize = 20

// searchGroups resolves SearchConnection.groups from the arguments of the search it belongs to.
func (r *Resolver) searchGroups(ctx context.Context, first *int) ([]*model.SearchGroup, error) {
	size := 3
	if first != nil {
		size = *first
	}
	if size < 1 || size > maxSearchGroupSize {
		return nil, apperr.BadInput("argument first must be from 1 to %d, got %d", maxSearchGroupSize, size)
	}
	search := graphql.GetFieldContext(ctx).Parent.Args
	text, _ := search["text"].(string)
	t, err := searchText(text)
	if err != nil {
		return nil, err
	}
	types, _ := search["types"].([]model.SearchKind)
	kinds := make([]string, 0, len(types))
	for _, k := range types {
		kinds = append(kinds, searchKinds[k])
	}
	groups, err := r.Store.SearchGroups(ctx, t, kinds, size)
	if err != nil {
		return nil, err
	}
	out := make([]*model.SearchGroup, len(groups))
	for i, g := range groups {
		c := connection(g.Page)
		out[i] = &model.SearchGroup{Kind: searchKindOf[g.Kind], TotalCount: c.TotalCount, Edges: c.Edges, PageInfo: c.PageInfo}
	}
	return out, nil
}

// fundingSummary resolves `fundingSummary`.
func (r *Resolver) fundingSummary(ctx context.Context) (*model.FundingSummary, error) {
	args := fieldArgs(ctx)
	first, _ := args["first"].(int64)
	if first < 1 || first > maxPageSize {
		return nil, apperr.BadInput("argument first must be from 1 to %d, got %v", maxPageSize, args["first"])
	}
	q := store.FundingQuery{First: int(first)}
	seen := map[string]bool{}
	list, _ := args["groupBy"].([]any)
	for _, d := range list {
		dim, _ := d.(string)
		if seen[dim] {
			return nil, apperr.BadInput("argument groupBy names %s twice", dim)
		}
		seen[dim] = true
		q.GroupBy = append(q.GroupBy, dim)
	}
	q.Where, _ = args["where"].(map[string]any)
	q.DonorWhere, _ = args["donorWhere"].(map[string]any)
	q.OrderBy, _ = args["orderBy"].(string)
	q.ByShare = args["allocation"] == "BY_SHARE"
	op := graphql.GetOperationContext(ctx)
	field := graphql.GetFieldContext(ctx).Field
	groupNodes := map[string]bool{} // the dimension nodes the groups select (donor, country...)
	q.GroupsOnly, q.WithoutRegional = true, true
	for _, f := range graphql.CollectFields(op, field.Selections, []string{"FundingSummary"}) {
		switch f.Name {
		case "totals", "projectCount":
			q.GroupsOnly = false
		case "groups":
			for _, g := range graphql.CollectFields(op, f.Selections, []string{"FundingGroup"}) {
				switch g.Name {
				case "donor", "instrument", "country", "theme":
					groupNodes[g.Name] = true
				case "regionalProjectCount":
					q.WithoutRegional = false
				}
			}
		}
	}
	summary, err := r.Store.FundingSummary(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(groupNodes) > 0 {
		r.primeGroupNodes(ctx, summary.Groups, groupNodes)
	}
	return summary, nil
}

// primeGroupNodes fetches the donors, instruments, countries and themes that the selection asks
// of funding groups with one statement and primes the node loader with them, so that the group
// fields resolve at once instead of each waiting for a batch. On an error it does nothing: the
// resolvers then load the nodes themselves and report it.
func (r *Resolver) primeGroupNodes(ctx context.Context, groups []*model.FundingGroup, selected map[string]bool) {
	var keys []string
	for _, g := range groups {
		for field, k := range map[string]*string{"donor": g.DonorKey, "instrument": g.InstrumentKey, "country": g.CountryKey, "theme": g.ThemeKey} {
			if k != nil && selected[field] {
				keys = append(keys, *k)
			}
		}
	}
	if len(keys) == 0 {
		return
	}
	nodes, err := r.Store.NodesByKey(ctx, unique(keys))
	if err != nil {
		return
	}
	loadersFrom(ctx).nodes.Prime(nodes)
}
