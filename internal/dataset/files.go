package dataset

// The node kinds and relationship types a dataset holds; the store accepts only these.
const (
	KindSource          = "Source"
	KindThematicArea    = "ThematicArea"
	KindCountry         = "Country"
	KindOrganisation    = "Organisation"
	KindRegionalProcess = "RegionalProcess"
	KindInstrument      = "Instrument"
	KindProject         = "Project"
	KindPriority        = "Priority"
	KindClaim           = "Claim"
)

// Relationship types.
const (
	RelBasedIn        = "BASED_IN"        // (Organisation)->(Country)
	RelPartOf         = "PART_OF"         // (Organisation)->(Organisation), (Instrument)->(Instrument), (Project)->(Project)
	RelHasSecretariat = "HAS_SECRETARIAT" // (RegionalProcess)->(Organisation)
	RelSucceededBy    = "SUCCEEDED_BY"    // (RegionalProcess)->(RegionalProcess)
	RelMemberOf       = "MEMBER_OF"       // (Country|Organisation)->(RegionalProcess)
	RelHasPillar      = "HAS_PILLAR"      // (RegionalProcess)->(ThematicArea)
	RelHasParty       = "HAS_PARTY"       // (Instrument)->(Country|Organisation)
	RelContributesTo  = "CONTRIBUTES_TO"  // (Instrument)->(Instrument)
	RelFunds          = "FUNDS"           // (Organisation)->(Project)
	RelImplements     = "IMPLEMENTS"      // (Organisation)->(Project)
	RelTargets        = "TARGETS"         // (Project)->(Country)
	RelFinancedBy     = "FINANCED_BY"     // (Project)->(Instrument)
	RelAddresses      = "ADDRESSES"       // (Project)->(ThematicArea)
	RelSupports       = "SUPPORTS"        // (Project)->(RegionalProcess|Instrument)
	RelFollowsUp      = "FOLLOWS_UP"      // (Project)->(Project)
	RelStates         = "STATES"          // (Country|RegionalProcess)->(Priority)
	RelAbout          = "ABOUT"           // (Priority)->(ThematicArea)
	RelHasClaim       = "HAS_CLAIM"       // (any node)->(Claim)
)

// NodeKinds and RelTypes list every kind and type a dataset may hold.
var (
	NodeKinds = []string{KindSource, KindThematicArea, KindCountry, KindOrganisation, KindRegionalProcess,
		KindInstrument, KindProject, KindPriority, KindClaim}
	RelTypes = []string{RelBasedIn, RelPartOf, RelHasSecretariat, RelSucceededBy, RelMemberOf, RelHasPillar,
		RelHasParty, RelContributesTo, RelFunds, RelImplements, RelTargets, RelFinancedBy, RelAddresses,
		RelSupports, RelFollowsUp, RelStates, RelAbout, RelHasClaim}
)

var (
	datePrecisions    = []string{"DAY", "MONTH", "YEAR"}
	euRelations       = []string{"MEMBER_STATE", "CANDIDATE", "POTENTIAL_CANDIDATE", "NEIGHBOURHOOD", "OTHER"}
	organisationKinds = []string{"EU_INSTITUTION", "GOVERNMENT", "GOVERNMENT_AGENCY", "INTERNATIONAL_ORGANISATION", "NGO", "OTHER"}
	instrumentKinds   = []string{"FUNDING_INSTRUMENT", "FUNDING_WINDOW", "POLICY_FRAMEWORK", "PARTNERSHIP_AGREEMENT",
		"READMISSION_AGREEMENT", "MEMORANDUM_OF_UNDERSTANDING", "DECLARATION", "ACTION_PLAN", "TEAM_EUROPE_INITIATIVE"}
	projectStatuses     = []string{"PIPELINE", "IMPLEMENTATION", "FINALISATION", "CLOSED", "CANCELLED", "SUSPENDED"}
	projectScopes       = []string{"NATIONAL", "REGIONAL", "GLOBAL"}
	membershipRoles     = []string{"MEMBER", "OBSERVER", "CHAIR", "CO_CHAIR", "SECRETARIAT", "STEERING_COMMITTEE"}
	implementationRoles = []string{"ACCOUNTABLE", "EXTENDING", "IMPLEMENTING"}
	partyRoles          = []string{"PARTY", "PARTNER_COUNTRY", "PARTICIPATING_STATE"}

	anyKind       = NodeKinds
	member        = []string{KindCountry, KindOrganisation}
	priorityOwner = []string{KindCountry, KindRegionalProcess}
	supportable   = []string{KindRegionalProcess, KindInstrument}
)

