package dataset

// The node kinds and relationship types the dataset holds; the store accepts only these.
const (
	kindSource          = "Source"
	kindCountry         = "Country"
	kindOrganisation    = "Organisation"
	kindRegionalProcess = "RegionalProcess"
	kindInstrument      = "Instrument"
	kindProject         = "Project"
)

var (
	datePrecisions    = []string{"DAY", "MONTH", "YEAR"}
	euRelations       = []string{"MEMBER_STATE", "CANDIDATE", "POTENTIAL_CANDIDATE", "NEIGHBOURHOOD", "OTHER"}
	organisationKinds = []string{"EU_INSTITUTION", "GOVERNMENT", "GOVERNMENT_AGENCY", "INTERNATIONAL_ORGANISATION", "NGO", "OTHER"}
	instrumentKinds   = []string{"FUNDING_INSTRUMENT", "FUNDING_WINDOW", "POLICY_FRAMEWORK", "PARTNERSHIP_AGREEMENT",
		"READMISSION_AGREEMENT", "DECLARATION", "ACTION_PLAN", "TEAM_EUROPE_INITIATIVE"}
	projectStatuses     = []string{"PIPELINE", "IMPLEMENTATION", "FINALISATION", "CLOSED", "CANCELLED", "SUSPENDED"}
	projectScopes       = []string{"NATIONAL", "REGIONAL", "GLOBAL"}
	membershipRoles     = []string{"MEMBER", "OBSERVER", "CHAIR", "CO_CHAIR", "SECRETARIAT", "STEERING_COMMITTEE"}
	implementationRoles = []string{"ACCOUNTABLE", "EXTENDING", "IMPLEMENTING"}
)

// fileSpec describes one seed file: the node kind or relationship type its rows become, and its
// columns. Files are read in the order of fileSpecs, so nodes exist before relationships refer
// to them.
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
}

func enumCol(name, prop string, required bool, values []string) column {
	return column{name: name, prop: prop, kind: enumValue, required: required, values: values}
}

func refCol(name, prop, refKind string, required bool) column {
	return column{name: name, prop: prop, kind: ref, refKind: refKind, required: required}
}

