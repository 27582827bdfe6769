package model

// SupportConnection is one page of what a source supports: the citations of it.
type SupportConnection struct {
	Edges      []*SupportEdge
	PageInfo   *PageInfo
	TotalCount int
}

// SupportEdge is one citation of a source: the node or the relationship that cites it (exactly
// one of NodeKey and Relationship is set), and where in the document.
type SupportEdge struct {
	Cursor       string
	Locator      *string
	Status       VerificationStatus
	NodeKey      *string
	Relationship *GraphEdge
}
