package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/partnership-graph/partnership-graph/graph/model"
	"github.com/partnership-graph/partnership-graph/internal/batch"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// defaultSupportsPage is the page size of Source.supports when `first` is left out or null.
const defaultSupportsPage = 20

// supports resolves Source.supports: the page of every source of the list it sits in is read in
// one statement, through a batch loader per set of arguments.
func (r *Resolver) supports(ctx context.Context, key string) (*model.SupportConnection, error) {
	args := fieldArgs(ctx)
	if args["first"] == nil {
		args["first"] = int64(defaultSupportsPage)
	}
	page, err := pageRequest(args)
	if err != nil {
		return nil, err
	}
	withTotal := wants(ctx, graphql.GetFieldContext(ctx).Field).total
	p, ok, err := loadersFrom(ctx).supportsLoader(page, withTotal, args).Load(ctx, key)
	if err != nil {
		return nil, err
	}
	if !ok {
		p = &store.SupportPage{}
	}
	c := &model.SupportConnection{Edges: p.Edges, TotalCount: p.Total,
		PageInfo: &model.PageInfo{HasPreviousPage: p.HasPrevious, HasNextPage: p.HasNext}}
	if c.Edges == nil {
		c.Edges = []*model.SupportEdge{}
	}
	if n := len(c.Edges); n > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &c.Edges[0].Cursor, &c.Edges[n-1].Cursor
	}
	return c, nil
}

// supportsLoader returns the loader of Source.supports for one set of arguments, made on first use.
func (l *loaders) supportsLoader(page store.PageRequest, withTotal bool, args map[string]any) *batch.Loader[*store.SupportPage] {
	id := "Source.supports" + argsKey(args)
	if withTotal {
		id += "+total"
	}
	l.listsMu.Lock()
	defer l.listsMu.Unlock()
	if ld, ok := l.supports[id]; ok {
		return ld
	}
	ld := batch.New(func(ctx context.Context, keys []string) (map[string]*store.SupportPage, error) {
		return l.store.Supports(ctx, keys, page, withTotal)
	}, batchWindow)
	l.supports[id] = ld
	return ld
}
