package store

// relation is a list of nodes reached from a parent node: a Cypher pattern from the parent `a`
// over the relationship `r` to the listed node `n`, and the kind of n (the key of the filter and
// sort tables) or "" for a list mixing kinds, which takes no filter or sort.
type relation struct {
	pattern string
	kind    string
}

// relations are the lists the store can page through, named "Type.field" after the GraphQL field
// that shows them. Patterns are Cypher text, so they only ever come from this table.
var relations = map[string]relation{
	"Country.memberships":   {"(a)-[r:MEMBER_OF]->(n:RegionalProcess)", KindRegionalProcess},
	"Country.projects":      {"(a)<-[r:TARGETS]-(n:Project)", KindProject},
	"Country.agreements":    {"(a)<-[r:HAS_PARTY]-(n:Instrument)", KindInstrument},
	"Country.organisations": {"(a)<-[r:BASED_IN]-(n:Organisation)", KindOrganisation},
	"Country.priorities":    {"(a)-[r:STATES]->(n:Priority)", KindPriority},
	"Country.claims":        {"(a)-[r:HAS_CLAIM]->(n:Claim)", KindClaim},

	"RegionalProcess.members":     {"(a)<-[r:MEMBER_OF]-(n:Country|Organisation)", ""},
	"RegionalProcess.themes":      {"(a)-[r:HAS_PILLAR]->(n:ThematicArea)", KindThematicArea},
	"RegionalProcess.supportedBy": {"(a)<-[r:SUPPORTS]-(n:Project)", KindProject},
	"RegionalProcess.priorities":  {"(a)-[r:STATES]->(n:Priority)", KindPriority},
	"RegionalProcess.claims":      {"(a)-[r:HAS_CLAIM]->(n:Claim)", KindClaim},

	"Instrument.parts":         {"(a)<-[r:PART_OF]-(n:Instrument)", KindInstrument},
	"Instrument.parties":       {"(a)-[r:HAS_PARTY]->(n:Country|Organisation)", ""},
	"Instrument.contributors":  {"(a)<-[r:CONTRIBUTES_TO]-(n:Instrument)", KindInstrument},
	"Instrument.contributesTo": {"(a)-[r:CONTRIBUTES_TO]->(n:Instrument)", KindInstrument},
	"Instrument.projects":      {"(a)<-[r:FINANCED_BY]-(n:Project)", KindProject},
	"Instrument.supportedBy":   {"(a)<-[r:SUPPORTS]-(n:Project)", KindProject},
	"Instrument.claims":        {"(a)-[r:HAS_CLAIM]->(n:Claim)", KindClaim},

	"Organisation.parts":       {"(a)<-[r:PART_OF]-(n:Organisation)", KindOrganisation},
	"Organisation.agreements":  {"(a)<-[r:HAS_PARTY]-(n:Instrument)", KindInstrument},
	"Organisation.memberships": {"(a)-[r:MEMBER_OF]->(n:RegionalProcess)", KindRegionalProcess},
	"Organisation.funds":       {"(a)-[r:FUNDS]->(n:Project)", KindProject},
	"Organisation.implements":  {"(a)-[r:IMPLEMENTS]->(n:Project)", KindProject},

	"Project.donors":       {"(a)<-[r:FUNDS]-(n:Organisation)", KindOrganisation},
	"Project.implementers": {"(a)<-[r:IMPLEMENTS]-(n:Organisation)", KindOrganisation},
	"Project.instruments":  {"(a)-[r:FINANCED_BY]->(n:Instrument)", KindInstrument},
	"Project.countries":    {"(a)-[r:TARGETS]->(n:Country)", KindCountry},
	"Project.themes":       {"(a)-[r:ADDRESSES]->(n:ThematicArea)", KindThematicArea},
	"Project.supports":     {"(a)-[r:SUPPORTS]->(n:RegionalProcess|Instrument)", ""},
	"Project.followsUp":    {"(a)-[r:FOLLOWS_UP]->(n:Project)", KindProject},
	"Project.followedBy":   {"(a)<-[r:FOLLOWS_UP]-(n:Project)", KindProject},
	"Project.claims":       {"(a)-[r:HAS_CLAIM]->(n:Claim)", KindClaim},

	"ThematicArea.processes":  {"(a)<-[r:HAS_PILLAR]-(n:RegionalProcess)", KindRegionalProcess},
	"ThematicArea.projects":   {"(a)<-[r:ADDRESSES]-(n:Project)", KindProject},
	"ThematicArea.priorities": {"(a)<-[r:ABOUT]-(n:Priority)", KindPriority},
}

// HasRelation tells whether the store can page through the list of that name.
func HasRelation(name string) bool {
	_, ok := relations[name]
	return ok
}
