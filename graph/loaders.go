package graph

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/batch"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// batchWindow is how long a loader waits for sibling resolvers to add their keys. gqlgen resolves
// the elements of a list concurrently, so they all arrive well within it.
const batchWindow = 2 * time.Millisecond

// loaders are the batch loaders of one GraphQL operation; they cache for its lifetime only.
// Nested lists are usually fetched ahead by prefetch.go and primed into these loaders; the
// loaders batch whatever the look-ahead did not reach.
type loaders struct {
	store *store.Store
	nodes *batch.Loader[model.Node]

	listsMu sync.Mutex
	lists   map[string]*batch.Loader[*store.Page]
	// byField remembers, per list field of the query, its loader (or the error of its
	// arguments): every parent of a list resolves the same field, which is read once.
	byField map[fieldOfList]fieldLoader
	// supports are the loaders of Source.supports, by arguments.
	supports map[string]*batch.Loader[*store.SupportPage]
	// foldedFields are the count-only lists whose totals came with the page above them
	// (foldableCounts): the look-ahead leaves them alone.
	foldedFields map[*ast.Field]bool
}

// fieldOfList is one list field of the query document under the name of its list, with the
// selection it has where it resolves: a field of a fragment spread in several places is one
// *ast.Field, merged with different sibling fields (and so asking different things) in each.
type fieldOfList struct {
	name      string
	field     *ast.Field
	selection string
}

// selectionOf names the selection of a collected field by the identity of its parts (the AST
// nodes, which live as long as the request), cheaply.
func selectionOf(f graphql.CollectedField) string {
	buf := make([]byte, 0, 12*len(f.Selections))
	for _, s := range f.Selections {
		buf = strconv.AppendUint(buf, uint64(reflect.ValueOf(s).Pointer()), 36)
		buf = append(buf, ',')
	}
	return string(buf)
}

type fieldLoader struct {
	loader *batch.Loader[*store.Page]
	err    error
}

func newLoaders(s *store.Store) *loaders {
	return &loaders{
		store:        s,
		nodes:        batch.New(s.NodesByKey, batchWindow),
		lists:        map[string]*batch.Loader[*store.Page]{},
		byField:      map[fieldOfList]fieldLoader{},
		supports:     map[string]*batch.Loader[*store.SupportPage]{},
		foldedFields: map[*ast.Field]bool{},
	}
}

// fold records that the list field f got its totals with the page above it.
func (l *loaders) fold(f *ast.Field) {
	l.listsMu.Lock()
	defer l.listsMu.Unlock()
	l.foldedFields[f] = true
}

// folded tells whether the list field f got its totals with the page above it.
func (l *loaders) folded(f *ast.Field) bool {
	l.listsMu.Lock()
	defer l.listsMu.Unlock()
	return l.foldedFields[f]
}

// related returns the loader of the list `name` ("Country.projects") with one set of arguments,
// made on first use.
func (l *loaders) related(name string, req store.ListRequest, args map[string]any) *batch.Loader[*store.Page] {
	id := name + argsKey(args)
	if req.WithTotal {
		id += "+total" // a page without its count cannot stand in for one with it
	}
	if req.CountOnly {
		id += "+countonly" // nor a count without its page for one with it
	}
	if req.SkipReferences {
		id += "+noreferences" // nor nodes without their references for nodes with them
	}
	if req.NodeFields != nil {
		id += "+fields:" + strings.Join(req.NodeFields, ",") // nor nodes read for some fields for others
	}
	if req.EdgeFields != nil {
		id += "+edges:" + strings.Join(req.EdgeFields, ",") // nor edges read for some fields for others
	}
	l.listsMu.Lock()
	defer l.listsMu.Unlock()
	if ld, ok := l.lists[id]; ok {
		return ld
	}
	ld := batch.New(func(ctx context.Context, keys []string) (map[string]*store.Page, error) {
		return l.store.Related(ctx, name, req, keys)
	}, batchWindow)
	l.lists[id] = ld
	return ld
}

// relatedOfField returns the loader of the list `name` for the field being resolved, reading its
// arguments and selection on the field's first use in the request.
func (l *loaders) relatedOfField(ctx context.Context, name string) (*batch.Loader[*store.Page], error) {
	f := graphql.GetFieldContext(ctx).Field
	id := fieldOfList{name, f.Field, selectionOf(f)}
	l.listsMu.Lock()
	known, ok := l.byField[id]
	l.listsMu.Unlock()
	if ok {
		return known.loader, known.err
	}
	args := fieldArgs(ctx)
	req, err := listRequest(args, wants(ctx, f))
	if err == nil {
		known.loader = l.related(name, req, args)
	}
	known.err = err
	l.listsMu.Lock()
	l.byField[id] = known
	l.listsMu.Unlock()
	return known.loader, known.err
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

// loadNode loads one node of type T by key; nil when no node has that key or it is of another kind.
func loadNode[T any](ctx context.Context, key string) (T, error) {
	var zero T
	v, ok, err := loadersFrom(ctx).nodes.Load(ctx, key)
	if err != nil || !ok {
		return zero, err
	}
	node, _ := v.(T)
	return node, nil
}

// loadOptionalNode loads the node an optional reference points to.
func loadOptionalNode[T comparable](ctx context.Context, key *string) (T, error) {
	if key == nil {
		var zero T
		return zero, nil
	}
	return loadRequiredNode[T](ctx, *key)
}

// loadRequiredNode loads a node a relationship points to; its absence, or a node of a kind the
// field cannot hold, is a broken graph.
func loadRequiredNode[T comparable](ctx context.Context, key string) (T, error) {
	node, err := loadNode[T](ctx, key)
	var zero T
	if err == nil && node == zero {
		return zero, fmt.Errorf("dangling reference to node %s (missing, or of another kind)", key)
	}
	return node, err
}