var fileSpecs = []fileSpec{
	{file: "sources.csv", kind: kindSource, idColumn: "id", columns: []column{
		{name: "id", prop: "id", kind: text, required: true, pattern: idPattern},
		{name: "title", prop: "title", kind: text, required: true},
		{name: "file", prop: "file", kind: text},
		{name: "url", prop: "url", kind: text},
		{name: "publisher", prop: "publisher", kind: text},
		{name: "published", prop: "published", kind: date},
	}},
	{file: "countries.csv", kind: kindCountry, idColumn: "iso2", idPrefix: "country:", facts: true, columns: []column{
		{name: "iso2", prop: "iso2", kind: text, required: true, pattern: iso2Pattern},
		{name: "iso3", prop: "iso3", kind: text, required: true, pattern: iso3Pattern},
		{name: "name", prop: "name", kind: text, required: true},
		{name: "region", prop: "region", kind: text, required: true},
		{name: "subregion", prop: "subregion", kind: text},
		enumCol("eu_relation", "euRelation", true, euRelations),
	}},
	{file: "organisations.csv", kind: kindOrganisation, idColumn: "id", facts: true, columns: []column{
		{name: "id", prop: "id", kind: text, required: true, pattern: idPattern},
		{name: "name", prop: "name", kind: text, required: true},
		{name: "short_name", prop: "shortName", kind: text},
		enumCol("kind", "kind", true, organisationKinds),
		{name: "iati_type", prop: "iatiType", kind: text},
		{name: "iati_identifier", prop: "iatiIdentifier", kind: text},
		refCol("country", "countryId", kindCountry, false),
		refCol("parent", "parentId", kindOrganisation, false),
	}},
	{file: "processes.csv", kind: kindRegionalProcess, idColumn: "id", facts: true, columns: []column{
		{name: "id", prop: "id", kind: text, required: true, pattern: idPattern},
		{name: "name", prop: "name", kind: text, required: true},
		{name: "short_name", prop: "shortName", kind: text, required: true},
		{name: "launched", prop: "launched", kind: date},
		enumCol("launched_precision", "launchedPrecision", false, datePrecisions),
		{name: "launch_place", prop: "launchPlace", kind: text},
		refCol("secretariat", "secretariatId", kindOrganisation, false),
		{name: "pillars", prop: "pillars", kind: list},
		{name: "description", prop: "description", kind: text},
		refCol("predecessor", "predecessorId", kindRegionalProcess, false),
		refCol("successor", "successorId", kindRegionalProcess, false),
	}},
	{file: "instruments.csv", kind: kindInstrument, idColumn: "id", facts: true, columns: []column{
		{name: "id", prop: "id", kind: text, required: true, pattern: idPattern},
		{name: "name", prop: "name", kind: text, required: true},
		{name: "short_name", prop: "shortName", kind: text},
		enumCol("kind", "kind", true, instrumentKinds),
		{name: "started", prop: "started", kind: date},
		enumCol("started_precision", "startedPrecision", false, datePrecisions),
		{name: "ended", prop: "ended", kind: date},
		{name: "amount", prop: "amount", kind: number},
		{name: "currency", prop: "currency", kind: text, pattern: currPattern},
		{name: "amount_as_of", prop: "amountAsOf", kind: date},
		{name: "description", prop: "description", kind: text},
		refCol("parent", "parentId", kindInstrument, false),
	}},
	{file: "projects.csv", kind: kindProject, idColumn: "id", facts: true, columns: []column{
		{name: "id", prop: "id", kind: text, required: true, pattern: idPattern},
		{name: "iati_identifier", prop: "iatiIdentifier", kind: text},
		{name: "title", prop: "title", kind: text, required: true},
		{name: "description", prop: "description", kind: text},
		enumCol("activity_status", "status", true, projectStatuses),
		enumCol("scope", "scope", true, projectScopes),
		{name: "planned_start", prop: "plannedStart", kind: date},
		{name: "actual_start", prop: "actualStart", kind: date},
		{name: "planned_end", prop: "plannedEnd", kind: date},
		{name: "actual_end", prop: "actualEnd", kind: date},
		{name: "budget", prop: "budget", kind: number},
		{name: "currency", prop: "budgetCurrency", kind: text, pattern: currPattern},
		{name: "budget_as_of", prop: "budgetAsOf", kind: date},
	}},
	{file: "memberships.csv", relType: "MEMBER_OF", fromColumn: "member", toColumn: "process", facts: true, columns: []column{
		refCol("process", "", kindRegionalProcess, true),
		refCol("member", "", "", true), // a country (ISO alpha-2) or an organisation id
		enumCol("role", "role", true, membershipRoles),
		{name: "from", prop: "from", kind: date},
		{name: "until", prop: "until", kind: date},
	}},
	{file: "fundings.csv", relType: "FUNDS", fromColumn: "donor", toColumn: "project", facts: true, columns: []column{
		refCol("donor", "", kindOrganisation, true),
		refCol("project", "", kindProject, true),
		{name: "amount", prop: "amount", kind: number},
		{name: "currency", prop: "currency", kind: text, pattern: currPattern},
		{name: "amount_as_of", prop: "amountAsOf", kind: date},
	}},
	{file: "implementations.csv", relType: "IMPLEMENTS", fromColumn: "organisation", toColumn: "project", facts: true, columns: []column{
		refCol("organisation", "", kindOrganisation, true),
		refCol("project", "", kindProject, true),
		enumCol("role", "role", true, implementationRoles),
		{name: "lead", prop: "lead", kind: boolean, required: true},
	}},
	{file: "targets.csv", relType: "TARGETS", fromColumn: "project", toColumn: "country", facts: true, columns: []column{
		refCol("project", "", kindProject, true),
		refCol("country", "", kindCountry, true),
		{name: "share", prop: "share", kind: number},
	}},
	{file: "project_instruments.csv", relType: "FINANCED_BY", fromColumn: "project", toColumn: "instrument", facts: true, columns: []column{
		refCol("project", "", kindProject, true),
		refCol("instrument", "", kindInstrument, true),
	}},
}
