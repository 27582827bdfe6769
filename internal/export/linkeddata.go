package export

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/partnership-graph/partnership-graph/internal/store"
)

// ContextVersion is the version of the published JSON-LD context; a change that alters the
// meaning of a term gets a new version, and the old one stays served.
const ContextVersion = "v1"

// iriKinds maps key prefixes to the path segment of a node's IRI: {base}/id/{segment}/{rest of
// the key}. IRIs are made of keys, which imports and reloads never change.
var iriKinds = []struct{ prefix, segment, kind string }{
	{"project:", "project", store.KindProject}, {"country:", "country", store.KindCountry},
	{"org:", "organisation", store.KindOrganisation}, {"process:", "process", store.KindRegionalProcess},
	{"instrument:", "instrument", store.KindInstrument}, {"theme:", "theme", store.KindThematicArea},
	{"source:", "source", store.KindSource}, {"priority:", "priority", store.KindPriority}, {"claim:", "claim", store.KindClaim},
}

// IRI is the stable web identifier of the node with key under base ("" for an unknown prefix).
func IRI(base, key string) string {
	for _, k := range iriKinds {
		if rest, ok := strings.CutPrefix(key, k.prefix); ok {
			return strings.TrimSuffix(base, "/") + "/id/" + k.segment + "/" + url.PathEscape(rest)
		}
	}
	return ""
}

// KeyOfIRIPath is the key an IRI path (/id/{segment}/{rest}) names, or "" when it names none.
func KeyOfIRIPath(path string) string {
	rest, ok := strings.CutPrefix(path, "/id/")
	if !ok {
		return ""
	}
	segment, tail, ok := strings.Cut(rest, "/")
	if !ok || tail == "" {
		return ""
	}
	tail, err := url.PathUnescape(tail)
	if err != nil {
		return ""
	}
	for _, k := range iriKinds {
		if k.segment == segment {
			return k.prefix + tail
		}
	}
	return ""
}

// ContextIRI is where the JSON-LD context of this version is published.
func ContextIRI(base string) string {
	return strings.TrimSuffix(base, "/") + "/ns/" + ContextVersion + "/context.jsonld"
}

// Vocabulary is the namespace of the terms the context defines.
func Vocabulary(base string) string {
	return strings.TrimSuffix(base, "/") + "/ns/" + ContextVersion + "#"
}

// IATICodeIRI is the IRI of a code of an IATI 2.03 code list: the list's page with the code as
// its fragment ("" when the code is).
func IATICodeIRI(list, code string) string {
	if code == "" {
		return ""
	}
	return "https://iatistandard.org/en/iati-standard/203/codelists/" + strings.ToLower(list) + "/#" + url.PathEscape(code)
}

// Context is the JSON-LD context document: the terms of the exports mapped to schema.org
// (organisations, countries, projects, names, dates, funding), PROV-O (sources of every fact:
// each fact's node is derived from its Source entities, qualified with a locator and a
// verification status), IATI code lists (codes as IRIs, see IATICodeIRI) and the project's own
// vocabulary otherwise; links are typed as IRIs and dates as xsd:date.
func Context(base string) map[string]any {
	iri := func(term string) map[string]string { return map[string]string{"@id": term, "@type": "@id"} }
	date := func(term string) map[string]string { return map[string]string{"@id": term, "@type": "xsd:date"} }
	terms := map[string]any{
		"@vocab": Vocabulary(base), "xsd": "http://www.w3.org/2001/XMLSchema#",
		"schema": "https://schema.org/", "prov": "http://www.w3.org/ns/prov#",
		// Types.
		"Project": "schema:Project", "Organisation": "schema:Organization", "Country": "schema:Country",
		"Source": "prov:Entity", "Claim": "schema:Claim",
		// Names, descriptions, addresses and dates.
		"key": "key", "name": "schema:name", "title": "schema:name", "shortName": "schema:alternateName",
		"description": "schema:description", "url": iri("schema:url"), "publisher": "schema:publisher",
		"iatiIdentifier": "iatiIdentifier", "iso2": "iso2", "status": "status", "scope": "scope",
		"plannedStart": date("plannedStart"), "actualStart": date("schema:startDate"),
		"plannedEnd": date("plannedEnd"), "actualEnd": date("schema:endDate"), "budgetAsOf": date("budgetAsOf"),
		"hierarchy": "hierarchy", "datasets": "datasets",
		// IATI codes as IRIs of their code lists.
		"activityStatus": iri("activityStatus"), "activityScope": iri("activityScope"),
		"organisationRole": iri("organisationRole"), "organisationType": iri("organisationType"),
		// Funding: schema:funding (one node per funder, with schema:funder and the amount).
		"fundedBy": "schema:funding", "funder": iri("schema:funder"), "budget": "budget", "amount": "amount",
		"currency": "schema:currency", "share": "share", "role": "role",
		"implementedBy": "implementedBy", "implementer": iri("implementer"),
		"targets": "targets", "country": iri("country"), "addresses": iri("addresses"), "financedBy": iri("financedBy"),
		"partOf": iri("schema:isPartOf"), "theme": iri("theme"), "instrument": iri("instrument"),
		// Sources (PROV-O): a qualified derivation from the Source entity, where in it, how verified.
		"sources": "prov:qualifiedDerivation", "source": iri("prov:entity"),
		"locator": "locator", "verification": "verification",
	}
	return map[string]any{"@context": terms}
}

