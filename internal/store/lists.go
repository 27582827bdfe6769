package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// PageRequest selects one page of an ordered list by position: the items after position After
// and before position Before (both exclusive, nil for the ends), then the first First or the last
// Last of them. The caller has checked the sizes.
type PageRequest struct {
	After, Before *int
	First, Last   *int
}

// ListRequest is what a client asks of a list: a filter and sort keys in the shape of the
// GraphQL `...Where` and `...Order` inputs (as parsed from the request), and a page.
type ListRequest struct {
	Where   map[string]any
	OrderBy []any
	Page    PageRequest
}

// Page is one page of a list: the edges, the position of the first one, and the size of the
// whole list.
type Page struct {
	Edges []*model.Edge
	Start int
	End   int // position after the last edge
	Total int
}

// root is a list that starts at the top of the graph: the nodes of one label, optionally narrowed.
type root struct {
	match string
	kind  string
}

// roots are the top-level lists, named "Query.field" after the GraphQL field that shows them.
var roots = map[string]root{
	"Query.countries":         {"MATCH (n:Country)", KindCountry},
	"Query.regionalProcesses": {"MATCH (n:RegionalProcess)", KindRegionalProcess},
	"Query.instruments":       {"MATCH (n:Instrument)", KindInstrument},
	"Query.organisations":     {"MATCH (n:Organisation)", KindOrganisation},
	"Query.donors":            {"MATCH (n:Organisation) WHERE EXISTS { (n)-[:FUNDS]->(:Project) }", KindOrganisation},
	"Query.projects":          {"MATCH (n:Project)", KindProject},
	"Query.thematicAreas":     {"MATCH (n:ThematicArea)", KindThematicArea},
	"Query.priorities":        {"MATCH (n:Priority)", KindPriority},
	"Query.sources":           {"MATCH (n:Source)", KindSource},
}

// HasRoot tells whether the store has the top-level list of that name.
func HasRoot(name string) bool {
	_, ok := roots[name]
	return ok
}

// List returns one page of a top-level list ("Query.projects").
func (s *Store) List(ctx context.Context, name string, req ListRequest) (*Page, error) {
	rt, ok := roots[name]
	if !ok {
		return nil, fmt.Errorf("list: no root list %q", name)
	}
	match := rt.match + "\nWITH '' AS key, null AS r, n, null AS score"
	pages, err := s.page(ctx, name, match, rt.kind, req, map[string]any{})
	if err != nil {
		return nil, err
	}
	return pageOf(pages, ""), nil
}

// Related returns, per parent key, one page of the list of that name ("Country.projects").
// Parents without any related node get an empty page.
func (s *Store) Related(ctx context.Context, name string, req ListRequest, keys []string) (map[string]*Page, error) {
	rel, ok := relations[name]
	if !ok {
		return nil, fmt.Errorf("related: no list %q", name)
	}
	match := "UNWIND $keys AS key\nMATCH (a:Entity {id: key})\nMATCH " + rel.pattern + "\nWITH key, r, n, null AS score"
	pages, err := s.page(ctx, name, match, rel.kind, req, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Page, len(keys))
	for _, k := range keys {
		out[k] = pageOf(pages, k)
	}
	return out, nil
}

// Search returns one page of the nodes matching a full-text query, best first.
func (s *Store) Search(ctx context.Context, text string, kinds []string, page PageRequest) (*Page, error) {
	var kindsParam any
	if len(kinds) > 0 {
		kindsParam = kinds
	}
	query := luceneQuery(text)
	if query == "" {
		return &Page{Edges: []*model.Edge{}}, nil
	}
	match := "CALL db.index.fulltext.queryNodes('entity_search', $query) YIELD node, score\n" +
		"WITH '' AS key, null AS r, node AS n, score\n" +
		"WHERE $kinds IS NULL OR [l IN labels(n) WHERE l <> 'Entity'][0] IN $kinds"
	q := strings.NewReplacer("__MATCH__", match, "__WHERE__", "true", "__ORDER__", "score DESC, n.id").Replace(statement("page"))
	params := map[string]any{"query": query, "kinds": kindsParam}
	addPage(params, page)
	recs, err := s.readQuery(ctx, "search", q, params)
	if err != nil {
		return nil, err
	}
	pages, err := pagesOf("search", recs)
	if err != nil {
		return nil, err
	}
	return pageOf(pages, ""), nil
}

