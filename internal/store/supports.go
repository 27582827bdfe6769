package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/partnership-graph/partnership-graph/graph/model"
)

// SupportPage is one page of the citations of a source (Source.supports).
type SupportPage struct {
	Edges       []*model.SupportEdge
	HasPrevious bool
	HasNext     bool
	Total       int
}

// supportsSpec names the order of Source.supports in its cursors: nodes first, then
// relationships, each by key, then by the citation's place among the fact's sources.
const supportsSpec = "source-supports:part,key,citation"

// citationQuery is a source key as one quoted Lucene term for the keyword-analysed citation
// indexes: the key is matched whole, and no character of it can act as query syntax.
func citationQuery(key string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(key) + `"`
}

// SupportsStatement is the statement and parameters Supports sends, for tests of its plan.
func SupportsStatement(keys []string, page PageRequest, withTotal bool) (string, map[string]any, error) {
	cypher, params, _, err := supportsStatement(keys, page, withTotal)
	return cypher, params, err
}

func supportsStatement(keys []string, page PageRequest, withTotal bool) (string, map[string]any, int, error) {
	sources := make([]map[string]any, len(keys))
	for i, k := range keys {
		sources[i] = map[string]any{"key": k, "query": citationQuery(k)}
	}
	limit := 0
	if page.First != nil {
		limit = *page.First
	}
	params := map[string]any{"sources": sources, "limit": int64(limit + 1)}
	seek := "true"
	if page.After != nil {
		values, err := decodeCursor("after", *page.After, supportsSpec, 2)
		if err != nil {
			return "", nil, 0, err
		}
		part, _ := values[0].(float64)
		citation, _ := values[1].(float64)
		params["afterPart"], params["afterCitation"], params["afterKey"] = int64(part), int64(citation), values[2]
		seek = "(part > $afterPart OR (part = $afterPart AND (key > $afterKey OR (key = $afterKey AND i > $afterCitation))))"
	}
	total := "RETURN null AS total"
	if withTotal {
		total = fragment("source_supports_total")
	}
	cypher := strings.NewReplacer("__TOTAL__", total, "__SEEK__", seek).Replace(statement("source_supports"))
	return cypher, params, limit, nil
}

// Supports returns, per source key, one page of the facts citing the source: the nodes and the
// relationships whose sources name it, one edge per citation with its locator and status.
// Sources nothing cites get an empty page.
func (s *Store) Supports(ctx context.Context, keys []string, page PageRequest, withTotal bool) (map[string]*SupportPage, error) {
	cypher, params, limit, err := supportsStatement(keys, page, withTotal)
	if err != nil {
		return nil, err
	}
	recs, err := s.readQuery(ctx, "source_supports", cypher, params)
	if err != nil {
		return nil, err
	}
	tag := orderTag(supportsSpec)
	out := make(map[string]*SupportPage, len(keys))
	for _, r := range recs {
		m := r.AsMap()
		p := &props{m: m}
		source := p.str("source")
		pg, ok := out[source]
		if !ok {
			pg = &SupportPage{Edges: []*model.SupportEdge{}, Total: toInt(m["total"])}
			out[source] = pg
		}
		if m["key"] == nil {
			continue // a source nothing cites
		}
		key := p.str("key")
		e := &model.SupportEdge{Locator: p.optStr("locator"), Status: model.VerificationStatusUnverified,
			Cursor: encodeCursorTagged(tag, cursorValues([]any{m["part"], m["i"], key}))}
		if e.Locator != nil && *e.Locator == "" {
			e.Locator = nil
		}
		if st := p.optStr("status"); st != nil {
			e.Status = enum(p, "status", model.VerificationStatus(*st))
		}
		if rel, _ := m["relationship"].(map[string]any); rel != nil {
			if e.Relationship, err = graphEdge(rel); err != nil {
				return nil, fmt.Errorf("source supports: %w", err)
			}
		} else {
			e.NodeKey = &key
		}
		if p.err != nil {
			return nil, fmt.Errorf("source supports: %w", p.err)
		}
		pg.Edges = append(pg.Edges, e)
	}
	for _, pg := range out {
		if len(pg.Edges) > limit {
			pg.Edges, pg.HasNext = pg.Edges[:limit], true
		}
		pg.HasPrevious = page.After != nil
	}
	return out, nil
}
