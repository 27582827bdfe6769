package model

// SearchGroup is the hits of one kind of a search (SearchConnection.groups).
type SearchGroup struct {
	Kind       SearchKind
	TotalCount int
	Edges      []*Edge
	PageInfo   *PageInfo
}

func (g *SearchGroup) NodeNodes() []Node {
	out := make([]Node, 0, len(g.Edges))
	for _, e := range g.Edges {
		out = append(out, e.Node)
	}
	return out
}