// fileSpec describes one seed file: the node kind or relationship type its rows become, and its
// columns. Files are read in the order of fileSpecs; references are checked once all are read.
type fileSpec struct {
	file string
	// Node files: kind is the node's label; idColumn holds its id, or idPrefix + the column's value.
	kind     string
	idColumn string
	idPrefix string
	// Relationship files: relType, and the columns naming both ends.
	relType    string
	fromColumn string
	toColumn   string
	columns    []column
	// facts is false for files that state no fact themselves (sources.csv).
	facts bool
	// Alias files: each row adds the aliasColumn's text to the aliases of the node aliasOf names.
	aliasOf     string
	aliasColumn string
}

func enumCol(name, prop string, required bool, values []string) column {
	return column{name: name, prop: prop, kind: enumValue, required: required, values: values}
}

func refCol(name string, required bool, kinds ...string) column {
	return column{name: name, kind: ref, refKinds: kinds, required: required}
}

// relCol is a ref column of a node file that becomes a relationship from the row's node.
func relCol(name, relType string, kinds ...string) column {
	return column{name: name, kind: ref, refKinds: kinds, relType: relType}
}

// relColReverse is a ref column of a node file that becomes a relationship to the row's node.
func relColReverse(name, relType string, required bool, kinds ...string) column {
	return column{name: name, kind: ref, refKinds: kinds, relType: relType, relReverse: true, required: required}
}

func idCol() column {
	return column{name: "id", prop: "id", kind: text, required: true, pattern: idPattern}
}

func textCol(name, prop string, required bool) column {
	return column{name: name, prop: prop, kind: text, required: required}
}

func aliasesCol() column { return column{name: "aliases", prop: "aliases", kind: list} }