// page builds and runs page.cypher for one list.
func (s *Store) page(ctx context.Context, name, match, kind string, req ListRequest, params map[string]any) (map[string]*Page, error) {
	c := newCompiler(params)
	where := "true"
	orderBy := ""
	var err error
	if kind != "" {
		if where, err = c.where(kind, "n", req.Where, "where"); err != nil {
			return nil, err
		}
		if orderBy, err = c.orderBy(kind, "n", req.OrderBy, "orderBy"); err != nil {
			return nil, err
		}
	} else if orderBy, err = c.orderBy("", "n", nil, "orderBy"); err != nil {
		return nil, err
	}
	q := strings.NewReplacer("__MATCH__", match, "__WHERE__", where, "__ORDER__", orderBy).Replace(statement("page"))
	addPage(params, req.Page)
	recs, err := s.readQuery(ctx, name, q, params)
	if err != nil {
		return nil, err
	}
	return pagesOf(name, recs)
}

func addPage(params map[string]any, p PageRequest) {
	params["after"], params["before"] = intOrNil(p.After), intOrNil(p.Before)
	params["first"], params["last"] = intOrNil(p.First), intOrNil(p.Last)
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func pageOf(pages map[string]*Page, key string) *Page {
	if p, ok := pages[key]; ok {
		return p
	}
	return &Page{Edges: []*model.Edge{}}
}

// pagesOf groups the records of page.cypher by key, keeping their order.
func pagesOf(name string, recs []*neo4j.Record) (map[string]*Page, error) {
	out := map[string]*Page{}
	for _, r := range recs {
		key, _ := r.Get("key")
		k, _ := key.(string)
		p, ok := out[k]
		if !ok {
			total, _ := r.Get("total")
			start, _ := r.Get("start")
			high, _ := r.Get("high")
			p = &Page{Edges: []*model.Edge{}, Total: toInt(total), Start: toInt(start), End: toInt(high)}
			out[k] = p
		}
		kind, _ := r.Get("kind")
		if kind == nil {
			continue // an empty page of a non-empty list
		}
		node, err := mapNode(kind.(string), propsOf(r), refsOfRecord(r))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		relType, _ := r.Get("relType")
		rel, _ := r.Get("rel")
		score, _ := r.Get("score")
		e, err := mapEdge(relType, rel, node)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		e.Score, _ = score.(float64)
		p.Edges = append(p.Edges, e)
	}
	return out, nil
}

func toInt(v any) int {
	n, _ := v.(int64)
	return int(n)
}

// mapEdge reads the properties of the relationship that leads to node into an edge.
func mapEdge(relType, rel any, node model.Node) (*model.Edge, error) {
	e := &model.Edge{Node: node, Sources: []*model.SourceRef{}}
	m, _ := rel.(map[string]any)
	if m == nil {
		return e, nil
	}
	p := &props{m: m}
	e.Sources = p.sources()
	switch relType {
	case "MEMBER_OF":
		e.MembershipRole = enum(p, "role", model.MembershipRole(p.str("role")))
		e.From, e.Until = p.optStr("from"), p.optStr("until")
	case "HAS_PARTY":
		e.PartyRole = enum(p, "role", model.PartyRole(p.str("role")))
	case "IMPLEMENTS":
		e.ImplementationRole = enum(p, "role", model.ImplementationRole(p.str("role")))
		e.Lead = p.boolean("lead")
	case "FUNDS":
		e.Amount = p.money("amount", "currency", "amountAsOf")
	case "TARGETS":
		e.Share = p.optFloat("share")
	case "HAS_PILLAR":
		e.Pillar = p.str("pillar")
	}
	if p.err != nil {
		return nil, fmt.Errorf("stored %v relationship does not match the model: %w", relType, p.err)
	}
	return e, nil
}
