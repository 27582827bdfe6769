package store

import (
	"slices"
	"strings"
)

// fieldProperties are, by kind, the properties that each field of the kind's GraphQL type reads
// (mapping.go). A page whose nodes are asked for these fields only returns these properties (a
// projection) rather than all of them; a field missing here (version, which digests every
// fact; Project.iati, whose presence depends on which properties exist) makes the page return
// every property. Fields that read a relationship (lists, single references) read no property.
var fieldProperties = map[string]map[string][]string{
	KindCountry: {
		"id": {"id"}, "key": {"id"}, "name": {"name"}, "iso2": {"iso2"}, "iso3": {"iso3"}, "region": {"region"},
		"subregion": {"subregion"}, "euRelation": {"euRelation"}, "aliases": {"aliases"}, "sources": sourceProperties,
	},
	KindRegionalProcess: {
		"id": {"id"}, "key": {"id"}, "name": {"name"}, "shortName": {"shortName"}, "launched": {"launched"},
		"launchedPrecision": {"launchedPrecision"}, "launchPlace": {"launchPlace"}, "pillars": {"pillars"},
		"description": {"description"}, "aliases": {"aliases"}, "sources": sourceProperties,
	},
	KindInstrument: {
		"id": {"id"}, "key": {"id"}, "name": {"name"}, "shortName": {"shortName"}, "kind": {"kind"}, "started": {"started"},
		"startedPrecision": {"startedPrecision"}, "ended": {"ended"}, "amount": {"amount", "currency", "amountAsOf"},
		"description": {"description"}, "aliases": {"aliases"}, "sources": sourceProperties,
	},
	KindOrganisation: {
		"id": {"id"}, "key": {"id"}, "name": {"name"}, "shortName": {"shortName"}, "kind": {"kind"}, "iatiType": {"iatiType"},
		"iatiIdentifier": {"iatiIdentifier"}, "aliases": {"aliases"}, "sources": sourceProperties,
	},
	KindProject: {
		"id": {"id"}, "key": {"id"}, "iatiIdentifier": {"iatiIdentifier"}, "title": {"title"}, "description": {"description"},
		"status": {"status"}, "scope": {"scope"}, "plannedStart": {"plannedStart"}, "actualStart": {"actualStart"},
		"plannedEnd": {"plannedEnd"}, "actualEnd": {"actualEnd"}, "budget": {"budget", "budgetCurrency", "budgetAsOf"},
		"hierarchy": {"hierarchy"}, "amountsOnChildren": {"amountsOnChildren"}, "statusDerived": {"statusDerived"},
		"datasets": {"datasets"}, "sources": sourceProperties,
	},
	KindThematicArea: {
		"id": {"id"}, "key": {"id"}, "name": {"name"}, "description": {"description"}, "dacCodes": {"dacCodes"},
		"aliases": {"aliases"}, "sources": sourceProperties,
	},
}

// sourceProperties are the properties that hold a node's sources.
var sourceProperties = []string{"sourceIds", "sourceLocators", "sourceStatuses"}

// requiredProperties are, by kind, the properties a node cannot be mapped without (mapping.go
// reads them as required values), returned whatever the fields.
var requiredProperties = map[string][]string{
	KindCountry:         {"id", "iso2", "iso3", "name", "region", "euRelation"},
	KindRegionalProcess: {"id", "name", "shortName"},
	KindInstrument:      {"id", "name", "kind"},
	KindOrganisation:    {"id", "name", "kind"},
	KindProject:         {"id", "title", "status", "scope"},
	KindThematicArea:    {"id", "name"},
}

// referenceFieldsOf are the fields, by kind, that read a single reference (returned in refs).
var referenceFieldsOf = map[string][]string{
	KindProject:         {"parent"},
	KindOrganisation:    {"country", "parent"},
	KindInstrument:      {"parent"},
	KindRegionalProcess: {"secretariat", "predecessor", "successor"},
}

// projection is how a page returns the properties of its nodes (bound to n) or relationships
// (bound to r): every property as a map (the zero value), or the properties the selection reads
// as a list in the order of names, which costs Neo4j and the driver less than a map of the same
// values; a selection that reads no property of a relationship returns null.
type projection struct {
	selected bool // false: every property
	names    []string
}

// text is the column's expression for the variable v (n or r).
func (p projection) text(v string) string {
	if !p.selected {
		return "properties(" + v + ")"
	}
	if len(p.names) == 0 {
		return "null"
	}
	values := make([]string, len(p.names))
	for i, name := range p.names {
		values[i] = v + "." + name
	}
	return "CASE WHEN " + v + " IS NULL THEN null ELSE [" + strings.Join(values, ", ") + "] END"
}

// read is the map of the properties in a value of the column, without the ones the node or
// relationship lacks (null in the list); nil when the value is null.
func (p projection) read(value any) map[string]any {
	if !p.selected {
		m, _ := value.(map[string]any)
		return m
	}
	list, _ := value.([]any)
	if list == nil {
		return nil
	}
	m := make(map[string]any, len(list))
	for i, v := range list {
		if v != nil && i < len(p.names) {
			m[p.names[i]] = v
		}
	}
	return m
}

// nodeProjection is the projection of a page of nodes of kind whose selection asks for these
// fields: the properties they read, or every property when fields is nil or names a field that
// fieldProperties does not know.
func nodeProjection(kind string, fields []string) projection {
	table, ok := fieldProperties[kind]
	if fields == nil || !ok {
		return projection{}
	}
	return projectionOf(requiredProperties[kind], fields, func(f string) ([]string, bool) {
		if f == "__typename" || HasRelation(kind+"."+f) || slices.Contains(referenceFieldsOf[kind], f) {
			return nil, true // reads no property
		}
		props, known := table[f]
		return props, known
	})
}

// projectionOf is the projection of the required properties and those each field reads
// (propertiesOf; a field it does not know makes it every property).
func projectionOf(required, fields []string, propertiesOf func(field string) ([]string, bool)) projection {
	wanted := slices.Clone(required)
	for _, f := range fields {
		props, known := propertiesOf(f)
		if !known {
			return projection{}
		}
		wanted = append(wanted, props...)
	}
	slices.Sort(wanted)
	return projection{selected: true, names: slices.Compact(wanted)}
}

// edgeFieldProperties are the properties that each field of an edge reads from its relationship;
// the edge of a page whose edges are asked for these fields only returns these properties. A
// field missing here (version, which digests every fact) makes the page return every property.
var edgeFieldProperties = map[string][]string{
	"cursor": nil, "node": nil, "score": nil, "__typename": nil,
	"role": {"role"}, "from": {"from"}, "until": {"until"}, "share": {"share"}, "lead": {"lead"}, "pillar": {"pillar"},
	"amount": {"amount", "currency", "amountAsOf"}, "sources": sourceProperties,
}

// relProjection is the projection of the relationships rel of a nested page whose edges are
// asked for these fields: the properties they read with those the relationship requires (none
// when that leaves nothing), or every property when fields is nil or names a field
// edgeFieldProperties does not know.
func relProjection(rel relation, fields []string) projection {
	if fields == nil || rel.relationship == nil {
		return projection{}
	}
	return projectionOf(rel.relationship.requires, fields, func(f string) ([]string, bool) {
		props, known := edgeFieldProperties[f]
		return props, known
	})
}

// kindText is the kind column of a page of nodes of kind (bound to n): the kind itself, or, for a
// list of several kinds (""), the node's label.
func kindText(kind string) string {
	if kind == "" {
		return "[l IN labels(n) WHERE l <> 'Entity'][0]"
	}
	return "'" + kind + "'"
}
