package model

// The node types below are bound in gqlgen.yml instead of generated: besides the scalar fields the
// schema exposes, they hold the keys of related nodes, which field resolvers turn into objects
// through the per-request loaders. Key is the node's stable key in the graph (`country:SN`); the
// GraphQL `id` is the opaque global id made from it (see GlobalID).

// Country is a sovereign state or territory, keyed by ISO 3166-1 codes.
type Country struct {
	Key        string
	Versioned  // see store.VersionOf
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
	Key               string
	Versioned         // see store.VersionOf
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
	Key              string
	Versioned        // see store.VersionOf
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
	Key            string
	Versioned      // see store.VersionOf
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

// Project is a project or programme, shaped like an IATI activity.
type Project struct {
	Key            string
	Versioned      // see store.VersionOf
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
	ParentID       *string
	// Hierarchy, AmountsOnChildren, StatusDerived, Iati and Datasets are what imports add.
	Hierarchy         *int
	AmountsOnChildren bool
	StatusDerived     bool
	Iati              *IatiActivityDetails
	Datasets          []string
}

// ThematicArea is one term of the thematic vocabulary.
type ThematicArea struct {
	Key         string
	Versioned   // see store.VersionOf
	Name        string
	Description *string
	DacCodes    []string
	Aliases     []string
	Sources     []*SourceRef
}

// Priority is a priority that a country, or the partner countries of a process, stated.
type Priority struct {
	Key             string
	Versioned       // see store.VersionOf
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
	Key       string
	Versioned // see store.VersionOf
	SubjectID string
	Property  string
	Value     string
	Number    *Decimal
	Unit      *string
	AsOf      *string
	Sources   []*SourceRef
}

// Source is a document facts come from.
type Source struct {
	Key       string
	Versioned // see store.VersionOf
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

// Node marks every type with a global id; ID returns it.
func (c *Country) ID() string         { return GlobalID(c.Key) }
func (r *RegionalProcess) ID() string { return GlobalID(r.Key) }
func (i *Instrument) ID() string      { return GlobalID(i.Key) }
func (o *Organisation) ID() string    { return GlobalID(o.Key) }
func (p *Project) ID() string         { return GlobalID(p.Key) }
func (t *ThematicArea) ID() string    { return GlobalID(t.Key) }
func (p *Priority) ID() string        { return GlobalID(p.Key) }
func (c *Claim) ID() string           { return GlobalID(c.Key) }
func (s *Source) ID() string          { return GlobalID(s.Key) }

func (Country) IsNode()         {}
func (RegionalProcess) IsNode() {}
func (Instrument) IsNode()      {}
func (Organisation) IsNode()    {}
func (Project) IsNode()         {}
func (ThematicArea) IsNode()    {}
func (Priority) IsNode()        {}
func (Claim) IsNode()           {}
func (Source) IsNode()          {}
