package model

// Answers of the relationship analytics (see internal/analysis). Like the node types, they hold
// the keys of the nodes they mention; field resolvers load the nodes through the per-request
// loaders, so only what a query selects is read.

// FundingEvidence is one donor's funding of one project.
type FundingEvidence struct {
	DonorKey   string
	ProjectKey string
	Amount     *Money
	Sources    []*SourceRef
}

// ProjectActivity is a project as an analysis saw it.
type ProjectActivity struct {
	ProjectKey string
	Scope      ProjectScope
	Start      *string
	End        *string
	EndAssumed bool
	Share      *float64
	Fundings   []*FundingEvidence
}

// FundingOverlapReport is the answer of overlappingFunding.
type FundingOverlapReport struct {
	AsOf        string
	WindowCount int
	Windows     []*FundingOverlap
}

// FundingOverlap is one overlap window.
type FundingOverlap struct {
	CountryKey string
	ThemeKey   string
	From       string
	To         string
	Days       int
	EndsAtAsOf bool
	Donors     []*OverlapDonor
	Projects   []*ProjectActivity
	Totals     []*Money
}

// OverlapDonor is a donor in an overlap window.
type OverlapDonor struct {
	DonorKey    string
	ProjectKeys []string
	Totals      []*Money
}

// FollowUpReport is the answer of missingNationalFollowUp.
type FollowUpReport struct {
	AsOf         string
	WindowYears  int
	FoundCount   int
	PendingCount int
	MissingCount int
	Activities   []*RegionalActivityFollowUp
}

// RegionalActivityFollowUp is one regional activity and its follow-up.
type RegionalActivityFollowUp struct {
	CountryKey    string
	ThemeKey      string
	Kind          RegionalActivityKind
	ProcessKey    *string
	ProjectKey    *string
	Start         string
	StartBasis    ActivityStartBasis
	Deadline      string
	Status        FollowUpStatus
	OverdueDays   *int
	DaysLeft      *int
	FollowUpKey   *string
	FollowUpStart *string
	Sources       []*SourceRef
}

// PriorityGapReport is the answer of priorityGaps.
type PriorityGapReport struct {
	Allocation   FundingAllocation
	CountryCount int
	Countries    []*CountryPriorityGaps
}

// CountryPriorityGaps compares one country's stated priorities with its funding.
type CountryPriorityGaps struct {
	CountryKey            string
	Priorities            []*PriorityFunding
	UnstatedThemes        []*ThemeFunding
	Totals                []*Money
	Shares                []*PriorityShare
	ProjectCount          int
	FundingsWithoutAmount int
	RegionalProjects      []*RegionalProjectPart
}

// RegionalProjectPart says how a project targeting several countries counted in one country.
type RegionalProjectPart struct {
	ProjectKey   string
	CountryKey   string
	CountryCount int
	Part         float64
}

// PriorityFunding is one stated priority and what its theme received.
type PriorityFunding struct {
	PriorityKey   string
	ThemeKey      *string
	ViaProcessKey *string
	ProjectCount  int
	Totals        []*Money
	Unfunded      bool
	ProjectKeys   []string
}

// ThemeFunding is a funded theme in one country.
type ThemeFunding struct {
	ThemeKey     string
	ProjectCount int
	Totals       []*Money
	ProjectKeys  []string
}

// DonorCoordination is the answer of donorCoordination.
type DonorCoordination struct {
	CountryKey           string
	Allocation           FundingAllocation
	RegionalProjects     []*RegionalProjectPart
	Donors               []*ActiveDonor
	SharedThemes         []*SharedTheme
	CoFundedProjects     []*ProjectActivity
	CoFundedProjectCount int
	Opportunities        []*CoordinationOpportunity
	OpportunityCount     int
	WholeOfGovernment    []*GovernmentPresence
}

// ActiveDonor is a donor active in a country.
type ActiveDonor struct {
	DonorKey    string
	ProjectKeys []string
	ThemeKeys   []string
	Totals      []*Money
}

// SharedTheme is a theme several donors fund in a country.
type SharedTheme struct {
	ThemeKey    string
	DonorKeys   []string
	ProjectKeys []string
}

// CoordinationOpportunity is two donors on one theme without a joint project.
type CoordinationOpportunity struct {
	ThemeKey         string
	DonorKey         string
	OtherDonorKey    string
	ProjectKeys      []string
	OtherProjectKeys []string
}

// GovernmentPresence is several organisations of one government in a country.
type GovernmentPresence struct {
	GovernmentKey        *string
	GovernmentCountryKey *string
	AgencyKeys           []string
	ProjectKeys          []string
}

// FundingFlows is the answer of fundingFlows.
type FundingFlows struct {
	Levels       []FlowLevel
	Nodes        []*FlowNode
	Links        []*FlowLink
	LinkCount    int
	FundingCount int
	Totals       []*Money
	Allocation   FundingAllocation
	// RegionalProjects are the (project, country) pairs of the projects targeting several countries.
	RegionalProjects []*RegionalProjectPart
}

// FlowNode is a node of a funding-flow diagram; NodeKey is nil for a placeholder.
type FlowNode struct {
	Key         string
	Level       FlowLevel
	Label       string
	Placeholder bool
	NodeKey     *string
}

// FlowLink is a weighted link of a funding-flow diagram.
type FlowLink struct {
	Source       string
	Target       string
	Currency     *string
	Amount       Decimal
	FundingCount int
	ProjectCount int
}

// GraphEdge is one relationship of the graph.
type GraphEdge struct {
	Type       RelationshipType
	FromKey    string
	ToKey      string
	Properties []*EdgeProperty
	Sources    []*SourceRef
	// Version is the version of the relationship's facts (store.VersionOf).
	Version string
}

// EdgeProperty is one property of a relationship, as text.
type EdgeProperty struct {
	Name  string
	Value string
}

// Neighbourhood is the answer of neighbourhood.
type Neighbourhood struct {
	CenterKey string
	Nodes     []*NeighbourNode
	Edges     []*GraphEdge
	Truncated bool
}

// NeighbourNode is a node of a neighbourhood.
type NeighbourNode struct {
	NodeKey  string
	Distance int
}

// PathReport is the answer of paths.
type PathReport struct {
	FromKey string
	ToKey   string
	Length  *int
	Paths   []*GraphPath
}

// GraphPath is one path.
type GraphPath struct {
	Length   int
	NodeKeys []string
	Edges    []*GraphEdge
}
