package model

import (
	"encoding/base64"
	"errors"
	"strings"
)

// globalIDPrefix versions the global id format, so it can change without breaking stored ids.
const globalIDPrefix = "pg1:"

// GlobalID is the opaque GraphQL id of the node with this key.
func GlobalID(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(globalIDPrefix + key))
}

// ErrBadGlobalID is returned by KeyOfGlobalID for text that no GlobalID call produced.
var ErrBadGlobalID = errors.New("not a global id of this API")

// KeyOfGlobalID returns the key a global id was made from.
func KeyOfGlobalID(id string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", ErrBadGlobalID
	}
	key, ok := strings.CutPrefix(string(b), globalIDPrefix)
	if !ok || key == "" {
		return "", ErrBadGlobalID
	}
	return key, nil
}

// Connection is one page of any list: every GraphQL ...Connection type is bound to it, with
// `nodes` mapped to the accessor of its node type.
type Connection struct {
	Edges      []*Edge
	PageInfo   *PageInfo
	TotalCount int
}

// Edge is one item of a page: the node, its cursor, and the properties and sources of the
// relationship that leads to it. Every GraphQL ...Edge type is bound to it, with `node` mapped to
// the accessor of its node type and `role` to the field of its relationship.
type Edge struct {
	// MakeCursor makes the edge's cursor, when a query asks for it (most never do).
	MakeCursor func() string
	Node       Node
	Score      float64

	MembershipRole     MembershipRole
	PartyRole          PartyRole
	ImplementationRole ImplementationRole
	From               *string
	Until              *string
	Share              *float64
	Amount             *Money
	Lead               bool
	Pillar             string
	Sources            []*SourceRef
	// Version is the version of the relationship's facts (store.VersionOf); "" for an edge of a
	// root list, which no relationship leads to.
	Version string
}

func (e *Edge) CountryNode() *Country                 { return as[*Country](e.Node) }
func (e *Edge) RegionalProcessNode() *RegionalProcess { return as[*RegionalProcess](e.Node) }
func (e *Edge) InstrumentNode() *Instrument           { return as[*Instrument](e.Node) }
func (e *Edge) OrganisationNode() *Organisation       { return as[*Organisation](e.Node) }
func (e *Edge) ProjectNode() *Project                 { return as[*Project](e.Node) }
func (e *Edge) ThematicAreaNode() *ThematicArea       { return as[*ThematicArea](e.Node) }
func (e *Edge) PriorityNode() *Priority               { return as[*Priority](e.Node) }
func (e *Edge) ClaimNode() *Claim                     { return as[*Claim](e.Node) }
func (e *Edge) SourceNode() *Source                   { return as[*Source](e.Node) }
func (e *Edge) MemberNode() Member                    { return as[Member](e.Node) }
func (e *Edge) SupportableNode() Supportable          { return as[Supportable](e.Node) }
func (e *Edge) NodeNode() Node                        { return e.Node }

func (c *Connection) CountryNodes() []*Country                 { return nodesOf[*Country](c) }
func (c *Connection) RegionalProcessNodes() []*RegionalProcess { return nodesOf[*RegionalProcess](c) }
func (c *Connection) InstrumentNodes() []*Instrument           { return nodesOf[*Instrument](c) }
func (c *Connection) OrganisationNodes() []*Organisation       { return nodesOf[*Organisation](c) }
func (c *Connection) ProjectNodes() []*Project                 { return nodesOf[*Project](c) }
func (c *Connection) ThematicAreaNodes() []*ThematicArea       { return nodesOf[*ThematicArea](c) }
func (c *Connection) PriorityNodes() []*Priority               { return nodesOf[*Priority](c) }
func (c *Connection) ClaimNodes() []*Claim                     { return nodesOf[*Claim](c) }
func (c *Connection) SourceNodes() []*Source                   { return nodesOf[*Source](c) }
func (c *Connection) MemberNodes() []Member                    { return nodesOf[Member](c) }
func (c *Connection) SupportableNodes() []Supportable          { return nodesOf[Supportable](c) }
func (c *Connection) NodeNodes() []Node                        { return nodesOf[Node](c) }

// as returns n as a T; the store only puts nodes of the edge type's kind into an edge.
func as[T any](n Node) T {
	v, _ := n.(T)
	return v
}

func nodesOf[T any](c *Connection) []T {
	out := make([]T, 0, len(c.Edges))
	for _, e := range c.Edges {
		out = append(out, as[T](e.Node))
	}
	return out
}

// FundingSummary is the answer of fundingSummary.
type FundingSummary struct {
	Groups       []*FundingGroup
	GroupCount   int
	Totals       []*Money
	ProjectCount int
	Allocation   FundingAllocation
}

// FundingGroup is one group of a funding summary; the dimension nodes are given by key.
type FundingGroup struct {
	DonorKey      *string
	InstrumentKey *string
	CountryKey    *string
	ThemeKey      *string
	Year          *int
	Currency      *string
	Total         *Decimal
	FundingCount  int
	ProjectCount  int
	// RegionalProjectCount counts the group's projects that target several countries.
	RegionalProjectCount int
}

// Cursor is the edge's opaque cursor ("" when it has none).
func (e *Edge) Cursor() string {
	if e.MakeCursor == nil {
		return ""
	}
	return e.MakeCursor()
}