// ProjectDocument is a project as a JSON-LD node (and, as plain JSON, an NDJSON line): its own
// facts, its relationships with their properties, links by IRI, and its sources.
func ProjectDocument(base string, p *store.ExportedProject) map[string]any {
	props := p.Project
	key := fmt.Sprint(props["id"])
	doc := map[string]any{"@id": IRI(base, key), "@type": "Project", "key": key}
	for _, k := range []string{"iatiIdentifier", "title", "description", "status", "scope", "plannedStart", "actualStart",
		"plannedEnd", "actualEnd", "budgetCurrency", "budgetAsOf", "hierarchy", "datasets"} {
		if v, ok := props[k]; ok && v != nil {
			doc[k] = v
		}
	}
	if code := IATICodeIRI("ActivityStatus", statusCodes[fmt.Sprint(props["status"])]); code != "" {
		doc["activityStatus"] = code
	}
	if code := IATICodeIRI("ActivityScope", scopeCodes[fmt.Sprint(props["scope"])]); code != "" {
		doc["activityScope"] = code
	}
	if b, ok := props["budget"]; ok && b != nil {
		doc["budget"] = map[string]any{"amount": b, "currency": props["budgetCurrency"]}
		delete(doc, "budgetCurrency")
	}
	funders := []any{}
	for _, f := range p.Funders {
		e := map[string]any{"funder": IRI(base, fmt.Sprint(f.Org["id"])), "name": f.Org["name"]}
		if a, ok := f.Rel["amount"]; ok && a != nil {
			e["amount"], e["currency"] = a, f.Rel["currency"]
		}
		funders = append(funders, e)
	}
	implementers := []any{}
	for _, i := range p.Implementers {
		e := map[string]any{"implementer": IRI(base, fmt.Sprint(i.Org["id"])), "name": i.Org["name"], "role": i.Rel["role"]}
		if code := IATICodeIRI("OrganisationRole", implementerRoles[fmt.Sprint(i.Rel["role"])]); code != "" {
			e["organisationRole"] = code
		}
		implementers = append(implementers, e)
	}
	countries := []any{}
	for _, c := range p.Countries {
		e := map[string]any{"country": IRI(base, fmt.Sprint(c["id"])), "iso2": c["iso2"]}
		if rel, _ := c["rel"].(map[string]any); rel != nil && rel["share"] != nil {
			e["share"] = rel["share"]
		}
		countries = append(countries, e)
	}
	doc["fundedBy"], doc["implementedBy"], doc["targets"] = funders, implementers, countries
	doc["addresses"] = links(base, p.Themes)
	doc["financedBy"] = links(base, p.Instruments)
	if len(p.Parents) > 0 {
		doc["partOf"] = IRI(base, fmt.Sprint(p.Parents[0]["id"]))
	}
	doc["sources"] = sourcesOf(base, props, p.Sources)
	return doc
}

func links(base string, nodes []map[string]any) []any {
	out := make([]any, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, IRI(base, fmt.Sprint(n["id"])))
	}
	return out
}

// sourcesOf pairs a node's parallel source lists with the Source nodes they name.
func sourcesOf(base string, props map[string]any, sources []map[string]any) []any {
	byID := map[string]map[string]any{}
	for _, s := range sources {
		byID[fmt.Sprint(s["id"])] = s
	}
	ids, _ := props["sourceIds"].([]any)
	locators, _ := props["sourceLocators"].([]any)
	statuses, _ := props["sourceStatuses"].([]any)
	out := make([]any, 0, len(ids))
	for i, id := range ids {
		e := map[string]any{"source": IRI(base, fmt.Sprint(id))}
		if s := byID[fmt.Sprint(id)]; s != nil {
			e["title"] = s["title"]
			if u, ok := s["url"]; ok && u != nil {
				e["url"] = u
			}
		}
		if i < len(locators) && fmt.Sprint(locators[i]) != "" {
			e["locator"] = locators[i]
		}
		if i < len(statuses) {
			e["verification"] = statuses[i]
		}
		out = append(out, e)
	}
	return out
}
