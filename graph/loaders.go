package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/batch"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// batchWindow is how long a loader waits for sibling resolvers to add their keys. gqlgen resolves
// the elements of a list concurrently, so they all arrive well within it.
const batchWindow = 2 * time.Millisecond

// loaders are the batch loaders of one GraphQL operation; they cache for its lifetime only.
type loaders struct {
	nodes                         *batch.Loader[any]
	membershipsByMember           *batch.Loader[[]*model.Membership]
	membershipsByProcess          *batch.Loader[[]*model.Membership]
	fundingsByProject             *batch.Loader[[]*model.Funding]
	fundingsByDonor               *batch.Loader[[]*model.Funding]
	implementationsByProject      *batch.Loader[[]*model.Implementation]
	implementationsByOrganisation *batch.Loader[[]*model.Implementation]
	targetsByProject              *batch.Loader[[]*model.ProjectTarget]
	targetsByCountry              *batch.Loader[[]*model.ProjectTarget]
	instrumentIDsByProject        *batch.Loader[[]string]
	projectIDsByInstrument        *batch.Loader[[]string]

	store     *store.Store
	linksMu   sync.Mutex
	linksByID map[linkKey]*batch.Loader[[]store.Link]
}

// linkKey names one generic relationship loader: a type, read from one end.
type linkKey struct {
	relType string
	dir     store.Direction
}

// links returns the loader of relationships of one type read from one end, made on first use.
func (l *loaders) links(relType string, dir store.Direction) *batch.Loader[[]store.Link] {
	l.linksMu.Lock()
	defer l.linksMu.Unlock()
	k := linkKey{relType, dir}
	if ld, ok := l.linksByID[k]; ok {
		return ld
	}
	ld := batch.New(func(ctx context.Context, ids []string) (map[string][]store.Link, error) {
		return l.store.Links(ctx, relType, dir, ids)
	}, batchWindow)
	l.linksByID[k] = ld
	return ld
}

func newLoaders(s *store.Store) *loaders {
	return &loaders{
		nodes:                         batch.New(s.NodesByID, batchWindow),
		membershipsByMember:           batch.New(s.MembershipsByMember, batchWindow),
		membershipsByProcess:          batch.New(s.MembershipsByProcess, batchWindow),
		fundingsByProject:             batch.New(s.FundingsByProject, batchWindow),
		fundingsByDonor:               batch.New(s.FundingsByDonor, batchWindow),
		implementationsByProject:      batch.New(s.ImplementationsByProject, batchWindow),
		implementationsByOrganisation: batch.New(s.ImplementationsByOrganisation, batchWindow),
		targetsByProject:              batch.New(s.TargetsByProject, batchWindow),
		targetsByCountry:              batch.New(s.TargetsByCountry, batchWindow),
		instrumentIDsByProject:        batch.New(s.InstrumentIDsByProject, batchWindow),
		projectIDsByInstrument:        batch.New(s.ProjectIDsByInstrument, batchWindow),
		store:                         s,
		linksByID:                     map[linkKey]*batch.Loader[[]store.Link]{},
	}
}

type loadersKey struct{}

func withLoaders(ctx context.Context, l *loaders) context.Context {
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		panic("graph: no loaders in context; build the handler with NewHandler")
	}
	return l
}

// loadNode loads one node of type T by id; nil when no node has that id.
func loadNode[T any](ctx context.Context, id string) (*T, error) {
	v, ok, err := loadersFrom(ctx).nodes.Load(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	// A node of another kind is no node of this kind: root look-ups answer null for it.
	node, _ := v.(*T)
	return node, nil
}

// loadOptionalNode loads the node an optional reference points to.
func loadOptionalNode[T any](ctx context.Context, id *string) (*T, error) {
	if id == nil {
		return nil, nil
	}
	return loadRequiredNode[T](ctx, *id)
}

// loadRequiredNode loads a node a relationship points to; its absence is a broken graph.
func loadRequiredNode[T any](ctx context.Context, id string) (*T, error) {
	node, err := loadNode[T](ctx, id)
	if err == nil && node == nil {
		return nil, fmt.Errorf("dangling reference to node %s (missing, or of another kind)", id)
	}
	return node, err
}

// loadNodes loads several nodes of type T in one batch, keeping the order of ids.
func loadNodes[T any](ctx context.Context, ids []string) ([]*T, error) {
	values, err := loadersFrom(ctx).nodes.LoadMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(values) != len(ids) {
		return nil, fmt.Errorf("dangling reference among nodes %v", ids)
	}
	out := make([]*T, 0, len(values))
	for i, v := range values {
		node, ok := v.(*T)
		if !ok {
			return nil, fmt.Errorf("node %s is a %T, not a %T", ids[i], v, node)
		}
		out = append(out, node)
	}
	return out, nil
}

// loadList loads the edges hanging from one node; a node without any gets an empty list.
func loadList[V any](ctx context.Context, l *batch.Loader[[]V], id string) ([]V, error) {
	v, _, err := l.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return []V{}, nil
	}
	return v, nil
}

// loadLinks loads the relationships of one type leaving (Outgoing) or reaching (Incoming) a node.
func loadLinks(ctx context.Context, relType string, dir store.Direction, id string) ([]store.Link, error) {
	return loadList(ctx, loadersFrom(ctx).links(relType, dir), id)
}

// loadLinked loads the nodes at the other end of a node's relationships of one type.
func loadLinked[T any](ctx context.Context, relType string, dir store.Direction, id string) ([]*T, error) {
	ls, err := loadLinks(ctx, relType, dir, id)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.From
		if dir == store.Outgoing {
			ids[i] = l.To
		}
	}
	return loadNodes[T](ctx, ids)
}

// mapLinks turns each relationship into a model with fn.
func mapLinks[T any](ctx context.Context, relType string, dir store.Direction, id string, fn func(store.Link) *T) ([]*T, error) {
	ls, err := loadLinks(ctx, relType, dir, id)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(ls))
	for i, l := range ls {
		out[i] = fn(l)
	}
	return out, nil
}
