package store

import (
	"slices"
	"strings"
)

// fieldProperties are, by kind, the properties that each field of the kind's GraphQL type reads
// (mapping.go). A page whose nodes are asked for these fields only returns these properties (a
// map projection) rather than all of them; a field missing here (version, which digests every
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

// propertiesText is the props column of a page of nodes of kind (bound to n) whose selection
// asks for these fields: the properties they read, or every property when fields is nil or
// names a field that fieldProperties does not know.
func propertiesText(kind string, fields []string) string {
	table, ok := fieldProperties[kind]
	if fields == nil || !ok {
		return "properties(n)"
	}
	wanted := slices.Clone(requiredProperties[kind])
	for _, f := range fields {
		if f == "__typename" || HasRelation(kind+"."+f) || slices.Contains(referenceFieldsOf[kind], f) {
			continue
		}
		props, known := table[f]
		if !known {
			return "properties(n)"
		}
		wanted = append(wanted, props...)
	}
	slices.Sort(wanted)
	wanted = slices.Compact(wanted)
	return "CASE WHEN n IS NULL THEN null ELSE n {." + strings.Join(wanted, ", .") + "} END"
}

// edgeFieldProperties are the properties that each field of an edge reads from its relationship;
// the edge of a page whose edges are asked for these fields only returns these properties. A
// field missing here (version, which digests every fact) makes the page return every property.
var edgeFieldProperties = map[string][]string{
	"cursor": nil, "node": nil, "score": nil, "__typename": nil,
	"role": {"role"}, "from": {"from"}, "until": {"until"}, "share": {"share"}, "lead": {"lead"}, "pillar": {"pillar"},
	"amount": {"amount", "currency", "amountAsOf"}, "sources": sourceProperties,
}

// relPropertiesText is the rel column of a nested page of the relationship rel (bound to r)
// whose edges are asked for these fields: the properties they read with those the relationship
// requires, none (null) when that leaves nothing, or every property when fields is nil or names
// a field edgeFieldProperties does not know.
func relPropertiesText(rel relation, fields []string) string {
	if fields == nil || rel.relationship == nil {
		return "properties(r)"
	}
	wanted := slices.Clone(rel.relationship.requires)
	for _, f := range fields {
		props, known := edgeFieldProperties[f]
		if !known {
			return "properties(r)"
		}
		wanted = append(wanted, props...)
	}
	if len(wanted) == 0 {
		return "null"
	}
	slices.Sort(wanted)
	wanted = slices.Compact(wanted)
	return "CASE WHEN r IS NULL THEN null ELSE r {." + strings.Join(wanted, ", .") + "} END"
}

// kindText is the kind column of a page of nodes of kind (bound to n): the kind itself, or, for a
// list of several kinds (""), the node's label.
func kindText(kind string) string {
	if kind == "" {
		return "[l IN labels(n) WHERE l <> 'Entity'][0]"
	}
	return "'" + kind + "'"
}

// withoutNulls drops the properties a map projection returned as null (the node lacks them), so
// that a projected node maps as one read with properties(n).
func withoutNulls(m map[string]any) map[string]any {
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}
