package model

// The node and edge types below are bound in gqlgen.yml instead of generated: besides the scalar
// fields the schema exposes, they hold the ids of related nodes, which field resolvers turn into
// objects through the per-request batch loaders (one Cypher round trip per field and level).

// Country is a sovereign state or territory, keyed by ISO 3166-1 codes.
type Country struct {
	ID         string
	Iso2       string
	Iso3       string
	Name       string
	Region     string
	Subregion  *string
	EuRelation EURelation
	Aliases    []string
	Sources    []*SourceRef
}

// RegionalProcess is a regional dialogue process on migration.
type RegionalProcess struct {
	ID                string
	Name              string
	ShortName         string
	Launched          *string
	LaunchedPrecision *DatePrecision
	LaunchPlace       *string
	Pillars           []string
	Description       *string
	SecretariatID     *string
	PredecessorID     *string
	SuccessorID       *string
	Aliases           []string
	Sources           []*SourceRef
}

// Instrument is a funding instrument, policy framework or agreement.
type Instrument struct {
	ID               string
	Name             string
	ShortName        *string
	Kind             InstrumentKind
	Started          *string
	StartedPrecision *DatePrecision
	Ended            *string
	Amount           *Money
	Description      *string
	ParentID         *string
	Aliases          []string
	Sources          []*SourceRef
}

// Organisation is any actor that funds, implements or takes part in processes.
type Organisation struct {
	ID             string
	Name           string
	ShortName      *string
	Kind           OrganisationKind
	IatiType       *string
	IatiIdentifier *string
	CountryID      *string
	ParentID       *string
	Aliases        []string
	Sources        []*SourceRef
}

// Donor is an organisation seen in its funding role.
type Donor struct {
	ID           string
	ProjectCount int
}

// Project is a project or programme, shaped like an IATI activity.
type Project struct {
	ID             string
	IatiIdentifier *string
	Title          string
	Description    *string
	Status         ProjectStatus
	Scope          ProjectScope
	PlannedStart   *string
	ActualStart    *string
	PlannedEnd     *string
	ActualEnd      *string
	Budget         *Money
	Sources        []*SourceRef
}

// ThematicArea is one term of the thematic vocabulary.
type ThematicArea struct {
	ID          string
	Name        string
	Description *string
	DacCodes    []string
	Aliases     []string
	Sources     []*SourceRef
}

// Priority is a priority that a country, or the partner countries of a process, stated.
type Priority struct {
	ID              string
	HolderID        string
	ThemeID         *string
	StatedBy        string
	Statement       string
	Stated          *string
	StatedPrecision *DatePrecision
	Sources         []*SourceRef
}

// Claim is one figure or date as one source states it.
type Claim struct {
	ID        string
	SubjectID string
	Property  string
	Value     string
	Number    *float64
	Unit      *string
	AsOf      *string
	Sources   []*SourceRef
}

// Source is a document facts come from.
type Source struct {
	ID        string
	Title     string
	File      *string
	URL       *string
	Publisher *string
	Published *string
}

// SourceRef points from one fact to the document stating it.
type SourceRef struct {
	SourceID string
	Locator  *string
	Status   VerificationStatus
}

// Membership is a country's or organisation's participation in a regional process.
type Membership struct {
	MemberID  string
	ProcessID string
	Role      MembershipRole
	From      *string
	Until     *string
	Sources   []*SourceRef
}

// Funding is a donor's funding of a project.
type Funding struct {
	DonorID   string
	ProjectID string
	Amount    *Money
	Sources   []*SourceRef
}

// Implementation is an organisation's part in carrying out a project.
type Implementation struct {
	OrganisationID string
	ProjectID      string
	Role           ImplementationRole
	Lead           bool
	Sources        []*SourceRef
}

// ProjectTarget is a country a project targets.
type ProjectTarget struct {
	ProjectID string
	CountryID string
	Share     *float64
	Sources   []*SourceRef
}

// ProcessPillar maps one of a process's own pillars to the thematic vocabulary.
type ProcessPillar struct {
	ProcessID string
	ThemeID   string
	Pillar    string
	Sources   []*SourceRef
}

// ProjectTheme is a thematic area a project addresses.
type ProjectTheme struct {
	ProjectID string
	ThemeID   string
	Sources   []*SourceRef
}

// ProjectSupport is a process or instrument a project carries out.
type ProjectSupport struct {
	ProjectID   string
	SupportedID string
	Sources     []*SourceRef
}

// ProjectFollowUp links a project to the earlier project it continues.
type ProjectFollowUp struct {
	ProjectID   string
	FollowsUpID string
	Sources     []*SourceRef
}

// InstrumentParty is a country or organisation party to an agreement or framework.
type InstrumentParty struct {
	InstrumentID string
	PartyID      string
	Role         PartyRole
	Sources      []*SourceRef
}

// InstrumentContribution is an instrument financing another.
type InstrumentContribution struct {
	ContributorID string
	InstrumentID  string
	Sources       []*SourceRef
}

// IsMember marks Country as a possible member of a regional process (GraphQL union Member).
func (Country) IsMember() {}

// IsMember marks Organisation as a possible member of a regional process (GraphQL union Member).
func (Organisation) IsMember() {}

// IsPriorityHolder marks Country as a possible holder of stated priorities.
func (Country) IsPriorityHolder() {}

// IsPriorityHolder marks RegionalProcess as a possible holder of stated priorities.
func (RegionalProcess) IsPriorityHolder() {}

// IsSupportable marks RegionalProcess as something a project can carry out.
func (RegionalProcess) IsSupportable() {}

// IsSupportable marks Instrument as something a project can carry out.
func (Instrument) IsSupportable() {}

// SearchHit is one node found by full-text search.
type SearchHit struct {
	NodeID string
	Score  float64
}

func (Country) IsSearchResult()         {}
func (RegionalProcess) IsSearchResult() {}
func (Instrument) IsSearchResult()      {}
func (Organisation) IsSearchResult()    {}
func (Project) IsSearchResult()         {}
func (ThematicArea) IsSearchResult()    {}
