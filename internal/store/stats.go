package store

import (
	"context"
	"fmt"
	"strings"
)

// GraphStats are the sizes the query cost needs: nodes per kind and, per relationship filter
// (`...Some`, `...None`), how many related nodes one node has on average.
type GraphStats struct {
	Nodes   map[string]int64 // kind -> nodes
	fanouts map[string]map[string]float64
}

// Rows is the number of nodes of a kind.
func (g *GraphStats) Rows(kind string) float64 { return float64(g.Nodes[kind]) }

// Fanout is the average number of nodes one node of kind reaches through the relationship of
// its relationship filter (`donorsSome`, `projectsNone`...); 0 for any other filter field.
func (g *GraphStats) Fanout(kind, filter string) float64 { return g.fanouts[kind][filter] }

// filterHops lists the relationship filters (`...Some`, `...None`) of every kind, from the
// catalogue: the only filters whose work the cost multiplies by a fan-out.
func filterHops() []filterHop { return fromCatalogue.hops }

// statsCypher counts the nodes of every kind and the relationships of every type a filter
// follows, each from Neo4j's count store (a static label or type per count: no scan). The count
// is taken alone before the literal columns are added: counted with them as grouping keys, Neo4j
// scans the label or type instead (a million projects took longer than the first read's second).
// Labels and types come from the store's own tables, never from a request.
func statsCypher() string {
	var parts []string
	for _, kind := range sortedKeys(filters) {
		parts = append(parts, fmt.Sprintf("MATCH (n:%s) WITH count(n) AS count RETURN 'node' AS what, '%s' AS name, count", kind, kind))
	}
	seen := map[string]bool{}
	for _, h := range filterHops() {
		if !seen[h.relType] {
			seen[h.relType] = true
			parts = append(parts, fmt.Sprintf("MATCH ()-[r:%s]->() WITH count(r) AS count RETURN 'relationship' AS what, '%s' AS name, count", h.relType, h.relType))
		}
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// Stats reads the sizes of the graph. It is bookkeeping of the API, not a statement of a
// request, so the statement observer does not see it.
func (s *Store) Stats(ctx context.Context) (*GraphStats, error) {
	recs, err := s.readRows(ctx, "", statsCypher(), nil, 0)
	if err != nil {
		return nil, err
	}
	nodes, rels := map[string]int64{}, map[string]int64{}
	for _, r := range recs {
		m := r.AsMap()
		name, _ := m["name"].(string)
		n, _ := m["count"].(int64)
		if m["what"] == "node" {
			nodes[name] = n
		} else {
			rels[name] = n
		}
	}
	g := &GraphStats{Nodes: nodes, fanouts: map[string]map[string]float64{}}
	for _, h := range filterHops() {
		if g.fanouts[h.kind] == nil {
			g.fanouts[h.kind] = map[string]float64{}
		}
		// Every relationship a filter follows links two kinds; its count over the filtered
		// kind's nodes is the average degree (at least one, so an empty graph still prices it).
		g.fanouts[h.kind][h.field] = max(1, float64(rels[h.relType])/max(1, float64(nodes[h.kind])))
	}
	return g, nil
}
