package graph

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/partnership-graph/partnership-graph/internal/apperr"
	"github.com/partnership-graph/partnership-graph/internal/limits"
	"github.com/partnership-graph/partnership-graph/internal/sharedstate"
	"github.com/partnership-graph/partnership-graph/internal/store"
)

// queryCache keeps parsed and validated documents, keyed by query text, bounded by an estimate of
// their heap: a parsed document takes 20 to 45 times the bytes of its text (measured), counted
// here as parsedBytesPerByte times. gqlgen adds only documents that parsed and validated. It
// stays per instance: parsed documents do not travel.
type queryCache struct {
	mu        sync.Mutex
	max, used int64
	order     *list.List
	entries   map[string]*list.Element
}

type cachedDoc struct {
	query string
	doc   *ast.QueryDocument
}

// parsedBytesPerByte is the heap a parsed document is counted to take per byte of its text.
const parsedBytesPerByte = 40

func weight(query string) int64 { return int64(len(query)) * parsedBytesPerByte }

// Bytes is the estimated heap the cached documents take.
func (c *queryCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

func newQueryCache(maxBytes int64) *queryCache {
	return &queryCache{max: maxBytes, order: list.New(), entries: map[string]*list.Element{}}
}

func (c *queryCache) Get(_ context.Context, query string) (*ast.QueryDocument, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[query]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cachedDoc).doc, true
	}
	return nil, false
}

func (c *queryCache) Add(_ context.Context, query string, doc *ast.QueryDocument) {
	c.mu.Lock()
	defer c.mu.Unlock()
	size := weight(query)
	if _, ok := c.entries[query]; ok || size > c.max {
		return
	}
	for c.used+size > c.max {
		last := c.order.Back()
		old := last.Value.(*cachedDoc)
		c.used -= weight(old.query)
		c.order.Remove(last)
		delete(c.entries, old.query)
	}
	c.entries[query] = c.order.PushFront(&cachedDoc{query: query, doc: doc})
	c.used += size
}

// persistedQueryCache is the shared-state cache of automatic persisted queries (hash -> text).
const persistedQueryCache = "apq"

// persistedQueries implements automatic persisted queries (the Apollo protocol: extensions
// {"persistedQuery": {"version": 1, "sha256Hash": ...}}). A request with only the hash gets its
// text from the cache, or PERSISTED_QUERY_NOT_FOUND; a request with text and hash registers the
// text, but only once it has parsed, validated and passed every limit, and only when it is at
// most maxBytes long.
type persistedQueries struct {
	state    sharedstate.Store
	maxBytes int
}

func (persistedQueries) ExtensionName() string                   { return "AutomaticPersistedQueries" }
func (persistedQueries) Validate(graphql.ExecutableSchema) error { return nil }

func persistedHash(ext map[string]any) (hash string, present bool, err *gqlerror.Error) {
	raw, ok := ext["persistedQuery"]
	if !ok {
		return "", false, nil
	}
	m, _ := raw.(map[string]any)
	if v, _ := number(m["version"]); v != 1 {
		return "", true, coded("unsupported persisted query version: want 1", apperr.BadUserInput)
	}
	hash, _ = m["sha256Hash"].(string)
	if len(hash) != 64 {
		return "", true, coded("persistedQuery.sha256Hash must be the 64 hex digits of the query's SHA-256", apperr.BadUserInput)
	}
	return hash, true, nil
}

func (p persistedQueries) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	hash, present, err := persistedHash(params.Extensions)
	if !present || err != nil {
		return err
	}
	if params.Query == "" {
		query, ok, serr := p.state.Get(ctx, persistedQueryCache, hash)
		if serr != nil || !ok {
			e := gqlerror.Errorf("PersistedQueryNotFound")
			errcode.Set(e, "PERSISTED_QUERY_NOT_FOUND")
			return e
		}
		params.Query = query
		return nil
	}
	if len(params.Query) > p.maxBytes {
		return coded(fmt.Sprintf("a persisted query may be at most %d bytes; send longer queries without persistedQuery", p.maxBytes), apperr.BadUserInput)
	}
	if sum := sha256.Sum256([]byte(params.Query)); hex.EncodeToString(sum[:]) != hash {
		return coded("persistedQuery.sha256Hash does not match the query", apperr.BadUserInput)
	}
	return nil
}

// MutateOperationContext registers the query of a request that sent text and hash; it runs
// after parsing, validation and the limits.
func (p persistedQueries) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	hash, present, err := persistedHash(op.Extensions)
	if !present || err != nil || len(op.RawQuery) > p.maxBytes {
		return nil
	}
	if _, ok, _ := p.state.Get(ctx, persistedQueryCache, hash); !ok {
		_ = p.state.Put(ctx, persistedQueryCache, hash, op.RawQuery)
	}
	return nil
}

func coded(msg string, code apperr.Code) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": string(code)}}
}

// graphSizes knows the sizes of the graph the query cost needs (the scan price, nodes per kind,
// relationship fan-outs), read from Neo4j's count store at most every graphSizesAge; while they
// cannot be read the last ones stand (before any, the walker's assumptions).
type graphSizes struct {
	store *store.Store

	mu      sync.Mutex
	prices  limits.Prices
	read    time.Time
	reading bool
	first   chan struct{} // closed once the first read has ended, well or not
}

const graphSizesAge = 30 * time.Second

func newGraphSizes(s *store.Store) *graphSizes {
	return &graphSizes{store: s, prices: limits.Prices{Scan: limits.MinScan}, first: make(chan struct{})}
}

func (g *graphSizes) get(ctx context.Context) limits.Prices {
	g.mu.Lock()
	prices, never := g.prices, g.read.IsZero()
	stale := time.Since(g.read) > graphSizesAge && !g.reading
	if stale {
		g.reading = true
	}
	g.mu.Unlock()
	if !stale {
		if never {
			// Another operation is reading the sizes for the first time: wait for it (briefly),
			// so that nothing starts underpriced.
			select {
			case <-g.first:
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
			g.mu.Lock()
			defer g.mu.Unlock()
			return g.prices
		}
		return prices
	}
	refresh := func(ctx context.Context) limits.Prices {
		stats, err := g.store.Stats(ctx)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.reading = false
		if err == nil {
			g.prices = limits.Prices{Scan: limits.ScanPrice(int(stats.Rows(store.KindProject))), Graph: stats}
			if g.read.IsZero() {
				close(g.first)
			}
			g.read = time.Now()
		}
		return g.prices
	}
	if never {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		return refresh(cctx)
	}
	go func() {
		cctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		refresh(cctx)
	}()
	return prices
}