var fileSpecs = []fileSpec{
	{file: "sources.csv", kind: KindSource, idColumn: "id", columns: []column{
		idCol(),
		textCol("title", "title", true),
		textCol("file", "file", false),
		textCol("url", "url", false),
		textCol("publisher", "publisher", false),
		{name: "published", prop: "published", kind: date},
		// An imported file's source: when it was first imported, and the SHA-256 of its bytes.
		textCol("imported_at", "importedAt", false),
		textCol("checksum", "checksum", false),
	}},
	{file: "themes.csv", kind: KindThematicArea, idColumn: "id", facts: true, columns: []column{
		idCol(),
		textCol("name", "name", true),
		textCol("description", "description", false),
		{name: "dac_codes", prop: "dacCodes", kind: list},
		aliasesCol(),
	}},
	{file: "countries.csv", kind: KindCountry, idColumn: "iso2", idPrefix: "country:", facts: true, columns: []column{
		{name: "iso2", prop: "iso2", kind: text, required: true, pattern: iso2Pattern},
		{name: "iso3", prop: "iso3", kind: text, required: true, pattern: iso3Pattern},
		textCol("name", "name", true),
		textCol("region", "region", true),
		textCol("subregion", "subregion", false),
		enumCol("eu_relation", "euRelation", true, euRelations),
		aliasesCol(),
	}},
	{file: "organisations.csv", kind: KindOrganisation, idColumn: "id", facts: true, columns: []column{
		idCol(),
		textCol("name", "name", true),
		textCol("short_name", "shortName", false),
		enumCol("kind", "kind", true, organisationKinds),
		textCol("iati_type", "iatiType", false),
		textCol("iati_identifier", "iatiIdentifier", false),
		relCol("country", RelBasedIn, KindCountry),
		relCol("parent", RelPartOf, KindOrganisation),
		aliasesCol(),
	}},
	{file: "processes.csv", kind: KindRegionalProcess, idColumn: "id", facts: true, columns: []column{
		idCol(),
		textCol("name", "name", true),
		textCol("short_name", "shortName", true),
		{name: "launched", prop: "launched", kind: date},
		enumCol("launched_precision", "launchedPrecision", false, datePrecisions),
		textCol("launch_place", "launchPlace", false),
		relCol("secretariat", RelHasSecretariat, KindOrganisation),
		{name: "pillars", prop: "pillars", kind: list},
		textCol("description", "description", false),
		relCol("successor", RelSucceededBy, KindRegionalProcess),
		aliasesCol(),
	}},
	{file: "instruments.csv", kind: KindInstrument, idColumn: "id", facts: true, columns: []column{
		idCol(),
		textCol("name", "name", true),
		textCol("short_name", "shortName", false),
		enumCol("kind", "kind", true, instrumentKinds),
		{name: "started", prop: "started", kind: date},
		enumCol("started_precision", "startedPrecision", false, datePrecisions),
		{name: "ended", prop: "ended", kind: date},
		{name: "amount", prop: "amount", kind: number},
		{name: "currency", prop: "currency", kind: text, pattern: currPattern},
		{name: "amount_as_of", prop: "amountAsOf", kind: date},
		textCol("description", "description", false),
		relCol("parent", RelPartOf, KindInstrument),
		aliasesCol(),
	}},
	{file: "projects.csv", kind: KindProject, idColumn: "id", facts: true, columns: []column{
		idCol(),
		textCol("iati_identifier", "iatiIdentifier", false),
		textCol("title", "title", true),
		textCol("description", "description", false),
		enumCol("activity_status", "status", true, projectStatuses),
		enumCol("scope", "scope", true, projectScopes),
		{name: "planned_start", prop: "plannedStart", kind: date},
		{name: "actual_start", prop: "actualStart", kind: date},
		{name: "planned_end", prop: "plannedEnd", kind: date},
		{name: "actual_end", prop: "actualEnd", kind: date},
		{name: "budget", prop: "budget", kind: number},
		{name: "currency", prop: "budgetCurrency", kind: text, pattern: currPattern},
		{name: "budget_as_of", prop: "budgetAsOf", kind: date},
		// What imports record beyond the curated columns (all optional; see the import mapping).
		{name: "hierarchy", prop: "hierarchy", kind: integer},
		textCol("reporting_org", "reportingOrg", false),
		{name: "scope_derived", prop: "scopeDerived", kind: boolean},
		{name: "status_derived", prop: "statusDerived", kind: boolean},
		{name: "amounts_on_children", prop: "amountsOnChildren", kind: boolean},
		{name: "tags", prop: "tags", kind: list},
		{name: "related_activities", prop: "relatedActivities", kind: list},
		{name: "unresolved_recipients", prop: "unresolvedRecipients", kind: list},
		textCol("title_lang", "titleLang", false),
		textCol("description_lang", "descriptionLang", false),
		{name: "other_titles", prop: "otherTitles", kind: list},
		{name: "other_descriptions", prop: "otherDescriptions", kind: list},
		textCol("last_updated", "lastUpdated", false),
		{name: "humanitarian", prop: "humanitarian", kind: boolean},
		{name: "sector_codes", prop: "sectorCodes", kind: list},
		{name: "unmapped_sectors", prop: "unmappedSectors", kind: list},
		{name: "policy_markers", prop: "policyMarkers", kind: list},
		{name: "recipient_regions", prop: "recipientRegions", kind: list},
	}},
	{file: "priorities.csv", kind: KindPriority, idColumn: "id", facts: true, columns: []column{
		idCol(),
		relColReverse("holder", RelStates, true, priorityOwner...),
		textCol("stated_by", "statedBy", true),
		relCol("theme", RelAbout, KindThematicArea),
		textCol("statement", "statement", true),
		{name: "stated", prop: "stated", kind: date},
		enumCol("stated_precision", "statedPrecision", false, datePrecisions),
	}},
	{file: "claims.csv", kind: KindClaim, idColumn: "id", facts: true, columns: []column{
		idCol(),
		relColReverse("subject", RelHasClaim, true, anyKind...),
		textCol("property", "property", true),
		textCol("value", "value", true),
		{name: "number", prop: "number", kind: number},
		textCol("unit", "unit", false),
		{name: "as_of", prop: "asOf", kind: date},
		// A claim an import made where its value differs from the graph's.
		{name: "generated", prop: "generated", kind: boolean},
	}},
	{file: "organisation_aliases.csv", aliasOf: "organisation", aliasColumn: "alias", facts: true, columns: []column{
		refCol("organisation", true, KindOrganisation),
		textCol("alias", "", true),
	}},
	{file: "memberships.csv", relType: RelMemberOf, fromColumn: "member", toColumn: "process", facts: true, columns: []column{
		refCol("process", true, KindRegionalProcess),
		refCol("member", true, member...),
		enumCol("role", "role", true, membershipRoles),
		{name: "from", prop: "from", kind: date},
		{name: "until", prop: "until", kind: date},
	}},
	{file: "process_themes.csv", relType: RelHasPillar, fromColumn: "process", toColumn: "theme", facts: true, columns: []column{
		refCol("process", true, KindRegionalProcess),
		refCol("theme", true, KindThematicArea),
		textCol("pillar", "pillar", true),
	}},
	{file: "instrument_parties.csv", relType: RelHasParty, fromColumn: "instrument", toColumn: "party", facts: true, columns: []column{
		refCol("instrument", true, KindInstrument),
		refCol("party", true, member...),
		enumCol("role", "role", true, partyRoles),
	}},
	{file: "instrument_contributions.csv", relType: RelContributesTo, fromColumn: "contributor", toColumn: "instrument", facts: true, columns: []column{
		refCol("contributor", true, KindInstrument),
		refCol("instrument", true, KindInstrument),
	}},
	{file: "fundings.csv", relType: RelFunds, fromColumn: "donor", toColumn: "project", facts: true, columns: []column{
		refCol("donor", true, KindOrganisation),
		refCol("project", true, KindProject),
		{name: "amount", prop: "amount", kind: number},
		{name: "currency", prop: "currency", kind: text, pattern: currPattern},
		{name: "amount_as_of", prop: "amountAsOf", kind: date},
		{name: "disbursed", prop: "disbursed", kind: number},
		{name: "disbursed_currency", prop: "disbursedCurrency", kind: text, pattern: currPattern},
	}},
	{file: "implementations.csv", relType: RelImplements, fromColumn: "organisation", toColumn: "project", facts: true, columns: []column{
		refCol("organisation", true, KindOrganisation),
		refCol("project", true, KindProject),
		enumCol("role", "role", true, implementationRoles),
		{name: "lead", prop: "lead", kind: boolean, required: true},
	}},
	{file: "targets.csv", relType: RelTargets, fromColumn: "project", toColumn: "country", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("country", true, KindCountry),
		{name: "share", prop: "share", kind: number},
	}},
	{file: "project_instruments.csv", relType: RelFinancedBy, fromColumn: "project", toColumn: "instrument", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("instrument", true, KindInstrument),
	}},
	{file: "project_themes.csv", relType: RelAddresses, fromColumn: "project", toColumn: "theme", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("theme", true, KindThematicArea),
	}},
	{file: "project_supports.csv", relType: RelSupports, fromColumn: "project", toColumn: "supports", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("supports", true, supportable...),
	}},
	{file: "project_parents.csv", relType: RelPartOf, fromColumn: "project", toColumn: "parent", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("parent", true, KindProject),
	}},
	{file: "project_follow_ups.csv", relType: RelFollowsUp, fromColumn: "project", toColumn: "follows_up", facts: true, columns: []column{
		refCol("project", true, KindProject),
		refCol("follows_up", true, KindProject),
	}},
}
